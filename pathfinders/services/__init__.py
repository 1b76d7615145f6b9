"""Every write of the pathfinders area and its workflow rules.

One module per part of the area; every write is importable from here, as the views, the
API, the admin, the tasks and the demo name them (`from pathfinders import services`).
"""

from .journey import (
    JOURNEY_DATE_FIELDS,
    STAGE_ORDERS,
    framework_version_copy,
    pathfinder_stage_change,
    stage_change_errors,
)
from .notifications import (
    RemindersRun,
    focal_point_recipients,
    reminders_send_due,
    report_transition_notify,
    secretariat_recipients,
)
from .reports import (
    ReportConflict,
    ReportInput,
    ReportNotEditable,
    UpdateInput,
    ValueInput,
    kept_evidence_sweep,
    report_commitments,
    report_save,
    report_start,
)
from .workflow import (
    SUBMIT_REFUSAL,
    TransitionRefused,
    report_accept,
    report_admin_edit,
    report_reopen,
    report_return,
    report_submit,
)

__all__ = [
    "JOURNEY_DATE_FIELDS",
    "RemindersRun",
    "ReportConflict",
    "ReportInput",
    "ReportNotEditable",
    "STAGE_ORDERS",
    "SUBMIT_REFUSAL",
    "TransitionRefused",
    "UpdateInput",
    "ValueInput",
    "focal_point_recipients",
    "framework_version_copy",
    "kept_evidence_sweep",
    "pathfinder_stage_change",
    "reminders_send_due",
    "report_accept",
    "report_admin_edit",
    "report_commitments",
    "report_reopen",
    "report_return",
    "report_save",
    "report_start",
    "report_submit",
    "report_transition_notify",
    "secretariat_recipients",
    "stage_change_errors",
]
