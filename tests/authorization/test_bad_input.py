"""No bad value gets a 500: every row of the authorization matrix, as a persona allowed to use
it, receives mutated values (digits that are not ASCII, numbers of 5,000 digits, ``1e30``,
``-0``, ``NaN``, empty, a list where one value is expected, very long text, a NUL byte) in
every query-string parameter and every form field, and must answer something else than 500.

Fields and parameters are found the way a browser finds them: the matrix's GET pages are read
first, and each ``<form>`` gives its fields (a POST form, for the URL it posts to; a GET form,
as query-string parameters of its page), as do the query strings of the page's links. A POST
row is sent its own data and the fields of every form that posts to it; a GET row its
parameters (those of its GET forms and links: filters, ``page``, ``sort``); a POST form found on a page is sent to where it
posts. Every 500 (an exception in the view) is collected, and the test names them all at the
end.

Each target gets one set per kind of bad value in every field at once (``EVERY_FIELD``, as
explicit examples), then ``EXAMPLES`` drawn sets that mix kept and bad values. One test per
area of the matrix.
"""

from __future__ import annotations

import traceback
from collections import defaultdict
from collections.abc import Mapping
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import World
from tests.authorization import (
    accounts,
    core,
    network,
    outreach,
    partners,
    people,
    placement,
    selection,
    training,
)
from tests.authorization.rows import Row

AREAS: dict[str, list[Row]] = {
    "core": core.ROWS,
    "network": network.ROWS,
    "people": people.ROWS,
    "outreach": outreach.ROWS,
    "accounts": accounts.ROWS,
    "selection": selection.ROWS,
    "placement": placement.ROWS,
    "training": training.ROWS,
    "partners": partners.ROWS,
}
# Drawn sets per target, besides the one set per kind of bad value in EVERY_FIELD.
EXAMPLES = 2
# Whom to send, in this order: the first allowed (200, or 302 for a form that did its work).
ORDER = (
    "officer_a1",
    "manager_a1",
    "admin_a",
    "trainer_a1",
    "coach_a1",
    "interviewer_a1",
    "investigator_a1",
    "funder_a",
    "manager_b1",
    "nobody",
    "superuser",
    "anonymous",
)
# Rows not fuzzed: signing out ends the session the next requests need.
SKIPPED = {"account_logout"}

BAD_VALUES = (
    "²",
    "٣",
    "\uff11\uff12",  # full-width digits
    "1²",
    "9" * 5000,
    "-" + "9" * 5000,
    "9" * 19,
    "99999999999999999999",
    "1e30",
    "-1e30",
    "1e400",
    "-0",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "",
    " ",
    "0x1A",
    "1_000",
    "1,5",
    "-1",
    "0",
    "x" * 10_000,
    "\x00",
    "1\x00",
    "null",
    "[]",
    '{"a": [[[[1]]]]}',
    "[" * 5000,
    "2026-13-45",
    "25:61",
    "<b>",
)
# Each kind of bad value, sent to every field at once: one set each, always.
EVERY_FIELD: tuple[Any, ...] = (
    "²",
    "٣",
    "9" * 5000,
    "1e30",
    "NaN",
    "-0",
    "",
    "x" * 10_000,
    "1\x00",
    ["1", "²"],
)
bad_value = st.one_of(
    st.sampled_from(BAD_VALUES),
    st.text(max_size=12),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.floats().map(str),
)
# A list where one value is expected (the same name several times).
bad = st.one_of(bad_value, st.lists(st.sampled_from(BAD_VALUES), min_size=2, max_size=3))


class _Forms(HTMLParser):
    """The forms of a page (method, action and fields with their first value) and the query
    strings of its links."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, dict[str, str]]] = []
        self.link_parameters: set[str] = set()
        self._current: tuple[str, str, dict[str, str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._current = (found.get("method", "get").lower(), found.get("action", ""), {})
            self.forms.append(self._current)
        elif tag in ("input", "select", "textarea", "button") and self._current is not None:
            name = found.get("name")
            if name and found.get("type") != "file":
                self._current[2].setdefault(name, found.get("value", ""))
        elif tag == "a" and "?" in found.get("href", ""):
            query = urlsplit(found["href"]).query
            self.link_parameters |= {key for key, _value in parse_qsl(query)}

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def persona_for(row: Row) -> str | None:
    allowed = (200, 302) if row.post is not None else (200,)
    return next((p for p in ORDER if row.expect.get(p) in allowed), None)


def _path(action: str, page: str) -> str:
    return urlsplit(action).path or urlsplit(page).path


def _send(client: Client, method: str, url: str, data: Mapping[str, Any]) -> str | None:
    """None when the answer is not a 500; else what went wrong, in one paragraph."""
    try:
        response = client.post(url, data) if method == "POST" else client.get(url, data)
    except Exception as error:
        frames = [
            f for f in traceback.extract_tb(error.__traceback__) if "/tremplin/" in f.filename
        ]
        where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
        return f"{type(error).__name__}: {str(error)[:200]}{where}"
    if response.status_code >= 500:
        return f"status {response.status_code}"
    return None


def _shown(data: Mapping[str, Any]) -> dict[str, str]:
    return {key: repr(value)[:40] for key, value in data.items()}


def _fuzz(
    client: Client,
    *,
    method: str,
    url: str,
    persona: str,
    base: Mapping[str, str],
    failures: list[str],
) -> None:
    """Send ``EXAMPLES`` drawn sets of values to ``url``: each field keeps its value from
    ``base`` or gets a bad one; every 500 goes to ``failures``."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        st.fixed_dictionaries(
            {name: st.one_of(st.just(value), bad) for name, value in base.items()}
        )
    )
    def answers_without_500(data: dict[str, Any]) -> None:
        problem = _send(client, method, url, data)
        if problem is not None:
            failures.append(f"{method} {url} as {persona} {_shown(data)}:\n{problem}")

    for value in EVERY_FIELD:
        answers_without_500 = example(dict.fromkeys(base, value))(answers_without_500)
    answers_without_500()


@pytest.mark.parametrize("area", list(AREAS))
def test_no_bad_value_gets_a_500(world: World, area: str) -> None:
    rows = [row for row in AREAS[area] if row.url_name not in SKIPPED]
    clients: dict[str, Client] = {}

    def client_of(persona: str) -> Client:
        if persona not in clients:
            clients[persona] = world.client_for(persona)
        return clients[persona]

    planned: list[tuple[Row, str, str]] = []
    for row in rows:
        persona = persona_for(row)
        if persona is not None:
            planned.append((row, persona, reverse(row.url_name, kwargs=row.kwargs(world) or None)))

    # What the pages offer: the fields of the forms posting to each path (with who saw them),
    # the parameters of each page.
    post_forms: dict[str, tuple[str, dict[str, str]]] = {}
    get_parameters: dict[str, dict[str, str]] = defaultdict(dict)
    for row, persona, url in planned:
        if row.post is not None:
            continue
        response = client_of(persona).get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = _Forms()
        page.feed(response.content.decode(errors="replace"))
        for method, action, fields in page.forms:
            path = _path(action, url)
            if method == "post":
                post_forms.setdefault(path, (persona, {}))[1].update(fields)
            else:
                get_parameters[path].update(fields)
        get_parameters[urlsplit(url).path].update(dict.fromkeys(page.link_parameters, ""))

    # Each target once: (method, path) → (persona, url, the values to start from).
    targets: dict[tuple[str, str], tuple[str, str, dict[str, Any]]] = {}
    for row, persona, url in planned:
        path = urlsplit(url).path
        if row.post is None:
            base = dict(get_parameters.get(path, {}))
            targets[("GET", path)] = (persona, url, base)
        else:
            base = {**post_forms.get(path, ("", {}))[1], **row.post}
            targets[("POST", path)] = (persona, url, base)
    for path, (persona, fields) in post_forms.items():
        targets.setdefault(("POST", path), (persona, path, dict(fields)))

    failures: list[str] = []
    for (method, _path_only), (persona, url, base) in targets.items():
        base.pop("csrfmiddlewaretoken", None)  # the test client does not check it
        if base:
            _fuzz(
                client_of(persona),
                method=method,
                url=url,
                persona=persona,
                base=base,
                failures=failures,
            )
    assert not failures, f"{len(failures)} answers were 500:\n\n" + "\n\n".join(failures[:15])
