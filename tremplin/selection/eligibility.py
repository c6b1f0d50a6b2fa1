"""Eligibility rules of a call, checked on the applicant's answers as they go."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import formats
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from tremplin.core.translations import text_in
from tremplin.network.languages import CEFR_LEVELS, language_names
from tremplin.selection.models import AgeBand, Call

LEVEL_ORDER = [code for code, _label in CEFR_LEVELS] + ["native"]


def language_name(code: str) -> str:
    """The language's name in the reader's language when Django knows it (fr, ar, km, vi…),
    else its English name."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return language_names().get(code, code)


def document_names(call: Call) -> dict[str, str]:
    """Each required document (as staff typed it) → its name in the reader's language."""
    translated = text_in(call, "required_documents")
    if not isinstance(translated, list) or len(translated) != len(call.required_documents):
        translated = call.required_documents
    return {d: str(t) for d, t in zip(call.required_documents, translated, strict=True)}


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def age_band(birth_date: dt.date | None, day: dt.date) -> str:
    if birth_date is None:
        return AgeBand.UNKNOWN
    age = age_on(birth_date, day)
    if age < 18:
        return AgeBand.UNDER_18
    if age <= 25:
        return AgeBand.AGE_18_25
    if age <= 30:
        return AgeBand.AGE_26_30
    if age <= 45:
        return AgeBand.AGE_31_45
    return AgeBand.OVER_45


@dataclass(frozen=True)
class Finding:
    """One rule the answers do not meet: `blocking` ones make the application ineligible;
    the others are things to bring or fix before a later stage."""

    rule: str
    message: str
    blocking: bool


def eligibility_findings(call: Call, answers: dict[str, Any]) -> list[Finding]:
    findings: list[Finding] = []
    birth = answers.get("birth_date")
    if birth:
        born = dt.date.fromisoformat(birth)
        age = age_on(born, call.age_reference_date)
        when = formats.date_format(call.age_reference_date, "DATE_FORMAT")
        if call.min_age is not None and age < call.min_age:
            findings.append(
                Finding(
                    "age",
                    _(
                        "This programme is for people aged %(min)d or more on %(date)s. "
                        "You will be %(age)d."
                    )
                    % {"min": call.min_age, "date": when, "age": age},
                    blocking=True,
                )
            )
        if call.max_age is not None and age > call.max_age:
            findings.append(
                Finding(
                    "age",
                    _(
                        "This programme is for people aged %(max)d or less on %(date)s. "
                        "You will be %(age)d."
                    )
                    % {"max": call.max_age, "date": when, "age": age},
                    blocking=True,
                )
            )
    level = answers.get("language_level")
    if call.required_language and level:
        needed = LEVEL_ORDER.index(call.required_language_level)
        if level not in LEVEL_ORDER or LEVEL_ORDER.index(level) < needed:
            findings.append(
                Finding(
                    "language",
                    _(
                        "This programme asks for level %(level)s in %(language)s. Classes "
                        "exist to get there: ask us."
                    )
                    % {
                        "level": call.required_language_level,
                        "language": language_name(call.required_language),
                    },
                    blocking=True,
                )
            )
    if "documents" in answers:
        names = document_names(call)
        missing = [names[d] for d in call.required_documents if d not in answers["documents"]]
        if missing:
            findings.append(
                Finding(
                    "documents",
                    _("You will need to bring: %(documents)s.") % {"documents": ", ".join(missing)},
                    blocking=False,
                )
            )
    return findings
