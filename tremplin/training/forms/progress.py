"""Forms of progress: a trainer's assessment of a cohort (the date and a note; the grid's
cells are read by ``grid_levels``) and removing a piece of evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.core.forms import DateInput
from tremplin.core.params import int_parse
from tremplin.training.models import Enrolment
from tremplin.training.selectors.progress import Target


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(
        label=gettext_lazy("Assessed on"), widget=DateInput(), initial=dt.date.today
    )
    note = forms.CharField(
        label=gettext_lazy("Note (what was assessed: an exercise, an observation)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EvidenceRemoveForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is this evidence wrong?"), max_length=500, strip=True
    )


def cell_name(enrolment_id: int, competence_id: int) -> str:
    return f"level-{enrolment_id}-{competence_id}"


def grid_levels(
    data: Mapping[str, Any], *, learners: list[Enrolment], targets: list[Target]
) -> tuple[dict[tuple[int, int], int], list[str]]:
    """The levels chosen in the grid (an empty cell: nothing recorded), and a message naming
    the learner and the competence of each cell that is not a level."""
    levels: dict[tuple[int, int], int] = {}
    problems = []
    for learner in learners:
        for target in targets:
            raw = data.get(cell_name(learner.pk, target.competence.pk), "")
            if not isinstance(raw, str) or not raw.strip():
                continue
            level = int_parse(raw, min_value=1, max_value=8)
            if level is None:
                problems.append(
                    _("%(person)s, %(competence)s: choose a level from the list.")
                    % {"person": learner.person, "competence": target.competence.code}
                )
                continue
            levels[(learner.pk, target.competence.pk)] = level
    return levels, problems
