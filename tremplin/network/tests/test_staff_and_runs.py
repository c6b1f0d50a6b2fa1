"""Managers invite staff by e-mail; a run is replicated to a new site in one action."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.urls import reverse

from conftest import World
from tests.mail import Inbox
from tremplin.core.audit import audit_events_for
from tremplin.core.audit_actions import AuditAction
from tremplin.network.models import ProgrammeRun, Role, RoleAssignment


def test_a_manager_invites_a_trainer_who_joins_by_the_mailed_link(
    world: World, smtp_inbox: Inbox, django_capture_on_commit_callbacks: object
) -> None:
    manager = world.client_for("manager_a1")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = manager.post(
            reverse("network:staff-invite"),
            {"email": "Lea.Martin@Example.org", "role": "trainer", "site": world.north.pk},
        )
    assert response.status_code == 302
    assert len(smtp_inbox.messages) == 1
    assert smtp_inbox.messages[0]["To"] == "lea.martin@example.org"
    link = re.search(r"http://testserver(/network/invitations/[^\s]+/)", smtp_inbox.body())
    assert link is not None

    newcomer = Client()
    page = newcomer.get(link.group(1))
    assert "Trainer" in page.content.decode()
    response = newcomer.post(
        link.group(1),
        {"first_name": "Léa", "last_name": "Martin", "password": "short"},
    )
    assert "at least 10 characters" in response.content.decode()
    response = newcomer.post(
        link.group(1),
        {"first_name": "Léa", "last_name": "Martin", "password": "fibre-optique-2026"},
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user__email="lea.martin@example.org")
    assert (assignment.role, assignment.site) == (Role.TRAINER, world.north)
    assert newcomer.get(reverse("people:person-list")).status_code == 200
    # The link works once.
    assert "expired or was already used" in Client().get(link.group(1)).content.decode()


def test_a_site_manager_cannot_invite_a_network_admin_nor_staff_for_another_site(
    world: World,
) -> None:
    manager = world.client_for("manager_a1")
    response = manager.post(
        reverse("network:staff-invite"),
        {"email": "x@example.org", "role": "network_admin", "organisation": world.alpha.pk},
    )
    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    response = manager.post(
        reverse("network:staff-invite"),
        {"email": "x@example.org", "role": "trainer", "site": world.south.pk},
    )
    assert "is not one of the available choices" in response.content.decode()


def test_a_role_removal_is_audited(world: World) -> None:
    assignment = world.assignment("trainer_a1")
    response = world.client_for("manager_a1").post(
        reverse("network:staff-role-remove", args=[assignment.pk])
    )
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    from tremplin.core.models import AuditEvent

    assert AuditEvent.objects.filter(
        action=AuditAction.STAFF_ROLE_REMOVED, subject_id=assignment.pk
    ).exists()


def test_replicating_a_run_sets_it_up_at_the_new_site_in_one_action(world: World) -> None:
    admin = world.client_for("admin_a")
    response = admin.post(
        reverse("network:run-replicate", args=[world.run_north.pk]),
        {"site": world.south.pk, "starts_on": "2027-01-11", "title": ""},
    )
    assert response.status_code == 302
    replica = ProgrammeRun.objects.get(replicated_from=world.run_north)
    assert replica.site == world.south
    assert replica.programme == world.run_north.programme
    assert replica.seats == world.run_north.seats
    assert replica.starts_on == dt.date(2027, 1, 11)
    assert (
        replica.ends_on - replica.starts_on == world.run_north.ends_on - world.run_north.starts_on
    )
    assert audit_events_for(replica).get().action == AuditAction.PROGRAMME_RUN_REPLICATED


def test_a_run_cannot_be_replicated_to_a_site_of_another_organisation(world: World) -> None:
    response = world.client_for("superuser").post(
        reverse("network:run-replicate", args=[world.run_north.pk]),
        {"site": world.beta_site.pk, "starts_on": "2027-01-11"},
    )
    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    assert not ProgrammeRun.objects.filter(replicated_from=world.run_north).exists()


def test_a_network_admin_creates_a_site_and_a_programme(world: World) -> None:
    from tremplin.network.models import Programme, Site

    admin = world.client_for("admin_a")
    response = admin.post(
        reverse("network:site-create"),
        {
            "organisation": world.alpha.pk,
            "name": "Alpha Roubaix",
            "slug": "roubaix",
            "city": "Roubaix",
            "country": "FR",
            "timezone": "Europe/Paris",
            "default_language": "fr",
        },
    )
    assert response.status_code == 302
    site = Site.objects.get(slug="roubaix")
    assert site.organisation == world.alpha
    assert audit_events_for(site).get().action == AuditAction.SITE_CREATED
    response = admin.post(
        reverse("network:programme-create"),
        {
            "organisation": world.alpha.pk,
            "title": "DigiStart",
            "slug": "digistart",
            "duration_weeks": "9",
            "levels": "Beginner, Advanced",
            "min_age": "18",
            "required_language": "fr",
            "required_language_level": "A2",
            "target_women_share": "0.5",
        },
    )
    assert response.status_code == 302
    programme = Programme.objects.get(slug="digistart")
    assert programme.levels == ["Beginner", "Advanced"]


def test_site_and_programme_forms_name_the_wrong_field(world: World) -> None:
    from tremplin.network.models import Programme, Site

    admin = world.client_for("admin_a")
    response = admin.post(
        reverse("network:site-create"),
        {
            "organisation": world.alpha.pk,
            "name": "X",
            "slug": "north",  # already used by Alpha North
            "city": "Lille",
            "country": "FR",
            "timezone": "Mars/Olympus",
            "default_language": "xx",
        },
    )
    html = response.content.decode()
    assert "Mars/Olympus is not one of the available choices" in html
    assert "is not a known language code" in html
    assert Site.objects.filter(name="X").count() == 0
    response = admin.post(
        reverse("network:programme-create"),
        {
            "organisation": world.alpha.pk,
            "title": "Bad",
            "slug": "bad",
            "duration_weeks": "6",
            "min_age": "30",
            "max_age": "18",
            "target_women_share": "1.5",
            "required_language": "fr",
        },
    )
    html = response.content.decode()
    assert "less than or equal to 1" in html
    assert "must not be below the minimum" in html or "Give both the language" in html
    assert not Programme.objects.filter(slug="bad").exists()


def test_a_site_manager_edits_their_site_not_another(world: World) -> None:
    manager = world.client_for("manager_a1")
    data = {
        "name": "Alpha North (Lille)",
        "slug": "north",
        "city": "Lille",
        "country": "FR",
        "timezone": "Europe/Paris",
        "default_language": "fr",
    }
    response = manager.post(reverse("network:site-edit", args=[world.north.pk]), data)
    assert response.status_code == 302
    world.north.refresh_from_db()
    assert world.north.name == "Alpha North (Lille)"
    response = manager.post(reverse("network:site-edit", args=[world.south.pk]), data)
    assert response.status_code == 404
