"""A programme's structure: periods and modules added, changed, reordered and removed by the
organisation's managers, read by its trainers, each change audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.placement.bank import digcomp
from tremplin.placement.models import Area, Competence, Framework
from tremplin.training.models import Module, ModuleCompetence, Period
from tremplin.training.services import structure as services


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


def test_a_manager_builds_periods_and_modules_in_order_and_every_change_is_audited(
    world: World,
) -> None:
    manager = world.users["manager_a1"]
    programme = world.programme_alpha
    term1 = services.period_create(
        actor=manager, programme=programme, title="Term 1", kind="term", weeks=12
    )
    term2 = services.period_create(
        actor=manager, programme=programme, title="Term 2", kind="term", weeks=None
    )
    assert (term1.position, term2.position) == (1, 2)
    web = services.module_create(
        actor=manager, programme=programme, title="Web", kind="digital", hours=60, period=term1
    )
    english = services.module_create(
        actor=manager, programme=programme, title="English", kind="language", hours=40, period=term1
    )
    assert services.module_move(actor=manager, module=english, direction="up")
    assert list(term1.modules.order_by("position").values_list("title", flat=True)) == [
        "English",
        "Web",
    ]
    assert not services.module_move(actor=manager, module=english, direction="up")  # first
    assert services.period_move(actor=manager, period=term2, direction="up")
    assert list(Period.objects.order_by("position").values_list("title", flat=True)) == [
        "Term 2",
        "Term 1",
    ]
    services.module_update(
        actor=manager,
        module=web,
        title="Web programming",
        kind="digital",
        hours=80,
        period=term2,
        summary="HTML, CSS",
    )
    web.refresh_from_db()
    assert (web.title, web.hours, web.period) == ("Web programming", 80, term2)
    assert _actions() == [
        AuditAction.PERIOD_SAVED,
        AuditAction.PERIOD_SAVED,
        AuditAction.MODULE_SAVED,
        AuditAction.MODULE_SAVED,
        AuditAction.MODULE_SAVED,  # moved
        AuditAction.PERIOD_SAVED,  # moved
        AuditAction.MODULE_SAVED,
    ]
    last = AuditEvent.objects.order_by("-pk").first()
    assert last is not None
    assert last.changes["hours"] == {"from": 60, "to": 80}


def test_a_title_used_twice_or_hours_out_of_range_are_refused_on_their_field(
    world: World,
) -> None:
    manager = world.users["admin_a"]
    services.module_create(
        actor=manager, programme=world.programme_alpha, title="Web", kind="digital", hours=20
    )
    with pytest.raises(ValidationError) as error:
        services.module_create(
            actor=manager, programme=world.programme_alpha, title=" Web ", kind="digital", hours=0
        )
    assert set(error.value.message_dict) == {"title", "hours"}
    client = world.client_for("manager_a1")
    url = reverse("training:module-create", kwargs={"programme_id": world.programme_alpha.pk})
    response = client.post(url, {"title": "Web", "kind": "digital", "hours": "12"})
    assert response.status_code == 200
    assert "already has a module with this name" in response.content.decode()
    response = client.post(url, {"title": "CSS", "kind": "digital", "hours": "²"})
    assert "Hours: a whole number" in response.content.decode()
    assert Module.objects.count() == 1


def test_a_period_of_another_programme_is_refused(world: World) -> None:
    manager = world.users["superuser"]
    other = services.period_create(
        actor=manager, programme=world.programme_beta, title="Year 1", kind="year", weeks=40
    )
    with pytest.raises(ValidationError) as error:
        services.module_create(
            actor=manager,
            programme=world.programme_alpha,
            title="Web",
            kind="digital",
            hours=20,
            period=other,
        )
    assert "period" in error.value.message_dict


def test_a_trainer_reads_the_structure_but_cannot_change_it(world: World) -> None:
    trainer = world.users["trainer_a1"]
    with pytest.raises(PermissionDenied):
        services.period_create(
            actor=trainer, programme=world.programme_alpha, title="T1", kind="term", weeks=1
        )
    services.module_create(
        actor=world.users["manager_a1"],
        programme=world.programme_alpha,
        title="Office tools",
        kind="digital",
        hours=20,
    )
    page = world.client_for("trainer_a1").get(
        reverse("training:programme-structure", kwargs={"programme_id": world.programme_alpha.pk})
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Office tools" in html
    assert "You can read this structure" in html
    assert reverse("training:module-create", args=[world.programme_alpha.pk]) not in html


def test_a_site_manager_of_another_organisation_cannot_change_it(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.module_create(
            actor=world.users["manager_b1"],
            programme=world.programme_alpha,
            title="Web",
            kind="digital",
            hours=20,
        )


def test_removing_a_period_keeps_its_modules_in_no_period(world: World) -> None:
    manager = world.users["manager_a1"]
    term = services.period_create(
        actor=manager, programme=world.programme_alpha, title="Term 1", kind="term", weeks=10
    )
    module = services.module_create(
        actor=manager,
        programme=world.programme_alpha,
        title="Web",
        kind="digital",
        hours=20,
        period=term,
    )
    response = world.client_for("manager_a1").post(
        reverse("training:period-remove", kwargs={"period_id": term.pk})
    )
    assert response.status_code == 302
    module.refresh_from_db()
    assert module.period is None
    assert not Period.objects.exists()
    assert _actions()[-1] == AuditAction.PERIOD_REMOVED


def _digcomp_competence() -> Competence:
    return digcomp().competences.order_by("position").first()  # type: ignore[return-value]


def test_a_module_aims_at_competences_shown_by_name_and_their_level_can_change(
    world: World,
) -> None:
    manager = world.users["manager_a1"]
    module = services.module_create(
        actor=manager, programme=world.programme_alpha, title="Web", kind="digital", hours=20
    )
    competence = _digcomp_competence()
    client = world.client_for("manager_a1")
    url = reverse("training:module-targets", kwargs={"module_id": module.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"competence": competence.pk, "level": "3"})
    assert response.status_code == 302
    client.post(url, {"competence": competence.pk, "level": "5"})
    target = ModuleCompetence.objects.get()
    assert target.level == 5
    page = client.get(
        reverse("training:programme-structure", kwargs={"programme_id": world.programme_alpha.pk})
    ).content.decode()
    name = competence.name["en"]
    assert f"{competence.code} {name} — level 5" in page
    assert f'value="{competence.pk}"' not in page  # names, never ids
    response = client.post(url, {"competence": competence.pk, "level": "9"})
    assert "Level: choose a level from 1 to 8." in response.content.decode()
    client.post(url, {"action": "remove", "target": target.pk})
    assert not ModuleCompetence.objects.exists()


def test_a_competence_of_another_organisations_framework_is_refused(world: World) -> None:
    framework = Framework.objects.create(organisation=world.beta, code="beta-skills", name={})
    area = Area.objects.create(framework=framework, code="A", name={"en": "Area"}, position=1)
    foreign = Competence.objects.create(
        framework=framework, area=area, code="B1", name={"en": "Beta's"}, position=1
    )
    manager = world.users["manager_a1"]
    module = services.module_create(
        actor=manager, programme=world.programme_alpha, title="Web", kind="digital", hours=20
    )
    with pytest.raises(ValidationError):
        services.module_target_set(actor=manager, module=module, competence=foreign, level=2)
    response = world.client_for("manager_a1").post(
        reverse("training:module-targets", kwargs={"module_id": module.pk}),
        {"competence": foreign.pk, "level": "2"},
    )
    assert "Competence: choose one." in response.content.decode()
    assert not ModuleCompetence.objects.exists()


def test_the_page_says_when_the_modules_hours_differ_from_the_programmes(world: World) -> None:
    programme = world.programme_alpha
    programme.hours = 100
    programme.save()
    services.module_create(
        actor=world.users["admin_a"], programme=programme, title="Web", kind="digital", hours=60
    )
    client = world.client_for("admin_a")
    url = reverse("training:programme-structure", kwargs={"programme_id": programme.pk})
    assert (
        "add up to 60 hours, but the programme announces 100 hours"
        in client.get(url).content.decode()
    )
    services.module_create(
        actor=world.users["admin_a"], programme=programme, title="CSS", kind="digital", hours=40
    )
    assert "but the programme announces" not in client.get(url).content.decode()
    listing = client.get(reverse("training:structure-list")).content.decode()
    assert "Digital basics" in listing
    assert "Fibre installer" not in listing


def _structure_queries(world: World, modules: int) -> int:
    manager = world.users["manager_a1"]
    term = services.period_create(
        actor=manager, programme=world.programme_alpha, title=f"T{modules}", kind="term", weeks=5
    )
    competence = _digcomp_competence()
    for n in range(modules):
        module = services.module_create(
            actor=manager,
            programme=world.programme_alpha,
            title=f"M{modules}-{n}",
            kind="digital",
            hours=10,
            period=term,
        )
        services.module_target_set(actor=manager, module=module, competence=competence, level=2)
    client = world.client_for("manager_a1")
    url = reverse("training:programme-structure", kwargs={"programme_id": world.programme_alpha.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_structure_page_takes_as_many_queries_for_20_modules_as_for_2(world: World) -> None:
    few = _structure_queries(world, 2)
    many = _structure_queries(world, 20)
    assert many == few


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_structure_page_speaks_french_and_arabic(world: World, language: str) -> None:
    services.module_create(
        actor=world.users["manager_a1"],
        programme=world.programme_alpha,
        title="Web",
        kind="soft_skills",
        hours=20,
    )
    client = world.client_for("manager_a1")
    client.cookies["tremplin_language"] = language
    html = client.get(
        reverse("training:programme-structure", kwargs={"programme_id": world.programme_alpha.pk})
    ).content.decode()
    assert f'lang="{language}"' in html
    assert ('dir="rtl"' in html) == (language == "ar")
    assert "Add a module" not in html  # translated
