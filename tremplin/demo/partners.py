"""The demo's partners (issue 14): each reference organisation's partner companies,
universities, funders and referral partners from the reference texts (plus a few invented
local ones, clearly fictional), their sites, contacts and timeline; referrals of
applicants; open offers; and a running cohort per organisation matched to the offers by
the real optimiser, with the learners' wishes and some matches confirmed. The internships
themselves are in demo/partners_internships.py.

Rows are made with bulk_create (the demo loads in the test suite); ``Partner.save`` is not
called, so the duplicate keys are set here."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from tremplin.core.models import User
from tremplin.demo.partners_internships import internships_load, internships_remove
from tremplin.network.models import Organisation, Region, Role, RoleAssignment
from tremplin.partners.duplicates import partner_name_key, registration_key
from tremplin.partners.models import (
    Interaction,
    InteractionKind,
    Match,
    MatchingRun,
    MatchStatus,
    Offer,
    OfferCompetence,
    OfferInterest,
    OfferKind,
    OfferLanguage,
    OfferStatus,
    Partner,
    PartnerContact,
    PartnerKind,
    PartnerLink,
    Partnership,
    PartnerSite,
    PartnerSize,
    PayPeriod,
    Referral,
)
from tremplin.partners.services.matching import match_confirm, matching_run
from tremplin.placement.models import Competence
from tremplin.selection.models import Application
from tremplin.training.models import Cohort

P = Partnership
HOSTS, HIRES, FUNDS, LENDS, CO, PROJECTS, REFERS = (
    P.HOSTS_INTERNS,
    P.HIRES,
    P.FUNDS,
    P.LENDS_VOLUNTEERS,
    P.CO_DELIVERS,
    P.COMMISSIONS_PROJECTS,
    P.REFERS,
)


@dataclass(frozen=True)
class PartnerSpec:
    name: str
    kind: str
    sector: str
    size: str
    partnerships: tuple[str, ...]
    country: str
    # (site name, city, country); contacts (name, job title, language, tutor?)
    sites: tuple[tuple[str, str, str], ...]
    contacts: tuple[tuple[str, str, str, bool], ...]
    registration: str = ""
    website: str = ""
    # A funder's donations: (amount, currency).
    donation: tuple[int, str] | None = None


def _company(
    name: str,
    sector: str,
    partnerships: tuple[str, ...],
    sites: tuple[tuple[str, str, str], ...],
    contacts: tuple[tuple[str, str, str, bool], ...],
    *,
    size: str = PartnerSize.LARGE,
    kind: str = PartnerKind.COMPANY,
    registration: str = "",
    website: str = "",
    donation: tuple[int, str] | None = None,
) -> PartnerSpec:
    return PartnerSpec(
        name,
        kind,
        sector,
        size,
        partnerships,
        sites[0][2],
        sites,
        contacts,
        registration,
        website,
        donation,
    )


PARTNERS: dict[str, list[PartnerSpec]] = {
    "passerelles-numeriques": [
        _company(
            "Cisco",
            "Networking equipment",
            (HOSTS, HIRES, FUNDS),
            (("Cisco Phnom Penh", "Phnom Penh", "KH"), ("Cisco Cebu", "Cebu City", "PH")),
            (
                ("Sokha Chhun", "Partnership manager", "en", False),
                ("Dara Keo", "Network engineer", "km", True),
            ),
            website="https://www.cisco.com",
            donation=(25000, "USD"),
        ),
        _company(
            "Accenture",
            "IT services",
            (HOSTS, HIRES, FUNDS),
            (("Accenture Cebu", "Cebu City", "PH"), ("Accenture Manila", "Taguig", "PH")),
            (
                ("Maria Santos", "Campus recruiter", "en", False),
                ("Jose Reyes", "Delivery lead", "en", True),
                ("Ana Cruz", "Software engineer", "en", True),
            ),
            website="https://www.accenture.com",
            donation=(1500000, "PHP"),
        ),
        _company(
            "Avanade",
            "IT services",
            (HOSTS, HIRES),
            (("Avanade Cebu", "Cebu City", "PH"),),
            (("Mark Villanueva", "Team lead", "en", True),),
            website="https://www.avanade.com",
        ),
        _company(
            "Econocom",
            "Digital services",
            (HOSTS, FUNDS),
            (("Econocom Phnom Penh", "Phnom Penh", "KH"),),
            (("Chantha Lim", "Office manager", "km", True),),
            website="https://www.econocom.com",
            donation=(10000, "EUR"),
        ),
        _company(
            "Palo IT",
            "Software development",
            (HOSTS, HIRES, LENDS),
            (("Palo IT Da Nang", "Da Nang", "VN"),),
            (
                ("Nguyen Thi Lan", "HR partner", "vi", False),
                ("Tran Van Minh", "Tech lead", "vi", True),
            ),
            size=PartnerSize.MEDIUM,
            website="https://www.palo-it.com",
        ),
        _company(
            "Synacy",
            "Software development",
            (HOSTS, HIRES),
            (("Synacy Cebu", "Cebu City", "PH"),),
            (
                ("Carlo Dela Cruz", "Engineering manager", "en", True),
                ("Grace Tan", "QA lead", "en", True),
            ),
            size=PartnerSize.MEDIUM,
            website="https://www.synacy.com",
        ),
        _company(
            "Web Essentials",
            "Web development",
            (HOSTS, HIRES),
            (("Web Essentials Phnom Penh", "Phnom Penh", "KH"),),
            (("Vuthy Sok", "Project manager", "km", True),),
            size=PartnerSize.SMALL,
            website="https://www.web-essentials.asia",
        ),
        _company(
            "University of San Carlos",
            "Higher education",
            (CO,),
            (("Talamban campus", "Cebu City", "PH"),),
            (("Dr. Teresa Gomez", "Dean, School of Engineering", "en", False),),
            kind=PartnerKind.UNIVERSITY,
            website="https://www.usc.edu.ph",
        ),
        _company(
            "Danang Vocational Training College",
            "Vocational training",
            (CO,),
            (("Main campus", "Da Nang", "VN"),),
            (("Le Thi Hoa", "Head of IT department", "vi", False),),
            kind=PartnerKind.UNIVERSITY,
        ),
        _company(
            "Mekong Code Studio (fictional)",
            "Software development",
            (HOSTS,),
            (("Mekong Code Studio", "Phnom Penh", "KH"),),
            (("Sophea Meas", "Founder", "km", True),),
            size=PartnerSize.MICRO,
        ),
        _company(
            "Han River Testing Lab (fictional)",
            "Software testing",
            (HOSTS, HIRES),
            (("Han River Testing Lab", "Da Nang", "VN"),),
            (("Pham Quoc Bao", "Test manager", "vi", True),),
            size=PartnerSize.SMALL,
        ),
    ],
    "plombiers-du-numerique": [
        _company(
            "Fibre Est Raccordement (fictive)",
            "Déploiement de fibre optique",
            (HOSTS, HIRES),
            (("Agence de Chelles", "Chelles", "FR"), ("Dépôt de Meaux", "Meaux", "FR")),
            (
                ("Karim Benali", "Chef d'équipe", "fr", True),
                ("Sophie Marchand", "Responsable RH", "fr", False),
            ),
            size=PartnerSize.MEDIUM,
            registration="812 345 678 00014",
        ),
        _company(
            "Nord Fibre Réseaux (fictive)",
            "Réseaux de télécommunications",
            (HOSTS, HIRES),
            (("Agence de Roubaix", "Roubaix", "FR"),),
            (("Julien Lefebvre", "Conducteur de travaux", "fr", True),),
            size=PartnerSize.MEDIUM,
            registration="823 456 789 00021",
        ),
        _company(
            "Essonne Télécom Déploiement (fictive)",
            "Réseaux de télécommunications",
            (HOSTS,),
            (("Agence de Grigny", "Grigny", "FR"),),
            (("Fatou Diallo", "Technicienne référente", "fr", True),),
            size=PartnerSize.SMALL,
        ),
        _company(
            "Datacentre Seine Ouest (fictif)",
            "Centres de données",
            (HOSTS, HIRES),
            (("Site de Nanterre", "Nanterre", "FR"),),
            (
                ("Thomas Girard", "Responsable d'exploitation", "fr", True),
                ("Amina Haddad", "Technicienne datacenter", "fr", True),
            ),
            size=PartnerSize.LARGE,
            registration="834 567 890 00038",
        ),
        _company(
            "Raccord 93 (fictive)",
            "Raccordement fibre",
            (HOSTS,),
            (("Atelier de Saint-Denis", "Saint-Denis", "FR"),),
            (("Mehdi Ait Ali", "Gérant", "fr", True),),
            size=PartnerSize.SMALL,
        ),
        _company(
            "Fondation Réseaux Solidaires (fictive)",
            "Fondation d'entreprise",
            (FUNDS,),
            (("Siège", "Paris", "FR"),),
            (("Claire Dubois", "Chargée de mission", "fr", False),),
            kind=PartnerKind.FUNDER,
            size=PartnerSize.SMALL,
            donation=(40000, "EUR"),
        ),
    ],
    "konexio": [
        _company(
            "Numérique Solidaire Conseil (fictif)",
            "Conseil en informatique",
            (LENDS, HOSTS, HIRES),
            (("Bureau de Paris", "Paris", "FR"),),
            (
                ("Hélène Rousseau", "Responsable mécénat de compétences", "fr", False),
                ("Antoine Petit", "Développeur", "fr", True),
            ),
            registration="845 678 901 00045",
        ),
        _company(
            "Banque Horizon (fictive)",
            "Banque",
            (LENDS, FUNDS),
            (("Siège", "Paris", "FR"), ("Agence de Bordeaux", "Bordeaux", "FR")),
            (("Nathalie Moreau", "Responsable RSE", "fr", False),),
            donation=(30000, "EUR"),
        ),
        _company(
            "WebAtelier Paris (fictif)",
            "Agence web",
            (HOSTS, HIRES),
            (("Atelier", "Paris", "FR"),),
            (("Lucas Bernard", "CTO, maître d'apprentissage", "fr", True),),
            size=PartnerSize.SMALL,
        ),
        _company(
            "Garonne Digital (fictive)",
            "Services numériques",
            (HOSTS,),
            (("Bureaux", "Bordeaux", "FR"),),
            (("Camille Laurent", "Cheffe de projet", "fr", True),),
            size=PartnerSize.SMALL,
        ),
        _company(
            "Association Accueil Exilés Paris (fictive)",
            "Accompagnement des réfugiés",
            (REFERS,),
            (("Permanence", "Paris", "FR"),),
            (("Yasmine Cherif", "Travailleuse sociale", "fr", False),),
            kind=PartnerKind.NGO,
            size=PartnerSize.SMALL,
        ),
        _company(
            "France Travail",
            "Service public de l'emploi",
            (REFERS,),
            (("Agence Paris 19e", "Paris", "FR"),),
            (("Marc Fontaine", "Conseiller emploi", "fr", False),),
            kind=PartnerKind.PUBLIC_BODY,
            website="https://www.francetravail.fr",
        ),
    ],
    "simplon": [
        _company(
            "Boulangerie du Canal (fictive)",
            "Commerce de proximité",
            (PROJECTS,),
            (("Boutique", "Paris", "FR"),),
            (("Pierre Lemaire", "Gérant", "fr", True),),
            size=PartnerSize.MICRO,
        ),
        _company(
            "Librairie Les Mots Passants (fictive)",
            "Librairie",
            (PROJECTS, HOSTS),
            (("Librairie", "Paris", "FR"),),
            (("Isabelle Garnier", "Libraire", "fr", True),),
            size=PartnerSize.MICRO,
        ),
        _company(
            "Régie de quartier Belleville (fictive)",
            "Économie sociale et solidaire",
            (PROJECTS, HOSTS, HIRES),
            (("Local", "Paris", "FR"),),
            (
                ("Samir Kaci", "Coordinateur", "fr", True),
                ("Léa Martin", "Assistante administrative", "fr", True),
            ),
            kind=PartnerKind.NGO,
            size=PartnerSize.SMALL,
        ),
        _company(
            "Atelier Vélo Solidaire (fictif)",
            "Réparation de vélos",
            (PROJECTS, HOSTS),
            (("Atelier", "Paris", "FR"),),
            (("Nicolas Roux", "Responsable", "fr", True),),
            size=PartnerSize.MICRO,
        ),
        _company(
            "Association Refuge Solidarité (fictive)",
            "Accompagnement des réfugiés",
            (REFERS,),
            (("Accueil de jour", "Paris", "FR"),),
            (("Aïcha Traoré", "Accompagnatrice", "fr", False),),
            kind=PartnerKind.NGO,
            size=PartnerSize.SMALL,
        ),
        _company(
            "Mission locale de Paris",
            "Insertion des jeunes",
            (REFERS,),
            (("Antenne Paris Nord-Est", "Paris", "FR"),),
            (("Julie Perrin", "Conseillère", "fr", False),),
            kind=PartnerKind.PUBLIC_BODY,
        ),
        _company(
            "France Travail",
            "Service public de l'emploi",
            (REFERS,),
            (("Agence Paris 20e", "Paris", "FR"),),
            (("Olivier Henry", "Conseiller emploi", "fr", False),),
            kind=PartnerKind.PUBLIC_BODY,
            website="https://www.francetravail.fr",
        ),
    ],
}

# Open offers per organisation: (partner, kind, title, our site slug or "", places, weeks,
# hours, pay, allowance, currency, period, competences [(DigComp code, level)],
# languages [(code, level)]).
OfferSpec = tuple[
    str,
    str,
    str,
    str,
    int,
    int,
    int,
    int | None,
    int | None,
    str,
    str,
    tuple[tuple[str, int], ...],
    tuple[tuple[str, str], ...],
]
INTERN, APPRENTICE, JOB = OfferKind.INTERNSHIP, OfferKind.APPRENTICESHIP, OfferKind.JOB
M, H = PayPeriod.MONTH, PayPeriod.HOUR
OFFERS: dict[str, list[OfferSpec]] = {
    "passerelles-numeriques": [
        (
            "Palo IT",
            INTERN,
            "Junior tester intern",
            "da-nang",
            6,
            24,
            40,
            None,
            3000000,
            "VND",
            M,
            (("3.4", 3), ("5.1", 3)),
            (("en", "B1"),),
        ),
        (
            "Han River Testing Lab (fictional)",
            INTERN,
            "Software testing intern",
            "da-nang",
            8,
            24,
            40,
            None,
            2500000,
            "VND",
            M,
            (("3.4", 2), ("1.3", 3)),
            (("en", "A2"),),
        ),
        (
            "Palo IT",
            JOB,
            "Junior developer",
            "da-nang",
            2,
            52,
            40,
            9000000,
            None,
            "VND",
            M,
            (("3.4", 4),),
            (("en", "B2"),),
        ),
        (
            "Cisco",
            INTERN,
            "Network support intern",
            "phnom-penh",
            4,
            26,
            40,
            None,
            150,
            "USD",
            M,
            (("5.1", 4), ("4.1", 3)),
            (("en", "B1"),),
        ),
        (
            "Web Essentials",
            INTERN,
            "Web developer intern",
            "phnom-penh",
            3,
            26,
            40,
            None,
            600000,
            "KHR",
            M,
            (("3.1", 3), ("3.4", 3)),
            (("en", "A2"),),
        ),
        (
            "Mekong Code Studio (fictional)",
            INTERN,
            "Front-end intern",
            "phnom-penh",
            2,
            20,
            35,
            None,
            120,
            "USD",
            M,
            (("3.1", 3),),
            (("km", "B2"),),
        ),
        (
            "Synacy",
            INTERN,
            "QA intern",
            "cebu",
            4,
            26,
            40,
            None,
            8000,
            "PHP",
            M,
            (("3.4", 3), ("5.1", 3)),
            (("en", "B2"),),
        ),
        (
            "Accenture",
            JOB,
            "Associate software engineer",
            "cebu",
            5,
            52,
            40,
            25000,
            None,
            "PHP",
            M,
            (("3.4", 4), ("2.4", 3)),
            (("en", "B2"),),
        ),
    ],
    "plombiers-du-numerique": [
        (
            "Fibre Est Raccordement (fictive)",
            INTERN,
            "Stage monteur-raccordeur FTTH",
            "chelles",
            4,
            8,
            35,
            None,
            650,
            "EUR",
            M,
            (("5.1", 3),),
            (("fr", "A2"),),
        ),
        (
            "Fibre Est Raccordement (fictive)",
            JOB,
            "Monteur-raccordeur en CDI",
            "chelles",
            2,
            52,
            35,
            1900,
            None,
            "EUR",
            M,
            (("5.1", 4),),
            (("fr", "B1"),),
        ),
        (
            "Essonne Télécom Déploiement (fictive)",
            INTERN,
            "Stage technicien fibre",
            "",
            3,
            8,
            35,
            None,
            650,
            "EUR",
            M,
            (("5.1", 3), ("2.1", 2)),
            (("fr", "A2"),),
        ),
        (
            "Nord Fibre Réseaux (fictive)",
            APPRENTICE,
            "Alternance technicien réseaux",
            "roubaix",
            2,
            52,
            35,
            1100,
            None,
            "EUR",
            M,
            (("5.1", 3),),
            (("fr", "B1"),),
        ),
        (
            "Raccord 93 (fictive)",
            INTERN,
            "Stage raccordement abonnés",
            "chelles",
            3,
            6,
            35,
            None,
            650,
            "EUR",
            M,
            (("5.1", 2),),
            (("fr", "A2"),),
        ),
    ],
    "konexio": [
        (
            "WebAtelier Paris (fictif)",
            APPRENTICE,
            "Apprenti développeur web",
            "paris",
            3,
            52,
            35,
            1100,
            None,
            "EUR",
            M,
            (("3.1", 3), ("3.4", 3)),
            (("fr", "B1"),),
        ),
        (
            "Numérique Solidaire Conseil (fictif)",
            APPRENTICE,
            "Apprenti développeur full-stack",
            "paris",
            4,
            52,
            35,
            1200,
            None,
            "EUR",
            M,
            (("3.4", 4), ("2.4", 3)),
            (("fr", "B1"),),
        ),
        (
            "Garonne Digital (fictive)",
            INTERN,
            "Stage assistant web",
            "bordeaux",
            2,
            10,
            35,
            None,
            650,
            "EUR",
            M,
            (("3.1", 2),),
            (("fr", "A2"),),
        ),
        (
            "WebAtelier Paris (fictif)",
            JOB,
            "Intégrateur web junior",
            "",
            1,
            52,
            35,
            2000,
            None,
            "EUR",
            M,
            (("3.1", 4),),
            (("fr", "B2"),),
        ),
    ],
    "simplon": [
        (
            "Régie de quartier Belleville (fictive)",
            INTERN,
            "Stage assistant numérique",
            "paris",
            4,
            8,
            35,
            None,
            650,
            "EUR",
            M,
            (("1.1", 3), ("2.1", 3)),
            (("fr", "A2"),),
        ),
        (
            "Librairie Les Mots Passants (fictive)",
            INTERN,
            "Stage site web et réseaux sociaux",
            "paris",
            2,
            8,
            30,
            None,
            650,
            "EUR",
            M,
            (("3.1", 3),),
            (("fr", "B1"),),
        ),
        (
            "Atelier Vélo Solidaire (fictif)",
            INTERN,
            "Stage gestion des stocks (tableur)",
            "paris",
            2,
            6,
            30,
            None,
            None,
            "",
            M,
            (("1.3", 3),),
            (("fr", "A2"),),
        ),
        (
            "Régie de quartier Belleville (fictive)",
            JOB,
            "Médiateur numérique (CDD)",
            "paris",
            2,
            26,
            35,
            1850,
            None,
            "EUR",
            M,
            (("2.1", 4), ("4.2", 3)),
            (("fr", "B1"),),
        ),
    ],
}

# The running cohort matched to the offers: (site slug, programme slug).
MATCHED = {
    "passerelles-numeriques": ("da-nang", "sdt"),
    "plombiers-du-numerique": ("chelles", "monteur-raccordeur"),
    "konexio": ("paris", "digitous"),
    "simplon": ("paris", "nt4eu"),
}


def _admin(organisation: Organisation) -> User:
    assignment = (
        RoleAssignment.objects.filter(organisation=organisation, role=Role.NETWORK_ADMIN)
        .select_related("user")
        .first()
    )
    assert assignment is not None  # the demo gives every organisation its admin
    return assignment.user


def _regions(organisation: Organisation) -> tuple[dict[str, Region], dict[str, Region]]:
    """Regions of the organisation's sites, by city and by country (for partner sites)."""
    by_city: dict[str, Region] = {}
    by_country: dict[str, Region] = {}
    for site in organisation.sites.select_related("region").order_by("pk"):
        if site.region is not None:
            by_city.setdefault(site.city, site.region)
            by_country.setdefault(str(site.country), site.region)
    return by_city, by_country


def partners_make(
    organisation: Organisation, *, admin: User, today: dt.date, rng: random.Random
) -> dict[str, Partner]:
    specs = PARTNERS[organisation.slug]
    partners = Partner.objects.bulk_create(
        [
            Partner(
                organisation=organisation,
                name=s.name,
                name_key=partner_name_key(s.name),
                registration_number=s.registration,
                registration_key=registration_key(s.registration),
                kind=s.kind,
                sector=s.sector,
                size=s.size,
                partnerships=list(s.partnerships),
                website=s.website,
                country=s.country,
                created_by=admin,
            )
            for s in specs
        ]
    )
    by_city, by_country = _regions(organisation)
    sites = PartnerSite.objects.bulk_create(
        [
            PartnerSite(
                partner=partner,
                name=name,
                city=city,
                country=country,
                region=by_city.get(city) or by_country.get(country),
            )
            for partner, spec in zip(partners, specs, strict=True)
            for name, city, country in spec.sites
        ]
    )
    first_site: dict[int, PartnerSite] = {}
    for site in sites:
        first_site.setdefault(site.partner_id, site)
    contacts = []
    for partner, spec in zip(partners, specs, strict=True):
        for number, (name, title, language, tutor) in enumerate(spec.contacts):
            local = partner_name_key(name).replace(" ", ".")[:30] or f"contact{number}"
            contacts.append(
                PartnerContact(
                    partner=partner,
                    site=first_site[partner.pk],
                    name=name,
                    job_title=title,
                    email=f"{local}@{partner_name_key(spec.name).replace(' ', '-')[:20]}.example",
                    phone="",
                    language=language,
                    is_tutor=tutor,
                )
            )
    contact_rows = PartnerContact.objects.bulk_create(contacts)
    first_contact = {}
    for contact in contact_rows:
        first_contact.setdefault(contact.partner_id, contact)
    our_site = organisation.sites.order_by("pk").first()
    interactions = []
    for partner, spec in zip(partners, specs, strict=True):
        contact = first_contact.get(partner.pk)
        start = today - dt.timedelta(days=rng.randint(300, 700))
        timeline = [
            (InteractionKind.MEETING, start, f"First meeting with {spec.name}.", None),
            (
                InteractionKind.AGREEMENT_SIGNED,
                start + dt.timedelta(days=rng.randint(20, 60)),
                "Partnership agreement signed for the coming years.",
                None,
            ),
            (
                InteractionKind.CALL,
                today - dt.timedelta(days=rng.randint(10, 90)),
                "Call about next season's needs.",
                None,
            ),
        ]
        if partner.kind == PartnerKind.COMPANY and HOSTS in spec.partnerships:
            timeline.append(
                (
                    InteractionKind.VISIT,
                    today - dt.timedelta(days=rng.randint(5, 60)),
                    "Visit of the workplace with the job coach.",
                    None,
                )
            )
        if spec.donation is not None:
            amount = spec.donation[0]
            pledged = start + dt.timedelta(days=90)
            timeline += [
                (InteractionKind.DONATION_PLEDGED, pledged, "Yearly grant pledged.", amount),
                (
                    InteractionKind.DONATION_RECEIVED,
                    pledged + dt.timedelta(days=45),
                    "First instalment received.",
                    amount // 2,
                ),
            ]
        for kind, day, summary, amount in timeline:
            interactions.append(
                Interaction(
                    partner=partner,
                    site=our_site,
                    contact=contact,
                    kind=kind,
                    happened_on=min(day, today),
                    summary=summary,
                    amount=Decimal(amount) if amount is not None else None,
                    currency=spec.donation[1] if amount is not None and spec.donation else "",
                    recorded_by=admin,
                )
            )
    Interaction.objects.bulk_create(interactions)
    return {p.name: p for p in partners}


def referrals_make(organisation: Organisation, partners: dict[str, Partner], *, admin: User) -> int:
    """Some applications to the organisation's open call came through its referral
    partners, each with the person's consent; about half agreed to share their status."""
    referrers = [p for p in partners.values() if REFERS in p.partnerships]
    if not referrers:
        return 0
    applications = list(
        Application.objects.filter(
            call__site__organisation=organisation, call__published=True, person__isnull=False
        )
        .select_related("person")
        .order_by("pk")
    )
    now = timezone.now()
    rows = []
    for number, application in enumerate(applications):
        if number % 3 == 2:
            continue  # the others came on their own
        person = application.person
        assert person is not None
        partner = referrers[number % len(referrers)]
        rows.append(
            Referral(
                partner=partner,
                call_id=application.call_id,
                application=application,
                person=person,
                given_names=person.legal_given_names,
                family_name=person.legal_family_name,
                email=person.email,
                phone=str(person.phone),
                language=application.language,
                referred_by=partner.name,
                note="Motivated, wants to work in digital.",
                consent_at=now - dt.timedelta(days=30 - number),
                shares_status=number % 2 == 0,
                created_by=admin,
            )
        )
    Referral.objects.bulk_create(rows)
    return len(rows)


def _competences() -> dict[str, Competence]:
    return {
        c.code: c
        for c in Competence.objects.filter(
            framework__code="digcomp-2.2", framework__organisation__isnull=True
        )
    }


def offers_make(
    organisation: Organisation, partners: dict[str, Partner], *, admin: User, today: dt.date
) -> list[Offer]:
    sites = {s.slug: s for s in organisation.sites.all()}
    partner_sites: dict[int, PartnerSite] = {}
    for partner_site in PartnerSite.objects.filter(partner__organisation=organisation).order_by(
        "pk"
    ):
        partner_sites.setdefault(partner_site.partner_id, partner_site)
    specs = OFFERS[organisation.slug]
    offers = []
    for spec in specs:
        name, kind, title, site_slug, places, weeks, hours, pay, allowance = spec[:9]
        currency, period = spec[9], spec[10]
        partner = partners[name]
        where = partner_sites[partner.pk]
        starts_on = today + dt.timedelta(days=60)
        offers.append(
            Offer(
                partner=partner,
                partner_site=where,
                site=sites[site_slug] if site_slug else None,
                kind=kind,
                title=title,
                description=f"{title} at {partner.name}.",
                starts_on=starts_on,
                ends_on=starts_on + dt.timedelta(weeks=weeks),
                hours_per_week=Decimal(hours),
                pay_amount=Decimal(pay) if pay is not None else None,
                allowance_amount=Decimal(allowance) if allowance is not None else None,
                currency=currency,
                pay_period=period,
                places=places,
                region=where.region,
                city=where.city,
                status=OfferStatus.OPEN,
                closes_on=today + dt.timedelta(days=30),
                created_by=admin,
            )
        )
    offers = Offer.objects.bulk_create(offers)
    competences = _competences()
    OfferCompetence.objects.bulk_create(
        OfferCompetence(offer=offer, competence=competences[code], level=level)
        for offer, spec in zip(offers, specs, strict=True)
        for code, level in spec[11]
        if code in competences
    )
    OfferLanguage.objects.bulk_create(
        OfferLanguage(offer=offer, language=language, level=level)
        for offer, spec in zip(offers, specs, strict=True)
        for language, level in spec[12]
    )
    return offers


def matched_cohort_load(
    organisation: Organisation, offers: list[Offer], *, admin: User, rng: random.Random
) -> Cohort | None:
    """The learners' wishes, one run of the optimiser, and about half the proposals
    confirmed by staff."""
    site_slug, programme_slug = MATCHED[organisation.slug]
    cohort = (
        Cohort.objects.filter(
            run__site__organisation=organisation,
            run__site__slug=site_slug,
            run__programme__slug=programme_slug,
            run__status="running",
        )
        .order_by("pk")
        .first()
    )
    if cohort is None:
        return None
    for_site = [o for o in offers if o.site_id in (None, cohort.run.site_id)]
    interests = []
    for enrolment_id in cohort.enrolments.filter(status="active").values_list("pk", flat=True):
        for rank, offer in enumerate(rng.sample(for_site, k=min(2, len(for_site))), start=1):
            interests.append(OfferInterest(offer=offer, enrolment_id=enrolment_id, rank=rank))
    OfferInterest.objects.bulk_create(interests)
    matching_run(actor=admin, cohort=cohort)
    proposed = list(
        Match.objects.filter(enrolment__cohort=cohort, status=MatchStatus.PROPOSED).order_by("pk")
    )
    for match in proposed[::2]:
        match_confirm(actor=admin, match=match)
    return cohort


def partners_demo_load(*, organisation: Organisation, today: dt.date, seed: int) -> None:
    rng = random.Random(f"{seed}-{organisation.slug}")
    admin = _admin(organisation)
    partners = partners_make(organisation, admin=admin, today=today, rng=rng)
    referrals_make(organisation, partners, admin=admin)
    offers = offers_make(organisation, partners, admin=admin, today=today)
    matched_cohort_load(organisation, offers, admin=admin, rng=rng)
    internships_load(organisation, partners, admin=admin, today=today, rng=rng)


def partners_remove(organisations: QuerySet[Organisation]) -> None:
    """The demo's partners and all that hangs on them, before the training records, calls
    and sites they point at."""
    partners = Partner.objects.filter(organisation__in=organisations)
    internships_remove(partners)
    Match.objects.filter(offer__partner__in=partners).delete()
    MatchingRun.objects.filter(cohort__run__site__organisation__in=organisations).delete()
    Offer.objects.filter(partner__in=partners).delete()
    Referral.objects.filter(partner__in=partners).delete()
    PartnerLink.objects.filter(partner__in=partners).delete()
    partners.delete()
