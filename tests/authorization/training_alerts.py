"""Matrix rows for early warning and the end-of-course survey (training, area "alerts").

Learners at risk and alerts: job coaches and site managers of the site and network admins
see and act; a trainer reads the alerts of the cohorts they teach (acting: 403; another
cohort: 404); funders, selection officers, interviewers and investigators are refused.
Rules of a programme: managers of a site running it and network admins. Survey results
and sending: site managers, job coaches, network admins. A learner answers the survey on
their private link, signed in or not; an unknown link is not found.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from conftest import World
from tests.authorization.records import given, ids, no_kwargs
from tests.authorization.rows import EVERYONE, PUBLIC, Kwargs, Row, answers
from tests.authorization.training_records import LEARNER_AT, RUN_AT, make_cohort
from tremplin.core.tokens import token_hash
from tremplin.training.models import (
    Alert,
    AlertKind,
    AlertRule,
    Cohort,
    Enrolment,
    SatisfactionSurvey,
)

TOKEN = "a-learner-private-link-for-the-matrix"


def cohort_of(w: World, site_attr: str, *, taught: bool = True) -> Cohort:
    """The site's cohort with its learner (taught by trainer_a1 at North, unless
    ``taught=False``), made once per world: several rows (and the page tests that load every
    row in one world) share it."""
    title = f"Cohort {site_attr}{'' if taught else ' (other trainer)'}"
    cohort = Cohort.objects.filter(run=getattr(w, RUN_AT[site_attr]), title=title).first()
    if cohort is not None:
        return cohort
    cohort = make_cohort(w, site_attr, taught=taught)
    if not taught:
        person = getattr(w, LEARNER_AT[site_attr])
        Enrolment.objects.create(cohort=cohort, person=person, joined_on=cohort.starts_on)
    return cohort


def alert_at(site_attr: str, *, taught: bool = True) -> Kwargs:
    """An open alert for the learner of a cohort at the site (taught by trainer_a1 at
    North, unless ``taught=False``)."""

    def make(w: World) -> dict[str, Any]:
        cohort = cohort_of(w, site_attr, taught=taught)
        rule, _created = AlertRule.objects.get_or_create(
            programme=cohort.run.programme, kind=AlertKind.ABSENCES_IN_A_ROW, defaults={"count": 3}
        )
        now = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
        alert, _created = Alert.objects.get_or_create(
            enrolment=cohort.enrolments.get(),
            rule=rule,
            state="open",
            defaults={
                "raised_at": now,
                "evidence_until": now,
                "facts": {"kind": "absences_in_a_row", "absences": 3, "since": "2026-11-17"},
            },
        )
        return {"alert_id": alert.pk}

    return make


def survey_link(w: World) -> dict[str, Any]:
    """Amina's private link, with the survey sent to her."""
    enrolment = cohort_of(w, "north").enrolments.get()
    enrolment.token_hash = token_hash(TOKEN)
    enrolment.save(update_fields=["token_hash"])
    SatisfactionSurvey.objects.get_or_create(
        enrolment=enrolment, defaults={"sent_at": dt.datetime.now(tz=dt.UTC)}
    )
    return {"token": TOKEN}


ACTION = {"kind": "call", "done_on": "2026-11-21", "outcome": "reached", "note": "Called."}
CLOSE = {"outcome": "back_on_track", "note": ""}
RULES = {
    "absences_active": "on",
    "absences_count": "3",
    "rate_active": "on",
    "rate_percent": "75",
    "rate_weeks": "4",
    "late_count": "4",
    "late_weeks": "4",
}

# fmt: off
TRAINING_USERS = {"superuser", "admin_a", "manager_a1", "trainer_a1", "coach_a1", "manager_b1"}
AT_RISK = answers(ok=TRAINING_USERS)
READ_TAUGHT = answers(ok={"superuser", "admin_a", "manager_a1", "coach_a1", "trainer_a1"}, not_found={"manager_b1"})
READ_NOT_TAUGHT = answers(ok={"superuser", "admin_a", "manager_a1", "coach_a1"}, not_found={"trainer_a1", "manager_b1"})
READ_SOUTH = answers(ok={"superuser", "admin_a"}, not_found={"manager_a1", "coach_a1", "trainer_a1", "manager_b1"})
READ_BETA = answers(ok={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1", "coach_a1", "trainer_a1"})
ACT_TAUGHT = answers(redirected={"superuser", "admin_a", "manager_a1", "coach_a1"}, refused={"trainer_a1"}, not_found={"manager_b1"})
ACT_BETA = answers(redirected={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1", "coach_a1", "trainer_a1"})
RULES_ALPHA = answers(ok={"superuser", "admin_a", "manager_a1"}, not_found={"manager_b1"})
RULES_ALPHA_SAVE = answers(redirected={"superuser", "admin_a", "manager_a1"}, not_found={"manager_b1"})
RULES_BETA = answers(ok={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1"})
RESULTS = answers(ok={"superuser", "admin_a", "manager_a1", "coach_a1", "manager_b1"})
SEND_NORTH = answers(redirected={"superuser", "admin_a", "manager_a1", "coach_a1"}, not_found={"manager_b1"})
SEND_BETA = answers(redirected={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1", "coach_a1"})

ROWS: list[Row] = [
    Row("training:at-risk", no_kwargs, AT_RISK),
    Row("training:alert-detail", alert_at("north"), READ_TAUGHT),
    Row("training:alert-detail", alert_at("north", taught=False), READ_NOT_TAUGHT),
    Row("training:alert-detail", alert_at("south"), READ_SOUTH),
    Row("training:alert-detail", alert_at("beta_site"), READ_BETA),
    Row("training:alert-action", alert_at("north"), ACT_TAUGHT, post=ACTION),
    Row("training:alert-action", alert_at("beta_site"), ACT_BETA, post=ACTION),
    Row("training:alert-close", alert_at("north"), ACT_TAUGHT, post=CLOSE),
    Row("training:alert-close", alert_at("beta_site"), ACT_BETA, post=CLOSE),
    Row("training:alert-rules", ids(programme_id="programme_alpha"), RULES_ALPHA),
    Row("training:alert-rules", ids(programme_id="programme_beta"), RULES_BETA),
    Row("training:alert-rules", ids(programme_id="programme_alpha"), RULES_ALPHA_SAVE, post=RULES),
    Row("training:survey-results", no_kwargs, RESULTS),
    Row("training:survey-send", lambda w: {"cohort_id": cohort_of(w, "north").pk}, SEND_NORTH, post={}),
    Row("training:survey-send", lambda w: {"cohort_id": cohort_of(w, "beta_site").pk}, SEND_BETA, post={}),
    Row("training:survey-answer", survey_link, PUBLIC),
    Row("training:survey-answer", given(token="not-a-link"), answers(not_found=EVERYONE)),
]
# fmt: on
