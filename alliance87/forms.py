"""Form pieces every app shares."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.formats import get_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from alliance87.countries import name_sort_key
from alliance87.translated import RecordText, record_text


class _OfferedChoices:
    """What ModelChoiceIterator reads from its field, with the offered records as the queryset."""

    def __init__(self, field: forms.ModelChoiceField, offered: QuerySet) -> None:
        self.field = field
        self.queryset = offered
        self.empty_label = field.empty_label

    def prepare_value(self, obj):
        return self.field.prepare_value(obj)

    def label_from_instance(self, obj) -> str:
        return self.field.label_from_instance(obj)


class OfferedModelChoiceField(forms.ModelChoiceField):
    """Offers only the records a rule allows, yet accepts any record of ``queryset``.

    A record the rule refuses (a stale page, a crafted request) then reaches the service, whose
    refusal names the rule, instead of a bare "Select a valid choice".
    """

    def __init__(self, *args, offered: QuerySet | None = None, **kwargs) -> None:
        self._offered = offered
        super().__init__(*args, **kwargs)

    @property
    def offered(self) -> QuerySet | None:
        return self._offered

    @offered.setter
    def offered(self, queryset: QuerySet) -> None:
        self._offered = queryset
        self.widget.choices = self.choices

    def _get_choices(self):
        if self._offered is None:
            return super()._get_choices()
        return ModelChoiceIterator(_OfferedChoices(self, self._offered))

    # As Django's ModelChoiceField: ChoiceField.choices is a property (the stub declares its value).
    choices = property(_get_choices, forms.ChoiceField.choices.fset)  # type: ignore[union-attr]


class CountryChoiceIterator(ModelChoiceIterator):
    """Countries by their names in the reader's language (Country.__str__), in the reader's
    alphabetical order: the database orders them by the stored English name."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        choices = [self.choice(country) for country in self.queryset]
        yield from sorted(choices, key=lambda choice: name_sort_key(str(choice[1])))


class CountryMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = CountryChoiceIterator


class RecordTextSelect(forms.Select):
    """A select of records named by a recorded text (see `name_by_record_text`): an option
    shown in English for want of a translation is marked lang="en"."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if isinstance(label, RecordText) and label.lang:
            option["attrs"]["lang"] = label.lang
        return option


def name_by_record_text(field: forms.ModelChoiceField, text: str) -> None:
    """Names the records a choice field offers by their `text` (a field each app's
    translation.py registers) in the reader's language, else in English, marked so."""
    widget = RecordTextSelect(attrs=field.widget.attrs)
    widget.is_required = field.widget.is_required
    field.widget = widget
    # The label is a RecordText, which the widget reads (a str to Django's own widgets).
    field.label_from_instance = lambda obj: record_text(obj, text)  # type: ignore[method-assign,assignment,return-value]
    widget.choices = field.choices  # type: ignore[assignment]


# --- Numbers typed in the reader's convention ------------------------------------------------

# Blank spaces that group thousands in every language (French writes 1 234,5; a phone may
# type a no-break or a narrow no-break space).
_SPACES = " \u00a0\u202f\u2009"
# Marks a language groups thousands with besides its own THOUSAND_SEPARATOR and a space:
# Spanish writes 1.234,5 as often as 1 234,5 (Django's Spanish format names only the space).
_EXTRA_GROUP_MARKS = {"es": "."}
_MINUS = "-\u2212"


def _marks() -> tuple[str, str]:
    """The active language's decimal mark and the marks it groups thousands with."""
    decimal_mark = get_format("DECIMAL_SEPARATOR")
    group_marks = _SPACES + get_format("THOUSAND_SEPARATOR")
    group_marks += _EXTRA_GROUP_MARKS.get((get_language() or "").split("-")[0], "")
    return decimal_mark, "".join(dict.fromkeys(m for m in group_marks if m != decimal_mark))


def number_example() -> str:
    """1 234,5 in French, 1,234.5 in English: how this page writes a number."""
    return number_format(Decimal("1234.5"), decimal_pos=1, force_grouping=True)


def parse_number(text: str) -> Decimal:
    """A number typed in the active language's convention: its decimal mark, thousands grouped
    by three with its grouping marks or a space. Anything that could be read two ways (5.5 in
    French, 1.5 in Spanish, 5,5 in English) is refused, never guessed."""
    decimal_mark, group_marks = _marks()
    value = text.strip()
    negative = value[:1] in _MINUS
    if negative:
        value = value[1:].lstrip(_SPACES)
    groups = "[" + re.escape(group_marks) + "]"
    pattern = (
        rf"(?P<whole>\d+|\d{{1,3}}(?:{groups}\d{{3}})+)?(?:{re.escape(decimal_mark)}(?P<part>\d+))?"
    )
    match = re.fullmatch(pattern, value)
    if not value or match is None or not (match["whole"] or match["part"]):
        other = "." if decimal_mark == "," else ","
        if re.fullmatch(rf"[\d{re.escape(group_marks + other + decimal_mark)}]+", value):
            raise ValidationError(
                _(
                    "This number can be read more than one way. Write decimals after "
                    "“%(mark)s” and group thousands by three, as in %(example)s."
                ),
                code="ambiguous",
                params={"mark": decimal_mark, "example": number_example()},
            )
        raise ValidationError(
            _("Enter a number, such as %(example)s."),
            code="invalid",
            params={"example": number_example()},
        )
    digits = re.sub(r"\D", "", match["whole"] or "0")
    number = Decimal(f"{digits}.{match['part']}" if match["part"] else digits)
    return -number if negative else number


class LocalizedDecimalField(forms.DecimalField):
    """A number in the reader's convention, typed in a text box (a number box reads "5,5" as
    55 in some browsers and refuses grouping): shown and read with the active language's
    marks; an ambiguous or malformed value is an error beside the field."""

    widget = forms.TextInput

    def __init__(self, **kwargs) -> None:
        kwargs["localize"] = True
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int):
            return Decimal(value)
        return parse_number(str(value))

    def widget_attrs(self, widget):
        # No step/min/max: they belong to number boxes.
        return forms.Field.widget_attrs(self, widget)


class LocalizedIntegerField(LocalizedDecimalField):
    """A whole number in the reader's convention (1 234 in French, 1.234 in Spanish)."""

    default_error_messages = {"whole": _("Enter a whole number, such as %(example)s.")}

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.widget.attrs["inputmode"] = "numeric"
        # Whole numbers are checked in to_python; min_value and max_value still apply.
        self.validators = [v for v in self.validators if not isinstance(v, DecimalValidator)]

    def to_python(self, value):
        number = super().to_python(value)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValidationError(
                self.error_messages["whole"],
                code="whole",
                params={"example": number_format(1234, force_grouping=True)},
            )
        return int(number)

    def validate(self, value):
        forms.Field.validate(self, value)
