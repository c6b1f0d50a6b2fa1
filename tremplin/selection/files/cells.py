"""A spreadsheet cell, both ways: made safe so that a spreadsheet never runs it as a formula
(CSV injection), and read back as text."""

from __future__ import annotations

import datetime as dt
from typing import Any

# Characters that make a spreadsheet read a cell as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


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
    text = str(value).strip()
    # A cell escaped by `spreadsheet_safe` on export reads back as it was.
    if text.startswith("'") and text[1:2] in FORMULA_PREFIXES:
        text = text[1:]
    return text


def spreadsheet_safe(value: Any) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula: a value starting with
    = + - @ (or a tab or carriage return) gets a leading single quote."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text
