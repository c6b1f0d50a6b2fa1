"""The regions the funnel tests break applicants down by."""

from __future__ import annotations

import pytest

from tremplin.network.models import Region


@pytest.fixture
def regions(db: None) -> dict[str, Region]:
    return {
        code: Region.objects.update_or_create(
            code=f"FR-{code}", defaults={"country": "FR", "name": name}
        )[0]
        for code, name in (("59", "Nord"), ("62", "Pas-de-Calais"))
    }
