"""The stage's table (a header over every cell, decisions in bulk with their reasons, what a
refused row keeps), the settings each stage kind shows, raters by name, and bounded numbers."""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.urls import reverse

from conftest import World
from tremplin.network.models import Role, RoleAssignment
from tremplin.selection.models import (
    Decision,
    ReasonCode,
    StageResult,
)
from tremplin.selection.services import interviews as interview_services
from tremplin.selection.tests.builders import applicant, open_call
from tremplin.selection.tests.builders import stages_by_kind as _stages


class _TableShape(HTMLParser):
    """The cells a browser lays out: every `<th>` start tag in the head (a `<th>` inside
    another is a column of its own), and the `<td>`s of each body row."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[int] = []
        self.rows: list[int] = []
        self.section = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("thead", "tbody"):
            self.section = tag
            if tag == "thead":
                self.headers.append(0)
        elif tag == "tr" and self.section == "tbody":
            self.rows.append(0)
        elif tag == "th" and self.section == "thead":
            self.headers[-1] += 1
        elif tag == "td" and self.section == "tbody":
            self.rows[-1] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("thead", "tbody"):
            self.section = ""


def table_shape(html: str) -> tuple[int, list[int]]:
    """The first table's header count and each of its body rows' cell count."""
    parser = _TableShape()
    parser.feed(html.split("</table>")[0])
    return parser.headers[0], parser.rows


@pytest.mark.parametrize("kind", ["written_exam", "interview", "social_investigation"])
def test_the_stage_table_has_a_header_over_every_cell(world: World, kind: str) -> None:
    call = open_call(world)
    stage = _stages(call)[kind]
    for _n in range(2):
        applicant(call, through=stage.position - 1)
    for persona in ("officer_a1", "interviewer_a1"):
        page = world.client_for(persona).get(
            reverse("selection:stage-detail", kwargs={"call_id": call.pk, "stage_id": stage.pk})
        )
        if page.status_code != 200:
            continue
        headers, rows = table_shape(page.content.decode())
        assert rows == [headers, headers], (persona, kind)


def test_the_applications_list_has_a_header_over_every_cell(world: World) -> None:
    call = open_call(world)
    applicant(call)
    page = world.client_for("officer_a1").get(
        reverse("selection:application-list", kwargs={"call_id": call.pk})
    )
    headers, rows = table_shape(page.content.decode())
    assert rows == [headers]


def test_bulk_decisions_record_a_reason_per_row_or_one_for_all_and_the_note(
    world: World,
) -> None:
    call = open_call(world, process="simplon")
    check = _stages(call)["administrative_check"]
    first, second, third, fourth = (applicant(call) for _n in range(4))
    web = world.client_for("officer_a1")
    url = reverse("selection:stage-scores", kwargs={"call_id": call.pk, "stage_id": check.pk})
    # A rejection with no reason and no note is refused, and names the applicant.
    response = web.post(
        url,
        {
            f"score_{first.pk}": "",
            f"decision_{first.pk}": Decision.REJECT,
            f"reason_{first.pk}": ReasonCode.MISSING_DOCUMENTS,
            f"score_{second.pk}": "",
            f"decision_{second.pk}": Decision.REJECT,
            f"score_{third.pk}": "",
            f"decision_{third.pk}": Decision.ADVANCE,
            "reason": "",
            "note": "",
        },
        follow=True,
    )
    text = response.content.decode()
    assert f"{second.person}: Say why this applicant stops here" in text
    results = {r.application_id: r for r in StageResult.objects.filter(stage=check)}
    assert results[first.pk].reason == ReasonCode.MISSING_DOCUMENTS
    assert results[third.pk].reason == ReasonCode.PASSED
    assert second.pk not in results
    # One reason and a note for every row that has none of its own.
    web.post(
        url,
        {
            f"score_{second.pk}": "",
            f"decision_{second.pk}": Decision.REJECT,
            f"score_{fourth.pk}": "",
            f"decision_{fourth.pk}": Decision.REJECT,
            f"reason_{fourth.pk}": ReasonCode.NO_SHOW,
            "reason": ReasonCode.ADMINISTRATIVE,
            "note": "Residence permit expired",
        },
    )
    second_result = StageResult.objects.get(stage=check, application=second)
    assert (second_result.reason, second_result.note) == (
        ReasonCode.ADMINISTRATIVE,
        "Residence permit expired",
    )
    assert StageResult.objects.get(stage=check, application=fourth).reason == ReasonCode.NO_SHOW
    assert not StageResult.objects.filter(
        decision=Decision.REJECT, reason=ReasonCode.OTHER, note=""
    ).exists()
    # A reason that is not on the list is named, not a 500.
    response = web.post(url, {"reason": "made_up", "note": ""}, follow=True)
    assert response.status_code == 200
    assert "Reason for the decisions without their own" in response.content.decode()


SETTINGS_OF_KIND = {
    "information_session": set(),
    "administrative_check": set(),
    "written_exam": {"max_score", "pass_mark"},
    "interview": {"pass_mark", "raters_per_application", "standardise_raters"},
    "social_investigation": {"pass_mark"},
}


def test_each_stage_kind_shows_only_the_settings_that_apply_to_it(world: World) -> None:
    passerelles = open_call(world)
    simplon = open_call(world, process="simplon", slug="simplon-day")
    web = world.client_for("officer_a1")
    every = {"max_score", "pass_mark", "raters_per_application", "standardise_raters"}
    for stage in [*passerelles.stages.all(), *simplon.stages.all()]:
        url = reverse(
            "selection:stage-edit", kwargs={"call_id": stage.call_id, "stage_id": stage.pk}
        )
        page = web.get(url).content.decode()
        shown = {name for name in every if f'name="{name}"' in page}
        assert shown == SETTINGS_OF_KIND[stage.kind], stage.kind
    interview = _stages(passerelles)["interview"]
    url = reverse(
        "selection:stage-edit", kwargs={"call_id": passerelles.pk, "stage_id": interview.pk}
    )
    response = web.post(url, {"name": interview.name, "pass_mark": "60"})
    assert "Give a pass mark from 1 to 5." in response.content.decode()
    response = web.post(url, {"name": interview.name, "pass_mark": "3.5"})
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.pass_mark == Decimal("3.5")


def test_raters_are_listed_by_name_and_a_site_without_investigators_says_how_to_invite(
    world: World,
) -> None:
    call = open_call(world)
    stages = _stages(call)
    rater = world.users["interviewer_a1"]
    rater.first_name, rater.last_name = "Awa", "Diallo"
    rater.save()
    application = applicant(call, through=stages["interview"].position - 1)
    interview_services.interview_assign(
        actor=world.users["officer_a1"],
        application=application,
        stage=stages["interview"],
        raters=[rater],
    )
    manager = world.client_for("manager_a1")
    page = manager.get(
        reverse(
            "selection:stage-detail",
            kwargs={"call_id": call.pk, "stage_id": stages["interview"].pk},
        )
    ).content.decode()
    assert page.count("Awa Diallo") >= 2  # on the applicant's row and in the list to assign
    assert rater.email not in page
    # Nobody at the site can make home visits: the page says who can, and how to invite them.
    RoleAssignment.objects.filter(
        site=call.site, role__in=[Role.FIELD_INVESTIGATOR, Role.SELECTION_OFFICER]
    ).delete()
    page = manager.get(
        reverse(
            "selection:stage-detail",
            kwargs={"call_id": call.pk, "stage_id": stages["social_investigation"].pk},
        )
    ).content.decode()
    assert "Nobody at this call's sites can make home visits yet" in page
    assert reverse("network:staff-invite") in page


def test_crafted_numbers_are_field_errors_not_500(world: World) -> None:
    """``1e30`` as a highest score, ``²`` in the funnel's ``?call=`` and in a table's score."""
    from tests.authorization.records import stage_at

    client = world.client_for("officer_a1")
    kwargs = stage_at("north")(world)
    response = client.post(
        reverse("selection:stage-edit", kwargs=kwargs),
        {"name": "Exam", "max_score": "1e30", "pass_mark": "NaN"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"max_score", "pass_mark"}
    assert client.get(reverse("selection:funnel"), {"call": ["²", "9" * 5000]}).status_code == 200
    response = client.post(
        reverse("selection:call-seats", kwargs={"call_id": kwargs["call_id"]}),
        {"site": "²", "seats": "1e30"},
        follow=True,
    )
    assert "Choose a site and a number of seats" in response.content.decode()


def test_rows_refused_by_the_bulk_save_come_back_as_typed_with_the_common_reason(
    world: World,
) -> None:
    """Issue 12 (tester): a rejection with no reason and no note was refused, and the row came
    back "pending" with its score gone and the common reason reset. What was typed stays."""
    import re

    call = open_call(world)
    exam = _stages(call)["written_exam"]
    first, second, third = (applicant(call, through=exam.position - 1) for _n in range(3))
    web = world.client_for("officer_a1")
    url = reverse("selection:stage-scores", kwargs={"call_id": call.pk, "stage_id": exam.pk})
    response = web.post(
        url,
        {
            f"score_{first.pk}": "42",
            f"decision_{first.pk}": Decision.REJECT,
            f"score_{second.pk}": "4x",
            f"score_{third.pk}": "77",
            f"decision_{third.pk}": Decision.ADVANCE,
            "reason": ReasonCode.OTHER,
            "note": "",
        },
        follow=True,
    )
    text = response.content.decode()
    assert "Say why this applicant stops here" in text
    assert "1 result saved." in text
    assert re.search(rf'name="score_{first.pk}"[^>]*value="42"', text)
    assert re.search(rf'name="score_{second.pk}"[^>]*value="4x"', text)
    chosen = re.search(rf'name="decision_{first.pk}".*?</select>', text, re.S)
    assert chosen
    assert f'value="{Decision.REJECT}" selected' in chosen.group(0)
    bulk = re.search(r'id="bulk-reason".*?</select>', text, re.S)
    assert bulk
    assert f'value="{ReasonCode.OTHER}" selected' in bulk.group(0)
    # Only once: the next visit shows what is stored.
    again = web.get(reverse("selection:stage-detail", args=[call.pk, exam.pk])).content.decode()
    assert not re.search(rf'name="score_{first.pk}"[^>]*value="42"', again)


def test_counts_in_messages_agree_with_their_number_in_french(world: World) -> None:
    """Issue 12 (tester): "1 résultats enregistrés"."""
    call = open_call(world)
    exam = _stages(call)["written_exam"]
    first = applicant(call, through=exam.position - 1)
    web = world.client_for("officer_a1")
    web.cookies["tremplin_language"] = "fr"
    url = reverse("selection:stage-scores", kwargs={"call_id": call.pk, "stage_id": exam.pk})
    page = web.post(
        url, {f"score_{first.pk}": "55", "reason": "", "note": ""}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    text = web.get(page["Location"], HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "1 résultat enregistré." in text
    stage_url = reverse("selection:stage-pass-mark", args=[call.pk, exam.pk])
    type(exam).objects.filter(pk=exam.pk).update(pass_mark=50)
    page = web.post(stage_url, HTTP_ACCEPT_LANGUAGE="fr")
    text = web.get(page["Location"], HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "1 résultat décidé selon la note minimale." in text


def test_a_written_exam_cannot_lose_its_highest_score(world: World) -> None:
    """Issue 12 (tester): a written exam's highest score could be saved empty, and its scores
    were then read on no known scale."""
    from django.db import IntegrityError as Refused

    call = open_call(world)
    exam = _stages(call)["written_exam"]
    web = world.client_for("officer_a1")
    url = reverse("selection:stage-edit", args=[call.pk, exam.pk])
    for empty in ("", "0"):
        response = web.post(url, {"name": exam.name, "max_score": empty, "pass_mark": ""})
        assert response.status_code == 200
        assert response.context["form"].errors["max_score"]
    exam.refresh_from_db()
    assert exam.max_score == 100
    with pytest.raises(Refused), transaction.atomic():
        type(exam).objects.filter(pk=exam.pk).update(max_score=None)
