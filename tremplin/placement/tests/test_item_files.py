"""Files of questions as their users see them: a CSV or JSON file is checked and then imported
(or not at all, naming the wrong row), a trainer cannot import what only a manager may change,
and the export (with the list's filters) imports back unchanged."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.placement import item_entries
from tremplin.placement.bank import bank_install_shipped, items_import
from tremplin.placement.models import Item
from tremplin.placement.services import item_files
from tremplin.placement.tests.test_items_ui import entry, hotspot_entry


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def check_then_apply(client: Client, name: str, text: str) -> Any:
    """Upload for the check; when the check offers "Apply", apply. Returns (check, applied)."""
    url = reverse("placement:item-import")
    checked = client.post(url, {"action": "check", "file": upload(name, text)})
    assert checked.status_code == 200
    token = checked.context["token"]
    applied = client.post(url, {"action": "apply", "token": token}) if token else None
    return checked, applied


# --- Import ------------------------------------------------------------------------------------


def _csv_text(rows: list[dict[str, str]], columns: tuple[str, ...] = item_files.CSV_COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_a_csv_file_is_checked_then_applied(world: World) -> None:
    items_import(organisation=world.alpha, entries=[entry("IMP-01")])
    text = _csv_text(
        [
            {
                "code": "IMP-01",
                "competence": "1.1",
                "level": "4",
                "kind": "choice",
                "answer": "2",
                "stem_fr": "Changée ?",
                "stem_en": "Changed?",
                "choice1_fr": "Oui",
                "choice1_en": "Yes",
                "choice2_fr": "Non",
                "choice2_en": "No",
            },
            {
                "code": "IMP-02",
                "competence": "2.1",
                "level": "1",
                "kind": "",
                "answer": "1",
                "stem_fr": "Nouvelle ?",
                "stem_en": "New?",
                "choice1_fr": "=Oui",
                "choice1_en": "Yes",
                "choice2_fr": "Non",
                "choice2_en": "No",
            },
        ],
        columns=tuple(c for c in item_files.CSV_COLUMNS if not c.endswith("_ar")),
    )
    client = world.client_for("trainer_a1")
    url = reverse("placement:item-import")
    checked = client.post(url, {"action": "check", "file": upload("bank.csv", text)})
    plan = checked.context["plan"]
    assert [(r.number, r.code, r.action) for r in plan.rows] == [
        (2, "IMP-01", "update"),
        (3, "IMP-02", "create"),
    ]
    assert "Ready: 1 new questions, 1 changed, 0 unchanged." in checked.content.decode()
    assert Item.objects.get(code="IMP-01").level == 2  # nothing written by the check
    applied = client.post(url, {"action": "apply", "token": checked.context["token"]})
    assert applied.status_code == 302
    changed = Item.objects.get(code="IMP-01")
    assert (changed.level, changed.answer, changed.stem) == (
        4,
        1,
        {"fr": "Changée ?", "en": "Changed?", "ar": "ماذا يفعل هذا الزر؟"},  # no ar column: kept
    )
    new = Item.objects.get(code="IMP-02")
    assert (new.status, new.kind, new.choices[0]["fr"]) == ("draft", "choice", "=Oui")
    assert AuditEvent.objects.filter(action=AuditAction.ITEM_BANK_IMPORTED).count() == 1


def test_a_csv_file_with_one_bad_row_saves_nothing_and_names_the_row(world: World) -> None:
    good = {
        "code": "OK-01",
        "competence": "1.1",
        "level": "1",
        "answer": "1",
        "stem_en": "Fine?",
        "choice1_en": "Yes",
        "choice2_en": "No",
    }
    bad = {**good, "code": "BAD-01", "level": "12", "competence": "9.9"}
    client = world.client_for("trainer_a1")
    checked, applied = check_then_apply(client, "bank.csv", _csv_text([good, bad]))
    assert applied is None
    plan = checked.context["plan"]
    assert plan.rows[0].problems == []
    assert plan.rows[1].number == 3
    assert any("level must be 1 to 8" in p for p in plan.rows[1].problems)
    assert any("“9.9” is not a DigComp 2.2 competence" in p for p in plan.rows[1].problems)
    page = checked.content.decode()
    assert "BAD-01" in page
    assert "1 row is wrong" in page
    assert not Item.objects.filter(code__in=["OK-01", "BAD-01"]).exists()
    # An "apply" without a checked file does nothing either.
    response = client.post(reverse("placement:item-import"), {"action": "apply", "token": "x"})
    assert response.status_code == 302
    assert not Item.objects.filter(code="OK-01").exists()


def test_a_json_file_with_one_bad_row_saves_nothing_and_names_the_row(world: World) -> None:
    document = {
        "format": "tremplin-items/1",
        "items": [
            entry("J-01"),
            hotspot_entry("J-02", choices=[{"fr": "A", "en": "A"}, {"fr": "B", "en": "B"}]),
            entry("J-03", stem={"fr": "Ok", "es": "Vale"}),
        ],
    }
    client = world.client_for("trainer_a1")
    checked, applied = check_then_apply(client, "bank.json", json.dumps(document))
    assert applied is None
    rows = checked.context["plan"].rows
    assert [(r.number, r.code, bool(r.problems)) for r in rows] == [
        (1, "J-01", False),
        (2, "J-02", True),
        (3, "J-03", True),
    ]
    assert any("place on the picture" in p for p in rows[1].problems)
    assert any("“es” is not one of the languages" in p for p in rows[2].problems)
    assert not Item.objects.filter(code__startswith="J-").exists()


def test_a_trainer_cannot_import_live_questions_or_calibration(world: World) -> None:
    document = [entry("T-01", status="live"), entry("T-02", a=1.0, b=0.2)]
    client = world.client_for("trainer_a1")
    checked, applied = check_then_apply(client, "t.json", json.dumps(document))
    assert applied is None
    rows = checked.context["plan"].rows
    assert any("only a site manager may change the status" in p for p in rows[0].problems)
    assert any("only a site manager may change the calibration" in p for p in rows[1].problems)
    manager = world.client_for("manager_a1")
    _checked, applied = check_then_apply(manager, "t.json", json.dumps(document))
    assert applied is not None
    assert applied.status_code == 302
    assert Item.objects.get(code="T-01").status == "live"
    assert Item.objects.get(code="T-02").a == 1.0


def test_files_that_cannot_be_read_are_explained(world: World) -> None:
    client = world.client_for("trainer_a1")
    for name, text, message in [
        ("a.csv", "code,stems_fr\nX,Y\n", "Column “stems_fr” is not one of the columns"),
        ("a.json", "{not json", "not valid JSON"),
        ("a.csv", "\n\n", "The file has no “code” column"),
        ("a.csv", "code,level\n\n", "The file has no questions"),
    ]:
        checked, applied = check_then_apply(client, name, text)
        assert applied is None
        assert any(message in p for p in checked.context["plan"].file_problems), name
    response = client.post(reverse("placement:item-import"), {"action": "check"})
    assert "file" in response.context["form"].errors
    response = client.post(
        reverse("placement:item-import"), {"action": "check", "file": upload("a.csv", "")}
    )
    assert "file" in response.context["form"].errors


# --- Export and the round trip -------------------------------------------------------------------


def _bank_for_round_trip(world: World) -> None:
    bank_install_shipped(world.alpha)
    items_import(
        organisation=world.alpha,
        entries=[
            entry(
                "RT-01",
                status="retired",
                a=1.234567891234,
                b=-0.75,
                stem={"fr": "-5 °C : il fait froid ?", "en": "=SUM(A1) is text here", "ar": "سؤال"},
                accessibility={"fr": "Note", "en": "Note"},
                audio={"fr": "/media/rt-01-fr.mp3"},
            ),
            hotspot_entry("RT-02", status="pilot", a=0.8, b=1.5),
        ],
    )
    Item.objects.filter(code="RT-01").update(se_a=0.1, se_b=0.2)


def _entries(organisation: Any) -> dict[str, dict[str, Any]]:
    return {
        item.code: item_entries.item_entry(item)
        for item in Item.objects.filter(organisation=organisation).select_related("competence")
    }


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_the_export_imports_back_unchanged(world: World, file_format: str) -> None:
    _bank_for_round_trip(world)
    before = _entries(world.alpha)
    manager = world.client_for("manager_a1")
    exported = manager.get(reverse("placement:item-export") + f"?format={file_format}")
    assert exported.status_code == 200
    assert exported["Content-Disposition"].endswith(f'.{file_format}"')
    text = exported.content.decode("utf-8")
    if file_format == "csv":
        assert text.startswith("\ufeff" + ",".join(item_files.CSV_COLUMNS[:3]))
        assert "'=SUM(A1)" in text  # a spreadsheet shows it, never runs it
    # Into the same bank: every row unchanged, nothing written.
    checked, applied = check_then_apply(manager, f"bank.{file_format}", text)
    plan = checked.context["plan"]
    assert not plan.has_problems, plan.rows_with_problems[:3]
    assert plan.unchanged == len(before)
    assert applied.status_code == 302
    assert _entries(world.alpha) == before
    assert Item.objects.get(code="RT-01").se_a == 0.1  # calibration untouched
    # Into another organisation's bank: the same questions, value for value.
    beta = world.client_for("manager_b1")
    checked, applied = check_then_apply(beta, f"bank.{file_format}", text)
    assert checked.context["plan"].created == len(before)
    assert applied.status_code == 302
    assert _entries(world.beta) == before
    assert AuditEvent.objects.filter(action=AuditAction.ITEM_BANK_EXPORTED).exists()


def test_the_export_takes_the_filters_of_the_list(world: World) -> None:
    items_import(
        organisation=world.alpha,
        entries=[entry("E-01", status="live"), entry("E-02"), hotspot_entry("E-03")],
    )
    response = world.client_for("officer_a1").get(
        reverse("placement:item-export") + "?status=draft&format=csv"
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["code"] for r in rows] == ["E-02", "E-03"]
    hotspot = rows[1]
    assert (hotspot["answer"], hotspot["choice2_w"], hotspot["choice2_h"]) == ("2", "70", "10.5")


def test_json_nested_deeper_than_the_limit_is_explained_not_a_500(world: World) -> None:
    """200,000 levels in a few hundred kilobytes exhausted Python's recursion in the parser."""
    client = world.client_for("trainer_a1")
    deep = '{"items": [{"code": "X", "stem": ' + "[" * 200_000 + "]" * 200_000 + "}]}"
    checked, applied = check_then_apply(client, "a.json", deep)
    assert applied is None
    assert checked.context["plan"].file_problems == [
        "The file nests lists or objects more than 32 levels deep: it cannot be read."
    ]


def test_a_json_file_saved_in_utf16_is_read() -> None:
    text = json.dumps({"format": item_files.FILE_FORMAT, "items": []})
    for content in (text.encode("utf-16"), b"\xef\xbb\xbf" + text.encode()):
        assert item_files._read("items.txt", content) == []


def test_a_choice_column_with_a_huge_number_is_an_unknown_column() -> None:
    with pytest.raises(item_files.ItemFileError):
        item_files._read("a.csv", ("code,choice" + "9" * 5000 + "_text\nX,1\n").encode())
