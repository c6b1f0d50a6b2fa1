"""Each stage's score input offers the range its kind takes (an interview's mean of 1–5 marks,
a need index 0–100, an exam 0 to its highest score), and the form checks the same range."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tremplin.selection.forms import ResultForm
from tremplin.selection.models import Stage, StageKind


@pytest.mark.parametrize(
    ("kind", "max_score", "low", "high"),
    [
        (StageKind.INTERVIEW, None, "1", "5"),
        (StageKind.INTERVIEW, Decimal(20), "1", "5"),
        (StageKind.SOCIAL_INVESTIGATION, None, "0", "100"),
        (StageKind.WRITTEN_EXAM, Decimal(20), "0", "20"),
    ],
)
def test_the_score_input_has_the_range_of_its_stage_kind(
    kind: str, max_score: Decimal | None, low: str, high: str
) -> None:
    form = ResultForm(stage=Stage(kind=kind, max_score=max_score), prefix="s")
    html = str(form["score"])
    assert f'min="{low}"' in html, html
    assert f'max="{high}"' in html, html
    assert 'step="0.01"' in html, html
    posted = {"s-score": str(Decimal(high) + 1), "s-decision": "advance", "s-reason": "passed"}
    bound = ResultForm(posted, stage=Stage(kind=kind, max_score=max_score), prefix="s")
    assert not bound.is_valid()
    assert "score" in bound.errors
