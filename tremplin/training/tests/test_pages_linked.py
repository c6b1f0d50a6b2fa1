"""The training pages reach each other: a cohort's page leads to its timetable, roll call,
sheets, progress and certificates (as far as the reader may use them), a session's page to
its roll call, and the learner's home to their own pages."""

from __future__ import annotations

import datetime as dt
import secrets

from django.urls import reverse

from conftest import World
from tests.authorization.training_records import make_cohort, make_session
from tremplin.core.tokens import token_hash
from tremplin.training.models.certificates import Certificate
from tremplin.training.models.surveys import SatisfactionSurvey


def test_the_cohort_page_shows_each_reader_the_pages_they_may_use(world: World) -> None:
    cohort = make_cohort(world, "north")
    url = reverse("training:cohort-detail", args=[cohort.pk])
    manager = world.client_for("manager_a1").get(url).content.decode()
    for name in ("session-create", "pattern-create", "cohort-rollcall", "certificate-issue"):
        assert reverse(f"training:{name}", args=[cohort.pk]) in manager, name
    assert reverse("training:cohort-heatmap", args=[cohort.pk]) in manager
    assert "Attendance" in manager  # the rates of training/_rates.html
    trainer = world.client_for("trainer_a1").get(url).content.decode()
    assert reverse("training:cohort-rollcall", args=[cohort.pk]) in trainer
    assert reverse("training:cohort-assess", args=[cohort.pk]) in trainer
    assert reverse("training:session-create", args=[cohort.pk]) not in trainer
    assert reverse("training:certificate-issue", args=[cohort.pk]) not in trainer
    coach = world.client_for("coach_a1").get(url).content.decode()
    assert reverse("training:cohort-rollcall", args=[cohort.pk]) not in coach
    assert f"{reverse('training:at-risk')}?cohort={cohort.pk}" in coach


def test_the_session_page_leads_its_trainer_to_roll_call_and_signatures(world: World) -> None:
    session = make_session(world, "north")
    url = reverse("training:session-detail", args=[session.pk])
    trainer = world.client_for("trainer_a1").get(url).content.decode()
    assert reverse("training:session-rollcall", args=[session.pk]) in trainer
    assert reverse("training:session-signatures", args=[session.pk]) in trainer
    coach = world.client_for("coach_a1").get(url).content.decode()
    assert reverse("training:session-rollcall", args=[session.pk]) not in coach


def test_the_learner_home_leads_to_their_progress_signing_survey_and_certificate(
    world: World,
) -> None:
    cohort = make_cohort(world, "north")
    enrolment = cohort.enrolments.get()
    token = secrets.token_urlsafe(16)
    enrolment.token_hash = token_hash(token)
    enrolment.save(update_fields=["token_hash"])
    home = reverse("training:learner-home", args=[token])
    text = world.client_for("anonymous").get(home).content.decode()
    assert reverse("training:learner-progress", args=[token]) in text
    assert reverse("training:learner-sign", args=[token]) in text
    assert reverse("training:survey-answer", args=[token]) not in text  # not asked yet
    enrolment.status, enrolment.left_on = "graduated", cohort.ends_on
    enrolment.save(update_fields=["status", "left_on"])
    SatisfactionSurvey.objects.create(
        enrolment=enrolment, sent_at=dt.datetime(2026, 10, 15, tzinfo=dt.UTC)
    )
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        organisation=world.alpha,
        number="ALPHA-2026-0001",
        status_index=0,
        issued_on=cohort.ends_on,
        language="fr",
        holder_name="Amina Diallo",
        programme_title="Digital basics",
        organisation_name="Alpha Network",
    )
    text = world.client_for("anonymous").get(home).content.decode()
    assert reverse("training:survey-answer", args=[token]) in text
    assert reverse("training:certificate-verify", args=[certificate.public_id]) in text
    assert reverse("training:learner-sign", args=[token]) not in text  # no longer in training


def test_the_training_home_leads_to_the_other_training_pages(world: World) -> None:
    url = reverse("training:cohort-list")
    manager = world.client_for("manager_a1").get(url).content.decode()
    for name in ("attendance-dashboard", "certification-sessions", "structure-list", "room-list"):
        assert reverse(f"training:{name}") in manager, name
    trainer = world.client_for("trainer_a1").get(url).content.decode()
    assert reverse("training:attendance-dashboard") in trainer
    assert reverse("training:structure-list") not in trainer
    assert reverse("training:survey-results") not in trainer
