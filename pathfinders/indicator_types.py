"""One object per indicator type: what it stores, how it is entered, checked, shown and rated.

The model, the progress form, the review and report pages, the overview's ratings, the trend
table and the PDFs ask the type of an indicator (`indicator_type(indicator.kind)`) rather
than switching on its kind each on their own.
"""

import datetime
from decimal import Decimal

from django import forms
from django.utils import formats
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from alliance87.charts import PERCENT
from alliance87.forms import LocalizedDecimalField
from alliance87.numbers import format_percent

# Values beyond these are refused as implausible when an indicator sets no bounds itself.
NUMBER_BOUNDS = (Decimal("-1000000000"), Decimal("1000000000"))

# The choices of a yes/no question on the progress form.
YES, NO = "yes", "no"


def number_text(value: Decimal) -> str:
    """40 rather than 40.00."""
    return f"{value.normalize():f}"


def number_local(value: Decimal) -> str:
    """40 rather than 40.00, in the reader's convention (1 000 000 000 in French)."""
    return number_format(Decimal(number_text(value)), force_grouping=True)


class IndicatorKind:
    """The base: a type that takes a number (number, percentage)."""

    # Which column of IndicatorValue holds the answer.
    stores = "value_number"
    # Whether the trend table draws a chart of its values.
    charted = True
    chart_unit = ""
    # Whether the indicator has a target date (milestones) rather than a numeric target.
    has_target_date = False

    # --- the indicator's definition -------------------------------------------------------

    def bounds(self, indicator) -> tuple[Decimal, Decimal]:
        low = indicator.minimum if indicator.minimum is not None else NUMBER_BOUNDS[0]
        high = indicator.maximum if indicator.maximum is not None else NUMBER_BOUNDS[1]
        return low, high

    def reference_error(self, indicator, value: Decimal) -> str | None:
        """What is wrong with a baseline or target, if anything."""
        low, high = self.bounds(indicator)
        if not low <= value <= high:
            return _("Give a value between %(low)s and %(high)s.") % {"low": low, "high": high}
        return None

    def is_rated(self, indicator) -> bool:
        """Whether progress against target can be measured (see the overview's rating rule)."""
        return (
            indicator.baseline is not None
            and indicator.target is not None
            and indicator.baseline != indicator.target
        )

    # --- a reported value -----------------------------------------------------------------

    def value_errors(
        self, indicator, value_number, value_date, value_text
    ) -> dict[str, StrOrPromise]:
        errors: dict[str, StrOrPromise] = {}
        if value_number is not None:
            low, high = self.bounds(indicator)
            if message := self._number_error(value_number, low, high):
                errors["value_number"] = message
        if value_date or value_text:
            errors["value_number"] = _("This indicator takes a number.")
        return errors

    def _number_error(self, value: Decimal, low: Decimal, high: Decimal) -> str | None:
        if not low <= value <= high:
            return _("Give a value between %(low)s and %(high)s.") % {
                "low": number_text(low),
                "high": number_text(high),
            }
        return None

    def display(self, value_number, value_date, value_text) -> str:
        """The value as the report pages and PDFs show it."""
        return "" if value_number is None else number_text(value_number)

    def display_local(self, value_number, value_date, value_text) -> str:
        """The value as display() writes it, its number in the reader's convention (5,5 in
        French): for the progress form and its messages."""
        if value_number is None:
            return self.display(value_number, value_date, value_text)
        local = number_format(Decimal(number_text(value_number)), use_l10n=True)
        return self.display(value_number, value_date, value_text).replace(
            number_text(value_number), local, 1
        )

    def trend_cell(self, value_number, value_date, value_text) -> tuple[str, float | None]:
        """One period's value as the trend table shows it, and as its chart plots it."""
        if value_number is None:
            return "", None
        # In the reader's convention (13,1 in French), as the table's other figures are.
        local = number_format(Decimal(number_text(value_number)), use_l10n=True)
        return local, float(value_number)

    def achieved_share(
        self, baseline, target, target_date, direction: str, value_number, value_date
    ) -> float | None:
        """How far a value went from the baseline towards the target (0 to 1)."""
        if value_number is None or baseline is None or target is None:
            return None
        needed = abs(float(target) - float(baseline))
        if needed == 0:
            return None
        gain = float(value_number) - float(baseline)
        if direction == "decrease":
            gain = -gain
        return min(max(gain / needed, 0.0), 1.0)

    # --- the progress form ----------------------------------------------------------------

    def form_field(self, indicator) -> forms.Field:
        help_parts = []
        if indicator.unit:
            help_parts.append(str(_("Unit: %(unit)s.") % {"unit": indicator.unit}))
        low, high = self.bounds(indicator)
        help_parts.append(
            str(
                _("Between %(low)s and %(high)s.")
                % {"low": number_local(low), "high": number_local(high)}
            )
        )
        # A text box read in the reader's convention (5,5 in French), never a number box.
        return LocalizedDecimalField(
            label=self.form_label,
            required=False,
            max_digits=16,
            decimal_places=2,
            help_text=" ".join(help_parts),
        )

    form_label = _("Value")

    def form_initial(self, value):
        if value.value_number is None:
            return None
        # 40 rather than 40.00 in the field.
        return Decimal(number_text(value.value_number))

    def form_clean(self, indicator, given):
        """The form's check of what was typed, with the words a focal point understands."""
        if given is not None:
            low, high = self.bounds(indicator)
            if not low <= given <= high:
                raise forms.ValidationError(
                    _(
                        "This is outside the plausible range for this indicator (%(low)s to %(high)s)."
                    )
                    % {"low": number_local(low), "high": number_local(high)}
                )
        return given

    def stored(self, given) -> dict:
        """The IndicatorValue columns for what the form cleaned."""
        return {"value_number": given}


class NumberKind(IndicatorKind):
    pass


class PercentageKind(IndicatorKind):
    chart_unit = PERCENT
    form_label = _("Value (%)")

    def bounds(self, indicator):
        return Decimal(0), Decimal(100)

    def display(self, value_number, value_date, value_text) -> str:
        # As the API's `value` has always been written; pages and PDFs use display_local.
        text = super().display(value_number, value_date, value_text)
        return f"{text} %" if text else text

    def display_local(self, value_number, value_date, value_text) -> str:
        """12.5% in English, 12,5 % in French: the sign where the reader's language puts it."""
        if value_number is None:
            return ""
        return format_percent(Decimal(number_text(value_number)))

    def form_clean(self, indicator, given):
        if given is not None and not 0 <= given <= 100:
            raise forms.ValidationError(_("A percentage is between 0 and 100."))
        return given


class YesNoKind(IndicatorKind):
    charted = False

    def bounds(self, indicator):
        return Decimal(0), Decimal(1)

    def reference_error(self, indicator, value):
        if value not in (0, 1):
            return _("Use 1 for yes or 0 for no.")
        return super().reference_error(indicator, value)

    def _number_error(self, value, low, high):
        if value not in (0, 1):
            return _("Answer yes or no.")
        return super()._number_error(value, low, high)

    def display(self, value_number, value_date, value_text) -> str:
        if value_number is None:
            return ""
        return str(_("Yes")) if value_number == 1 else str(_("No"))

    def trend_cell(self, value_number, value_date, value_text):
        return self.display(value_number, value_date, value_text), None

    def form_field(self, indicator):
        return forms.ChoiceField(
            label=_("Value"),
            required=False,
            choices=[("", _("Not reported")), (YES, _("Yes")), (NO, _("No"))],
            widget=forms.RadioSelect,
        )

    def form_initial(self, value):
        if value.value_number is None:
            return ""
        return YES if value.value_number == 1 else NO

    def form_clean(self, indicator, given):
        return given

    def stored(self, given):
        return {"value_number": {YES: Decimal(1), NO: Decimal(0)}.get(given)}


class NoNumberKind(IndicatorKind):
    """Types answered with something else than a number: no bounds, baseline or target."""

    charted = False

    def bounds(self, indicator):
        return None, None

    def reference_error(self, indicator, value):
        return _("Milestone and text indicators take no number here.")

    def form_clean(self, indicator, given):
        return given


class MilestoneKind(NoNumberKind):
    stores = "value_date"
    has_target_date = True

    def is_rated(self, indicator) -> bool:
        return indicator.target_date is not None

    def value_errors(self, indicator, value_number, value_date, value_text):
        if value_number is not None or value_text:
            return {"value_date": _("This indicator takes a date.")}
        return {}

    def display(self, value_number, value_date: datetime.date | None, value_text) -> str:
        return formats.date_format(value_date, "MEDIUM_DATE_FORMAT") if value_date else ""

    def trend_cell(self, value_number, value_date, value_text):
        return self.display(value_number, value_date, value_text), None

    def achieved_share(self, baseline, target, target_date, direction, value_number, value_date):
        if target_date is None:
            return None
        if value_date is None:
            return 0.0
        return 1.0 if value_date <= target_date else 0.5

    def form_field(self, indicator):
        return forms.DateField(
            label=_("Date reached"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            help_text=_("Leave empty while the milestone is not reached."),
        )

    def form_initial(self, value):
        return value.value_date

    def stored(self, given):
        return {"value_date": given}


class TextKind(NoNumberKind):
    stores = "value_text"

    def is_rated(self, indicator) -> bool:
        return False

    def value_errors(self, indicator, value_number, value_date, value_text):
        if value_number is not None or value_date:
            return {"value_text": _("This indicator takes text.")}
        return {}

    def display(self, value_number, value_date, value_text: str) -> str:
        return value_text

    def trend_cell(self, value_number, value_date, value_text):
        return value_text or "", None

    def achieved_share(self, *args) -> None:
        return None

    def form_field(self, indicator):
        return forms.CharField(
            label=_("Value"), required=False, widget=forms.Textarea(attrs={"rows": 3})
        )

    def form_initial(self, value):
        return value.value_text

    def stored(self, given):
        return {"value_text": (given or "").strip()}


# Keyed by IndicatorType's values (models.py holds the choices; this module adds behaviour).
INDICATOR_TYPES: dict[str, IndicatorKind] = {
    "number": NumberKind(),
    "percentage": PercentageKind(),
    "yes_no": YesNoKind(),
    "milestone": MilestoneKind(),
    "text": TextKind(),
}


def indicator_type(kind: str) -> IndicatorKind:
    return INDICATOR_TYPES[kind]
