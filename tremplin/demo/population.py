"""A reproducible synthetic population: names and phone numbers plausible for each country."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import phonenumbers
from faker import Faker

from tremplin.core.text import fold

KHMER_FAMILY = [
    "Sok",
    "Chan",
    "Kim",
    "Heng",
    "Phan",
    "Chea",
    "Ly",
    "Meas",
    "Keo",
    "Sam",
    "Seng",
    "Vann",
    "Pich",
    "Nhem",
    "Touch",
    "Chhun",
    "Prak",
    "Mao",
    "Long",
    "Ouk",
    "Hem",
    "Srey",
    "Yim",
    "Nou",
]
KHMER_GIVEN = {
    "female": [
        "Sreymom",
        "Sophea",
        "Chanthou",
        "Bopha",
        "Sokha",
        "Sreyleak",
        "Kanha",
        "Raksmey",
        "Malis",
        "Chenda",
        "Thida",
        "Sreynich",
        "Lakhena",
        "Davy",
        "Sokunthea",
        "Pisey",
    ],
    "male": [
        "Visal",
        "Rithy",
        "Sophal",
        "Piseth",
        "Vuthy",
        "Sokun",
        "Vannak",
        "Chamroeun",
        "Kosal",
        "Ratha",
        "Dara",
        "Sovann",
        "Vibol",
        "Borey",
        "Sambath",
        "Makara",
    ],
}
FILIPINO_FAMILY = [
    "Santos",
    "Reyes",
    "Cruz",
    "Bautista",
    "Ocampo",
    "Garcia",
    "Mendoza",
    "Torres",
    "Tomas",
    "Andrada",
    "Castillo",
    "Flores",
    "Villanueva",
    "Ramos",
    "Castro",
    "Rivera",
    "Aquino",
    "Navarro",
    "Salazar",
    "Mercado",
    "Dela Cruz",
    "Gonzales",
    "Lim",
    "Pacquiao",
    "Alcantara",
]
FILIPINO_GIVEN = {
    "female": [
        "Maria",
        "Angelica",
        "Kristine",
        "Joy",
        "Mary Grace",
        "Jasmine",
        "Princess",
        "Camille",
        "Rowena",
        "Lovely",
        "Janelle",
        "Rhea",
        "Cherry Mae",
        "Aiza",
    ],
    "male": [
        "Juan",
        "Mark",
        "John Paul",
        "Jericho",
        "Carlo",
        "Angelo",
        "Joshua",
        "Rommel",
        "Jomar",
        "Christian",
        "Ramil",
        "Jayson",
        "Ronaldo",
        "Kevin",
    ],
}
# Origins of the migrants and refugees the French programmes train: nationality, names.
MIGRANT_ORIGINS: list[tuple[str, list[str], dict[str, list[str]]]] = [
    (
        "AF",
        ["Ahmadi", "Rahimi", "Hosseini", "Karimi", "Noori", "Sultani", "Haidari"],
        {
            "female": ["Zahra", "Fatima", "Maryam", "Shabnam", "Nilofar", "Sima"],
            "male": ["Ahmad", "Mohammad", "Rahim", "Farid", "Jawad", "Naweed"],
        },
    ),
    (
        "SY",
        ["Al-Hassan", "Haddad", "Khalil", "Mansour", "Darwish", "Saleh", "Youssef"],
        {
            "female": ["Rania", "Lina", "Nour", "Hiba", "Amal", "Yasmine"],
            "male": ["Omar", "Khaled", "Mahmoud", "Bilal", "Tarek", "Samer"],
        },
    ),
    (
        "ER",
        ["Tesfaye", "Haile", "Gebremariam", "Tekle", "Berhane", "Kidane"],
        {
            "female": ["Helen", "Senait", "Meron", "Selam", "Luwam"],
            "male": ["Yonas", "Dawit", "Filmon", "Samuel", "Robel"],
        },
    ),
    (
        "CI",
        ["Kouassi", "Koné", "Traoré", "Yao", "Bamba", "Ouattara", "Diabaté"],
        {
            "female": ["Aminata", "Mariam", "Awa", "Adjoua", "Fanta", "Salimata"],
            "male": ["Moussa", "Ibrahim", "Yao", "Seydou", "Koffi", "Abdoulaye"],
        },
    ),
    (
        "UA",
        ["Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Melnyk", "Kravchenko"],
        {
            "female": ["Olena", "Iryna", "Oksana", "Kateryna", "Yuliia", "Sofiia"],
            "male": ["Oleksandr", "Andrii", "Dmytro", "Serhii", "Mykola", "Taras"],
        },
    ),
    (
        "GN",
        ["Diallo", "Barry", "Bah", "Camara", "Sow", "Condé", "Soumah"],
        {
            "female": ["Mariama", "Kadiatou", "Hawa", "Fatoumata", "Aïssatou"],
            "male": ["Mamadou", "Alpha", "Ousmane", "Thierno", "Sekou"],
        },
    ),
    (
        "BD",
        ["Rahman", "Hossain", "Islam", "Ahmed", "Chowdhury", "Akter"],
        {
            "female": ["Nusrat", "Sharmin", "Taslima", "Farzana", "Rumana"],
            "male": ["Rafiq", "Shahid", "Tanvir", "Sabbir", "Arif"],
        },
    ),
]
FAKER_LOCALES = {"VN": "vi_VN", "FR": "fr_FR", "PH": "en_PH", "KH": "en_US"}


@dataclass(frozen=True)
class SyntheticPerson:
    given: str
    family: str
    gender: str
    birth_date: dt.date
    phone: str
    email: str
    nationality: str
    city: str
    address: str
    postal_code: str


class PopulationMaker:
    """Makes people deterministically from a seed."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.fakers: dict[str, Faker] = {}
        self.seed = seed

    def faker(self, country: str) -> Faker:
        if country not in self.fakers:
            fake = Faker(FAKER_LOCALES.get(country, "en_US"))
            fake.seed_instance(self.seed + len(self.fakers))
            self.fakers[country] = fake
        return self.fakers[country]

    def phone(self, country: str) -> str:
        example = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.MOBILE)
        assert example is not None
        national = str(example.national_number)
        for _attempt in range(200):
            tail = "".join(str(self.random.randint(0, 9)) for _ in range(6))
            candidate = phonenumbers.PhoneNumber(
                country_code=example.country_code,
                national_number=int(national[:-6] + tail),
            )
            if phonenumbers.is_valid_number(candidate):
                return phonenumbers.format_number(candidate, phonenumbers.PhoneNumberFormat.E164)
        return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)

    def names(self, country: str, gender: str, *, migrant: bool) -> tuple[str, str, str]:
        """(given, family, nationality)"""
        sex = gender if gender in {"female", "male"} else self.random.choice(["female", "male"])
        if migrant:
            nationality, families, givens = self.random.choice(MIGRANT_ORIGINS)
            return self.random.choice(givens[sex]), self.random.choice(families), nationality
        if country == "KH":
            return self.random.choice(KHMER_GIVEN[sex]), self.random.choice(KHMER_FAMILY), "KH"
        if country == "PH":
            return (
                self.random.choice(FILIPINO_GIVEN[sex]),
                self.random.choice(FILIPINO_FAMILY),
                "PH",
            )
        fake = self.faker(country)
        given = fake.first_name_female() if sex == "female" else fake.first_name_male()
        return given, fake.last_name(), country

    def person(
        self,
        *,
        country: str,
        city: str,
        age_range: tuple[int, int],
        women_share: float,
        migrant_share: float,
        reference: dt.date,
    ) -> SyntheticPerson:
        roll = self.random.random()
        if roll < women_share:
            gender = "female"
        elif roll < 0.98:
            gender = "male"
        else:
            gender = self.random.choice(["another", "not_said"])
        migrant = self.random.random() < migrant_share
        given, family, nationality = self.names(country, gender, migrant=migrant)
        age_days = self.random.randint(age_range[0] * 365, age_range[1] * 365 + 364)
        birth_date = reference - dt.timedelta(days=age_days)
        fake = self.faker(country)
        local = "".join(
            c for c in fold(f"{given}.{family}") if c.isascii() and (c.isalnum() or c == ".")
        )
        email = f"{local}{self.random.randint(1, 999)}@example.org"
        return SyntheticPerson(
            given=given,
            family=family,
            gender=gender,
            birth_date=birth_date,
            phone=self.phone(country),
            email=email if self.random.random() < 0.8 else "",
            nationality=nationality,
            city=city,
            address=fake.street_address().replace("\n", ", ")[:300],
            postal_code=fake.postcode() if country == "FR" else "",
        )
