"""Forms of early warning: a programme's rules, an action on an alert, its closing, and the
filters of the learners-at-risk list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.core.forms import DateInput
from tremplin.network.models import Site
from tremplin.training.models import (
    ActionKind,
    ActionOutcome,
    AlertKind,
    AlertOutcome,
    AlertRule,
    AlertState,
    Cohort,
)
from tremplin.training.models.alerts import MAX_COUNT, MAX_WEEKS
from tremplin.training.services.alerts import RuleValues


def _number(label: Any, high: int) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=1, max_value=high)


class AlertRulesForm(forms.Form):
    """The programme's three rules, each switched on or off with its numbers."""

    absences_active = forms.BooleanField(label=_("Warn after absences in a row"), required=False)
    absences_count = _number(_("Absences in a row"), MAX_COUNT)
    rate_active = forms.BooleanField(label=_("Warn when attendance falls low"), required=False)
    rate_percent = _number(_("Attendance rate below (%)"), 100)
    rate_weeks = _number(_("Over the last weeks"), MAX_WEEKS)
    late_active = forms.BooleanField(label=_("Warn when a learner is often late"), required=False)
    late_count = _number(_("Times late"), MAX_COUNT)
    late_weeks = _number(_("In the last weeks"), MAX_WEEKS)

    PREFIX = {
        AlertKind.ABSENCES_IN_A_ROW: "absences",
        AlertKind.RATE_BELOW: "rate",
        AlertKind.LATE_TIMES: "late",
    }

    @classmethod
    def initial_from(cls, rules: list[AlertRule]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for rule in rules:
            prefix = cls.PREFIX[AlertKind(rule.kind)]
            initial[f"{prefix}_active"] = rule.active
            for name in ("count", "percent", "weeks"):
                if f"{prefix}_{name}" in cls.base_fields:
                    initial[f"{prefix}_{name}"] = getattr(rule, name)
        return initial

    def rules(self) -> list[RuleValues]:
        data = self.cleaned_data
        return [
            RuleValues(
                kind=kind,
                count=data.get(f"{prefix}_count"),
                percent=data.get(f"{prefix}_percent"),
                weeks=data.get(f"{prefix}_weeks"),
                active=bool(data.get(f"{prefix}_active")),
            )
            for kind, prefix in self.PREFIX.items()
        ]


class AlertActionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What did you do?"), choices=ActionKind.choices, widget=forms.RadioSelect
    )
    done_on = forms.DateField(label=_("Date"), widget=DateInput)
    outcome = forms.ChoiceField(
        label=_("What came of it?"), choices=ActionOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was said or agreed. Write only what the learner would accept to read."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"done_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class AlertCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How does it end?"),
        choices=[("", "—"), *AlertOutcome.choices],
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


STATE_CHOICES = [
    (AlertState.OPEN, AlertState.OPEN.label),
    (AlertState.CLOSED, AlertState.CLOSED.label),
    ("all", _("All")),
]


class AtRiskFilterForm(forms.Form):
    """The list's filters; a value that does not parse is reported and ignored."""

    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), required=False, empty_label=_("All sites")
    )
    cohort = forms.ModelChoiceField(
        label=_("Cohort"),
        queryset=Cohort.objects.none(),
        required=False,
        empty_label=_("All cohorts"),
    )
    kind = forms.ChoiceField(
        label=_("Rule"), choices=[("", _("All rules")), *AlertKind.choices], required=False
    )
    state = forms.ChoiceField(label=_("State"), choices=STATE_CHOICES, required=False)
    mine = forms.BooleanField(label=_("Only the cohorts I coach"), required=False)

    def __init__(
        self, *args: Any, sites: QuerySet[Site], cohorts: QuerySet[Cohort], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        self.fields["cohort"].queryset = cohorts  # type: ignore[attr-defined]
