from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from alliance87.forms import OfferedModelChoiceField
from governance.models import Decision, Organisation

from .models import DOCUMENT_UPLOAD, Event, EventDocument, FollowUpAction, Output
from .services import (
    meetings_approving_minutes,
    meetings_deciding_output,
    meetings_reviewing_actions,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _event_label(event: Event) -> str:
    return f"{event.title} ({date_format(event.start_date, 'MEDIUM_DATE_FORMAT')})"


class EventChoiceField(OfferedModelChoiceField):
    """Events a rule offers (meetings that may decide, approve or review), named with their date."""

    def label_from_instance(self, obj: Event) -> str:
        return _event_label(obj)


class OrganisationChoiceField(forms.ModelChoiceField):
    """Organisations named with their acronym."""

    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.acronym})" if obj.acronym else obj.name


def _model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """A form's record choice field, as the type checker cannot tell it from its name."""
    return cast(forms.ModelChoiceField, form.fields[name])


def _offered_field(form: forms.BaseForm, name: str) -> OfferedModelChoiceField:
    return cast(OfferedModelChoiceField, form.fields[name])


class OutputDecisionForm(forms.Form):
    ADOPT, REJECT, DEFER = "adopt", "reject", "defer"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ADOPT, _("Adopted")), (REJECT, _("Rejected")), (DEFER, _("Deferred"))],
        widget=forms.RadioSelect,
    )
    meeting = EventChoiceField(
        label=_("At the meeting"), queryset=Event.objects.all(), empty_label=None
    )
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the decision is deferred: say why and until when."),
    )
    create_decision = forms.BooleanField(
        label=_("Record it as a new GCG decision"),
        required=False,
        help_text=_(
            "The decision takes the next number of the meeting: GCG/21/1 is the first "
            "decision of meeting 21."
        ),
    )
    gcg_decision = OfferedModelChoiceField(
        label=_("Or link an existing GCG decision"),
        queryset=Decision.objects.all(),
        required=False,
        empty_label=_("None"),
    )

    def __init__(self, *args, output: Output, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        meetings = meetings_deciding_output(output)
        _offered_field(self, "meeting").offered = meetings
        if not meetings.exists():
            self.fields["meeting"].help_text = _(
                "No GCG meeting has been held since %(date)s: an output is adopted, rejected or "
                "deferred only at a GCG meeting held on or after its event."
            ) % {"date": date_format(output.event.start_date, "LONG_DATE_FORMAT")}
        else:
            self.fields["meeting"].help_text = _(
                "Only GCG meetings held on or after the event are offered."
            )
        _offered_field(self, "gcg_decision").offered = (
            Decision.objects.filter(
                workshop_output__isnull=True,
                meeting__event__in=meetings,
                kind=Decision.Kind.ADOPT_OUTPUT,
            )
            .select_related("meeting")
            .order_by("meeting__number", "number")
        )
        self.fields["gcg_decision"].help_text = _(
            "Only the decisions of the meeting chosen above can record the adoption."
        )
        # Suggest the first meeting after the event, or after the one that deferred it.
        after = (
            output.decided_at.start_date
            if output.decided_at is not None
            else output.event.start_date
        )
        suggested = meetings.filter(start_date__gt=after).first() or meetings.first()
        if suggested is None:
            return
        self.initial.setdefault("meeting", suggested)
        if suggested.start_date <= timezone.localdate():
            self.initial.setdefault("decided_on", suggested.start_date)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("decision") != self.ADOPT and (
            data.get("create_decision") or data.get("gcg_decision")
        ):
            raise ValidationError(_("Only an adopted output becomes a GCG decision."))
        if data.get("create_decision") and data.get("gcg_decision"):
            self.add_error(
                "gcg_decision", _("Either link an existing GCG decision or create one, not both.")
            )
        if data.get("decision") == self.DEFER and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why the decision is deferred."))
        return data


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUpAction
        fields = ["description", "owner", "due_date", "output"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "due_date": DateInput(),
        }
        field_classes = {"owner": OrganisationChoiceField}

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "owner").queryset = Organisation.objects.order_by("name")
        output = _model_choice(self, "output")
        output.queryset = Output.objects.filter(event=event).order_by("pk")
        output.required = False
        output.empty_label = _("Not tied to one output")


class FollowUpStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FollowUpAction.Status.choices)
    completed_on = forms.DateField(
        label=_("Completed on"),
        required=False,
        widget=DateInput(),
        help_text=_("For a done action; today when left empty."),
    )


class DocumentForm(forms.ModelForm):
    class Meta:
        model = EventDocument
        fields = ["kind", "title", "file"]

        widgets = {"file": forms.ClearableFileInput(attrs=DOCUMENT_UPLOAD.widget_attrs())}


class MinutesForm(forms.Form):
    text = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 16}))


class MinutesApprovalForm(forms.Form):
    meeting = EventChoiceField(
        label=_("Approved at the meeting"), queryset=Event.objects.all(), empty_label=None
    )
    approved_on = forms.DateField(label=_("Date of the approval"), widget=DateInput())

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        meetings = meetings_approving_minutes(event)
        _offered_field(self, "meeting").offered = meetings
        if meetings.exists():
            self.fields["meeting"].help_text = _(
                "Only later meetings of the same body are offered."
            )
        else:
            self.fields["meeting"].help_text = _(
                "No later meeting of the same body has been held yet: minutes are approved at a "
                "later meeting of the body that held this one."
            )


class CarryForwardForm(forms.Form):
    to_event = EventChoiceField(
        label=_("Into the agenda of"), queryset=Event.objects.all(), empty_label=None
    )

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        meetings = meetings_reviewing_actions(event)
        _offered_field(self, "to_event").offered = meetings
        gcg = event.kind == Event.Kind.GCG_MEETING
        if meetings.exists():
            self.fields["to_event"].help_text = (
                _("Only later GCG meetings are offered.")
                if gcg
                else _(
                    "Only later meetings of the same kind, the event this one feeds into and "
                    "GCG meetings are offered."
                )
            )
        else:
            self.fields["to_event"].help_text = (
                _(
                    "No later GCG meeting is recorded yet: the open actions of a GCG meeting "
                    "are reviewed at the next GCG meeting. Add it as an event with its GCG "
                    "meeting number first."
                )
                if gcg
                else _(
                    "No later meeting of the same kind, event this one feeds into or GCG "
                    "meeting is recorded yet: add the next meeting first."
                )
            )
