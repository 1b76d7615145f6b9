"""The report kinds: what each renders, from which data, and who may see it.

Each kind names a function that gathers its data (the same selectors the web pages use, so
the PDFs and the pages show the same figures and charts), a PDF template, and an access
function that decides who may ask for and download it.

This module imports no app: each app registers its kinds in its AppConfig.ready() with
`register(ReportKind(...))`, as apps register their background jobs (alliance87.jobs).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class ReportKind:
    code: str
    label: "str | Promise"
    template: str
    context: Callable[..., dict]  # f(**parameters) -> dict for the template
    can_view: Callable[..., bool]  # f(user, **parameters) -> bool
    parameters: tuple[str, ...] = ()

    def subject_key(self, parameters: dict) -> str:
        return ":".join([self.code, *(str(parameters[name]) for name in self.parameters)])

    def build_context(self, parameters: dict) -> dict:
        return self.context(**parameters)

    def allows(self, user, parameters: dict) -> bool:
        return bool(self.can_view(user, **parameters))


# Offered in the order the apps register them (INSTALLED_APPS).
KINDS: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> None:
    KINDS[kind.code] = kind
