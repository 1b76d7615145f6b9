"""Data quality of reported values, as DHIS2's validation rules check it.

Each number or percentage a focal point gives is compared with the country's previous
accepted value of the same indicator (`pathfinders.selectors.previous_values`). A change
beyond the jump factor must be explained before the value is saved (IndicatorValue.clean
refuses it otherwise, so the progress form, the admin and imports obey the same rule), and
the reviewer sees it flagged. Values outside an indicator's plausible range are refused by
its type (pathfinders.indicator_types).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .indicator_types import indicator_type, number_text

# The indicator types whose values are compared with the previous accepted value.
COMPARED_KINDS = ("number", "percentage")
DEFAULT_JUMP_FACTOR = 2


def jump_factor() -> Decimal:
    """A new value more than this many times the previous one, or less than the previous
    divided by it, is a jump (settings.PATHFINDERS_JUMP_FACTOR, 2 by default)."""
    return Decimal(str(getattr(settings, "PATHFINDERS_JUMP_FACTOR", DEFAULT_JUMP_FACTOR)))


PREVIOUS_VALUE_RULE = gettext_lazy(
    "Previous accepted value: the value of the same indicator (by its code, across versions "
    "of the framework) in the country's latest accepted report of an earlier period that "
    "gives one."
)


def jump_rule() -> str:
    return _(
        "A number or percentage more than %(factor)s times the previous accepted value, or "
        "less than that value divided by %(factor)s, needs an explanation before it is saved; "
        "a change from 0 to any other value counts as such a change too. The reviewer sees "
        "these values flagged."
    ) % {"factor": number_text(jump_factor())}


@dataclass(frozen=True)
class PreviousValue:
    """An indicator's value in the country's latest accepted report of an earlier period."""

    code: str
    kind: str
    value_number: Decimal | None
    display: str
    period_label: str
    report_id: int

    @property
    def local_display(self) -> str:
        """The value with its number in the reader's convention (5,5 in French)."""
        return indicator_type(self.kind).display_local(self.value_number, None, "") or self.display

    def compares_with(self, kind: str) -> bool:
        """Whether a new value of an indicator of this type is checked against this one."""
        return kind in COMPARED_KINDS and self.kind == kind and self.value_number is not None


def is_jump(previous: Decimal, new: Decimal) -> bool:
    """More than `jump_factor()` times larger or smaller, or a change of sign. Exactly
    doubling or halving is not a jump; from 0 to anything else is."""
    if new == previous:
        return False
    if previous == 0:
        return True
    factor = jump_factor()
    ratio = new / previous
    return not (1 / factor <= ratio <= factor)


def jumped(*, kind: str, value_number, previous: PreviousValue | None) -> bool:
    """Whether this value of an indicator of this type needs an explanation."""
    return (
        previous is not None
        and previous.value_number is not None
        and value_number is not None
        and previous.compares_with(kind)
        and is_jump(previous.value_number, value_number)
    )


def jump_message(*, previous: PreviousValue, new: Decimal, kind: str) -> str:
    """The request to explain a jump, naming both values and the previous value's period."""
    shown = indicator_type(kind)
    return _(
        "%(new)s is a large change from the previous accepted value, %(previous)s "
        "(%(period)s): more than %(factor)s times larger or smaller. Check the value; if it "
        "is right, explain the change to save it."
    ) % {
        "new": shown.display_local(new, None, ""),
        "previous": previous.local_display,
        "period": previous.period_label,
        "factor": number_text(jump_factor()),
    }


@dataclass(frozen=True)
class Flag:
    """A value the reviewer should look at: a jump from the previous accepted value."""

    code: str
    title: str
    previous: PreviousValue
    display: str
    note: str
