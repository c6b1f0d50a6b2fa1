"""Writes of competence evidence: a trainer's assessment of a cohort (a grid, all or
nothing), removing a wrong piece of evidence, and a placement re-test taken during training.
Projects write theirs in services/projects.py, certification in its own module."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.placement.models import Attempt, CrosswalkLink, PlacementSetup
from tremplin.training.models import Cohort, CompetenceEvidence, Enrolment, EvidenceSource
from tremplin.training.selectors.access import teaches
from tremplin.training.selectors.progress import (
    Target,
    framework_levels,
    programme_targets,
)

# The placement test is written for DigComp 2.2; its result reads as a DigComp level: the
# first level of the DigComp proficiency the level group names (Foundation 1, Intermediate 3,
# Advanced 5). docs/training.md, "Progress and projects", explains it.
DIGCOMP = "digcomp-2.2"
BAND_LEVELS = {"beginner": 1, "intermediate": 3, "advanced": 5}


def assessment_save(
    *,
    actor: User,
    cohort: Cohort,
    levels: Mapping[tuple[int, int], int],
    assessed_on: dt.date,
    note: str = "",
) -> int:
    """Record a trainer's assessment: a level per (enrolment id, competence id). Every cell is
    checked before anything is saved; a problem names the learner and the competence."""
    if not teaches(actor, cohort):
        raise PermissionDenied
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("The date of the assessment is in the future.")})
    targets = {t.competence.pk: t for t in programme_targets(programme_id=cohort.run.programme_id)}
    learners = {
        e.pk: e
        for e in cohort.enrolments.filter(status=Enrolment.Status.ACTIVE).select_related("person")
    }
    problems: list[str] = []
    rows: list[CompetenceEvidence] = []
    for (enrolment_id, competence_id), level in sorted(levels.items()):
        learner, target = learners.get(enrolment_id), targets.get(competence_id)
        if learner is None or target is None:
            problems.append(_("A level was given for a learner or competence not in this cohort."))
            continue
        allowed = {lv.number for lv in framework_levels(target.competence.framework)}
        if level not in allowed:
            problems.append(
                _("%(person)s, %(competence)s: level %(level)s is not a level of the framework.")
                % {"person": learner.person, "competence": target.competence.code, "level": level}
            )
            continue
        if learner.joined_on > assessed_on:
            problems.append(
                _("%(person)s joined the cohort after the date of the assessment.")
                % {"person": learner.person}
            )
            continue
        rows.append(
            CompetenceEvidence(
                enrolment=learner,
                competence=target.competence,
                level=level,
                source=EvidenceSource.TRAINER,
                assessed_on=assessed_on,
                note=note,
                recorded_by=actor,
            )
        )
    if problems:
        raise ValidationError(problems)
    if not rows:
        raise ValidationError(_("Choose a level for at least one learner."))
    with transaction.atomic():
        CompetenceEvidence.objects.bulk_create(rows)
        audit_record(
            actor=actor,
            action=AuditAction.EVIDENCE_RECORDED,
            subject=cohort,
            changes={
                "source": EvidenceSource.TRAINER.value,
                "count": len(rows),
                "assessed_on": assessed_on.isoformat(),
            },
        )
    return len(rows)


def evidence_remove(*, actor: User, evidence: CompetenceEvidence, reason: str) -> None:
    """Take away a piece of evidence recorded by mistake (audited under the learner)."""
    enrolment = evidence.enrolment
    if not teaches(actor, enrolment.cohort):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this evidence is wrong.")})
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.EVIDENCE_REMOVED,
            subject=enrolment,
            changes={
                "competence": evidence.competence.code,
                "level": evidence.level,
                "source": evidence.source,
                "source_ref": evidence.source_ref,
                "assessed_on": evidence.assessed_on.isoformat(),
            },
            note=reason.strip(),
        )
        evidence.delete()


# --- Placement re-tests ----------------------------------------------------------------------


def band_level(band: str, *, setup_bands: list[str]) -> int | None:
    """The DigComp level a level group stands for: the default groups by their key; a group a
    programme named itself by its place among the programme's groups (1, 3, 5, 7, 8)."""
    if band in BAND_LEVELS:
        return BAND_LEVELS[band]
    if band in setup_bands:
        return min(8, 1 + 2 * setup_bands.index(band))
    return None


def _area_bands(attempt: Attempt) -> dict[str, str]:
    """The level group the test showed in each DigComp area, where it was sure of it."""
    found = {}
    for row in attempt.profile or []:
        if isinstance(row, dict) and row.get("sure") and row.get("band"):
            found[str(row.get("area"))] = str(row["band"])
    return found


def placement_levels(*, attempt: Attempt, targets: list[Target]) -> dict[int, int]:
    """The level a finished attempt shows on each target competence (by competence id): for a
    DigComp competence, its area's group when the test was sure of it, else the overall
    (reviewed) group; for a competence of another framework, through its crosswalk to DigComp
    (the lowest of the areas it covers). A competence with no link to DigComp gets none."""
    setup = PlacementSetup.objects.filter(programme_id=attempt.programme_id).first()
    setup_bands = [str(b.get("name")) for b in (setup.bands if setup else []) or []]
    overall = band_level(attempt.final_band, setup_bands=setup_bands)
    areas = _area_bands(attempt)

    def level_in(area_code: str) -> int | None:
        if attempt.review != Attempt.Review.OVERRIDDEN and area_code in areas:
            return band_level(areas[area_code], setup_bands=setup_bands) or overall
        return overall

    others = [t.competence.pk for t in targets if t.competence.framework.code != DIGCOMP]
    covered: dict[int, set[str]] = {}
    links = CrosswalkLink.objects.filter(
        source_id__in=others, target__framework__code=DIGCOMP
    ).values_list("source_id", "target__area__code")
    for source_id, area_code in links:
        covered.setdefault(source_id, set()).add(area_code)
    levels: dict[int, int] = {}
    for target in targets:
        competence = target.competence
        if competence.framework.code == DIGCOMP and competence.framework.organisation_id is None:
            found = level_in(competence.area.code)
        elif covered.get(competence.pk):
            shown = [level_in(code) for code in covered[competence.pk]]
            found = min((s for s in shown if s is not None), default=None)
        else:
            found = None
        if found is not None:
            levels[competence.pk] = found
    return levels


def placement_evidence_record(*, attempt: Attempt) -> int:
    """A finished placement test a learner took after joining a cohort becomes evidence for
    that cohort's targets (source "placement", source_ref "placement_attempt:<id>"). Run again
    (a trainer reviews the result), it brings the rows in line; returns the rows written."""
    if attempt.state != Attempt.State.FINISHED or attempt.finished_at is None:
        return 0
    taken_on = attempt.finished_at.date()
    ref = f"placement_attempt:{attempt.pk}"
    enrolments = Enrolment.objects.filter(
        person_id=attempt.person_id, joined_on__lte=taken_on
    ).select_related("cohort__run")
    written = 0
    with transaction.atomic():
        for enrolment in enrolments:
            if enrolment.left_on is not None and enrolment.left_on < taken_on:
                continue
            targets = programme_targets(programme_id=enrolment.cohort.run.programme_id)
            wanted = placement_levels(attempt=attempt, targets=targets)
            held = {
                e.competence_id: e
                for e in CompetenceEvidence.objects.filter(enrolment=enrolment, source_ref=ref)
            }
            if {k: e.level for k, e in held.items()} == wanted:
                continue
            CompetenceEvidence.objects.filter(enrolment=enrolment, source_ref=ref).delete()
            CompetenceEvidence.objects.bulk_create(
                CompetenceEvidence(
                    enrolment=enrolment,
                    competence_id=competence_id,
                    level=level,
                    source=EvidenceSource.PLACEMENT,
                    source_ref=ref,
                    assessed_on=taken_on,
                    note=attempt.final_band,
                )
                for competence_id, level in wanted.items()
            )
            audit_record(
                actor=None,
                action=AuditAction.EVIDENCE_RECORDED,
                subject=enrolment,
                changes={
                    "source": EvidenceSource.PLACEMENT.value,
                    "count": len(wanted),
                    "ref": ref,
                },
            )
            written += len(wanted)
    return written
