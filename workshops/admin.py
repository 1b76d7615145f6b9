from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    DOCUMENT_UPLOAD,
    AgendaItem,
    CoLead,
    Event,
    EventDocument,
    EventObjective,
    FollowUpAction,
    Minutes,
    Output,
    Participant,
)


class EventObjectiveInline(admin.TabularInline):
    model = EventObjective
    extra = 0


class AgendaItemInline(admin.StackedInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "title", "description", "day", "starts_at", "ends_at", "expected_output"]
    show_change_link = True


class EventDocumentInline(admin.TabularInline):
    model = EventDocument
    extra = 0
    fields = ["kind", "title", "file", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["content_type", "size", "uploaded_by", "uploaded_at"]
    can_delete = True
    formfield_overrides = {
        models.FileField: {"widget": AdminFileWidget(attrs=DOCUMENT_UPLOAD.widget_attrs())}
    }

    def has_add_permission(self, request, obj=None) -> bool:
        # New files go through the portal's upload page; a replaced file passes the same
        # checks (the model's), and its type and size are read from it.
        return False


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "kind",
        "start_date",
        "end_date",
        "city",
        "country",
        "status",
        "is_public",
    ]
    list_filter = ["kind", "status", "is_public", "country__ilo_region", "is_demo"]
    search_fields = ["title", "city", "venue", "purpose"]
    list_select_related = ["country"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["country", "organisers", "feeds_into", "gcg_meeting"]
    inlines = [EventObjectiveInline, AgendaItemInline, EventDocumentInline]
    show_full_result_count = False


class CoLeadInline(admin.TabularInline):
    model = CoLead
    extra = 0
    autocomplete_fields = ["organisation", "country", "holder_country", "holder_organisation"]


class OutputInline(admin.StackedInline):
    model = Output
    extra = 0
    fields = ["kind", "title", "text", "status", "decided_at", "decided_on", "gcg_decision"]
    readonly_fields = ["status", "decided_at", "decided_on", "gcg_decision"]


@admin.register(AgendaItem)
class AgendaItemAdmin(SimpleHistoryAdmin):
    list_display = ["title", "event", "order", "day", "starts_at"]
    list_filter = ["event__kind"]
    search_fields = ["title", "description", "event__title"]
    list_select_related = ["event"]
    autocomplete_fields = ["event"]
    inlines = [CoLeadInline]
    show_full_result_count = False


@admin.register(Output)
class OutputAdmin(SimpleHistoryAdmin):
    list_display = ["title", "event", "kind", "status", "decided_at", "decided_on"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "text", "event__title"]
    list_select_related = ["event", "decided_at"]
    autocomplete_fields = ["event", "agenda_item", "decided_at", "gcg_decision"]
    readonly_fields = ["decided_by"]
    show_full_result_count = False


@admin.register(FollowUpAction)
class FollowUpActionAdmin(SimpleHistoryAdmin):
    list_display = ["description", "owner", "due_date", "status", "event"]
    list_filter = ["status", "event__kind"]
    search_fields = ["description", "owner__name", "owner__acronym", "event__title"]
    list_select_related = ["owner", "event"]
    autocomplete_fields = ["event", "owner", "output", "carried_to"]
    readonly_fields = ["created_by"]
    date_hierarchy = "due_date"
    show_full_result_count = False


@admin.register(Participant)
class ParticipantAdmin(SimpleHistoryAdmin):
    list_display = ["display_name", "event", "organisation", "role", "invitation", "attendance"]
    list_filter = ["role", "invitation", "attendance"]
    search_fields = ["name", "email", "user__email", "organisation__name", "event__title"]
    list_select_related = ["event", "user", "organisation"]
    autocomplete_fields = ["event", "user", "organisation"]
    show_full_result_count = False


@admin.register(Minutes)
class MinutesAdmin(SimpleHistoryAdmin):
    list_display = ["event", "status", "circulated_on", "approved_at", "approved_on"]
    list_filter = ["status"]
    search_fields = ["event__title", "text"]
    list_select_related = ["event", "approved_at"]
    autocomplete_fields = ["event", "approved_at"]
    readonly_fields = ["drafted_by", "approval_recorded_by"]


@admin.register(EventDocument)
class EventDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "event", "kind", "content_type", "size", "uploaded_at"]
    list_filter = ["kind", "content_type"]
    search_fields = ["title", "event__title"]
    list_select_related = ["event"]
    readonly_fields = ["content_type", "size", "uploaded_by", "uploaded_at"]
    show_full_result_count = False
    formfield_overrides = EventDocumentInline.formfield_overrides

    def has_add_permission(self, request) -> bool:
        return False
