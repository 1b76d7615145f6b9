from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ActionGroup, Decision, GCGMeeting, Organisation


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "kind", "country"]
    list_filter = ["kind"]
    search_fields = ["name", "acronym"]
    list_select_related = ["country"]
    autocomplete_fields = ["country"]


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0


@admin.register(GCGMeeting)
class GCGMeetingAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "date", "is_virtual", "is_extraordinary"]
    search_fields = ["title"]
    inlines = [DecisionInline]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "date", "kind", "meeting"]
    list_filter = ["kind"]
    search_fields = ["reference", "text"]
    list_select_related = ["meeting"]


@admin.register(ActionGroup)
class ActionGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "parent", "status", "chair"]
    list_filter = ["kind", "status", "theme"]
    search_fields = ["name", "purpose"]
    list_select_related = ["parent", "chair"]
    autocomplete_fields = ["parent", "chair", "co_chair", "created_by_decision", "closed_by_decision"]
