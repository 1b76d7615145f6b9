from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from alliance87.admin import HTTPS_URLS, EnglishOriginalMixin
from alliance87.translated import shown_text, translation_columns

from . import services
from .models import (
    GROUP_TEXTS,
    ActionGroup,
    CallForInterest,
    Candidate,
    Constituency,
    ContactPerson,
    Decision,
    Engagement,
    GCGMeeting,
    GroupActivity,
    GroupClosureProposal,
    GroupMembership,
    Membership,
    OfficeHolder,
    Organisation,
    Partner,
    PartnerService,
    Seat,
    Workplan,
)
from .services import decision_record


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0
    fields = ["name", "position", "email", "phone", "user"]
    autocomplete_fields = ["user"]


class ReadOnlyMembershipInline(admin.TabularInline):
    """Terms are listed here and changed on their own page, where the seat rules check each
    one against the others (rows of one inline form are saved without seeing each other)."""

    model = Membership
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class OrganisationMembershipInline(ReadOnlyMembershipInline):
    fields = ["constituency", "seat", "role", "term_start", "term_end", "left_on"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "acronym", "kind", "country", "is_demo"]
    list_filter = ["kind", "is_demo", "country__ilo_region"]
    search_fields = ["name", "acronym", "iati_identifier"]
    list_select_related = ["country"]
    autocomplete_fields = ["country"]
    inlines = [ContactPersonInline, OrganisationMembershipInline]
    show_full_result_count = False


@admin.register(ContactPerson)
class ContactPersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "position", "email", "user"]
    list_filter = ["organisation__kind", "is_demo"]
    search_fields = ["name", "email", "organisation__name", "organisation__acronym"]
    list_select_related = ["organisation", "user"]
    autocomplete_fields = ["organisation", "user"]


class DecisionInline(admin.TabularInline):
    """Decisions are added one at a time (GCG decisions), so each gets its number from the service."""

    model = Decision
    extra = 0
    fields = ["reference", "date", "kind", "text", "review_note"]
    readonly_fields = ["reference", "date"]
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(GCGMeeting)
class GCGMeetingAdmin(SimpleHistoryAdmin):
    """The GCG side of a meeting; the meeting itself (title, date, place) is edited as its event,
    where a GCG meeting is created by giving the event its number."""

    list_display = ["number", "title", "date", "location", "is_virtual", "is_extraordinary"]
    list_filter = ["is_virtual", "is_extraordinary", "is_demo"]
    search_fields = ["title", "location", "summary"]
    readonly_fields = ["event", "title", "date", "location", "is_virtual"]
    date_hierarchy = "date"
    inlines = [DecisionInline]

    def has_add_permission(self, request) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        # The number names every decision of the meeting: it is given once, with the event.
        return [*self.readonly_fields, "number"]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "date", "kind", "meeting"]
    list_filter = ["kind", "is_demo", ("review_note", admin.EmptyFieldListFilter)]
    search_fields = ["reference", "text"]
    list_select_related = ["meeting"]
    autocomplete_fields = ["meeting"]
    readonly_fields = ["reference", "date"]
    date_hierarchy = "date"

    def get_readonly_fields(self, request, obj=None):
        # The meeting gives the reference and the date: a recorded decision stays at its meeting.
        return [*self.readonly_fields, "meeting"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = decision_record(meeting=obj.meeting, kind=obj.kind, text=obj.text)
        if obj.review_note or obj.is_demo:
            Decision.objects.filter(pk=created.pk).update(
                review_note=obj.review_note, is_demo=obj.is_demo
            )
        obj.pk, obj.number, obj.reference, obj.date = (
            created.pk,
            created.number,
            created.reference,
            created.date,
        )
        obj._state.adding = False


class SeatInline(TranslationTabularInline):
    model = Seat
    extra = 0


@admin.register(Constituency)
class ConstituencyAdmin(EnglishOriginalMixin, TranslationAdmin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "seat_quota",
        "max_per_region",
        "term_years",
        "max_consecutive_terms",
        "max_change_share",
        "order",
    ]
    list_editable = [
        "seat_quota",
        "max_per_region",
        "term_years",
        "max_consecutive_terms",
        "max_change_share",
    ]
    search_fields = ["name", "code"]
    list_filter = ["term_years"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [SeatInline]


class SeatMembershipInline(ReadOnlyMembershipInline):
    fields = ["organisation", "role", "term_start", "term_end", "left_on"]


@admin.register(Seat)
class SeatAdmin(EnglishOriginalMixin, TranslationAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "constituency", "number", "region"]
    list_filter = ["constituency", "region"]
    search_fields = ["label", "constituency__name"]
    list_select_related = ["constituency"]
    inlines = [SeatMembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = [
        "organisation",
        "constituency",
        "seat",
        "role",
        "term_start",
        "term_end",
        "left_on",
    ]
    list_filter = ["role", "constituency", "is_demo"]
    search_fields = ["organisation__name", "organisation__acronym", "notes"]
    list_select_related = ["organisation", "constituency", "seat__constituency"]
    autocomplete_fields = ["organisation", "seat", "appointed_by_decision", "representatives"]
    date_hierarchy = "term_start"

    def save_model(self, request, obj, form, change) -> None:
        services.membership_save(membership=obj)

    def get_deleted_objects(self, objs, request):
        # A membership that an office term needs is protected like a record another points to.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return (
            deleted,
            counts,
            perms_needed,
            [
                *protected,
                *services.office_terms_relying_on(objs),
            ],
        )


@admin.register(OfficeHolder)
class OfficeHolderAdmin(SimpleHistoryAdmin):
    list_display = ["office", "organisation", "representative", "term_start", "term_end"]
    list_filter = ["office", "is_demo"]
    search_fields = ["organisation__name", "organisation__acronym", "representative__name"]
    list_select_related = ["organisation", "representative"]
    autocomplete_fields = ["organisation", "representative", "appointed_by_decision"]

    def save_model(self, request, obj, form, change) -> None:
        services.office_holder_save(holder=obj)


class CandidateInline(admin.TabularInline):
    model = Candidate
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(CallForInterest)
class CallForInterestAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "status", "opens_on", "closes_on", "vacancy_on"]
    list_filter = ["status", "office"]
    search_fields = ["notes", "seat__label", "seat__constituency__name"]
    list_select_related = ["seat__constituency"]
    autocomplete_fields = ["seat"]
    readonly_fields = ["opened_by", "appointed_membership", "appointed_office_holder"]
    inlines = [CandidateInline]


@admin.register(Candidate)
class CandidateAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "call", "received_on", "status"]
    list_filter = ["status"]
    search_fields = ["organisation__name", "organisation__acronym", "statement"]
    list_select_related = ["organisation", "call__seat__constituency"]
    autocomplete_fields = ["organisation", "call"]


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    autocomplete_fields = ["organisation"]


class WorkplanInline(admin.StackedInline):
    model = Workplan
    extra = 0


class GroupActivityInline(admin.TabularInline):
    formfield_overrides = HTTPS_URLS
    model = GroupActivity
    extra = 0
    fields = ["date", "kind", "title", "link"]


class ClosureProposalInline(admin.TabularInline):
    model = GroupClosureProposal
    extra = 0
    fields = ["proposed_on", "status", "reason", "decision"]
    autocomplete_fields = ["decision"]


@admin.register(ActionGroup)
class ActionGroupAdmin(EnglishOriginalMixin, TranslationAdmin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "kind",
        "parent",
        "status",
        "chair",
        "launched_on",
        "flagged_inactive_on",
    ]
    list_filter = ["kind", "status", "theme", "is_demo"]
    # Found by its texts in any of the three languages, whatever the language of the person
    # searching (the list and the group fields' autocomplete).
    search_fields = translation_columns(GROUP_TEXTS)
    list_select_related = ["parent", "chair"]
    autocomplete_fields = [
        "parent",
        "chair",
        "co_chair",
        "created_by_decision",
        "closed_by_decision",
        "sponsors",
    ]
    inlines = [GroupMembershipInline, WorkplanInline, GroupActivityInline, ClosureProposalInline]

    def get_ordering(self, request):
        # By the names shown in the admin's language (else the English), not by that
        # language's column alone, where untranslated groups would come first in no order.
        return ["kind", shown_text("name")]


@admin.register(GroupMembership)
class GroupMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "group", "joined_on", "left_on"]
    list_filter = ["group__kind", "group__status"]
    search_fields = ["organisation__name", "organisation__acronym", "group__name"]
    list_select_related = ["organisation", "group"]
    autocomplete_fields = ["organisation", "group"]


@admin.register(Workplan)
class WorkplanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "group", "period_start", "period_end"]
    list_filter = ["group__kind"]
    search_fields = ["title", "outcomes", "group__name"]
    list_select_related = ["group"]
    autocomplete_fields = ["group"]


@admin.register(GroupActivity)
class GroupActivityAdmin(SimpleHistoryAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["date", "title", "kind", "group"]
    list_filter = ["kind", "group__kind", "is_demo"]
    search_fields = ["title", "notes", "group__name"]
    list_select_related = ["group"]
    autocomplete_fields = ["group"]
    date_hierarchy = "date"


@admin.register(GroupClosureProposal)
class GroupClosureProposalAdmin(SimpleHistoryAdmin):
    list_display = ["group", "proposed_on", "status", "decision"]
    list_filter = ["status"]
    search_fields = ["group__name", "reason"]
    list_select_related = ["group", "decision"]
    autocomplete_fields = ["group", "decision"]


class EngagementInline(admin.TabularInline):
    model = Engagement
    extra = 0
    fields = ["date", "kind", "notes"]


class PartnerServiceInline(admin.TabularInline):
    model = PartnerService
    extra = 0
    fields = ["date", "kind", "notes"]


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "joined_on", "is_demo"]
    list_filter = ["organisation__kind", "organisation__country__ilo_region", "is_demo"]
    search_fields = ["organisation__name", "organisation__acronym"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    date_hierarchy = "joined_on"
    inlines = [EngagementInline, PartnerServiceInline]
    show_full_result_count = False


@admin.register(Engagement)
class EngagementAdmin(SimpleHistoryAdmin):
    list_display = ["partner", "kind", "date"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["partner__organisation__name", "partner__organisation__acronym", "notes"]
    list_select_related = ["partner__organisation"]
    autocomplete_fields = ["partner"]
    date_hierarchy = "date"
    show_full_result_count = False


@admin.register(PartnerService)
class PartnerServiceAdmin(SimpleHistoryAdmin):
    list_display = ["partner", "kind", "date"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["partner__organisation__name", "partner__organisation__acronym", "notes"]
    list_select_related = ["partner__organisation"]
    autocomplete_fields = ["partner"]
    date_hierarchy = "date"
    show_full_result_count = False
