"""Writes of assessments (part of the programme's structure) and of a cohort's results on
one of them (entered by the cohort's trainers, all at once or not at all). Atomic, checked
again here, audited in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record, field_changes, snapshot
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.core.numbers import number_text
from tremplin.network.models import Programme
from tremplin.training.models import (
    Assessment,
    AssessmentKind,
    AssessmentResult,
    Cohort,
    Enrolment,
    Module,
    Period,
)
from tremplin.training.models.assessments import SCORE_MAX
from tremplin.training.selectors import access
from tremplin.training.selectors import structure as structure_selectors
from tremplin.training.selectors.transcripts import result_rows_enrolments

FIELDS = ("title", "kind", "period_id", "module_id", "max_score", "pass_mark", "weight")
MAX_WEIGHT = Decimal(100)


def _check(
    *,
    programme: Programme,
    title: str,
    period: Period | None,
    module: Module | None,
    max_score: Decimal,
    pass_mark: Decimal,
    weight: Decimal,
    pk: int | None,
) -> str:
    title = title.strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Title: give the assessment a name.")
    elif Assessment.objects.filter(programme=programme, title=title).exclude(pk=pk or 0).exists():
        errors["title"] = _("Title: the programme already has an assessment with this name.")
    if period is None and module is None:
        errors["period"] = _("Period or module: choose at least one.")
    if period is not None and period.programme_id != programme.pk:
        errors["period"] = _("Period: choose one of this programme's periods.")
    if module is not None and module.programme_id != programme.pk:
        errors["module"] = _("Module: choose one of this programme's modules.")
    elif module is not None and period is not None and module.period_id not in (None, period.pk):
        errors["module"] = _("Module: this module is taught in another period.")
    if not 0 < max_score <= SCORE_MAX:
        errors["max_score"] = _("Highest score: more than 0, at most %(max)s.") % {
            "max": number_text(SCORE_MAX)
        }
    elif not 0 <= pass_mark <= max_score:
        errors["pass_mark"] = _("Pass mark: from 0 to the highest score (%(max)s).") % {
            "max": number_text(max_score)
        }
    if not 0 < weight <= MAX_WEIGHT:
        errors["weight"] = _("Weight: more than 0, at most %(max)s.") % {
            "max": number_text(MAX_WEIGHT)
        }
    if errors:
        raise ValidationError(errors)
    return title


def assessment_save(
    *,
    actor: User,
    programme: Programme,
    title: str,
    kind: str,
    period: Period | None,
    module: Module | None,
    max_score: Decimal,
    pass_mark: Decimal,
    weight: Decimal,
    assessment: Assessment | None = None,
) -> Assessment:
    """Create an assessment of ``programme`` (or change ``assessment``). The highest score
    cannot go below a result already recorded."""
    if not structure_selectors.can_edit_structure(actor, programme):
        raise PermissionDenied
    if assessment is not None and assessment.programme_id != programme.pk:
        raise PermissionDenied
    title = _check(
        programme=programme,
        title=title,
        period=period,
        module=module,
        max_score=max_score,
        pass_mark=pass_mark,
        weight=weight,
        pk=assessment.pk if assessment else None,
    )
    with transaction.atomic():
        if assessment is None:
            assessment = Assessment(programme=programme)
            before: dict[str, object] = {}
        else:
            before = snapshot(assessment, FIELDS)
            top = assessment.results.order_by("-score").values_list("score", flat=True).first()
            if top is not None and top > max_score:
                raise ValidationError(
                    {
                        "max_score": _(
                            "Highest score: a result of %(score)s is already recorded; it "
                            "cannot be lower."
                        )
                        % {"score": number_text(top)}
                    }
                )
        assessment.title, assessment.kind = title, AssessmentKind(kind)
        assessment.period, assessment.module = period, module
        assessment.max_score, assessment.pass_mark, assessment.weight = max_score, pass_mark, weight
        changes = field_changes(instance=assessment, before=before, fields=FIELDS)
        if changes or assessment.pk is None:
            assessment.save()
            audit_record(
                actor=actor,
                action=AuditAction.ASSESSMENT_SAVED,
                subject=assessment,
                changes=changes,
                note=programme.title,
            )
    return assessment


def assessment_remove(*, actor: User, assessment: Assessment) -> None:
    """Remove an assessment that has no result yet."""
    if not structure_selectors.can_edit_structure(actor, assessment.programme):
        raise PermissionDenied
    with transaction.atomic():
        count = assessment.results.count()
        if count:
            raise ValidationError(
                _("“%(title)s” has %(count)s results recorded: it cannot be removed.")
                % {"title": assessment.title, "count": count}
            )
        audit_record(
            actor=actor,
            action=AuditAction.ASSESSMENT_REMOVED,
            subject=assessment.programme,
            changes={"assessment": {"from": assessment.title, "to": None}},
            note=assessment.title,
        )
        assessment.delete()


def _row_error(enrolment: Enrolment, assessment: Assessment) -> str:
    return _("%(name)s: the score must be a number from 0 to %(max)s.") % {
        "name": enrolment.person,
        "max": number_text(assessment.max_score),
    }


def assessment_results_record(
    *,
    actor: User,
    cohort: Cohort,
    assessment: Assessment,
    scores: Mapping[int, Decimal | None],
) -> int:
    """Record the cohort's scores on ``assessment``: ``scores`` maps an enrolment of the cohort
    to its score, or None to clear it. Every row is checked before anything is written; one
    bad row and nothing is saved. Returns how many results changed."""
    if not access.teaches(actor, cohort):
        raise PermissionDenied
    if assessment.programme_id != cohort.run.programme_id:
        raise ValidationError(_("This assessment is not part of the cohort's programme."))
    enrolments = {e.pk: e for e in result_rows_enrolments(cohort=cohort)}
    errors: dict[str, str] = {}
    for enrolment_id, score in scores.items():
        enrolment = enrolments.get(enrolment_id)
        if enrolment is None:
            errors[f"score_{enrolment_id}"] = _(
                "A row is for someone who is not a learner of this cohort."
            )
        elif score is not None and not 0 <= score <= assessment.max_score:
            errors[f"score_{enrolment_id}"] = _row_error(enrolment, assessment)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        existing = {
            r.enrolment_id: r
            # Only the results' own rows are locked (their default order joins the learner,
            # and PostgreSQL locks no row of an outer join).
            for r in AssessmentResult.objects.select_for_update(of=("self",))
            .filter(assessment=assessment, enrolment_id__in=list(scores))
            .order_by("pk")
        }
        created, updated, cleared = [], [], []
        for enrolment_id, score in scores.items():
            result = existing.get(enrolment_id)
            if score is None:
                if result is not None:
                    cleared.append(result.pk)
            elif result is None:
                created.append(
                    AssessmentResult(
                        assessment=assessment,
                        enrolment_id=enrolment_id,
                        score=score,
                        recorded_by=actor,
                    )
                )
            elif result.score != score:
                result.score, result.recorded_by = score, actor
                result.updated_at = timezone.now()
                updated.append(result)
        AssessmentResult.objects.bulk_create(created)
        AssessmentResult.objects.bulk_update(updated, ["score", "recorded_by", "updated_at"])
        AssessmentResult.objects.filter(pk__in=cleared).delete()
        changed = len(created) + len(updated) + len(cleared)
        if changed:
            audit_record(
                actor=actor,
                action=AuditAction.ASSESSMENT_RESULTS_RECORDED,
                subject=assessment,
                changes={
                    "cohort": {"from": None, "to": cohort.pk},
                    "recorded": {"from": None, "to": len(created) + len(updated)},
                    "cleared": {"from": None, "to": len(cleared)},
                },
                note=cohort.title,
            )
    return changed
