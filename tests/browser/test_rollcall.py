"""A trainer takes roll call on a 360 px phone, loses the connection for three taps, gets it
back: every mark arrives exactly once. The queue also survives a reload, and a tap whose
answer was lost on the way back is sent again without being applied twice."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import World
from tests.browser.conftest import PHONE, check_page
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.training.models import Mark, MarkOperation
from tremplin.training.tests.rollcall_builders import enrolments, taught_session

pytestmark = [pytest.mark.browser]

SAVED = "Every mark is saved."


def _signed_in_context(browser: Any, live_server: Any, world: World) -> Any:
    client = Client()
    client.force_login(world.users["trainer_a1"])
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def _tap(page: Any, enrolment_id: int) -> None:
    page.click(f".rollcall-tap[data-enrolment='{enrolment_id}']")


def _status(page: Any, enrolment_id: int) -> str:
    value: str = page.get_attribute(
        f".rollcall-tap[data-enrolment='{enrolment_id}']", "data-status"
    )
    return value


def _wait_saved(page: Any) -> None:
    page.wait_for_function(
        "() => document.querySelector('#rollcall-pending').textContent.includes('saved')"
    )


def _marks(session: Any) -> dict[int, str]:
    return dict(Mark.objects.filter(session=session).values_list("enrolment_id", "status"))


def _answer_lost_then_sent_again(page: Any, session: Any, a: int) -> None:
    """The server is unreachable (the connection looks fine): a tap waits and survives a
    reload. Then the server receives it but its answer is lost: the phone sends it again,
    and the server acknowledges it without applying it twice."""
    pending = page.locator("#rollcall-pending")
    page.route("**/marks/", lambda route: route.abort())
    _tap(page, a)  # late
    page.wait_for_function(
        "() => document.querySelector('#rollcall-pending').textContent.includes(': 1')"
    )
    page.reload()
    assert _status(page, a) == "late"
    assert pending.text_content() == "Marks waiting to be sent: 1"
    assert Mark.objects.get(enrolment_id=a).status == "present"
    page.unroute("**/marks/")
    lost: list[bool] = []

    def lose_the_answer(route: Any) -> None:
        route.fetch()
        lost.append(True)
        route.abort()

    page.route("**/marks/", lose_the_answer, times=1)
    _wait_saved(page)
    assert lost == [True]
    assert Mark.objects.get(enrolment_id=a).status == "late"
    assert MarkOperation.objects.filter(session=session).count() == 5
    assert AuditEvent.objects.filter(action=AuditAction.MARK_CHANGED).count() == 2


def _reopens_offline(page: Any, context: Any, session: Any, b: int) -> None:
    """Once its service worker keeps it, the page reopens without a connection."""
    pending = page.locator("#rollcall-pending")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    context.set_offline(True)
    reopened = page.reload()
    assert reopened is not None
    assert reopened.from_service_worker
    assert "x-kept-at" in reopened.headers
    _tap(page, b)  # present → late, queued
    assert pending.text_content() == "Marks waiting to be sent: 1"
    context.set_offline(False)
    _wait_saved(page)
    assert Mark.objects.get(enrolment_id=b).status == "late"
    assert MarkOperation.objects.filter(session=session).count() == 8


def test_a_trainer_loses_the_connection_for_three_taps_and_every_mark_arrives_once(
    transactional_db: None, live_server: Any, world: World, browser: Any
) -> None:
    session = taught_session(world, learners=5)
    a, b, c, d, e = (x.pk for x in enrolments(session))
    context = _signed_in_context(browser, live_server, world)
    page = context.new_page()
    page.set_default_timeout(15_000)
    url = live_server.url + reverse("training:session-rollcall", args=[session.pk])
    page.goto(url)
    pending = page.locator("#rollcall-pending")

    _tap(page, a)  # present
    _wait_saved(page)
    assert Mark.objects.get(enrolment_id=a).status == "present"

    # The network goes: three taps are kept on the phone.
    context.set_offline(True)
    _tap(page, b)  # present
    _tap(page, c)  # present
    _tap(page, c)  # late
    assert pending.text_content() == "Marks waiting to be sent: 3"
    page.wait_for_function(
        "() => document.querySelector('#rollcall-connection').textContent.includes('No connection')"
    )
    assert _status(page, c) == "late"
    page.wait_for_timeout(1500)  # a retry fails while offline; nothing is lost
    assert pending.text_content() == "Marks waiting to be sent: 3"
    assert Mark.objects.filter(session=session).count() == 1

    # It comes back: the queue is sent.
    context.set_offline(False)
    _wait_saved(page)
    assert _marks(session) == {
        a: "present",
        b: "present",
        c: "late",
    }
    assert MarkOperation.objects.filter(session=session).count() == 4
    changes = list(
        AuditEvent.objects.filter(action=AuditAction.MARK_CHANGED).values_list("changes", flat=True)
    )
    assert changes == [{"status": {"from": "present", "to": "late"}}]

    _answer_lost_then_sent_again(page, session, a)

    # "Everyone present" fills only the learners without a mark.
    page.click("#rollcall-everyone")
    _wait_saved(page)
    assert _marks(session) == {
        a: "late",
        b: "present",
        c: "late",
        d: "present",
        e: "present",
    }
    assert MarkOperation.objects.filter(session=session).count() == 7
    assert AuditEvent.objects.filter(action=AuditAction.MARK_CHANGED).count() == 2
    page.reload()
    assert pending.text_content() == SAVED
    assert page.evaluate(f"() => localStorage.getItem('tremplin.rollcall.v1.{session.pk}')") is None
    check_page(page, "rollcall-phone")

    _reopens_offline(page, context, session, b)
    context.close()


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_roll_call_reads_right_to_left_in_arabic_and_fits_a_phone(
    transactional_db: None, live_server: Any, world: World, browser: Any, language: str
) -> None:
    session = taught_session(world, learners=3)
    a = enrolments(session)[0].pk
    context = _signed_in_context(browser, live_server, world)
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + reverse("training:session-rollcall", args=[session.pk]))
    assert page.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
    _tap(page, a)
    page.wait_for_function("() => !document.querySelector('.rollcall-waiting')")
    assert Mark.objects.get(enrolment_id=a).status == "present"
    label = page.locator(f".rollcall-tap[data-enrolment='{a}'] .rollcall-mark").text_content()
    assert label == ("حاضر" if language == "ar" else "Présent·e")
    check_page(page, f"rollcall-phone-{language}")
    context.close()
