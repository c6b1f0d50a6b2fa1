"""Signed attendance sheets (PDF): a session's, a cohort's month, the whole course; one
row per learner, one column per half-day, the signature or the absence, hours attended."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from conftest import World
from tremplin.training.models import Mark, MarkStatus
from tremplin.training.services.sheets import sheet_build
from tremplin.training.tests.factories import EnrolmentFactory
from tremplin.training.tests.signing import cohort_north, drawing, session_at


def sign(world: World, session_id: int, enrolment_id: int, half_day: str = "am") -> None:
    response = world.client_for("trainer_a1").post(
        reverse("training:session-signatures", args=[session_id]),
        {"enrolment": enrolment_id, "half_day": half_day, "image": drawing()},
    )
    assert response.status_code == 302


def mark(session_id: int, enrolment_id: int, status: str) -> None:
    Mark.objects.create(
        session_id=session_id, enrolment_id=enrolment_id, status=status, recorded_at=timezone.now()
    )


def test_the_sheet_holds_signatures_absences_and_hours(world: World) -> None:
    cohort = cohort_north(world, learners=3)
    day = timezone.localdate() - dt.timedelta(days=1)
    full = session_at(cohort, day=day, start=9, end=17)  # 8 hours, two half-days
    amina, absent, excused = cohort.enrolments.order_by("pk")
    sign(world, full.pk, amina.pk, "am")
    sign(world, full.pk, amina.pk, "pm")
    mark(full.pk, absent.pk, MarkStatus.ABSENT)
    mark(full.pk, excused.pk, MarkStatus.EXCUSED)
    sheet = sheet_build(cohort=cohort, since=day, until=day, title="day")
    (week,) = sheet.weeks
    assert [c.half_day for c in week.columns] == ["am", "pm"]
    cells = {row.enrolment.pk: [cell.state for cell in row.cells] for row in week.rows}
    assert cells == {
        amina.pk: ["signed", "signed"],
        absent.pk: ["absent", "absent"],
        excused.pk: ["excused", "excused"],
    }
    assert (
        week.rows[[r.enrolment.pk for r in week.rows].index(amina.pk)]
        .cells[0]
        .image.startswith("data:image/png;base64,")
    )
    hours = {t.enrolment.pk: t.hours for t in sheet.totals}
    assert hours == {amina.pk: 8.0, absent.pk: 0.0, excused.pk: 0.0}
    assert sheet.hours_scheduled == 8.0
    assert sheet.trainers == [world.users["trainer_a1"].display_name]


def test_a_session_sheet_downloads_as_a_pdf(world: World) -> None:
    cohort = cohort_north(world, learners=2)
    session = session_at(cohort)
    sign(world, session.pk, cohort.enrolments.get(person=world.amina).pk)
    response = world.client_for("coach_a1").get(
        reverse("training:sheet-session", args=[session.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert (
        world.client_for("manager_b1")
        .get(reverse("training:sheet-session", args=[session.pk]))
        .status_code
        == 404
    )


def test_a_month_or_the_whole_course_and_a_wrong_month_names_the_field(world: World) -> None:
    cohort = cohort_north(world, learners=1)
    session = session_at(cohort)
    sign(world, session.pk, cohort.enrolments.get().pk)
    client = world.client_for("manager_a1")
    url = reverse("training:sheet-cohort", args=[cohort.pk])
    month = timezone.localdate().strftime("%Y-%m")
    monthly = client.get(url, {"month": month})
    assert monthly.status_code == 200
    assert monthly.content.startswith(b"%PDF")
    assert f"attendance-cohort-{cohort.pk}-{month}.pdf" in monthly["Content-Disposition"]
    whole = client.get(url)
    assert whole.status_code == 200
    assert whole.content.startswith(b"%PDF")
    for wrong in ("2026-13", "1999-01", "march", "2026-1"):
        response = client.get(url, {"month": wrong})
        assert response.status_code == 400
        assert "is not a month of this cohort" in response.content.decode()


def test_the_sheet_reads_right_to_left_in_arabic(world: World) -> None:
    cohort = cohort_north(world, learners=1)
    session = session_at(cohort)
    sign(world, session.pk, cohort.enrolments.get().pk)
    day = timezone.localdate() - dt.timedelta(days=1)
    sheet = sheet_build(cohort=cohort, since=day, until=day, title=str(day))
    assert sheet.weeks[0].rows[0].cells[0].state == "signed"
    with translation.override("ar"):
        html = render_to_string(
            "training/sheet_pdf.html", {"sheet": sheet, "printed_at": timezone.now()}
        )
    assert 'dir="rtl"' in html
    assert 'lang="ar"' in html


def test_building_a_sheet_takes_the_same_queries_for_any_size(world: World) -> None:
    counts = []
    for size in (2, 20):
        cohort = cohort_north(world, learners=0, title=f"Cohort of {size}")
        enrolments = [EnrolmentFactory(cohort=cohort) for _ in range(size)]
        day = timezone.localdate() - dt.timedelta(days=1)
        for start in (9, 14):
            session = session_at(cohort, day=day, start=start, end=start + 3)
            for enrolment in enrolments:
                mark(session.pk, enrolment.pk, MarkStatus.PRESENT)
        with CaptureQueriesContext(connection) as captured:
            sheet_build(cohort=cohort, since=day, until=day, title="x")
        counts.append(len(captured))
    assert counts[0] == counts[1] <= 7
