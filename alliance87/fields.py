"""A model field holding several values of one choice list (themes, Durban areas).

Stored as text wrapped in commas (",child_labour,forced_labour,") so that a plain
`__contains=",child_labour,"` finds rows on SQLite and PostgreSQL alike.
"""

from django import forms
from django.core import exceptions
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ChoiceListField(models.CharField):
    description = _("A list of choices")

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection) -> list[str]:
        return self.to_python(value)

    def to_python(self, value) -> list[str]:
        if value is None or value == "":
            return []
        if isinstance(value, list | tuple):
            return [str(item) for item in value]
        return [item for item in str(value).split(",") if item]

    def get_prep_value(self, value) -> str:
        items = self.to_python(value)
        return f",{','.join(items)}," if items else ""

    def value_to_string(self, obj) -> str:
        return ",".join(self.value_from_object(obj))

    def validate(self, value, model_instance) -> None:
        if not value and not self.blank:
            raise exceptions.ValidationError(self.error_messages["blank"], code="blank")
        allowed = {str(key) for key, _label in self.choices or []}
        for item in value:
            if item not in allowed:
                raise exceptions.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )

    def run_validators(self, value) -> None:
        # max_length applies to the stored text, not to the list.
        super().run_validators(self.get_prep_value(value))

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.choices,
            "required": not self.blank,
            "label": self.verbose_name,
            "help_text": self.help_text,
            "widget": forms.CheckboxSelectMultiple,
            "coerce": str,
        }
        defaults.update(kwargs)
        return forms.TypedMultipleChoiceField(
            choices=defaults["choices"],
            required=defaults["required"],
            label=defaults["label"],
            help_text=defaults["help_text"],
            widget=defaults["widget"],
            coerce=defaults["coerce"],
        )

    def get_choice_labels(self, value: list[str]) -> list[str]:
        labels = dict(self.choices or [])
        return [str(labels.get(item, item)) for item in value]


def has_choice(field_name: str, value: str) -> Q:
    """Rows whose list field `field_name` holds `value` (a Q for any model with the field)."""
    return Q(**{f"{field_name}__contains": f",{value},"})
