"""Each programme's placement test settings: when the test stops, when a result is borderline,
and the level groups with the score where each starts. Staff see and give the cut-offs on the
0–100 score of the result pages (``Attempt.score`` = Φ(θ) × 100); they are kept on the θ scale
that ``rules_of`` reads. Writes are atomic and audited."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from statistics import NormalDist
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.network.models import Programme
from tremplin.placement import adaptive
from tremplin.placement.models import PlacementSetup
from tremplin.placement.selectors.access import MANAGE_ROLES, may_in
from tremplin.placement.selectors.settings import setup_of

# Settings of the test, in the units staff use.
SE_MIN, SE_MAX = Decimal("0.10"), Decimal("1.00")
MAX_ITEMS_MIN, MAX_ITEMS_MAX = 5, 60
BORDERLINE_MIN, BORDERLINE_MAX = Decimal("0.50"), Decimal("0.99")
CUT_OFF_MIN, CUT_OFF_MAX = 1.0, 99.0  # on the 0–100 score
MIN_GROUPS, MAX_GROUPS = 2, 6
GROUP_NAME_MAX_LENGTH = 32  # Attempt.band
_NORMAL = NormalDist()


def rules_of(setup: PlacementSetup) -> adaptive.Rules:
    bands = (
        tuple(
            adaptive.Band(str(b["name"]), float(b["lower"]) if b.get("lower") is not None else -1e9)
            for b in setup.bands
        )
        or adaptive.DEFAULT_BANDS
    )
    return adaptive.Rules(
        se_target=float(setup.se_target),
        max_items=int(setup.max_items),
        hold_borderline=float(setup.borderline_below),
        bands=bands,
    )


# --- The 0–100 score and the θ scale ------------------------------------------------------------


def score_of(theta: float) -> float:
    """θ as the 0–100 score of the result pages (``Attempt.score``)."""
    return round(50 * (1 + math.erf(theta / math.sqrt(2))), 1)


def theta_of(score: float) -> float:
    """The θ whose score is ``score`` (strictly between 0 and 100)."""
    return round(_NORMAL.inv_cdf(score / 100), 4)


@dataclass(frozen=True)
class LevelGroup:
    name: str  # as stored and written on results ("beginner" for the default ones)
    cut_off: float | None  # the score (0–100) where the group starts; None: the first group
    theta: float | None


def groups_of(setup: PlacementSetup) -> list[LevelGroup]:
    """The programme's level groups (the defaults when none are set), lowest first."""
    groups = []
    for number, band in enumerate(rules_of(setup).bands):
        if number == 0 or not math.isfinite(band.lower) or band.lower <= -1e8:
            groups.append(LevelGroup(band.name, None, None))
        else:
            groups.append(LevelGroup(band.name, score_of(band.lower), band.lower))
    return groups


# --- Settings ---------------------------------------------------------------------------------


def _bands_from(
    groups: Sequence[tuple[str, float | None]],
    before: Sequence[adaptive.Band],
    errors: dict[str, list[str]],
) -> list[dict[str, Any]]:
    """The stored form of level groups given as (name, score where it starts); a score that
    is the one shown for a cut-off already set keeps that cut-off exactly."""
    kept = {score_of(b.lower): b.lower for b in before[1:] if math.isfinite(b.lower)}
    if not MIN_GROUPS <= len(groups) <= MAX_GROUPS:
        errors.setdefault("groups", []).append(
            _("Level groups: give %(min)s to %(max)s groups.")
            % {"min": MIN_GROUPS, "max": MAX_GROUPS}
        )
    bands: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    previous: float | None = None
    for number, (raw_name, cut_off) in enumerate(groups, start=1):
        name = raw_name.strip()
        key = f"group_{number}"
        if not name:
            errors.setdefault(f"{key}_name", []).append(
                _("Level group %(n)s: give its name.") % {"n": number}
            )
        elif len(name) > GROUP_NAME_MAX_LENGTH:
            errors.setdefault(f"{key}_name", []).append(
                _("Level group %(n)s: the name must be at most %(max)s characters.")
                % {"n": number, "max": GROUP_NAME_MAX_LENGTH}
            )
        elif name.casefold() in seen:
            errors.setdefault(f"{key}_name", []).append(
                _("Level group %(n)s: level group %(other)s has the same name.")
                % {"n": number, "other": seen[name.casefold()]}
            )
        else:
            seen[name.casefold()] = number
        if number == 1:
            bands.append({"name": name, "lower": None})
            continue
        if cut_off is None:
            errors.setdefault(f"{key}_cut_off", []).append(
                _("Level group %(n)s: give the score where it starts.") % {"n": number}
            )
            continue
        score = round(float(cut_off), 1)
        if not math.isfinite(score) or not CUT_OFF_MIN <= score <= CUT_OFF_MAX:
            errors.setdefault(f"{key}_cut_off", []).append(
                _(
                    "Level group %(n)s: the score where it starts must be between %(min)s and "
                    "%(max)s."
                )
                % {"n": number, "min": int(CUT_OFF_MIN), "max": int(CUT_OFF_MAX)}
            )
            continue
        if previous is not None and score <= previous:
            errors.setdefault(f"{key}_cut_off", []).append(
                _(
                    "Level group %(n)s: the score where it starts must be higher than that of "
                    "level group %(before)s (%(score)s); put the groups in increasing order."
                )
                % {"n": number, "before": number - 1, "score": previous}
            )
        previous = score
        bands.append({"name": name, "lower": kept.get(score, theta_of(score))})
    return bands


def _hundredths(value: Decimal | float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def setup_update(
    *,
    actor: User,
    programme: Programme,
    se_target: Decimal,
    max_items: int,
    borderline_below: Decimal,
    groups: Sequence[tuple[str, float | None]],
) -> PlacementSetup:
    """Change how the programme runs its placement test. ``groups``: the level groups, lowest
    first, each with the 0–100 score where it starts (None for the first). Raises
    ValidationError keyed by field: se_target, max_items, borderline_below, groups,
    group_<n>_name, group_<n>_cut_off."""
    if not may_in(actor, programme.organisation_id, MANAGE_ROLES):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if not SE_MIN <= se_target <= SE_MAX:
        errors["se_target"] = [
            _("Stop when the standard error is below: give a number from 0.1 to 1.")
        ]
    if not MAX_ITEMS_MIN <= max_items <= MAX_ITEMS_MAX:
        errors["max_items"] = [
            _("At most this many questions: give a number from %(min)s to %(max)s.")
            % {"min": MAX_ITEMS_MIN, "max": MAX_ITEMS_MAX}
        ]
    if not BORDERLINE_MIN <= borderline_below <= BORDERLINE_MAX:
        errors["borderline_below"] = [
            _("Borderline when the level group is less sure than: give 50 to 99 %.")
        ]
    with transaction.atomic():
        setup = PlacementSetup.objects.select_for_update().filter(programme=programme).first()
        current = setup if setup is not None else setup_of(programme)
        bands = _bands_from(groups, rules_of(current).bands, errors)
        if errors:
            raise ValidationError(errors)
        defaults = [
            {"name": b.name, "lower": None if n == 0 else b.lower}
            for n, b in enumerate(adaptive.DEFAULT_BANDS)
        ]
        stored = [] if bands == defaults else bands
        before = {
            "se_target": str(_hundredths(current.se_target)),
            "max_items": current.max_items,
            "borderline_below": str(_hundredths(current.borderline_below)),
            "bands": list(current.bands or []),
        }
        if setup is None:
            setup = PlacementSetup(programme=programme)
        setup.se_target = _hundredths(se_target)
        setup.max_items = max_items
        setup.borderline_below = _hundredths(borderline_below)
        setup.bands = stored
        setup.full_clean(exclude=["programme"])
        setup.save()
        after = {
            "se_target": str(setup.se_target),
            "max_items": setup.max_items,
            "borderline_below": str(setup.borderline_below),
            "bands": stored,
        }
        changes = {
            key: {"from": before[key], "to": after[key]}
            for key in before
            if before[key] != after[key]
        }
        if changes:
            audit_record(
                actor=actor,
                action=AuditAction.PLACEMENT_SETUP_UPDATED,
                subject=setup,
                changes=changes,
            )
    return setup
