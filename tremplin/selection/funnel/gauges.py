"""Gauges against the programme's targets: share of women and share from priority
neighbourhoods, among the selected and among those still in the running at the last stage."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tremplin.selection.funnel.counts import is_selected
from tremplin.selection.models import Application, Call


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


def target_gauges(
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
        if is_selected(row):
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
