"""Forms of certification sessions, their results grid, and certificates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tremplin.core.forms import DateInput
from tremplin.network.models import Site
from tremplin.placement.models import Framework
from tremplin.training.models import (
    CertificationKind,
    CertificationOutcome,
    CertificationResult,
    Cohort,
    Enrolment,
)
from tremplin.training.services.certification import ResultRow, SessionData


class CertificationSessionForm(forms.Form):
    site = forms.ModelChoiceField(queryset=Site.objects.none(), label=_("Site"))
    cohorts = forms.ModelMultipleChoiceField(
        queryset=Cohort.objects.none(),
        label=_("Cohorts"),
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.ChoiceField(label=_("Certification"), choices=CertificationKind.choices)
    name = forms.CharField(
        label=_("Name of the certification"),
        max_length=200,
        required=False,
        help_text=_("Required for a national degree or another certification."),
    )
    awarding_body = forms.CharField(label=_("Awarding body"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    reference = forms.CharField(label=_("Session reference"), max_length=80, required=False)
    framework = forms.ModelChoiceField(
        queryset=Framework.objects.none(),
        label=_("Competency framework"),
        required=False,
        help_text=_(
            "The framework the certification is read in. Left empty, Pix and PCIE/ICDL use "
            "the shipped one; a passed result becomes evidence of the competences it covers."
        ),
    )
    max_score = forms.IntegerField(
        label=_("Highest score"),
        min_value=1,
        max_value=100000,
        required=False,
        help_text=_("Empty when the certification gives no score."),
    )
    pass_level = forms.IntegerField(
        label=_("Level shown by a pass"),
        min_value=1,
        max_value=8,
        required=False,
        help_text=_("The level (1 to 8) a pass shows when the result gives no level."),
    )

    def __init__(
        self, *args: Any, sites: QuerySet[Site], cohorts: QuerySet[Cohort], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        self.fields["cohorts"].queryset = cohorts  # type: ignore[attr-defined]
        self.fields["cohorts"].label_from_instance = (  # type: ignore[attr-defined]
            lambda c: f"{c.title} ({c.run.site.name})"
        )
        organisations = sites.values("organisation_id")
        self.fields["framework"].queryset = Framework.objects.filter(  # type: ignore[attr-defined]
            Q(organisation__isnull=True) | Q(organisation_id__in=organisations)
        )

    def session_data(self) -> SessionData:
        data = self.cleaned_data
        return SessionData(
            kind=data["kind"],
            name=data["name"],
            awarding_body=data["awarding_body"],
            held_on=data["held_on"],
            reference=data["reference"],
            framework=data["framework"],
            max_score=data["max_score"],
            pass_level=data["pass_level"],
        )


class ResultsGridForm(forms.Form):
    """One line per learner: result, score, level, certificate number."""

    def __init__(
        self,
        *args: Any,
        grid: list[tuple[Enrolment, CertificationResult | None]],
        has_score: bool,
        levels: int,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.grid = grid
        self.has_score = has_score
        self.levels = levels
        outcomes = [("", _("Not recorded")), *CertificationOutcome.choices]
        for enrolment, result in grid:
            key = enrolment.pk
            name = enrolment.person.display_name
            self.fields[f"outcome-{key}"] = forms.ChoiceField(
                label=_("Result of %(name)s") % {"name": name},
                choices=outcomes,
                required=False,
                initial=result.outcome if result else "",
            )
            if has_score:
                self.fields[f"score-{key}"] = forms.IntegerField(
                    label=_("Score of %(name)s") % {"name": name},
                    min_value=0,
                    max_value=100000,
                    required=False,
                    initial=result.score if result else None,
                )
            if levels:
                self.fields[f"level-{key}"] = forms.IntegerField(
                    label=_("Level of %(name)s") % {"name": name},
                    min_value=1,
                    max_value=levels,
                    required=False,
                    initial=result.level if result else None,
                )
            self.fields[f"reference-{key}"] = forms.CharField(
                label=_("Certificate number of %(name)s") % {"name": name},
                max_length=80,
                required=False,
                initial=result.reference if result else "",
            )

    def lines(self) -> list[dict[str, Any]]:
        """The grid for the template: each learner with their bound fields."""
        lines = []
        for enrolment, result in self.grid:
            key = enrolment.pk
            lines.append(
                {
                    "enrolment": enrolment,
                    "result": result,
                    "outcome": self[f"outcome-{key}"],
                    "score": self[f"score-{key}"] if self.has_score else None,
                    "level": self[f"level-{key}"] if self.levels else None,
                    "reference": self[f"reference-{key}"],
                }
            )
        return lines

    def rows(self) -> list[ResultRow]:
        data = self.cleaned_data
        return [
            ResultRow(
                enrolment=enrolment,
                outcome=data[f"outcome-{enrolment.pk}"],
                score=data.get(f"score-{enrolment.pk}"),
                level=data.get(f"level-{enrolment.pk}"),
                reference=data[f"reference-{enrolment.pk}"],
            )
            for enrolment, _result in self.grid
        ]


class CertificateIssueForm(forms.Form):
    learners = forms.ModelMultipleChoiceField(
        queryset=Enrolment.objects.none(),
        label=_("Learners"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one learner.")},
    )
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["learners"].queryset = cohort.enrolments.select_related(  # type: ignore[attr-defined]
            "person", "application", "cohort__run__site"
        )


class CertificateRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to staff only; the public page says only that it was revoked."),
    )


# applicant-facing: start (docs/languages.md)
class CredentialCheckForm(forms.Form):
    credential = forms.CharField(
        label=_("Paste the digital credential"),
        required=False,
        max_length=64000,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false", "autocomplete": "off"}),
    )
    upload = forms.FileField(label=_("Or choose the credential file"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        if upload is not None:
            if upload.size > 64000:
                self.add_error("upload", _("This file is too large to be a credential."))
                return data
            try:
                data["credential"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("upload", _("This file is not a credential."))
                return data
        if not (data.get("credential") or "").strip():
            self.add_error("credential", _("Paste the credential or choose its file."))
        return data


# applicant-facing: end
