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
- selected: the committee's validated outcome.

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

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.core.models import User
from tremplin.network.models import Region
from tremplin.network.selectors import can_see_aggregates, scope_for
from tremplin.outreach.models import Channel, InformationSession, Registration
from tremplin.people.models import Gender
from tremplin.selection.models import AgeBand, Application, Call, CallSite, Stage
from tremplin.selection.selectors import calls_run, can_run_selection

DIMENSIONS: dict[str, Promise] = {
    "gender": gettext_lazy("Gender"),
    "region": gettext_lazy("Region or province"),
    "priority_neighbourhood": gettext_lazy("Priority neighbourhood"),
    "age_band": gettext_lazy("Age band"),
    "channel": gettext_lazy("How they heard about the programme"),
}
# Applications that count as "applied": sent, whatever happened next.
APPLIED = (Application.Status.SUBMITTED, Application.Status.WITHDRAWN)
UNKNOWN = "unknown"


# --- Who sees which funnel ---------------------------------------------------------------


def can_see_funnel(user: User) -> bool:
    """Those who run calls, and funder viewers (aggregates only)."""
    return can_run_selection(user) or can_see_aggregates(user)


def funnel_calls(*, user: User) -> QuerySet[Call]:
    """Calls whose funnel the user may see: the calls they run and, for a funder viewer,
    every call of the organisations they fund (shown with small cells suppressed)."""
    scope = scope_for(user)
    run = calls_run(user=user)
    funded = scope.funder_organisation_ids()
    if scope.superuser or not funded:
        return run
    return Call.objects.filter(
        Q(pk__in=run.values("pk")) | Q(site__organisation_id__in=funded)
    ).select_related("site", "run__programme")


# --- What the page shows ------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionValue:
    key: str
    label: str


@dataclass(frozen=True)
class Cell:
    """One count, as the page prints it. Rates are percentages (0–100); None when there is
    nothing to divide by or when the count or its base is hidden."""

    count: int
    shown: str
    hidden: bool
    # The step's name, for the cells of the breakdown (phones show it before the number).
    label: str = ""
    from_previous: float | None = None
    from_applied: float | None = None
    share_of_step: float | None = None
    # Width of the bar, in percent of the chart's scale ("" when hidden).
    bar: str = ""


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    total: Cell
    before_application: bool = False


@dataclass(frozen=True)
class BreakdownRow:
    """One value of the dimension: a cell per application step (applied onwards), and the
    share of that group's applicants who were selected."""

    value: DimensionValue
    cells: list[Cell]
    selected_rate: float | None


@dataclass(frozen=True)
class CallSummary:
    """One call of the funnel: applicants and selected, and whether the user may open the
    call's own funnel page (they run it)."""

    call: Call
    applied: str
    selected: str
    can_open: bool


@dataclass(frozen=True)
class Gauge:
    label: str
    count: int
    total: int
    share: float | None
    target: float | None
    on_target: bool | None
    verdict: str
    bar: str = ""
    target_at: str = ""


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
        )
    ids = [c.pk for c in call_list]
    run_ids = _calls_run_among(user, ids)
    suppressed = not set(ids) <= run_ids

    stages: dict[int, list[str]] = defaultdict(list)
    for call_id, name in (
        Stage.objects.filter(call_id__in=ids)
        .order_by("call_id", "position")
        .values_list("call_id", "name")
    ):
        stages[call_id].append(name)
    names, stages_differ = _stage_names(call_list, stages)

    counts = _application_counts(ids, dimension)
    registered, attended = _information_session_counts(call_list)

    # Totals per step, and per dimension value.
    positions = len(names)
    applied: dict[str, int] = defaultdict(int)
    passed: list[dict[str, int]] = [defaultdict(int) for _p in range(positions)]
    selected: dict[str, int] = defaultdict(int)
    for row in counts:
        key = _value_key(dimension, row.get(dimension)) if dimension else ""
        n = row["n"]
        applied[key] += n
        for position in range(min(row["stages_passed"], positions)):
            passed[position][key] += n
        if row["outcome"] == Application.Outcome.SELECTED:
            selected[key] += n

    steps_counts: list[tuple[str, str, dict[str, int]]] = [
        ("applied", _("Applied"), applied),
        *(
            (f"stage-{p + 1}", _("Passed: %(stage)s") % {"stage": names[p]}, passed[p])
            for p in range(positions)
        ),
        ("selected", _("Selected"), selected),
    ]
    steps = _steps(registered, attended, steps_counts, suppressed, threshold)
    breakdown = (
        _breakdown(dimension, counts, steps_counts, suppressed, threshold) if dimension else []
    )
    gauges = _gauges(call_list, stages, counts, suppressed, threshold)
    summaries = _summaries(call_list, counts, run_ids, suppressed, threshold)
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
    )


def _calls_run_among(user: User, ids: list[int]) -> set[int]:
    """Which of the calls the user runs; small cells are hidden unless they run them all."""
    scope = scope_for(user)
    if scope.superuser or not scope.funder_organisation_ids():
        return set(ids)  # funnel_calls gave only calls the user runs
    return set(calls_run(user=user).filter(pk__in=ids).values_list("pk", flat=True))


def _stage_names(call_list: list[Call], stages: dict[int, list[str]]) -> tuple[list[str], bool]:
    """Stage names by position, from the most recent call, completed by the next calls when
    it has fewer stages; and whether the calls' stages differ."""
    names: list[str] = []
    for call in call_list:
        names.extend(stages[call.pk][len(names) :])
    first = stages[call_list[0].pk]
    differ = any(stages[c.pk] != first for c in call_list[1:])
    return names, differ


def _application_counts(ids: list[int], dimension: str | None) -> list[dict[str, Any]]:
    """The one GROUP BY: applications per call, status, stages passed, outcome (and
    dimension value), with the women and those from priority neighbourhoods among them."""
    group = ["call_id", "status", "stages_passed", "outcome"]
    if dimension:
        group.append(dimension)
    return list(
        Application.objects.filter(call_id__in=ids, status__in=APPLIED)
        .values(*group)
        .annotate(
            n=Count("pk"),
            women=Count("pk", filter=Q(gender=Gender.FEMALE)),
            priority=Count("pk", filter=Q(priority_neighbourhood=True)),
        )
        .order_by()
    )


def _information_session_counts(call_list: list[Call]) -> tuple[int, int]:
    """People registered for, and people who came to, an information session at one of a
    call's sites during the call's window (a registration counts once across calls)."""
    sites: dict[int, set[int]] = {c.pk: {c.site_id} for c in call_list}
    for call_id, site_id in (
        CallSite.objects.filter(call_id__in=list(sites))
        .order_by()
        .values_list("call_id", "site_id")
    ):
        sites[call_id].add(site_id)
    window = Q()
    for call in call_list:
        zone = zoneinfo.ZoneInfo(call.site.timezone)
        start = dt.datetime.combine(call.opens_on, dt.time.min, tzinfo=zone)
        end = dt.datetime.combine(call.closes_on + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        window |= Q(
            session__site_id__in=sorted(sites[call.pk]),
            session__starts_at__gte=start,
            session__starts_at__lt=end,
        )
    totals = (
        Registration.objects.filter(window)
        .exclude(status=Registration.Status.CANCELLED)
        .exclude(session__status=InformationSession.Status.CANCELLED)
        .aggregate(
            registered=Count("pk"), attended=Count("pk", filter=Q(checked_in_at__isnull=False))
        )
    )
    return totals["registered"] or 0, totals["attended"] or 0


def _value_key(dimension: str | None, value: object) -> str:
    if dimension == "priority_neighbourhood":
        return "yes" if value else "no"
    if value is None or value == "" or value == AgeBand.UNKNOWN:
        return UNKNOWN
    return str(value)


def _value_labels(dimension: str, keys: set[str]) -> list[DimensionValue]:
    """The dimension's values present in the data, in their natural order, with the words
    the users read; "not known" last."""
    labels: dict[str, str]
    if dimension == "gender":
        labels = {str(v): str(label) for v, label in Gender.choices}
    elif dimension == "age_band":
        labels = {str(v): str(label) for v, label in AgeBand.choices if v != AgeBand.UNKNOWN}
    elif dimension == "channel":
        labels = {str(v): str(label) for v, label in Channel.choices}
    elif dimension == "priority_neighbourhood":
        labels = {
            "yes": _("From a priority neighbourhood"),
            "no": _("Not from a priority neighbourhood"),
        }
    else:
        region_ids = [int(k) for k in keys if k != UNKNOWN]
        named = dict(Region.objects.filter(pk__in=region_ids).order_by().values_list("pk", "name"))
        labels = {
            str(pk): name for pk, name in sorted(named.items(), key=lambda item: item[1].lower())
        }
    values = [DimensionValue(k, label) for k, label in labels.items() if k in keys]
    values += [DimensionValue(k, k) for k in sorted(keys - set(labels) - {UNKNOWN})]
    if UNKNOWN in keys:
        values.append(DimensionValue(UNKNOWN, _("Not known")))
    return values


# --- Cells, suppression, rates ------------------------------------------------------------


def _hide(count: int, suppressed: bool, threshold: int) -> bool:
    return suppressed and 0 < count < threshold


def _shown(count: int, hidden: bool, threshold: int) -> str:
    return f"< {threshold}" if hidden else number_format(count, force_grouping=True)


def _cells_to_hide(counts: dict[str, int], suppressed: bool, threshold: int) -> dict[str, str]:
    """The cells of a row to hide, with what to print instead: the small ones ("< 5"), and
    a second one when only one is small ("hidden"), or the row's total minus the others
    would give the small one away."""
    small = {key for key, count in counts.items() if _hide(count, suppressed, threshold)}
    hidden = {key: f"< {threshold}" for key in small}
    if len(small) == 1:
        others = sorted((count, key) for key, count in counts.items() if key not in small and count)
        if others:
            hidden[others[0][1]] = _("hidden")
    return hidden


def _summaries(
    call_list: list[Call],
    counts: list[dict[str, Any]],
    run_ids: set[int],
    suppressed: bool,
    threshold: int,
) -> list[CallSummary]:
    applied: dict[str, int] = {str(c.pk): 0 for c in call_list}
    selected = dict(applied)
    for row in counts:
        applied[str(row["call_id"])] += row["n"]
        if row["outcome"] == Application.Outcome.SELECTED:
            selected[str(row["call_id"])] += row["n"]
    hide_applied = _cells_to_hide(applied, suppressed, threshold)
    hide_selected = _cells_to_hide(selected, suppressed, threshold)
    return [
        CallSummary(
            call=call,
            applied=hide_applied.get(str(call.pk)) or _shown(applied[str(call.pk)], False, 0),
            selected=hide_selected.get(str(call.pk)) or _shown(selected[str(call.pk)], False, 0),
            can_open=call.pk in run_ids,
        )
        for call in call_list
    ]


def _rate(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


def _rate_from(count: int, hidden: bool, base: Cell | None) -> float | None:
    """`count` as a percentage of the `base` cell, unless either is hidden."""
    if hidden or base is None or base.hidden:
        return None
    return _rate(count, base.count)


def _bar(part: int, whole: int) -> str:
    if not whole:
        return "0"
    width = 100 * part / whole
    # A step with someone in it always shows a sliver.
    return f"{max(width, 0.5) if part else 0:.2f}"


def _steps(
    registered: int,
    attended: int,
    steps_counts: list[tuple[str, str, dict[str, int]]],
    suppressed: bool,
    threshold: int,
) -> list[Step]:
    totals: list[tuple[str, str, int, bool]] = []
    if registered or attended:
        totals += [
            ("registered", _("Registered for an information session"), registered, True),
            ("attended", _("Came to an information session"), attended, True),
        ]
    totals += [(key, label, sum(by.values()), False) for key, label, by in steps_counts]
    scale = max((count for _k, _l, count, _b in totals), default=0)
    applied = next(count for key, _l, count, _b in totals if key == "applied")
    applied_hidden = _hide(applied, suppressed, threshold)
    steps: list[Step] = []
    previous: tuple[int, bool] | None = None
    for key, label, count, before in totals:
        hidden = _hide(count, suppressed, threshold)
        visible_rates = not hidden
        from_previous = None
        if previous is not None and visible_rates and not previous[1]:
            from_previous = _rate(count, previous[0])
        from_applied = None
        if not before and visible_rates and not applied_hidden:
            from_applied = _rate(count, applied)
        steps.append(
            Step(
                key=key,
                label=label,
                total=Cell(
                    count=count,
                    shown=_shown(count, hidden, threshold),
                    hidden=hidden,
                    from_previous=from_previous,
                    from_applied=from_applied,
                    bar="" if hidden else _bar(count, scale),
                ),
                before_application=before,
            )
        )
        previous = (count, hidden)
    return steps


def _breakdown(
    dimension: str,
    counts: list[dict[str, Any]],
    steps_counts: list[tuple[str, str, dict[str, int]]],
    suppressed: bool,
    threshold: int,
) -> list[BreakdownRow]:
    keys = {_value_key(dimension, row.get(dimension)) for row in counts}
    values = _value_labels(dimension, keys)
    # Which cells to hide, step by step, and what to print instead.
    hidden = [
        _cells_to_hide({v.key: by.get(v.key, 0) for v in values}, suppressed, threshold)
        for _key, _label, by in steps_counts
    ]
    step_totals = [sum(by.values()) for _k, _l, by in steps_counts]
    rows: list[BreakdownRow] = []
    for value in values:
        cells: list[Cell] = []
        for index, (_key, step_label, by) in enumerate(steps_counts):
            count = by.get(value.key, 0)
            instead = hidden[index].get(value.key)
            is_hidden = instead is not None
            total_hidden = _hide(step_totals[index], suppressed, threshold)
            share = None if is_hidden or total_hidden else _rate(count, step_totals[index])
            # Rates within the group: from its previous step and from its applicants.
            previous = cells[-1] if cells else None
            applicants = cells[0] if cells else None
            here = Cell(count=count, shown="", hidden=is_hidden)
            cells.append(
                Cell(
                    count=count,
                    shown=instead or _shown(count, False, threshold),
                    hidden=is_hidden,
                    label=step_label,
                    from_previous=_rate_from(count, is_hidden, previous),
                    from_applied=_rate_from(count, is_hidden, applicants or here),
                    share_of_step=share,
                    bar="" if share is None else f"{share:.2f}",
                )
            )
        rows.append(BreakdownRow(value=value, cells=cells, selected_rate=cells[-1].from_applied))
    return rows


# --- Gauges against the programme's targets -------------------------------------------------


def _gauges(
    call_list: list[Call],
    stages: dict[int, list[str]],
    counts: list[dict[str, Any]],
    suppressed: bool,
    threshold: int,
) -> list[Gauge]:
    """Share of women and share from priority neighbourhoods, among the selected and among
    those still in the running at the last stage (reached it, not turned down, not
    withdrawn), against the programme's targets."""
    # Per call: [selected, women selected, priority selected, running, women, priority].
    per_call: dict[int, list[int]] = defaultdict(lambda: [0] * 6)
    for row in counts:
        tally = per_call[row["call_id"]]
        if row["outcome"] == Application.Outcome.SELECTED:
            tally[0] += row["n"]
            tally[1] += row["women"]
            tally[2] += row["priority"]
        last = len(stages[row["call_id"]])
        if (
            row["status"] == Application.Status.SUBMITTED
            and row["outcome"] != Application.Outcome.REJECTED
            and row["stages_passed"] >= max(last - 1, 0)
        ):
            tally[3] += row["n"]
            tally[4] += row["women"]
            tally[5] += row["priority"]
    targets = {
        "women": {c.pk: c.run.programme.target_women_share for c in call_list},
        "priority": {c.pk: c.run.programme.target_priority_share for c in call_list},
    }
    specs = [
        ("women", 0, 1, _("Women among the selected")),
        ("women", 3, 4, _("Women among those still in the running at the last stage")),
        ("priority", 0, 2, _("From priority neighbourhoods among the selected")),
        (
            "priority",
            3,
            5,
            _("From priority neighbourhoods among those still in the running at the last stage"),
        ),
    ]
    gauges = []
    for target_key, total_at, count_at, label in specs:
        call_targets = targets[target_key]
        if all(t is None for t in call_targets.values()):
            # No programme aims at this share: a gauge would say nothing.
            continue
        total = sum(per_call[c][total_at] for c in call_targets)
        count = sum(per_call[c][count_at] for c in call_targets)
        target = _weighted_target(call_targets, {c: per_call[c][total_at] for c in call_targets})
        gauges.append(_gauge(label, count, total, target, suppressed, threshold))
    return gauges


def _weighted_target(targets: dict[int, Decimal | None], totals: dict[int, int]) -> Decimal | None:
    """The calls' targets, weighted by how many people each call counts (the plain mean of
    the targets while nobody is counted)."""
    known = {c: t for c, t in targets.items() if t is not None}
    if not known:
        return None
    weight = sum(totals[c] for c in known)
    if not weight:
        return sum(known.values(), Decimal(0)) / len(known)
    return sum((t * totals[c] for c, t in known.items()), Decimal(0)) / weight


def _percent(value: float) -> str:
    return number_format(round(value, 1), decimal_pos=0 if value == round(value) else 1)


def _gauge(
    label: str, count: int, total: int, target: Decimal | None, suppressed: bool, threshold: int
) -> Gauge:
    target_percent = float(target * 100) if target is not None else None
    target_at = f"{target_percent:.2f}" if target_percent is not None else ""
    if total == 0:
        return Gauge(label, 0, 0, None, target_percent, None, _("Nobody yet."), "", target_at)
    if suppressed and (total < threshold or 0 < count < threshold or 0 < total - count < threshold):
        return Gauge(
            label,
            count,
            total,
            None,
            target_percent,
            None,
            _("Too few people to show without identifying anyone."),
            "",
            target_at,
        )
    share = 100 * count / total
    words = {"share": _percent(share)}
    if target is None or target_percent is None:
        verdict = _("%(share)s %% — no target set for this programme.") % words
        return Gauge(label, count, total, share, None, None, verdict, f"{share:.2f}", "")
    words["target"] = _percent(target_percent)
    on_target = Decimal(count) >= target * total
    if on_target:
        verdict = _("On target: %(share)s %% for a target of %(target)s %%.") % words
    else:
        words["points"] = _percent(max(target_percent - share, 0.1))
        verdict = (
            _("Below target by %(points)s points: %(share)s %% for a target of %(target)s %%.")
            % words
        )
    return Gauge(
        label, count, total, share, target_percent, on_target, verdict, f"{share:.2f}", target_at
    )
