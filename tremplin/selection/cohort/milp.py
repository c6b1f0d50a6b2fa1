"""A small, typed layer over HiGHS (highspy) for the cohort optimiser.

Models are written row by row in Python lists (or numpy arrays for the large ones), passed to
HiGHS in one call, and can then be changed in place (bounds, costs) and solved again: the
explanations re-solve the same model hundreds of times with one bound changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import highspy
import numpy as np
import numpy.typing as npt

INF = float(highspy.kHighsInf)
INTEGRAL_TOLERANCE = 1e-6

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class Status(StrEnum):
    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    TIME_LIMIT = "time limit"
    ERROR = "error"


@dataclass(frozen=True)
class Outcome:
    status: Status
    objective: float
    bound: float
    values: FloatArray
    seconds: float


@dataclass
class Builder:
    """Columns and rows collected before the model goes to HiGHS."""

    cost: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)
    starts: list[int] = field(default_factory=lambda: [0])
    index: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)

    def column(self, *, cost: float, lower: float, upper: float, integer: bool) -> int:
        self.cost.append(cost)
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(integer)
        return len(self.cost) - 1

    def row(
        self, *, lower: float, upper: float, columns: Sequence[int], values: Sequence[float]
    ) -> int:
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        self.index.extend(columns)
        self.value.extend(values)
        self.starts.append(len(self.index))
        return len(self.row_lower) - 1

    def build(
        self, *, maximise: bool, presolve: bool = True, relaxation_first: bool = False
    ) -> Model:
        return Model.from_arrays(
            cost=np.asarray(self.cost, dtype=np.float64),
            lower=np.asarray(self.lower, dtype=np.float64),
            upper=np.asarray(self.upper, dtype=np.float64),
            integer=np.asarray(self.integer, dtype=bool),
            row_lower=np.asarray(self.row_lower, dtype=np.float64),
            row_upper=np.asarray(self.row_upper, dtype=np.float64),
            starts=np.asarray(self.starts, dtype=np.int64),
            index=np.asarray(self.index, dtype=np.int64),
            value=np.asarray(self.value, dtype=np.float64),
            maximise=maximise,
            presolve=presolve,
            relaxation_first=relaxation_first,
        )


class Model:
    """One HiGHS model; solve it, change it, solve it again."""

    def __init__(
        self,
        highs: highspy.Highs,
        columns: int,
        rows: int,
        integer: npt.NDArray[np.bool_] | None = None,
        relaxation_first: bool = False,
    ) -> None:
        self.highs = highs
        self.columns = columns
        self.rows = rows
        self.integer = np.flatnonzero(integer) if integer is not None else np.zeros(0, np.int64)
        self.relaxation_first = relaxation_first and len(self.integer) > 0

    @classmethod
    def from_arrays(
        cls,
        *,
        cost: FloatArray,
        lower: FloatArray,
        upper: FloatArray,
        integer: npt.NDArray[np.bool_],
        row_lower: FloatArray,
        row_upper: FloatArray,
        starts: IntArray,
        index: IntArray,
        value: FloatArray,
        maximise: bool,
        presolve: bool = True,
        relaxation_first: bool = False,
    ) -> Model:
        lp = highspy.HighsLp()
        lp.num_col_ = len(cost)
        lp.num_row_ = len(row_lower)
        lp.col_cost_ = cost
        lp.col_lower_ = lower
        lp.col_upper_ = upper
        lp.row_lower_ = row_lower
        lp.row_upper_ = row_upper
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_ = len(cost)
        lp.a_matrix_.num_row_ = len(row_lower)
        lp.a_matrix_.start_ = starts.astype(np.int32)
        lp.a_matrix_.index_ = index.astype(np.int32)
        lp.a_matrix_.value_ = value
        lp.sense_ = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
        if integer.any():
            lp.integrality_ = [
                highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous
                for flag in integer.tolist()
            ]
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
        highs.setOptionValue("output_flag", False)
        # Exact: HiGHS stops at a 0.01 % gap by default; a committee needs the optimum itself.
        highs.setOptionValue("mip_rel_gap", 0.0)
        highs.setOptionValue("mip_abs_gap", 1e-7)
        highs.setOptionValue("threads", 1)
        if not presolve:
            highs.setOptionValue("presolve", "off")
        highs.passModel(lp)
        return cls(highs, len(cost), len(row_lower), integer, relaxation_first)

    def solve(self, *, time_limit: float | None = None) -> Outcome:
        """Solve to optimality. With ``relaxation_first``, the linear relaxation is solved
        first: when its solution is already whole wherever a whole number is needed, it is the
        optimum of the integer model too, proved by the relaxation's own bound."""
        if self.relaxation_first:
            self.highs.setOptionValue("solve_relaxation", True)
            relaxed = self._run(time_limit)
            self.highs.setOptionValue("solve_relaxation", False)
            if relaxed.status == Status.INFEASIBLE:
                return relaxed
            if relaxed.status == Status.OPTIMAL:
                whole = relaxed.values[self.integer]
                if np.all(np.abs(whole - np.round(whole)) <= INTEGRAL_TOLERANCE):
                    values = relaxed.values.copy()
                    values[self.integer] = np.round(whole)
                    return Outcome(
                        Status.OPTIMAL,
                        relaxed.objective,
                        relaxed.objective,
                        values,
                        relaxed.seconds,
                    )
        return self._run(time_limit)

    def _run(self, time_limit: float | None) -> Outcome:
        highs = self.highs
        if time_limit is not None:
            highs.setOptionValue("time_limit", float(time_limit))
        highs.run()
        model_status = highs.getModelStatus()
        info = highs.getInfo()
        seconds = float(highs.getRunTime())
        known = highspy.HighsModelStatus
        if model_status == known.kOptimal:
            status = Status.OPTIMAL
        elif model_status in (known.kInfeasible, known.kUnboundedOrInfeasible):
            status = Status.INFEASIBLE
        elif model_status == known.kTimeLimit:
            status = Status.TIME_LIMIT
        else:
            status = Status.ERROR
        if status == Status.INFEASIBLE:
            return Outcome(status, float("nan"), float("nan"), np.zeros(0), seconds)
        values = np.asarray(highs.getSolution().col_value, dtype=np.float64)
        objective = float(info.objective_function_value)
        integral = info.mip_node_count >= 0
        bound = float(info.mip_dual_bound) if integral else objective
        if status == Status.OPTIMAL and not np.isfinite(bound):
            bound = objective
        return Outcome(status, objective, bound, values, seconds)

    def set_column_bounds(self, column: int, lower: float, upper: float) -> None:
        self.highs.changeColBounds(column, lower, upper)

    def set_row_bounds(self, row: int, lower: float, upper: float) -> None:
        self.highs.changeRowBounds(row, lower, upper)

    def set_costs(self, cost: FloatArray) -> None:
        indices = np.arange(self.columns, dtype=np.int32)
        self.highs.changeColsCost(self.columns, indices, cost.astype(np.float64))

    def add_row(
        self, *, lower: float, upper: float, columns: Sequence[int], values: Sequence[float]
    ) -> int:
        self.highs.addRow(
            lower,
            upper,
            len(columns),
            np.asarray(columns, dtype=np.int32),
            np.asarray(values, dtype=np.float64),
        )
        self.rows += 1
        return self.rows - 1
