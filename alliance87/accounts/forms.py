from typing import Any, cast

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.core import context
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from alliance87.forms import CountryMultipleChoiceField
from alliance87.models import Country, FocalPoint
from alliance87.timezones import time_zone_choices, zone_label

from . import roles
from .models import User
from .services import TwoFactorLockedOut, two_factor_code_accept


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=list(roles.ROLE_LABELS.items()))
    language = forms.ChoiceField(
        label=_("Language of their emails"), choices=settings.LANGUAGES, initial="en"
    )
    countries = CountryMultipleChoiceField(
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

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("role") == roles.FOCAL_POINT and not cleaned.get("countries"):
            self.add_error("countries", _("A focal point answers for at least one country."))
        return cleaned


class AccountSettingsForm(forms.Form):
    """What a person sets for themselves. The time zone is a plain select box, its zones
    grouped by region; the empty choice follows their country."""

    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("The portal and the emails it sends you are written in this language."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_(
            "Every time the portal shows you is given in this time zone, and named. Deadlines "
            "do not move: they end at midnight in each country's own time zone."
        ),
        error_messages={
            "invalid_choice": _(
                "“%(value)s” is not a time zone name. Pick one from the list, e.g. Pacific/Fiji."
            )
        },
    )

    def __init__(self, *args, default_time_zone: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        automatic = _("Automatic: %(zone)s (the country you answer for, else UTC)") % {
            "zone": zone_label(default_time_zone)
        }
        cast(forms.ChoiceField, self.fields["time_zone"]).choices = [
            ("", automatic),
            *time_zone_choices(keep=self.initial.get("time_zone") or ""),
        ]


class TwoFactorCodeCheckMixin:
    """The second factor checked against the database alone, in every process alike.

    Wrong codes: each is stored as a security event, and once the stored ones reach the
    per-person rate of SIGN_IN_FAILURE_LIMITS every code is refused, the right one too, until
    the window passes. Used codes: a TOTP code is accepted once (services.two_factor_code_accept).
    allauth's own checks (a count of wrong codes and a memory of used codes, both in the cache)
    are replaced, not doubled: the cache may be down, or flushed by a restart.
    """

    user: User
    cleaned_data: dict[str, Any]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        try:
            authenticator = two_factor_code_accept(
                user=self.user, code=code, request=context.request
            )
        except TwoFactorLockedOut:
            # A refused code tells nothing and is not recorded, so trying on does not prolong
            # the lockout.
            raise get_account_adapter().validation_error("too_many_login_attempts") from None
        if authenticator is None:
            raise get_mfa_adapter().validation_error("incorrect_code")
        authenticator.user = self.user
        self.authenticator = authenticator
        return code


class TwoFactorAuthenticateForm(TwoFactorCodeCheckMixin, AuthenticateForm):
    """The code asked for after the password (MFA_FORMS["authenticate"])."""


class TwoFactorReauthenticateForm(TwoFactorCodeCheckMixin, ReauthenticateForm):
    """The code asked for to confirm a sensitive action (MFA_FORMS["reauthenticate"]); its
    wrong codes count together with those at sign-in."""


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What uses it, e.g. “National monitoring system”."),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=settings.API_TOKEN_MAX_DAYS,
        initial=90,
    )
