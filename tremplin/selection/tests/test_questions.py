"""An applicant's "ask a person" question is answered by e-mail or SMS from the call's page,
or marked as handled; both are audited, and a new question waits again."""

from __future__ import annotations

from email.header import decode_header, make_header
from typing import Any

from django.test import Client
from django.urls import reverse

from conftest import World
from tests.mail import Inbox
from tests.sms import Gateway
from tremplin.core.audit import audit_events_for
from tremplin.core.audit_actions import AuditAction
from tremplin.messaging.models import Message
from tremplin.people.tests.factories import PersonFactory
from tremplin.selection.models import Application, Call
from tremplin.selection.tests.builders import applicant, open_call
from tremplin.selection.tests.test_application_form import ABOUT

PHONE_ONLY = {"phone": "+33 6 11 22 33 44", "email": "", "city": "Lille"}


def _asks_from_the_form(call: Call) -> Application:
    """A draft: the applicant gave their phone, then asked a person."""
    client = Client()
    client.post(reverse("selection:apply-start", kwargs={"slug": call.slug}))
    for number, data in enumerate((ABOUT, PHONE_ONLY), start=1):
        client.post(
            reverse("selection:apply-step", kwargs={"slug": call.slug, "step": number}), data
        )
    client.post(
        reverse("selection:apply-help", kwargs={"slug": call.slug}),
        {"question": "Can I apply without a diploma?"},
    )
    return Application.objects.get(call=call)


def _answer(call: Call, application: Application) -> str:
    return reverse("selection:question-answer", args=[call.pk, application.pk])


def test_the_team_answers_a_draft_applicant_by_sms_from_the_call_page(
    world: World, sms_gateway: Gateway, django_capture_on_commit_callbacks: Any
) -> None:
    call = open_call(world)
    with django_capture_on_commit_callbacks(execute=True):
        draft = _asks_from_the_form(call)
    sms_gateway.received.clear()  # the resume link
    officer = world.client_for("officer_a1")
    page = officer.get(reverse("selection:call-detail", args=[call.pk])).content.decode()
    assert "Waiting for an answer" in page
    assert _answer(call, draft) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(
            _answer(call, draft), {"text": "Yes: no diploma is needed.", "channel": "sms"}
        )
    assert response.status_code == 302
    assert sms_gateway.received == [
        {
            "to": "+33611223344",
            "text": "Alpha North: Yes: no diploma is needed.",
            "sender": "Tremplin",
        }
    ]
    draft.refresh_from_db()
    assert draft.help_handled_by == world.users["officer_a1"]
    assert draft.help_handled_at is not None
    event = audit_events_for(draft).get(action=AuditAction.APPLICATION_QUESTION_ANSWERED)
    assert event.actor == world.users["officer_a1"]
    assert "no diploma" not in event.note  # the answer is in the message, not the history
    assert Message.objects.get(kind="answer").subject_id == draft.pk
    page = officer.get(reverse("selection:call-detail", args=[call.pk])).content.decode()
    assert "Handled on" in page
    assert _answer(call, draft) not in page


def test_the_answer_by_email_is_in_the_applicants_language(
    world: World, smtp_inbox: Inbox, sms_gateway: Gateway, django_capture_on_commit_callbacks: Any
) -> None:
    call = open_call(world)
    person = PersonFactory(site=world.north, email="lea@example.org", phone="+33622222222")
    application = applicant(call, person, language="fr", help_requested="Et le transport ?")
    with django_capture_on_commit_callbacks(execute=True):
        world.client_for("officer_a1").post(
            _answer(call, application),
            {"text": "Le pass Navigo est remboursé.", "channel": "email"},
        )
    assert sms_gateway.received == []
    [mail] = smtp_inbox.messages
    assert mail["To"] == "lea@example.org"
    assert "Une réponse à votre question" in str(make_header(decode_header(mail["Subject"])))
    assert "Le pass Navigo est remboursé." in smtp_inbox.body(0)


def test_no_way_to_reach_them_by_that_channel_is_said_and_nothing_is_handled(
    world: World, sms_gateway: Gateway
) -> None:
    call = open_call(world)
    draft = _asks_from_the_form(call)
    officer = world.client_for("officer_a1")
    response = officer.post(_answer(call, draft), {"text": "Yes.", "channel": "email"}, follow=True)
    assert "gave no e-mail address or phone number for this" in response.content.decode()
    draft.refresh_from_db()
    assert draft.help_handled_at is None
    response = officer.post(_answer(call, draft), {"text": "", "channel": "sms"}, follow=True)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.help_handled_at is None


def test_marked_handled_then_a_new_question_waits_again(world: World) -> None:
    call = open_call(world)
    draft = _asks_from_the_form(call)
    officer = world.client_for("officer_a1")
    officer.post(reverse("selection:question-handled", args=[call.pk, draft.pk]))
    draft.refresh_from_db()
    assert draft.help_handled_at is not None
    event = audit_events_for(draft).get()
    assert event.action == AuditAction.APPLICATION_QUESTION_HANDLED
    from tremplin.selection.services.applications import application_help_request

    application_help_request(application=draft, question="One more thing.")
    draft.refresh_from_db()
    assert draft.help_handled_at is None


def test_another_organisation_cannot_answer(world: World) -> None:
    call = open_call(world)
    draft = _asks_from_the_form(call)
    response = world.client_for("manager_b1").post(
        _answer(call, draft), {"text": "Hello", "channel": "all"}
    )
    assert response.status_code == 404


def test_an_earlier_question_and_its_answer_stay_listed_when_the_applicant_asks_again(
    world: World, sms_gateway: Gateway, django_capture_on_commit_callbacks: Any
) -> None:
    """Issue 12 (tester): each application kept only its last question, so the first one and
    its answer vanished from the call page when the applicant asked again."""
    from tremplin.selection.services.applications import application_help_request

    call = open_call(world)
    with django_capture_on_commit_callbacks(execute=True):
        draft = _asks_from_the_form(call)
    officer = world.client_for("officer_a1")
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(_answer(call, draft), {"text": "Yes: no diploma is needed.", "channel": "sms"})
    draft.refresh_from_db()
    application_help_request(application=draft, question="Is the course in the evening?")
    officer.post(reverse("selection:question-handled", args=[call.pk, draft.pk]))
    draft.refresh_from_db()
    application_help_request(application=draft, question="Where do I sign the papers?")
    page = officer.get(reverse("selection:call-detail", args=[call.pk])).content.decode()
    assert "Where do I sign the papers?" in page
    assert "Waiting for an answer" in page
    earlier = page.split("Earlier questions, newest first", 1)[1]
    evening = earlier.index("Is the course in the evening?")
    diploma = earlier.index("Can I apply without a diploma?")
    assert evening < diploma
    assert "Yes: no diploma is needed." in earlier[diploma:]
