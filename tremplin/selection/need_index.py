"""Social-investigation questionnaires and the need index computed from their answers.

A questionnaire is a list of questions (JSON, kept on the stage). Each question has a `key`,
a `label` and a `type`:
- `number`: `min`, `max`, `points_per_unit`, `max_points` (points capped);
- `choice`: `choices`, each `{value, label, points}`;
- `yesno`: `points` when the answer is yes;
- `text`: free text, no points.
The need index is the points earned over the points possible, from 0 to 100: the higher, the
greater the need. It is transparent on purpose: a committee can recompute it by hand.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

QUESTION_TYPES = ("number", "choice", "yesno", "text")


def _max_points(question: dict[str, Any]) -> float:
    kind = question["type"]
    if kind == "number":
        return float(question["max_points"])
    if kind == "choice":
        return max(float(c["points"]) for c in question["choices"])
    if kind == "yesno":
        return float(question["points"])
    return 0.0


def _settings_check(question: dict[str, Any], kind: str) -> None:
    """Raise KeyError, TypeError or ValueError when a question's settings do not fit its type."""
    if kind == "number":
        low, high = float(question["min"]), float(question["max"])
        if low > high or float(question["points_per_unit"]) < 0:
            raise ValueError
        if float(question["max_points"]) < 0:
            raise ValueError
    elif kind == "choice":
        choices = question["choices"]
        if not choices or len({c["value"] for c in choices}) != len(choices):
            raise ValueError
        if any(float(c["points"]) < 0 or not c.get("label") for c in choices):
            raise ValueError
    elif kind == "yesno" and float(question["points"]) < 0:
        raise ValueError


def questionnaire_validate(questions: Any) -> list[dict[str, Any]]:
    """Check a questionnaire's shape; raise ValidationError naming the question at fault."""
    if not isinstance(questions, list):
        raise ValidationError(_("The questionnaire must be a list of questions."))
    keys: set[str] = set()
    for number, question in enumerate(questions, start=1):
        where = _("Question %(number)d") % {"number": number}
        if not isinstance(question, dict):
            raise ValidationError(_("%(where)s is not a question.") % {"where": where})
        key = question.get("key")
        if not isinstance(key, str) or not key.isidentifier():
            raise ValidationError(
                _("%(where)s needs a key made of letters, digits and _.") % {"where": where}
            )
        if key in keys:
            raise ValidationError(
                _("%(where)s repeats the key “%(key)s”.") % {"where": where, "key": key}
            )
        keys.add(key)
        if not question.get("label"):
            raise ValidationError(_("%(where)s needs a label.") % {"where": where})
        kind = question.get("type")
        if kind not in QUESTION_TYPES:
            raise ValidationError(
                _("%(where)s has an unknown type; use one of %(types)s.")
                % {"where": where, "types": ", ".join(QUESTION_TYPES)}
            )
        try:
            _settings_check(question, kind)
        except (KeyError, TypeError, ValueError):
            raise ValidationError(
                _("%(where)s (%(key)s) has missing or wrong settings for its type.")
                % {"where": where, "key": key}
            ) from None
    return questions


def answers_clean(questions: list[dict[str, Any]], answers: dict[str, Any]) -> dict[str, Any]:
    """The answers, typed and checked against the questions. Errors name the question."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in questions:
        key, kind = question["key"], question["type"]
        raw = answers.get(key)
        if raw in (None, ""):
            if kind != "text":
                errors[key] = _("Please answer this question.")
            continue
        if kind == "number":
            try:
                value = float(str(raw).replace(",", "."))
            except ValueError:
                errors[key] = _("Enter a number.")
                continue
            if not float(question["min"]) <= value <= float(question["max"]):
                errors[key] = _("Enter a number from %(min)s to %(max)s.") % {
                    "min": question["min"],
                    "max": question["max"],
                }
                continue
            clean[key] = value
        elif kind == "choice":
            values = {c["value"] for c in question["choices"]}
            if raw not in values:
                errors[key] = _("Choose one of the answers.")
                continue
            clean[key] = raw
        elif kind == "yesno":
            if raw not in ("yes", "no", True, False):
                errors[key] = _("Answer yes or no.")
                continue
            clean[key] = raw in ("yes", True)
        else:
            clean[key] = str(raw).strip()
    if errors:
        raise ValidationError(errors)
    return clean


def need_index(questions: list[dict[str, Any]], answers: dict[str, Any]) -> Decimal | None:
    """Points earned over points possible, scaled to 0–100 with one decimal. None when the
    questionnaire gives no points at all."""
    possible = sum(_max_points(q) for q in questions)
    if possible <= 0:
        return None
    earned = 0.0
    for question in questions:
        value = answers.get(question["key"])
        if value is None:
            continue
        kind = question["type"]
        if kind == "number":
            earned += min(float(value) * float(question["points_per_unit"]), _max_points(question))
        elif kind == "choice":
            earned += next(float(c["points"]) for c in question["choices"] if c["value"] == value)
        elif kind == "yesno" and value:
            earned += float(question["points"])
    index = Decimal(str(100 * earned / possible))
    return index.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
