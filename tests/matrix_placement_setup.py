"""Authorization matrix rows for the placement setup pages (see test_authorization_matrix.py)."""

from __future__ import annotations

from typing import Any

ROWS: list[tuple[str, str, Any, dict[str, Any] | None, str]] = []
