"""When no cohort keeps every rule: an irreducible set of conflicting rules, found by a deletion
filter (minimal, not always the smallest possible)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from tremplin.selection.cohort.milp import INF, Status
from tremplin.selection.cohort.model import build
from tremplin.selection.cohort.preparation import Prepared


def conflict(
    prep: Prepared, *, extra: Mapping[int, int] | None = None
) -> tuple[tuple[str, ...], int]:
    """A deletion filter: drop each row in turn and keep it dropped while the rest still
    conflict. What remains is irreducible: without any one of them the others can hold."""
    # Seats per site as they are (not Hall's sets of sites): each row is one the user knows.
    built = build(prep, take=[0] * len(prep.classes), extra=extra, hall=False)
    model = built.model
    model.set_costs(np.zeros(model.columns))
    solves = 0
    by_key = {row.key: row for row in prep.rows}
    # Rows least likely to matter first, so they leave early; the seats of sites last.
    order = sorted(built.row_of, key=lambda key: (by_key[key].kind in ("site", "fill"), key))
    kept: list[str] = []
    for key in order:
        row = built.row_of[key]
        model.set_row_bounds(row, -INF, INF)
        outcome = model.solve()
        solves += 1
        if outcome.status == Status.INFEASIBLE:
            continue
        model.set_row_bounds(row, by_key[key].lower, by_key[key].upper)
        kept.append(key)
    return tuple(by_key[key].label for key in prep_rows_order(prep, kept)), solves


def prep_rows_order(prep: Prepared, keys: Iterable[str]) -> list[str]:
    wanted = set(keys)
    return [row.key for row in prep.rows if row.key in wanted]
