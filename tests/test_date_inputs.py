"""Every date, time and date-time input sends and shows ISO values, in every language.

A browser's ``<input type="date">`` understands only ``2026-12-02``: given ``02/12/2026``
(the French format) it shows nothing, and the form is sent without its dates. The pages are
found from the authorization matrix: every page a persona may open (a GET answering 200) is
loaded in French, English and Arabic, and every such input on it is checked.
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
def test_every_date_input_of_every_page_holds_an_iso_value(world: World, language: str) -> None:
    pages_with_dates: dict[str, list[tuple[str, str, str]]] = {}
    wrong: list[str] = []
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
        inputs = _date_inputs(response.content.decode())
        if inputs and response["Content-Language"] == language:
            pages_with_dates[url] = inputs
        wrong += [
            f"{url}: {name} ({kind}) holds {value!r}"
            for kind, name, value in inputs
            if value and not ISO[kind].fullmatch(value)
        ]
    assert not wrong, f"values that are not ISO in {language}: {wrong}"
    # The check means something only if pages with dates, some of them filled, were seen in
    # the language.
    assert len(pages_with_dates) >= 5, sorted(pages_with_dates)
    filled = [url for url, inputs in pages_with_dates.items() if any(v for _, _, v in inputs)]
    assert len(filled) >= 3, sorted(pages_with_dates)
