from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance87.access import is_secretariat
from alliance87.timezones import remember_default

from .forms import AccountSettingsForm, InvitationForm
from .services import user_invite, user_settings_update


@login_required
def invite(request: HttpRequest) -> HttpResponse:
    if not is_secretariat(request.user):
        raise PermissionDenied
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_invite(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data["role"],
                language=data["language"],
                countries=data["countries"],
                capacity=data["capacity"],
                invited_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": user.email})
            return redirect("accounts:invite")
    return render(request, "account/invitation_form.html", {"form": form})


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    """A person's own language and time zone."""
    user = request.user
    form = AccountSettingsForm(
        request.POST or None,
        initial={"language": user.language, "time_zone": user.time_zone},
        default_time_zone=remember_default(request, user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            user_settings_update(
                user=user,
                language=form.cleaned_data["language"],
                time_zone=form.cleaned_data["time_zone"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your settings are saved."))
            return redirect("accounts:settings")
    return render(request, "account/settings_form.html", {"form": form, "now": timezone.now()})
