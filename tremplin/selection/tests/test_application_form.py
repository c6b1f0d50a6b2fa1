"""The public application form, from the first step to the confirmation e-mail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tests.mail import Inbox
from tremplin.people.models import Consent, Person
from tremplin.selection.models import Application, Call, StageResult
from tremplin.selection.services import applications as application_services
from tremplin.selection.tests.builders import open_call

ABOUT = {
    "given_names": "Sokha",
    "family_name": "Chan",
    "gender": "female",
    "birth_date": "2004-03-02",
}
CONTACT = {"phone": "+33 6 11 22 33 44", "email": "sokha@example.org", "city": "Lille"}
LANGUAGES = {"documents": ["Identity document"]}
PROJECT = {"motivation": "I want to become a network technician.", "channel": "social_media"}
SEND = {"consent_data": "on", "consent_contact": "on"}


def _step(call: Call, number: int) -> str:
    return reverse("selection:apply-step", kwargs={"slug": call.slug, "step": number})


def fill(client: Client, call: Call, *steps: dict[str, Any]) -> Any:
    client.post(reverse("selection:apply-start", kwargs={"slug": call.slug}))
    response = None
    for number, data in enumerate(steps, start=1):
        response = client.post(_step(call, number), data)
        assert response.status_code == 302, response.content.decode()[:3000]
    return response


def test_an_applicant_applies_in_five_steps_and_gets_a_confirmation(
    world: World, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    call = open_call(world)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = fill(client, call, ABOUT, CONTACT, LANGUAGES, PROJECT, SEND)
    assert response["Location"] == reverse("selection:apply-done", kwargs={"slug": call.slug})
    application = Application.objects.get(call=call)
    assert application.status == Application.Status.SUBMITTED
    assert application.source == Application.Source.FORM
    person = application.person
    assert person is not None
    assert (person.legal_given_names, person.legal_family_name) == ("Sokha", "Chan")
    assert person.phone.as_e164 == "+33611223344"
    assert person.site == world.north
    assert set(Consent.objects.filter(person=person).values_list("purpose", flat=True)) == {
        "data_processing",
        "contact",
    }
    assert application.gender == "female"
    assert application.channel == "social_media"
    assert application.age_band == "18_25"
    page = client.get(response["Location"])
    assert "your application is sent" in page.content.decode()
    # The resume link (at the contact step) and the confirmation, both over SMTP.
    subjects = [m["Subject"] for m in smtp_inbox.messages]
    assert any("application link" in s for s in subjects)
    assert any("We received your application" in s for s in subjects)
    assert "Identity document" in smtp_inbox.body(-1)


def test_the_confirmation_is_in_the_applicants_language(
    world: World, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    call = open_call(world)
    client = Client(HTTP_ACCEPT_LANGUAGE="ar")
    page = client.get(reverse("selection:apply-start", kwargs={"slug": call.slug}))
    assert 'dir="rtl"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        fill(client, call, ABOUT, CONTACT, LANGUAGES, PROJECT, SEND)
    assert Application.objects.get(call=call).language == "ar"
    confirmation = smtp_inbox.messages[-1]
    assert "We received" not in str(confirmation["Subject"])
    body = smtp_inbox.body(-1)
    assert any("\u0600" <= ch <= "\u06ff" for ch in body), body


def test_progress_is_kept_and_the_link_brings_the_applicant_back(world: World) -> None:
    call = open_call(world)
    first = Client()
    fill(first, call, ABOUT, CONTACT)
    token = first.session[f"apply:{call.pk}"]["token"]
    other_device = Client()
    response = other_device.get(
        reverse("selection:apply-resume", kwargs={"slug": call.slug, "token": token})
    )
    assert response["Location"] == _step(call, 3)
    page = other_device.get(_step(call, 1))
    assert 'value="Sokha"' in page.content.decode()
    # A wrong token is not found; an applicant cannot jump ahead.
    assert (
        other_device.get(
            reverse("selection:apply-resume", kwargs={"slug": call.slug, "token": "nope"})
        ).status_code
        == 404
    )
    assert other_device.get(_step(call, 5))["Location"] == _step(call, 3)


def test_eligibility_is_checked_as_the_applicant_goes_with_a_way_to_ask(world: World) -> None:
    call = open_call(world, min_age=18, max_age=25)
    client = Client()
    too_old = {**ABOUT, "birth_date": "1980-01-01"}
    fill(client, call, too_old)
    page = client.get(_step(call, 2)).content.decode()
    assert "aged 25 or less" in page
    assert "ask a person" in page.lower()
    client.post(
        reverse("selection:apply-help", kwargs={"slug": call.slug}),
        {"question": "I am 46 but I really need this training."},
    )
    draft = Application.objects.get(call=call)
    assert draft.eligible is False
    assert draft.eligibility_reasons == ["age"]
    assert "46" in draft.help_requested
    # The team sees the question on the call's page, before anything is sent.
    officer = world.client_for("officer_a1")
    detail = officer.get(reverse("selection:call-detail", kwargs={"call_id": call.pk}))
    assert "I am 46" in detail.content.decode()


def test_errors_name_the_field_and_nothing_moves_on(world: World) -> None:
    call = open_call(world)
    client = Client()
    fill(client, call, ABOUT)
    response = client.post(_step(call, 2), {"phone": "12", "email": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'aria-invalid="true"' in body
    assert Application.objects.get(call=call).step == 2


def test_the_same_person_applying_twice_is_linked_not_duplicated(world: World) -> None:
    call = open_call(world)
    fill(Client(), call, ABOUT, CONTACT, LANGUAGES, PROJECT, SEND)
    # Same person, name typed in another order and case, other phone, same birth date.
    again = {**ABOUT, "given_names": "CHAN", "family_name": "sokha"}
    response = fill(Client(), call, again, {"phone": "+33 6 99 99 99 99"}, LANGUAGES, PROJECT, SEND)
    assert Application.objects.filter(call=call).count() == 1
    assert Person.objects.filter(legal_family_name__iexact="chan").count() == 1
    application = Application.objects.get(call=call)
    assert len(application.answers["later_submissions"]) == 1
    assert response.status_code == 302


def test_an_attended_information_session_counts_as_the_first_stage(world: World) -> None:
    from tremplin.outreach.models import InformationSession, Registration

    call = open_call(world)
    start = timezone.now() - dt.timedelta(days=2)
    session = InformationSession.objects.create(
        site=world.north,
        title="Discover",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        capacity=20,
        public_key="k1",
    )
    Registration.objects.create(
        session=session,
        given_names="Sokha",
        family_name="Chan",
        email="sokha@example.org",
        channel="school",
        status="registered",
        checked_in_at=start,
    )
    fill(Client(), call, ABOUT, CONTACT, LANGUAGES, PROJECT, SEND)
    application = Application.objects.get(call=call)
    assert application.attended_information_session
    assert application.stages_passed == 1
    assert StageResult.objects.get(application=application).decision == "advance"


def test_a_closed_or_unpublished_call_takes_no_application(world: World) -> None:
    call = open_call(world)
    Call.objects.filter(pk=call.pk).update(closes_on=timezone.localdate() - dt.timedelta(days=1))
    client = Client()
    page = client.get(reverse("selection:apply-start", kwargs={"slug": call.slug}))
    assert "Applications are open from" in page.content.decode()
    client.post(reverse("selection:apply-start", kwargs={"slug": call.slug}))
    assert not Application.objects.exists()
    Call.objects.filter(pk=call.pk).update(published=False)
    assert (
        client.get(reverse("selection:apply-start", kwargs={"slug": call.slug})).status_code == 404
    )


def _locked(**_kwargs: Any) -> Any:
    raise OperationalError("database is locked")


def test_a_locked_database_gives_a_busy_page_that_keeps_what_was_typed(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large import holds SQLite's lock past the busy timeout: the applicant sees their
    answers again with a word to send them in a minute (503), never a 500."""
    call = open_call(world)
    client = Client()
    client.post(reverse("selection:apply-start", kwargs={"slug": call.slug}))
    monkeypatch.setattr(application_services, "application_step_save", _locked)
    response = client.post(_step(call, 1), ABOUT)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "The site is very busy for a moment." in page
    assert "your answers are kept on this page" in page
    for typed in ("Sokha", "Chan", "2004-03-02"):
        assert f'value="{typed}"' in page
    # The database free again, the same answers go through.
    monkeypatch.undo()
    assert client.post(_step(call, 1), ABOUT).status_code == 302
    assert Application.objects.get(call=call).answers["given_names"] == "Sokha"


def test_a_locked_database_when_starting_or_asking_a_person_gives_the_busy_page(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    call = open_call(world)
    client = Client()
    start = reverse("selection:apply-start", kwargs={"slug": call.slug})
    monkeypatch.setattr(application_services, "application_start", _locked)
    response = client.post(start)
    assert response.status_code == 503
    assert "The site is very busy for a moment." in response.content.decode()
    monkeypatch.undo()
    assert client.post(start).status_code == 302
    monkeypatch.setattr(application_services, "application_help_request", _locked)
    question = "Can I apply without a diploma?"
    response = client.post(
        reverse("selection:apply-help", kwargs={"slug": call.slug}), {"question": question}
    )
    assert response.status_code == 503
    assert question in response.content.decode()


def test_another_database_error_is_not_taken_for_a_busy_database(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    call = open_call(world)
    client = Client()
    client.post(reverse("selection:apply-start", kwargs={"slug": call.slug}))

    def broken(**_kwargs: Any) -> Any:
        raise OperationalError("no such table: selection_application")

    monkeypatch.setattr(application_services, "application_step_save", broken)
    with pytest.raises(OperationalError):
        client.post(_step(call, 1), ABOUT)


def test_a_session_the_locked_database_cannot_save_never_gives_a_500(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The session is saved after every page: the busy page survives a locked database too,
    and a new draft whose id cannot be kept in the session gives the busy page."""
    call = open_call(world)
    client = Client()
    start = reverse("selection:apply-start", kwargs={"slug": call.slug})
    client.post(start)

    def save_locked(*_args: Any, **_kwargs: Any) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(SessionStore, "save", save_locked)
    monkeypatch.setattr(application_services, "application_step_save", _locked)
    response = client.post(_step(call, 1), ABOUT)
    assert response.status_code == 503
    assert 'value="Sokha"' in response.content.decode()
    response = Client().post(start)
    assert response.status_code == 503
    assert "The site is very busy for a moment." in response.content.decode()
    # A page that changes nothing is shown, its session simply not refreshed.
    assert client.get(_step(call, 1)).status_code == 200


def test_the_review_step_shows_the_phone_left_to_right_and_the_date_in_the_readers_format(
    world: World,
) -> None:
    """Issue 12 (tester): in Arabic the phone read "33611223344+" and the birth date was ISO."""
    call = open_call(world)
    arabic = Client(HTTP_ACCEPT_LANGUAGE="ar")
    fill(arabic, call, ABOUT, CONTACT, LANGUAGES, PROJECT)
    page = arabic.get(_step(call, 5)).content.decode()
    assert '<bdi dir="ltr">+33611223344</bdi>' in page
    assert "2004-03-02" not in page
    french = Client(HTTP_ACCEPT_LANGUAGE="fr")
    Application.objects.all().delete()
    fill(french, call, ABOUT, CONTACT, LANGUAGES, PROJECT)
    assert "2 mars 2004" in french.get(_step(call, 5)).content.decode()


def test_the_link_is_said_to_go_by_e_mail_only_when_there_is_an_address(world: World) -> None:
    """Issue 12 (tester): "we also send it to your e-mail" with no e-mail given."""
    call = open_call(world)
    phone_only = Client()
    fill(phone_only, call, ABOUT, {**CONTACT, "email": ""})
    page = phone_only.get(_step(call, 3)).content.decode()
    assert "we also send it to your e-mail" not in page
    assert "we also send it to your phone by SMS" in page
    with_email = Client()
    fill(with_email, open_call(world, slug="alpha-2027-b"), ABOUT, CONTACT)
    page = with_email.get(_step(Call.objects.get(slug="alpha-2027-b"), 3)).content.decode()
    assert "we also send it to your e-mail" in page
