import datetime
from typing import cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from alliance87.forms import OfferedModelChoiceField, name_by_record_text
from alliance87.translated import shown_text

from .models import (
    ActionGroup,
    CallForInterest,
    Candidate,
    Decision,
    GCGMeeting,
    GroupActivity,
    Organisation,
    Seat,
)
from .rotation import term_end_for
from .services import OFFICE_TERM_YEARS, current_member_organisations, meetings_deciding_on


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """A form's record choice field, as the type checker cannot tell it from its name."""
    return cast(forms.ModelChoiceField, form.fields[name])


def _choice(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class CandidateChoiceField(forms.ModelChoiceField):
    """A call's candidates, each named by its organisation."""

    def label_from_instance(self, obj: Candidate) -> str:
        return obj.organisation.name


class DecisionForm(forms.ModelForm):
    """The GCG decision that settles a proposal (creating or closing a group).

    Only meetings held since the proposal are offered; the decision takes its reference and date
    from the meeting chosen.
    """

    meeting = OfferedModelChoiceField(label=_("Meeting"), queryset=GCGMeeting.objects.all())

    class Meta:
        model = Decision
        fields = ["meeting", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, raised_on=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = cast(OfferedModelChoiceField, self.fields["meeting"])
        offered = meetings_deciding_on(raised_on or datetime.date.min).order_by("-number")
        field.offered = offered
        field.help_text = _(
            "The GCG meeting that took the decision; its number and date give the reference."
        )
        if raised_on and not offered.exists():
            field.help_text = _(
                "No GCG meeting has been held since the proposal of %(date)s; record the "
                "decision once the meeting that takes it has been held."
            ) % {"date": raised_on}


class GroupProposalForm(forms.ModelForm):
    sponsors = forms.ModelMultipleChoiceField(
        label=_("Sponsoring member organisations"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least two current GCG member organisations."),
    )

    class Meta:
        model = ActionGroup
        fields = [
            "name",
            "kind",
            "parent",
            "theme",
            "purpose",
            "terms_of_reference",
            "sponsors",
            "chair",
            "co_chair",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "terms_of_reference": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "sponsors").queryset = current_member_organisations().order_by("name")
        _model_choice(self, "parent").queryset = ActionGroup.objects.filter(
            kind=ActionGroup.Kind.ACTION_GROUP,
            status__in=[ActionGroup.Status.ACTIVE, ActionGroup.Status.INACTIVE],
        ).order_by(shown_text("name"))
        name_by_record_text(_model_choice(self, "parent"), "name")
        self.fields["terms_of_reference"].required = True
        self.fields["purpose"].required = True
        for name in ("chair", "co_chair"):
            _model_choice(self, name).queryset = Organisation.objects.order_by("name")

    def _post_clean(self) -> None:
        # The name typed is the English one, whatever the reader's language (services.
        # group_propose): it must differ from the other groups' English names.
        with override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            super()._post_clean()  # type: ignore[misc]  # Django's, not in its stubs

    def clean_sponsors(self):
        sponsors = self.cleaned_data["sponsors"]
        if len(sponsors) < 2:
            raise forms.ValidationError(_("Choose at least two sponsoring member organisations."))
        return sponsors

    def clean(self):
        data = super().clean()
        if data.get("kind") == ActionGroup.Kind.ACTION_GROUP and data.get("parent"):
            self.add_error("parent", _("An action group does not sit under another group."))
        return data


class ActivityForm(forms.ModelForm):
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")

    class Meta:
        model = GroupActivity
        fields = ["kind", "date", "title", "notes", "link"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(
                _("An activity is logged once it happened; the date is in the future.")
            )
        return date


class ClosureProposalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why the group should close: its last activity, what remains of its work."),
    )


class CallForInterestForm(forms.ModelForm):
    class Meta:
        model = CallForInterest
        fields = ["seat", "office", "vacancy_on", "opens_on", "closes_on", "notes"]
        widgets = {
            "vacancy_on": DateInput(),
            "opens_on": DateInput(),
            "closes_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "seat": _("For a GCG seat; leave empty for the Chair or Deputy Chair."),
            "office": _("For the Chair or Deputy Chair; leave empty for a seat."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "seat").queryset = Seat.objects.select_related("constituency")
        self.fields["opens_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        if bool(data.get("seat")) == bool(data.get("office")):
            self.add_error("seat", _("Choose either a seat or an office."))
        opens_on, closes_on, vacancy_on = (
            data.get("opens_on"),
            data.get("closes_on"),
            data.get("vacancy_on"),
        )
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("A call cannot close before it opens."))
        if closes_on and vacancy_on and closes_on > vacancy_on:
            self.add_error("closes_on", _("The call must close before the vacancy starts."))
        return data

    def _post_clean(self) -> None:
        # The model's clean() repeats the seat-or-office check above; the service runs it again.
        pass


class CandidateForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = ["organisation", "received_on", "statement"]
        widgets = {"received_on": DateInput(), "statement": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, call: CallForInterest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.call = call
        _model_choice(self, "organisation").queryset = Organisation.objects.order_by("name")
        self.fields["received_on"].initial = timezone.localdate()

    def clean_organisation(self):
        organisation = self.cleaned_data["organisation"]
        if self.call.candidates.filter(organisation=organisation).exists():
            raise forms.ValidationError(
                _("This organisation is already a candidate for this call.")
            )
        return organisation


class AppointmentForm(forms.Form):
    """The Secretariat appoints one of a call's candidates; the term follows the seat rule."""

    candidate = CandidateChoiceField(label=_("Candidate"), queryset=Candidate.objects.none())
    term_end = forms.DateField(
        label=_("Term ends on"),
        widget=DateInput(),
        help_text=_("The rule's full term; an earlier date for the remainder of a term."),
    )

    def __init__(self, *args, call: CallForInterest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        candidate = _model_choice(self, "candidate")
        candidate.queryset = (
            call.candidates.exclude(status=Candidate.Status.WITHDRAWN)
            .select_related("organisation")
            .order_by("organisation__name")
        )
        years = call.seat.constituency.term_years if call.seat else OFFICE_TERM_YEARS
        self.fields["term_end"].initial = term_end_for(call.vacancy_on, years)


class PartnerAnalysisForm(forms.Form):
    """GET filters of the partner analysis; the exports take the same ones."""

    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())
    kind = forms.ChoiceField(label=_("Engagement type"), required=False)
    organisation_kind = forms.ChoiceField(label=_("Organisation type"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        from alliance87.models import IloRegion

        from .models import Engagement
        from .selectors import GLOBAL_REGION

        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        _choice(self, "kind").choices = everything + list(Engagement.Kind.choices)
        _choice(self, "organisation_kind").choices = everything + list(Organisation.Kind.choices)
        _choice(self, "region").choices = (
            everything
            + list(IloRegion.choices)
            + [(GLOBAL_REGION, _("International (no country)"))]
        )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end of the period comes before its start."))
        return data
