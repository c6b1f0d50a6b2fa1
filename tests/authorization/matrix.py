"""Every row of the authorization matrix, area after area (each area's module exports ROWS)."""

from __future__ import annotations

from tests.authorization import (
    accounts,
    core,
    messaging,
    network,
    outreach,
    partners,
    people,
    placement,
    selection,
    training,
)
from tests.authorization.rows import Row

ROWS: list[Row] = [
    *core.ROWS,
    *network.ROWS,
    *people.ROWS,
    *messaging.ROWS,
    *outreach.ROWS,
    *accounts.ROWS,
    *selection.ROWS,
    *placement.ROWS,
    *training.ROWS,
    *partners.ROWS,
]
