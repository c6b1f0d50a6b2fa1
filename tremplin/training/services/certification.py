"""External certifications: sessions and their results, recorded in one grid.

A passed result of a session read in a competency framework becomes evidence of
competence: in the framework the certification's framework maps to (Pix → DigComp, through
the placement app's crosswalk), else in the framework itself. Its level is the result's, or
the level the session says a pass shows. Recording again replaces that evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.network.models import Site
from tremplin.placement.models import Competence, CrosswalkLink, Framework
from tremplin.training.models import (
    CertificationKind,
    CertificationOutcome,
    CertificationResult,
    CertificationSession,
    Cohort,
    CompetenceEvidence,
    Enrolment,
    EvidenceSource,
)
from tremplin.training.models.certification import NAMED_KINDS
from tremplin.training.selectors.access import can_manage_training_at

# The shipped framework a certification is read in when the session names none.
DEFAULT_FRAMEWORK = {CertificationKind.PIX: "pix", CertificationKind.PCIE_ICDL: "icdl-base"}


@dataclass(frozen=True)
class SessionData:
    kind: str
    name: str
    awarding_body: str
    held_on: dt.date
    reference: str
    framework: Framework | None
    max_score: int | None
    pass_level: int | None


def _check_session(*, site: Site, cohorts: Sequence[Cohort], data: SessionData) -> None:
    errors: dict[str, str] = {}
    if not cohorts:
        errors["cohorts"] = _("Choose at least one cohort.")
    elif any(c.run.site_id != site.pk for c in cohorts):
        errors["cohorts"] = _("Every cohort must be of the session's site.")
    if data.kind in NAMED_KINDS and not data.name.strip():
        errors["name"] = _("Give the name of the degree or certification.")
    if data.pass_level is not None and data.framework is None:
        errors["pass_level"] = _("A level needs a competency framework.")
    if data.framework is not None and data.framework.organisation_id not in (
        None,
        site.organisation_id,
    ):
        errors["framework"] = _("Choose a framework of this organisation.")
    if errors:
        raise ValidationError(errors)


def _check_results_kept(session: CertificationSession, cohorts: Sequence[Cohort]) -> None:
    """A cohort whose learners have results stays in the session."""
    kept = {c.pk for c in cohorts}
    dropped = (
        session.results.exclude(enrolment__cohort_id__in=kept)
        .select_related("enrolment__cohort")
        .first()
    )
    if dropped is not None:
        raise ValidationError(
            {
                "cohorts": _("%(cohort)s has results in this session: keep it.")
                % {"cohort": dropped.enrolment.cohort.title}
            }
        )


def certification_session_save(
    *,
    actor: User,
    site: Site,
    cohorts: Sequence[Cohort],
    data: SessionData,
    session: CertificationSession | None = None,
) -> CertificationSession:
    if not can_manage_training_at(actor, site):
        raise PermissionDenied
    _check_session(site=site, cohorts=cohorts, data=data)
    framework = data.framework
    if framework is None and data.kind in DEFAULT_FRAMEWORK:
        framework = Framework.objects.filter(
            organisation=None, code=DEFAULT_FRAMEWORK[CertificationKind(data.kind)]
        ).first()
    editing = session is not None
    if session is not None:
        _check_results_kept(session, cohorts)
    with transaction.atomic():
        session = session or CertificationSession(site=site, created_by=actor)
        session.kind = data.kind
        session.name = data.name.strip()
        session.awarding_body = data.awarding_body.strip()
        session.held_on = data.held_on
        session.reference = data.reference.strip()
        session.framework = framework
        session.max_score = data.max_score
        session.pass_level = data.pass_level
        session.save()
        session.cohorts.set(cohorts)
        if editing:  # the evidence follows the session's framework and level
            targets = _evidence_competences(session.framework)
            for result in session.results.select_related("enrolment"):
                _evidence_replace(actor, session, result, targets=targets)
        audit_record(
            actor=actor,
            action=AuditAction.CERTIFICATION_SESSION_SAVED,
            subject=session,
            changes={
                "kind": session.kind,
                "name": session.name,
                "held_on": session.held_on.isoformat(),
                "cohorts": sorted(c.pk for c in cohorts),
            },
        )
    return session


@dataclass(frozen=True)
class ResultRow:
    """One line of the grid: no outcome means "not recorded" (an existing result is
    removed)."""

    enrolment: Enrolment
    outcome: str
    score: int | None = None
    level: int | None = None
    reference: str = ""


def _row_problems(session: CertificationSession, row: ResultRow, levels: int) -> list[str]:
    name = row.enrolment.person.display_name
    problems: list[str] = []
    if not row.outcome and (row.score is not None or row.level is not None or row.reference):
        problems.append(_("%(name)s: choose passed, failed or absent.") % {"name": name})
    if row.score is not None:
        if session.max_score is None:
            problems.append(_("%(name)s: this certification gives no score.") % {"name": name})
        elif row.score > session.max_score:
            problems.append(
                _("%(name)s: the score is above the highest score, %(max)d.")
                % {"name": name, "max": session.max_score}
            )
    if row.level is not None and not 1 <= row.level <= levels:
        problems.append(
            _("%(name)s: the level must be between 1 and %(max)d.") % {"name": name, "max": levels}
        )
    if row.outcome == CertificationOutcome.ABSENT and (row.score or row.level):
        problems.append(_("%(name)s: an absent learner has no score or level.") % {"name": name})
    return problems


def certification_results_record(
    *, actor: User, session: CertificationSession, rows: Sequence[ResultRow]
) -> int:
    """Record the grid, all or nothing; a row with a problem is named. Returns how many
    results changed."""
    if not can_manage_training_at(actor, session.site):
        raise PermissionDenied
    cohort_ids = set(session.cohorts.values_list("pk", flat=True))
    levels = len(session.framework.levels or []) if session.framework else 0
    levels = levels or 8
    problems: list[str] = []
    for row in rows:
        if row.enrolment.cohort_id not in cohort_ids:
            problems.append(
                _("%(name)s is not a learner of this session's cohorts.")
                % {"name": row.enrolment.person.display_name}
            )
        problems.extend(_row_problems(session, row, levels))
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    targets = _evidence_competences(session.framework)
    changed = 0
    with transaction.atomic():
        existing = {r.enrolment_id: r for r in session.results.select_for_update()}
        for row in rows:
            if _record_row(actor, session, row, existing.get(row.enrolment.pk), now, targets):
                changed += 1
    return changed


def _record_row(
    actor: User,
    session: CertificationSession,
    row: ResultRow,
    result: CertificationResult | None,
    now: dt.datetime,
    targets: list[Competence],
) -> bool:
    values = {
        "outcome": row.outcome,
        "score": row.score,
        "level": row.level,
        "reference": row.reference.strip(),
    }
    if result is not None and all(getattr(result, k) == v for k, v in values.items()):
        return False
    if result is None and not row.outcome:
        return False
    before = {k: getattr(result, k) for k in values} if result is not None else None
    if not row.outcome:
        assert result is not None
        _evidence_replace(actor, session, result, targets=[])
        audit_record(
            actor=actor,
            action=AuditAction.CERTIFICATION_RESULT_RECORDED,
            subject=result,
            changes={"before": before, "after": None, "enrolment": row.enrolment.pk},
        )
        result.delete()
        return True
    if result is None:
        result = CertificationResult(session=session, enrolment=row.enrolment)
    for key, value in values.items():
        setattr(result, key, value)
    result.recorded_by = actor
    result.recorded_at = now
    result.save()
    _evidence_replace(actor, session, result, targets=targets)
    audit_record(
        actor=actor,
        action=AuditAction.CERTIFICATION_RESULT_RECORDED,
        subject=result,
        changes={"before": before, "after": values, "enrolment": row.enrolment.pk},
    )
    return True


def _evidence_competences(framework: Framework | None) -> list[Competence]:
    """The competences a pass is evidence of: the crosswalk's targets (Pix → DigComp), or
    the framework's own competences when it maps to none."""
    if framework is None:
        return []
    if framework.maps_to_id is None:
        return list(framework.competences.all())
    target_ids = CrosswalkLink.objects.filter(source__framework=framework).values("target_id")
    return list(Competence.objects.filter(pk__in=target_ids).order_by("position"))


def _evidence_replace(
    actor: User,
    session: CertificationSession,
    result: CertificationResult,
    *,
    targets: list[Competence],
) -> None:
    ref = f"certification:{result.pk}"
    CompetenceEvidence.objects.filter(enrolment=result.enrolment, source_ref=ref).delete()
    level = result.level or session.pass_level
    if result.outcome != CertificationOutcome.PASSED or level is None or not targets:
        return
    note = f"{session.title} — {session.awarding_body}"
    CompetenceEvidence.objects.bulk_create(
        CompetenceEvidence(
            enrolment=result.enrolment,
            competence=competence,
            level=level,
            source=EvidenceSource.CERTIFICATION,
            source_ref=ref,
            assessed_on=session.held_on,
            note=note,
            recorded_by=actor,
        )
        for competence in targets
    )
