"""The demo's partners as data: each reference organisation's partner companies,
universities, funders and referral partners from the reference texts (DESIGN.md §1, issue
14), plus a few invented local ones whose names say they are fictional; the offers they
publish; the running cohort matched to them. demo/partners.py loads them."""

from __future__ import annotations

from dataclasses import dataclass

from tremplin.partners.models import PartnerKind, Partnership, PartnerSize

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

# The running cohort matched to the offers: (site slug, programme slug).
MATCHED = {
    "passerelles-numeriques": ("da-nang", "sdt"),
    "plombiers-du-numerique": ("chelles", "monteur-raccordeur"),
    "konexio": ("paris", "digitous"),
    "simplon": ("paris", "nt4eu"),
}
