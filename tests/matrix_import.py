"""Authorization matrix rows for the import pages (columns as in test_authorization_matrix)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conftest import World

Kwargs = Callable[[World], dict[str, Any]]
Row = tuple[str, str, Kwargs, dict[str, str] | None, str]

# fmt: off
IMPORT_ROWS: list[Row] = [
]
# fmt: on
