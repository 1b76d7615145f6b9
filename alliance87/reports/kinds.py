"""The report kinds: what each renders, from which data, and who may see it.

Each kind names a selector that gathers its data (the same selectors the web pages use, so
the PDFs and the pages show the same figures and charts), a PDF template, and an access
function that decides who may ask for and download it.
"""

from dataclasses import dataclass
from importlib import import_module

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ReportKind:
    code: str
    label: str
    template: str
    context: str  # dotted path: f(**parameters) -> dict for the template
    can_view: str  # dotted path: f(user, **parameters) -> bool
    parameters: tuple[str, ...] = ()

    def subject_key(self, parameters: dict) -> str:
        return ":".join([self.code, *(str(parameters[name]) for name in self.parameters)])

    def build_context(self, parameters: dict) -> dict:
        return _resolve(self.context)(**parameters)

    def allows(self, user, parameters: dict) -> bool:
        return bool(_resolve(self.can_view)(user, **parameters))


def _resolve(dotted: str):
    module_name, _, name = dotted.rpartition(".")
    return getattr(import_module(module_name), name)


KINDS: dict[str, ReportKind] = {
    kind.code: kind
    for kind in [
        ReportKind(
            code="country_dossier",
            label=_("Pathfinder country accountability dossier"),
            template="pathfinders/pdf/country_dossier.html",
            context="pathfinders.selectors.country_dossier_report",
            can_view="pathfinders.access.can_view_country_dossier",
            parameters=("country",),
        ),
        ReportKind(
            code="alliance_accountability",
            label=_("Alliance-wide accountability report"),
            template="pathfinders/pdf/alliance_accountability.html",
            context="vision.selectors.alliance_accountability_report",
            can_view="alliance87.access.can_read_everything",
        ),
        ReportKind(
            code="financing_gap",
            label=_("Financing gap report"),
            template="financing/pdf/financing_gap.html",
            context="financing.selectors.financing_gap_report",
            can_view="alliance87.access.can_read_everything",
        ),
        ReportKind(
            code="event_outcome",
            label=_("Event outcome report"),
            template="workshops/pdf/event_outcome.html",
            context="workshops.selectors.event_outcome_report",
            can_view="workshops.access.can_view_event_report",
            parameters=("event",),
        ),
        ReportKind(
            code="gcg_composition",
            label=_("GCG composition and rotation report"),
            template="governance/pdf/gcg_composition.html",
            context="governance.selectors.gcg_composition_report",
            can_view="alliance87.access.can_read_everything",
        ),
    ]
}
