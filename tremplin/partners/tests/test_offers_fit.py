"""The fit of a learner for an offer: each part and the hard rule on languages."""

from __future__ import annotations

import datetime as dt

from tremplin.partners import fit


def _one(learner: fit.LearnerFacts, offer: fit.OfferNeeds) -> dict:
    return fit.fit_table([learner], [offer]).explanation(0, 0)


def _points(explanation: dict) -> dict[str, float]:
    return {part["part"]: part["points"] for part in explanation["parts"]}


def test_a_learner_who_meets_everything_and_wished_it_first_fits_100() -> None:
    offer = fit.OfferNeeds(
        key=1,
        competences={7: 4},
        languages={"fr": "B2"},
        city="Lille",
        starts_on=dt.date(2027, 7, 1),
    )
    learner = fit.LearnerFacts(
        key=1,
        levels={7: 5},
        languages={"fr": "native"},
        city="lille",
        training_ends_on=dt.date(2027, 6, 30),
        wishes={1: 1},
    )
    explanation = _one(learner, offer)
    assert explanation["fit"] == 100
    assert not explanation["excluded"]


def test_competences_count_the_share_of_the_level_asked() -> None:
    offer = fit.OfferNeeds(key=1, competences={7: 4, 8: 2})
    learner = fit.LearnerFacts(key=1, levels={7: 2})
    explanation = _one(learner, offer)
    # (2/4 + 0/2) / 2 × 40
    assert _points(explanation)["competences"] == 10
    competences = explanation["parts"][0]
    assert competences["short"] == [[7, 2, 4], [8, 0, 2]]
    assert "level 2 of 4" in fit.part_sentence(competences, names={7: "1.1 Browsing"})


def test_a_language_two_levels_below_or_missing_excludes_one_level_below_halves() -> None:
    offer = fit.OfferNeeds(key=1, languages={"en": "B2"})
    below_one = fit.LearnerFacts(key=1, languages={"en": "B1"})
    below_two = fit.LearnerFacts(key=2, languages={"en": "A2"})
    missing = fit.LearnerFacts(key=3)
    table = fit.fit_table([below_one, below_two, missing], [offer])
    assert table.parts["languages"][0, 0] == 10
    assert table.excluded[:, 0].tolist() == [False, True, True]


def test_place_same_city_region_country_elsewhere_remote() -> None:
    offer = fit.OfferNeeds(key=1, city="Saint-Étienne", region=5, country="FR")
    learners = [
        fit.LearnerFacts(key=1, city="saint etienne", region=5, country="FR"),
        fit.LearnerFacts(key=2, city="Lyon", region=5, country="FR"),
        fit.LearnerFacts(key=3, city="Lille", region=9, country="FR"),
        fit.LearnerFacts(key=4, city="Tunis", country="TN"),
    ]
    table = fit.fit_table(learners, [offer, fit.OfferNeeds(key=2, remote=True)])
    assert table.parts["place"][:, 0].tolist() == [15, 15 * 0.7, 15 * 0.4, 0]
    assert table.parts["place"][:, 1].tolist() == [15, 15, 15, 15]


def test_an_internship_starting_before_the_training_ends_counts_less_not_an_apprenticeship() -> (
    None
):
    learner = fit.LearnerFacts(key=1, training_ends_on=dt.date(2027, 6, 30))
    early = fit.OfferNeeds(key=1, starts_on=dt.date(2027, 5, 1))
    apprenticeship = fit.OfferNeeds(key=2, starts_on=dt.date(2027, 5, 1), during_training=True)
    table = fit.fit_table([learner], [early, apprenticeship])
    assert table.parts["availability"][0].tolist() == [3, 10]
    assert table.explanation(0, 0)["parts"][3]["reason"] == "before_end"


def test_wishes_rank_first_wish_highest_and_other_wishes_lowest() -> None:
    offers = [fit.OfferNeeds(key=k) for k in (1, 2, 3, 4)]
    wisher = fit.LearnerFacts(key=1, wishes={1: 1, 2: 2, 3: 4})
    silent = fit.LearnerFacts(key=2)
    table = fit.fit_table([wisher, silent], offers)
    assert table.parts["wishes"][0].tolist() == [15, 12, 6, 0]
    assert table.parts["wishes"][1].tolist() == [7.5] * 4
