from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance87.access import SignedInRequest, is_secretariat
from alliance87.timezones import remember_default

from .forms import AccountSettingsForm, ApiTokenForm, InvitationForm
from .models import ApiToken
from .services import user_invite, user_settings_update
from .tokens import api_token_create, api_token_revoke


@login_required
def invite(request: SignedInRequest) -> HttpResponse:
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
def account_settings(request: SignedInRequest) -> HttpResponse:
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


def _two_factor_missing(user) -> bool:
    """Staff use the API with the same second factor the pages ask of them."""
    return (
        settings.MFA_REQUIRED_FOR_STAFF
        and user.is_staff
        and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )


@login_required
def api_tokens(request: SignedInRequest) -> HttpResponse:
    """A person's API tokens: create one (shown once), see when each was used, revoke it."""
    user = request.user
    if _two_factor_missing(user):
        return redirect(
            f"{reverse('mfa_activate_totp')}?{urlencode({'next': request.get_full_path()})}"
        )
    form = ApiTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, plain = api_token_create(
                user=user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            created = {"token": token, "plain": plain}
            form = ApiTokenForm()
    response = render(
        request,
        "account/apitoken_list.html",
        {
            "form": form,
            "created": created,
            "tokens": ApiToken.objects.filter(user=user).order_by("-created_at"),
            "now": timezone.now(),
        },
    )
    # The token is on this page once: never kept by a cache or the browser's history.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def api_token_revoke_view(request: SignedInRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=pk, user=request.user).first()
    if token is None:
        raise Http404
    api_token_revoke(token=token, by=request.user)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:api_tokens")
