"""A programme's evaluation criteria: the competences (of its targets) and the soft skills,
in the programme's words in each language, that a company tutor rates."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.network.models import Programme
from tremplin.partners.models import CriterionKind, EvaluationCriterion
from tremplin.partners.selectors.follow_up import programme_competences


@transaction.atomic
def evaluation_criteria_save(
    *,
    actor: User,
    programme: Programme,
    competence_ids: list[int],
    soft_skills: list[dict[str, str]],
) -> list[EvaluationCriterion]:
    """Replace the programme's criteria: the competences chosen among those it aims at, in
    their frameworks' order, then the soft skills in the order given (each a label per language;
    none: tutors rate the default list)."""
    aimed = [competence.pk for competence in programme_competences(programme)]
    if not set(competence_ids) <= set(aimed):
        raise ValidationError({"competences": _("Choose only competences the programme aims at.")})
    if any(not any(label.strip() for label in skill.values()) for skill in soft_skills):
        raise ValidationError({"soft_en": _("Every soft skill needs a label.")})
    before = EvaluationCriterion.objects.filter(programme=programme).count()
    EvaluationCriterion.objects.filter(programme=programme).delete()
    position = 0
    made = []
    for competence_id in dict.fromkeys(c for c in aimed if c in set(competence_ids)):
        made.append(
            EvaluationCriterion(
                programme=programme,
                kind=CriterionKind.COMPETENCE,
                competence_id=competence_id,
                position=position,
            )
        )
        position += 1
    for skill in soft_skills:
        made.append(
            EvaluationCriterion(
                programme=programme,
                kind=CriterionKind.SOFT_SKILL,
                label={k: v.strip() for k, v in skill.items() if v.strip()},
                position=position,
            )
        )
        position += 1
    saved = EvaluationCriterion.objects.bulk_create(made)
    audit_record(
        actor=actor,
        action=AuditAction.EVALUATION_CRITERIA_SAVED,
        subject=programme,
        changes={
            "criteria": {"from": before, "to": len(saved)},
            "competences": sorted(competence_ids),
            "soft_skills": len(soft_skills),
        },
    )
    return saved
