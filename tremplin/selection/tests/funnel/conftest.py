"""The regions the funnel tests break applicants down by."""

from __future__ import annotations

import pytest

from tremplin.network.models import Region


@pytest.fixture
def regions(db: None) -> dict[str, Region]:
    return {
        code: Region.objects.create(country="FR", code=f"FR-{code}", name=name)
        for code, name in (("59", "Nord"), ("62", "Pas-de-Calais"))
    }
