"""Personas shared by every test: two organisations, and a person for every role.

Alpha runs two sites (North and South); Beta runs one. A manager of Beta must never see
anything of Alpha, and a trainer never sees administrative situations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from tremplin.core.models import User
from tremplin.network.models import (
    Organisation,
    Programme,
    ProgrammeRun,
    Role,
    RoleAssignment,
    Site,
)
from tremplin.network.services import role_grant
from tremplin.network.tests.factories import (
    OrganisationFactory,
    ProgrammeFactory,
    ProgrammeRunFactory,
    SiteFactory,
    UserFactory,
)
from tremplin.people.models import Consent, Person
from tremplin.people.tests.factories import PersonFactory

PASSWORD = "a-long-test-password"


@dataclass
class World:
    alpha: Organisation
    beta: Organisation
    north: Site
    south: Site
    beta_site: Site
    programme_alpha: Programme
    programme_beta: Programme
    run_north: ProgrammeRun
    run_south: ProgrammeRun
    run_beta: ProgrammeRun
    amina: Person  # at Alpha North
    bilal: Person  # at Alpha South
    chen: Person  # at Beta
    users: dict[str, User]
    secrets: dict[str, str]

    def client_for(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(self.users[persona])
        return client

    def assignment(self, persona: str) -> RoleAssignment:
        return self.users[persona].role_assignments.first()  # type: ignore[return-value]


def make_user(email: str, *, mfa: bool = True, **extra: object) -> tuple[User, str]:
    user = UserFactory(email=email, **extra)
    secret = ""
    if mfa:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
    return user, secret


@pytest.fixture
def world(db: None) -> World:
    alpha = OrganisationFactory(name="Alpha Network", slug="alpha")
    beta = OrganisationFactory(name="Beta Network", slug="beta")
    north = SiteFactory(organisation=alpha, name="Alpha North", slug="north", city="Lille")
    south = SiteFactory(organisation=alpha, name="Alpha South", slug="south", city="Marseille")
    beta_site = SiteFactory(organisation=beta, name="Beta Centre", slug="centre", city="Lyon")
    programme_alpha = ProgrammeFactory(organisation=alpha, title="Digital basics")
    programme_beta = ProgrammeFactory(organisation=beta, title="Fibre installer")
    run_north = ProgrammeRunFactory(programme=programme_alpha, site=north, title="Basics North")
    run_south = ProgrammeRunFactory(programme=programme_alpha, site=south, title="Basics South")
    run_beta = ProgrammeRunFactory(programme=programme_beta, site=beta_site, title="Fibre Lyon")
    amina = PersonFactory(
        site=north,
        legal_given_names="Amina",
        legal_family_name="Diallo",
        phone="+33612345678",
        email="amina@example.org",
        administrative_situation="refugee",
        administrative_notes="Permit renewal due in March",
    )
    bilal = PersonFactory(site=south, legal_given_names="Bilal", legal_family_name="Haddad")
    chen = PersonFactory(site=beta_site, legal_given_names="Chen", legal_family_name="Wei")
    Consent.objects.create(
        person=amina, purpose="data_processing", given_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    )
    users: dict[str, User] = {}
    secrets: dict[str, str] = {}
    roles = {
        "admin_a": (Role.NETWORK_ADMIN, alpha, None),
        "manager_a1": (Role.SITE_MANAGER, alpha, north),
        "officer_a1": (Role.SELECTION_OFFICER, alpha, north),
        "trainer_a1": (Role.TRAINER, alpha, north),
        "coach_a1": (Role.JOB_COACH, alpha, north),
        "interviewer_a1": (Role.INTERVIEWER, alpha, north),
        "investigator_a1": (Role.FIELD_INVESTIGATOR, alpha, north),
        "funder_a": (Role.FUNDER_VIEWER, alpha, None),
        "manager_b1": (Role.SITE_MANAGER, beta, beta_site),
    }
    for persona, (role, organisation, site) in roles.items():
        user, secret = make_user(f"{persona}@example.org", first_name=persona.title())
        role_grant(user=user, role=role, organisation_id=organisation.pk, site=site)
        users[persona], secrets[persona] = user, secret
    users["nobody"], secrets["nobody"] = make_user("nobody@example.org")
    users["superuser"], secrets["superuser"] = make_user(
        "root@example.org", is_superuser=True, is_staff=True
    )
    return World(
        alpha=alpha,
        beta=beta,
        north=north,
        south=south,
        beta_site=beta_site,
        programme_alpha=programme_alpha,
        programme_beta=programme_beta,
        run_north=run_north,
        run_south=run_south,
        run_beta=run_beta,
        amina=amina,
        bilal=bilal,
        chen=chen,
        users=users,
        secrets=secrets,
    )


from tests.mail import smtp_inbox  # noqa: E402,F401  (the fixture, shared)
from tests.sms import sms_gateway, sms_outbox  # noqa: E402,F401  (the fixtures, shared)


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    """Every test starts in English: a request in Arabic leaves Arabic active in its thread
    (Django's middleware activates a language per request and never resets it)."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Every test starts with no request counted against a rate limit (they live in the
    cache, per client address: the test client's is always 127.0.0.1)."""
    from django.core.cache import cache

    cache.clear()
