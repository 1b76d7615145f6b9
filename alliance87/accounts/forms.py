from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pathfinders.models import Country, FocalPoint

from . import roles
from .models import User


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=list(roles.ROLE_LABELS.items()))
    language = forms.ChoiceField(
        label=_("Language of their emails"), choices=settings.LANGUAGES, initial="en"
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Countries (focal points only)"),
        queryset=Country.objects.all(),
        required=False,
        help_text=_("A focal point sees and reports only for these countries."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    capacity = forms.ChoiceField(
        label=_("Capacity (focal points only)"),
        choices=FocalPoint.Capacity.choices,
        initial=FocalPoint.Capacity.GOVERNMENT,
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this email address already exists."))
        return email

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("role") == roles.FOCAL_POINT and not cleaned.get("countries"):
            self.add_error("countries", _("A focal point answers for at least one country."))
        return cleaned
