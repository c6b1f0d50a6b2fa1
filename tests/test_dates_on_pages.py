"""Dates on every page: inputs hold ISO values, and text shows the reader's format, never
month/day/year, in every language.

A browser's ``<input type="date">`` understands only ``2026-12-02``: given ``02/12/2026``
(the French format) it shows nothing, and the form is sent without its dates. And a date
written 05/17/2001 reads as nonsense outside the United States. The pages are found from the
authorization matrix: every page a persona may open (a GET answering 200) is loaded in
French, English and Arabic, and every date input and every date shown on it is checked.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from conftest import World
from tests.authorization.matrix import ROWS
from tests.authorization.rows import PERSONAS

ISO = {
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "time": re.compile(r"\d{2}:\d{2}(:\d{2})?"),
    "datetime-local": re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?"),
    "month": re.compile(r"\d{4}-\d{2}"),
}


# Month/day/year, recognisable when the day is over 12 (the world's people were born on
# 17 May 2001).
MONTH_DAY_YEAR = re.compile(r"(?<![\d/])(0?[1-9]|1[0-2])/(1[3-9]|2\d|3[01])/\d{4}(?![\d/])")


# How the short format writes the world's birth date, language by language.
BIRTH_DATE = {"en": "17 May 2001", "fr": "17/05/2001", "ar": "17\u200f/05\u200f/2001"}


class _DateInputs(HTMLParser):
    """The (type, name, value) of every date, time, date-time and month input of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        kind = (values.get("type") or "").lower()
        if tag == "input" and kind in ISO:
            self.found.append((kind, values.get("name") or "", values.get("value") or ""))


def _date_inputs(html: str) -> list[tuple[str, str, str]]:
    parser = _DateInputs()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_every_page_gives_date_inputs_iso_values_and_shows_dates_in_the_readers_format(
    world: World, language: str
) -> None:
    pages_with_dates: dict[str, list[tuple[str, str, str]]] = {}
    wrong: list[str] = []
    month_first: list[str] = []
    birth_dates_seen = 0
    for row in ROWS:
        if row.post is not None:
            continue
        persona = next((p for p in PERSONAS if row.expect[p] == 200), None)
        if persona is None:
            continue
        url = reverse(row.url_name, kwargs=row.kwargs(world) or None)
        client = world.client_for(persona)
        if persona == "anonymous":
            client.cookies["tremplin_language"] = language
        else:
            type(world.users[persona]).objects.filter(pk=world.users[persona].pk).update(
                preferred_language=language
            )
        response = client.get(url)
        assert response.status_code == 200, url
        if "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        inputs = _date_inputs(html)
        month_first += [f"{url}: {m.group(0)}" for m in MONTH_DAY_YEAR.finditer(html)]
        birth_dates_seen += html.count(BIRTH_DATE[language])
        if inputs and response["Content-Language"] == language:
            pages_with_dates[url] = inputs
        wrong += [
            f"{url}: {name} ({kind}) holds {value!r}"
            for kind, name, value in inputs
            if value and not ISO[kind].fullmatch(value)
        ]
    assert not wrong, f"values that are not ISO in {language}: {wrong}"
    assert not month_first, f"dates written month/day/year in {language}: {month_first}"
    assert birth_dates_seen > 0, f"no page showed 17 May 2001 as {BIRTH_DATE[language]!r}"
    # The check means something only if pages with dates, some of them filled, were seen in
    # the language.
    assert len(pages_with_dates) >= 5, sorted(pages_with_dates)
    filled = [url for url, inputs in pages_with_dates.items() if any(v for _, _, v in inputs)]
    assert len(filled) >= 3, sorted(pages_with_dates)
