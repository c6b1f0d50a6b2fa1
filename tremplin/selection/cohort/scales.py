"""The scale of each kind of stage score, and how a score is put on 0–100 before the stages
are combined into the cohort score (docs/selection-scores.md).

Pure functions on plain numbers, so the committee's figures can be checked by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tremplin.selection.models import Stage, StageKind

# An interview's score is the mean of the raters' weighted marks, each criterion marked 1 to 5.
INTERVIEW_LOWEST = Decimal(1)
INTERVIEW_HIGHEST = Decimal(5)
# A written exam or placement test without a highest possible score is read as out of 100.
DEFAULT_HIGHEST = Decimal(100)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Scale:
    """The lowest and the highest score a stage can give."""

    lowest: Decimal
    highest: Decimal

    def on_100(self, score: Decimal) -> Decimal:
        """The score on 0–100: the lowest possible is 0, the highest is 100 (clamped)."""
        span = self.highest - self.lowest
        if span <= 0:
            return Decimal(0)
        scaled = (score - self.lowest) * HUNDRED / span
        return min(HUNDRED, max(Decimal(0), scaled))


def stage_scale(*, kind: str, max_score: Decimal | None) -> Scale:
    """Interview: its 1–5 marks, whatever the highest score field says. Social investigation:
    the need index, 0–100. Written exam or placement test: 0 to its highest possible score
    (100 when none is set)."""
    if kind == StageKind.INTERVIEW:
        return Scale(INTERVIEW_LOWEST, INTERVIEW_HIGHEST)
    if kind == StageKind.SOCIAL_INVESTIGATION:
        return Scale(Decimal(0), HUNDRED)
    highest = max_score if max_score is not None and max_score > 0 else DEFAULT_HIGHEST
    return Scale(Decimal(0), highest)


def scale_of(stage: Stage) -> Scale:
    return stage_scale(kind=stage.kind, max_score=stage.max_score)
