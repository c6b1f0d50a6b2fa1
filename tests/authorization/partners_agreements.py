"""Matrix rows for partners: agreements (see partners.py for who may do what)."""

from __future__ import annotations

from tests.authorization.rows import Row

ROWS: list[Row] = []
