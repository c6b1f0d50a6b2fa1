"""The item bank's authoring pages as their users see them: a trainer writes a question and
changes it, a site manager puts it live, the list filters the bank, and Beta's manager never
sees Alpha's bank. Files of questions (import and export): test_item_files.py."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.placement.bank import items_import
from tremplin.placement.models import Item

HOTSPOT_PICTURE = "placement/items/a1-browser-address.svg"


def entry(code: str, **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "code": code,
        "competence": "1.1",
        "level": 2,
        "kind": "choice",
        "status": "draft",
        "stem": {
            "fr": "Que fait ce bouton ?",
            "en": "What does this button do?",
            "ar": "ماذا يفعل هذا الزر؟",
        },
        "choices": [
            {"fr": "Il envoie", "en": "It sends", "ar": "يرسل"},
            {"fr": "Il efface", "en": "It deletes", "ar": "يحذف"},
        ],
        "answer": 0,
    }
    base.update(changes)
    return base


def hotspot_entry(code: str, **changes: Any) -> dict[str, Any]:
    hotspot: dict[str, Any] = {
        "kind": "hotspot",
        "image": HOTSPOT_PICTURE,
        "image_alt": {"fr": "Un navigateur", "en": "A browser", "ar": "متصفح"},
        "choices": [
            {"fr": "Flèche", "en": "Arrow", "ar": "سهم", "x": 1, "y": 5, "w": 12, "h": 10},
            {"fr": "Barre", "en": "Bar", "ar": "شريط", "x": 15, "y": 5, "w": 70, "h": 10.5},
        ],
        "answer": 1,
    }
    return entry(code, **{**hotspot, **changes})


def form_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "action": "save",
        "code": "NEW-01",
        "competence": "1.1",
        "level": "3",
        "kind": "choice",
        "image": "",
        "stem_fr": "Où tapez-vous l'adresse d'un site ?",
        "stem_en": "Where do you type a website's address?",
        "stem_ar": "أين تكتب عنوان الموقع؟",
        "choice1_fr": "Dans la barre d'adresse",
        "choice1_en": "In the address bar",
        "choice1_ar": "في شريط العنوان",
        "choice2_fr": "Dans un e-mail",
        "choice2_en": "In an e-mail",
        "answer": "1",
        "accessibility_en": "No colours needed.",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- Writing and changing a question ------------------------------------------------------------


def test_a_trainer_writes_a_question_and_it_is_saved_as_a_draft(world: World) -> None:
    client = world.client_for("trainer_a1")
    response = client.post(reverse("placement:item-new"), form_data())
    item = Item.objects.get(organisation=world.alpha, code="NEW-01")
    assert response.status_code == 302
    assert response["Location"] == reverse("placement:item-detail", args=[item.pk])
    assert item.status == "draft"
    assert item.competence.code == "1.1"
    assert item.level == 3
    assert item.stem["ar"] == "أين تكتب عنوان الموقع؟"
    assert item.choices == [
        {"fr": "Dans la barre d'adresse", "en": "In the address bar", "ar": "في شريط العنوان"},
        {"fr": "Dans un e-mail", "en": "In an e-mail"},
    ]
    assert item.answer == 0
    assert item.accessibility == {"en": "No colours needed."}
    assert AuditEvent.objects.filter(action=AuditAction.ITEM_CREATED, subject_id=item.pk).exists()


def test_the_preview_button_shows_the_question_without_saving_it(world: World) -> None:
    client = world.client_for("trainer_a1")
    response = client.post(reverse("placement:item-new"), form_data(action="preview:ar"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'dir="rtl"' in page
    assert "أين تكتب عنوان الموقع؟" in page
    assert "choice 2" in page  # the second choice has no Arabic: named as missing
    assert not Item.objects.filter(code="NEW-01").exists()


def test_a_trainer_changes_a_question_and_the_change_is_audited(world: World) -> None:
    items_import(organisation=world.alpha, entries=[entry("EDIT-01")])
    item = Item.objects.get(code="EDIT-01")
    client = world.client_for("trainer_a1")
    page = client.get(reverse("placement:item-edit", args=[item.pk]))
    assert page.status_code == 200
    assert page.context["form"].initial["choice2_en"] == "It deletes"
    # Choice 2 left empty, choices 1 and 3 written: the right answer (row 3) becomes the 2nd.
    data = form_data(
        code="EDIT-01B",
        choice2_fr="",
        choice2_en="",
        choice3_fr="Il imprime",
        choice3_en="It prints",
        answer="3",
    )
    response = client.post(reverse("placement:item-edit", args=[item.pk]), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.code == "EDIT-01B"
    assert [c["en"] for c in item.choices] == ["In the address bar", "It prints"]
    assert item.answer == 1
    assert item.status == "draft"
    event = AuditEvent.objects.get(action=AuditAction.ITEM_UPDATED, subject_id=item.pk)
    assert event.changes["code"] == {"from": "EDIT-01", "to": "EDIT-01B"}


def test_editing_keeps_the_calibration_and_the_status(world: World) -> None:
    items_import(organisation=world.alpha, entries=[entry("CAL-01", status="live", a=1.3, b=-0.4)])
    item = Item.objects.get(code="CAL-01")
    client = world.client_for("trainer_a1")
    response = client.post(
        reverse("placement:item-edit", args=[item.pk]), form_data(code="CAL-01", stem_en="Better?")
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.a, item.b, item.stem["en"]) == ("live", 1.3, -0.4, "Better?")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"stem_fr": "", "stem_en": ""}, "stem_fr", "Write the question in French or English."),
        ({"choice2_fr": "", "choice2_en": ""}, "choice2_fr", "Give 2 to 6 choices."),
        ({"answer": "4"}, "answer", "The right answer must be one of the choices written."),
        ({"answer": None}, "answer", "Mark the right answer."),
        ({"level": "9"}, "level", "Select a valid choice."),
        ({"kind": "hotspot"}, "image", "A task on a picture needs a picture."),
        ({"kind": "hotspot", "image": HOTSPOT_PICTURE}, "choice1_x", "Give the place of choice 1"),
        (
            {
                "kind": "hotspot",
                "image": HOTSPOT_PICTURE,
                **{f"choice{n}_{k}": "10" for n in (1, 2) for k in "xywh"},
                "choice2_x": "95",
            },
            "choice2_w",
            "must have a size and stay on the picture",
        ),
        ({"audio_fr": "https://elsewhere.example/a.mp3"}, "audio_fr", "starting with /"),
        ({"image": "../../settings.py"}, "image", "Select a valid choice."),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    world: World, changes: dict[str, Any], field: str, message: str
) -> None:
    client = world.client_for("trainer_a1")
    response = client.post(reverse("placement:item-new"), form_data(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(message in e for e in errors[field])
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert str(response.context["form"][field].label) in page  # the summary names the field
    assert not Item.objects.filter(code="NEW-01").exists()


def test_a_code_already_in_the_bank_is_refused_on_the_code_field(world: World) -> None:
    items_import(organisation=world.alpha, entries=[entry("NEW-01")])
    response = world.client_for("trainer_a1").post(reverse("placement:item-new"), form_data())
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert Item.objects.filter(code="NEW-01").count() == 1


def test_a_user_of_two_organisations_chooses_where_the_question_goes(world: World) -> None:
    client = world.client_for("superuser")
    page = client.get(reverse("placement:item-new"))
    assert "organisation" in page.context["form"].fields
    response = client.post(reverse("placement:item-new"), form_data(organisation=world.beta.pk))
    assert response.status_code == 302
    assert Item.objects.get(code="NEW-01").organisation == world.beta


# --- Status ------------------------------------------------------------------------------------


def test_a_trainer_moves_drafts_to_pilot_but_cannot_put_a_question_live(world: World) -> None:
    items_import(organisation=world.alpha, entries=[entry("ST-01")])
    item = Item.objects.get(code="ST-01")
    trainer = world.client_for("trainer_a1")
    url = reverse("placement:item-status", args=[item.pk])
    assert trainer.post(url, {"status": "pilot"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "pilot"
    response = trainer.post(url, {"status": "live"}, follow=True)
    item.refresh_from_db()
    assert item.status == "pilot"
    assert "Only a site manager" in response.content.decode()
    detail = trainer.get(reverse("placement:item-detail", args=[item.pk]))
    assert [m["value"] for m in detail.context["moves"]] == ["draft"]
    manager = world.client_for("manager_a1")
    assert manager.post(url, {"status": "live"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "live"
    assert AuditEvent.objects.filter(
        action=AuditAction.ITEM_STATUS_CHANGED, subject_id=item.pk, actor=world.users["manager_a1"]
    ).exists()
    # Taking it back from live is the manager's decision too.
    trainer.post(url, {"status": "draft"})
    item.refresh_from_db()
    assert item.status == "live"


def test_a_question_without_english_cannot_go_live(world: World) -> None:
    stem_fr_only = {"fr": "Que fait ce bouton ?"}
    items_import(organisation=world.alpha, entries=[entry("ST-02", stem=stem_fr_only)])
    item = Item.objects.get(code="ST-02")
    manager = world.client_for("manager_a1")
    detail = manager.get(reverse("placement:item-detail", args=[item.pk]))
    live = next(m for m in detail.context["moves"] if m["value"] == "live")
    assert any("English" in problem for problem in live["blocked"])
    response = manager.post(
        reverse("placement:item-status", args=[item.pk]), {"status": "live"}, follow=True
    )
    item.refresh_from_db()
    assert item.status == "draft"
    assert "to go live, write in English: question" in response.content.decode()


def test_a_live_question_cannot_lose_its_english(world: World) -> None:
    items_import(organisation=world.alpha, entries=[entry("ST-03", status="live")])
    item = Item.objects.get(code="ST-03")
    response = world.client_for("manager_a1").post(
        reverse("placement:item-edit", args=[item.pk]), form_data(code="ST-03", stem_en="")
    )
    assert response.status_code == 200
    assert "to go live, write in English" in response.content.decode()
    item.refresh_from_db()
    assert item.stem["en"] == "What does this button do?"


# --- Scope -------------------------------------------------------------------------------------


def test_a_question_of_another_organisation_is_not_found(world: World) -> None:
    items_import(organisation=world.alpha, entries=[entry("ALPHA-01")])
    item = Item.objects.get(code="ALPHA-01")
    beta = world.client_for("manager_b1")
    assert beta.get(reverse("placement:item-detail", args=[item.pk])).status_code == 404
    assert beta.get(reverse("placement:item-edit", args=[item.pk])).status_code == 404
    response = beta.post(reverse("placement:item-status", args=[item.pk]), {"status": "live"})
    assert response.status_code == 404
    listing = beta.get(reverse("placement:item-list"))
    assert "ALPHA-01" not in listing.content.decode()
    export = beta.get(reverse("placement:item-export") + "?format=json")
    assert json.loads(export.content)["items"] == []
    item.refresh_from_db()
    assert item.status == "draft"


def test_a_selection_officer_reads_the_bank_but_does_not_write(world: World) -> None:
    items_import(organisation=world.alpha, entries=[entry("READ-01")])
    item = Item.objects.get(code="READ-01")
    officer = world.client_for("officer_a1")
    detail = officer.get(reverse("placement:item-detail", args=[item.pk]))
    assert detail.status_code == 200
    assert detail.context["moves"] == []
    assert not detail.context["can_edit"]
    assert officer.get(reverse("placement:item-edit", args=[item.pk])).status_code == 403


# --- Preview -----------------------------------------------------------------------------------


def test_the_preview_of_a_task_on_a_picture_in_arabic(world: World) -> None:
    items_import(
        organisation=world.alpha,
        entries=[
            hotspot_entry(
                "HOT-01",
                choices=[
                    {"fr": "Flèche", "en": "Arrow", "ar": "سهم", "x": 1, "y": 5, "w": 12, "h": 10},
                    {"fr": "Barre", "en": "Bar", "x": 15, "y": 5, "w": 70, "h": 10.5},
                ],
            )
        ],
    )
    item = Item.objects.get(code="HOT-01")
    client = world.client_for("trainer_a1")
    response = client.get(reverse("placement:item-detail", args=[item.pk]) + "?lang=ar")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="ar" dir="rtl"' in page
    assert "ماذا يفعل هذا الزر؟" in page  # the question in Arabic
    assert 'alt="متصفح"' in page  # the picture described in Arabic
    assert "/static/placement/items/a1-browser-address.svg" in page
    assert 'class="hotspot-zones"' in page
    assert '<rect class="hotspot-zone" x="15" y="5" width="70" height="10.5"' in page
    assert 'aria-label="سهم"' in page
    assert response.context["preview"]["missing"] == ["choice 2"]  # shown in English instead
    assert 'aria-label="Bar"' in page
    assert "placement/test.js" in page
    # The same question in French, with the interface of the preview in French.
    french = client.get(reverse("placement:item-detail", args=[item.pk]) + "?lang=fr")
    assert "Lire à voix haute" in french.content.decode() or "Read aloud" in french.content.decode()
    assert "Que fait ce bouton ?" in french.content.decode()
    assert french.context["preview"]["missing"] == []


def test_the_question_page_shows_its_parameters_and_use(world: World) -> None:
    items_import(organisation=world.alpha, entries=[entry("PAR-01", a=1.25, b=-0.5)])
    item = Item.objects.get(code="PAR-01")
    Item.objects.filter(pk=item.pk).update(se_a=0.2, se_b=0.15, fit_p=0.004, flags=["fit"])
    response = world.client_for("officer_a1").get(reverse("placement:item-detail", args=[item.pk]))
    page = response.content.decode()
    assert "1.25 ± 0.20" in page
    assert "-0.50 ± 0.15" in page
    assert "answers do not fit the model well" in page
    assert response.context["usage"].asked == 0


# --- The list ----------------------------------------------------------------------------------


def test_the_list_filters_and_counts_per_status(world: World) -> None:
    items_import(
        organisation=world.alpha,
        entries=[
            entry("F-01", status="live"),
            entry("F-02", status="live", level=5),
            entry("F-03", stem={"fr": "Sans arabe", "en": "No Arabic"}),
            hotspot_entry("F-04", status="pilot"),
        ],
    )
    client = world.client_for("trainer_a1")
    url = reverse("placement:item-list")

    def codes(query: str) -> list[str]:
        return [row["item"].code for row in client.get(url + query).context["rows"]]

    assert codes("") == ["F-01", "F-02", "F-03", "F-04"]
    assert codes("?status=live") == ["F-01", "F-02"]
    assert codes("?level=5") == ["F-02"]
    assert codes("?kind=hotspot") == ["F-04"]
    assert codes("?missing=ar") == ["F-03"]
    assert codes("?q=sans+arabe") == ["F-03"]
    assert codes("?q=f-04") == ["F-04"]
    assert codes("?area=2") == []
    response = client.get(url + "?status=live")
    counts = {s["value"]: s["count"] for s in response.context["status_counts"]}
    assert counts == {"draft": 1, "pilot": 1, "live": 2, "retired": 0}


def _bank_of(world: World, count: int) -> None:
    Item.objects.filter(organisation=world.alpha).delete()
    items_import(
        organisation=world.alpha,
        entries=[
            hotspot_entry(f"Q-{n:03}") if n % 5 == 0 else entry(f"Q-{n:03}") for n in range(count)
        ],
    )


def test_the_list_page_makes_as_many_queries_for_60_questions_as_for_10(world: World) -> None:
    client = world.client_for("trainer_a1")
    url = reverse("placement:item-list") + "?sort=competence"
    queries = {}
    for count in (10, 60):
        _bank_of(world, count)
        client.get(url)  # warm (session, caches)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        queries[count] = len(captured)
    assert queries[60] == queries[10], queries
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("placement:item-list") + "?missing=ar")
    assert len(captured) <= queries[10] + 2
