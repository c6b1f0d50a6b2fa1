"""Every rule against a cohort: the gauges of the committee page, the test of an entry from
the waiting list, and the check of a cohort chosen by hand."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from tremplin.selection.cohort.milp import INF
from tremplin.selection.cohort.preparation import Prepared, prepare
from tremplin.selection.cohort.problem import Check, Problem


def check_rows(prep: Prepared, cohort: Mapping[int, str]) -> tuple[Check, ...]:
    """Each row against a given cohort (selected applicant → site)."""
    per: dict[tuple[int, str], int] = defaultdict(int)
    for member, site in cohort.items():
        number = prep.class_of.get(member)
        if number is not None:
            per[(number, site)] += 1
    site_totals: dict[str, int] = defaultdict(int)
    for (_number, site), n in per.items():
        site_totals[site] += n
    everyone = sum(site_totals.values())
    checks = []
    for row in prep.rows:
        count = sum(
            n
            for (number, site), n in per.items()
            if number in row.members and row.site in (None, site)
        )
        total = everyone if row.site is None else site_totals[row.site]
        if row.share is not None:
            level = count - row.share * total
            limit = row.share
        else:
            level = float(count)
            limit = row.lower if row.lower > -INF else row.upper
        kept = row.lower - 1e-9 <= level <= row.upper + 1e-9
        checks.append(
            Check(
                key=row.key,
                label=row.label,
                kind=row.kind,
                count=count,
                total=total,
                limit=limit,
                kept=kept,
                share=row.share is not None,
                site=row.site or "",
                floor=row.lower > -INF,
            )
        )
    return tuple(checks)


def check(problem: Problem, cohort: Mapping[str, str]) -> tuple[Check, ...]:
    """Every rule against a cohort chosen by hand (applicant id → site, "" without sites)."""
    prep = prepare(problem)
    index = {a.id: i for i, a in enumerate(problem.applicants)}
    return check_rows(prep, {index[i]: site for i, site in cohort.items() if i in index})
