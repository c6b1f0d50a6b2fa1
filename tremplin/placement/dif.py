"""Differential item functioning between test languages, without the database: for every pair
of language groups large enough, the Mantel–Haenszel common odds ratio of each item, people
matched on their level band (EAP with the run's own parameters), p-values adjusted over the
items (Benjamini–Hochberg), then the ETS classes A/B/C. docs/decisions/0012-dif-check.md
explains why not mirt's ``compute_dif``."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

from tremplin.placement import adaptive
from tremplin.placement.adaptive import FloatArray

MIN_GROUP_PEOPLE = 50  # people a language group needs to be compared with another
MIN_DIF_ANSWERS = 20  # answers to the item each group needs, in levels both groups reach
THETA_EDGES = np.arange(-2.0, 2.01, 0.5)  # level bands people are matched on (10 bands)
DIF_ALPHA = 0.05


def finite_or_none(value: float) -> float | None:
    """A float JSON (and PostgreSQL) can store: NaN and infinities become None."""
    return float(value) if math.isfinite(value) else None


@dataclass(frozen=True)
class DifPair:
    reference: str  # the larger group
    focal: str
    reference_people: int
    focal_people: int
    items: list[dict[str, Any]]  # per column: class A/B/C (or None: too few) and the numbers

    @property
    def key(self) -> str:
        return f"{self.reference}-{self.focal}"

    def summary(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "reference": self.reference,
            "focal": self.focal,
            "reference_people": self.reference_people,
            "focal_people": self.focal_people,
        }


@dataclass(frozen=True)
class DifCheck:
    pairs: list[DifPair]
    too_small: dict[str, int]  # language groups too small to compare, with their size


def eap_levels(matrix: FloatArray, a: FloatArray, b: FloatArray) -> FloatArray:
    """Each person's level (EAP, the engine's grid and prior) from all their answers to the
    estimated items, with the run's own parameters."""
    usable = np.isfinite(a) & np.isfinite(b)
    theta = np.zeros(matrix.shape[0])
    for i in range(matrix.shape[0]):
        seen = usable & ~np.isnan(matrix[i])
        weights = adaptive.posterior(a[seen], b[seen], matrix[i, seen])
        theta[i] = float(weights @ adaptive.GRID)
    return theta


def mantel_haenszel(
    right: FloatArray,
    focal: npt.NDArray[np.bool_],
    stratum: npt.NDArray[np.int64],
    *,
    min_answers: int = MIN_DIF_ANSWERS,
) -> dict[str, Any]:
    """MH common odds ratio of one item between two groups over level bands. ``right`` holds
    the answers (1/0) of the people who were asked the item, ``focal`` whether each is in the
    focal group, ``stratum`` their band. Bands with only one group tell nothing and are
    skipped. Returns the ETS delta (-2.35 ln alpha_MH: below 0, harder for the focal group), its
    standard error (Robins–Breslow–Greenland), the MH chi-square's p-value, and the answers
    each group gave in the bands used."""
    sum_r = sum_s = 0.0
    sum_pr = sum_ps_qr = sum_qs = 0.0
    observed = expected = variance = 0.0
    n_reference = n_focal = 0
    for k in np.unique(stratum):
        inside = stratum == k
        ref = right[inside & ~focal]
        foc = right[inside & focal]
        if len(ref) == 0 or len(foc) == 0:
            continue
        n = len(ref) + len(foc)
        a_k, b_k = float(ref.sum()), float(len(ref) - ref.sum())  # reference right, wrong
        c_k, d_k = float(foc.sum()), float(len(foc) - foc.sum())  # focal right, wrong
        n_reference += len(ref)
        n_focal += len(foc)
        r, s = a_k * d_k / n, b_k * c_k / n
        p, q = (a_k + d_k) / n, (b_k + c_k) / n
        sum_r += r
        sum_s += s
        sum_pr += p * r
        sum_ps_qr += p * s + q * r
        sum_qs += q * s
        right_k = a_k + c_k
        observed += a_k
        expected += len(ref) * right_k / n
        if n > 1:
            variance += len(ref) * len(foc) * right_k * (n - right_k) / (n * n * (n - 1))
    result: dict[str, Any] = {
        "class": None,
        "reference_answers": n_reference,
        "focal_answers": n_focal,
    }
    if min(n_reference, n_focal) < min_answers or sum_r == 0 or sum_s == 0 or variance == 0:
        return result
    delta = -2.35 * math.log(sum_r / sum_s)
    log_variance = (
        sum_pr / (2 * sum_r**2) + sum_ps_qr / (2 * sum_r * sum_s) + sum_qs / (2 * sum_s**2)
    )
    chi2 = max(abs(observed - expected) - 0.5, 0.0) ** 2 / variance
    result.update(
        {
            "delta": delta,
            "se": 2.35 * math.sqrt(log_variance),
            "p": float(stats.chi2.sf(chi2, 1)),
        }
    )
    return result


def ets_class(delta: float, se: float, p_adjusted: float) -> str:
    """A: negligible (|Δ| < 1, or not significant); C: large (|Δ| ≥ 1.5 and significantly
    above 1); B: moderate, the rest."""
    if p_adjusted >= DIF_ALPHA or abs(delta) < 1.0:
        return "A"
    if abs(delta) >= 1.5 and se > 0 and (abs(delta) - 1.0) / se > stats.norm.ppf(1 - DIF_ALPHA):
        return "C"
    return "B"


def dif_check(
    *,
    matrix: FloatArray,
    languages: Sequence[str],
    a: FloatArray,
    b: FloatArray,
    min_group: int = MIN_GROUP_PEOPLE,
    min_answers: int = MIN_DIF_ANSWERS,
) -> DifCheck:
    """Mantel–Haenszel DIF for every pair of language groups large enough, each item's
    answers matched on the people's level band (EAP with the run's parameters: in an
    adaptive test people answer different questions, so a total score compares nothing).
    p-values are adjusted over the items of a pair (Benjamini–Hochberg) before the ETS
    classes A/B/C."""
    sizes = Counter(languages)
    large = sorted((g for g, n in sizes.items() if n >= min_group), key=lambda g: (-sizes[g], g))
    too_small = {g: n for g, n in sizes.items() if n < min_group}
    if len(large) < 2:
        return DifCheck([], too_small)
    stratum = np.digitize(eap_levels(matrix, a, b), THETA_EDGES)
    group = np.asarray(languages)
    pairs: list[DifPair] = []
    for reference, focal in combinations(large, 2):
        members = (group == reference) | (group == focal)
        rows: list[dict[str, Any]] = []
        for j in range(matrix.shape[1]):
            asked = members & ~np.isnan(matrix[:, j])
            rows.append(
                mantel_haenszel(
                    matrix[asked, j],
                    group[asked] == focal,
                    stratum[asked],
                    min_answers=min_answers,
                )
            )
        tested = [row for row in rows if "p" in row]
        if tested:
            adjusted = stats.false_discovery_control([row["p"] for row in tested])
            for row, p_adjusted in zip(tested, adjusted, strict=True):
                row["p_adjusted"] = float(p_adjusted)
                row["class"] = ets_class(row["delta"], row["se"], float(p_adjusted))
                row["harder_for"] = focal if row["delta"] < 0 else reference
        for row in rows:
            for name in ("delta", "se", "p", "p_adjusted"):
                if name in row:
                    row[name] = finite_or_none(row[name])
        pairs.append(DifPair(reference, focal, int(sizes[reference]), int(sizes[focal]), rows))
    return DifCheck(pairs, too_small)
