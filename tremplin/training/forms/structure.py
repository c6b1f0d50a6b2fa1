"""Forms of a programme's structure: a period, a module, a competence a module aims at."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.placement.models import Competence, Framework, translated
from tremplin.training.models import Module, ModuleKind, Period
from tremplin.training.services.structure import MAX_HOURS, MAX_WEEKS


class PeriodForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Period.Kind.choices)
    weeks = forms.IntegerField(
        label=gettext_lazy("Length in weeks"),
        required=False,
        min_value=1,
        max_value=MAX_WEEKS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = _("Title: give the period a name.")
        self.fields["weeks"].error_messages["invalid"] = _(
            "Length in weeks: a whole number, from 1 to %(max)s."
        ) % {"max": MAX_WEEKS}

    @staticmethod
    def initial_for(period: Period) -> dict[str, Any]:
        return {"title": period.title, "kind": period.kind, "weeks": period.weeks}


class ModuleForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ModuleKind.choices)
    hours = forms.IntegerField(
        label=gettext_lazy("Hours"),
        min_value=1,
        max_value=MAX_HOURS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    period = forms.TypedChoiceField(
        label=gettext_lazy("Period"), coerce=int, required=False, empty_value=None, choices=[]
    )
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, periods: Sequence[Period], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.periods = {p.pk: p for p in periods}
        self.fields["period"].choices = [  # type: ignore[attr-defined]
            ("", _("No period")),
            *((p.pk, p.title) for p in periods),
        ]
        self.fields["title"].error_messages["required"] = _("Title: give the module a name.")
        hours = _("Hours: a whole number, from 1 to %(max)s.") % {"max": MAX_HOURS}
        for key in ("required", "invalid", "min_value", "max_value"):
            self.fields["hours"].error_messages[key] = hours
        self.fields["period"].error_messages["invalid_choice"] = _(
            "Period: choose one of this programme's periods."
        )
        if not periods:
            self.fields["period"].widget = forms.HiddenInput()

    def chosen_period(self) -> Period | None:
        period_id = self.cleaned_data.get("period")
        return self.periods.get(period_id) if period_id else None

    @staticmethod
    def initial_for(module: Module) -> dict[str, Any]:
        return {
            "title": module.title,
            "kind": module.kind,
            "hours": module.hours,
            "period": module.period_id or "",
            "summary": module.summary,
        }


class ModuleTargetForm(forms.Form):
    """A competence of the frameworks placement offers the programme, and the level (1–8)."""

    competence = forms.TypedChoiceField(label=gettext_lazy("Competence"), coerce=int, choices=[])
    level = forms.TypedChoiceField(label=gettext_lazy("Level aimed at"), coerce=int, choices=[])

    def __init__(self, *args: Any, frameworks: Sequence[Framework], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        by_framework: dict[int, list[tuple[int, str]]] = {}
        for competence in Competence.objects.filter(framework__in=frameworks).order_by("position"):
            by_framework.setdefault(competence.framework_id, []).append(
                (competence.pk, f"{competence.code} {translated(competence.name)}")
            )
        self.fields["competence"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose a competence")),
            *((str(f), by_framework[f.pk]) for f in frameworks if by_framework.get(f.pk)),
        ]
        names: dict[int, str] = {}
        for framework in frameworks:
            for level in framework.levels or []:
                if isinstance(level, dict) and isinstance(level.get("number"), int):
                    names.setdefault(level["number"], translated(level.get("name")))
        self.fields["level"].choices = [  # type: ignore[attr-defined]
            (n, f"{n} — {names[n]}" if names.get(n) else str(n)) for n in range(1, 9)
        ]
        pick = _("Competence: choose one.")
        level = _("Level: choose a level from 1 to 8.")
        for key in ("required", "invalid_choice"):
            self.fields["competence"].error_messages[key] = pick
            self.fields["level"].error_messages[key] = level
