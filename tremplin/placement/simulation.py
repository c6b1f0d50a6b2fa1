"""Simulated test-takers: the adaptive test against a fixed linear test on the same bank.

Used by ``tremplin simulate-placement`` and benchmarks/placement.py. Simulees are drawn from
the standard normal population the bank is calibrated on; each answers item i right with
probability P_i(θ); both tests score by EAP and place in the same bands.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import zip_longest
from statistics import NormalDist

import numpy as np

from tremplin.core import spreadsheets
from tremplin.placement.adaptive import (
    Band,
    Bank,
    Estimate,
    Rules,
    band_of,
    estimate,
    finished,
    information,
    next_item,
    probability,
)

FIXED_LENGTH = 32


def simulated_bank(
    *, size: int, seed: int, areas: int = 5, log_a_mean: float = 0.5, log_a_sd: float = 0.3
) -> Bank:
    """A 2PL bank like a calibrated one: a log-normal (median e^0.5 ≈ 1.65 in the logistic
    metric, about 1 in the normal-ogive one, as in the usual simulation studies), b standard
    normal, items spread evenly over ``areas``."""
    rng = np.random.default_rng(seed)
    a = rng.lognormal(log_a_mean, log_a_sd, size)
    b = rng.normal(0.0, 1.0, size)
    names = [f"area{(i % areas) + 1}" for i in range(size)]
    return Bank.build(
        codes=[f"i{i:04d}" for i in range(size)], a=a.tolist(), b=b.tolist(), areas=names
    )


def fixed_form(bank: Bank, length: int = FIXED_LENGTH) -> list[int]:
    """A linear test as programmes build one: the same number of items from each area (as
    near as can be), within an area spread evenly from the easiest to the hardest."""
    chosen: list[int] = []
    areas = len(bank.areas)
    for number in range(areas):
        count = length // areas + (1 if number < length % areas else 0)
        inside = np.flatnonzero(bank.area == number)
        ordered = inside[np.argsort(bank.b[inside], kind="stable")]
        count = min(count, len(ordered))
        chosen.extend(int(ordered[int((j + 0.5) / count * len(ordered))]) for j in range(count))
    return chosen


def best_form(bank: Bank, length: int = FIXED_LENGTH) -> list[int]:
    """The strongest linear test the bank allows for this population: at each of ``length``
    quantiles of the standard normal, the unused item most informative there."""
    chosen: list[int] = []
    free = np.ones(len(bank), dtype=bool)
    normal = NormalDist()
    for k in range(min(length, len(bank))):
        point = normal.inv_cdf((k + 0.5) / length)
        info = information(point, bank.a, bank.b)
        info[~free] = -1.0
        best = int(np.argmax(info))
        chosen.append(best)
        free[best] = False
    return chosen


@dataclass(frozen=True)
class Outcome:
    label: str
    mean_length: float
    p90_length: float
    rmse: float
    band_accuracy: float
    mean_se: float


def _summary(
    label: str,
    lengths: Sequence[int],
    truths: Sequence[float],
    found: Sequence[Estimate],
    bands: Sequence[Band],
) -> Outcome:
    errors = np.asarray([f.theta - t for f, t in zip(found, truths, strict=True)])
    right = sum(
        band_of(f.theta, bands) == band_of(t, bands) for f, t in zip(found, truths, strict=True)
    )
    return Outcome(
        label=label,
        mean_length=float(np.mean(lengths)),
        p90_length=float(np.percentile(lengths, 90)),
        rmse=math.sqrt(float(np.mean(errors**2))),
        band_accuracy=right / len(truths),
        mean_se=float(np.mean([f.se for f in found])),
    )


def run_adaptive(
    bank: Bank, theta: float, rules: Rules, rng: np.random.Generator
) -> tuple[list[int], list[int], Estimate]:
    """One simulee through the adaptive test: items, answers and the final estimate."""
    items: list[int] = []
    answers: list[int] = []
    current = estimate(bank, items, answers)
    while not finished(rules, bank, items, answers, left=len(bank) - len(items)):
        item = next_item(bank, items, current, rules, rng)
        if item is None:
            break
        p = float(probability(theta, bank.a[item : item + 1], bank.b[item : item + 1])[0])
        items.append(item)
        answers.append(int(rng.random() < p))
        current = estimate(bank, items, answers)
    return items, answers, current


def simulate(
    bank: Bank,
    *,
    people: int,
    seed: int,
    rules: Rules | None = None,
    fixed_length: int = FIXED_LENGTH,
) -> list[Outcome]:
    """The adaptive test and two fixed ``fixed_length``-item tests (as programmes build one,
    and the strongest the bank allows) on the same simulees."""
    rules = rules or Rules()
    rng = np.random.default_rng(seed)
    truths = rng.normal(0.0, 1.0, people).tolist()
    usual, best = fixed_form(bank, fixed_length), best_form(bank, fixed_length)
    forms = {
        f"fixed {len(usual)} items": usual,
        f"fixed {len(best)} items, best for the population": best,
    }
    found: list[Estimate] = []
    lengths: list[int] = []
    fixed_found: dict[str, list[Estimate]] = {label: [] for label in forms}
    for theta in truths:
        items, _answers, last = run_adaptive(bank, theta, rules, rng)
        found.append(last)
        lengths.append(len(items))
        for label, form in forms.items():
            p = probability(theta, bank.a[form], bank.b[form])
            answers = (rng.random(len(form)) < p).astype(int).tolist()
            fixed_found[label].append(estimate(bank, form, answers))
    outcomes = [_summary("adaptive", lengths, truths, found, rules.bands)]
    for label, form in forms.items():
        outcomes.append(
            _summary(label, [len(form)] * people, truths, fixed_found[label], rules.bands)
        )
    return outcomes


class BankFileError(ValueError):
    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = list(messages)


def read_bank(content: bytes | str) -> Bank:
    """ITEMS.csv as ``tremplin calibrate`` writes it (item_id, a, b, …), with an optional
    ``area`` column for balancing. Rows flagged as misfits are used as they are."""
    try:
        sheet = spreadsheets.csv_read(content)
    except spreadsheets.SpreadsheetFileError as error:
        raise BankFileError([error.message]) from error
    header = sheet.header or []
    if not sheet.rows:
        raise BankFileError(["The bank file has no items."])
    missing = [name for name in ("item_id", "a", "b") if name not in header]
    if missing:
        raise BankFileError([f"The bank file needs the column(s): {', '.join(missing)}."])
    codes: list[str] = []
    a: list[float] = []
    b: list[float] = []
    areas: list[str] = []
    errors = []
    for line, cells in sheet.rows:
        row = dict(zip_longest(header, cells))
        try:
            slope, difficulty = float(row["a"]), float(row["b"])
        except (TypeError, ValueError):
            errors.append(f"Row {line} ({row.get('item_id')}): a and b must be numbers.")
            continue
        if not (math.isfinite(slope) and math.isfinite(difficulty)) or slope <= 0:
            errors.append(f"Row {line} ({row['item_id']}): a must be above 0, b finite.")
            continue
        codes.append(row["item_id"])
        a.append(slope)
        b.append(difficulty)
        areas.append((row.get("area") or "all").strip() or "all")
    if errors:
        raise BankFileError(errors)
    return Bank.build(codes=codes, a=a, b=b, areas=areas)


def outcome_table(outcomes: Sequence[Outcome]) -> str:
    lines = [
        "| test | mean length | 90th percentile | RMSE of θ | mean SE | right band |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for o in outcomes:
        lines.append(
            f"| {o.label} | {o.mean_length:.2f} | {o.p90_length:.0f} | {o.rmse:.3f} | "
            f"{o.mean_se:.3f} | {o.band_accuracy:.1%} |"
        )
    return "\n".join(lines)
