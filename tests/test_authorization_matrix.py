"""Every URL × every role × every scope → the status it must answer.

Columns (personas): anonymous, a user with no role, a superuser, Alpha's network admin,
Alpha North's site manager / selection officer / trainer / job coach, Alpha's funder viewer,
and Beta's site manager, who must never see anything of Alpha.

Then Alpha North's interviewer and field investigator (they see only what they are asked to
rate or visit).

Statuses: 200 shown, 302 redirected (to sign-in for anonymous), 403 the role may not use this
page, 404 the record is outside the user's scope. A meta-test fails when a URL has no row.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from conftest import World
from tremplin.network.models import Invitation, Role, RoleAssignment
from tremplin.network.tests.factories import UserFactory

PERSONAS = [
    "anonymous",
    "nobody",
    "superuser",
    "admin_a",
    "manager_a1",
    "officer_a1",
    "trainer_a1",
    "coach_a1",
    "funder_a",
    "manager_b1",
    "interviewer_a1",
    "investigator_a1",
]

Kwargs = Callable[[World], dict[str, Any]]


def none(w: World) -> dict[str, Any]:
    return {}


def invitation_token(w: World) -> dict[str, Any]:
    invitation = Invitation.objects.create(
        email="new.trainer@example.org",
        role=Role.TRAINER,
        organisation=w.alpha,
        site=w.north,
        token=secrets.token_urlsafe(16),
        expires_at=timezone.now() + dt.timedelta(days=3),
    )
    return {"token": invitation.token}


def assignment_at(site_attr: str) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        site = getattr(w, site_attr)
        assignment = RoleAssignment.objects.create(
            user=UserFactory(), role=Role.TRAINER, organisation=site.organisation, site=site
        )
        return {"assignment_id": assignment.pk}

    return make


def consent_of_amina(w: World) -> dict[str, Any]:
    return {"person_id": w.amina.pk, "consent_id": w.amina.consents.get().pk}


def session_at(site_attr: str, *, with_registration: bool = False) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        from tremplin.outreach.models import InformationSession, Registration

        start = timezone.now() + dt.timedelta(days=3)
        session = InformationSession.objects.create(
            site=getattr(w, site_attr),
            title="Discover",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            capacity=10,
            place="Hall",
            public_key=secrets.token_urlsafe(8),
        )
        kwargs: dict[str, Any] = {"session_id": session.pk}
        if with_registration:
            registration = Registration.objects.create(
                session=session,
                given_names="Rania",
                family_name="Haddad",
                phone="+33611111111",
                channel="social_media",
                status="registered",
            )
            kwargs["registration_id"] = registration.pk
        return kwargs

    return make


def public_key(w: World) -> dict[str, Any]:
    from tremplin.outreach.models import InformationSession

    session_id = session_at("north")(w)["session_id"]
    return {"key": InformationSession.objects.get(pk=session_id).public_key}


WALK_IN = {
    "given_names": "Yonas",
    "family_name": "Tekle",
    "phone": "+33622222222",
    "channel": "partner",
}


# (url name, method, kwargs, POST data, statuses in PERSONAS order)
Row = tuple[str, str, Kwargs, dict[str, str] | None, str]
ANON = "302"
OWN = lambda key, attr: lambda w: {key: getattr(w, attr).pk}  # noqa: E731
# fmt: off
ROWS: list[Row] = [
    # core
    ("core:home", "GET", none, None, "302 302 302 302 302 302 302 302 302 302 302 302"),
    ("core:dashboard", "GET", none, None, "302 200 200 200 200 200 200 200 200 200 200 200"),
    (
        "core:set-language",
        "POST",
        none,
        {"language": "fr"},
        "302 302 302 302 302 302 302 302 302 302 302 302",
    ),
    # network: organisations, sites, programmes, runs
    ("network:organisation-list", "GET", none, None, "302 403 200 200 200 200 200 200 200 200 200 200"),
    (
        "network:organisation-detail",
        "GET",
        lambda w: {"slug": "alpha"},
        None,
        "302 403 200 200 200 200 200 200 200 404 200 200",
    ),
    (
        "network:organisation-detail",
        "GET",
        lambda w: {"slug": "beta"},
        None,
        "302 403 200 404 404 404 404 404 404 200 404 404",
    ),
    ("network:site-list", "GET", none, None, "302 403 200 200 200 200 200 200 200 200 200 200"),
    (
        "network:site-detail",
        "GET",
        OWN("site_id", "north"),
        None,
        "302 403 200 200 200 200 200 200 200 404 200 200",
    ),
    (
        "network:site-detail",
        "GET",
        OWN("site_id", "south"),
        None,
        "302 403 200 200 404 404 404 404 200 404 404 404",
    ),
    (
        "network:site-detail",
        "GET",
        OWN("site_id", "beta_site"),
        None,
        "302 403 200 404 404 404 404 404 404 200 404 404",
    ),
    ("network:programme-list", "GET", none, None, "302 403 200 200 200 200 200 200 200 200 200 200"),
    (
        "network:programme-detail",
        "GET",
        OWN("programme_id", "programme_alpha"),
        None,
        "302 403 200 200 200 200 200 200 200 404 200 200",
    ),
    (
        "network:programme-detail",
        "GET",
        OWN("programme_id", "programme_beta"),
        None,
        "302 403 200 404 404 404 404 404 404 200 404 404",
    ),
    (
        "network:run-detail",
        "GET",
        OWN("run_id", "run_north"),
        None,
        "302 403 200 200 200 200 200 200 200 404 200 200",
    ),
    (
        "network:run-detail",
        "GET",
        OWN("run_id", "run_south"),
        None,
        "302 403 200 200 404 404 404 404 200 404 404 404",
    ),
    (
        "network:run-detail",
        "GET",
        OWN("run_id", "run_beta"),
        None,
        "302 403 200 404 404 404 404 404 404 200 404 404",
    ),
    (
        "network:run-replicate",
        "GET",
        OWN("run_id", "run_north"),
        None,
        "302 403 200 200 200 403 403 403 403 404 403 403",
    ),
    (
        "network:run-replicate",
        "GET",
        OWN("run_id", "run_south"),
        None,
        "302 403 200 200 404 403 403 403 403 404 403 403",
    ),
    (
        "network:run-replicate",
        "GET",
        OWN("run_id", "run_beta"),
        None,
        "302 403 200 404 404 403 403 403 403 200 403 403",
    ),
    ("network:site-create", "GET", none, None, "302 403 200 200 403 403 403 403 403 403 403 403"),
    ("network:site-edit", "GET", OWN("site_id", "north"), None, "302 403 200 200 200 403 403 403 403 404 403 403"),
    ("network:site-edit", "GET", OWN("site_id", "south"), None, "302 403 200 200 404 404 404 404 403 404 404 404"),
    ("network:site-edit", "GET", OWN("site_id", "beta_site"), None, "302 403 200 404 404 404 404 404 404 200 404 404"),
    ("network:programme-create", "GET", none, None, "302 403 200 200 403 403 403 403 403 403 403 403"),
    ("network:programme-edit", "GET", OWN("programme_id", "programme_alpha"), None, "302 403 200 200 403 403 403 403 403 403 403 403"),
    ("network:programme-edit", "GET", OWN("programme_id", "programme_beta"), None, "302 403 200 404 403 403 403 403 403 403 403 403"),
    # network: staff
    ("network:staff-list", "GET", none, None, "302 403 200 200 200 403 403 403 403 200 403 403"),
    ("network:staff-invite", "GET", none, None, "302 403 200 200 200 403 403 403 403 200 403 403"),
    (
        "network:staff-role-remove",
        "POST",
        assignment_at("north"),
        {},
        "302 403 302 302 302 403 403 403 403 404 403 403",
    ),
    (
        "network:staff-role-remove",
        "POST",
        assignment_at("south"),
        {},
        "302 403 302 302 404 403 403 403 403 404 403 403",
    ),
    (
        "network:staff-role-remove",
        "POST",
        assignment_at("beta_site"),
        {},
        "302 403 302 404 404 403 403 403 403 302 403 403",
    ),
    (
        "network:invitation-accept",
        "GET",
        invitation_token,
        None,
        "200 200 200 200 200 200 200 200 200 200 200 200",
    ),
    (
        "network:invitation-accept",
        "GET",
        lambda w: {"token": "unknown"},
        None,
        "404 404 404 404 404 404 404 404 404 404 404 404",
    ),
    # people
    ("people:person-list", "GET", none, None, "302 403 200 200 200 200 200 200 403 200 403 403"),
    ("people:person-create", "GET", none, None, "302 403 200 200 200 200 403 200 403 200 403 403"),
    (
        "people:person-detail",
        "GET",
        OWN("person_id", "amina"),
        None,
        "302 403 200 200 200 200 200 200 403 404 403 403",
    ),
    (
        "people:person-detail",
        "GET",
        OWN("person_id", "bilal"),
        None,
        "302 403 200 200 404 404 404 404 403 404 403 403",
    ),
    (
        "people:person-detail",
        "GET",
        OWN("person_id", "chen"),
        None,
        "302 403 200 404 404 404 404 404 403 200 403 403",
    ),
    (
        "people:person-edit",
        "GET",
        OWN("person_id", "amina"),
        None,
        "302 403 200 200 200 200 403 200 403 404 403 403",
    ),
    (
        "people:person-edit",
        "GET",
        OWN("person_id", "bilal"),
        None,
        "302 403 200 200 404 404 404 404 403 404 403 403",
    ),
    (
        "people:person-edit",
        "GET",
        OWN("person_id", "chen"),
        None,
        "302 403 200 404 404 404 404 404 403 200 403 403",
    ),
    (
        "people:person-sensitive",
        "GET",
        OWN("person_id", "amina"),
        None,
        "302 403 200 200 200 200 403 200 403 404 403 403",
    ),
    (
        "people:person-sensitive",
        "GET",
        OWN("person_id", "bilal"),
        None,
        "302 403 200 200 404 404 404 404 403 404 403 403",
    ),
    (
        "people:person-sensitive",
        "GET",
        OWN("person_id", "chen"),
        None,
        "302 403 200 404 404 404 404 404 403 200 403 403",
    ),
    (
        "people:person-merge",
        "GET",
        OWN("person_id", "amina"),
        None,
        "302 403 200 200 200 403 403 403 403 404 403 403",
    ),
    (
        "people:person-merge",
        "GET",
        OWN("person_id", "chen"),
        None,
        "302 403 200 404 404 404 404 404 403 200 403 403",
    ),
    (
        "people:consent-add",
        "POST",
        OWN("person_id", "amina"),
        {"purpose": "contact", "notice_version": "2026-1"},
        "302 403 302 302 302 302 403 302 403 404 403 403",
    ),
    (
        "people:consent-add",
        "POST",
        OWN("person_id", "chen"),
        {"purpose": "contact", "notice_version": "2026-1"},
        "302 403 302 404 404 404 404 404 403 302 403 403",
    ),
    (
        "people:consent-withdraw",
        "POST",
        consent_of_amina,
        {},
        "302 403 302 302 302 302 403 302 403 404 403 403",
    ),
    # outreach: information sessions
    ("outreach:session-list", "GET", none, None, "302 403 200 200 200 200 200 200 403 200 403 403"),
    ("outreach:session-create", "GET", none, None, "302 403 200 200 200 200 403 200 403 200 403 403"),
    ("outreach:session-detail", "GET", session_at("north"), None, "302 403 200 200 200 200 200 200 403 404 403 403"),
    ("outreach:session-detail", "GET", session_at("south"), None, "302 403 200 200 404 404 404 404 403 404 403 403"),
    ("outreach:session-detail", "GET", session_at("beta_site"), None, "302 403 200 404 404 404 404 404 403 200 403 403"),
    ("outreach:session-check-in", "POST", session_at("north"), {}, "302 403 302 302 302 302 403 302 403 404 403 403"),
    ("outreach:session-check-in", "POST", session_at("beta_site"), {}, "302 403 302 404 404 404 404 404 403 302 403 403"),
    ("outreach:session-walk-in", "POST", session_at("north"), WALK_IN, "302 403 302 302 302 302 403 302 403 404 403 403"),
    ("outreach:registration-cancel", "POST", session_at("north", with_registration=True), {}, "302 403 302 302 302 302 403 302 403 404 403 403"),
    ("outreach:registration-cancel", "POST", session_at("south", with_registration=True), {}, "302 403 302 302 404 404 404 404 403 404 403 403"),
    ("outreach:public-register", "GET", public_key, None, "200 200 200 200 200 200 200 200 200 200 200 200"),
    ("outreach:public-register", "GET", lambda w: {"key": "unknown"}, None, "404 404 404 404 404 404 404 404 404 404 404 404"),
    # sign-in and account pages (django-allauth)
    ("account_login", "GET", none, None, "200 302 302 302 302 302 302 302 302 302 302 302"),
    ("account_logout", "GET", none, None, "302 200 200 200 200 200 200 200 200 200 200 200"),
    ("account_signup", "GET", none, None, "200 302 302 302 302 302 302 302 302 302 302 302"),
    ("account_change_password", "GET", none, None, "302 200 200 200 200 200 200 200 200 200 200 200"),
    ("account_set_password", "GET", none, None, "302 302 302 302 302 302 302 302 302 302 302 302"),
    ("account_email", "GET", none, None, "302 200 200 200 200 200 200 200 200 200 200 200"),
    ("account_inactive", "GET", none, None, "200 200 200 200 200 200 200 200 200 200 200 200"),
    ("account_reauthenticate", "GET", none, None, "302 200 200 200 200 200 200 200 200 200 200 200"),
    ("account_reset_password", "GET", none, None, "200 200 200 200 200 200 200 200 200 200 200 200"),
    ("account_reset_password_done", "GET", none, None, "200 200 200 200 200 200 200 200 200 200 200 200"),
    (
        "account_reset_password_from_key",
        "GET",
        lambda w: {"uidb36": "zz", "key": "bad-key"},
        None,
        "200 200 200 200 200 200 200 200 200 200 200 200",
    ),
    (
        "account_reset_password_from_key_done",
        "GET",
        none,
        None,
        "200 200 200 200 200 200 200 200 200 200 200 200",
    ),
    (
        "account_confirm_email",
        "GET",
        lambda w: {"key": "bad-key"},
        None,
        "200 200 200 200 200 200 200 200 200 200 200 200",
    ),
    (
        "account_email_verification_sent",
        "GET",
        none,
        None,
        "200 200 200 200 200 200 200 200 200 200 200 200",
    ),
    ("account_confirm_login_code", "GET", none, None, "302 302 302 302 302 302 302 302 302 302 302 302"),
    ("mfa_index", "GET", none, None, "302 200 200 200 200 200 200 200 200 200 200 200"),
    ("mfa_activate_totp", "GET", none, None, "302 302 302 302 302 302 302 302 302 302 302 302"),
    ("mfa_deactivate_totp", "GET", none, None, "302 302 302 302 302 302 302 302 302 302 302 302"),
    ("mfa_authenticate", "GET", none, None, "302 302 302 302 302 302 302 302 302 302 302 302"),
    ("mfa_reauthenticate", "GET", none, None, "302 200 200 200 200 200 200 200 200 200 200 200"),
    ("mfa_view_recovery_codes", "GET", none, None, "302 404 404 404 404 404 404 404 404 404 404 404"),
    ("mfa_generate_recovery_codes", "GET", none, None, "302 302 302 302 302 302 302 302 302 302 302 302"),
    ("mfa_download_recovery_codes", "GET", none, None, "302 404 404 404 404 404 404 404 404 404 404 404"),
    # Django admin: superusers only (every admin URL is checked in test_admin_is_for_superusers)
    ("admin:index", "GET", none, None, "302 302 200 302 302 302 302 302 302 302 302 302"),
]
# fmt: on


from tests.matrix_funnel import FUNNEL_ROWS  # noqa: E402
from tests.matrix_import import IMPORT_ROWS  # noqa: E402
from tests.matrix_placement import PLACEMENT_ROWS  # noqa: E402
from tests.matrix_placement_calibration import ROWS as CALIBRATION_ROWS  # noqa: E402
from tests.matrix_placement_items import ROWS as ITEM_ROWS  # noqa: E402
from tests.matrix_placement_setup import ROWS as SETUP_ROWS  # noqa: E402
from tests.matrix_selection import SELECTION_ROWS  # noqa: E402

ROWS += SELECTION_ROWS + IMPORT_ROWS + FUNNEL_ROWS + PLACEMENT_ROWS
ROWS += ITEM_ROWS + SETUP_ROWS + CALIBRATION_ROWS


def _cases() -> list[Any]:
    cases = []
    for index, (name, method, kwargs, data, statuses) in enumerate(ROWS):
        expected = statuses.split()
        assert len(expected) == len(PERSONAS), f"row {index} ({name}) has {len(expected)} statuses"
        for persona, status in zip(PERSONAS, expected, strict=True):
            cases.append(
                pytest.param(
                    name,
                    method,
                    kwargs,
                    data,
                    persona,
                    int(status),
                    id=f"{name}[{index}]-{persona}",
                )
            )
    return cases


@pytest.mark.parametrize(("name", "method", "kwargs", "data", "persona", "expected"), _cases())
def test_authorization_matrix(
    world: World,
    name: str,
    method: str,
    kwargs: Kwargs,
    data: dict[str, str] | None,
    persona: str,
    expected: int,
) -> None:
    client = world.client_for(persona)
    url = reverse(name, kwargs=kwargs(world) or None)
    response = client.post(url, data or {}) if method == "POST" else client.get(url)
    assert response.status_code == expected, (
        f"{persona} {method} {url}: {response.status_code}, expected {expected}"
    )


def _url_names(patterns: list[Any], namespace: str | None = None) -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            names |= _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_url_has_its_row_in_the_matrix() -> None:
    covered = {row[0] for row in ROWS}
    names = {n for n in _url_names(get_resolver().url_patterns) if not n.startswith("admin:")}
    missing = sorted(names - covered)
    assert not missing, f"URLs without a row in the authorization matrix: {missing}"
    stale = sorted(covered - names - {"admin:index"})
    assert not stale, f"Rows for URLs that no longer exist: {stale}"


def test_admin_is_for_superusers(world: World) -> None:
    """Every Django admin list answers the superuser and turns away every other role."""
    from django.contrib import admin

    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert world.client_for("superuser").get(url).status_code == 200, url
        for persona in ("admin_a", "manager_a1", "trainer_a1"):
            response = world.client_for(persona).get(url)
            assert response.status_code == 302, url
            assert "/admin/login/" in response["Location"], url
