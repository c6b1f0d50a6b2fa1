"""The home-visit questionnaire is edited with forms (questions, kinds, answers and their
points, order), not as JSON; the JSON file stays for export and import."""

from __future__ import annotations

import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.selection.models import Stage, StageKind
from tremplin.selection.tests.builders import open_call


def _visit(world: World) -> Stage:
    return open_call(world).stages.get(kind=StageKind.SOCIAL_INVESTIGATION)


def _url(stage: Stage, name: str = "selection:stage-questionnaire") -> str:
    return reverse(name, kwargs={"call_id": stage.call_id, "stage_id": stage.pk})


def _posted(client: Client, url: str) -> dict[str, Any]:
    """What the page sends when saved untouched: every field's value as rendered."""
    formset = client.get(url).context["formset"]
    data: dict[str, Any] = {
        f"{formset.prefix}-{name}": value for name, value in formset.management_form.initial.items()
    }
    for form in formset.forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = value
    return data


def _index_of(data: dict[str, Any], label: str) -> int:
    key = next(k for k, v in data.items() if k.endswith("-label") and v == label)
    return int(key.split("-")[1])


def test_the_stage_page_has_no_json_to_write_and_links_to_the_builder(world: World) -> None:
    stage = _visit(world)
    officer = world.client_for("officer_a1")
    edit = officer.get(
        reverse("selection:stage-edit", kwargs={"call_id": stage.call_id, "stage_id": stage.pk})
    ).content.decode()
    assert 'name="questionnaire"' not in edit
    assert _url(stage) in edit
    page = officer.get(_url(stage)).content.decode()
    assert "How many people live in the household?" in page
    assert "Under USD 50" in page


def test_staff_change_a_wording_and_points_remove_add_and_reorder_questions(world: World) -> None:
    stage = _visit(world)
    before = stage.questionnaire
    officer = world.client_for("officer_a1")
    data = _posted(officer, _url(stage))
    income = _index_of(data, "Household income per person and per month")
    housing = _index_of(data, "Housing")
    size = _index_of(data, "How many people live in the household?")
    data[f"q-{income}-label"] = "Income per person per month"
    data[f"q-{income}-choice_points_0"] = "35"
    data[f"q-{housing}-DELETE"] = "on"
    data[f"q-{size}-ORDER"] = "99"  # last
    new = len(before)  # the empty "new question" form
    data[f"q-{new}-label"] = "Does someone in the household have a disability?"
    data[f"q-{new}-kind"] = "yesno"
    data[f"q-{new}-points"] = "10"
    data[f"q-{new}-ORDER"] = "1"

    response = officer.post(_url(stage), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    stage.refresh_from_db()
    questions = stage.questionnaire
    keys = [q["key"] for q in questions]
    assert questions[0]["label"] == "Does someone in the household have a disability?"
    assert questions[0]["type"] == "yesno"
    assert questions[0]["points"] == 10
    assert keys[-1] == "household_size"
    assert "housing" not in keys
    income_question = next(q for q in questions if q["key"] == "income")
    assert income_question["label"] == "Income per person per month"
    assert income_question["choices"][0] == {
        "value": "under_50",
        "label": "Under USD 50",
        "points": 35,
    }
    assert len(questions) == len(before)  # one removed, one added
    assert AuditEvent.objects.filter(action=AuditAction.STAGE_UPDATED).exists()


def test_a_wrong_setting_is_named_by_question_and_field_and_nothing_is_saved(
    world: World,
) -> None:
    stage = _visit(world)
    before = stage.questionnaire
    officer = world.client_for("officer_a1")
    data = _posted(officer, _url(stage))
    size = _index_of(data, "How many people live in the household?")
    housing = _index_of(data, "Housing")
    data[f"q-{size}-max"] = "0"
    for n in range(1, 3):
        data[f"q-{housing}-choice_label_{n}"] = ""
        data.pop(f"q-{housing}-choice_points_{n}", None)

    response = officer.post(_url(stage), data)

    assert response.status_code == 200
    errors = response.context["errors"]
    assert (
        f"Question {size + 1} · Largest answer: The largest answer cannot be below the smallest."
        in errors
    )
    assert f"Question {housing + 1} · Answer 1: Give at least two answers." in errors
    stage.refresh_from_db()
    assert stage.questionnaire == before


def test_the_questionnaire_exports_and_imports_as_json(world: World) -> None:
    stage = _visit(world)
    officer = world.client_for("officer_a1")
    exported = officer.get(_url(stage, "selection:stage-questionnaire-export"))
    assert exported["Content-Type"].startswith("application/json")
    questions = json.loads(exported.content)
    assert questions == stage.questionnaire
    questions[0]["label"] = "People at home"
    upload = SimpleUploadedFile("q.json", json.dumps(questions).encode(), "application/json")
    assert officer.post(_url(stage), {"file": upload}).status_code == 302
    stage.refresh_from_db()
    assert stage.questionnaire[0]["label"] == "People at home"

    questions[1]["type"] = "colour"
    wrong = SimpleUploadedFile("q.json", json.dumps(questions).encode(), "application/json")
    page = officer.post(_url(stage), {"file": wrong})
    assert page.status_code == 200
    assert "Question 2 has an unknown type" in page.content.decode()
    garbage = SimpleUploadedFile("q.json", b"[" * 100_000, "application/json")
    page = officer.post(_url(stage), {"file": garbage})
    assert "not a questionnaire exported as JSON" in page.content.decode()


def test_the_builder_reads_right_to_left_in_arabic(world: World) -> None:
    stage = _visit(world)
    officer = world.client_for("officer_a1")
    officer.cookies["django_language"] = "ar"
    page = officer.get(_url(stage), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in page


def test_saving_the_builder_untouched_keeps_the_questionnaire_as_it_was(world: World) -> None:
    stage = _visit(world)
    before = stage.questionnaire
    officer = world.client_for("officer_a1")
    assert officer.post(_url(stage), _posted(officer, _url(stage))).status_code == 302
    stage.refresh_from_db()
    assert stage.questionnaire == before
