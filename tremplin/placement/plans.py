"""What a checked file would do, row by row: shared by the item and framework imports."""

from __future__ import annotations

from typing import Generic, Protocol, TypeVar


class PlannedRow(Protocol):
    @property
    def action(self) -> str: ...  # "create", "update", "unchanged", or "" when the row is wrong

    @property
    def problems(self) -> list[str]: ...


Row = TypeVar("Row", bound=PlannedRow)


class RowCounts(Generic[Row]):
    """Counts over ``rows`` (a field of the dataclass that inherits this)."""

    rows: list[Row]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action and not row.problems)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def rows_with_problems(self) -> list[Row]:
        return [row for row in self.rows if row.problems]
