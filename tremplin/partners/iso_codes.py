"""Countries (ISO 3166-1) and currencies (ISO 4217) from pycountry, for partners, their sites
and donations. Country names are shown in the reader's language (django-countries)."""

from __future__ import annotations

from functools import lru_cache

import pycountry
from django_countries import countries


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


@lru_cache(maxsize=1)
def currency_names() -> dict[str, str]:
    return {c.alpha_3: c.name for c in pycountry.currencies}


def country_choices() -> list[tuple[str, str]]:
    """Every country, named in the active language, in its alphabetical order."""
    codes = country_codes()
    named = [(code, str(countries.name(code) or code)) for code in codes]
    return sorted(named, key=lambda item: item[1])


def currency_choices() -> list[tuple[str, str]]:
    """Every currency by its code: "EUR — Euro"."""
    return [(code, f"{code} — {name}") for code, name in sorted(currency_names().items())]


def is_currency(code: str) -> bool:
    return code in currency_names()


def is_country(code: str) -> bool:
    return code in country_codes()
