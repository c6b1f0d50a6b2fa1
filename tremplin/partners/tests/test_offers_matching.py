"""The assignment of learners to offers is the best one: compared with every assignment of
small random cases (brute force), with its reasons."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from tremplin.partners import matching


def _brute_force(fits: np.ndarray, allowed: np.ndarray, places: list[int]) -> tuple[int, float]:
    n, m = fits.shape
    best = (-1, -1.0)
    for choice in itertools.product(range(-1, m), repeat=n):
        taken = [0] * m
        total = 0.0
        ok = True
        for learner, offer in enumerate(choice):
            if offer < 0:
                continue
            if not allowed[learner, offer]:
                ok = False
                break
            taken[offer] += 1
            total += fits[learner, offer]
        if ok and all(t <= p for t, p in zip(taken, places, strict=True)):
            best = max(best, (sum(1 for c in choice if c >= 0), round(total, 2)))
    return best


@pytest.mark.parametrize("seed", range(40))
def test_assignment_places_the_most_learners_then_has_the_greatest_fit(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 6)), int(rng.integers(1, 4))
    fits = np.round(rng.uniform(0, 100, (n, m)), 2)
    allowed = rng.uniform(size=(n, m)) > 0.3
    places = [int(p) for p in rng.integers(0, 3, m)]
    best = _brute_force(fits, allowed, places)
    result = matching.assign(fits, allowed, places)
    assert (result.placed, result.total_fit) == best
    certified = matching.assign_certified(fits, allowed, places, first_columns=1)
    assert certified.proven_optimal
    assert (certified.placed, certified.total_fit) == best
    for learner, offer in enumerate(result.offers):
        assert offer is None or allowed[learner, offer]
    for offer, count in enumerate(places):
        assert sum(1 for o in result.offers if o == offer) <= count


def test_one_more_learner_placed_beats_a_greater_fit() -> None:
    # Ana fits A (90) and B (80); Ben fits only A (10). One place each: Ana goes to B so that
    # Ben is placed too, although Ana at A would give the greater fit.
    fits = np.array([[90.0, 80.0], [10.0, 0.0]])
    allowed = np.array([[True, True], [True, False]])
    result = matching.assign(fits, allowed, [1, 1])
    assert result.offers == [1, 0]
    assert result.reasons[0] == {"reason": "better_full", "better": [0]}
    assert result.reasons[1] == {"reason": "best"}


def test_unplaced_learners_are_told_why() -> None:
    fits = np.array([[50.0, 40.0], [60.0, 30.0], [20.0, 10.0]])
    allowed = np.array([[True, False], [True, False], [False, False]])
    result = matching.assign(fits, allowed, [1, 2])
    assert result.offers == [None, 0, None]
    assert result.reasons[0] == {"reason": "all_full", "better": [0]}
    assert result.reasons[2] == {"reason": "excluded"}


def test_no_offer_with_places_places_no_one() -> None:
    fits = np.array([[50.0]])
    result = matching.assign(fits, np.array([[True]]), [0])
    assert result.offers == [None]
    assert result.placed == 0
    assert result.reasons == [{"reason": "no_places"}]
    assert (
        matching.assign(np.zeros((2, 0)), np.zeros((2, 0), bool), []).reasons
        == [{"reason": "no_places"}] * 2
    )


def test_large_problem_needs_few_columns_and_is_proven_optimal() -> None:
    rng = np.random.default_rng(7)
    fits = np.round(rng.uniform(0, 100, (300, 80)), 2)
    allowed = rng.uniform(size=fits.shape) > 0.1
    places = rng.integers(1, 5, 80)
    result = matching.assign_certified(fits, allowed, places)
    assert result.proven_optimal
    assert result.placed == min(300, int(places.sum()))
    assert result.columns < fits.size / 2
    # the matching finds the same optimum
    fast = matching.assign(fits, allowed, places)
    assert (fast.placed, fast.objective) == (result.placed, result.objective)
