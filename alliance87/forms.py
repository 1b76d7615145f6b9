"""Form pieces every app shares."""

from django import forms
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator


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

    choices = property(_get_choices, forms.ChoiceField.choices.fset)
