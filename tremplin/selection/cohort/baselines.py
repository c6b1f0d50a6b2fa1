"""The baselines the optimiser is tested and measured against (its tests and
``benchmarks/cohort.py``): the straightforward model, one binary per applicant and site, and
the greedy fill a spreadsheet would do."""

from __future__ import annotations

import time
from collections import defaultdict

import numpy as np

from tremplin.selection.cohort.checking import check_rows
from tremplin.selection.cohort.milp import INF, Model, Status
from tremplin.selection.cohort.preparation import prepare, score_of, sorted_assignment
from tremplin.selection.cohort.problem import Must, Problem, Solution


def solve_per_applicant(problem: Problem, *, time_limit: float | None = None) -> Solution:
    """The straightforward model: one binary per applicant and site. Same rules, same optimum;
    kept as the reference the optimiser is tested and measured against."""
    started = time.perf_counter()
    prep = prepare(problem)
    applicants = problem.applicants
    columns: list[tuple[int, str]] = []
    for klass in prep.classes:
        for member in klass.members:
            for site in klass.sites:
                columns.append((member, site))
    n = len(columns)
    member_of = np.fromiter((m for m, _s in columns), dtype=np.int64, count=n)
    site_index = {site: i for i, site in enumerate(prep.sites)}
    site_of = np.fromiter((site_index[s] for _m, s in columns), dtype=np.int64, count=n)
    class_of = np.fromiter((prep.class_of[m] for m, _s in columns), dtype=np.int64, count=n)
    cost = np.fromiter((applicants[m].score for m, _s in columns), dtype=np.float64, count=n)
    row_lower: list[float] = []
    row_upper: list[float] = []
    starts = [0]
    index_parts: list[np.ndarray] = []
    value_parts: list[np.ndarray] = []

    def add(columns_: np.ndarray, values: np.ndarray, lower: float, upper: float) -> None:
        index_parts.append(columns_)
        value_parts.append(values)
        starts.append(starts[-1] + len(columns_))
        row_lower.append(lower)
        row_upper.append(upper)

    # One seat at most per applicant (exactly one for committee inclusions).
    by_member = np.argsort(member_of, kind="stable")
    boundaries = np.flatnonzero(np.diff(member_of[by_member])) + 1
    for group in np.split(by_member, boundaries):
        member = int(member_of[group[0]])
        lower = 1.0 if applicants[member].must == Must.INCLUDE else -INF
        add(group, np.ones(len(group)), lower, 1.0)
    for row in prep.rows:
        if row.kind == "include":
            continue
        coef_of_class = np.zeros(len(prep.classes))
        for number, coef in row.coefs.items():
            coef_of_class[number] = coef
        values = coef_of_class[class_of]
        mask = values != 0.0
        if row.site is not None:
            mask &= site_of == site_index[row.site]
        chosen = np.flatnonzero(mask)
        add(chosen, values[chosen], row.lower, row.upper)
    model = Model.from_arrays(
        cost=cost,
        lower=np.zeros(n),
        upper=np.ones(n),
        integer=np.ones(n, dtype=bool),
        row_lower=np.asarray(row_lower),
        row_upper=np.asarray(row_upper),
        starts=np.asarray(starts, dtype=np.int64),
        index=np.concatenate(index_parts) if index_parts else np.zeros(0, dtype=np.int64),
        value=np.concatenate(value_parts) if value_parts else np.zeros(0),
        maximise=True,
    )
    outcome = model.solve(time_limit=time_limit)
    assignment: dict[int, str] = {}
    if outcome.status in (Status.OPTIMAL, Status.TIME_LIMIT) and outcome.values.size:
        for column in np.flatnonzero(outcome.values > 0.5):
            member, site = columns[int(column)]
            assignment[member] = site
    return Solution(
        status=outcome.status,
        objective=outcome.objective,
        bound=outcome.bound,
        seconds=time.perf_counter() - started,
        fill=prep.fill,
        assignment={applicants[i].id: s for i, s in sorted_assignment(prep, assignment)},
        checks=check_rows(prep, assignment),
        solves=1,
    )


def solve_greedy(problem: Problem) -> Solution:
    """What a spreadsheet does: committee inclusions first, then by score, each applicant at
    the first of their sites with a seat left, skipped when they would pass a limit. Floors are
    only checked at the end."""
    started = time.perf_counter()
    prep = prepare(problem)
    applicants = problem.applicants
    caps = [row for row in prep.rows if row.kind not in ("fill", "include") and row.upper < INF]
    counts = [0] * len(caps)
    taken: dict[str, int] = defaultdict(int)
    assignment: dict[int, str] = {}
    everyone = [i for klass in prep.classes for i in klass.members]
    ordered = sorted(everyone, key=lambda i: (applicants[i].must != Must.INCLUDE, prep.order[i]))
    for member in ordered:
        if len(assignment) >= prep.fill:
            break
        number = prep.class_of[member]
        for site in prep.classes[number].sites:
            if taken[site] >= prep.seats[site]:
                continue
            fits = True
            for position, row in enumerate(caps):
                if row.site not in (None, site) or number not in row.members:
                    continue
                limit = row.share * prep.fill if row.share is not None else row.upper
                if row.kind == "site":
                    continue
                if counts[position] + 1 > limit + 1e-9:
                    fits = False
                    break
            if not fits and applicants[member].must != Must.INCLUDE:
                continue
            assignment[member] = site
            taken[site] += 1
            for position, row in enumerate(caps):
                if row.site in (None, site) and number in row.members:
                    counts[position] += 1
            break
    checks = check_rows(prep, assignment)
    return Solution(
        status=Status.OPTIMAL if all(c.kept for c in checks) else Status.INFEASIBLE,
        objective=score_of(prep, assignment),
        bound=float("nan"),
        seconds=time.perf_counter() - started,
        fill=prep.fill,
        assignment={applicants[i].id: s for i, s in sorted_assignment(prep, assignment)},
        checks=checks,
        solves=0,
    )
