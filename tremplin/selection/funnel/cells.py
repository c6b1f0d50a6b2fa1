"""The funnel's cells as the page prints them: totals per step, the breakdown by a dimension,
the summary of each call, rates, bars, and the small cells hidden from funder viewers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tremplin.outreach.models import Channel
from tremplin.people.models import Gender
from tremplin.selection.funnel.counts import is_selected, region_names
from tremplin.selection.models import AgeBand, Call

UNKNOWN = "unknown"


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


def value_key(dimension: str | None, value: object) -> str:
    if dimension == "priority_neighbourhood":
        return "yes" if value else "no"
    if value is None or value == "" or value == AgeBand.UNKNOWN:
        return UNKNOWN
    return str(value)


def value_labels(dimension: str, keys: set[str]) -> list[DimensionValue]:
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
        named = region_names(region_ids)
        labels = {
            str(pk): name for pk, name in sorted(named.items(), key=lambda item: item[1].lower())
        }
    values = [DimensionValue(k, label) for k, label in labels.items() if k in keys]
    values += [DimensionValue(k, k) for k in sorted(keys - set(labels) - {UNKNOWN})]
    if UNKNOWN in keys:
        values.append(DimensionValue(UNKNOWN, _("Not known")))
    return values


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


def call_summaries(
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
        if is_selected(row):
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


def step_cells(
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


def breakdown_rows(
    dimension: str,
    counts: list[dict[str, Any]],
    steps_counts: list[tuple[str, str, dict[str, int]]],
    suppressed: bool,
    threshold: int,
) -> list[BreakdownRow]:
    keys = {value_key(dimension, row.get(dimension)) for row in counts}
    values = value_labels(dimension, keys)
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
