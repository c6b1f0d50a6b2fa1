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
"""

from __future__ import annotations

import csv
import io
import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from django.utils.translation import gettext as _

FloatArray = npt.NDArray[np.float64]

MISFIT_P = 0.01
MIN_DISCRIMINATION = 0.3
MAX_ABS_DIFFICULTY = 4.0
MIN_PEOPLE = 20


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
    header = next(iterator, None)
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
    people: list[str] = []
    values: list[list[float]] = []
    problems: list[str] = []
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
        answers = []
        for item, raw in zip(items, [*row[1:], *[""] * (len(items) - len(row) + 1)], strict=True):
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
        people.append(person)
        values.append(answers)
    if errors:
        raise ResponseFileError(errors)
    matrix = np.asarray(values, dtype=np.float64).reshape(len(people), len(items))
    return Responses(people=people, items=items, matrix=matrix, problems=problems)


def read_responses_text(text: str) -> Responses:
    return read_responses(csv.reader(io.StringIO(text)))


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
