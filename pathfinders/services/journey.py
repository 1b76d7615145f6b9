"""The accountability framework's versions and each country's journey from one stage to
the next."""

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from django_stubs_ext import StrOrPromise

from alliance87.accounts.models import User

from ..models import STAGE_DATE_FIELDS, FrameworkVersion, PathfinderCountry, Stage
from .reports import as_author

if TYPE_CHECKING:
    from governance.models import Decision


@transaction.atomic
def framework_version_copy(*, version: FrameworkVersion, title: str = "") -> FrameworkVersion:
    """A new, editable version with the same indicators: the way to change the framework
    without rewriting the reports that answered the old one."""
    number = (
        FrameworkVersion.objects.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    new = FrameworkVersion(
        number=number,
        title=title or version.title,
        notes=_("Copied from version %(number)s.") % {"number": version.number},
    )
    new.full_clean()
    new.save()
    # Saved with English active: each text's original column keeps the English whatever the
    # language of the person copying (alliance87.translated).
    with override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        for indicator in version.indicators.all():
            indicator.pk = None
            indicator.id = None
            indicator.version = new
            indicator.full_clean()
            indicator.save()
    return new


def stage_change_errors(
    *,
    pathfinder: PathfinderCountry,
    stage: str,
    on: datetime.date | None,
    decision: "Decision | None" = None,
    today: datetime.date | None = None,
) -> dict[str, list[str]]:
    """What stops this country from moving to `stage` on `on`, by field ("stage", "on",
    "decision"); empty when the move may be made. The rules of the journey beyond the order
    of its dates (PathfinderCountry.clean checks those)."""
    from governance.models import Decision

    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}

    def refuse(field_name: str, message: StrOrPromise) -> None:
        errors.setdefault(field_name, []).append(str(message))

    current = Stage(pathfinder.stage)
    stage = Stage(stage)
    if stage == current:
        refuse("stage", _("The country is already at this stage."))
    elif Stage.INACTIVE not in (stage, current) and STAGE_ORDERS[stage] < STAGE_ORDERS[current]:
        refuse(
            "stage",
            _(
                "A country does not go back on the journey: a country that stalls is marked "
                "inactive. To correct a date, change it in the admin."
            ),
        )
    if stage == Stage.IMPLEMENTING and pathfinder.status_granted_on is None:
        refuse(
            "stage",
            _("A country implements its roadmap once it holds Pathfinder status: grant it first."),
        )
    if on is None:
        refuse("on", _("Give the date on which the country reached this stage."))
    elif on > today:
        refuse("on", _("The date cannot be in the future."))
    if stage == Stage.STATUS_GRANTED:
        if decision is None:
            refuse("decision", _("Choose the GCG decision that granted Pathfinder status."))
        elif decision.kind != Decision.Kind.GRANT_PATHFINDER_STATUS:
            refuse(
                "decision",
                _("Decision %(reference)s does not grant Pathfinder status.")
                % {"reference": decision.reference},
            )
        elif on is not None and on < decision.date:
            refuse(
                "on",
                _("The status cannot be granted before the decision that granted it (%(date)s).")
                % {"date": formats.date_format(decision.date, "DATE_FORMAT")},
            )
    elif decision is not None:
        refuse("decision", _("Only a grant of Pathfinder status names a GCG decision."))
    return errors


STAGE_ORDERS = {stage: index for index, stage in enumerate(Stage)}


@transaction.atomic
def pathfinder_stage_change(
    *,
    pathfinder: PathfinderCountry,
    stage: str,
    on: datetime.date,
    by: User,
    decision: "Decision | None" = None,
    note: str = "",
) -> PathfinderCountry:
    """Move a country to another stage of the journey on a date (the Secretariat's act, from
    the portal or the admin); the change is kept in the country's history with who made it."""
    from alliance87.access import is_secretariat

    if not is_secretariat(by):
        raise PermissionDenied(_("Only the Secretariat moves a country along the journey."))
    locked = PathfinderCountry.objects.select_for_update().get(pk=pathfinder.pk)
    errors = stage_change_errors(pathfinder=locked, stage=stage, on=on, decision=decision)
    if errors:
        raise ValidationError(errors)
    stage = Stage(stage)
    if locked.stage == Stage.INACTIVE:
        locked.reactivated_on = on
    if stage == Stage.INACTIVE:
        locked.inactive_since = on
        locked.reactivated_on = None
    else:
        setattr(locked, STAGE_DATE_FIELDS[stage], on)
    if stage == Stage.STATUS_GRANTED:
        locked.status_decision = decision
    locked.stage = stage
    try:
        locked.full_clean()
    except ValidationError as error:
        # The order of the journey's dates: the date typed is the one at fault.
        raise ValidationError(
            {
                ("on" if name in JOURNEY_DATE_FIELDS else NON_FIELD_ERRORS): messages
                for name, messages in error.message_dict.items()
            }
        ) from error
    as_author(locked, by, reason=note.strip()[:100])
    locked.save()
    return locked


JOURNEY_DATE_FIELDS = {*STAGE_DATE_FIELDS.values(), "reactivated_on"}
