"""The regions a site or a person can be in: the ISO 3166-2 subdivisions of each country
(pycountry), loaded once by a migration so that a site opened in any country has its list.

For the countries of the reference programmes the list is the level staff use (Cambodia's
provinces, France's départements); elsewhere it is the country's first level."""

from __future__ import annotations

import pycountry

# The subdivision types that are a "region" where the first level is not the one staff use.
REGION_TYPES = {
    "KH": {"Province", "Autonomous municipality"},
    "VN": {"Province", "Municipality"},
    "PH": {"Province"},
    "FR": {"Metropolitan department", "Metropolitan collectivity with special status"},
}


def subdivisions_of(country: str) -> list[tuple[str, str]]:
    """(code, name) of the country's regions, each name once."""
    subdivisions = pycountry.subdivisions.get(country_code=country) or []  # type: ignore[no-untyped-call]
    types = REGION_TYPES.get(country)
    seen: set[str] = set()
    rows = []
    for sub in sorted(subdivisions, key=lambda s: s.code):
        kept = sub.type in types if types else not sub.parent_code
        if kept and sub.name not in seen:
            seen.add(sub.name)
            rows.append((sub.code, sub.name))
    return rows


def every_country() -> list[str]:
    return sorted(c.alpha_2 for c in pycountry.countries)
