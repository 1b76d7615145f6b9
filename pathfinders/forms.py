"""The focal point's progress form and the Secretariat's review form.

The progress form is one HTML form made of one small form per indicator and per commitment,
so each error sits beside its own field and every typed value is kept on a failed save.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.http import QueryDict
from django.utils import formats
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from alliance87.forms import LocalizedIntegerField

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
from .validators import EVIDENCE_UPLOAD, completed_at_full_progress, progress_range_message

if TYPE_CHECKING:
    from governance.models import Decision


class IndicatorValueForm(forms.Form):
    # Set by the form's page: the comments of the last return, and what is stored now.
    review_comments: list[str]
    stored_now: str | None
    # Set by the report's form: what the value is measured against for this country.
    reference: Reference | None

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

    # --- a file chosen with a save that was refused -------------------------------------------

    # Where such a file waits for the next save, and how long its token holds.
    KEPT_DIRECTORY = "evidence-kept"
    KEPT_MAX_AGE = 24 * 3600
    kept_scope = ""  # the report and indicator a kept file belongs to (set by the form)
    kept_path = ""
    kept_name = ""
    kept_token = ""

    def keep_evidence(self) -> bool:
        """After a refused save, the file chosen here waits in storage so it need not be
        chosen again: the page carries a signed token for it. False if there was none to keep
        (or it was refused itself)."""
        upload = self.files.get(self.add_prefix("evidence")) if self.is_bound else None
        if upload is None:
            return True  # nothing chosen now; a file kept before keeps its token
        if "evidence" in self.errors:
            return False
        upload.seek(0)
        name = PurePath(upload.name or "").name
        path = default_storage.save(f"{self.KEPT_DIRECTORY}/{uuid.uuid4().hex}/{name}", upload)
        self.kept_path, self.kept_name = path, name
        self.kept_token = signing.dumps(
            {"path": path, "name": name, "scope": self.kept_scope}, salt=self.KEPT_DIRECTORY
        )
        return True

    def _kept_evidence(self) -> File | None:
        token = self.data.get(self.add_prefix("evidence_kept"), "")
        if not token:
            return None
        try:
            kept = signing.loads(token, salt=self.KEPT_DIRECTORY, max_age=self.KEPT_MAX_AGE)
        except signing.BadSignature:
            kept = None
        if (
            not kept
            or kept.get("scope") != self.kept_scope
            or not str(kept.get("path", "")).startswith(f"{self.KEPT_DIRECTORY}/")
            or not default_storage.exists(kept["path"])
        ):
            self.add_error(
                "evidence", _("The file chosen before could not be kept: choose it again.")
            )
            return None
        self.kept_path, self.kept_name, self.kept_token = kept["path"], kept["name"], token
        return File(default_storage.open(kept["path"], "rb"), name=kept["name"])

    def discard_kept_evidence(self) -> None:
        """Once saved (the record holds its own copy), the waiting file goes."""
        if self.kept_path:
            default_storage.delete(self.kept_path)
            self.kept_path = ""

    def _initial_value(self, instance: IndicatorValue):
        return self.indicator.type.form_initial(instance)

    def _value_field(self) -> forms.Field:
        return self.indicator.type.form_field(self.indicator)

    def clean_value(self):
        return self.indicator.type.form_clean(self.indicator, self.cleaned_data.get("value"))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("evidence") and "evidence" not in self.errors:
            kept = self._kept_evidence()
            if kept is not None:
                cleaned["evidence"] = kept
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
    # Set by the form's page: the comments of the last return, and what is stored now.
    review_comments: list[str]
    stored_now: str | None

    status = forms.ChoiceField(label=_("Status"), choices=CommitmentStatus.choices)
    progress_percent = LocalizedIntegerField(
        label=_("Progress (%)"),
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

    def clean_progress_percent(self) -> int | None:
        progress = self.cleaned_data["progress_percent"]
        if progress is not None and not 0 <= progress <= 100:
            raise forms.ValidationError(progress_range_message(), code="range")
        return progress

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
            self.add_error("progress_percent", completed_at_full_progress())
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


# The fields of an indicator shown in its pillar's section; its file is in the evidence section.
EVIDENCE_FIELDS = ("evidence", "remove_evidence")


def field_anchor(bound_field) -> str:
    """The id a link to this field points at: its input (the first radio of a group)."""
    if isinstance(bound_field.field.widget, forms.RadioSelect):
        return f"{bound_field.auto_id}_0"
    return bound_field.id_for_label or bound_field.auto_id


@dataclass
class FormSection:
    """One section of the progress form as its index lists it."""

    anchor: str
    title: str
    filled: int
    total: int
    errors: int = 0
    # Optional sections (evidence) are never "to do".
    optional: bool = False

    @property
    def complete(self) -> bool:
        return self.filled >= self.total


@dataclass
class FieldProblem:
    """One line of the error summary: which field, what is wrong, where it is."""

    anchor: str
    label: str
    message: str


@dataclass
class CommentLink:
    """One reviewer's comment listed at the top of the form, linked to its field."""

    anchor: str
    label: str
    texts: list[str] = field(default_factory=list)


def _has_value(part: forms.Form) -> bool:
    value = part["value"].value()
    return value not in (None, "") and str(value).strip() != ""


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
            part.kept_scope = f"{report.pk}:{part.indicator.pk}"
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

    def keep_evidence(self) -> bool:
        """After a refused save: keep the files chosen, so they stay attached to the page.
        False if a file chosen could not be kept (it was refused itself)."""
        kept = [part.keep_evidence() for part in self.indicator_forms]  # each, no short-cut
        return all(kept)

    def discard_kept_evidence(self) -> None:
        for part in self.indicator_forms:
            part.discard_kept_evidence()

    @property
    def error_count(self) -> int:
        return sum(len(form.errors) for form in self.all_forms() if form.is_bound and form.errors)

    def set_version(self, version: int) -> None:
        """After a conflict: the next save is a deliberate overwrite of the newer version."""
        # A bound form's data is a QueryDict (the stub types it as any mapping).
        data = cast(QueryDict, self.header.data).copy()
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

    def _errors_of(self, part: forms.Form, names=None) -> int:
        if not part.is_bound:
            return 0
        return sum(1 for name in part.errors if names is None or name in names)

    def sections(self) -> list[FormSection]:
        """The index of the form: each pillar, the commitments, the narrative, the evidence,
        with how much of each is filled in (what is typed, or else what is stored)."""
        sections = [
            FormSection(
                anchor=f"pillar-{number}",
                title=pillar,
                filled=sum(1 for part in parts if _has_value(part)),
                total=len(parts),
                errors=sum(self._errors_of(part) - self._evidence_errors(part) for part in parts),
            )
            for number, (pillar, parts) in enumerate(self.indicator_groups(), start=1)
        ]
        if self.commitment_forms:
            sections.append(
                FormSection(
                    anchor="commitments-heading",
                    title=str(_("Roadmap commitments")),
                    filled=sum(
                        1 for part in self.commitment_forms if part.is_bound or part.instance
                    ),
                    total=len(self.commitment_forms),
                    errors=sum(self._errors_of(part) for part in self.commitment_forms),
                )
            )
        summary = self.header["summary"].value() or ""
        sections.append(
            FormSection(
                anchor="narrative-heading",
                title=str(_("Narrative")),
                filled=1 if summary.strip() else 0,
                total=1,
                errors=self._errors_of(self.header),
            )
        )
        sections.append(
            FormSection(
                anchor="evidence-heading",
                title=str(_("Evidence")),
                filled=sum(
                    1 for part in self.indicator_forms if part.instance and part.instance.evidence
                ),
                total=len(self.indicator_forms),
                errors=sum(self._evidence_errors(part) for part in self.indicator_forms),
                optional=True,
            )
        )
        return sections

    def _evidence_errors(self, part: forms.Form) -> int:
        return self._errors_of(part, EVIDENCE_FIELDS)

    def problems(self) -> list[FieldProblem]:
        """Every field at fault, in the order of the page, for the error summary."""
        if not self.is_bound:
            return []
        problems = []

        def add(part: forms.Form, prefix: str, names) -> None:
            for name in names:
                for message in part.errors.get(name, []):
                    bound = part[name]
                    problems.append(
                        FieldProblem(
                            anchor=field_anchor(bound),
                            label=f"{prefix} {bound.label}".strip(),
                            message=str(message),
                        )
                    )

        for _pillar, parts in self.indicator_groups():
            for part in parts:
                names = [n for n in part.fields if n not in EVIDENCE_FIELDS]
                add(part, part.indicator.code, names)
        for update_part in self.commitment_forms:
            code = update_part.commitment.code
            add(update_part, str(_("Commitment %(code)s") % {"code": code}), update_part.fields)
        add(self.header, "", ["summary"])
        for part in self.indicator_forms:
            add(part, part.indicator.code, EVIDENCE_FIELDS)
        return problems

    def comment_links(self) -> list[CommentLink]:
        """The reviewer's comments on single fields (set on each part by the view as
        `review_comments`), in the order of the page, each linked to its field."""
        links = []
        for _pillar, parts in self.indicator_groups():
            for part in parts:
                if getattr(part, "review_comments", None):
                    links.append(
                        CommentLink(
                            anchor=field_anchor(part["value"]),
                            label=f"{part.indicator.code} {part.indicator.title}",
                            texts=part.review_comments,
                        )
                    )
        for update_part in self.commitment_forms:
            if getattr(update_part, "review_comments", None):
                commitment = update_part.commitment
                links.append(
                    CommentLink(
                        anchor=field_anchor(update_part["status"]),
                        label=str(
                            _("Commitment %(code)s") % {"code": commitment.code}
                            + f" {commitment.title}"
                        ),
                        texts=update_part.review_comments,
                    )
                )
        return links


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


class DecisionChoiceField(forms.ModelChoiceField):
    """A GCG decision by its reference, date and the start of its text."""

    def label_from_instance(self, obj: "Decision") -> str:
        return "{reference} ({date}): {text}".format(
            reference=obj.reference,
            date=formats.date_format(obj.date, "DATE_FORMAT"),
            text=Truncator(obj.text).chars(90),
        )


class StageChangeForm(forms.Form):
    """The Secretariat moves a country to another stage of the journey."""

    stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    on = forms.DateField(
        label=_("Date reached"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The day the country reached the new stage."),
        error_messages={"required": _("Give the date on which the country reached this stage.")},
    )
    decision = DecisionChoiceField(
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
        cast(forms.ChoiceField, self.fields["stage"]).choices = [
            (value, label) for value, label in Stage.choices if value != pathfinder.stage
        ]
        cast(DecisionChoiceField, self.fields["decision"]).queryset = Decision.objects.filter(
            kind=Decision.Kind.GRANT_PATHFINDER_STATUS
        ).order_by("-date", "-number")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
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
