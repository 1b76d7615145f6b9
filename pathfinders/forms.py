"""The focal point's progress form and the Secretariat's review form.

The progress form is one HTML form made of one small form per indicator and per commitment,
so each error sits beside its own field and every typed value is kept on a failed save.
"""

from collections import defaultdict

from django import forms
from django.utils import formats
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from . import quality
from .models import (
    STATUSES_NEEDING_NARRATIVE,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Indicator,
    IndicatorValue,
    ProgressReport,
    Stage,
)
from .reporting import Reference
from .services import ReportInput, UpdateInput, ValueInput, stage_change_errors
from .validators import EVIDENCE_UPLOAD


class IndicatorValueForm(forms.Form):
    narrative = forms.CharField(
        label=_("Narrative"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happened in the period, sources, caveats."),
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=EVIDENCE_UPLOAD.help_text,
        validators=[EVIDENCE_UPLOAD],
        widget=forms.FileInput(),
    )
    remove_evidence = forms.BooleanField(label=_("Remove the attached file"), required=False)

    change_note = forms.CharField(
        label=_("Explanation of a large change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args,
        indicator: Indicator,
        instance: IndicatorValue | None = None,
        previous: quality.PreviousValue | None = None,
        **kwargs,
    ):
        self.indicator = indicator
        self.instance = instance
        # The previous accepted value, shown beside the field; a large change from it needs
        # an explanation (pathfinders.quality).
        self.previous = previous
        initial = kwargs.setdefault("initial", {})
        if instance is not None:
            initial.update(
                {
                    "narrative": instance.narrative,
                    "value": self._initial_value(instance),
                    "change_note": instance.change_note,
                }
            )
        super().__init__(*args, **kwargs)
        self.fields["evidence"].widget.attrs.update(EVIDENCE_UPLOAD.widget_attrs())
        self.fields["value"] = self._value_field()
        self.order_fields(["value", "change_note", "narrative", "evidence", "remove_evidence"])
        if instance is None or not instance.evidence:
            del self.fields["remove_evidence"]
        if previous is None or not previous.compares_with(indicator.kind):
            del self.fields["change_note"]
        else:
            self.fields["change_note"].help_text = quality.jump_rule()

    def _initial_value(self, instance: IndicatorValue):
        return self.indicator.type.form_initial(instance)

    def _value_field(self) -> forms.Field:
        return self.indicator.type.form_field(self.indicator)

    def clean_value(self):
        return self.indicator.type.form_clean(self.indicator, self.cleaned_data.get("value"))

    def clean(self):
        cleaned = super().clean()
        if "change_note" in self.fields and "value" not in self.errors:
            number = self.indicator.type.stored(cleaned.get("value")).get("value_number")
            if not cleaned.get("change_note", "").strip() and quality.jumped(
                kind=self.indicator.kind, value_number=number, previous=self.previous
            ):
                self.add_error(
                    "change_note",
                    quality.jump_message(
                        previous=self.previous, new=number, kind=self.indicator.kind
                    ),
                )
        return cleaned

    def to_input(self) -> ValueInput:
        data = self.cleaned_data
        if "change_note" in self.fields:
            change_note = data.get("change_note", "").strip()
        else:
            # No previous value to compare with: an explanation given before is kept.
            change_note = self.instance.change_note if self.instance else ""
        return ValueInput(
            narrative=data.get("narrative", "").strip(),
            evidence=data.get("evidence") or None,
            clear_evidence=bool(data.get("remove_evidence")),
            change_note=change_note,
            **self.indicator.type.stored(data.get("value")),
        )


class CommitmentUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CommitmentStatus.choices)
    progress_percent = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": _("Progress is between 0 and 100 %%."),
            "max_value": _("Progress is between 0 and 100 %%."),
        },
    )
    narrative = forms.CharField(
        label=_("Narrative"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the commitment is delayed or off track."),
    )

    def __init__(
        self, *args, commitment: Commitment, instance: CommitmentUpdate | None = None, **kwargs
    ):
        self.commitment = commitment
        self.instance = instance
        initial = kwargs.setdefault("initial", {})
        if instance is not None:
            initial.update(
                status=instance.status,
                progress_percent=instance.progress_percent,
                narrative=instance.narrative,
            )
        else:
            initial.update(status=commitment.status, progress_percent=commitment.progress_percent)
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status in STATUSES_NEEDING_NARRATIVE and not cleaned.get("narrative", "").strip():
            self.add_error(
                "narrative",
                _("Explain what holds this commitment back: it is delayed or off track."),
            )
        if status == CommitmentStatus.COMPLETED and cleaned.get("progress_percent") not in (
            None,
            100,
        ):
            self.add_error("progress_percent", _("A completed commitment is at 100 %."))
        return cleaned

    def to_input(self) -> UpdateInput:
        data = self.cleaned_data
        return UpdateInput(
            status=data["status"],
            progress_percent=data["progress_percent"],
            narrative=data.get("narrative", "").strip(),
        )


class ReportHeaderForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    summary = forms.CharField(
        label=_("Overall summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The main developments of the period, in a few sentences."),
    )


class ProgressReportForm:
    """All the parts of the progress form, validated together."""

    def __init__(
        self,
        *,
        report: ProgressReport,
        indicators: list[Indicator],
        commitments: list[Commitment],
        data=None,
        files=None,
        references: dict[int, Reference] | None = None,
        previous: dict[str, quality.PreviousValue] | None = None,
    ) -> None:
        self.report = report
        # Each indicator's previous accepted value, by code (selectors.previous_values).
        self.previous = previous or {}
        values = {v.indicator_id: v for v in report.values.all()}
        updates = {u.commitment_id: u for u in report.commitment_updates.all()}
        self.header = ReportHeaderForm(
            data, initial={"version": report.version, "summary": report.summary}
        )
        self.indicator_forms = [
            IndicatorValueForm(
                data,
                files,
                indicator=i,
                instance=values.get(i.pk),
                previous=self.previous.get(i.code),
                prefix=f"ind-{i.pk}",
            )
            for i in indicators
        ]
        # What each indicator is measured against for this country (shown beside it).
        for part in self.indicator_forms:
            part.reference = (references or {}).get(part.indicator.pk)
        self.commitment_forms = [
            CommitmentUpdateForm(
                data, commitment=c, instance=updates.get(c.pk), prefix=f"com-{c.pk}"
            )
            for c in commitments
        ]
        self.values = values

    @property
    def is_bound(self) -> bool:
        return self.header.is_bound

    def all_forms(self) -> list[forms.Form]:
        return [self.header, *self.indicator_forms, *self.commitment_forms]

    def is_valid(self) -> bool:
        # Every part is validated (no short-circuit), so every error shows at once.
        results = [form.is_valid() for form in self.all_forms()]
        return all(results)

    @property
    def error_count(self) -> int:
        return sum(len(form.errors) for form in self.all_forms() if form.is_bound and form.errors)

    def set_version(self, version: int) -> None:
        """After a conflict: the next save is a deliberate overwrite of the newer version."""
        data = self.header.data.copy()
        data["version"] = str(version)
        self.header.data = data

    def to_input(self) -> ReportInput:
        return ReportInput(
            summary=self.header.cleaned_data.get("summary", "").strip(),
            values={form.indicator.pk: form.to_input() for form in self.indicator_forms},
            updates={form.commitment.pk: form.to_input() for form in self.commitment_forms},
        )

    @property
    def expected_version(self) -> int:
        return self.header.cleaned_data["version"]

    def indicator_groups(self) -> list[tuple[str, list[IndicatorValueForm]]]:
        groups: dict[str, list] = defaultdict(list)
        for form in self.indicator_forms:
            groups[form.indicator.pillar].append(form)
        return list(groups.items())


class ReviewForm(forms.Form):
    """Accept, or return with comments on the report and on the fields they concern."""

    ACCEPT, RETURN = "accept", "return"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ACCEPT, _("Accept the report")), (RETURN, _("Return it for revision"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment to the focal points"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to return the report unless you comment on a field above."),
    )
    # The report's version when the page was opened: a decision on a report changed since
    # is refused (compare-and-swap); left out, the decision applies to the current version.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, indicators: list[Indicator], commitments: list[Commitment], **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        self.commitments = commitments
        for indicator in indicators:
            self.fields[f"indicator_{indicator.pk}"] = forms.CharField(
                label=_("Comment on %(code)s") % {"code": indicator.code},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for commitment in commitments:
            self.fields[f"commitment_{commitment.pk}"] = forms.CharField(
                label=_("Comment on commitment %(code)s") % {"code": commitment.code},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def indicator_comments(self) -> dict[int, str]:
        return {i.pk: self.cleaned_data.get(f"indicator_{i.pk}", "") for i in self.indicators}

    def commitment_comments(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"commitment_{c.pk}", "") for c in self.commitments}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN:
            has_field_comment = any(
                v.strip()
                for k, v in cleaned.items()
                if k.startswith(("indicator_", "commitment_")) and v
            )
            if not cleaned.get("comment", "").strip() and not has_field_comment:
                self.add_error(
                    "comment",
                    _("Say what needs revising: a general comment or a comment on a field."),
                )
        return cleaned

    def field_for_indicator(self, indicator: Indicator):
        return self[f"indicator_{indicator.pk}"]

    def field_for_commitment(self, commitment: Commitment):
        return self[f"commitment_{commitment.pk}"]


class ReopenForm(forms.Form):
    """The Secretariat takes an accepted report back; the reason goes to the focal points."""

    reason = forms.CharField(
        label=_("Reason for reopening"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the focal points and kept in the report's workflow log."),
        error_messages={
            "required": _("Give the reason for reopening: the focal points receive it by email.")
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class StageChangeForm(forms.Form):
    """The Secretariat moves a country to another stage of the journey."""

    stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    on = forms.DateField(
        label=_("Date reached"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The day the country reached the new stage, e.g. 2026-05-12."),
        error_messages={"required": _("Give the date on which the country reached this stage.")},
    )
    decision = forms.ModelChoiceField(
        label=_("GCG decision granting Pathfinder status"),
        queryset=None,
        required=False,
        empty_label=_("None"),
        help_text=_(
            "Only for “Pathfinder status granted”: the decision of the GCG that granted it, "
            "among the decisions recorded as granting Pathfinder status."
        ),
    )
    note = forms.CharField(
        label=_("Note for the country's history"),
        required=False,
        max_length=100,
        help_text=_("Optional, up to 100 characters, e.g. where the roadmap was reviewed."),
    )

    def __init__(self, *args, pathfinder, **kwargs) -> None:
        from governance.models import Decision

        super().__init__(*args, **kwargs)
        self.pathfinder = pathfinder
        self.fields["stage"].choices = [
            (value, label) for value, label in Stage.choices if value != pathfinder.stage
        ]
        self.fields["decision"].queryset = Decision.objects.filter(
            kind=Decision.Kind.GRANT_PATHFINDER_STATUS
        ).order_by("-date", "-number")
        self.fields["decision"].label_from_instance = _decision_label

    def clean(self) -> dict:
        data = super().clean()
        if "stage" in data and "on" in data:
            for name, messages in stage_change_errors(
                pathfinder=self.pathfinder,
                stage=data["stage"],
                on=data["on"],
                decision=data.get("decision"),
            ).items():
                for message in messages:
                    self.add_error(name, message)
        return data


def _decision_label(decision) -> str:
    return "{reference} ({date}): {text}".format(
        reference=decision.reference,
        date=formats.date_format(decision.date, "DATE_FORMAT"),
        text=Truncator(decision.text).chars(90),
    )
