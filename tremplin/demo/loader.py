"""Loads the demo network: the four reference organisations, staff for every role, and a
reproducible synthetic population."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent, User
from tremplin.demo.calls import calls_remove, open_calls_load, past_call_load
from tremplin.demo.catalogue import CATALOGUE, OrganisationSpec
from tremplin.demo.partners import partners_demo_load, partners_remove
from tremplin.demo.placement import placement_demo_load
from tremplin.demo.population import PopulationMaker
from tremplin.demo.training import pn_2018_cohort_load, training_demo_load, training_remove
from tremplin.demo.training_results import training_results_load
from tremplin.network.models import (
    Invitation,
    Organisation,
    Programme,
    ProgrammeRun,
    Region,
    Role,
    RoleAssignment,
    Site,
)
from tremplin.network.regions import subdivisions_of
from tremplin.network.services import role_grant
from tremplin.people.models import (
    AdministrativeSituation,
    Consent,
    ConsentPurpose,
    Person,
    PersonLanguage,
    PersonMerge,
)
from tremplin.placement.bank import bank_install_shipped
from tremplin.selection.models import Application

DEMO_PASSWORD = "demo-tremplin-2026"


@functools.cache
def _demo_password_hash() -> str:
    """Hashed once for every demo account (the password is public; hashing it 32 times
    with Argon2 took most of the load time)."""
    return make_password(DEMO_PASSWORD)


NATIVE_LANGUAGE = {
    "KH": "km",
    "VN": "vi",
    "PH": "tl",
    "FR": "fr",
    "AF": "fa",
    "SY": "ar",
    "ER": "ti",
    "CI": "fr",
    "UA": "uk",
    "GN": "ff",
    "BD": "bn",
}
DOMAINS = {
    "passerelles-numeriques": "pn.demo",
    "plombiers-du-numerique": "plombiers.demo",
    "konexio": "konexio.demo",
    "simplon": "simplon.demo",
}


@dataclass
class DemoLogin:
    email: str
    role: str
    where: str


@dataclass
class DemoResult:
    logins: list[DemoLogin] = field(default_factory=list)
    people: int = 0
    applications: int = 0
    created: bool = True


def regions_ensure(countries: set[str]) -> dict[str, Region]:
    """The countries' regions (network/regions.py: loaded by a migration, here again for a
    database made before it)."""
    Region.objects.bulk_create(
        [
            Region(country=country, code=code, name=name)
            for country in sorted(countries)
            for code, name in subdivisions_of(country)
        ],
        ignore_conflicts=True,
    )
    return {r.code: r for r in Region.objects.filter(country__in=countries)}


def demo_loaded() -> bool:
    return Organisation.objects.filter(slug__in=DOMAINS).exists()


def demo_logins() -> list[DemoLogin]:
    logins = [DemoLogin("admin@tremplin.demo", "Superuser", "Django admin and every organisation")]
    for assignment in (
        RoleAssignment.objects.filter(user__is_demo_account=True)
        .select_related("user", "organisation", "site")
        .order_by("organisation__name", "site__name", "role")
    ):
        where = assignment.site.name if assignment.site else assignment.organisation.name
        logins.append(DemoLogin(assignment.user.email, assignment.get_role_display(), where))
    return logins


def demo_remove() -> None:
    """Remove the demo organisations and everything attached to them."""
    with transaction.atomic():
        organisations = Organisation.objects.filter(slug__in=DOMAINS)
        from tremplin.outreach.models import InformationSession

        partners_remove(organisations)
        training_remove(organisations)
        calls_remove(organisations)
        InformationSession.objects.filter(site__organisation__in=organisations).delete()
        people = Person.objects.filter(site__organisation__in=organisations)
        PersonMerge.objects.filter(kept__in=people).delete()
        people.update(merged_into=None)
        AuditEvent.objects.filter(
            subject_type="people.person", subject_id__in=people.values("id")
        ).delete()
        people.delete()
        ProgrammeRun.objects.filter(site__organisation__in=organisations).update(
            replicated_from=None
        )
        ProgrammeRun.objects.filter(site__organisation__in=organisations).delete()
        Programme.objects.filter(organisation__in=organisations).delete()
        Invitation.objects.filter(organisation__in=organisations).delete()
        RoleAssignment.objects.filter(organisation__in=organisations).delete()
        Site.objects.filter(organisation__in=organisations).delete()
        organisations.delete()
        User.objects.filter(is_demo_account=True).delete()


def _staff(spec: OrganisationSpec, organisation: Organisation, sites: list[Site]) -> None:
    domain = DOMAINS[spec.slug]

    def user(local: str, first: str, last: str) -> User:
        account, created = User.objects.get_or_create(
            email=f"{local}@{domain}",
            defaults={"first_name": first, "last_name": last, "is_demo_account": True},
        )
        if created:
            account.password = _demo_password_hash()
            account.save(update_fields=["password"])
        return account

    role_grant(
        user=user("admin", "Network", "Admin"),
        role=Role.NETWORK_ADMIN,
        organisation_id=organisation.pk,
    )
    role_grant(
        user=user("funder", "Funder", "Viewer"),
        role=Role.FUNDER_VIEWER,
        organisation_id=organisation.pk,
    )
    site_roles = [
        ("manager", "Site", "Manager", Role.SITE_MANAGER),
        ("officer", "Selection", "Officer", Role.SELECTION_OFFICER),
        ("trainer", "Trainer", "Demo", Role.TRAINER),
        ("coach", "Job", "Coach", Role.JOB_COACH),
        ("interviewer", "Interviewer", "Demo", Role.INTERVIEWER),
        ("investigator", "Field", "Investigator", Role.FIELD_INVESTIGATOR),
    ]
    for index, site in enumerate(sites):
        for local, first, last, role in site_roles:
            if index > 0 and role != Role.SITE_MANAGER:
                continue
            role_grant(
                user=user(f"{local}.{site.slug}", first, f"{last} ({site.city})"),
                role=role,
                organisation_id=organisation.pk,
                site=site,
            )


def _runs(
    spec: OrganisationSpec, programmes: dict[str, Programme], sites: dict[str, Site], today: dt.date
) -> None:
    for pspec in spec.programmes:
        programme = programmes[pspec.slug]
        length = dt.timedelta(weeks=pspec.weeks)
        # One run under way, one recruiting for a start in four months, at every site.
        starts = [
            (today - min(length / 2, dt.timedelta(days=60)), ProgrammeRun.Status.RUNNING),
            (today + dt.timedelta(days=120), ProgrammeRun.Status.RECRUITING),
        ]
        for site_slug in pspec.sites:
            site = sites[site_slug]
            for starts_on, status in starts:
                ProgrammeRun.objects.create(
                    programme=programme,
                    site=site,
                    title=f"{programme.title} — {site.city} {starts_on:%Y-%m}",
                    starts_on=starts_on,
                    ends_on=starts_on + length,
                    seats=pspec.seats,
                    status=status,
                )


def _people(
    spec: OrganisationSpec,
    sites: list[Site],
    regions: dict[str, Region],
    maker: PopulationMaker,
    today: dt.date,
) -> int:
    country_regions: dict[str, list[Region]] = {}
    for region in regions.values():
        country_regions.setdefault(str(region.country), []).append(region)
    now = timezone.now()
    total = 0
    site_specs = {s.slug: s for s in spec.sites}
    for site in sites:
        sspec = site_specs[site.slug]
        people: list[Person] = []
        languages: list[tuple[int, str, str]] = []
        for _index in range(sspec.people):
            made = maker.person(
                country=sspec.country,
                city=sspec.city,
                age_range=spec.age_range,
                women_share=spec.women_share,
                migrant_share=spec.migrant_share,
                reference=today,
            )
            # PN recruits across the country's provinces; the French schools mostly nearby.
            if sspec.country != "FR" and maker.random.random() < 0.7:
                region = maker.random.choice(country_regions[sspec.country])
            else:
                region = regions[sspec.region_code]
            migrant = made.nationality != sspec.country
            if migrant:
                situation = maker.random.choice(
                    [
                        AdministrativeSituation.REFUGEE,
                        AdministrativeSituation.RESIDENCE_PERMIT,
                        AdministrativeSituation.ASYLUM_SEEKER,
                        AdministrativeSituation.PENDING,
                    ]
                )
            else:
                situation = AdministrativeSituation.CITIZEN
            person = Person(
                site=site,
                legal_given_names=made.given,
                legal_family_name=made.family,
                gender=made.gender,
                birth_date=made.birth_date,
                phone=made.phone,
                email=made.email,
                address=made.address,
                postal_code=made.postal_code,
                city=made.city,
                region=region,
                country=sspec.country,
                nationality=made.nationality,
                priority_neighbourhood=maker.random.random() < spec.priority_share,
                administrative_situation=situation,
            )
            person.refresh_derived()
            people.append(person)
        # Two deliberate duplicates per site, typed differently, to try the merge.
        for original in people[:2]:
            twin = Person(
                site=site,
                legal_given_names=original.legal_given_names.upper(),
                legal_family_name=original.legal_family_name.lower(),
                gender=original.gender,
                birth_date=original.birth_date,
                phone=original.phone if maker.random.random() < 0.5 else "",
                email="",
                city=original.city,
                country=original.country,
                nationality=original.nationality,
                region=original.region,
            )
            twin.refresh_derived()
            people.append(twin)
        created = Person.objects.bulk_create(people, batch_size=500)
        for person in created:
            native = NATIVE_LANGUAGE.get(str(person.nationality), "en")
            languages.append((person.pk, native, "native"))
            if native != "fr" and sspec.country == "FR":
                languages.append((person.pk, "fr", maker.random.choice(["A1", "A2", "B1", "B2"])))
            elif sspec.country != "FR":
                languages.append((person.pk, "en", maker.random.choice(["A1", "A2", "B1"])))
        PersonLanguage.objects.bulk_create(
            [PersonLanguage(person_id=p, language=c, level=lv) for p, c, lv in languages],
            batch_size=1000,
        )
        Consent.objects.bulk_create(
            [
                Consent(person=p, purpose=ConsentPurpose.DATA_PROCESSING, given_at=now)
                for p in created
            ],
            batch_size=1000,
        )
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    action=AuditAction.PERSON_CREATED,
                    subject_type="people.person",
                    subject_id=p.pk,
                    note="Loaded by the demo",
                )
                for p in created
            ],
            batch_size=1000,
        )
        total += len(created)
    return total


def _information_sessions(sites: list[Site], maker: PopulationMaker, today: dt.date) -> None:
    """Per site: a past session with its attendance, and an upcoming one filling up."""
    from tremplin.outreach.models import Channel, InformationSession, Registration

    channels = [c.value for c in Channel]
    for site in sites:
        zone = zoneinfo.ZoneInfo(site.timezone)
        for offset, registered, present_share in ((-21, 24, 0.7), (10, 14, 0.0)):
            day = today + dt.timedelta(days=offset)
            start = dt.datetime.combine(day, dt.time(14, 0), tzinfo=zone)
            session = InformationSession.objects.create(
                site=site,
                title=f"Information session — {site.city}",
                starts_at=start,
                ends_at=start + dt.timedelta(hours=2),
                capacity=20,
                place=site.address or site.city,
                language=site.default_language,
                public_key=f"{site.slug[:12]}-{offset + 100}-{maker.random.randint(1000, 9999)}",
            )
            people = list(Person.objects.filter(site=site).order_by("pk")[:registered])
            rows = []
            for index, person in enumerate(people):
                seated = index < session.capacity
                rows.append(
                    Registration(
                        session=session,
                        given_names=person.legal_given_names,
                        family_name=person.legal_family_name,
                        phone=person.phone,
                        email=person.email,
                        channel=maker.random.choice(channels),
                        status="registered" if seated else "waitlisted",
                        person=person,
                        checked_in_at=start
                        if seated and maker.random.random() < present_share
                        else None,
                    )
                )
            Registration.objects.bulk_create(rows)


def demo_load(*, seed: int = 2026, today: dt.date | None = None) -> DemoResult:
    """Load the demo network once; a second call changes nothing."""
    if demo_loaded():
        return DemoResult(logins=demo_logins(), created=False)
    today = today or timezone.localdate()
    maker = PopulationMaker(seed)
    result = DemoResult()
    with transaction.atomic():
        superuser, created = User.objects.get_or_create(
            email="admin@tremplin.demo",
            defaults={
                "first_name": "Tremplin",
                "last_name": "Admin",
                "is_demo_account": True,
                "is_staff": True,
                "is_superuser": True,
            },
        )
        if created:
            superuser.password = _demo_password_hash()
            superuser.save(update_fields=["password"])
        regions = regions_ensure({c for spec in CATALOGUE for c in spec.countries})
        for spec in CATALOGUE:
            organisation = Organisation.objects.create(
                name=spec.name,
                slug=spec.slug,
                website=spec.website,
                description=spec.description,
                applicant_languages=list(spec.applicant_languages),
                default_language=spec.default_language,
            )
            sites = [
                Site.objects.create(
                    organisation=organisation,
                    name=s.name,
                    slug=s.slug,
                    city=s.city,
                    country=s.country,
                    region=regions[s.region_code],
                    timezone=s.timezone,
                    default_language=s.language,
                    address=s.address,
                    postal_code=s.postal_code,
                )
                for s in spec.sites
            ]
            programmes = {
                p.slug: Programme.objects.create(
                    organisation=organisation,
                    title=p.title,
                    slug=p.slug,
                    summary=p.summary,
                    duration_weeks=p.weeks,
                    hours=p.hours,
                    levels=p.levels,
                    min_age=p.min_age,
                    max_age=p.max_age,
                    required_language=p.language,
                    required_language_level=p.language_level,
                    eligibility_notes=p.eligibility,
                    certification=p.certification,
                    target_women_share=p.women,
                    target_priority_share=p.priority,
                    asks_priority_neighbourhood=p.priority is not None or spec.priority_share > 0,
                )
                for p in spec.programmes
            }
            _staff(spec, organisation, sites)
            _runs(spec, programmes, {s.slug: s for s in sites}, today)
            result.people += _people(spec, sites, regions, maker, today)
            _information_sessions(sites, maker, today)
            bank_install_shipped(organisation)
            placement_demo_load(organisation=organisation, seed=seed + len(sites))
            audit_record(actor=None, action=AuditAction.DEMO_LOADED, subject=organisation)
        # Calls for applications: one open now per organisation, and PN's 2018 selection.
        open_calls_load(actor=superuser, today=today, seed=seed)
        past_call_load(actor=superuser, regions=regions, seed=seed + 2018)
        # Training: structures, running and finished cohorts, timetables and attendance.
        for organisation in Organisation.objects.filter(slug__in=DOMAINS).order_by("slug"):
            training_demo_load(organisation=organisation, today=today, seed=seed)
        pn_2018_cohort_load(today=today, seed=seed)
        for organisation in Organisation.objects.filter(slug__in=DOMAINS).order_by("slug"):
            training_results_load(organisation=organisation, seed=seed)
        # Partners: their timeline, referrals, offers, a cohort matched, internships.
        for organisation in Organisation.objects.filter(slug__in=DOMAINS).order_by("slug"):
            partners_demo_load(organisation=organisation, today=today, seed=seed)
        result.people = Person.objects.filter(site__organisation__slug__in=DOMAINS).count()
        result.applications = Application.objects.filter(
            call__site__organisation__slug__in=DOMAINS
        ).count()
    result.logins = demo_logins()
    return result
