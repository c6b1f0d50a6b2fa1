"""Item calibration, without the database: a wide response file in, 2PL parameters out.

RESPONSES.csv is wide: ``person_id``, then one column per item id holding 1, 0 or nothing
(not presented). Parameters are estimated by marginal maximum likelihood (EM) with mirt, in
the logistic metric P(θ) = 1 / (1 + exp(-a(θ - b))), with their standard errors. Fit is
mirt's PV-Q1 (Chalmers and Ng, 2017; it allows items not presented) with a false discovery
rate correction over items; an item is flagged when its fit is poor (adjusted p < 0.01), when
it hardly separates levels (a < 0.3), or when its difficulty is far outside the scale
(|b| > 4).

Problems in the file are named and the rest is still estimated: an unknown value (cell left
out), a person with no answers (left out), an item everyone answered alike (not estimable,
left out). A file that cannot be read at all (no ``person_id`` column, an item column twice,
a person twice) raises ``ResponseFileError``.

An organisation's run starts from the answers its placement tests collected
(``CollectedResponses``, read by selectors/calibration.py): items with too few answers are left
out, the others estimated, then checked between test languages (dif.py).
"""

from __future__ import annotations

import csv
import io
import math
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from django.utils.translation import gettext as _

from tremplin.core import spreadsheets
from tremplin.placement.dif import dif_check, finite_or_none

FloatArray = npt.NDArray[np.float64]

MISFIT_P = 0.01
MIN_DISCRIMINATION = 0.3
MAX_ABS_DIFFICULTY = 4.0
MIN_PEOPLE = 20

# An organisation's run (from the answers its tests collected).
MIN_ANSWERS = 30  # answers an item needs before it is estimated
MIN_TESTS = 100  # finished tests a calibration needs

# Why an item was left out (the page words it in the reader's language).
NEVER_ANSWERED = "never_answered"
TOO_FEW_ANSWERS = "too_few_answers"
ALL_RIGHT = "all_right"
ALL_WRONG = "all_wrong"

# A flag of an item's DIF check, added to the calibration flags (fit, discrimination,
# difficulty) when a language pair shows a large difference (ETS class C).
DIF_FLAG = "dif"


class ResponseFileError(ValueError):
    """The file cannot be used at all; ``messages`` name the row or column."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = list(messages)


@dataclass
class Responses:
    people: list[str]
    items: list[str]
    matrix: FloatArray  # people × items: 1.0, 0.0 or NaN (not presented)
    problems: list[str] = field(default_factory=list)


def read_responses(rows: Iterable[Sequence[str]]) -> Responses:
    """Rows of a CSV (the header first). Unknown values are named and left out."""
    iterator = iter(rows)
    items = _response_items(next(iterator, None))
    people: list[str] = []
    values: list[list[float]] = []
    problems: list[str] = []
    errors: list[str] = []
    known: dict[str, int] = {}
    for line, row in enumerate(iterator, start=2):
        if not any(cell.strip() for cell in row):
            continue
        person = row[0].strip()
        if not person:
            errors.append(_("Row %(line)s has no person_id.") % {"line": line})
            continue
        if person in known:
            errors.append(
                _("Row %(line)s: person “%(person)s” already appears on row %(first)s.")
                % {"line": line, "person": person, "first": known[person]}
            )
            continue
        known[person] = line
        if len(row) - 1 > len(items):
            errors.append(
                _("Row %(line)s has %(count)s values for %(items)s items.")
                % {"line": line, "count": len(row) - 1, "items": len(items)}
            )
            continue
        people.append(person)
        values.append(_answers(row[1:], items=items, line=line, person=person, problems=problems))
    if errors:
        raise ResponseFileError(errors)
    matrix = np.asarray(values, dtype=np.float64).reshape(len(people), len(items))
    return Responses(people=people, items=items, matrix=matrix, problems=problems)


def _response_items(header: Sequence[str] | None) -> list[str]:
    """The item ids the header row names after ``person_id``; raises ``ResponseFileError``
    when the header cannot be used."""
    if not header:
        raise ResponseFileError([_("The file is empty: it needs a header row.")])
    header = [name.strip() for name in header]
    if header[0].lstrip("\ufeff") != "person_id":
        raise ResponseFileError(
            [_("The first column must be “person_id”; found “%(name)s”.") % {"name": header[0]}]
        )
    items = header[1:]
    errors = []
    seen: set[str] = set()
    for number, name in enumerate(items, start=2):
        if not name:
            errors.append(_("Column %(n)s has no item id in the header.") % {"n": number})
        elif name in seen:
            errors.append(_("Item “%(item)s” has two columns.") % {"item": name})
        seen.add(name)
    if not items:
        errors.append(_("There is no item column after “person_id”."))
    if errors:
        raise ResponseFileError(errors)
    return items


def _answers(
    cells: Sequence[str], *, items: Sequence[str], line: int, person: str, problems: list[str]
) -> list[float]:
    """One person's answers (1.0, 0.0, or NaN when not presented), one per item; a value that
    is not 1, 0 or empty is read as not presented and named in ``problems``."""
    answers = []
    for item, raw in zip(items, [*cells, *[""] * (len(items) - len(cells))], strict=True):
        cell = raw.strip()
        if cell in ("", "NA", "."):
            answers.append(math.nan)
        elif cell in ("1", "0"):
            answers.append(float(cell))
        else:
            problems.append(
                _(
                    "Row %(line)s (person “%(person)s”), item “%(item)s”: “%(value)s” is "
                    "not 1, 0 or empty; read as not presented."
                )
                % {"line": line, "person": person, "item": item, "value": cell}
            )
            answers.append(math.nan)
    return answers


def read_responses_text(content: bytes | str) -> Responses:
    """RESPONSES.csv as bytes or text, read as every spreadsheet is (core.spreadsheets)."""
    try:
        return read_responses(spreadsheets.csv_rows(content))
    except spreadsheets.SpreadsheetFileError as error:
        raise ResponseFileError([error.message]) from error


@dataclass(frozen=True)
class ItemEstimate:
    item: str
    a: float
    b: float
    se_a: float
    se_b: float
    fit: float  # PV-Q1 statistic
    fit_p: float  # its p-value, adjusted over items (false discovery rate)
    answered: int
    right_share: float
    flags: tuple[str, ...]

    @property
    def misfit(self) -> bool:
        return bool(self.flags)


@dataclass(frozen=True)
class Calibration:
    items: list[ItemEstimate]
    problems: list[str]  # people and items left out, values read as not presented
    people_used: int
    converged: bool
    log_likelihood: float


def usable(responses: Responses) -> tuple[list[int], list[int], list[str]]:
    """People with at least one answer and items that can be estimated (both answers seen,
    answered by at least two people); the others named."""
    problems = list(responses.problems)
    matrix = responses.matrix
    answered = ~np.isnan(matrix)
    people = [i for i in range(len(responses.people)) if answered[i].any()]
    for i in range(len(responses.people)):
        if not answered[i].any():
            problems.append(
                _("Person “%(person)s” has no answers; left out.") % {"person": responses.people[i]}
            )
    items: list[int] = []
    rows = matrix[people]
    for j, item in enumerate(responses.items):
        column = rows[:, j]
        seen = column[~np.isnan(column)]
        if len(seen) == 0:
            problems.append(_("Item “%(item)s” was never presented; left out.") % {"item": item})
        elif seen.min() == seen.max():
            message = (
                _(
                    "Item “%(item)s”: all %(count)s people who saw it answered it right, so it "
                    "cannot be estimated; left out."
                )
                if seen[0] == 1
                else _(
                    "Item “%(item)s”: all %(count)s people who saw it answered it wrong, so it "
                    "cannot be estimated; left out."
                )
            )
            problems.append(message % {"item": item, "count": len(seen)})
        else:
            items.append(j)
    kept = []
    for i in people:
        if answered[i, items].any():
            kept.append(i)
        else:
            problems.append(
                _(
                    "Person “%(person)s” has no answers on the items that can be estimated; "
                    "left out."
                )
                % {"person": responses.people[i]}
            )
    return kept, items, problems


def calibrate(responses: Responses, *, seed: int = 2026) -> Calibration:
    """Estimate a and b (with standard errors and fit) for every item that can be."""
    import mirt
    from mirt.diagnostics.itemfit import compute_itemfit

    people, items, problems = usable(responses)
    if len(people) < MIN_PEOPLE or len(items) < 2:
        raise ResponseFileError(
            [
                *problems,
                _(
                    "Too little to estimate: %(people)s people with answers and %(items)s "
                    "items that can be estimated (at least %(min)s people and 2 items)."
                )
                % {"people": len(people), "items": len(items), "min": MIN_PEOPLE},
            ]
        )
    data = responses.matrix[np.ix_(people, items)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = mirt.fit_mirt(data, model="2PL", item_names=[responses.items[j] for j in items])
        fit = compute_itemfit(result, data, statistics=["PV_Q1"], seed=seed, p_adjust="fdr_bh")
    a = np.asarray(result.model.parameters["discrimination"], dtype=np.float64).ravel()
    b = np.asarray(result.model.parameters["difficulty"], dtype=np.float64).ravel()
    errors: Any = result.standard_errors
    se_a = np.asarray(errors.get("discrimination", np.full(len(a), np.nan))).ravel()
    se_b = np.asarray(errors.get("difficulty", np.full(len(b), np.nan))).ravel()
    q1 = np.asarray(fit["PV_Q1"], dtype=np.float64)
    q1_p = np.asarray(fit["PV_Q1_p_adjusted"], dtype=np.float64)
    estimates = []
    for k, j in enumerate(items):
        column = data[:, k]
        seen = column[~np.isnan(column)]
        flags = []
        if np.isfinite(q1_p[k]) and q1_p[k] < MISFIT_P:
            flags.append("fit")
        if a[k] < MIN_DISCRIMINATION:
            flags.append("discrimination")
        if abs(b[k]) > MAX_ABS_DIFFICULTY:
            flags.append("difficulty")
        estimates.append(
            ItemEstimate(
                item=responses.items[j],
                a=float(a[k]),
                b=float(b[k]),
                se_a=float(se_a[k]),
                se_b=float(se_b[k]),
                fit=float(q1[k]),
                fit_p=float(q1_p[k]),
                answered=len(seen),
                right_share=float(seen.mean()),
                flags=tuple(flags),
            )
        )
    return Calibration(
        items=estimates,
        problems=problems,
        people_used=len(people),
        converged=bool(result.converged),
        log_likelihood=float(result.log_likelihood),
    )


FLAG_WORDS = {
    "fit": "poor fit",
    "discrimination": "hardly separates levels",
    "difficulty": "difficulty off the scale",
}


def write_items(calibration: Calibration, out: io.TextIOBase | Any) -> None:
    """ITEMS.csv: item_id, a, b, their standard errors, the fit statistic and flags."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["item_id", "a", "b", "se_a", "se_b", "fit_pv_q1", "fit_p", "answered", "misfit", "flags"]
    )
    for item in calibration.items:
        writer.writerow(
            [
                item.item,
                f"{item.a:.4f}",
                f"{item.b:.4f}",
                f"{item.se_a:.4f}",
                f"{item.se_b:.4f}",
                f"{item.fit:.3f}",
                f"{item.fit_p:.4f}",
                item.answered,
                "true" if item.misfit else "false",
                "; ".join(FLAG_WORDS[f] for f in item.flags),
            ]
        )


# --- An organisation's run: the answers its tests collected -----------------------------------


@dataclass
class CollectedResponses(Responses):
    """``Responses`` (one row per finished test, one column per item code) with each row's
    test language and each column's item id."""

    languages: list[str] = field(default_factory=list)
    item_ids: list[int] = field(default_factory=list)


class TooLittleDataError(ResponseFileError):
    """Too few tests or questions with enough answers to estimate anything yet."""

    def __init__(self, *, people: int, items: int) -> None:
        self.people, self.items = people, items
        super().__init__([too_little_words(people=people, items=items)])


def too_little_words(*, people: int, items: int) -> str:
    return _(
        "Too little to estimate yet: %(people)s finished tests with answers to %(items)s "
        "questions that have at least %(answers)s answers each. A calibration needs at least "
        "%(min_people)s tests and 2 such questions."
    ) % {"people": people, "items": items, "answers": MIN_ANSWERS, "min_people": MIN_TESTS}


@dataclass(frozen=True)
class Outcome:
    people: int
    answers: int
    items: list[dict[str, Any]]
    left_out: list[dict[str, Any]]
    dif_pairs: list[dict[str, Any]]
    languages: dict[str, int]  # people per test language
    converged: bool


def left_out_items(
    responses: Responses, item_ids: Sequence[int], *, min_answers: int = MIN_ANSWERS
) -> tuple[list[int], list[dict[str, Any]]]:
    """Columns that can be estimated, and the others with their reason."""
    kept: list[int] = []
    left_out: list[dict[str, Any]] = []
    for j, code in enumerate(responses.items):
        column = responses.matrix[:, j]
        seen = column[~np.isnan(column)]
        reason = ""
        if len(seen) == 0:
            reason = NEVER_ANSWERED
        elif len(seen) < min_answers:
            reason = TOO_FEW_ANSWERS
        elif seen.min() == seen.max():
            reason = ALL_RIGHT if seen[0] == 1 else ALL_WRONG
        if reason:
            left_out.append(
                {"item_id": item_ids[j], "code": code, "reason": reason, "answers": len(seen)}
            )
        else:
            kept.append(j)
    return kept, left_out


def calibration_compute(collected: CollectedResponses) -> Outcome:
    """Estimate the items with enough answers, then check them for DIF between languages.
    Raises ``ResponseFileError`` (in the reader's words) when there is too little to do it."""
    kept, left_out = left_out_items(collected, collected.item_ids)
    matrix = collected.matrix[:, kept]
    has_answers = (~np.isnan(matrix)).any(axis=1) if kept else np.zeros(0, dtype=bool)
    rows = np.flatnonzero(has_answers)
    if len(rows) < MIN_TESTS or len(kept) < 2:
        raise TooLittleDataError(people=len(rows), items=len(kept))
    matrix = matrix[rows]
    languages = [collected.languages[i] for i in rows]
    subset = Responses(
        people=[collected.people[i] for i in rows],
        items=[collected.items[j] for j in kept],
        matrix=matrix,
    )
    calibration: Calibration = calibrate(subset)
    by_code = {estimate.item: estimate for estimate in calibration.items}
    codes = list(subset.items)
    a = np.asarray([by_code[c].a if c in by_code else np.nan for c in codes])
    b = np.asarray([by_code[c].b if c in by_code else np.nan for c in codes])
    check = dif_check(matrix=matrix, languages=languages, a=a, b=b)
    items: list[dict[str, Any]] = []
    for j, code in enumerate(codes):
        estimate = by_code.get(code)
        if estimate is None:  # calibrate() left it out after all (cannot happen today)
            continue
        dif = {pair.key: pair.items[j] for pair in check.pairs}
        flags = list(estimate.flags)
        if any(result.get("class") == "C" for result in dif.values()):
            flags.append(DIF_FLAG)
        items.append(
            {
                "item_id": collected.item_ids[kept[j]],
                "code": code,
                "a": finite_or_none(estimate.a),
                "b": finite_or_none(estimate.b),
                "se_a": finite_or_none(estimate.se_a),
                "se_b": finite_or_none(estimate.se_b),
                "fit": finite_or_none(estimate.fit),
                "fit_p": finite_or_none(estimate.fit_p),
                "answered": estimate.answered,
                "right_share": finite_or_none(estimate.right_share),
                "flags": flags,
                "dif": dif,
            }
        )
    return Outcome(
        people=len(rows),
        answers=int((~np.isnan(matrix)).sum()),
        items=items,
        left_out=left_out,
        dif_pairs=[pair.summary() for pair in check.pairs],
        languages=dict(Counter(languages).most_common()),
        converged=calibration.converged,
    )
