"""Matrix rows for training's signed attendance sheets and attendance rates.

Collecting signatures and showing the room code is for whoever teaches the cohort (its
trainers, and the managers of its site): a job coach sees the cohort but does not teach it
(403). The sheets (PDF) are for everyone who sees the cohort. The dashboard is for every
training role, scoped inside. A learner's signing page is for whoever holds their private
link, like outreach's public registration.
"""

from __future__ import annotations

import secrets
from typing import Any

from conftest import World
from tests.authorization.records import given, no_kwargs
from tests.authorization.rows import EVERYONE, PUBLIC, Row, answers
from tests.authorization.training_records import cohort_at, make_cohort, session_of_cohort_at
from tremplin.core.tokens import token_hash


def learner_link_at(site_attr: str) -> Any:
    """The private link of the learner of the cohort at ``site_attr``."""

    def make(w: World) -> dict[str, Any]:
        enrolment = make_cohort(w, site_attr).enrolments.get()
        token = secrets.token_urlsafe(24)
        enrolment.token_hash = token_hash(token)
        enrolment.save(update_fields=["token_hash"])
        return {"token": token}

    return make


# fmt: off
TEACH_NORTH = answers(ok={"superuser", "admin_a", "manager_a1", "trainer_a1"}, refused={"coach_a1"}, not_found={"manager_b1"})
TEACH_NORTH_POST = answers(redirected={"superuser", "admin_a", "manager_a1", "trainer_a1"}, refused={"coach_a1"}, not_found={"manager_b1"})
TEACH_NOT_TAUGHT = answers(ok={"superuser", "admin_a", "manager_a1"}, refused={"coach_a1"}, not_found={"trainer_a1", "manager_b1"})
TEACH_SOUTH = answers(ok={"superuser", "admin_a"}, not_found={"manager_a1", "trainer_a1", "coach_a1", "manager_b1"})
TEACH_BETA = answers(ok={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1", "trainer_a1", "coach_a1"})
SEE_NORTH = answers(ok={"superuser", "admin_a", "manager_a1", "trainer_a1", "coach_a1"}, not_found={"manager_b1"})
SEE_NOT_TAUGHT = answers(ok={"superuser", "admin_a", "manager_a1", "coach_a1"}, not_found={"trainer_a1", "manager_b1"})
SEE_BETA = answers(ok={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1", "trainer_a1", "coach_a1"})
TRAINING_ROLES = answers(ok={"superuser", "admin_a", "manager_a1", "trainer_a1", "coach_a1", "manager_b1"})

ROWS: list[Row] = [
    Row("training:session-signatures", session_of_cohort_at("north"), TEACH_NORTH),
    Row("training:session-signatures", session_of_cohort_at("north", taught=False), TEACH_NOT_TAUGHT),
    Row("training:session-signatures", session_of_cohort_at("south"), TEACH_SOUTH),
    Row("training:session-signatures", session_of_cohort_at("beta_site"), TEACH_BETA),
    Row("training:session-code", session_of_cohort_at("north"), TEACH_NORTH),
    Row("training:session-code", session_of_cohort_at("beta_site"), TEACH_BETA),
    Row("training:session-code", session_of_cohort_at("north"), TEACH_NORTH_POST, post={}),
    Row("training:learner-sign", learner_link_at("north"), PUBLIC),
    Row("training:learner-sign", given(token="unknown"), answers(not_found=EVERYONE)),
    Row("training:sheet-session", session_of_cohort_at("north"), SEE_NORTH),
    Row("training:sheet-session", session_of_cohort_at("north", taught=False), SEE_NOT_TAUGHT),
    Row("training:sheet-session", session_of_cohort_at("beta_site"), SEE_BETA),
    Row("training:sheet-cohort", cohort_at("north"), SEE_NORTH),
    Row("training:sheet-cohort", cohort_at("beta_site"), SEE_BETA),
    Row("training:attendance-dashboard", no_kwargs, TRAINING_ROLES),
]
# fmt: on
