"""A spreadsheet cell read back as text, whatever its type (the export makes its cells safe
with ``core.spreadsheets.cell_safe``; this takes that escape away again)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tremplin.core.spreadsheets import cell_unsafe


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    # A cell made safe on export reads back as it was.
    return cell_unsafe(str(value).strip())
