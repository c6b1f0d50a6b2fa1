"""Solving: the best cohort that keeps every rule, proved optimal by HiGHS, with a reason for
every applicant; or, when the rules cannot all hold, the rules that conflict and the cohort
that breaks them the least."""

from __future__ import annotations

import time

import numpy as np
from django.utils.translation import gettext as _

from tremplin.selection.cohort import explanations
from tremplin.selection.cohort.checking import check_rows
from tremplin.selection.cohort.conflicts import conflict
from tremplin.selection.cohort.milp import INF, Status
from tremplin.selection.cohort.model import (
    build,
    class_counts,
    class_totals,
    grow,
    initial_take,
    optimise,
)
from tremplin.selection.cohort.preparation import Prepared, prepare, score_of, sorted_assignment
from tremplin.selection.cohort.problem import Choice, Code, Problem, ProblemError, Relaxed, Solution
from tremplin.selection.cohort.seating import break_ties, seat


def solve(problem: Problem, *, explain: bool = True) -> Solution:
    """The best cohort that keeps every rule, proved optimal; or, when the rules cannot all
    hold, the rules that conflict and the cohort that breaks them the least."""
    started = time.perf_counter()
    prep = prepare(problem)
    solved = optimise(prep, initial_take(prep))
    solves = solved.solves
    if solved.outcome.status == Status.INFEASIBLE:
        return _infeasible(prep, started, solves, explain=explain)
    if solved.outcome.status != Status.OPTIMAL:
        raise ProblemError([_("The solver stopped before it proved the best cohort.")])
    counts = class_counts(prep, solved.built, solved.outcome.values)
    assignment = break_ties(
        prep, seat(prep, class_totals(solved.built, solved.outcome.values), counts)
    )
    cohort = {problem.applicants[i].id: site for i, site in sorted_assignment(prep, assignment)}
    choices: tuple[Choice, ...] = ()
    if explain:
        choices, more = explanations.explain(prep, solved, assignment)
        solves += more
    return Solution(
        status=Status.OPTIMAL,
        objective=score_of(prep, assignment),
        bound=solved.outcome.bound,
        seconds=time.perf_counter() - started,
        fill=prep.fill,
        assignment=cohort,
        checks=check_rows(prep, assignment),
        choices=choices,
        solves=solves,
    )


def _infeasible(prep: Prepared, started: float, solves: int, *, explain: bool) -> Solution:
    """Which rules conflict (an irreducible set) and the least relaxation of them."""
    conflicts, more = conflict(prep)
    solves += more
    take = initial_take(prep)
    sizes = [len(klass.members) for klass in prep.classes]
    while True:
        built = build(prep, take=take, elastic=True, whole=True)
        model = built.model
        slack_columns = list(built.slack.values())
        # First the least total shortfall (the same whatever the segments), then the best
        # score at that shortfall.
        original = np.asarray(model.highs.getLp().col_cost_, dtype=np.float64)
        penalty = np.zeros(model.columns)
        penalty[slack_columns] = -1.0
        model.set_costs(penalty)
        least = model.solve()
        scoring = original.copy()
        scoring[slack_columns] = 0.0
        model.set_costs(scoring)
        model.add_row(
            lower=-INF,
            upper=-least.objective + 1e-6,
            columns=slack_columns,
            values=[1.0] * len(slack_columns),
        )
        outcome = model.solve()
        solves += 2
        if not grow(take, sizes, built, outcome.values):
            break
    counts = class_counts(prep, built, outcome.values)
    assignment = seat(prep, class_totals(built, outcome.values), counts)
    checks = check_rows(prep, assignment)
    relaxation = tuple(
        Relaxed(
            label=c.label,
            limit=c.limit,
            achieved=c.actual if c.share else float(c.count),
            share=c.share,
            key=c.key,
            floor=c.floor,
        )
        for c in checks
        if not c.kept
    )
    problem = prep.problem
    choices: tuple[Choice, ...] = ()
    if explain:
        choices = tuple(
            Choice(
                id=a.id,
                score=a.score,
                selected=i in assignment,
                site=assignment.get(i, ""),
                code=Code.OTHER,
                reason=_("In the cohort that breaks the rules the least.")
                if i in assignment
                else _("Not in the cohort that breaks the rules the least."),
            )
            for i, a in enumerate(problem.applicants)
        )
    return Solution(
        status=Status.INFEASIBLE,
        objective=score_of(prep, assignment),
        bound=float("nan"),
        seconds=time.perf_counter() - started,
        fill=prep.fill,
        assignment={problem.applicants[i].id: s for i, s in sorted_assignment(prep, assignment)},
        checks=checks,
        conflicts=conflicts,
        relaxation=relaxation,
        choices=choices,
        solves=solves,
    )
