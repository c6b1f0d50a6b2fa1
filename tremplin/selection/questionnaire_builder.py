"""The home-visit questionnaire as forms staff fill in, not JSON they write: one form per
question (its wording, kind, settings, choices with their points, position), gathered in a
formset that adds, removes and reorders questions. Turns a stage's questions into the
forms' initial values and the forms back into questions (the shape need_index.py reads)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

KINDS = [
    ("choice", _("One answer from a list")),
    ("yesno", _("Yes or no")),
    ("number", _("A number")),
    ("text", _("Free text (no points)")),
]
SPARE_CHOICES = 2  # empty choice rows offered under the existing ones
MIN_CHOICE_ROWS = 4
MAX_CHOICE_ROWS = 30
MAX_QUESTIONS = 60


def slug_key(text: str, taken: set[str], fallback: str) -> str:
    """A key made of letters, digits and _ from a wording, not among `taken`."""
    plain = unicodedata.normalize("NFKD", text.lower())
    ascii_only = "".join(c for c in plain if not unicodedata.combining(c)).encode("ascii", "ignore")
    base = re.sub(r"[^a-z0-9]+", "_", ascii_only.decode()).strip("_")[:30] or fallback
    if base[0].isdigit():
        base = f"{fallback}_{base}"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    taken.add(key)
    return key


def _number(value: Any) -> int | float:
    number = Decimal(value)
    return int(number) if number == number.to_integral_value() else float(number)


class QuestionForm(forms.Form):
    """One question. Settings that do not apply to its kind are ignored (and hidden on the
    page where the browser can)."""

    key = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    label = forms.CharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=KINDS)
    min = forms.DecimalField(label=_("Smallest answer"), required=False, max_digits=9)
    max = forms.DecimalField(label=_("Largest answer"), required=False, max_digits=9)
    points_per_unit = forms.DecimalField(
        label=_("Points for each unit"), required=False, min_value=0, max_digits=9
    )
    max_points = forms.DecimalField(
        label=_("Most points"), required=False, min_value=0, max_digits=9
    )
    points = forms.DecimalField(
        label=_("Points for a yes"), required=False, min_value=0, max_digits=9
    )

    NUMBER_FIELDS = ("min", "max", "points_per_unit", "max_points")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = "choice"  # an added question left blank is no change
        initial_choices = (self.initial or {}).get("choices") or []
        rows = len(initial_choices) + SPARE_CHOICES
        if self.is_bound:
            posted = [k for k in self.data if k.startswith(f"{self.prefix}-choice_label_")]
            rows = max(rows, len(posted))
        rows = min(max(rows, MIN_CHOICE_ROWS), MAX_CHOICE_ROWS)
        for n in range(rows):
            given = initial_choices[n] if n < len(initial_choices) else {}
            self.fields[f"choice_value_{n}"] = forms.CharField(
                required=False, max_length=60, widget=forms.HiddenInput, initial=given.get("value")
            )
            self.fields[f"choice_label_{n}"] = forms.CharField(
                label=_("Answer %(n)d") % {"n": n + 1},
                required=False,
                max_length=200,
                initial=given.get("label"),
            )
            self.fields[f"choice_points_{n}"] = forms.DecimalField(
                label=_("Points"),
                required=False,
                min_value=0,
                max_digits=9,
                initial=given.get("points"),
            )
        self.choice_rows = rows

    def choice_fields(self) -> list[tuple[Any, Any, Any]]:
        return [
            (
                self[f"choice_value_{n}"],
                self[f"choice_label_{n}"],
                self[f"choice_points_{n}"],
            )
            for n in range(self.choice_rows)
        ]

    def setting_fields(self) -> dict[str, list[Any]]:
        return {
            "number": [self[name] for name in self.NUMBER_FIELDS],
            "yesno": [self["points"]],
        }

    def _choices(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        choices: list[dict[str, Any]] = []
        for n in range(self.choice_rows):
            label = (data.get(f"choice_label_{n}") or "").strip()
            points = data.get(f"choice_points_{n}")
            if not label:
                if points is not None:
                    self.add_error(
                        f"choice_label_{n}", gettext("Write the answer, or clear its points.")
                    )
                continue
            if points is None:
                self.add_error(f"choice_points_{n}", gettext("Give the points for this answer."))
                continue
            choices.append(
                {"value": data.get(f"choice_value_{n}") or "", "label": label, "points": points}
            )
        return choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == "number":
            for name in self.NUMBER_FIELDS:
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, gettext("Needed for a number."))
            low, high = data.get("min"), data.get("max")
            if low is not None and high is not None and low > high:
                self.add_error("max", gettext("The largest answer cannot be below the smallest."))
        elif kind == "yesno" and data.get("points") is None and "points" not in self.errors:
            self.add_error("points", gettext("Give the points for a yes."))
        elif kind == "choice":
            choices = self._choices(data)
            labels = [c["label"].casefold() for c in choices]
            if len(choices) < 2 and not any(k.startswith("choice_") for k in self.errors):
                self.add_error("choice_label_0", gettext("Give at least two answers."))
            elif len(set(labels)) != len(labels):
                self.add_error("choice_label_0", gettext("Two answers have the same wording."))
            data["choices"] = choices
        return data

    def question(self, *, kept: str, taken: set[str], number: int) -> dict[str, Any]:
        """The question in the stored shape, with the key `kept`, or one made from its
        wording (not among `taken`)."""
        data = self.cleaned_data
        key = kept or slug_key(data["label"], taken, f"question_{number}")
        question: dict[str, Any] = {
            "key": key,
            "label": data["label"].strip(),
            "type": data["kind"],
        }
        if data["kind"] == "number":
            for name in self.NUMBER_FIELDS:
                question[name] = _number(data[name])
        elif data["kind"] == "yesno":
            question["points"] = _number(data["points"])
        elif data["kind"] == "choice":
            values: set[str] = set()
            question["choices"] = []
            for choice in data["choices"]:
                value = choice["value"]
                if not value or value in values or not re.fullmatch(r"[\w-]+", value):
                    value = slug_key(choice["label"], values, "answer")
                else:
                    values.add(value)
                question["choices"].append(
                    {"value": value, "label": choice["label"], "points": _number(choice["points"])}
                )
        return question


class BaseQuestionFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["ORDER"].label = gettext("Position")
        form.fields["DELETE"].label = gettext("Remove this question")


QuestionFormSet = forms.formset_factory(
    QuestionForm,
    formset=BaseQuestionFormSet,
    extra=1,
    can_order=True,
    can_delete=True,
    max_num=MAX_QUESTIONS,
    absolute_max=MAX_QUESTIONS,
    validate_max=True,
)


def formset_initial(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for position, question in enumerate(questions, start=1):
        row = {
            "key": question.get("key", ""),
            "label": question.get("label", ""),
            "kind": question.get("type", "choice"),
            "choices": question.get("choices") or [],
            "ORDER": position,
        }
        for name in (*QuestionForm.NUMBER_FIELDS, "points"):
            if name in question:
                row[name] = question[name]
        rows.append(row)
    return rows


def questions_from(formset: Any) -> list[dict[str, Any]]:
    """The questions of a valid formset, in the order given, without those removed. A
    question keeps its key (the answers already given refer to it); a new one gets a key made
    from its wording."""
    ordered = formset.ordered_forms
    kept: list[str] = []
    for form in ordered:
        key = form.cleaned_data.get("key") or ""
        kept.append(key if key.isidentifier() and key not in kept else "")
    taken = {k for k in kept if k}
    return [
        form.question(kept=kept[n], taken=taken, number=n + 1) for n, form in enumerate(ordered)
    ]


def error_summary(formset: Any) -> list[str]:
    """Each error as "Question 2 · Kind of answer: …", in the order of the page."""
    lines = [str(e) for e in formset.non_form_errors()]
    for number, form in enumerate(formset.forms, start=1):
        where = gettext("Question %(number)d") % {"number": number}
        for name, errors in form.errors.items():
            field = form.fields.get(name)
            label = str(field.label) if field is not None and field.label else ""
            text = " ".join(str(e) for e in errors)
            lines.append(f"{where} · {label}: {text}" if label else f"{where}: {text}")
    return lines


class QuestionnaireImportForm(forms.Form):
    file = forms.FileField(label=_("A questionnaire exported as JSON"))

    MAX_BYTES = 200_000

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError(_("The file is too large (200 KB at most)."))
        return upload
