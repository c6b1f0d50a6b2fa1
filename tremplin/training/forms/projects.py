"""Forms of projects: the project and its rubric (a criterion per row), assigning it,
evaluating an assignment."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.core.forms import DateInput
from tremplin.placement.models import Competence
from tremplin.training.models import Enrolment
from tremplin.training.selectors.progress import Target

CRITERION_ROWS = 6
_DESCRIPTOR = re.compile(r"^\s*(\d{1,2})\s*[:.\-–]\s*(.+?)\s*$")


class ProjectForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    brief = forms.CharField(
        label=gettext_lazy("Brief (what the business or partner asks for)"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    commissioned_by = forms.CharField(
        label=gettext_lazy("Commissioned by (a local business or partner)"), max_length=200
    )
    commissioner_contact = forms.CharField(
        label=gettext_lazy("Contact (name, phone or e-mail)"), max_length=200, required=False
    )
    starts_on = forms.DateField(label=gettext_lazy("Starts on"), widget=DateInput())
    due_on = forms.DateField(label=gettext_lazy("Due on"), widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, due = data.get("starts_on"), data.get("due_on")
        if isinstance(starts, dt.date) and isinstance(due, dt.date) and due < starts:
            self.add_error("due_on", _("The project is due before it starts."))
        return data


def descriptors_parse(text: str) -> dict[str, str]:
    """ "3: Builds the page from a mock-up" per line → {"3": "Builds the page…"}."""
    found: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _DESCRIPTOR.match(line)
        if match is None:
            raise ValidationError(
                _("Line %(number)s: write the level, a colon, then what it looks like (“3: …”).")
                % {"number": number}
            )
        found[str(int(match.group(1)))] = match.group(2)
    return found


class CriterionForm(forms.Form):
    competence = forms.ModelChoiceField(
        label=gettext_lazy("Competence"), queryset=Competence.objects.none(), required=False
    )
    weight = forms.IntegerField(
        label=gettext_lazy("Weight"), min_value=1, max_value=10, initial=1, required=False
    )
    descriptors = forms.CharField(
        label=gettext_lazy("What each level looks like (one line per level: “3: …”)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, targets: list[Target], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["competence"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Competence.objects.filter(pk__in=[t.competence.pk for t in targets])

    def clean_descriptors(self) -> dict[str, str]:
        return descriptors_parse(self.cleaned_data.get("descriptors") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("competence") is None and (data.get("descriptors") or {}):
            self.add_error("competence", _("Choose the competence this row evaluates."))
        return data


class LearnersField(forms.ModelMultipleChoiceField[Enrolment]):
    def label_from_instance(self, obj: Enrolment) -> str:
        return str(obj.person)


class AssignForm(forms.Form):
    learners = LearnersField(
        label=gettext_lazy("Learners"),
        queryset=Enrolment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    group_name = forms.CharField(
        label=gettext_lazy("Group name (when several learners work together)"),
        max_length=120,
        required=False,
    )

    def __init__(self, *args: Any, learners: list[Enrolment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["learners"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Enrolment.objects.filter(pk__in=[e.pk for e in learners]).select_related(
            "person"
        )


class EvaluationDateForm(forms.Form):
    evaluated_on = forms.DateField(
        label=gettext_lazy("Evaluated on"), widget=DateInput(), initial=dt.date.today
    )
