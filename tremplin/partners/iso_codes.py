"""Countries (ISO 3166-1) and currencies (ISO 4217) from pycountry, for partners, their sites
and donations. Country names are shown in the reader's language (django-countries), and
currency names too (pycountry's ISO 4217 translations)."""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from django.utils.translation import get_language
from django_countries import countries

# ISO 4217 codes that are no money anyone is paid in: "no currency", testing, gold and other
# metals, bond-market units and the IMF's special drawing rights.
NOT_MONEY = frozenset(
    {"XXX", "XTS", "XAU", "XAG", "XPD", "XPT", "XBA", "XBB", "XBC", "XBD", "XDR", "XSU", "XUA"}
)


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


@lru_cache(maxsize=1)
def currency_names() -> dict[str, str]:
    return {c.alpha_3: c.name for c in pycountry.currencies if c.alpha_3 not in NOT_MONEY}


def country_choices() -> list[tuple[str, str]]:
    """Every country, named in the active language, in its alphabetical order."""
    codes = country_codes()
    named = [(code, str(countries.name(code) or code)) for code in codes]
    return sorted(named, key=lambda item: item[1])


@lru_cache(maxsize=8)
def _currency_translations(language: str) -> gettext.NullTranslations:
    try:
        return gettext.translation("iso4217", pycountry.LOCALES_DIR, languages=[language])
    except OSError:  # English, or a language pycountry does not translate
        return gettext.NullTranslations()


@lru_cache(maxsize=8)
def _currency_choices(language: str) -> list[tuple[str, str]]:
    names = _currency_translations(language)
    return [
        (code, f"{code} — {names.gettext(name)}") for code, name in sorted(currency_names().items())
    ]


def currency_choices() -> list[tuple[str, str]]:
    """Every currency by its code, named in the active language: "NZD — Dollar néo-zélandais"."""
    return _currency_choices((get_language() or "en").split("-")[0])


def is_currency(code: str) -> bool:
    return code in currency_names()


def is_country(code: str) -> bool:
    return code in country_codes()
