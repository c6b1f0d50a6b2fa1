"""Applicants' languages per organisation (issue 12, item 13).

Staff pages speak English, French and Arabic; what an applicant sees is offered in the
languages their organisation chose (Khmer and Vietnamese among them), else its default.
"""

from __future__ import annotations

import re
from email.header import decode_header, make_header
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import World
from tests.mail import Inbox
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.network.models import ApplicantRecording, Organisation
from tremplin.network.services import organisation_languages_set
from tremplin.outreach.tests.test_pages import schedule
from tremplin.selection.models import Application
from tremplin.selection.tests.builders import open_call
from tremplin.selection.tests.test_application_form import (
    ABOUT,
    CONTACT,
    LANGUAGES,
    PROJECT,
    SEND,
    fill,
)


def _lang(html: str) -> str:
    match = re.search(r'<html lang="([a-z-]+)"', html)
    assert match, html[:300]
    return match.group(1)


def _switcher(html: str) -> set[str]:
    return set(re.findall(r'name="language" value="([a-z]+)"', html))


def _offer(organisation: Organisation, languages: list[str], default: str) -> None:
    Organisation.objects.filter(pk=organisation.pk).update(
        applicant_languages=languages, default_language=default
    )


def test_a_network_admin_chooses_the_languages_offered_to_applicants(world: World) -> None:
    client = world.client_for("admin_a")
    url = reverse("network:organisation-languages", kwargs={"slug": "alpha"})
    response = client.post(url, {"applicant_languages": ["km", "en"], "default_language": "km"})
    assert response.status_code == 302
    world.alpha.refresh_from_db()
    assert world.alpha.applicant_languages == ["en", "km"]
    assert world.alpha.default_language == "km"
    event = AuditEvent.objects.get(action=AuditAction.ORGANISATION_UPDATED)
    assert "default_language" in str(event.changes)
    page = client.get(reverse("network:organisation-detail", kwargs={"slug": "alpha"}))
    assert 'lang="km"' in page.content.decode()


def test_the_default_language_must_be_offered(world: World) -> None:
    client = world.client_for("admin_a")
    url = reverse("network:organisation-languages", kwargs={"slug": "alpha"})
    response = client.post(url, {"applicant_languages": ["en"], "default_language": "vi"})
    assert response.status_code == 200
    assert "The default language must be one of those offered." in response.content.decode()
    response = client.post(url, {"applicant_languages": ["xx"], "default_language": "xx"})
    assert response.status_code == 200
    with pytest.raises(ValidationError):
        organisation_languages_set(
            actor=world.users["admin_a"], organisation=world.alpha, languages=[], default="fr"
        )
    with pytest.raises(PermissionDenied):
        organisation_languages_set(
            actor=world.users["manager_a1"],
            organisation=world.alpha,
            languages=["fr"],
            default="fr",
        )


def test_the_public_form_offers_only_the_organisations_languages(world: World) -> None:
    _offer(world.alpha, ["fr", "en", "km"], "fr")
    call = open_call(world)
    url = reverse("selection:apply-start", kwargs={"slug": call.slug})
    page = Client(HTTP_ACCEPT_LANGUAGE="km").get(url).content.decode()
    assert _lang(page) == "km"
    assert _switcher(page) == {"fr", "en", "km"}
    # Arabic is not offered by Alpha: the applicant sees the default, French.
    page = Client(HTTP_ACCEPT_LANGUAGE="ar").get(url).content.decode()
    assert _lang(page) == "fr"
    assert "ar" not in _switcher(page)


def test_a_language_not_offered_falls_back_to_the_default_even_when_chosen(
    world: World,
) -> None:
    _offer(world.alpha, ["en", "vi"], "vi")
    call = open_call(world)
    client = Client()
    client.post(reverse("core:set-language"), {"language": "km", "next": "/"})
    page = client.get(reverse("selection:apply-start", kwargs={"slug": call.slug}))
    assert _lang(page.content.decode()) == "vi"


def test_staff_pages_stay_in_a_staff_language(world: World) -> None:
    client = world.client_for("officer_a1")
    client.post(reverse("core:set-language"), {"language": "km", "next": "/"})
    world.users["officer_a1"].refresh_from_db()
    assert world.users["officer_a1"].preferred_language == ""
    page = client.get(reverse("network:site-list"), HTTP_ACCEPT_LANGUAGE="km").content.decode()
    assert _lang(page) == "en"
    assert _switcher(page) == {"en", "fr", "ar"}


def test_information_session_registration_offers_the_organisations_languages(
    world: World,
) -> None:
    _offer(world.alpha, ["vi", "fr"], "fr")
    session = schedule(world)
    url = reverse("outreach:public-register", args=[session.public_key])
    page = Client(HTTP_ACCEPT_LANGUAGE="vi").get(url).content.decode()
    assert _lang(page) == "vi"
    assert _switcher(page) == {"vi", "fr"}


def test_a_khmer_applicant_reads_the_form_and_the_confirmation_in_khmer(
    world: World, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    _offer(world.alpha, ["fr", "en", "km"], "fr")
    call = open_call(world)
    client = Client(HTTP_ACCEPT_LANGUAGE="km")
    client.post(reverse("selection:apply-start", kwargs={"slug": call.slug}))
    page = client.get(reverse("selection:apply-step", kwargs={"slug": call.slug, "step": 1}))
    html = page.content.decode()
    assert _lang(html) == "km"
    assert "រក្សាទុក និងបន្ត" in html  # "Save and continue"
    assert "Save and continue" not in html
    with django_capture_on_commit_callbacks(execute=True):
        fill(client, call, ABOUT, CONTACT, LANGUAGES, PROJECT, SEND)
    assert Application.objects.get(call=call).language == "km"
    subject = str(make_header(decode_header(str(smtp_inbox.messages[-1]["Subject"]))))
    assert "យើងបានទទួលពាក្យស្នើសុំរបស់អ្នក" in subject  # "We received your application"
    assert "សួស្តី" in smtp_inbox.body(-1)  # "Hello"


def test_vietnamese_registration_to_an_information_session(world: World) -> None:
    _offer(world.alpha, ["vi"], "vi")
    session = schedule(world)
    page = Client().get(reverse("outreach:public-register", args=[session.public_key]))
    html = page.content.decode()
    assert _lang(html) == "vi"
    assert "Đăng ký" in html  # "Register"


# --- Text that staff type, per offered language (13d) --------------------------------------


def test_staff_give_a_calls_text_per_language_and_applicants_read_their_own(world: World) -> None:
    _offer(world.alpha, ["en", "km", "vi"], "en")
    call = open_call(world)
    stage = call.stages.first()
    assert stage is not None
    officer = world.client_for("officer_a1")
    url = reverse("selection:call-translations", kwargs={"call_id": call.pk})
    form = officer.get(url).content.decode()
    assert 'name="call_title__km"' in form
    assert 'name="call_title__en"' not in form  # the default: typed on the call itself
    response = officer.post(
        url,
        {
            "call_title__km": "ជំនាញឌីជីថលមូលដ្ឋាន 2027",
            "call_required_documents__km": "អត្តសញ្ញាណប័ណ្ណ",
            f"stage{stage.pk}_name__km": "វគ្គផ្សព្វផ្សាយព័ត៌មាន",
        },
    )
    assert response.status_code == 302
    call.refresh_from_db()
    stage.refresh_from_db()
    assert call.translations == {
        "km": {"title": "ជំនាញឌីជីថលមូលដ្ឋាន 2027", "required_documents": ["អត្តសញ្ញាណប័ណ្ណ"]}
    }
    assert stage.translations == {"km": {"name": "វគ្គផ្សព្វផ្សាយព័ត៌មាន"}}
    assert AuditEvent.objects.filter(action=AuditAction.CALL_TRANSLATED).exists()

    start = reverse("selection:apply-start", kwargs={"slug": call.slug})
    khmer = Client(HTTP_ACCEPT_LANGUAGE="km").get(start).content.decode()
    assert "ជំនាញឌីជីថលមូលដ្ឋាន 2027" in khmer
    assert "អត្តសញ្ញាណប័ណ្ណ" in khmer
    assert "Identity document" not in khmer
    # Vietnamese was not given: the text as typed, in the organisation's default language.
    vietnamese = Client(HTTP_ACCEPT_LANGUAGE="vi").get(start).content.decode()
    assert _lang(vietnamese) == "vi"
    assert "Digital basics 2027" in vietnamese
    assert "ជំនាញឌីជីថលមូលដ្ឋាន" not in vietnamese
    english = Client().get(start).content.decode()
    assert "Digital basics 2027" in english


def test_a_programmes_eligibility_notes_per_language(world: World) -> None:
    _offer(world.alpha, ["fr", "vi"], "fr")
    programme = world.programme_alpha
    admin = world.client_for("admin_a")
    url = reverse("network:programme-edit", kwargs={"programme_id": programme.pk})
    page = admin.get(url).content.decode()
    assert 'name="eligibility_notes__vi"' in page
    data = {
        "title": programme.title,
        "slug": programme.slug,
        "duration_weeks": programme.duration_weeks,
        "eligibility_notes": "Avoir un projet dans le numérique.",
        "eligibility_notes__vi": "Có dự định làm việc trong ngành kỹ thuật số.",
    }
    assert admin.post(url, data).status_code == 302
    programme.refresh_from_db()
    assert programme.translations == {
        "vi": {"eligibility_notes": "Có dự định làm việc trong ngành kỹ thuật số."}
    }
    call = open_call(world)
    start = reverse("selection:apply-start", kwargs={"slug": call.slug})
    assert "Có dự định làm việc" in Client(HTTP_ACCEPT_LANGUAGE="vi").get(start).content.decode()
    assert "Avoir un projet" in Client(HTTP_ACCEPT_LANGUAGE="fr").get(start).content.decode()


def test_a_khmer_page_says_so_and_links_the_font_served_locally(world: World) -> None:
    _offer(world.alpha, ["km"], "km")
    call = open_call(world)
    page = Client().get(reverse("selection:apply-start", kwargs={"slug": call.slug}))
    html = page.content.decode()
    assert _lang(html) == "km"
    assert page["Content-Language"] == "km"
    assert '<link rel="stylesheet" href="/static/core/fonts.css">' in html
    font = Client().get("/static/vendor/noto-sans-khmer/noto-sans-khmer-khmer-400-normal.woff2")
    assert font.status_code == 200
    # A page in another language does not load it.
    _offer(world.alpha, ["en"], "en")
    html = Client().get(reverse("selection:apply-start", kwargs={"slug": call.slug})).content
    assert b"core/fonts.css" not in html
    # A staff page, in any language, links it: applicants' names may be written in Khmer (the
    # font downloads only for a page with Khmer characters).
    staff = world.client_for("officer_a1").get(reverse("selection:call-list")).content
    assert b"core/fonts.css" in staff


# --- Read aloud on the application form (15c) ----------------------------------------------


def _read_aloud_button(html: str) -> str:
    match = re.search(r"<button[^>]*data-read-aloud[^>]*>", html)
    assert match, "no read-aloud button"
    return match.group(0)


def test_every_step_of_the_form_and_the_registration_can_be_read_aloud(world: World) -> None:
    _offer(world.alpha, ["fr", "km"], "fr")
    call = open_call(world)
    client = Client(HTTP_ACCEPT_LANGUAGE="km")
    start = client.get(reverse("selection:apply-start", kwargs={"slug": call.slug}))
    assert 'data-lang="km"' in _read_aloud_button(start.content.decode())
    client.post(reverse("selection:apply-start", kwargs={"slug": call.slug}))
    for number, data in enumerate([ABOUT, CONTACT, LANGUAGES, PROJECT, None], start=1):
        url = reverse("selection:apply-step", kwargs={"slug": call.slug, "step": number})
        html = client.get(url).content.decode()
        button = _read_aloud_button(html)
        assert 'data-lang="km"' in button
        assert 'data-text-target="read-aloud-text"' in button
        assert 'id="read-aloud-text"' in html
        assert "/static/core/read_aloud.js" in html
        assert "data-audio" not in button  # no recording: the phone's own voice
        if data:
            client.post(url, data)
    session = schedule(world)
    page = Client(HTTP_ACCEPT_LANGUAGE="fr").get(
        reverse("outreach:public-register", args=[session.public_key])
    )
    assert 'data-lang="fr"' in _read_aloud_button(page.content.decode())


OGG = b"OggS" + bytes(60)  # the start of an Ogg file: enough to be recognised


def test_the_organisations_recording_is_played_instead_of_the_phones_voice(
    world: World, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    _offer(world.alpha, ["fr", "km"], "fr")
    admin = world.client_for("admin_a")
    url = reverse("network:organisation-recordings", kwargs={"slug": "alpha"})
    sent = admin.post(
        url, {"page": "about", "language": "km", "file": SimpleUploadedFile("a.ogg", OGG)}
    )
    assert sent.status_code == 302
    refused = admin.post(
        url, {"page": "about", "language": "km", "file": SimpleUploadedFile("b.ogg", b"x" * 64)}
    )
    assert "this file is not one" in refused.content.decode()
    not_offered = admin.post(
        url, {"page": "about", "language": "vi", "file": SimpleUploadedFile("c.ogg", OGG)}
    )
    assert not_offered.status_code == 200
    recording = ApplicantRecording.objects.get()
    assert (recording.page, recording.language, recording.content_type) == (
        "about",
        "km",
        "audio/ogg",
    )
    call = open_call(world)
    khmer = Client(HTTP_ACCEPT_LANGUAGE="km")
    khmer.post(reverse("selection:apply-start", kwargs={"slug": call.slug}))
    step = reverse("selection:apply-step", kwargs={"slug": call.slug, "step": 1})
    audio = reverse("network:applicant-recording", kwargs={"recording_id": recording.pk})
    assert f'data-audio="{audio}"' in _read_aloud_button(khmer.get(step).content.decode())
    played = Client().get(audio)
    assert played["Content-Type"] == "audio/ogg"
    assert b"".join(played.streaming_content).startswith(b"OggS")  # type: ignore[attr-defined]
    # In French there is no recording: the phone reads the page.
    french = Client(HTTP_ACCEPT_LANGUAGE="fr")
    french.post(reverse("selection:apply-start", kwargs={"slug": call.slug}))
    assert "data-audio" not in _read_aloud_button(french.get(step).content.decode())
    # Removed: the phone's own voice again.
    remove = reverse("network:applicant-recording-remove", kwargs={"recording_id": recording.pk})
    assert world.client_for("manager_a1").post(remove).status_code == 403
    assert admin.post(remove).status_code == 302
    assert "data-audio" not in _read_aloud_button(khmer.get(step).content.decode())


def test_a_khmer_test_taker_has_the_screens_in_khmer_and_an_english_question_read_in_english(
    world: World,
) -> None:
    from tremplin.placement.bank import bank_install_shipped
    from tremplin.placement.services import attempts as attempt_services

    _offer(world.alpha, ["fr", "en", "km"], "fr")
    bank_install_shipped(world.alpha)
    started = attempt_services.attempt_start(
        actor=world.users["officer_a1"],
        person=world.amina,
        programme=world.programme_alpha,
        language="km",
    )
    html = Client().get(reverse("placement:take", kwargs={"token": started.token})).content
    page = html.decode()
    assert _lang(page) == "km"
    assert "អានឮៗ" in page  # "Read aloud"
    # The shipped questions are written in French, English and Arabic: shown in English.
    assert 'data-lang="en"' in _read_aloud_button(page)
    assert _switcher_options(page) == {"fr", "en", "km"}


def _switcher_options(html: str) -> set[str]:
    return set(re.findall(r'<option value="([a-z]+)"[^>]*lang=', html))
