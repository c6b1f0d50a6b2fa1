"""The four reference organisations of DESIGN.md §1, as the demo loads them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class SiteSpec:
    slug: str
    name: str
    city: str
    country: str
    region_code: str
    timezone: str
    language: str
    people: int
    address: str = ""
    postal_code: str = ""


@dataclass(frozen=True)
class ProgrammeSpec:
    slug: str
    title: str
    summary: str
    weeks: int
    hours: int | None = None
    levels: list[str] = field(default_factory=list)
    min_age: int | None = None
    max_age: int | None = None
    language: str = ""
    language_level: str = ""
    eligibility: str = ""
    certification: str = ""
    women: Decimal | None = None
    priority: Decimal | None = None
    seats: int = 12
    sites: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrganisationSpec:
    slug: str
    name: str
    website: str
    description: str
    sites: list[SiteSpec]
    programmes: list[ProgrammeSpec]
    age_range: tuple[int, int]
    women_share: float
    migrant_share: float
    priority_share: float
    countries: tuple[str, ...]
    # The languages its applicants are offered, and the default (docs/languages.md).
    applicant_languages: tuple[str, ...] = ("fr", "en", "ar")
    default_language: str = "en"


SIMPLON_MODULES = (
    "1. Building the digital technical environment; 2. Finding information on the web; "
    "3. Managing and using data (spreadsheets); 4. Communicating and collaborating in a "
    "network; 5. Creating text, multimedia and web content; 6. Protecting and securing; "
    "7. Keeping the digital environment operational."
)

CATALOGUE: list[OrganisationSpec] = [
    OrganisationSpec(
        slug="passerelles-numeriques",
        name="Passerelles numériques",
        website="https://www.passerellesnumeriques.org",
        description=(
            "Trains underprivileged youth in IT in Cambodia, Vietnam and the Philippines. "
            "Selection in four steps: information sessions, written exams, motivation "
            "interviews, social investigations at home."
        ),
        countries=("KH", "VN", "PH"),
        age_range=(17, 22),
        women_share=0.52,
        migrant_share=0.0,
        priority_share=0.0,
        sites=[
            SiteSpec(
                "phnom-penh",
                "PN Cambodia — Phnom Penh",
                "Phnom Penh",
                "KH",
                "KH-12",
                "Asia/Phnom_Penh",
                "km",
                150,
                "Street 371, Sangkat Tuol Tumpung",
            ),
            SiteSpec(
                "da-nang",
                "PN Vietnam — Da Nang",
                "Da Nang",
                "VN",
                "VN-DN",
                "Asia/Ho_Chi_Minh",
                "vi",
                120,
                "Nguyễn Văn Linh",
            ),
            SiteSpec(
                "cebu",
                "PN Philippines — Cebu",
                "Cebu City",
                "PH",
                "PH-CEB",
                "Asia/Manila",
                "en",
                120,
                "Salinas Drive, Lahug",
            ),
        ],
        programmes=[
            ProgrammeSpec(
                "sna",
                "System & Network Administration",
                "Two-year Associate's Degree in Cambodia: IT, English and soft skills, with a "
                "mandatory internship of 5 months to a year.",
                weeks=104,
                levels=["Year 1", "Year 2"],
                min_age=17,
                max_age=22,
                certification="PN certificate + Associate's Degree",
                women=Decimal("0.5"),
                seats=60,
                sites=("phnom-penh",),
            ),
            ProgrammeSpec(
                "web",
                "Web Programming",
                "Two-year Associate's Degree in Cambodia: web development, English and soft "
                "skills, with a mandatory internship.",
                weeks=104,
                levels=["Year 1", "Year 2"],
                min_age=17,
                max_age=22,
                certification="PN certificate + Associate's Degree",
                women=Decimal("0.5"),
                seats=60,
                sites=("phnom-penh",),
            ),
            ProgrammeSpec(
                "it-usc",
                "Information Technology with the University of San Carlos",
                "Two and a half years in Cebu with the University of San Carlos, IT + English "
                "+ soft skills, internship included.",
                weeks=130,
                levels=["Year 1", "Year 2", "Year 3"],
                min_age=17,
                max_age=22,
                certification="PN certificate + national degree",
                women=Decimal("0.5"),
                seats=50,
                sites=("cebu",),
            ),
            ProgrammeSpec(
                "sdt",
                "Software Development & Testing",
                "Three years with Danang Vocational Training College, IT + English + soft "
                "skills, internship included.",
                weeks=156,
                levels=["Year 1", "Year 2", "Year 3"],
                min_age=17,
                max_age=22,
                certification="PN certificate + national degree",
                women=Decimal("0.5"),
                seats=50,
                sites=("da-nang",),
            ),
        ],
        applicant_languages=("en", "fr", "km", "vi"),
    ),
    OrganisationSpec(
        slug="plombiers-du-numerique",
        name="Les Plombiers du Numérique",
        website="https://www.lesplombiersdunumerique.org",
        description=(
            "Schools in France training 18–25 year-olds far from employment for the trades "
            "of digital infrastructure: refresher, learning with professionals, internships."
        ),
        countries=("FR",),
        age_range=(18, 25),
        women_share=0.18,
        migrant_share=0.15,
        priority_share=0.47,
        sites=[
            SiteSpec(
                "chelles",
                "Chelles",
                "Chelles",
                "FR",
                "FR-77",
                "Europe/Paris",
                "fr",
                60,
                "Rue Louis Eterlet",
                "77500",
            ),
            SiteSpec(
                "saint-denis",
                "Seine-Saint-Denis — Saint-Denis",
                "Saint-Denis",
                "FR",
                "FR-93",
                "Europe/Paris",
                "fr",
                60,
                "Rue du Landy",
                "93200",
            ),
            SiteSpec(
                "roubaix",
                "Roubaix",
                "Roubaix",
                "FR",
                "FR-59",
                "Europe/Paris",
                "fr",
                60,
                "Boulevard de Fourmies",
                "59100",
            ),
            SiteSpec(
                "grigny",
                "Grigny",
                "Grigny",
                "FR",
                "FR-91",
                "Europe/Paris",
                "fr",
                50,
                "Route de Corbeil",
                "91350",
            ),
            SiteSpec(
                "nanterre",
                "Nanterre",
                "Nanterre",
                "FR",
                "FR-92",
                "Europe/Paris",
                "fr",
                50,
                "Avenue Pablo Picasso",
                "92000",
            ),
        ],
        programmes=[
            ProgrammeSpec(
                "monteur-raccordeur",
                "Fibre-optic installer (monteur-raccordeur)",
                "Refresher (remise à niveau), learning the trade with professionals, and "
                "internships in partner companies deploying telecom networks.",
                weeks=16,
                hours=560,
                min_age=18,
                max_age=25,
                eligibility="Open to people without diplomas; short pre-qualifying course.",
                priority=Decimal("0.465"),
                seats=12,
                sites=("chelles", "saint-denis", "roubaix", "grigny", "nanterre"),
            ),
            ProgrammeSpec(
                "datacenter",
                "Datacenter technician",
                "Refresher, the trade with professionals, internships in datacenters.",
                weeks=20,
                hours=700,
                min_age=18,
                max_age=25,
                priority=Decimal("0.465"),
                seats=12,
                sites=("saint-denis", "nanterre"),
            ),
        ],
    ),
    OrganisationSpec(
        slug="konexio",
        name="Konexio",
        website="https://www.konexio.eu",
        description=(
            "Digital skills for migrants, refugees, youth from priority neighbourhoods and "
            "early school leavers, in Paris and Bordeaux."
        ),
        countries=("FR",),
        age_range=(18, 45),
        women_share=0.52,
        migrant_share=0.7,
        priority_share=0.3,
        sites=[
            SiteSpec(
                "paris",
                "Konexio Paris",
                "Paris",
                "FR",
                "FR-75C",
                "Europe/Paris",
                "fr",
                100,
                "Rue du Faubourg Saint-Denis",
                "75010",
            ),
            SiteSpec(
                "bordeaux",
                "Konexio Bordeaux",
                "Bordeaux",
                "FR",
                "FR-33",
                "Europe/Paris",
                "fr",
                60,
                "Cours de la Marne",
                "33800",
            ),
        ],
        programmes=[
            ProgrammeSpec(
                "digiconnect",
                "DigiConnect",
                "Basic digital skills in person, in three levels of 20 hours. A placement "
                "test places applicants above Beginner.",
                weeks=6,
                hours=60,
                levels=["Beginner", "Intermediate", "Advanced"],
                min_age=18,
                language="fr",
                language_level="A2",
                eligibility="Beginner needs French at A2.",
                certification="PCIE / ICDL",
                women=Decimal("0.5"),
                seats=15,
                sites=("paris", "bordeaux"),
            ),
            ProgrammeSpec(
                "digistart",
                "DigiStart",
                "Nine weeks of HTML, CSS and JavaScript.",
                weeks=9,
                hours=270,
                min_age=18,
                language="fr",
                language_level="B1",
                women=Decimal("0.5"),
                seats=15,
                sites=("paris",),
            ),
            ProgrammeSpec(
                "digitous",
                "DigiTous",
                "A full-stack course, then an apprenticeship in a company.",
                weeks=52,
                min_age=18,
                language="fr",
                language_level="B1",
                women=Decimal("0.5"),
                seats=12,
                sites=("paris",),
            ),
        ],
    ),
    OrganisationSpec(
        slug="simplon",
        name="Simplon",
        website="https://simplon.co",
        description="The NT4EU course in Paris: digital and French classes for migrants.",
        countries=("FR",),
        age_range=(18, 50),
        women_share=0.45,
        migrant_share=1.0,
        priority_share=0.2,
        sites=[
            SiteSpec(
                "paris",
                "Simplon Paris",
                "Paris",
                "FR",
                "FR-75C",
                "Europe/Paris",
                "fr",
                45,
                "Rue de Paris",
                "75020",
            ),
        ],
        programmes=[
            ProgrammeSpec(
                "nt4eu",
                "NT4EU course — basic digital skills",
                "Six weeks, seven modules: " + SIMPLON_MODULES + " Digital classes, French "
                "classes adapted to digital needs, practical projects for local businesses.",
                weeks=6,
                levels=[],
                min_age=18,
                eligibility="One selection day: an interview on administrative situation, "
                "motivation and technical background.",
                certification="Compétences Numériques Fondamentales",
                seats=15,
                sites=("paris",),
            ),
        ],
    ),
]


# --- Calls for applications -----------------------------------------------------------------


@dataclass(frozen=True)
class OpenCallSpec:
    """A call open from the day the demo is loaded, for 60 days, with a few applications."""

    organisation: str
    programme: str
    site: str
    process: str
    prefix: str
    applications: int = 6
    drafts: int = 2


OPEN_CALLS: list[OpenCallSpec] = [
    OpenCallSpec("passerelles-numeriques", "sna", "phnom-penh", "passerelles", "pn"),
    OpenCallSpec("plombiers-du-numerique", "monteur-raccordeur", "chelles", "plombiers", "pdn"),
    OpenCallSpec("konexio", "digiconnect", "paris", "konexio", "konexio"),
    OpenCallSpec("simplon", "nt4eu", "paris", "simplon", "simplon"),
]


@dataclass(frozen=True)
class PastCallSpec:
    """A finished call reproduced at its real size.

    `funnel` gives, per gender, how many applied and how many passed each stage of the
    process in turn, then how many were selected; those who passed every stage and were
    not selected are on the waiting list."""

    organisation: str
    programme: str
    site: str
    process: str
    slug: str
    title: str
    opens_on: date
    closes_on: date
    run_starts_on: date
    run_ends_on: date
    seats: int
    age_range: tuple[int, int]
    funnel: dict[str, tuple[int, ...]]
    regions: dict[str, int]
    channels: dict[str, int]


# Passerelles numériques, Cambodia, 2018 (DESIGN.md §1): 10,452 young people came to the
# information sessions and applied, 669 had a social investigation at home, 118 were
# selected. The written-exam figure (1,500 passed) and the split of the home visits (140
# passed: 118 selected, 22 on the waiting list) are illustrative, as is every split by
# gender, province, age and channel; the selected are 62 women out of 118 (52.5 %).
PN_2018 = PastCallSpec(
    organisation="passerelles-numeriques",
    programme="sna",
    site="phnom-penh",
    process="passerelles",
    slug="pn-kh-2018",
    title="PN Cambodia — selection 2018",
    opens_on=date(2018, 1, 15),
    closes_on=date(2018, 8, 31),
    run_starts_on=date(2018, 10, 1),
    run_ends_on=date(2020, 9, 30),
    seats=118,
    age_range=(17, 22),
    # gender: applied, information session, written exams, interview, home visit, selected
    funnel={
        "female": (4912, 4912, 720, 336, 75, 62),
        "male": (5436, 5436, 772, 330, 64, 56),
        "not_said": (104, 104, 8, 3, 1, 0),
    },
    # ISO 3166-2 code: weight. PN recruits in the poorest rural provinces first.
    regions={
        "KH-3": 12,  # Kampong Cham
        "KH-21": 10,  # Takeo
        "KH-14": 10,  # Prey Veng
        "KH-8": 8,  # Kandal
        "KH-2": 7,  # Battambang
        "KH-17": 7,  # Siem Reap
        "KH-20": 6,  # Svay Rieng
        "KH-5": 5,  # Kampong Speu
        "KH-6": 5,  # Kampong Thom
        "KH-4": 4,  # Kampong Chhnang
        "KH-7": 4,  # Kampot
        "KH-25": 4,  # Tbong Khmum
        "KH-1": 3,  # Banteay Meanchey
        "KH-15": 3,  # Pursat
        "KH-12": 3,  # Phnom Penh
        "KH-13": 2,  # Preah Vihear
        "KH-10": 2,  # Kratie
        "KH-22": 2,  # Oddar Meanchey
        "KH-16": 1,  # Ratanakiri
        "KH-11": 1,  # Mondulkiri
        "KH-19": 1,  # Stung Treng
        "KH-9": 1,  # Koh Kong
        "KH-18": 1,  # Preah Sihanouk
        "KH-24": 1,  # Pailin
        "KH-23": 1,  # Kep
    },
    channels={
        "school": 38,
        "word_of_mouth": 24,
        "partner": 14,
        "social_media": 11,
        "poster": 5,
        "event": 5,
        "website": 3,
    },
)
