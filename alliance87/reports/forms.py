from typing import Any

from django import forms

from .kinds import KINDS


class ReportRequestForm(forms.Form):
    # Evaluated per form, so kinds registered after start-up are offered too.
    kind = forms.ChoiceField(choices=lambda: [(code, kind.label) for code, kind in KINDS.items()])
    country = forms.CharField(required=False, max_length=2)
    event = forms.IntegerField(required=False, min_value=1)

    def parameters(self) -> dict[str, Any]:
        kind = KINDS[self.cleaned_data["kind"]]
        return {name: self.cleaned_data.get(name) for name in kind.parameters}

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        kind = KINDS.get(cleaned.get("kind", ""))
        if kind:
            for name in kind.parameters:
                if cleaned.get(name) in (None, ""):
                    self.add_error(
                        name,
                        forms.ValidationError("This report needs %(name)s.", params={"name": name}),
                    )
        return cleaned
