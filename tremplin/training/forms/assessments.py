"""Forms of assessments and of a cohort's results grid. Scores and weights are read with
core.params.decimal_parse: a point or a comma, whatever the page's language ("12,5" in
French, "12.5" in English)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.core import params
from tremplin.core.numbers import number_text
from tremplin.training.models import Assessment, AssessmentKind, Module, Period
from tremplin.training.models.assessments import SCORE_MAX
from tremplin.training.selectors.transcripts import GridRow
from tremplin.training.services.assessments import MAX_WEIGHT

MAX_TEXT = 32
DECIMAL_ATTRS = {"inputmode": "decimal", "autocomplete": "off", "size": "6"}


class DecimalTextField(forms.Field):
    """A decimal typed with a point or a comma, from 0 to ``max_value``, two decimals at
    most; ``message`` names the field when it is not one."""

    widget = forms.TextInput

    def __init__(self, *, max_value: Decimal, message: str, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs=DECIMAL_ATTRS))
        super().__init__(**kwargs)
        self.max_value, self.message = max_value, message

    def to_python(self, value: Any) -> Decimal | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            raise ValidationError(self.message, code="invalid")
        number = params.decimal_parse(
            value, min_value=0, max_value=self.max_value, decimal_places=2
        )
        if number is None:
            raise ValidationError(self.message, code="invalid")
        return number


def decimal_initial(value: Decimal | None) -> str:
    """A decimal in the form's input as the reader writes it ("12,5" in French)."""
    return "" if value is None else number_text(value)


class AssessmentForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=AssessmentKind.choices)
    period = forms.TypedChoiceField(
        label=gettext_lazy("Period"), coerce=int, required=False, empty_value=None, choices=[]
    )
    module = forms.TypedChoiceField(
        label=gettext_lazy("Module"), coerce=int, required=False, empty_value=None, choices=[]
    )

    def __init__(
        self, *args: Any, periods: Sequence[Period], modules: Sequence[Module], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.periods = {p.pk: p for p in periods}
        self.modules = {m.pk: m for m in modules}
        self.fields["period"].choices = [  # type: ignore[attr-defined]
            ("", _("No period")),
            *((p.pk, p.title) for p in periods),
        ]
        self.fields["module"].choices = [  # type: ignore[attr-defined]
            ("", _("No module (the whole period)")),
            *((m.pk, m.title) for m in modules),
        ]
        self.fields["max_score"] = DecimalTextField(
            label=_("Highest score"),
            max_value=SCORE_MAX,
            message=_("Highest score: a number, for example 20 or 100."),
        )
        self.fields["pass_mark"] = DecimalTextField(
            label=_("Pass mark"),
            max_value=SCORE_MAX,
            message=_("Pass mark: a number, for example 10."),
        )
        self.fields["weight"] = DecimalTextField(
            label=_("Weight"),
            max_value=MAX_WEIGHT,
            message=_("Weight: a number more than 0, for example 1 or 0,5."),
            help_text=_("How much it counts in the averages: 2 counts twice as much as 1."),
        )
        self.fields["title"].error_messages["required"] = _("Title: give the assessment a name.")
        for name, message in (
            ("period", _("Period: choose one of this programme's periods.")),
            ("module", _("Module: choose one of this programme's modules.")),
        ):
            self.fields[name].error_messages["invalid_choice"] = message
        for name, message in (
            ("max_score", _("Highest score: a number, for example 20 or 100.")),
            ("pass_mark", _("Pass mark: a number, for example 10.")),
            ("weight", _("Weight: a number more than 0, for example 1 or 0,5.")),
        ):
            self.fields[name].error_messages["required"] = message

    def chosen(self) -> tuple[Period | None, Module | None]:
        period_id, module_id = self.cleaned_data.get("period"), self.cleaned_data.get("module")
        return (
            self.periods.get(period_id) if period_id else None,
            self.modules.get(module_id) if module_id else None,
        )

    @staticmethod
    def initial_for(assessment: Assessment | None) -> dict[str, Any]:
        if assessment is None:
            return {"weight": decimal_initial(Decimal(1))}
        return {
            "title": assessment.title,
            "kind": assessment.kind,
            "period": assessment.period_id or "",
            "module": assessment.module_id or "",
            "max_score": decimal_initial(assessment.max_score),
            "pass_mark": decimal_initial(assessment.pass_mark),
            "weight": decimal_initial(assessment.weight),
        }


class ResultsForm(forms.Form):
    """One score per learner of the cohort (``score_<enrolment id>``); empty: no result.
    A bad score is reported on its row, with the learner's name."""

    def __init__(
        self, *args: Any, assessment: Assessment, rows: Sequence[GridRow], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        highest = number_text(assessment.max_score)
        for row in rows:
            name = str(row.enrolment.person)
            self.fields[self.field_name(row)] = DecimalTextField(
                label=name,
                required=False,
                max_value=assessment.max_score,
                message=_("%(name)s: the score must be a number from 0 to %(max)s.")
                % {"name": name, "max": highest},
                initial=decimal_initial(row.result.score if row.result else None),
            )

    @staticmethod
    def field_name(row: GridRow) -> str:
        return f"score_{row.enrolment.pk}"

    def scores(self) -> dict[int, Decimal | None]:
        return {row.enrolment.pk: self.cleaned_data.get(self.field_name(row)) for row in self.rows}

    def bound_rows(self) -> list[tuple[GridRow, forms.BoundField]]:
        return [(row, self[self.field_name(row)]) for row in self.rows]
