"""The company tutor's evaluation by private link: asked by staff, sent by e-mail (SMS when
only a phone), opened without an account in the tutor's language, showing only the intern's
name, programme and dates, submitted once; refused after submission, revocation or expiry."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tests.mail import Inbox
from tests.sms import Gateway
from tremplin.core.audit import audit_events_for
from tremplin.core.audit_actions import AuditAction
from tremplin.messaging.models import Kind, Message
from tremplin.partners.models import CriterionKind, EvaluationCriterion, TutorEvaluation
from tremplin.partners.selectors.follow_up import criteria_for
from tremplin.partners.services.tutor_evaluations import (
    tutor_evaluation_request,
    tutor_evaluation_revoke,
)
from tremplin.partners.tests.during_setup import internship_at, tutor_link

SOFT = ["punctuality", "teamwork", "communication", "initiative", "autonomy", "rules"]


def _answers(**extra: str) -> dict[str, str]:
    data = {f"rating_s-{slug}": "3" for slug in SOFT}
    data |= {"would_hire": "yes", "evaluator_name": "Tom Tutor", "comment": "Careful work."}
    return data | extra


def _link_in(text: str) -> str:
    match = re.search(r"https?://\S+/partners/t/(\S+)/", text)
    assert match, text
    return match.group(1)


def test_the_tutor_is_asked_by_email_and_submits_once(
    world: World, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    internship = internship_at(world)
    coach = world.client_for("coach_a1")
    follow_up = reverse("partners:internship-follow-up", kwargs={"internship_id": internship.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = coach.post(
            reverse("partners:evaluation-request", kwargs={"internship_id": internship.pk})
        )
    assert response.status_code == 302
    assert [m["To"] for m in smtp_inbox.messages] == ["tutor@fibre.example"]
    assert Message.objects.get().kind == Kind.TUTOR_EVALUATION
    token = _link_in(smtp_inbox.body())
    url = reverse("partners:tutor-evaluation", kwargs={"token": token})
    tutor = world.client_for("anonymous")
    page = tutor.get(url).content.decode()
    assert "Amina Diallo" in page
    assert "Digital basics" in page
    assert "Punctuality" in page
    assert "Very good" in page
    assert "refugee" not in page
    assert "Permit" not in page
    assert "amina@example.org" not in page
    response = tutor.post(url, _answers())
    assert response.status_code == 200
    assert "Thank you! Your evaluation is sent." in response.content.decode()
    evaluation = TutorEvaluation.objects.get()
    assert evaluation.answers["criteria"]["s-teamwork"] == 3
    assert evaluation.answers["would_hire"] is True
    assert evaluation.evaluator_name == "Tom Tutor"
    again = tutor.post(url, _answers(evaluator_name="Someone else"))
    assert again.status_code == 410
    assert "already been sent" in again.content.decode()
    assert TutorEvaluation.objects.get().evaluator_name == "Tom Tutor"
    assert "Careful work." in coach.get(follow_up).content.decode()
    assert {e.action for e in audit_events_for(internship)} == {
        AuditAction.EVALUATION_REQUESTED,
        AuditAction.EVALUATION_SUBMITTED,
    }


def test_a_tutor_with_only_a_phone_gets_an_sms(
    world: World, sms_gateway: Gateway, django_capture_on_commit_callbacks: Any
) -> None:
    internship = internship_at(world, tutor_email="")
    with django_capture_on_commit_callbacks(execute=True):
        tutor_evaluation_request(
            actor=world.users["coach_a1"], internship=internship, base_url="http://testserver/"
        )
    assert len(sms_gateway.received) == 1
    assert "/partners/t/" in sms_gateway.received[0]["text"]


def test_a_tutor_with_neither_email_nor_phone_is_refused(world: World) -> None:
    internship = internship_at(world, tutor_email="")
    internship.tutor.phone = ""
    internship.tutor.save()
    with pytest.raises(ValidationError, match="no e-mail address or phone number"):
        tutor_evaluation_request(
            actor=world.users["coach_a1"], internship=internship, base_url="http://testserver/"
        )
    assert not TutorEvaluation.objects.exists()


def test_asking_again_revokes_the_open_link(world: World) -> None:
    internship = internship_at(world)
    first = tutor_evaluation_request(
        actor=world.users["coach_a1"], internship=internship, base_url="http://x/"
    )
    tutor_evaluation_request(
        actor=world.users["coach_a1"], internship=internship, base_url="http://x/"
    )
    first.evaluation.refresh_from_db()
    assert first.evaluation.revoked_at is not None
    token = first.link.rstrip("/").rsplit("/", 1)[1]
    response = world.client_for("anonymous").get(
        reverse("partners:tutor-evaluation", kwargs={"token": token})
    )
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


@pytest.mark.parametrize(
    ("state", "words"), [("revoked", "withdrawn"), ("expired", "expired"), ("submitted", "already")]
)
def test_a_closed_link_shows_why_and_saves_nothing(world: World, state: str, words: str) -> None:
    internship = internship_at(world)
    url = reverse(
        "partners:tutor-evaluation", kwargs={"token": tutor_link(internship, state=state)}
    )
    client = world.client_for("anonymous")
    assert client.get(url).status_code == 410
    response = client.post(url, _answers(evaluator_name="Late"))
    assert response.status_code == 410
    assert words in response.content.decode()
    assert not TutorEvaluation.objects.filter(evaluator_name="Late").exists()


def test_an_unknown_or_malformed_link_is_not_found(world: World) -> None:
    client = world.client_for("anonymous")
    for token in ("nope", "x" * 300):
        url = reverse("partners:tutor-evaluation", kwargs={"token": token})
        assert client.get(url).status_code == 404


def test_a_rating_out_of_range_is_refused_and_nothing_saved(world: World) -> None:
    internship = internship_at(world)
    url = reverse("partners:tutor-evaluation", kwargs={"token": tutor_link(internship)})
    response = world.client_for("anonymous").post(url, _answers(**{"rating_s-teamwork": "5"}))
    assert response.status_code == 400
    assert "Choose one of the four answers." in response.content.decode()
    assert TutorEvaluation.objects.get().submitted_at is None


def test_a_submitted_evaluation_cannot_be_revoked(world: World) -> None:
    internship = internship_at(world)
    tutor_link(internship, state="submitted")
    with pytest.raises(ValidationError, match="already sent"):
        tutor_evaluation_revoke(
            actor=world.users["coach_a1"], evaluation=TutorEvaluation.objects.get()
        )


def test_revoking_from_the_follow_up_page_closes_the_link(world: World) -> None:
    internship = internship_at(world)
    token = tutor_link(internship)
    evaluation = TutorEvaluation.objects.get()
    response = world.client_for("manager_a1").post(
        reverse("partners:evaluation-revoke", kwargs={"evaluation_id": evaluation.pk})
    )
    assert response.status_code == 302
    url = reverse("partners:tutor-evaluation", kwargs={"token": token})
    assert world.client_for("anonymous").get(url).status_code == 410
    assert AuditAction.EVALUATION_REVOKED in {e.action for e in audit_events_for(internship)}


def test_the_page_speaks_the_tutors_language(world: World) -> None:
    internship = internship_at(world)
    token = tutor_link(internship)
    TutorEvaluation.objects.update(language="fr")
    page = world.client_for("anonymous").get(
        reverse("partners:tutor-evaluation", kwargs={"token": token})
    )
    assert 'lang="fr"' in page.content.decode()


def test_the_programmes_criteria_replace_the_default_soft_skills(world: World) -> None:
    programme = world.programme_alpha
    EvaluationCriterion.objects.create(
        programme=programme,
        kind=CriterionKind.SOFT_SKILL,
        label={"en": "Splicing care", "fr": "Soin des soudures"},
    )
    assert [c.label for c in criteria_for(programme, "fr")] == ["Soin des soudures"]
    assert len(criteria_for(world.programme_beta, "en")) == len(SOFT)


def test_the_link_expires_after_thirty_days(world: World) -> None:
    internship = internship_at(world)
    sent = tutor_evaluation_request(
        actor=world.users["coach_a1"], internship=internship, base_url="http://x/"
    )
    left = sent.evaluation.expires_at - timezone.now()
    assert dt.timedelta(days=29) < left <= dt.timedelta(days=30)
