"""Frameworks and items from files: the shipped DigComp 2.2 with its crosswalks (Pix, ICDL,
Simplon), an organisation's own framework, and item banks (the demo's, or a CSV/JSON import).
Each problem names the file's entry; nothing is saved unless everything is right."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tremplin.network.models import Organisation
from tremplin.placement import adaptive
from tremplin.placement.models import (
    Area,
    Competence,
    CrosswalkLink,
    Framework,
    Item,
    ItemKind,
    ItemStatus,
)

DATA = Path(__file__).resolve().parent / "data"
DIGCOMP = "digcomp-2.2"
SHIPPED_ORDER = ("digcomp-2.2", "pix", "icdl-base", "simplon-cnf")
LANGUAGES = ("fr", "en", "ar")


def _texts(value: Any, where: str, errors: list[str], *, required: bool = True) -> dict[str, str]:
    if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
        if required or value:
            errors.append(_("%(where)s: texts by language are expected.") % {"where": where})
        return {}
    texts = {str(k): str(v) for k, v in value.items() if str(v).strip()}
    if required and not (texts.get("fr") or texts.get("en")):
        errors.append(_("%(where)s: a French or English text is needed.") % {"where": where})
    return texts


def framework_load(data: Mapping[str, Any], *, organisation: Organisation | None) -> Framework:
    """Create or replace a framework (by code) with its areas, competences and crosswalk."""
    errors: list[str] = []
    code = str(data.get("code") or "").strip()
    if not code:
        errors.append(_("The framework has no code."))
    name = _texts(data.get("name"), _("Framework name"), errors)
    areas = data.get("areas")
    if not isinstance(areas, list) or not areas:
        errors.append(_("The framework has no areas."))
        areas = []
    seen: set[str] = set()
    for area in areas:
        area_code = str(area.get("code", "")).strip()
        _texts(area.get("name"), _("Area %(code)s") % {"code": area_code}, errors)
        for competence in area.get("competences") or []:
            c = str(competence.get("code", "")).strip()
            where = _("Competence %(code)s") % {"code": c}
            if not c or c in seen:
                errors.append(_("%(where)s: a code is missing or used twice.") % {"where": where})
            seen.add(c)
            _texts(competence.get("name"), where, errors)
    crosswalk = data.get("crosswalk") or {}
    links = crosswalk.get("links") or [] if isinstance(crosswalk, Mapping) else []
    target = _crosswalk_target(crosswalk, links, codes=seen, errors=errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        framework, _created = Framework.objects.update_or_create(
            organisation=organisation,
            code=code,
            defaults={
                "name": name,
                "publisher": data.get("publisher") or {},
                "url": data.get("url") or "",
                "levels": data.get("levels") or [],
                "maps_to": target,
            },
        )
        kept: list[str] = []
        for position, area in enumerate(areas, start=1):
            area_row, _c = Area.objects.update_or_create(
                framework=framework,
                code=str(area["code"]),
                defaults={"name": area.get("name") or {}, "position": position},
            )
            for competence in area.get("competences") or []:
                kept.append(str(competence["code"]))
                Competence.objects.update_or_create(
                    framework=framework,
                    code=str(competence["code"]),
                    defaults={
                        "area": area_row,
                        "name": competence.get("name") or {},
                        "description": competence.get("description") or {},
                        "position": len(kept),
                    },
                )
        framework.competences.exclude(code__in=kept).filter(items__isnull=True).delete()
        framework.areas.filter(competences__isnull=True).delete()
        CrosswalkLink.objects.filter(source__framework=framework).delete()
        if target is not None:
            mine = {c.code: c for c in framework.competences.all()}
            theirs = {c.code: c for c in target.competences.all()}
            CrosswalkLink.objects.bulk_create(
                CrosswalkLink(
                    source=mine[link["from"]], target=theirs[to], note=link.get("note") or {}
                )
                for link in links
                for to in link.get("to") or []
            )
    return framework


def _crosswalk_target(
    crosswalk: Any, links: Sequence[Mapping[str, Any]], *, codes: set[str], errors: list[str]
) -> Framework | None:
    """The shipped framework a crosswalk maps to (None without a crosswalk), its links checked:
    each from one of ``codes`` (the framework's competences) to competences of the target."""
    if not crosswalk:
        return None
    target = Framework.objects.filter(code=crosswalk.get("to"), organisation__isnull=True).first()
    if target is None:
        errors.append(
            _("Crosswalk: no shipped framework “%(code)s”.") % {"code": crosswalk.get("to")}
        )
        return None
    known = set(target.competences.values_list("code", flat=True))
    for link in links:
        if link.get("from") not in codes:
            errors.append(
                _("Crosswalk: “%(code)s” is not a competence of this framework.")
                % {"code": link.get("from")}
            )
        for to in link.get("to") or []:
            if to not in known:
                errors.append(
                    _("Crosswalk from %(from)s: “%(code)s” is not in %(target)s.")
                    % {"from": link.get("from"), "code": to, "target": target.code}
                )
    return target


def frameworks_install_shipped() -> list[Framework]:
    """DigComp 2.2 and the frameworks mapped to it, from tremplin/placement/data/frameworks."""
    return [
        framework_load(
            json.loads((DATA / "frameworks" / f"{code}.json").read_text(encoding="utf-8")),
            organisation=None,
        )
        for code in SHIPPED_ORDER
    ]


def digcomp() -> Framework:
    return Framework.objects.get(code=DIGCOMP, organisation__isnull=True)


# --- Items -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemsImported:
    created: int
    updated: int


def _choice_check(choice: Any, *, number: int, kind: str, where: str, found: list[str]) -> None:
    """The problems of one choice: its texts, and on a picture its place (x, y, w, h in %)."""
    _texts(
        {k: v for k, v in choice.items() if k in LANGUAGES}
        if isinstance(choice, Mapping)
        else None,
        _("%(where)s, choice %(n)s") % {"where": where, "n": number},
        found,
    )
    if kind != ItemKind.HOTSPOT or not isinstance(choice, Mapping):
        return
    try:
        box = [float(choice[key]) for key in ("x", "y", "w", "h")]
    except (KeyError, TypeError, ValueError):
        box = [-1.0]
    if min(box) < 0 or (len(box) == 4 and (box[0] + box[2] > 100 or box[1] + box[3] > 100)):
        found.append(
            _(
                "%(where)s, choice %(n)s: the place on the picture (x, y, w, h in %%) is "
                "missing or outside it."
            )
            % {"where": where, "n": number}
        )


def _calibration(a: Any, b: Any, *, where: str, found: list[str]) -> tuple[Any, Any]:
    """The item's a and b as numbers (both None when neither is given); a problem in
    ``found`` when only one is given, one is not a number, or a is not above 0."""
    if (a in (None, "")) != (b in (None, "")):
        found.append(_("%(where)s: give both a and b, or neither.") % {"where": where})
    elif a not in (None, ""):
        try:
            a, b = float(str(a)), float(str(b))
        except (TypeError, ValueError):
            found.append(_("%(where)s: a and b must be numbers.") % {"where": where})
        else:
            if a <= 0:
                found.append(_("%(where)s: a must be above 0.") % {"where": where})
    else:
        a = b = None
    return a, b


def _item_fields(
    entry: Mapping[str, Any], where: str, competences: Mapping[str, Competence], errors: list[str]
) -> dict[str, Any]:
    found: list[str] = []
    competence = competences.get(str(entry.get("competence", "")))
    if competence is None:
        found.append(
            _("%(where)s: “%(code)s” is not a DigComp 2.2 competence.")
            % {"where": where, "code": entry.get("competence")}
        )
    try:
        level = int(entry.get("level", 0))
    except (TypeError, ValueError):
        level = 0
    if not 1 <= level <= 8:
        found.append(_("%(where)s: the level must be 1 to 8.") % {"where": where})
    kind = entry.get("kind", ItemKind.CHOICE)
    if kind not in ItemKind.values:
        found.append(_("%(where)s: the kind must be choice or hotspot.") % {"where": where})
    stem = _texts(entry.get("stem"), where, found)
    choices = entry.get("choices")
    if not isinstance(choices, list) or not 2 <= len(choices) <= 6:
        found.append(_("%(where)s: give 2 to 6 choices.") % {"where": where})
        choices = []
    for number, choice in enumerate(choices, start=1):
        _choice_check(choice, number=number, kind=kind, where=where, found=found)
    try:
        answer = int(entry.get("answer", -1))
    except (TypeError, ValueError):
        answer = -1
    if not 0 <= answer < max(len(choices), 1):
        found.append(_("%(where)s: the right choice is not one of the choices.") % {"where": where})
    # ``has_uploaded_picture``: set by the authoring pages for a question whose picture was
    # uploaded (files do not travel in the entries).
    if (
        kind == ItemKind.HOTSPOT
        and not entry.get("image")
        and not entry.get("has_uploaded_picture")
    ):
        found.append(_("%(where)s: a task on a picture needs the picture.") % {"where": where})
    status = entry.get("status", ItemStatus.LIVE)
    if status not in ItemStatus.values:
        found.append(
            _("%(where)s: unknown status “%(status)s”.") % {"where": where, "status": status}
        )
    a, b = _calibration(entry.get("a"), entry.get("b"), where=where, found=found)
    errors.extend(found)
    if found:
        return {}
    return {
        "competence": competence,
        "level": level,
        "kind": kind,
        "stem": stem,
        "choices": choices,
        "answer": answer,
        "image": str(entry.get("image") or ""),
        "image_alt": entry.get("image_alt") or {},
        "audio": entry.get("audio") or {},
        "accessibility": entry.get("accessibility") or {},
        "status": status,
        "a": a,
        "b": b,
    }


def _items_checked(
    entries: Sequence[Mapping[str, Any]],
) -> tuple[dict[str, dict[str, Any]], list[list[str]]]:
    """Each entry's fields by code, and each entry's problems (in the entries' order)."""
    competences = {c.code: c for c in digcomp().competences.all()}
    rows: dict[str, dict[str, Any]] = {}
    problems: list[list[str]] = []
    for number, entry in enumerate(entries, start=1):
        found: list[str] = []
        problems.append(found)
        code = str(entry.get("code") or "").strip()
        where = _("Item %(code)s") % {"code": code} if code else _("Entry %(n)s") % {"n": number}
        if not code:
            found.append(_("%(where)s: the code is missing.") % {"where": where})
            continue
        if code in rows:
            found.append(_("%(where)s: the code is used twice.") % {"where": where})
            continue
        rows[code] = _item_fields(entry, where, competences, found)
    return rows, problems


def items_check(*, entries: Sequence[Mapping[str, Any]]) -> list[list[str]]:
    """What ``items_import`` would refuse, entry by entry (an empty list: the entry is fine).
    Nothing is written."""
    return _items_checked(entries)[1]


def items_import(
    *, organisation: Organisation, entries: Sequence[Mapping[str, Any]]
) -> ItemsImported:
    """Create or update items by code; all or nothing, each problem naming the item."""
    rows, problems = _items_checked(entries)
    errors = [problem for found in problems for problem in found]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        existing = {
            i.code: i
            for i in Item.objects.select_for_update().filter(
                organisation=organisation, code__in=list(rows)
            )
        }
        created = updated = 0
        for code, fields in rows.items():
            item = existing.get(code)
            if item is None:
                Item.objects.create(organisation=organisation, code=code, **fields)
                created += 1
            else:
                for key, value in fields.items():
                    setattr(item, key, value)
                item.save()
                updated += 1
    return ItemsImported(created, updated)


def shipped_items() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for path in sorted((DATA / "items").glob("area*.json")):
        entries.extend(json.loads(path.read_text(encoding="utf-8"))["items"])
    return entries


def bank_install_shipped(organisation: Organisation) -> ItemsImported:
    """The project's item bank (written for Tremplin), live, into an organisation's bank."""
    return items_import(organisation=organisation, entries=shipped_items())


# --- The engine's view of a bank ------------------------------------------------------------


@dataclass(frozen=True)
class LiveBank:
    bank: adaptive.Bank
    items: list[Item]
    position: dict[int, int]  # item id → position in the bank


def live_bank(organisation_id: int) -> LiveBank:
    """The organisation's live items as the engine's arrays. Only what the engine reads is
    loaded: the texts (JSON in three languages) made this 47 of the 65 ms of an answer."""
    items = list(
        Item.objects.filter(organisation_id=organisation_id, status=ItemStatus.LIVE)
        .select_related("competence__area")
        .only("id", "code", "level", "a", "b", "competence__id", "competence__area__code")
        .order_by("code")
    )
    return LiveBank(engine_bank(items), items, {item.pk: n for n, item in enumerate(items)})


def engine_bank(items: Sequence[Item]) -> adaptive.Bank:
    """Items (with ``competence__area`` loaded) as the engine's arrays; uncalibrated items
    take a = 1 and b from their nominal level (the level-based start)."""
    return adaptive.Bank.build(
        codes=[i.code for i in items],
        a=[i.a if i.a is not None else 1.0 for i in items],
        b=[i.b if i.b is not None else adaptive.nominal_difficulty(i.level) for i in items],
        areas=[i.competence.area.code for i in items],
    )
