"""Every message an applicant receives goes by e-mail, SMS or both, whatever they gave: an
applicant with only a phone is told by SMS. A failure shows on the application and call
pages and is sent again from there."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse

from conftest import World
from tests.mail import Inbox
from tests.sms import Gateway
from tremplin.messaging.models import Message
from tremplin.people.tests.factories import PersonFactory
from tremplin.selection.models import Application, FinalDecision, ReasonCode
from tremplin.selection.services import decisions as decision_services
from tremplin.selection.tests.builders import applicant, open_call
from tremplin.selection.tests.test_application_form import ABOUT, LANGUAGES, PROJECT, SEND, fill

PHONE_ONLY = {"phone": "+33 6 11 22 33 44", "email": "", "city": "Lille"}


def test_an_applicant_with_only_a_phone_gets_the_link_and_confirmation_by_sms(
    world: World, sms_gateway: Gateway, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    call = open_call(world)
    with django_capture_on_commit_callbacks(execute=True):
        fill(Client(), call, ABOUT, PHONE_ONLY, LANGUAGES, PROJECT, SEND)
    application = Application.objects.get(call=call)
    assert application.status == Application.Status.SUBMITTED
    assert [s["to"] for s in sms_gateway.received] == ["+33611223344", "+33611223344"]
    resume, confirmation = sms_gateway.texts()
    assert f"/selection/apply/{call.slug}/continue/" in resume
    assert "we received your application to “Digital basics 2027”" in confirmation
    assert smtp_inbox.messages == []
    assert list(
        Message.objects.order_by("pk").values_list("kind", "channel", "status", "subject_id")
    ) == [
        ("resume_link", "sms", "sent", application.pk),
        ("confirmation", "sms", "sent", application.pk),
    ]


def _validated(world: World, **person: Any) -> Application:
    call = open_call(world)
    application = applicant(call, PersonFactory(site=world.north, **person), language="fr")
    decision = decision_services.decision_propose(
        actor=world.users["officer_a1"],
        application=application,
        outcome="selected",
        reason=ReasonCode.PASSED,
    )
    decision_services.decisions_validate(
        actor=world.users["manager_a1"], call=call, decision_ids=[decision.pk]
    )
    return application


def test_the_decision_goes_by_sms_in_the_applicants_language(
    world: World, sms_gateway: Gateway, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _validated(world, phone="+33611223344", email="")
    assert len(sms_gateway.received) == 1
    assert "vous êtes retenu" in sms_gateway.texts()[0]
    assert FinalDecision.objects.get().mailed_at is not None


def test_a_decision_not_delivered_is_marked_and_sent_again_from_the_application_page(
    world: World, sms_gateway: Gateway, django_capture_on_commit_callbacks: Any
) -> None:
    sms_gateway.answer = 500
    with django_capture_on_commit_callbacks(execute=True):
        application = _validated(world, phone="+33611223344", email="")
    assert FinalDecision.objects.get().mailed_at is None
    message = Message.objects.get()
    assert message.status == "failed"
    officer = world.client_for("officer_a1")
    page = officer.get(reverse("selection:application-detail", args=[application.pk]))
    assert "A message to this applicant was not delivered." in page.content.decode()
    call_page = officer.get(reverse("selection:call-detail", args=[application.call_id]))
    assert "Messages not delivered" in call_page.content.decode()
    assert reverse("messaging:message-retry", args=[message.pk]) in call_page.content.decode()

    sms_gateway.answer = 200
    back = reverse("selection:application-detail", args=[application.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(
            reverse("messaging:message-retry", args=[message.pk]), {"next": back}
        )
    assert response["Location"] == back
    assert len(sms_gateway.received) == 1
    assert FinalDecision.objects.get().mailed_at is not None
    page = officer.get(back).content.decode()
    assert "was not delivered" not in page


def test_an_applicant_with_only_a_phone_is_invited_to_an_interview_by_sms(
    world: World, sms_gateway: Gateway, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    from tremplin.selection.models import Appointment, StageKind
    from tremplin.selection.tests.test_appointments import _call, _form

    call = _call(world)
    interview = call.stages.get(kind=StageKind.INTERVIEW)
    person = PersonFactory(site=world.north, phone="+33611223344", email="")
    application = applicant(call, person, through=interview.position - 1, language="fr")
    url = reverse(
        "selection:appointment-list", kwargs={"call_id": call.pk, "stage_id": interview.pk}
    )
    with django_capture_on_commit_callbacks(execute=True):
        world.client_for("officer_a1").post(url, _form("interview", call, [application], []))
    [text] = sms_gateway.texts("+33611223344")
    assert "« Motivation interview » le 15/03/2027 à 09:30" in text
    assert "15/03/2027 à 09:30" in text
    assert "12 rue Nationale, Lille" in text
    assert smtp_inbox.messages == []
    assert Appointment.objects.get().invitations_sent_at is not None
    message = Message.objects.get(kind="invitation")
    assert (message.channel, message.status, message.subject_id) == ("sms", "sent", application.pk)


def test_the_committee_page_says_how_each_applicant_was_told(
    world: World, sms_gateway: Gateway, django_capture_on_commit_callbacks: Any
) -> None:
    """Issue 12 (tester): the committee page said "e-mail sent" for people told only by SMS;
    it says the channel the messages really went by."""
    with django_capture_on_commit_callbacks(execute=True):
        application = _validated(world, phone="+33611223344", email="")
    page = world.client_for("manager_a1").get(
        reverse("selection:committee", args=[application.call_id])
    )
    text = page.content.decode()
    assert "told by SMS" in text
    assert "told by e-mail" not in text


def test_an_applicant_known_with_another_phone_gets_the_confirmation_on_the_one_typed(
    world: World, sms_gateway: Gateway, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    """Same name and birth date: merged into the Person already known, whose stored phone is
    an old one. The confirmation goes to the phone typed on this form."""
    known = PersonFactory(
        site=world.north,
        legal_given_names="Sokha",
        legal_family_name="Chan",
        birth_date=dt.date(2004, 3, 2),
        phone="+33699887766",
        email="",
    )
    known.refresh_derived()
    known.save()
    call = open_call(world)
    with django_capture_on_commit_callbacks(execute=True):
        fill(Client(), call, ABOUT, PHONE_ONLY, LANGUAGES, PROJECT, SEND)
    application = Application.objects.get(call=call)
    assert application.person_id == known.pk
    confirmations = Message.objects.filter(kind="confirmation")
    assert [m.recipient for m in confirmations] == ["+33611223344"]


def test_sending_the_form_again_to_the_same_call_is_confirmed_on_the_new_phone(
    world: World, sms_gateway: Gateway, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    call = open_call(world)
    with django_capture_on_commit_callbacks(execute=True):
        fill(Client(), call, ABOUT, PHONE_ONLY, LANGUAGES, PROJECT, SEND)
        fill(
            Client(),
            call,
            ABOUT,
            {**PHONE_ONLY, "phone": "+33 6 55 44 33 22"},
            LANGUAGES,
            PROJECT,
            SEND,
        )
    (application,) = Application.objects.filter(call=call)
    confirmations = Message.objects.filter(kind="confirmation").order_by("pk")
    assert [m.recipient for m in confirmations] == ["+33611223344", "+33655443322"]
    assert {m.subject_id for m in confirmations} == {application.pk}
