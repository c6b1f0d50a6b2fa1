"""The adaptive placement test, without the database: a 2PL item bank, ability by EAP, the next
item by maximum information among the best few (randomesque), areas kept in balance, and the
stopping rule. Every function is stateless: a web request passes what was answered so far.

The model is the two-parameter logistic one, P(θ) = 1 / (1 + exp(-a(θ - b))), the metric of
``tremplin calibrate`` (mirt's). Before a bank is calibrated, each item's nominal level gives
its difficulty (``nominal_difficulty``) with a = 1: a level-based start that still adapts.

Why the per-answer step is a few numpy lines rather than mirt's ``CATEngine``: the engine is a
stateful session object (it would have to be rebuilt and replayed on every request, the
replays growing with the test), and its scoring refuses item parameters it did not fit
itself. The formulas below are checked against mirt in the tests (same θ and standard error).
Calibration, item fit and DIF, where the real numerical work is, use mirt (``calibration``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# EAP on a fixed grid with a standard normal prior (the population of the calibration).
GRID = np.linspace(-5.0, 5.0, 101)
LOG_PRIOR = -0.5 * GRID**2


def nominal_difficulty(level: int) -> float:
    """Difficulty from a DigComp level (1–8) for items not yet calibrated: level 1 at -2,
    each level 0.8 higher (level 3 at -0.4, level 6 at 2.0)."""
    return -2.0 + 0.8 * (level - 1)


@dataclass(frozen=True)
class Bank:
    """Items as arrays: ``a`` (discrimination), ``b`` (difficulty), ``area`` (index into
    ``areas``). ``codes[i]`` names item i."""

    codes: tuple[str, ...]
    a: FloatArray
    b: FloatArray
    area: IntArray
    areas: tuple[str, ...]

    @classmethod
    def build(
        cls, *, codes: Sequence[str], a: Sequence[float], b: Sequence[float], areas: Sequence[str]
    ) -> Bank:
        names = tuple(sorted(set(areas)))
        position = {name: i for i, name in enumerate(names)}
        return cls(
            codes=tuple(codes),
            a=np.asarray(a, dtype=np.float64),
            b=np.asarray(b, dtype=np.float64),
            area=np.asarray([position[x] for x in areas], dtype=np.int64),
            areas=names,
        )

    def __len__(self) -> int:
        return len(self.codes)


# --- Bands -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """A level group from ``lower`` (θ, inclusive) up to the next band's lower bound."""

    name: str
    lower: float


DEFAULT_BANDS = (
    Band("beginner", -math.inf),
    Band("intermediate", -0.5),
    Band("advanced", 0.8),
)


@dataclass(frozen=True)
class Rules:
    """How a programme runs its test (defaults from the issue)."""

    se_target: float = 0.3
    max_items: int = 20
    min_items: int = 3
    best_of: int = 5  # randomesque: the next item is drawn from the best ``best_of``
    balance_areas: bool = True
    # Keep asking, up to ``max_items``, while the band is held with less than this
    # probability (a borderline band); 0 turns it off.
    hold_borderline: float = 0.8
    # Stop before the standard error target once the band is held with this probability
    # (after ``min_certain`` answers); None turns it off.
    certain: float | None = None
    min_certain: int = 6
    bands: tuple[Band, ...] = DEFAULT_BANDS


@dataclass(frozen=True)
class Estimate:
    theta: float
    se: float


def probability(theta: float | FloatArray, a: FloatArray, b: FloatArray) -> FloatArray:
    return np.asarray(1.0 / (1.0 + np.exp(-a * (theta - b))), dtype=np.float64)


def information(theta: float, a: FloatArray, b: FloatArray) -> FloatArray:
    p = probability(theta, a, b)
    return np.asarray(a * a * p * (1.0 - p), dtype=np.float64)


def _log_posterior(a: FloatArray, b: FloatArray, right: FloatArray) -> FloatArray:
    """Log posterior (up to a constant) on ``GRID`` for answers ``right`` (1 or 0)."""
    log_post = LOG_PRIOR.copy()
    if len(a):
        z = a[None, :] * (GRID[:, None] - b[None, :])
        # log P = -log(1 + e^(-z)), log(1 - P) = -log(1 + e^z), computed without overflow
        log_p = -np.logaddexp(0.0, -z)
        log_q = -np.logaddexp(0.0, z)
        log_post += log_p @ right + log_q @ (1.0 - right)
    return np.asarray(log_post, dtype=np.float64)


def posterior(a: FloatArray, b: FloatArray, right: FloatArray) -> FloatArray:
    """Posterior weights on ``GRID`` (summing to 1)."""
    log_post = _log_posterior(a, b, right)
    weights = np.exp(log_post - log_post.max())
    return np.asarray(weights / weights.sum(), dtype=np.float64)


def estimate(bank: Bank, items: Sequence[int], answers: Sequence[int]) -> Estimate:
    """EAP ability and its posterior standard deviation after ``answers`` (1 right, 0 wrong)
    to ``items`` (positions in the bank)."""
    index = np.asarray(items, dtype=np.int64)
    weights = posterior(bank.a[index], bank.b[index], np.asarray(answers, dtype=np.float64))
    theta = float(weights @ GRID)
    se = math.sqrt(float(weights @ (GRID - theta) ** 2))
    return Estimate(theta, se)


def finished(
    rules: Rules, bank: Bank, items: Sequence[int], answers: Sequence[int], *, left: int
) -> bool:
    """Stop at ``max_items`` or when nothing is ``left`` to ask; otherwise, after
    ``min_items``, at the standard error target unless the band is still borderline, or,
    when ``certain`` is set, as soon as the band is that sure. ``items`` are positions in
    ``bank`` (which may hold just the items answered)."""
    answered = len(items)
    if answered >= rules.max_items or left <= 0:
        return True
    if answered < rules.min_items:
        return False
    current = estimate(bank, items, answers)
    if current.se >= rules.se_target and rules.certain is None:
        return False
    held = place(bank, items, answers, bands=rules.bands).confidence
    if current.se < rules.se_target and held >= rules.hold_borderline:
        return True
    return rules.certain is not None and answered >= rules.min_certain and held >= rules.certain


def _area_to_serve(bank: Bank, given: IntArray, open_: npt.NDArray[np.bool_]) -> int | None:
    """The area furthest below its share (equal shares among areas with items left), as in
    Kingsbury and Zara's content balancing; ties go to the lowest index."""
    present = np.unique(bank.area[open_])
    if len(present) == 0:
        return None
    counts = np.bincount(bank.area[given], minlength=len(bank.areas)).astype(np.float64)
    total = counts[present].sum()
    target = (total + 1) / len(present)
    return int(present[int(np.argmax(target - counts[present]))])


def next_item(
    bank: Bank,
    items: Sequence[int],
    current: Estimate,
    rules: Rules,
    rng: np.random.Generator,
    *,
    allowed: npt.NDArray[np.bool_] | None = None,
) -> int | None:
    """The next item: among those not given (and ``allowed``, e.g. live only), in the area
    to serve, one of the ``best_of`` most informative at the current θ, at random."""
    open_ = np.ones(len(bank), dtype=bool) if allowed is None else allowed.copy()
    given = np.asarray(items, dtype=np.int64)
    open_[given] = False
    if not open_.any():
        return None
    if rules.balance_areas:
        area = _area_to_serve(bank, given, open_)
        open_ &= bank.area == area
    candidates = np.flatnonzero(open_)
    info = information(current.theta, bank.a[candidates], bank.b[candidates])
    count = min(rules.best_of, len(candidates))
    best = candidates[np.argpartition(-info, count - 1)[:count]] if count else candidates
    return int(rng.choice(best))


BORDERLINE_BELOW = 0.8  # a band held with less than this probability is "borderline"


@dataclass(frozen=True)
class Placement:
    band: str
    confidence: float  # posterior probability that θ lies in that band
    borderline: bool
    shares: dict[str, float] = field(default_factory=dict)  # every band's probability


def place(
    bank: Bank,
    items: Sequence[int],
    answers: Sequence[int],
    *,
    bands: Sequence[Band] = DEFAULT_BANDS,
    borderline_below: float = BORDERLINE_BELOW,
) -> Placement:
    """The band of the EAP estimate and the posterior probability of each band."""
    index = np.asarray(items, dtype=np.int64)
    weights = posterior(bank.a[index], bank.b[index], np.asarray(answers, dtype=np.float64))
    theta = float(weights @ GRID)
    shares: dict[str, float] = {}
    for number, band in enumerate(bands):
        upper = bands[number + 1].lower if number + 1 < len(bands) else math.inf
        inside = (band.lower <= GRID) & (upper > GRID)
        shares[band.name] = float(weights[inside].sum())
    chosen = band_of(theta, bands)
    confidence = shares[chosen]
    return Placement(chosen, confidence, confidence < borderline_below, shares)


def band_of(theta: float, bands: Sequence[Band] = DEFAULT_BANDS) -> str:
    chosen = bands[0].name
    for band in bands:
        if theta >= band.lower:
            chosen = band.name
    return chosen


@dataclass(frozen=True)
class AreaProfile:
    area: str
    answered: int
    right: int
    theta: float | None
    se: float | None


def profile(bank: Bank, items: Sequence[int], answers: Sequence[int]) -> list[AreaProfile]:
    """Per area: answers, right answers, and the EAP from that area's answers alone."""
    given = np.asarray(items, dtype=np.int64)
    right = np.asarray(answers, dtype=np.int64)
    rows = []
    for number, name in enumerate(bank.areas):
        mask = bank.area[given] == number if len(given) else np.zeros(0, dtype=bool)
        chosen = given[mask]
        if len(chosen) == 0:
            rows.append(AreaProfile(name, 0, 0, None, None))
            continue
        found = estimate(bank, chosen.tolist(), right[mask].tolist())
        rows.append(AreaProfile(name, len(chosen), int(right[mask].sum()), found.theta, found.se))
    return rows
