"""Sorted, paginated lists: every long list in Tremplin goes through here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, QueryDict

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Listing:
    page: Page[Any]
    sort: str
    params: QueryDict

    @property
    def sort_key(self) -> str:
        return self.sort.lstrip("-")

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")

    def url_for(self, **changes: Any) -> str:
        params = self.params.copy()
        for key, value in changes.items():
            if value in (None, ""):
                params.pop(key, None)
            else:
                params[key] = str(value)
        encoded = params.urlencode()
        return f"?{encoded}" if encoded else "?"


def paginate_sorted(
    request: HttpRequest,
    queryset: QuerySet[M],
    *,
    sorts: Mapping[str, tuple[str, ...]],
    default: str,
    per_page: int | None = None,
) -> Listing:
    """Sort by a whitelisted key (`?sort=name` or `?sort=-name`) and paginate (`?page=2`)."""
    requested = request.GET.get("sort", default)
    key = requested.lstrip("-")
    if key not in sorts:
        requested, key = default, default.lstrip("-")
    descending = requested.startswith("-")
    order = [f"-{f.lstrip('-')}" if descending else f for f in sorts[key]]
    paginator = Paginator(queryset.order_by(*order, "pk"), per_page or settings.TREMPLIN_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return Listing(page=page, sort=requested, params=params)
