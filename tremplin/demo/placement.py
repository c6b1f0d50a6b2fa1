"""Placement tests in the demo: at each organisation's first site, a few people took the test
(their answers drawn from a simulated ability, through the real engine and services), one is
still answering; so the list, a result, a borderline review and the person's page show
something."""

from __future__ import annotations

import math
import random

from tremplin.core.models import User
from tremplin.network.models import Organisation, Programme, Role, RoleAssignment
from tremplin.people.models import Person
from tremplin.placement.adaptive import nominal_difficulty
from tremplin.placement.models import Attempt
from tremplin.placement.services import attempts as services

FINISHED = 4
LANGUAGES = ("fr", "fr", "ar", "en")


def placement_demo_load(*, organisation: Organisation, seed: int) -> int:
    """Finished tests for ``FINISHED`` people and one in progress; returns the tests made."""
    rng = random.Random(seed)
    officer_role = (
        RoleAssignment.objects.filter(
            organisation=organisation, role=Role.SELECTION_OFFICER, site__isnull=False
        )
        .select_related("user", "site")
        .order_by("site__slug")
        .first()
    )
    programme = Programme.objects.filter(organisation=organisation).order_by("slug").first()
    if officer_role is None or programme is None:
        return 0
    officer: User = officer_role.user
    people = list(Person.objects.filter(site=officer_role.site).order_by("pk")[: FINISHED + 1])
    made = 0
    for number, person in enumerate(people):
        started = services.attempt_start(
            actor=officer,
            person=person,
            programme=programme,
            language=LANGUAGES[number % len(LANGUAGES)],
        )
        attempt = started.attempt
        theta = rng.gauss(0.0, 1.0)
        stop_after = 4 if number == FINISHED else 99  # the last one is still answering
        for _ in range(stop_after):
            attempt.refresh_from_db()
            if attempt.state == Attempt.State.FINISHED or attempt.next_item is None:
                break
            item = attempt.next_item
            b = nominal_difficulty(item.level)
            right = rng.random() < 1 / (1 + math.exp(-(theta - b)))
            wrong = (item.answer + 1) % len(item.choices)
            services.attempt_answer(
                attempt=attempt, item_id=item.pk, choice=item.answer if right else wrong
            )
        made += 1
    return made
