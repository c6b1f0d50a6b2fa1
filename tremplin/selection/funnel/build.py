"""The selection funnel: how many people reach each step of one call, or of several calls
together, broken down by who they are, and how the selection compares with the programme's
targets (share of women, share from priority neighbourhoods).

Reads only, scoped to the acting user. The counts come from ONE `GROUP BY` over the
applications' funnel snapshot (`status`, `stages_passed`, `outcome` and the dimension's
column, copied at submission), plus a constant handful of small queries (the calls, their
stages and sites, the information-session lists, region names): the number of queries does
not depend on the number of applications.

Steps, in order:

- registered for an information session of a call's sites during the call's window, and
  came to one (from the outreach lists; shown only when there are any, never broken down:
  a registration is not an application);
- applied: every submitted application, including those withdrawn later (they stop at
  the stage they had reached);
- one step per stage position, "passed <stage>": applications whose `stages_passed` is at
  least that position;
- selected: the committee's validated outcome, for those who still hold their seat (a
  selected learner who withdrew is no longer counted; the next on the waiting list is).

Several calls together: steps follow the stages' positions and take the names of the most
recent call (the page says so when the calls' stages differ). A call with fewer stages does
not count at the positions it lacks, so its selected applicants may make "selected" larger
than the last stage passed.

Funder viewers see the funnel of their organisations' calls with small cells suppressed:
counts under `TREMPLIN_SMALL_CELL_THRESHOLD` are shown as "< 5", so are the rates computed
from them, and in the breakdown a second cell is hidden when a step would otherwise show
all its values but one (the hidden one could be worked out from the total).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.core.models import User
from tremplin.selection.funnel.cells import (
    BreakdownRow,
    CallSummary,
    Step,
    breakdown_rows,
    call_summaries,
    step_cells,
    value_key,
)
from tremplin.selection.funnel.counts import (
    application_counts,
    information_session_counts,
    is_selected,
    stage_names_by_call,
)
from tremplin.selection.funnel.gauges import Gauge, target_gauges
from tremplin.selection.models import Call
from tremplin.selection.selectors import calls_run_among, funnel_calls

DIMENSIONS: dict[str, Promise] = {
    "gender": gettext_lazy("Gender"),
    "region": gettext_lazy("Region or province"),
    "priority_neighbourhood": gettext_lazy("Priority neighbourhood"),
    "age_band": gettext_lazy("Age band"),
    "channel": gettext_lazy("How they heard about the programme"),
}


def dimensions_offered(call_list: Sequence[Call]) -> list[tuple[str, Promise]]:
    """The breakdowns that mean something for these calls: the priority neighbourhood (QPV)
    only when every call's programme asks applicants the question."""
    asks = bool(call_list) and all(c.run.programme.asks_priority_neighbourhood for c in call_list)
    return [(k, v) for k, v in DIMENSIONS.items() if k != "priority_neighbourhood" or asks]


@dataclass(frozen=True)
class Funnel:
    calls: list[Call]
    summaries: list[CallSummary]
    dimension: str | None
    dimension_label: str
    steps: list[Step]
    breakdown: list[BreakdownRow]
    gauges: list[Gauge]
    suppressed: bool
    threshold: int
    stages_differ: bool
    stage_names_from: Call | None
    dimensions: list[tuple[str, Promise]]

    @property
    def application_steps(self) -> list[Step]:
        return [s for s in self.steps if not s.before_application]

    @property
    def applied(self) -> int:
        return next((s.total.count for s in self.steps if s.key == "applied"), 0)


# --- Building it --------------------------------------------------------------------------


def funnel_build(
    *, user: User, calls: QuerySet[Call] | Sequence[Call], dimension: str | None
) -> Funnel:
    """The funnel of `calls` (those of them the user may see), broken down by `dimension`
    (one of DIMENSIONS) when given."""
    if dimension is not None and dimension not in DIMENSIONS:
        raise ValueError(f"unknown funnel dimension: {dimension}")
    threshold: int = settings.TREMPLIN_SMALL_CELL_THRESHOLD
    chosen = calls.values("pk") if isinstance(calls, QuerySet) else [c.pk for c in calls]
    call_list = list(funnel_calls(user=user).filter(pk__in=chosen))
    dimensions = dimensions_offered(call_list)
    if dimension not in dict(dimensions):
        dimension = None  # not asked of these calls' applicants: no breakdown
    dimension_label = str(DIMENSIONS[dimension]) if dimension else ""
    if not call_list:
        return Funnel(
            calls=[],
            summaries=[],
            dimension=dimension,
            dimension_label=dimension_label,
            steps=[],
            breakdown=[],
            gauges=[],
            suppressed=False,
            threshold=threshold,
            stages_differ=False,
            stage_names_from=None,
            dimensions=dimensions,
        )
    ids = [c.pk for c in call_list]
    run_ids = calls_run_among(user=user, call_ids=ids)
    suppressed = not set(ids) <= run_ids

    stages = stage_names_by_call(ids)
    names, stages_differ = _stage_names(call_list, stages)

    counts = application_counts(ids, dimension)
    registered, attended = information_session_counts(call_list)

    # Totals per step, and per dimension value.
    positions = len(names)
    applied: dict[str, int] = defaultdict(int)
    passed: list[dict[str, int]] = [defaultdict(int) for _p in range(positions)]
    selected: dict[str, int] = defaultdict(int)
    for row in counts:
        key = value_key(dimension, row.get(dimension)) if dimension else ""
        n = row["n"]
        applied[key] += n
        for position in range(min(row["stages_passed"], positions)):
            passed[position][key] += n
        if is_selected(row):
            selected[key] += n

    steps_counts: list[tuple[str, str, dict[str, int]]] = [
        ("applied", _("Applied"), applied),
        *(
            (f"stage-{p + 1}", _("Passed: %(stage)s") % {"stage": names[p]}, passed[p])
            for p in range(positions)
        ),
        ("selected", _("Selected"), selected),
    ]
    steps = step_cells(registered, attended, steps_counts, suppressed, threshold)
    breakdown = (
        breakdown_rows(dimension, counts, steps_counts, suppressed, threshold) if dimension else []
    )
    gauges = target_gauges(call_list, stages, counts, suppressed, threshold)
    summaries = call_summaries(call_list, counts, run_ids, suppressed, threshold)
    return Funnel(
        calls=call_list,
        summaries=summaries,
        dimension=dimension,
        dimension_label=dimension_label,
        steps=steps,
        breakdown=breakdown,
        gauges=gauges,
        suppressed=suppressed,
        threshold=threshold,
        stages_differ=stages_differ,
        stage_names_from=call_list[0] if len(call_list) > 1 else None,
        dimensions=dimensions,
    )


def _stage_names(call_list: list[Call], stages: dict[int, list[str]]) -> tuple[list[str], bool]:
    """Stage names by position, from the most recent call, completed by the next calls when
    it has fewer stages; and whether the calls' stages differ."""
    names: list[str] = []
    for call in call_list:
        names.extend(stages[call.pk][len(names) :])
    first = stages[call_list[0].pk]
    differ = any(stages[c.pk] != first for c in call_list[1:])
    return names, differ
