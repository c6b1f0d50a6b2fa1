"""How well a learner fits an offer: a score from 0 to 100 in five parts, each with its
reason in words (docs/partners.md "Matching learners to offers", decision 0035).

Pure computation: no model is imported, so the ranking page, the cohort matching and the
benchmarks share one formula, computed for every learner × offer pair at once with numpy.

- competences, 40 points: per competence asked, the learner's latest evidence level ÷ the
  level asked (at most 1; 0 without evidence), averaged;
- languages, 20: per language asked, 1 at the level asked or above, 0.5 one CEFR level
  below, averaged;
- place, 15: same city (or remote work) 100 %, same region 70 %, same country 40 %,
  elsewhere 0, place not given 50 %;
- availability, 10: 100 % when the offer starts after the training ends, gives no start
  date, or is an apprenticeship (which runs alongside the training); 30 % otherwise;
- wishes, 15: the learner's first wish 100 %, second 80 %, third 60 %, later 40 %; no wish
  at all 50 %; other offers wished but not this one 0.

Hard rule: a learner who does not speak a language the offer asks for, or speaks it two
levels or more below, is excluded from the offer (never matched to it; last in its ranking).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tremplin.core.numbers import number_text

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

WEIGHTS: dict[str, int] = {
    "competences": 40,
    "languages": 20,
    "place": 15,
    "availability": 10,
    "wishes": 15,
}
PARTS = tuple(WEIGHTS)

# CEFR levels as ranks; a mother tongue is above C2.
LANGUAGE_RANKS = {"A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6, "native": 7}
LANGUAGE_ONE_BELOW = 0.5
PLACE_SHARES = {"city": 1.0, "remote": 1.0, "region": 0.7, "country": 0.4, "unknown": 0.5}
PLACE_ELSEWHERE = 0.0
AVAILABILITY_EARLY = 0.3
WISH_SHARES = {1: 1.0, 2: 0.8, 3: 0.6}
WISH_LATER = 0.4
WISH_NONE_AT_ALL = 0.5
WISH_OTHERS_ONLY = 0.0


@lru_cache(maxsize=4096)
def place_key(text: str) -> str:
    """A city as compared: lower case, accents and punctuation dropped ("Saint-Étienne" and
    "saint etienne" are one)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.split())


@dataclass(frozen=True)
class OfferNeeds:
    key: int
    competences: Mapping[int, int] = field(default_factory=dict)  # competence id → level 1–8
    languages: Mapping[str, str] = field(default_factory=dict)  # language code → CEFR level
    city: str = ""
    region: int | None = None
    country: str = ""
    remote: bool = False
    starts_on: dt.date | None = None
    # An apprenticeship runs alongside the training: starting before it ends is expected.
    during_training: bool = False


@dataclass(frozen=True)
class LearnerFacts:
    key: int
    levels: Mapping[int, int] = field(default_factory=dict)  # competence id → latest level
    languages: Mapping[str, str] = field(default_factory=dict)  # language → CEFR level
    city: str = ""
    region: int | None = None
    country: str = ""
    training_ends_on: dt.date | None = None
    wishes: Mapping[int, int] = field(default_factory=dict)  # offer key → rank (1 = first)


@dataclass(frozen=True)
class FitTable:
    """Every learner (rows) × offer (columns): each part's points, the total, the hard rule."""

    learners: Sequence[LearnerFacts]
    offers: Sequence[OfferNeeds]
    parts: Mapping[str, FloatArray]
    total: FloatArray
    excluded: BoolArray

    def fit(self, row: int, column: int) -> float:
        return float(self.total[row, column])

    def explanation(self, row: int, column: int) -> dict[str, Any]:
        """The pair's parts as JSON (kept on a Match; read back by part_sentences)."""
        learner, offer = self.learners[row], self.offers[column]
        return {
            "fit": round(float(self.total[row, column]), 2),
            "excluded": bool(self.excluded[row, column]),
            "parts": [
                {
                    "part": name,
                    "points": round(float(self.parts[name][row, column]), 2),
                    "max": WEIGHTS[name],
                    **_REASONS[name](learner, offer),
                }
                for name in PARTS
            ],
        }


def _rank(level: str) -> int:
    return LANGUAGE_RANKS.get(level, 0)


def _codes(values: Sequence[str]) -> tuple[npt.NDArray[np.int64], dict[str, int]]:
    """Texts as integers (-1 for a blank), equal texts equal integers."""
    index: dict[str, int] = {}
    out = np.full(len(values), -1, dtype=np.int64)
    for position, value in enumerate(values):
        if value:
            out[position] = index.setdefault(value, len(index))
    return out, index


def _competences(learners: Sequence[LearnerFacts], offers: Sequence[OfferNeeds]) -> FloatArray:
    n, m = len(learners), len(offers)
    asked = sorted({c for offer in offers for c in offer.competences})
    score = np.zeros((n, m))
    counts = np.array([len(offer.competences) for offer in offers], dtype=np.float64)
    for competence in asked:
        have = np.array([lr.levels.get(competence, 0) for lr in learners], dtype=np.float64)
        need = np.array([of.competences.get(competence, 0) for of in offers], dtype=np.float64)
        columns = np.flatnonzero(need)
        share = np.minimum(1.0, have[:, None] / need[None, columns])
        score[:, columns] += share
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(counts > 0, score / np.maximum(counts, 1.0), 1.0)
    return mean * WEIGHTS["competences"]


def _languages(
    learners: Sequence[LearnerFacts], offers: Sequence[OfferNeeds]
) -> tuple[FloatArray, BoolArray]:
    n, m = len(learners), len(offers)
    asked = sorted({lang for offer in offers for lang in offer.languages})
    score = np.zeros((n, m))
    excluded = np.zeros((n, m), dtype=bool)
    counts = np.array([len(offer.languages) for offer in offers], dtype=np.float64)
    for language in asked:
        have = np.array([_rank(lr.languages.get(language, "")) for lr in learners])
        need = np.array([_rank(of.languages.get(language, "")) for of in offers])
        columns = np.flatnonzero(need)
        gap = need[None, columns] - have[:, None]
        share = np.where(gap <= 0, 1.0, np.where(gap == 1, LANGUAGE_ONE_BELOW, 0.0))
        missing = (gap >= 2) | (have[:, None] == 0)
        score[:, columns] += np.where(missing, 0.0, share)
        excluded[:, columns] |= missing
    mean = np.where(counts > 0, score / np.maximum(counts, 1.0), 1.0)
    return mean * WEIGHTS["languages"], excluded


def _place(learners: Sequence[LearnerFacts], offers: Sequence[OfferNeeds]) -> FloatArray:
    cities, index = _codes([place_key(lr.city) for lr in learners])
    offer_cities = np.array([index.get(place_key(of.city), -2) if of.city else -3 for of in offers])
    regions_l = np.array([lr.region or -1 for lr in learners])
    regions_o = np.array([of.region or -2 for of in offers])
    countries, cindex = _codes([lr.country for lr in learners])
    offer_countries = np.array([cindex.get(of.country, -2) if of.country else -3 for of in offers])
    unknown = np.array([not (of.city or of.region or of.country) for of in offers])
    remote = np.array([of.remote for of in offers])
    share = np.where(
        countries[:, None] == offer_countries[None, :], PLACE_SHARES["country"], PLACE_ELSEWHERE
    )
    share = np.where(regions_l[:, None] == regions_o[None, :], PLACE_SHARES["region"], share)
    share = np.where(cities[:, None] == offer_cities[None, :], PLACE_SHARES["city"], share)
    share = np.where(unknown[None, :], PLACE_SHARES["unknown"], share)
    share = np.where(remote[None, :], PLACE_SHARES["remote"], share)
    return share * WEIGHTS["place"]


def _availability(learners: Sequence[LearnerFacts], offers: Sequence[OfferNeeds]) -> FloatArray:
    far = dt.date.max.toordinal()
    ends = np.array(
        [lr.training_ends_on.toordinal() if lr.training_ends_on else 0 for lr in learners]
    )
    starts = np.array(
        [
            far if of.starts_on is None or of.during_training else of.starts_on.toordinal()
            for of in offers
        ]
    )
    share = np.where(starts[None, :] >= ends[:, None], 1.0, AVAILABILITY_EARLY)
    return share * WEIGHTS["availability"]


def _wish_share(rank: int) -> float:
    return WISH_SHARES.get(rank, WISH_LATER)


def _wishes(learners: Sequence[LearnerFacts], offers: Sequence[OfferNeeds]) -> FloatArray:
    column_of = {offer.key: column for column, offer in enumerate(offers)}
    base = np.array([WISH_OTHERS_ONLY if lr.wishes else WISH_NONE_AT_ALL for lr in learners])
    share = np.repeat(base[:, None], len(offers), axis=1)
    for row, learner in enumerate(learners):
        for offer_key, rank in learner.wishes.items():
            column = column_of.get(offer_key)
            if column is not None:
                share[row, column] = _wish_share(rank)
    return share * WEIGHTS["wishes"]


def fit_table(learners: Sequence[LearnerFacts], offers: Sequence[OfferNeeds]) -> FitTable:
    """Every learner's fit for every offer, in one pass of numpy."""
    languages, excluded = _languages(learners, offers)
    parts = {
        "competences": _competences(learners, offers),
        "languages": languages,
        "place": _place(learners, offers),
        "availability": _availability(learners, offers),
        "wishes": _wishes(learners, offers),
    }
    total = np.round(sum(parts.values(), np.zeros((len(learners), len(offers)))), 2)
    return FitTable(learners, offers, parts, total, excluded)


# --- the reasons, as JSON (codes and values) and as sentences in the reader's language ------


def _reason_competences(learner: LearnerFacts, offer: OfferNeeds) -> dict[str, Any]:
    if not offer.competences:
        return {"reason": "none_asked"}
    short = [
        [competence, learner.levels.get(competence, 0), level]
        for competence, level in offer.competences.items()
        if learner.levels.get(competence, 0) < level
    ]
    return {"reason": "all_reached" if not short else "below", "short": short}


def _reason_languages(learner: LearnerFacts, offer: OfferNeeds) -> dict[str, Any]:
    if not offer.languages:
        return {"reason": "none_asked"}
    short = [
        [language, learner.languages.get(language, ""), level]
        for language, level in offer.languages.items()
        if _rank(learner.languages.get(language, "")) < _rank(level)
    ]
    return {"reason": "all_spoken" if not short else "below", "short": short}


def _reason_place(learner: LearnerFacts, offer: OfferNeeds) -> dict[str, Any]:
    if offer.remote:
        return {"reason": "remote"}
    if not (offer.city or offer.region or offer.country):
        return {"reason": "unknown"}
    if offer.city and place_key(offer.city) == place_key(learner.city):
        return {"reason": "city", "city": offer.city}
    if offer.region is not None and offer.region == learner.region:
        return {"reason": "region"}
    if offer.country and offer.country == learner.country:
        return {"reason": "country"}
    return {"reason": "elsewhere"}


def _reason_availability(learner: LearnerFacts, offer: OfferNeeds) -> dict[str, Any]:
    if offer.starts_on is None:
        return {"reason": "no_date"}
    if offer.during_training:
        return {"reason": "during_training"}
    ends = learner.training_ends_on
    if ends is None or offer.starts_on >= ends:
        return {"reason": "after_training"}
    return {"reason": "before_end", "ends_on": ends.isoformat()}


def _reason_wishes(learner: LearnerFacts, offer: OfferNeeds) -> dict[str, Any]:
    rank = learner.wishes.get(offer.key)
    if rank is not None:
        return {"reason": "wished", "rank": rank}
    return {"reason": "others" if learner.wishes else "no_wish"}


_REASONS = {
    "competences": _reason_competences,
    "languages": _reason_languages,
    "place": _reason_place,
    "availability": _reason_availability,
    "wishes": _reason_wishes,
}


def part_label(part: str) -> str:
    return {
        "competences": _("Competences"),
        "languages": _("Languages"),
        "place": _("Place"),
        "availability": _("Availability"),
        "wishes": _("Wishes"),
    }.get(part, part)


def part_sentence(part: Mapping[str, Any], *, names: Mapping[int, str] | None = None) -> str:
    """One part of an explanation in words, in the active language; ``names`` gives the
    competences' names by id."""
    reason = part.get("reason", "")
    kind = part.get("part", "")
    if kind == "competences":
        if reason == "none_asked":
            return _("The offer asks for no particular competence.")
        if reason == "all_reached":
            return _("Reaches every competence level asked.")
        gaps = [
            _("%(competence)s: level %(have)s of %(need)s")
            % {"competence": (names or {}).get(c, str(c)), "have": have, "need": need}
            for c, have, need in part.get("short", [])
        ]
        return _("Below the level asked in: %(gaps)s.") % {"gaps": "; ".join(gaps)}
    if kind == "languages":
        if reason == "none_asked":
            return _("The offer asks for no particular language.")
        if reason == "all_spoken":
            return _("Speaks every language asked at the level asked.")
        gaps = [
            _("%(language)s %(need)s (has %(have)s)")
            % {"language": language, "need": need, "have": have or _("none")}
            for language, have, need in part.get("short", [])
        ]
        return _("Below the level asked in: %(gaps)s.") % {"gaps": "; ".join(gaps)}
    return _simple_sentence(kind, reason, part)


def _simple_sentence(kind: str, reason: str, part: Mapping[str, Any]) -> str:
    sentences = {
        ("place", "remote"): _("The offer can be done remotely."),
        ("place", "unknown"): _("The offer does not say where it is."),
        ("place", "city"): _("Lives in the offer's city."),
        ("place", "region"): _("Lives in the offer's region."),
        ("place", "country"): _("Lives in the offer's country, in another region."),
        ("place", "elsewhere"): _("Lives in another country."),
        ("availability", "no_date"): _("The offer gives no start date."),
        ("availability", "during_training"): _("An apprenticeship runs alongside the training."),
        ("availability", "after_training"): _("The offer starts after the training ends."),
        ("wishes", "others"): _("Chose other offers, not this one."),
        ("wishes", "no_wish"): _("Has not said which offers interest them."),
    }
    if (kind, reason) == ("availability", "before_end"):
        ends = dt.date.fromisoformat(part["ends_on"])
        return _("The offer starts before the training ends (%(date)s).") % {
            "date": date_format(ends, "SHORT_DATE_FORMAT")
        }
    if (kind, reason) == ("wishes", "wished"):
        return _("Their wish number %(rank)s.") % {"rank": part["rank"]}
    return sentences.get((kind, reason), "")


def points_text(value: float) -> str:
    return number_text(value, places=1)
