"""Frameworks as Alpha's site manager uses them: a fibre-installer framework imported from a
CSV or JSON file (checked row by row, nothing saved while a row is wrong, the same code again
updating it) or written on the form; DigComp and the other shipped frameworks read-only; a
framework's page in as many queries whatever its size. The test settings: test_settings_ui.py."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.placement.bank import digcomp, framework_load
from tremplin.placement.models import (
    CrosswalkLink,
    Framework,
    ProgrammeTarget,
)
from tremplin.placement.services.frameworks import (
    framework_create,
    framework_import,
    framework_update,
)

CSV_HEADER = (
    "area_code,area_name_fr,area_name_en,competence_code,competence_name_fr,"
    "competence_name_en,maps_to\n"
)
CSV_GOOD = CSV_HEADER + (
    "S,Sécurité,Safety,S1,Travail en hauteur,Working at height,\n"
    "S,,,S2,Consignation électrique,Electrical lock-out,\n"
    "N,Numérique,Digital,N1,Remplir un rapport en ligne,Fill in an online report,2.1|3.1\n"
)


def csv_file(text: str, name: str = "fibre.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def json_file(data: dict[str, Any], name: str = "fibre.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, json.dumps(data).encode("utf-8"), content_type="application/json"
    )


def fibre_json(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": "tremplin-framework/1",
        "code": "fibre",
        "name": {"fr": "Installateur fibre", "en": "Fibre installer"},
        "areas": [
            {
                "code": "S",
                "name": {"fr": "Sécurité", "en": "Safety"},
                "competences": [
                    {"code": "S1", "name": {"fr": "Travail en hauteur", "en": "Working at height"}},
                    {"code": "S2", "name": {"en": "Electrical lock-out"}},
                ],
            }
        ],
        "crosswalk": {"to": "digcomp-2.2", "links": [{"from": "S2", "to": ["4.1"]}]},
    }
    data.update(changes)
    return data


def check(client: Client, upload: SimpleUploadedFile, **fields: str) -> Any:
    return client.post(
        reverse("placement:framework-import"), {"action": "check", "file": upload, **fields}
    )


def apply(client: Client, response: Any) -> Any:
    token = response.context["token"]
    assert token, response.context["plan"].problems
    return client.post(reverse("placement:framework-import"), {"action": "apply", "token": token})


# --- Import --------------------------------------------------------------------------------------


def test_csv_with_a_wrong_row_names_the_row_and_saves_nothing(world: World) -> None:
    client = world.client_for("manager_a1")
    wrong = CSV_GOOD + "N,,,N2,,,9.9\n"  # row 5: no name, and 9.9 is not in DigComp
    response = check(client, csv_file(wrong), code="fibre", name_en="Fibre installer")
    assert response.status_code == 200
    plan = response.context["plan"]
    assert [row.number for row in plan.rows_with_problems] == [5]
    text = response.content.decode()
    assert "Row 5: the competence needs a name in French or English." in text
    assert "Row 5: “9.9” is not a competence of digcomp-2.2." in text
    assert response.context["token"] == ""  # no "Apply"
    assert not Framework.objects.filter(organisation=world.alpha).exists()


def test_csv_checked_then_applied_creates_the_framework_mapped_to_digcomp(world: World) -> None:
    client = world.client_for("manager_a1")
    response = check(client, csv_file(CSV_GOOD), code="fibre", name_fr="Installateur fibre")
    plan = response.context["plan"]
    assert not plan.has_problems
    assert (plan.created, plan.updated) == (3, 0)
    assert not Framework.objects.filter(organisation=world.alpha).exists()  # not yet

    response = apply(client, response)
    framework = Framework.objects.get(organisation=world.alpha, code="fibre")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "placement:framework-detail", kwargs={"framework_id": framework.pk}
    )
    assert framework.name == {"fr": "Installateur fibre"}
    assert framework.maps_to == digcomp()
    assert list(framework.areas.values_list("code", flat=True)) == ["S", "N"]
    assert framework.areas.get(code="S").name == {"fr": "Sécurité", "en": "Safety"}
    assert sorted(
        CrosswalkLink.objects.filter(source__framework=framework).values_list(
            "source__code", "target__code"
        )
    ) == [("N1", "2.1"), ("N1", "3.1")]
    assert AuditEvent.objects.filter(
        action=AuditAction.FRAMEWORK_IMPORTED, subject_id=framework.pk
    ).exists()


def test_csv_without_its_code_or_a_needed_column_is_refused(world: World) -> None:
    client = world.client_for("manager_a1")
    response = check(client, csv_file(CSV_GOOD), name_en="Fibre installer")
    assert "Framework code: the code is missing." in response.context["plan"].problems
    missing = "area_code,competence_code\nS,S1\n"
    response = check(client, csv_file(missing), code="fibre", name_en="Fibre")
    assert "The file has no “area_name_fr” column." in response.context["plan"].problems
    assert not Framework.objects.filter(organisation=world.alpha).exists()


def test_json_with_a_wrong_entry_names_it_and_saves_nothing(world: World) -> None:
    client = world.client_for("manager_a1")
    data = fibre_json()
    data["areas"][0]["competences"].append({"code": "S1", "name": {"en": "Again"}})
    data["crosswalk"]["links"].append({"from": "S2", "to": ["4.9"]})
    response = check(client, json_file(data))
    problems = response.context["plan"].problems
    assert "Competence 3 (S1): competence “S1” is already on Competence 1 (S1)." in problems
    assert "Competence 2 (S2): “4.1|4.9” is not a competence of digcomp-2.2." not in problems
    assert "Competence 2 (S2): “4.9” is not a competence of digcomp-2.2." in problems
    assert response.context["token"] == ""
    assert not Framework.objects.filter(organisation=world.alpha).exists()


def test_importing_the_same_code_again_updates_the_framework(world: World) -> None:
    client = world.client_for("manager_a1")
    apply(client, check(client, json_file(fibre_json())))
    framework = Framework.objects.get(organisation=world.alpha, code="fibre")
    first_s1 = framework.competences.get(code="S1").pk

    changed = fibre_json(name={"fr": "Technicien fibre", "en": "Fibre technician"})
    changed["areas"][0]["competences"] = [
        {"code": "S1", "name": {"fr": "Travail en hauteur", "en": "Working at height"}},
        {"code": "S3", "name": {"en": "First aid"}},
    ]
    changed["crosswalk"]["links"] = [{"from": "S3", "to": ["4.2"]}]
    response = check(client, json_file(changed))
    plan = response.context["plan"]
    assert plan.existing
    assert (plan.created, plan.updated, plan.unchanged, plan.removed) == (1, 0, 1, ["S2"])
    apply(client, response)

    assert Framework.objects.filter(organisation=world.alpha).count() == 1
    framework.refresh_from_db()
    assert framework.name == {"fr": "Technicien fibre", "en": "Fibre technician"}
    assert list(framework.competences.values_list("code", flat=True)) == ["S1", "S3"]
    assert framework.competences.get(code="S1").pk == first_s1  # the same row, kept
    assert list(
        CrosswalkLink.objects.filter(source__framework=framework).values_list(
            "source__code", "target__code"
        )
    ) == [("S3", "4.2")]


def test_a_competence_a_programme_aims_at_cannot_be_dropped_by_a_file(world: World) -> None:
    framework = framework_load(fibre_json(), organisation=world.alpha)
    ProgrammeTarget.objects.create(
        programme=world.programme_alpha, competence=framework.competences.get(code="S2"), level=3
    )
    smaller = fibre_json(crosswalk={})
    smaller["areas"][0]["competences"] = smaller["areas"][0]["competences"][:1]
    plan = framework_import(
        actor=world.users["manager_a1"],
        organisation=world.alpha,
        file_name="fibre.json",
        content=json.dumps(smaller).encode(),
        apply=True,
    )
    assert not plan.written
    assert any("“S2”" in p and "Digital basics" in p for p in plan.problems)
    assert framework.competences.filter(code="S2").exists()


# --- The form ------------------------------------------------------------------------------------


def _rows(*rows: dict[str, str], total: int | None = None) -> dict[str, str]:
    data = {
        "rows-TOTAL_FORMS": str(total if total is not None else len(rows)),
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"rows-{n}-{key}"] = value
    return data


def test_manager_writes_a_framework_on_the_form(world: World) -> None:
    client = world.client_for("manager_a1")
    url = reverse("placement:framework-new")
    row = {
        "area_code": "S",
        "area_name_en": "Safety",
        "competence_code": "S1",
        "competence_name_en": "Working at height",
        "maps_to": "",
    }
    more = client.post(url, {"code": "fibre", "action": "more", **_rows(row)})
    assert more.status_code == 200
    assert len(more.context["rows"].forms) == 6  # the row written and 5 empty ones
    assert not Framework.objects.filter(organisation=world.alpha).exists()

    bad = client.post(
        url,
        {"code": "fibre", "name_en": "Fibre", "action": "save", **_rows(row, {"area_code": "S"})},
    )
    assert bad.status_code == 200
    assert "Row 2: the competence code is missing." in bad.context["problems"]
    assert not Framework.objects.filter(organisation=world.alpha).exists()

    response = client.post(
        url, {"code": "fibre", "name_en": "Fibre", "action": "save", **_rows(row)}
    )
    framework = Framework.objects.get(organisation=world.alpha, code="fibre")
    assert response.status_code == 302
    assert framework.competences.get().name == {"en": "Working at height"}

    edit = reverse("placement:framework-edit", kwargs={"framework_id": framework.pk})
    page = client.get(edit)
    assert page.status_code == 200
    assert page.context["rows"].initial[0]["competence_code"] == "S1"
    second = {**row, "competence_code": "S2", "competence_name_en": "First aid", "area_name_en": ""}
    second["maps_to"] = "4.1"
    response = client.post(
        edit,
        {"name_en": "Fibre", "maps_to_digcomp": "on", "action": "save", **_rows(row, second)},
    )
    assert response.status_code == 302
    assert list(framework.competences.values_list("code", flat=True)) == ["S1", "S2"]
    framework.refresh_from_db()
    assert framework.maps_to == digcomp()


def test_the_form_refuses_a_code_already_used(world: World) -> None:
    framework_load(fibre_json(), organisation=world.alpha)
    with pytest.raises(ValidationError) as error:
        framework_create(
            actor=world.users["manager_a1"],
            organisation=world.alpha,
            code="fibre",
            name={"en": "Fibre"},
            maps_to_digcomp=False,
            rows=[
                {
                    "area_code": "S",
                    "area_name_en": "S",
                    "competence_code": "S9",
                    "competence_name_en": "Nine",
                }
            ],
        )
    assert "already has a framework “fibre”" in error.value.message_dict["code"][0]


# --- Shipped frameworks --------------------------------------------------------------------------


def test_shipped_frameworks_are_read_only(world: World) -> None:
    shipped = digcomp()
    before = (shipped.name, shipped.competences.count())
    client = world.client_for("manager_a1")
    edit = reverse("placement:framework-edit", kwargs={"framework_id": shipped.pk})
    assert client.get(edit).status_code == 403
    assert (
        client.post(edit, {"name_en": "Mine now", "action": "save", **_rows()}).status_code == 403
    )
    detail = client.get(reverse("placement:framework-detail", kwargs={"framework_id": shipped.pk}))
    assert detail.status_code == 200
    assert not detail.context["can_edit"]
    assert reverse("placement:framework-edit", kwargs={"framework_id": shipped.pk}) not in (
        detail.content.decode()
    )
    with pytest.raises(PermissionDenied):
        framework_update(
            actor=world.users["superuser"],
            framework=shipped,
            name={"en": "Mine now"},
            maps_to_digcomp=False,
            rows=[],
        )
    # Nor may a file take a shipped framework's code.
    response = check(client, json_file(fibre_json(code="digcomp-2.2", crosswalk={})))
    assert any("shipped with Tremplin" in p for p in response.context["plan"].problems)
    shipped.refresh_from_db()
    assert (shipped.name, shipped.competences.count()) == before
    assert not Framework.objects.filter(organisation=world.alpha).exists()


def test_trainer_reads_frameworks_but_does_not_write_them(world: World) -> None:
    client = world.client_for("trainer_a1")
    page = client.get(reverse("placement:framework-list"))
    assert page.status_code == 200
    assert [f.code for f in page.context["shipped"]][:1] == ["digcomp-2.2"]
    assert not page.context["can_manage"]
    assert client.get(reverse("placement:framework-new")).status_code == 403
    assert client.get(reverse("placement:framework-import")).status_code == 403


# --- Query counts --------------------------------------------------------------------------------


def _framework_of(size: int, code: str, world: World) -> Framework:
    codes = list(digcomp().competences.values_list("code", flat=True))
    return framework_load(
        {
            "code": code,
            "name": {"en": code},
            "areas": [
                {
                    "code": f"A{a}",
                    "name": {"en": f"Area {a}"},
                    "competences": [
                        {"code": f"A{a}.{c}", "name": {"en": f"Competence {a}.{c}"}}
                        for c in range(size)
                    ],
                }
                for a in range(size)
            ],
            "crosswalk": {
                "to": "digcomp-2.2",
                "links": [
                    {"from": f"A{a}.{c}", "to": codes[: 1 + (a + c) % 3]}
                    for a in range(size)
                    for c in range(size)
                ],
            },
        },
        organisation=world.alpha,
    )


def _queries(client: Client, framework: Framework) -> int:
    url = reverse("placement:framework-detail", kwargs={"framework_id": framework.pk})
    client.get(url)  # warm (session, scope)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_framework_page_query_count_does_not_grow_with_the_framework(world: World) -> None:
    client = world.client_for("manager_a1")
    small = _queries(client, _framework_of(1, "small", world))
    large = _queries(client, _framework_of(6, "large", world))
    assert small == large
    shipped = _queries(client, digcomp())  # with the crosswalks of Pix, ICDL, Simplon, Alpha's
    assert shipped == large
    assert small <= 15
