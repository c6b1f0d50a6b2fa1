"""Every URL × every persona → the status it must answer.

The rows are in one module per area (core.py, network.py, ..., matrix.py gathers them); the
row type and the personas in rows.py; the records the URLs point at in records.py. A
meta-test fails when a URL has no row.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import World
from tests.authorization.matrix import ROWS
from tests.authorization.rows import PERSONAS, Row


def _cases() -> list[Any]:
    """One case per row and persona, named after the URL (numbered when it has several rows)."""
    rows_of = Counter(row.url_name for row in ROWS)
    seen: Counter[str] = Counter()
    cases = []
    for row in ROWS:
        seen[row.url_name] += 1
        name = (
            row.url_name if rows_of[row.url_name] == 1 else f"{row.url_name}[{seen[row.url_name]}]"
        )
        cases += [pytest.param(row, persona, id=f"{name}-{persona}") for persona in PERSONAS]
    return cases


@pytest.mark.parametrize(("row", "persona"), _cases())
def test_authorization_matrix(world: World, row: Row, persona: str) -> None:
    client = world.client_for(persona)
    url = reverse(row.url_name, kwargs=row.kwargs(world) or None)
    if row.post is None:
        response = client.get(url)
    elif row.json:
        response = client.post(url, row.post, content_type="application/json")
    else:
        response = client.post(url, row.post)
    expected = row.expect[persona]
    assert response.status_code == expected, (
        f"{persona} {row.method} {url}: {response.status_code}, expected {expected}"
    )


def _url_names(patterns: list[Any], namespace: str | None = None) -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            names |= _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_url_has_its_row_in_the_matrix() -> None:
    covered = {row.url_name for row in ROWS}
    names = {n for n in _url_names(get_resolver().url_patterns) if not n.startswith("admin:")}
    missing = sorted(names - covered)
    assert not missing, f"URLs without a row in the authorization matrix: {missing}"
    stale = sorted(covered - names - {"admin:index"})
    assert not stale, f"Rows for URLs that no longer exist: {stale}"


def test_admin_is_for_superusers(world: World) -> None:
    """Every Django admin list answers the superuser and turns away every other role."""
    from django.contrib import admin

    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert world.client_for("superuser").get(url).status_code == 200, url
        for persona in ("admin_a", "manager_a1", "trainer_a1"):
            response = world.client_for(persona).get(url)
            assert response.status_code == 302, url
            assert "/admin/login/" in response["Location"], url
