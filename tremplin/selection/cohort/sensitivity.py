"""The smallest score rise for every class at once, from one run of the solver
(docs/decisions/0023-explanations-in-one-pass.md).

For a class with members left out, the question is the best total of a cohort that keeps every
rule and takes one more of its members, that member counted at zero: ``F[c]``. Everyone left
out in the class shares it (their smallest rise is ``best - (score + F[c])``). Two bounds
usually meet:

- above: the prices of one linear relaxation, solved with every class taking a sliver more
  (so the prices are those of giving a seat up, not of taking one): ``F[c]`` is at most the
  relaxation's value plus the price of one more of class ``c``;
- below: one exchange in the cohort: one more of class ``c`` in, the lowest selected of some
  class out, the cheapest such exchange that keeps every rule.

Where they meet (within ``MATCH``), that is ``F[c]``, exactly; the other classes are solved
again one by one (``explanations``), as before.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import highspy
import numpy as np
import numpy.typing as npt
from scipy import sparse

from tremplin.selection.cohort.milp import INF, FloatArray, Model
from tremplin.selection.cohort.model import Built
from tremplin.selection.cohort.preparation import Prepared

# Each class's sliver: small enough to stay among the relaxation's optimal prices, large
# enough not to drown in HiGHS's tolerances (1e-7).
NUDGE = 1e-4
# The two bounds meet when this close (scores are typically given to 2 decimals).
MATCH = 1e-6
# A rule is kept when its count is within this of its limit (as in ``checking``).
ROW_TOLERANCE = 1e-9


@dataclass
class ForcedValues:
    """What the bounds need, over the classes' counts: the rules' rows (rows × classes), what
    the cohort puts in each, the upper bound found so far for each class's ``F``."""

    best: float
    coefs: FloatArray
    lower_ok: FloatArray
    upper_ok: FloatArray
    count_upper: FloatArray
    counts: FloatArray
    lowest: FloatArray
    upper_bound: FloatArray
    # Rank in its class of the first member left out (a class's size when none is).
    first_out: FloatArray

    @classmethod
    def start(
        cls,
        prep: Prepared,
        built: Built,
        best: float,
        assignment: Mapping[int, str],
        left_out_of: Mapping[int, Sequence[int]],
    ) -> tuple[ForcedValues | None, int]:
        """The bounds from the cohort and the nudged relaxation of ``built`` (the model the
        cohort was solved with, left as it was; ``best``: its optimum); and how many times the
        solver ran. None when they cannot help: counts split between sites (rules per site),
        or no nudged relaxation (a class that can have no member at all)."""
        if not left_out_of or any(len(columns) != 1 for columns in built.count_columns):
            return None, 0
        classes = len(prep.classes)
        count_column = np.fromiter(
            (columns[0][1] for columns in built.count_columns), dtype=np.int64, count=classes
        )
        prices = _nudged_prices(built.model, built.link_row, _share_counts(prep, count_column))
        if prices is None:
            return None, 1
        nudged_value, link_prices = prices
        coefs, row_lower, row_upper, count_upper = _count_rows(
            built.model, built.link_row, count_column
        )
        counts = np.zeros(classes, dtype=np.float64)
        lowest = np.full(classes, np.inf)
        applicants = prep.problem.applicants
        for member in assignment:
            number = prep.class_of[member]
            counts[number] += 1
            lowest[number] = min(lowest[number], applicants[member].score)
        first_out = np.asarray([len(klass.members) for klass in prep.classes], dtype=np.float64)
        for number, left_out in left_out_of.items():
            first_out[number] = prep.classes[number].members.index(left_out[0])
        return cls(
            best=best,
            coefs=coefs,
            lower_ok=row_lower - ROW_TOLERANCE,
            upper_ok=row_upper + ROW_TOLERANCE,
            count_upper=count_upper,
            counts=counts,
            lowest=lowest,
            upper_bound=nudged_value + link_prices - NUDGE * float(link_prices.sum()),
            first_out=first_out,
        ), 1

    def by_exchange(self, wanted: Iterable[int]) -> dict[int, float]:
        """``F[c]`` for the classes of ``wanted`` that one exchange in the cohort settles."""
        counts = self.counts
        givers = np.flatnonzero(counts > 0)
        givers = givers[np.argsort(self.lowest[givers], kind="stable")]
        losses = self.lowest[givers]
        activity = self.coefs @ counts
        found: dict[int, float] = {}
        for number in wanted:
            # Only exchanges that lose no more than the upper bound allows can meet it.
            room = self.best - float(self.upper_bound[number]) + MATCH
            reach = int(np.searchsorted(losses, room, side="right"))
            if reach == 0:
                continue
            candidates = givers[:reach]
            after = (activity + self.coefs[:, number])[:, None] - self.coefs[:, candidates]
            keeps = self._kept(after)
            # One more of the class itself must fit its count (unless it gives the seat up).
            keeps &= (candidates == number) | (counts[number] + 1 <= self.count_upper[number])
            hits = np.flatnonzero(keeps)
            if len(hits):
                found[number] = self.best - float(losses[hits[0]])
        return found

    def by_solution(
        self,
        number: int,
        totals: FloatArray,
        value: float,
        prices: FloatArray | None,
        wanted: Sequence[int],
    ) -> dict[int, float]:
        """Class ``number`` solved again (``totals``: the counts of its best cohort, the member
        forced in included; ``value``: that cohort's value; ``prices``: the link rows' prices
        when a relaxation proved it): ``F[c]`` for the classes of ``wanted`` it settles. Its
        cohort with the forced member taken from class ``c`` instead is one for ``c`` (a lower
        bound), its prices bound every class from above."""
        if prices is not None:
            self.upper_bound = np.minimum(self.upper_bound, value + prices - prices[number])
        if not wanted:
            return {}
        others = np.asarray(wanted, dtype=np.int64)
        activity = self.coefs @ totals - self.coefs[:, number]
        keeps = self._kept(activity[:, None] + self.coefs[:, others])
        keeps &= totals[others] + 1 <= self.count_upper[others]
        # The forced member must not be one the cohort already takes.
        keeps &= totals[others] <= self.first_out[others]
        keeps &= value >= self.upper_bound[others] - MATCH
        return {int(other): value for other in others[keeps]}

    def _kept(self, after: FloatArray) -> npt.NDArray[np.bool_]:
        """Which columns of row activities keep every row."""
        return np.all(  # type: ignore[no-any-return]
            (after >= self.lower_ok[:, None]) & (after <= self.upper_ok[:, None]), axis=0
        )


def _share_counts(
    prep: Prepared, count_column: npt.NDArray[np.int64]
) -> list[tuple[float, float, npt.NDArray[np.int32]]]:
    """Each share over the whole cohort as a whole count: with ``fill`` seats, "at least 40 %"
    is at least ceil(0.4 × fill) (a row's bounds and its classes' count columns). The same for
    every cohort, and a tighter relaxation: without it, 16.4 of 41 seats would do."""
    rows = []
    for row in prep.rows:
        if row.share is None or row.site is not None or not row.members:
            continue
        columns = count_column[sorted(row.members)].astype(np.int32)
        level = row.share * prep.fill
        if row.lower > -INF:
            rows.append((float(math.ceil(level - ROW_TOLERANCE)), INF, columns))
        else:
            rows.append((-INF, float(math.floor(level + ROW_TOLERANCE)), columns))
    return rows


def _nudged_prices(
    model: Model,
    link_rows: list[int],
    share_counts: list[tuple[float, float, npt.NDArray[np.int32]]],
) -> tuple[float, FloatArray] | None:
    """The linear relaxation with every class taking ``NUDGE`` more, the shares as whole
    counts: its value and the price of each class's link row; None when it has no solution.
    The model is left as it was."""
    highs = model.highs
    for row in link_rows:
        model.set_row_bounds(row, NUDGE, NUDGE)
    first = highs.getNumRow()
    for lower, upper, columns in share_counts:
        highs.addRow(lower, upper, len(columns), columns, np.ones(len(columns)))
    highs.setOptionValue("solve_relaxation", True)
    try:
        highs.run()
        optimal = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
        solution = highs.getSolution()
        if not optimal or not solution.dual_valid:
            return None
        value = float(highs.getInfo().objective_function_value)
        prices = np.asarray(solution.row_dual, dtype=np.float64)[link_rows]
    finally:
        highs.setOptionValue("solve_relaxation", False)
        for row in link_rows:
            model.set_row_bounds(row, 0.0, 0.0)
        added = np.arange(first, highs.getNumRow(), dtype=np.int32)
        if len(added):
            highs.deleteRows(len(added), added)
    return value, prices


def _count_rows(
    model: Model, link_rows: list[int], count_column: npt.NDArray[np.int64]
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """The rules' rows (all but the link rows) over the classes' counts (rows × classes),
    their bounds, and the upper bound of each class's count."""
    lp = model.highs.getLp()
    a = lp.a_matrix_
    shape = (lp.num_row_, lp.num_col_)
    arrays = (np.asarray(a.value_), np.asarray(a.index_), np.asarray(a.start_))
    if a.format_ == highspy.MatrixFormat.kRowwise:
        matrix = sparse.csr_matrix(arrays, shape=shape)
    else:
        matrix = sparse.csc_matrix(arrays, shape=shape).tocsr()
    keep = np.ones(lp.num_row_, dtype=bool)
    keep[link_rows] = False
    return (
        matrix[keep][:, count_column].toarray(),
        np.asarray(lp.row_lower_, dtype=np.float64)[keep],
        np.asarray(lp.row_upper_, dtype=np.float64)[keep],
        np.asarray(lp.col_upper_, dtype=np.float64)[count_column],
    )
