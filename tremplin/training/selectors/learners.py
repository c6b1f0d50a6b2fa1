"""The learner's own pages, opened from their private link (no account): which enrolment a
link opens."""

from __future__ import annotations

from django.http import Http404

from tremplin.core.tokens import token_hash
from tremplin.training.models import Enrolment


def enrolment_for_token(*, token: str) -> Enrolment:
    """The enrolment a private link opens; 404 for an unknown, renewed or malformed one."""
    if not token or len(token) > 128:
        raise Http404
    enrolment = (
        Enrolment.objects.select_related(
            "person", "cohort", "cohort__run", "cohort__run__programme", "cohort__run__site"
        )
        .filter(token_hash=token_hash(token))
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment
