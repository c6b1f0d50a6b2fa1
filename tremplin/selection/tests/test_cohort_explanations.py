"""Explaining the cohort in one pass (docs/decisions/0023): the same reasons, smallest score
rises and waiting-list ranks as solving every class again (``cohort_reference``), on random
instances of several sizes and rule sets, with a handful of solver runs instead of one per
class."""

from __future__ import annotations

import math
import random

import pytest

from tremplin.selection.cohort import explanations
from tremplin.selection.cohort.milp import Status
from tremplin.selection.cohort.model import (
    Solved,
    class_counts,
    class_totals,
    initial_take,
    optimise,
)
from tremplin.selection.cohort.preparation import Prepared, prepare
from tremplin.selection.cohort.problem import Applicant, Choice, Problem, Rule, RuleKind
from tremplin.selection.cohort.seating import break_ties, seat
from tremplin.selection.cohort.solving import solve
from tremplin.selection.tests import cohort_reference
from tremplin.selection.tests.test_cohort import random_problem

SITES = ("S1", "S2", "S3")


def network_problem(seed: int, size: int) -> Problem:
    """Like the benchmark's: a women floor, a cap per province, and 1–3 of 3 sites (or none),
    scores to 1 or 2 decimals. (Floors that make the relaxation fractional are in the small
    instances: each class then takes a branch-and-bound run in the reference, too slow here.)"""
    rng = random.Random(seed)
    seats = rng.randint(10, max(10, min(150, size // 8)))
    use_sites = rng.random() < 0.7
    provinces = [f"P{i:02d}" for i in range(rng.randint(4, 20))]
    weights = [1 / (i + 1) ** 0.7 for i in range(len(provinces))]
    applicants = []
    for i in range(size):
        own: tuple[str, ...] = ()
        if use_sites:
            own = tuple(rng.sample(SITES, rng.randint(1, len(SITES))))
        applicants.append(
            Applicant(
                id=f"a{i:05d}",
                score=round(rng.gauss(60, 12), rng.choice([1, 2])),
                sites=own,
                attributes={
                    "gender": "F" if rng.random() < 0.42 else "M",
                    "province": rng.choices(provinces, weights=weights)[0],
                    "priority": "yes" if rng.random() < 0.3 else "no",
                },
            )
        )
    rules = [
        Rule("gender", RuleKind.MIN_SHARE, rng.choice([0.4, 0.5]), "F"),
        Rule("province", RuleKind.MAX_COUNT_EACH, rng.randint(max(1, math.ceil(seats / 10)), 12)),
    ]
    site_seats: dict[str, int] = {}
    if use_sites:
        cuts = sorted(rng.sample(range(1, seats), 2))
        site_seats = dict(zip(SITES, (cuts[0], cuts[1] - cuts[0], seats - cuts[1]), strict=True))
    return Problem(seats, applicants, rules, site_seats)


def chosen(problem: Problem) -> tuple[Prepared, Solved, dict[int, str]] | None:
    """The cohort as ``solve`` finds it, before it is explained (None: no cohort keeps every
    rule)."""
    prep = prepare(problem)
    solved = optimise(prep, initial_take(prep))
    if solved.outcome.status != Status.OPTIMAL:
        return None
    counts = class_counts(prep, solved.built, solved.outcome.values)
    totals = class_totals(solved.built, solved.outcome.values)
    return prep, solved, break_ties(prep, seat(prep, totals, counts))


def assert_same(ours: tuple[Choice, ...], reference: tuple[Choice, ...]) -> None:
    assert len(ours) == len(reference)
    for mine, theirs in zip(ours, reference, strict=True):
        if mine.score_change is None or theirs.score_change is None:
            assert mine.score_change == theirs.score_change, theirs
        else:
            assert mine.score_change == pytest.approx(theirs.score_change, abs=1e-6), theirs
        assert (mine.id, mine.selected, mine.site, mine.code, mine.reason) == (
            theirs.id,
            theirs.selected,
            theirs.site,
            theirs.code,
            theirs.reason,
        )
        assert mine.waitlist_rank == theirs.waitlist_rank, theirs
        assert mine.brought_in_by == theirs.brought_in_by, theirs


def explained_both_ways(problem: Problem) -> tuple[int, int]:
    """Explain the cohort both ways, assert the same answers; the solver runs of each."""
    first = chosen(problem)
    if first is None:
        pytest.skip("no cohort keeps every rule in this draw")
    ours, ours_solves = explanations.explain(*first)
    second = chosen(problem)
    assert second is not None
    reference, reference_solves = cohort_reference.explain(*second)
    assert_same(ours, reference)
    return ours_solves, reference_solves


@pytest.mark.parametrize("seed", range(40))
def test_one_pass_gives_the_same_answers_as_solving_every_class_again(seed: int) -> None:
    """Small instances with every kind of rule, committee inclusions and exclusions, rules
    per site, and rules that keep some applicants out whatever their score."""
    explained_both_ways(random_problem(5000 + seed, size=random.Random(seed).randint(12, 200)))


@pytest.mark.parametrize(("seed", "size"), [(1, 300), (10, 1500), (11, 2000)])
def test_one_pass_gives_the_same_answers_on_networks_of_several_sizes(seed: int, size: int) -> None:
    explained_both_ways(network_problem(7000 + seed, size))


def test_explaining_thousands_of_applicants_runs_the_solver_a_handful_of_times() -> None:
    """Solving every class again took one solver run per class with members left out (hundreds
    here); the one pass takes a few, whatever the number of classes."""
    problem = network_problem(2026, 3000)
    problem = Problem(60, problem.applicants, problem.rules[:2], dict.fromkeys(SITES, 20))
    ours, reference = explained_both_ways(problem)
    assert reference > 100
    assert ours <= 10
    # solve() counts the cohort's own run(s) and the explanation's.
    assert solve(problem).solves <= 12
