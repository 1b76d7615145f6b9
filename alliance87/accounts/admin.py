from typing import Any

from allauth.mfa import admin as allauth_mfa_admin
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from alliance87.models import FocalPoint
from alliance87.timezones import time_zone_choices

from .models import ApiRequest, ApiToken, SecurityEvent, User
from .services import user_send_invitation
from .tokens import api_token_revoke


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    time_zone = forms.ChoiceField(
        label=_("time zone"),
        required=False,
        help_text=User._meta.get_field("time_zone").help_text,
    )

    class Meta:
        model = User
        fields = "__all__"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [  # type: ignore[attr-defined]
            ("", _("From the country they answer for, else UTC")),
            *time_zone_choices(keep=self.instance.time_zone),
        ]


class FocalPointInline(admin.TabularInline):
    model = FocalPoint
    extra = 0
    autocomplete_fields = ["country"]
    verbose_name = _("country this person answers for as a focal point")
    verbose_name_plural = _("countries this person answers for as a focal point")


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "roles",
        "is_staff",
        "is_active",
        "last_login",
    ]
    list_filter = ["groups", "is_staff", "is_active", "language"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [FocalPointInline]
    actions = ["send_invitation"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "language", "time_zone")}),
        (_("Roles"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )
    filter_horizontal = ["groups"]
    # Recorded by the portal, never typed: a form re-saving them would cut their microseconds.
    readonly_fields = ["last_login", "date_joined"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def revert_disabled(self, request, obj=None) -> bool:
        # The history leaves the password out: restoring an old version would wipe it.
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    @admin.display(description=_("roles"))
    def roles(self, obj: User) -> str:
        return ", ".join(group.name for group in obj.groups.all())

    @admin.action(description=_("Send an invitation to set a password"))
    def send_invitation(self, request, queryset) -> None:
        for user in queryset:
            user_send_invitation(user=user, invited_by=request.user)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%d invitation sent.", "%d invitations sent.", count) % count,
            messages.SUCCESS,
        )


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "kind", "user", "email", "ip_address", "path"]
    list_filter = ["kind", "occurred_at"]
    search_fields = ["email", "ip_address", "path"]
    list_select_related = ["user"]
    date_hierarchy = "occurred_at"
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Every person's API tokens: the Secretariat sees them and revokes them; tokens are
    created only by their owners, on their account's API tokens page."""

    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "expires_at"]
    search_fields = ["name", "prefix", "user__email"]
    list_select_related = ["user"]
    readonly_fields = [f.name for f in ApiToken._meta.fields if f.name != "token_hash"]
    exclude = ["token_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["view"])
    def revoke(self, request, queryset) -> None:
        for token in queryset:
            api_token_revoke(token=token, by=request.user)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%d token revoked.", "%d tokens revoked.", count) % count,
            messages.SUCCESS,
        )


@admin.register(ApiRequest)
class ApiRequestAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "method", "path", "status", "user", "token", "ip_address"]
    list_filter = ["status", "method", "occurred_at"]
    search_fields = ["path", "ip_address", "user__email", "token__prefix"]
    list_select_related = ["user", "token"]
    date_hierarchy = "occurred_at"
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AuthenticatorForm(forms.ModelForm):
    """allauth's second factors, their fields named in the reader's language (allauth names
    them by their column, in English)."""

    class Meta:
        model = Authenticator
        fields = ["user", "type", "data", "created_at", "last_used_at"]
        labels = {
            "user": _("user"),
            "type": _("type"),
            "data": _("data"),
            "created_at": _("created at"),
            "last_used_at": _("last used at"),
        }


def _titled(filter_class: type[admin.FieldListFilter], title: Any) -> type[admin.FieldListFilter]:
    """A filter of a field, under `title` rather than the field's own name."""

    class Titled(filter_class):  # type: ignore[valid-type,misc]
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.title = title

    return Titled


admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(allauth_mfa_admin.AuthenticatorAdmin):
    form = AuthenticatorForm
    list_display = ("person", "kind", "created", "last_used")
    list_filter = (
        ("type", _titled(admin.ChoicesFieldListFilter, _("type"))),
        ("created_at", _titled(admin.DateFieldListFilter, _("created at"))),
        ("last_used_at", _titled(admin.DateFieldListFilter, _("last used at"))),
    )

    @admin.display(description=_("user"), ordering="user")
    def person(self, obj: Authenticator):
        return obj.user

    @admin.display(description=_("type"), ordering="type")
    def kind(self, obj: Authenticator) -> str:
        return obj.get_type_display()

    @admin.display(description=_("created at"), ordering="created_at")
    def created(self, obj: Authenticator):
        return obj.created_at

    @admin.display(description=_("last used at"), ordering="last_used_at")
    def last_used(self, obj: Authenticator):
        return obj.last_used_at
