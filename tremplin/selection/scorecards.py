"""Interview scorecards: a rater's weighted mark, the stage score, and rater severity.

Pure functions on plain numbers, so the committee's figures can be checked by hand and the
maths is tested without a database.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# A rater is "severe" or "lenient" when their marks sit this far (on the 1–5 scale) below or
# above their co-raters' on the same applicants, on average.
SEVERITY_THRESHOLD = 0.5
# Standardising a rater's marks needs this many interviews, and some spread.
MIN_RATINGS_TO_STANDARDISE = 3


def weighted_mark(marks: Mapping[int, int], weights: Mapping[int, float]) -> float:
    """One rater's mark for one applicant: the weighted mean of the criteria (1–5)."""
    if set(marks) != set(weights):
        raise ValueError("every criterion needs a mark")
    total_weight = sum(weights.values())
    return sum(marks[c] * weights[c] for c in weights) / total_weight


@dataclass(frozen=True)
class RaterMark:
    rater_id: int
    application_id: int
    mark: float


@dataclass(frozen=True)
class RaterSeverity:
    rater_id: int
    interviews: int
    mean_mark: float
    # Mean of (this rater's mark - the other raters' mean) on applicants rated by several.
    deviation: float | None
    compared_on: int

    @property
    def verdict(self) -> str:
        if self.deviation is None:
            return "unknown"
        if self.deviation <= -SEVERITY_THRESHOLD:
            return "severe"
        if self.deviation >= SEVERITY_THRESHOLD:
            return "lenient"
        return "in_line"


def severity_report(marks: Sequence[RaterMark]) -> list[RaterSeverity]:
    """Each rater's mean mark and how far it sits from their co-raters' on the same applicants."""
    by_application: dict[int, dict[int, float]] = defaultdict(dict)
    by_rater: dict[int, list[float]] = defaultdict(list)
    for m in marks:
        by_application[m.application_id][m.rater_id] = m.mark
        by_rater[m.rater_id].append(m.mark)
    deviations: dict[int, list[float]] = defaultdict(list)
    for raters in by_application.values():
        if len(raters) < 2:
            continue
        for rater_id, mark in raters.items():
            others = [v for r, v in raters.items() if r != rater_id]
            deviations[rater_id].append(mark - statistics.fmean(others))
    report = []
    for rater_id, values in by_rater.items():
        devs = deviations.get(rater_id, [])
        report.append(
            RaterSeverity(
                rater_id=rater_id,
                interviews=len(values),
                mean_mark=statistics.fmean(values),
                deviation=statistics.fmean(devs) if devs else None,
                compared_on=len(devs),
            )
        )
    report.sort(key=lambda r: (r.deviation if r.deviation is not None else 0.0, r.rater_id))
    return report


def standardised_marks(marks: Sequence[RaterMark]) -> dict[tuple[int, int], float]:
    """Each mark put on the common scale: z-score within its rater, then the pool's mean and
    spread. Raters with too few interviews or no spread keep their raw marks."""
    all_values = [m.mark for m in marks]
    if len(all_values) < 2:
        return {(m.rater_id, m.application_id): m.mark for m in marks}
    pool_mean = statistics.fmean(all_values)
    pool_sd = statistics.pstdev(all_values)
    by_rater: dict[int, list[float]] = defaultdict(list)
    for m in marks:
        by_rater[m.rater_id].append(m.mark)
    result: dict[tuple[int, int], float] = {}
    for m in marks:
        values = by_rater[m.rater_id]
        spread = statistics.pstdev(values) if len(values) > 1 else 0.0
        if len(values) < MIN_RATINGS_TO_STANDARDISE or spread == 0 or pool_sd == 0:
            result[(m.rater_id, m.application_id)] = m.mark
            continue
        z = (m.mark - statistics.fmean(values)) / spread
        result[(m.rater_id, m.application_id)] = min(5.0, max(1.0, pool_mean + z * pool_sd))
    return result


def stage_scores(marks: Sequence[RaterMark], *, standardise: bool = False) -> dict[int, float]:
    """Each applicant's stage score: the mean of their raters' marks (standardised or not)."""
    values = (
        standardised_marks(marks)
        if standardise
        else {(m.rater_id, m.application_id): m.mark for m in marks}
    )
    per_application: dict[int, list[float]] = defaultdict(list)
    for (_rater, application_id), mark in values.items():
        per_application[application_id].append(mark)
    return {a: statistics.fmean(v) for a, v in per_application.items()}
