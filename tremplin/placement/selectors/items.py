"""Reads of the item bank, scoped to the acting user: the questions of the organisations where
they hold a role (another organisation's question is not found), the list's filters, how often
a question was asked, and who may have a question's own picture and recordings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from tremplin.core import params
from tremplin.core.models import User
from tremplin.placement.item_entries import LANGUAGES, missing_parts
from tremplin.placement.models import (
    CONTENT_TYPES,
    PICTURE_PART,
    Answer,
    Item,
    ItemKind,
    ItemRecording,
    ItemStatus,
)
from tremplin.placement.selectors.access import BANK_READ_ROLES, may_in, organisation_ids_for

ITEM_FILTERS = ("organisation", "area", "competence", "level", "status", "kind", "missing", "q")


def items_visible(*, user: User, roles: frozenset[str] = BANK_READ_ROLES) -> QuerySet[Item]:
    """The questions of the organisations where the user holds one of ``roles``."""
    ids = organisation_ids_for(user, roles)
    items = Item.objects.select_related("competence__area", "organisation")
    return items if ids is None else items.filter(organisation_id__in=ids)


def item_get(*, user: User, item_id: int, roles: frozenset[str] = BANK_READ_ROLES) -> Item:
    item = items_visible(user=user, roles=roles).filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


@dataclass(frozen=True)
class Usage:
    asked: int
    right: int

    @property
    def share_right(self) -> int | None:
        """Per cent of the answers that were right (None when never asked)."""
        return round(100 * self.right / self.asked) if self.asked else None


def item_usage(*, item: Item) -> Usage:
    """How often the question was asked in a placement test, and how often answered right."""
    counts = Answer.objects.filter(item=item).aggregate(
        asked=Count("pk"), right=Count("pk", filter=Q(right=True))
    )
    return Usage(asked=counts["asked"] or 0, right=counts["right"] or 0)


@dataclass(frozen=True)
class Filtered:
    items: QuerySet[Item]
    without_status: QuerySet[Item]
    values: dict[str, str]


def items_filtered(*, user: User, filters: Mapping[str, str]) -> Filtered:
    """The questions the user may read, filtered by the list's form: ``filters`` by name (see
    ITEM_FILTERS; a value missing, empty or not understood filters nothing)."""
    values = {key: filters.get(key, "").strip() for key in ITEM_FILTERS}
    items = items_visible(user=user)
    if (organisation_id := params.id_parse(values["organisation"])) is not None:
        items = items.filter(organisation_id=organisation_id)
    if values["area"]:
        items = items.filter(competence__area__code=values["area"])
    if values["competence"]:
        items = items.filter(competence__code=values["competence"])
    if (level := params.int_parse(values["level"], min_value=0, max_value=1000)) is not None:
        items = items.filter(level=level)
    if values["kind"] in ItemKind.values:
        items = items.filter(kind=values["kind"])
    if values["q"]:
        q = values["q"]
        items = items.filter(
            Q(code__icontains=q)
            | Q(stem__fr__icontains=q)
            | Q(stem__en__icontains=q)
            | Q(stem__ar__icontains=q)
        )
    if values["missing"] in LANGUAGES:
        # Checked here rather than in SQL (texts live in JSON); one query, the bank is small.
        rows = items.values_list(
            "pk", "stem", "choices", "image", "picture", "image_alt", "accessibility", "audio"
        )
        keys = ("stem", "choices", "image", "picture", "image_alt", "accessibility", "audio")
        recorded: dict[int, list[str]] = {}
        for item_id, recorded_in in ItemRecording.objects.filter(item__in=items).values_list(
            "item_id", "language"
        ):
            recorded.setdefault(item_id, []).append(recorded_in)
        wanting = [
            row[0]
            for row in rows
            if missing_parts(
                {**dict(zip(keys, row[1:], strict=True)), "recordings": recorded.get(row[0], [])},
                values["missing"],
            )
        ]
        items = items.filter(pk__in=wanting)
    without_status = items
    if values["status"] in ItemStatus.values:
        items = items.filter(status=values["status"])
    return Filtered(items=items, without_status=without_status, values=values)


def item_status_counts(*, items: QuerySet[Item]) -> dict[str, int]:
    """How many of ``items`` have each status."""
    return {
        row["status"]: row["n"] for row in items.order_by().values("status").annotate(n=Count("pk"))
    }


def item_file(*, user: User | None, item_id: int, part: str) -> tuple[str, str, bool]:
    """The stored name and content type of a question's picture (``part`` "picture") or
    recording (``part`` a language), and whether the question is live. Anyone may have the
    files of a live question (test-takers are anonymous on their private link); otherwise
    those who may read the organisation's bank only. Not found (404) for everyone else, and
    when there is no such file."""
    item = Item.objects.filter(pk=item_id).only("pk", "organisation", "status", "picture")
    found = item.first()
    if found is None:
        raise Http404
    live = found.status == ItemStatus.LIVE
    if not live and not (user is not None and may_in(user, found.organisation_id, BANK_READ_ROLES)):
        raise Http404
    if part == PICTURE_PART:
        name = found.picture.name or ""
    elif part in LANGUAGES:
        recording = ItemRecording.objects.filter(item_id=found.pk, language=part).first()
        name = recording.file.name if recording is not None else ""
    else:
        name = ""
    content_type = CONTENT_TYPES.get(PurePosixPath(name).suffix.lstrip("."), "")
    if not name or not content_type:
        raise Http404
    return name, content_type, live
