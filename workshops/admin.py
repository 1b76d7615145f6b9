from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from simple_history.admin import SimpleHistoryAdmin

from alliance87.admin import EnglishOriginalMixin
from governance.models import GCGMeeting

from . import services
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
    office_holders_on,
)


class EventObjectiveInline(TranslationTabularInline):
    model = EventObjective
    extra = 0


class AgendaItemInline(TranslationStackedInline):
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


class EventAdminForm(forms.ModelForm):
    """A GCG meeting is an event that carries its GCG meeting number."""

    gcg_number = forms.IntegerField(
        label=_("GCG meeting number"),
        required=False,
        min_value=1,
        help_text=_(
            "For a GCG meeting: its number, which names its decisions (GCG/21/1 is the first "
            "decision of meeting 21)."
        ),
    )

    class Meta:
        model = Event
        fields = "__all__"  # noqa: DJ007 (the admin's fieldsets choose)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.gcg_record = (
            GCGMeeting.objects.filter(event=self.instance).first() if self.instance.pk else None
        )
        if self.gcg_record is not None:
            self.fields["gcg_number"].initial = self.gcg_record.number

    def clean(self):
        data = super().clean()
        kind, number = data.get("kind"), data.get("gcg_number")
        if kind == Event.Kind.GCG_MEETING and not number:
            self.add_error("gcg_number", _("A GCG meeting carries its GCG meeting number."))
        elif number and kind != Event.Kind.GCG_MEETING:
            self.add_error("gcg_number", _("Only a GCG meeting carries a GCG meeting number."))
        elif number:
            self._check_gcg_number(number, data.get("start_date"))
        return data

    def _check_gcg_number(self, number: int, start_date) -> None:
        """The checks of services.event_set_gcg_number, beside the field, before anything is
        saved: the number is free, fixed once decisions carry it, and in date order."""
        taken = (
            GCGMeeting.objects.filter(number=number)
            .exclude(event=self.instance.pk)
            .select_related("event")
            .first()
        )
        if taken is not None:
            self.add_error(
                "gcg_number",
                _("GCG meeting %(number)s is already recorded (%(title)s).")
                % {"number": number, "title": taken.event.title},
            )
            return
        record = self.gcg_record
        if record is not None and record.number != number and record.decisions.exists():
            self.add_error(
                "gcg_number",
                _(
                    "The number names the meeting's decisions (GCG/%(number)s/…); it cannot "
                    "change once decisions are recorded."
                )
                % {"number": record.number},
            )
            return
        if start_date is None:
            return
        meeting = GCGMeeting(pk=record.pk if record else None, number=number, date=start_date)
        try:
            meeting.clean()
        except ValidationError as error:
            self.add_error("gcg_number", error.message_dict["number"])


@admin.register(Event)
class EventAdmin(EnglishOriginalMixin, TranslationAdmin, SimpleHistoryAdmin):
    form = EventAdminForm
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
    autocomplete_fields = ["country", "organisers", "feeds_into"]
    inlines = [EventObjectiveInline, AgendaItemInline, EventDocumentInline]
    show_full_result_count = False

    def save_model(self, request, obj, form, change) -> None:
        # The event and its GCG meeting number are saved together, or neither is.
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if form.cleaned_data.get("gcg_number"):
                services.event_set_gcg_number(event=obj, number=form.cleaned_data["gcg_number"])


class CoLeadForm(forms.ModelForm):
    """An office named without its holder takes the holder from the office-holder records."""

    class Meta:
        model = CoLead
        fields = [
            "order",
            "kind",
            "organisation",
            "country",
            "role",
            "holder_country",
            "holder_organisation",
        ]

    def __init__(self, *args, agenda_item=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.agenda_item = agenda_item

    def clean(self):
        data = super().clean()
        item = self.agenda_item
        if (
            data.get("kind") == CoLead.Kind.OFFICE
            and data.get("role")
            and not data.get("holder_country")
            and not data.get("holder_organisation")
            and item is not None
        ):
            day = item.day or item.event.start_date
            record = office_holders_on(day).get(data["role"])
            if record is None:
                self.add_error(
                    "holder_organisation",
                    _("No office-holder record covers %(date)s: name the holder.") % {"date": day},
                )
            else:
                data["holder_organisation"] = record.organisation
                self.instance.holder_organisation = record.organisation
        return data


class CoLeadInline(admin.TabularInline):
    model = CoLead
    form = CoLeadForm
    extra = 0
    autocomplete_fields = ["organisation", "country", "holder_country", "holder_organisation"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(
            "BoundCoLeadForm",
            (formset.form,),
            {"__init__": _bind_item(formset.form.__init__, obj)},
        )
        return formset


def _bind_item(init, item):
    def __init__(self, *args, **kwargs):
        init(self, *args, agenda_item=item, **kwargs)

    return __init__


class OutputInline(TranslationStackedInline):
    model = Output
    extra = 0
    fields = ["kind", "title", "text", "status", "decided_at", "decided_on", "gcg_decision"]
    readonly_fields = ["status", "decided_at", "decided_on", "gcg_decision"]


@admin.register(AgendaItem)
class AgendaItemAdmin(EnglishOriginalMixin, TranslationAdmin, SimpleHistoryAdmin):
    list_display = ["title", "event", "order", "day", "starts_at"]
    list_filter = ["event__kind"]
    search_fields = ["title", "description", "event__title"]
    list_select_related = ["event"]
    autocomplete_fields = ["event"]
    inlines = [CoLeadInline]
    show_full_result_count = False

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        item = form.instance
        holders = office_holders_on(item.day or item.event.start_date)
        for co_lead in item.co_leads.filter(kind=CoLead.Kind.OFFICE):
            record = co_lead.office_record_mismatch(holders)
            if record is not None:
                messages.warning(
                    request,
                    _(
                        "“%(label)s” does not match the office-holder records: the %(office)s "
                        "on that date was %(holder)s."
                    )
                    % {
                        "label": co_lead.label,
                        "office": record.get_office_display(),
                        "holder": record.organisation,
                    },
                )


@admin.register(Output)
class OutputAdmin(EnglishOriginalMixin, TranslationAdmin, SimpleHistoryAdmin):
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

    @admin.display(description=_("name"))
    def display_name(self, obj: Participant) -> str:
        return obj.display_name


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
