"""Forms for what happens during an internship: check-ins, incidents, the end, the job
offered, a programme's evaluation criteria, the dashboard's filters, and the two pages of
people outside (the tutor's evaluation, the learner's self-assessment)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tremplin.core.forms import DateInput
from tremplin.network.models import Site
from tremplin.partners.models import CheckInKind, EarlyEndReason, IncidentKind
from tremplin.partners.selectors.follow_up import Criterion
from tremplin.placement.models import Competence, translated


def _today() -> dt.date:
    return timezone.localdate()


class CheckInPlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CheckInKind.choices)
    planned_on = forms.DateField(label=_("Planned on"), widget=DateInput())


class CheckInRecordForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput(), initial=_today)
    notes = forms.CharField(
        label=_("Notes"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    happened_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=_today)
    description = forms.CharField(
        label=_("What happened"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    action = forms.CharField(
        label=_("What was done"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


JOB_OFFERED = [
    ("", _("Not known yet")),
    ("yes", _("Yes, a job was offered")),
    ("no", _("No job offered")),
]


def job_offered_value(text: str) -> bool | None:
    return {"yes": True, "no": False}.get(text)


def job_offered_text(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


class JobOfferForm(forms.Form):
    job_offered = forms.ChoiceField(
        label=_("Did the company offer a job?"), choices=JOB_OFFERED, required=False
    )
    job_offer_note = forms.CharField(
        label=_("About the job offered"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InternshipEndForm(JobOfferForm):
    field_order = ["ended_on", "how", "end_reason", "note", "job_offered", "job_offer_note"]

    ended_on = forms.DateField(label=_("Ended on"), widget=DateInput(), initial=_today)
    how = forms.ChoiceField(
        label=_("How it ended"),
        choices=[
            ("ended", pgettext_lazy("internship end", "As planned")),
            ("early", pgettext_lazy("internship end", "Early")),
        ],
        widget=forms.RadioSelect,
        initial="ended",
    )
    end_reason = forms.ChoiceField(
        label=_("Reason for the early end"),
        choices=[("", "—"), *EarlyEndReason.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("how") == "early" and not data.get("end_reason"):
            self.add_error("end_reason", _("An internship that ends early needs a reason."))
        return data


class CheckInsDueForm(forms.Form):
    mine = forms.BooleanField(label=_("Only the internships I follow"), required=False)


# --- a programme's criteria --------------------------------------------------------------

SKILL_LANGUAGES = (
    ("en", _("Soft skills in English")),
    ("fr", _("Soft skills in French")),
    ("ar", _("Soft skills in Arabic")),
    ("km", _("Soft skills in Khmer")),
    ("vi", _("Soft skills in Vietnamese")),
)


class CompetenceChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {translated(obj.name)}"


class EvaluationCriteriaForm(forms.Form):
    """The competences (among the programme's targets) and the soft skills, one per line in
    each language (line 3 in English and line 3 in French are the same skill)."""

    def __init__(self, *args: Any, competences: list[Competence], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competences"] = CompetenceChoice(
            label=_("Competences the tutor rates"),
            queryset=Competence.objects.filter(pk__in=[c.pk for c in competences]).order_by(
                "framework_id", "position"
            ),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        for code, label in SKILL_LANGUAGES:
            self.fields[f"soft_{code}"] = forms.CharField(
                label=label,
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text=_("One per line, in the same order in every language.")
                if code == "en"
                else "",
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lines = {
            code: [line.strip() for line in (data.get(f"soft_{code}") or "").splitlines()]
            for code, _label in SKILL_LANGUAGES
        }
        lines = {code: [line for line in text if line] for code, text in lines.items()}
        counts = {len(text) for text in lines.values() if text}
        if len(counts) > 1:
            most = max(counts)
            for code, text in lines.items():
                if text and len(text) != most:
                    self.add_error(
                        f"soft_{code}",
                        _("Write as many lines as in the other languages (%(count)d).")
                        % {"count": most},
                    )
        for code, text in lines.items():
            if any(len(line) > 200 for line in text):
                self.add_error(f"soft_{code}", _("Each soft skill fits in 200 characters."))
        return data

    def soft_skills(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        lines = {
            code: [line.strip() for line in (data.get(f"soft_{code}") or "").splitlines()]
            for code, _label in SKILL_LANGUAGES
        }
        lines = {code: [line for line in text if line] for code, text in lines.items()}
        count = max((len(text) for text in lines.values()), default=0)
        return [{code: text[i] for code, text in lines.items() if text} for i in range(count)]


class DashboardFilterForm(forms.Form):
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), required=False, empty_label=_("Every site")
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args: Any, sites: QuerySet[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]


# applicant-facing: start (docs/languages.md)

RATINGS = [
    (1, _("Not yet")),
    (2, _("Getting there")),
    (3, _("Good")),
    (4, _("Very good")),
]
WOULD_HIRE = [
    ("yes", _("Yes")),
    ("no", _("No")),
    ("unsure", _("I don't know yet")),
]
SATISFACTION = [
    (1, _("Not happy")),
    (2, _("A little happy")),
    (3, _("Happy")),
    (4, _("Very happy")),
]


class TutorEvaluationForm(forms.Form):
    """One question per criterion (1 to 4), a comment, would you hire them, your name."""

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"rating_{criterion.key}"] = forms.TypedChoiceField(
                label=criterion.label,
                choices=RATINGS,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose one answer."),
                    "invalid_choice": _("Choose one of the four answers."),
                },
            )
        self.fields["comment"] = forms.CharField(
            label=_("Your comment"),
            required=False,
            max_length=3000,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
        self.fields["would_hire"] = forms.ChoiceField(
            label=_("Would you hire them?"),
            choices=WOULD_HIRE,
            widget=forms.RadioSelect,
            error_messages={"required": _("Choose one answer.")},
        )
        self.fields["evaluator_name"] = forms.CharField(label=_("Your name"), max_length=200)

    def rating_fields(self) -> list[forms.BoundField]:
        return [self[f"rating_{c.key}"] for c in self.criteria]

    def ratings(self) -> dict[str, int]:
        return {c.key: self.cleaned_data[f"rating_{c.key}"] for c in self.criteria}

    def would_hire(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data["would_hire"])


class SelfAssessmentForm(forms.Form):
    went_well = forms.CharField(
        label=_("What went well?"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )
    to_improve = forms.CharField(
        label=_("What do you want to improve?"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    satisfaction = forms.TypedChoiceField(
        label=_("How happy are you with your internship?"),
        choices=SATISFACTION,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one answer.")},
    )


# applicant-facing: end
