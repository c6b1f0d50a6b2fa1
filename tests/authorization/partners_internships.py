"""Matrix rows for partners: internships (see partners.py for who may do what)."""

from __future__ import annotations

from tests.authorization.rows import Row

ROWS: list[Row] = []
