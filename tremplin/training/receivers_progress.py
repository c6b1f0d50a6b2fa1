"""Progress hears placement: a placement test finished (or reviewed) by a learner after they
joined a cohort becomes evidence of competence (services/evidence.py). Placement sends no
signal of its own for a finished attempt, so training listens to the attempt being saved;
the write runs inside placement's transaction."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from tremplin.placement.models import Attempt
from tremplin.training.services.evidence import placement_evidence_record


@receiver(post_save, sender=Attempt, dispatch_uid="training_placement_retest")
def placement_retest_saved(sender: type[Attempt], instance: Attempt, **kwargs: Any) -> None:
    if instance.state == Attempt.State.FINISHED and not kwargs.get("raw"):
        placement_evidence_record(attempt=instance)
