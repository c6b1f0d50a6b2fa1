"""The end-of-course survey: sent at graduation and for a cohort, answered once on the
learner's phone in their language, results per cohort and trainer with small groups
hidden and comments for managers only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tests.mail import Inbox
from tests.sms import Gateway
from tremplin.core.audit import audit_events_for
from tremplin.core.audit_actions import AuditAction
from tremplin.messaging.models import Kind, Message
from tremplin.people.tests.factories import PersonFactory
from tremplin.training.models import Enrolment, SatisfactionSurvey, SurveyResponse
from tremplin.training.services.surveys import Answers, survey_answer
from tremplin.training.signals import learner_left_training
from tremplin.training.tests.alerting import enrol, north_cohort

GOOD = {"overall": "5", "trainers": "4", "content": "4", "pace": "3", "recommend": "5"}


def _link_in(text: str) -> str:
    match = re.search(r"https?://\S+/training/me/(\S+)/survey/", text)
    assert match, text
    return match.group(1)


def test_a_graduate_is_sent_the_survey_and_answers_it_once(
    world: World,
    smtp_inbox: Inbox,
    sms_gateway: Gateway,
    django_capture_on_commit_callbacks: Any,
) -> None:
    enrolment = enrol(north_cohort(world), world.amina)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment.status = Enrolment.Status.GRADUATED
        enrolment.left_on = timezone.localdate()
        enrolment.save()
        learner_left_training.send(sender=None, enrolment=enrolment)
    assert Message.objects.filter(kind=Kind.SURVEY).count() == 2
    assert [m["To"] for m in smtp_inbox.messages] == ["amina@example.org"]
    token = _link_in(smtp_inbox.body(0))
    assert _link_in(sms_gateway.received[0]["text"]) == token
    url = reverse("training:survey-answer", kwargs={"token": token})
    client = world.client_for("anonymous")
    page = client.get(url).content.decode()
    assert "Very happy" in page
    assert "Would you recommend this training" in page
    response = client.post(url, GOOD | {"comment": "Great trainers."})
    assert response.status_code == 200
    assert "Thank you! Your answers are saved." in response.content.decode()
    answer = SurveyResponse.objects.get()
    assert (answer.overall, answer.pace, answer.comment) == (5, 3, "Great trainers.")
    assert "already answered" in client.get(url).content.decode()
    client.post(url, GOOD)
    assert SurveyResponse.objects.count() == 1
    assert {e.action for e in audit_events_for(enrolment)} == {
        AuditAction.SURVEY_SENT,
        AuditAction.SURVEY_ANSWERED,
    }


def test_a_learner_who_left_early_is_not_sent_the_survey(world: World) -> None:
    enrolment = enrol(north_cohort(world), world.amina)
    enrolment.status = Enrolment.Status.LEFT_EARLY
    enrolment.left_on = timezone.localdate()
    enrolment.exit_reason = "moved"
    enrolment.save()
    learner_left_training.send(sender=None, enrolment=enrolment)
    assert not SatisfactionSurvey.objects.exists()


def test_an_unanswered_question_is_named_and_nothing_saved(world: World) -> None:
    enrolment = enrol(north_cohort(world), world.amina)
    token = "amina-link-for-the-test"
    from tremplin.core.tokens import token_hash

    enrolment.token_hash = token_hash(token)
    enrolment.save()
    SatisfactionSurvey.objects.create(enrolment=enrolment, sent_at=timezone.now())
    url = reverse("training:survey-answer", kwargs={"token": token})
    response = world.client_for("anonymous").post(url, GOOD | {"pace": "", "overall": "9"})
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("Choose one answer.") == 1
    assert "Select a valid choice" in page
    assert not SurveyResponse.objects.exists()


def test_the_survey_speaks_the_learners_languages(world: World) -> None:
    enrolment = enrol(north_cohort(world), world.amina)
    from tremplin.core.tokens import token_hash

    enrolment.token_hash = token_hash("link")
    enrolment.save()
    SatisfactionSurvey.objects.create(enrolment=enrolment, sent_at=timezone.now())
    world.alpha.applicant_languages = ["fr", "en", "ar", "km", "vi"]
    world.alpha.save()
    url = reverse("training:survey-answer", kwargs={"token": "link"})
    client = world.client_for("anonymous")
    expected = {"fr": "Très satisfait", "ar": 'dir="rtl"', "km": 'lang="km"', "vi": 'lang="vi"'}
    for language, text in expected.items():
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert text in page, language
        assert "Very happy" not in page, language


def test_one_answer_per_learner_is_held_by_the_database(world: World) -> None:
    enrolment = enrol(north_cohort(world), world.amina)
    SatisfactionSurvey.objects.create(enrolment=enrolment, sent_at=timezone.now())
    answers = Answers(overall=4, trainers=4, content=4, pace=4, recommend=4)
    survey_answer(enrolment=enrolment, answers=answers, language="en")
    with pytest.raises(ValidationError, match="already answered"):
        survey_answer(enrolment=enrolment, answers=answers, language="en")
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(
            enrolment=enrolment, answered_at=timezone.now(), **dict.fromkeys(GOOD, 6)
        )


def _answered_cohort(world: World, answers: int, *, title: str = "Web North") -> Any:
    cohort = north_cohort(world, title=title)
    for index in range(answers):
        enrolment = enrol(cohort, PersonFactory(site=world.north))
        SatisfactionSurvey.objects.create(enrolment=enrolment, sent_at=timezone.now())
        survey_answer(
            enrolment=enrolment,
            answers=Answers(
                overall=5 if index % 2 else 3,
                trainers=4,
                content=4,
                pace=2,
                recommend=5,
                comment=f"Comment {index}",
            ),
            language="fr",
        )
    enrol(cohort, world.amina)  # asked, not answered
    SatisfactionSurvey.objects.create(
        enrolment=cohort.enrolments.get(person=world.amina), sent_at=timezone.now()
    )
    return cohort


def test_a_group_under_five_answers_shows_its_count_only(world: World) -> None:
    cohort = _answered_cohort(world, 4)
    client = world.client_for("manager_a1")
    page = client.get(reverse("training:survey-results"), {"cohort": cohort.pk}).content.decode()
    assert "4 answers out of 5 asked" in page
    assert "Fewer than 5 answers" in page
    assert "Comment 0" not in page
    assert "/ 5" not in page
    overview = client.get(reverse("training:survey-results")).content.decode()
    assert "Fewer than 5 answers" in overview


def test_results_per_cohort_show_averages_distributions_and_comments_to_managers(
    world: World,
) -> None:
    cohort = _answered_cohort(world, 6)
    url = reverse("training:survey-results")
    page = world.client_for("manager_a1").get(url, {"cohort": cohort.pk}).content.decode()
    assert "6 answers out of 7 asked (86 %)" in page
    assert "4.0" in page  # the trainers' average
    assert "3 (50 %)" in page  # three "very happy", three "so-so" overall
    assert "Comment 5" in page
    assert "Amina" not in page
    coach = world.client_for("coach_a1").get(url, {"cohort": cohort.pk}).content.decode()
    assert "4.0" in coach
    assert "Comment 5" not in coach


def test_results_per_trainer(world: World) -> None:
    _answered_cohort(world, 3, title="A")
    _answered_cohort(world, 3, title="B")
    trainer = world.users["trainer_a1"]
    url = reverse("training:survey-results")
    overview = world.client_for("manager_a1").get(url).content.decode()
    assert f"?trainer={trainer.pk}" in overview
    page = world.client_for("manager_a1").get(url, {"trainer": trainer.pk}).content.decode()
    assert "6 answers out of 8 asked" in page
    assert "Comment 2" in page


def test_another_sites_cohort_is_not_found(world: World) -> None:
    cohort = _answered_cohort(world, 5)
    url = reverse("training:survey-results")
    assert world.client_for("manager_b1").get(url, {"cohort": cohort.pk}).status_code == 404
    assert world.client_for("manager_b1").get(url, {"cohort": "abc"}).status_code == 200


def test_sending_for_a_cohort_asks_those_who_have_not_answered(
    world: World, django_capture_on_commit_callbacks: Any, smtp_inbox: Inbox
) -> None:
    cohort = _answered_cohort(world, 2)
    enrol(cohort, world.bilal)
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client_for("coach_a1").post(
            reverse("training:survey-send", kwargs={"cohort_id": cohort.pk})
        )
    assert response.status_code == 302
    assert SatisfactionSurvey.objects.filter(enrolment__cohort=cohort).count() == 4
    assert Message.objects.filter(kind=Kind.SURVEY).count() >= 1


def test_the_results_page_takes_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    for title in ("A", "B", "C"):
        _answered_cohort(world, 5, title=title)
    client = world.client_for("manager_a1")
    with django_assert_max_num_queries(16):
        assert client.get(reverse("training:survey-results")).status_code == 200
