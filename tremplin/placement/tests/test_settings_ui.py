"""A programme's test settings as Alpha's site manager uses them: its level groups and stopping
rule (what the engine then uses), and the competences it aims at; Beta's manager never sees
any of Alpha's frameworks or programmes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.placement import adaptive
from tremplin.placement.bank import digcomp, framework_load
from tremplin.placement.models import (
    Competence,
    PlacementSetup,
    ProgrammeTarget,
)
from tremplin.placement.selectors.settings import setup_of
from tremplin.placement.services.settings import rules_of, score_of, theta_of
from tremplin.placement.services.targets import target_set
from tremplin.placement.tests.test_frameworks_ui import fibre_json

# --- Settings ------------------------------------------------------------------------------------


def settings_data(**changes: str) -> dict[str, str]:
    data = {
        "se_target": "0.25",
        "max_items": "30",
        "borderline": "70",
        "name_1": "Starter",
        "name_2": "Confirmed",
        "cut_off_2": "50",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def edit_url(world: World) -> str:
    return reverse("placement:setup-edit", kwargs={"programme_id": world.programme_alpha.pk})


def test_setup_shows_the_usual_groups_on_the_0_to_100_score(world: World) -> None:
    page = world.client_for("manager_a1").get(edit_url(world))
    form = page.context["form"]
    assert form.initial["name_1"] == "Beginner"
    assert form.initial["cut_off_2"] == 30.9  # θ -0.5
    assert form.initial["cut_off_3"] == 78.8  # θ 0.8
    assert form.initial["borderline"] == 80
    assert score_of(theta_of(30.9)) == 30.9


def test_setup_refuses_cut_offs_out_of_order_naming_the_field(world: World) -> None:
    client = world.client_for("manager_a1")
    response = client.post(edit_url(world), settings_data(name_3="Expert", cut_off_3="40"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["cut_off_3"]
    assert errors["cut_off_3"][0].startswith("Level group 3: the score where it starts must be")
    assert not PlacementSetup.objects.exists()


def test_setup_refuses_a_standard_error_outside_its_range(world: World) -> None:
    client = world.client_for("manager_a1")
    response = client.post(edit_url(world), settings_data(se_target="1.5", max_items="61"))
    errors = response.context["form"].errors
    assert "standard error" in errors["se_target"][0]
    assert "questions" in errors["max_items"][0]
    response = client.post(edit_url(world), settings_data(name_2="", cut_off_2=""))
    assert "Level groups: give 2 to 6 groups." in response.content.decode()
    assert not PlacementSetup.objects.exists()


def test_saved_settings_are_what_the_engine_uses(world: World) -> None:
    client = world.client_for("manager_a1")
    response = client.post(edit_url(world), settings_data())
    assert response.status_code == 302
    rules = rules_of(setup_of(world.programme_alpha))
    assert rules.se_target == 0.25
    assert rules.max_items == 30
    assert rules.hold_borderline == 0.7
    assert [b.name for b in rules.bands] == ["Starter", "Confirmed"]
    assert rules.bands[1].lower == 0.0  # a score of 50 is θ 0
    assert AuditEvent.objects.filter(action=AuditAction.PLACEMENT_SETUP_UPDATED).count() == 1


def test_the_usual_groups_saved_unchanged_stay_exactly_the_defaults(world: World) -> None:
    client = world.client_for("manager_a1")
    data = {
        "se_target": "0.3",
        "max_items": "20",
        "borderline": "80",
        "name_1": "Beginner",
        "name_2": "Intermediate",
        "cut_off_2": "30.9",
        "name_3": "Advanced",
        "cut_off_3": "78.8",
    }
    assert client.post(edit_url(world), data).status_code == 302
    saved = PlacementSetup.objects.get(programme=world.programme_alpha)
    assert saved.bands == []
    assert rules_of(saved).bands == adaptive.DEFAULT_BANDS


# --- Targets -------------------------------------------------------------------------------------


def test_manager_adds_and_removes_competences_aimed_at(world: World) -> None:
    client = world.client_for("manager_a1")
    url = reverse("placement:target-edit", kwargs={"programme_id": world.programme_alpha.pk})
    own = framework_load(fibre_json(), organisation=world.alpha).competences.get(code="S1")
    dc = Competence.objects.get(framework=digcomp(), code="1.1")

    assert (
        client.post(
            url, {"action": "add", "module": "", "competence": dc.pk, "level": "3"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            url, {"action": "add", "module": "", "competence": dc.pk, "level": "5"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            url, {"action": "add", "module": "Safety", "competence": own.pk, "level": "2"}
        ).status_code
        == 302
    )
    targets = ProgrammeTarget.objects.filter(programme=world.programme_alpha)
    assert sorted(targets.values_list("module", "competence__code", "level")) == [
        ("", "1.1", 5),
        ("Safety", "S1", 2),
    ]
    page = client.get(url)
    assert [m["name"] for m in page.context["modules"]] == ["", "Safety"]

    # A competence of another organisation's framework is not offered.
    beta_own = framework_load(fibre_json(), organisation=world.beta).competences.get(code="S1")
    refused = client.post(
        url, {"action": "add", "module": "", "competence": beta_own.pk, "level": "2"}
    )
    assert refused.status_code == 200
    assert "competence" in refused.context["form"].errors
    assert targets.count() == 2

    target = targets.get(module="Safety")
    assert client.post(url, {"action": "remove", "target": target.pk}).status_code == 302
    assert list(targets.values_list("competence__code", flat=True)) == ["1.1"]
    assert AuditEvent.objects.filter(action=AuditAction.PROGRAMME_TARGET_REMOVED).count() == 1

    listing = client.get(reverse("placement:setup-list"))
    row = next(r for r in listing.context["rows"] if r["programme"] == world.programme_alpha)
    assert row["targets"] == 1


# --- Another organisation ------------------------------------------------------------------------


def test_beta_never_sees_alpha_frameworks_or_programmes(world: World) -> None:
    alpha_framework = framework_load(fibre_json(), organisation=world.alpha)
    target = ProgrammeTarget.objects.create(
        programme=world.programme_alpha, competence=digcomp().competences.first(), level=2
    )
    client = world.client_for("manager_b1")
    kwargs = {"framework_id": alpha_framework.pk}
    assert client.get(reverse("placement:framework-detail", kwargs=kwargs)).status_code == 404
    assert client.get(reverse("placement:framework-edit", kwargs=kwargs)).status_code == 404
    alpha = {"programme_id": world.programme_alpha.pk}
    assert client.get(reverse("placement:setup-edit", kwargs=alpha)).status_code == 404
    assert (
        client.post(reverse("placement:setup-edit", kwargs=alpha), settings_data()).status_code
        == 404
    )
    assert client.get(reverse("placement:target-edit", kwargs=alpha)).status_code == 404
    # Alpha's target, removed through Beta's own programme: not found either.
    beta = {"programme_id": world.programme_beta.pk}
    response = client.post(
        reverse("placement:target-edit", kwargs=beta), {"action": "remove", "target": target.pk}
    )
    assert response.status_code == 404
    assert ProgrammeTarget.objects.filter(pk=target.pk).exists()

    listed = client.get(reverse("placement:framework-list")).context
    assert alpha_framework not in listed["own"]
    programmes = [
        r["programme"] for r in client.get(reverse("placement:setup-list")).context["rows"]
    ]
    assert programmes == [world.programme_beta]
    # Nor does DigComp's page show what Alpha's framework maps to it.
    digcomp_page = client.get(
        reverse("placement:framework-detail", kwargs={"framework_id": digcomp().pk})
    )
    assert "fibre" not in digcomp_page.content.decode()


def test_setting_a_target_in_a_framework_of_another_organisation_is_refused(
    world: World,
) -> None:
    beta_competence = framework_load(fibre_json(), organisation=world.beta).competences.first()
    assert beta_competence is not None
    with pytest.raises(ValidationError):
        target_set(
            actor=world.users["admin_a"],
            programme=world.programme_alpha,
            competence=beta_competence,
            level=3,
        )
    with pytest.raises(PermissionDenied):
        target_set(
            actor=world.users["trainer_a1"],
            programme=world.programme_alpha,
            competence=digcomp().competences.get(code="1.1"),
            level=3,
        )
    assert not ProgrammeTarget.objects.exists()


def test_settings_list_query_count_does_not_grow_with_the_programmes(world: World) -> None:
    from tremplin.network.tests.factories import ProgrammeFactory

    client = world.client_for("admin_a")
    url = reverse("placement:setup-list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    competence = digcomp().competences.first()
    for _n in range(8):
        programme = ProgrammeFactory(organisation=world.alpha)
        PlacementSetup.objects.create(
            programme=programme, bands=[{"name": "a", "lower": None}, {"name": "b", "lower": 0.0}]
        )
        ProgrammeTarget.objects.create(programme=programme, competence=competence, level=2)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["rows"]) == 9
    assert len(many) == len(few)
