"""The fixtures of the file tests: English messages, and an open call in a country with a
region."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from conftest import World
from tremplin.network.models import Region
from tremplin.selection.models import Call
from tremplin.selection.tests.builders import open_call


@pytest.fixture(autouse=True)
def in_english() -> Any:
    """The messages checked below are the English ones, whatever an earlier test activated."""
    with translation.override("en"):
        yield


@pytest.fixture
def call(world: World) -> Call:
    Region.objects.update_or_create(
        code="FR-HDF", defaults={"country": "FR", "name": "Hauts-de-France"}
    )[0]
    return open_call(world)
