"""Learners to offers: the assignment that places as many learners as possible, then has the
greatest total fit (decision 0035). Pure computation, no model.

``assign`` solves it as a weighted bipartite matching (SciPy's exact LAPJVsp): 1,200 learners
and 400 offers in about a second. ``assign_certified`` solves the same problem with HiGHS
and proves the optimum with a dual bound; the benchmark runs both and checks they agree.
What follows describes ``assign_certified``.

The problem is a transportation problem: one column x[l, o] in [0, 1] per learner and offer
the learner may take (not excluded by a hard rule), each learner at most once, each offer at
most its free places. Its constraint matrix is totally unimodular, so the linear program's
vertices are whole: HiGHS's interior point method with crossover returns a vertex, which is
the integer optimum (checked; the integer program is solved should it not be whole).

Lexicographic objective in one solve: each column is worth ``BONUS + fit in hundredths``
where BONUS = 10,000 × learners + 1 exceeds any difference of total fit, so one more learner
placed always wins over any fit; among assignments placing the most, the greatest total fit
wins. Every value is a whole number, so a dual bound less than 1 above the objective proves
the optimum.

Column generation: 1,200 learners × 400 offers is 480,000 columns (5 s for HiGHS). The
model starts with each learner's best ``first_columns`` offers and asks the duals whether
any other column would improve it (reduced cost cost - u[l] - v[o] > 0, numpy over the
whole matrix); such columns are added and the model solved again from where it was. When
no column prices out, the duals are feasible for the full problem and their objective is
the bound that proves the optimum.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

INF = float(highspy.kHighsInf)
FIRST_COLUMNS = 20
ADDED_PER_LEARNER = 5
PRICE_TOLERANCE = 1e-6
WHOLE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Assignment:
    """The optimiser's answer: for each learner (row), the offer (column) or None."""

    offers: list[int | None]
    placed: int
    total_fit: float
    proven_optimal: bool
    bound: float  # in the objective's units (placements × BONUS + fit in hundredths)
    objective: float
    seconds: float
    columns: int
    rounds: int
    reasons: list[dict[str, Any]] = field(default_factory=list)


def bonus(learners: int) -> int:
    return 10_000 * learners + 1


class _Model:
    def __init__(self, cost: FloatArray, places: IntArray) -> None:
        self.cost = cost
        self.n, self.m = cost.shape
        self.highs = highspy.Highs()  # type: ignore[no-untyped-call]
        highs = self.highs
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("threads", 1)
        # Interior point then crossover: a vertex (whole), ten times faster than the simplex
        # on this degenerate problem.
        highs.setOptionValue("solver", "ipm")
        empty_int = np.zeros(0, dtype=np.int32)
        rows = self.n + self.m
        highs.addRows(
            rows,
            np.full(rows, -INF),
            np.concatenate([np.ones(self.n), places.astype(np.float64)]),
            0,
            empty_int,
            empty_int,
            np.zeros(0),
        )
        highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.learner_of: list[IntArray] = []
        self.offer_of: list[IntArray] = []
        self.present = np.zeros((self.n, self.m), dtype=bool)

    def add(self, learners: IntArray, offers: IntArray) -> None:
        k = len(learners)
        if not k:
            return
        starts = np.arange(0, 2 * k, 2, dtype=np.int32)
        index = np.empty(2 * k, dtype=np.int32)
        index[0::2] = learners
        index[1::2] = self.n + offers
        self.highs.addCols(
            k,
            self.cost[learners, offers],
            np.zeros(k),
            np.ones(k),
            2 * k,
            starts,
            index,
            np.ones(2 * k),
        )
        self.learner_of.append(learners)
        self.offer_of.append(offers)
        self.present[learners, offers] = True

    def solve(self, *, integer: bool = False) -> tuple[FloatArray, FloatArray, float]:
        highs = self.highs
        if integer:
            columns = highs.getNumCol()
            highs.setOptionValue("solver", "choose")
            highs.setOptionValue("mip_rel_gap", 0.0)
            highs.changeColsIntegrality(
                columns,
                np.arange(columns, dtype=np.int32),
                np.full(columns, highspy.HighsVarType.kInteger),
            )
        highs.run()
        # The next solves start from this vertex: the primal simplex keeps it feasible when
        # columns are added, a few hundred pivots instead of a new interior point solve.
        highs.setOptionValue("solver", "simplex")
        highs.setOptionValue("simplex_strategy", 4)
        solution = highs.getSolution()
        values = np.asarray(solution.col_value, dtype=np.float64)
        duals = np.abs(np.asarray(solution.row_dual, dtype=np.float64))
        return values, duals, float(highs.getInfo().objective_function_value)


def _top(scores: FloatArray, keep: BoolArray, count: int) -> tuple[IntArray, IntArray]:
    """Each row's ``count`` best columns among ``keep``."""
    n, m = scores.shape
    count = min(count, m)
    masked = np.where(keep, scores, -np.inf)
    best = np.argpartition(-masked, count - 1, axis=1)[:, :count] if count < m else None
    if best is None:
        best = np.tile(np.arange(m), (n, 1))
    rows = np.repeat(np.arange(n), best.shape[1])
    columns = best.ravel()
    chosen = keep[rows, columns]
    return rows[chosen].astype(np.int64), columns[chosen].astype(np.int64)


def assign(
    fits: FloatArray,
    allowed: BoolArray,
    places: Sequence[int] | IntArray,
) -> Assignment:
    """The best assignment of learners (rows of ``fits``, 0–100) to offers (columns) under
    each offer's ``places``; ``allowed`` is False where a hard rule excludes the pair.

    Solved as a minimum-weight full bipartite matching (SciPy's LAPJVsp, an exact shortest
    augmenting path algorithm, in compiled code): each offer becomes as many slots as it has
    places, each learner also has a slot of their own meaning "not placed", weight
    ``BONUS + fit in hundredths`` for a placement and 0 for none. The weights are whole, the
    algorithm exact, so the answer is the optimum; the benchmark checks it against
    ``assign_certified`` (HiGHS, with a dual bound) on every seed."""
    started = time.perf_counter()
    n, m = fits.shape
    places_arr = np.asarray(places, dtype=np.int64)
    allowed = allowed & (places_arr[None, :] > 0)
    if n == 0 or m == 0 or not allowed.any():
        nobody: list[int | None] = [None] * n
        return Assignment(
            nobody, 0, 0.0, True, 0.0, 0.0, 0.0, 0, 0, reasons(fits, allowed, places_arr, nobody)
        )
    hundredths = np.round(fits * 100).astype(np.int64)
    worth = bonus(n)
    # Slots: an offer has min(places, learners) of them; more could never be filled.
    slot_offer = np.repeat(np.arange(m), np.minimum(places_arr, n))
    slots = len(slot_offer)
    rows, columns = np.nonzero(allowed[:, slot_offer])
    # Minimise (shift - worth of the pair); "not placed" costs shift. Positive weights.
    shift = worth + 10_001
    weights = shift - (hundredths[rows, slot_offer[columns]] + worth)
    graph = csr_matrix(
        (
            np.concatenate([weights, np.full(n, shift)]).astype(np.float64),
            (np.concatenate([rows, np.arange(n)]), np.concatenate([columns, slots + np.arange(n)])),
        ),
        shape=(n, slots + n),
    )
    matched_rows, matched_columns = min_weight_full_bipartite_matching(graph)
    out: list[int | None] = [None] * n
    for learner, column in zip(matched_rows.tolist(), matched_columns.tolist(), strict=True):
        if column < slots:
            out[learner] = int(slot_offer[column])
    learners = np.array([i for i, o in enumerate(out) if o is not None], dtype=np.int64)
    offers = np.array([o for o in out if o is not None], dtype=np.int64)
    total = float(np.round(fits[learners, offers].sum(), 2)) if len(learners) else 0.0
    objective = float(len(learners) * worth + hundredths[learners, offers].sum())
    return Assignment(
        offers=out,
        placed=len(learners),
        total_fit=total,
        proven_optimal=True,
        bound=objective,
        objective=objective,
        seconds=time.perf_counter() - started,
        columns=len(weights),
        rounds=1,
        reasons=reasons(fits, allowed, places_arr, out),
    )


def assign_certified(
    fits: FloatArray,
    allowed: BoolArray,
    places: Sequence[int] | IntArray,
    *,
    first_columns: int = FIRST_COLUMNS,
) -> Assignment:
    """The same optimum with its proof: HiGHS on the transportation problem by column
    generation, whose dual bound certifies it (slower: see docs/benchmarks.md)."""
    started = time.perf_counter()
    n, m = fits.shape
    places_arr = np.asarray(places, dtype=np.int64)
    allowed = allowed & (places_arr[None, :] > 0)
    if n == 0 or m == 0 or not allowed.any():
        nobody: list[int | None] = [None] * n
        return Assignment(
            nobody, 0, 0.0, True, 0.0, 0.0, 0.0, 0, 0, reasons(fits, allowed, places_arr, nobody)
        )
    hundredths = np.round(fits * 100).astype(np.int64)
    cost = np.where(allowed, hundredths + bonus(n), 0).astype(np.float64)
    model = _Model(cost, places_arr)
    model.add(*_top(cost, allowed, first_columns))
    rounds = 0
    while True:
        rounds += 1
        values, duals, _objective = model.solve()
        reduced = cost - duals[:n, None] - duals[None, n:]
        pricing = allowed & ~model.present & (reduced > PRICE_TOLERANCE)
        if not pricing.any():
            break
        model.add(*_top(reduced, pricing, ADDED_PER_LEARNER))
    bound = float(duals[:n].sum() + (duals[n:] * places_arr).sum())
    if np.any(np.abs(values - np.round(values)) > WHOLE_TOLERANCE):  # pragma: no cover
        values, _duals, _objective = model.solve(integer=True)
        # the duals above still bound the full problem: its relaxation's optimum
    chosen = np.round(values) > 0
    learners = np.concatenate(model.learner_of)[chosen]
    offers = np.concatenate(model.offer_of)[chosen]
    out: list[int | None] = [None] * n
    for learner, offer in zip(learners.tolist(), offers.tolist(), strict=True):
        out[learner] = offer
    total = float(np.round(fits[learners, offers].sum(), 2))
    whole_objective = float(len(learners) * bonus(n) + hundredths[learners, offers].sum())
    return Assignment(
        offers=out,
        placed=len(learners),
        total_fit=total,
        proven_optimal=bound - whole_objective < 1 - 1e-6,
        bound=bound,
        objective=whole_objective,
        seconds=time.perf_counter() - started,
        columns=int(model.present.sum()),
        rounds=rounds,
        reasons=reasons(fits, allowed, places_arr, out),
    )


def reasons(
    fits: FloatArray, allowed: BoolArray, places: IntArray, offers: Sequence[int | None]
) -> list[dict[str, Any]]:
    """Why each learner got their offer, or none (JSON, per learner row):

    - ``best``: the offer that fits them best among those they may take;
    - ``better_full``: offers that fit them better are full — at the optimum an offer that
      fits better with a free place would have been taken;
    - ``excluded``: a hard rule excludes them from every open offer with places;
    - ``no_places``: no open offer has a free place;
    - ``all_full``: every offer they may take is full, and giving them a place would leave
      another learner without one or lower the total fit.
    """
    out: list[dict[str, Any]] = []
    for row, offer in enumerate(offers):
        mine = np.flatnonzero(allowed[row])
        if offer is not None:
            better = [int(o) for o in mine if fits[row, o] > fits[row, offer] and o != offer]
            better.sort(key=lambda o: -fits[row, o])
            if better:
                out.append({"reason": "better_full", "better": better[:3]})
            else:
                out.append({"reason": "best"})
        elif not (places > 0).any():
            out.append({"reason": "no_places"})
        elif not len(mine):
            out.append({"reason": "excluded"})
        else:
            best = sorted(mine.tolist(), key=lambda o: -fits[row, o])[:3]
            out.append({"reason": "all_full", "better": best})
    return out
