from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tremplin.selection.need_index import answers_clean, need_index, questionnaire_validate
from tremplin.selection.processes import PN_QUESTIONNAIRE
from tremplin.selection.scorecards import (
    RaterMark,
    severity_report,
    stage_scores,
    standardised_marks,
    weighted_mark,
)


def test_the_shipped_questionnaire_is_valid() -> None:
    assert questionnaire_validate(PN_QUESTIONNAIRE) == PN_QUESTIONNAIRE


@pytest.mark.parametrize(
    ("questions", "named"),
    [
        ([{"key": "a", "label": "A", "type": "colour"}], "Question 1"),
        ([{"key": "a b", "label": "A", "type": "text"}], "Question 1"),
        (
            [
                {"key": "a", "label": "A", "type": "text"},
                {"key": "a", "label": "B", "type": "text"},
            ],
            "Question 2",
        ),
        (
            [
                {
                    "key": "n",
                    "label": "N",
                    "type": "number",
                    "min": 5,
                    "max": 1,
                    "points_per_unit": 1,
                    "max_points": 3,
                }
            ],
            "(n)",
        ),
        ([{"key": "c", "label": "C", "type": "choice", "choices": []}], "(c)"),
    ],
)
def test_a_wrong_questionnaire_names_the_question(
    questions: list[dict[str, object]], named: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        questionnaire_validate(questions)
    assert named in caught.value.messages[0]


def test_answers_are_checked_question_by_question() -> None:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        answers_clean(
            PN_QUESTIONNAIRE, {"household_size": "forty", "income": "millions", "debts": "maybe"}
        )
    errors = caught.value.message_dict
    assert set(errors) == {"household_size", "income", "housing", "parents", "debts"}
    assert "number" in errors["household_size"][0]


def test_the_need_index_is_points_earned_over_points_possible() -> None:
    # Possible: 20 (size) + 30 (income) + 15 (housing) + 15 (parents) + 10 (debts) = 90.
    answers = answers_clean(
        PN_QUESTIONNAIRE,
        {
            "household_size": "6",
            "income": "50_100",
            "housing": "rented",
            "parents": "one_works",
            "debts": "yes",
            "comments": "Roof leaks",
        },
    )
    # 6 × 2.5 = 15, + 20 + 5 + 8 + 10 = 58 → 58 / 90 = 64.4
    assert need_index(PN_QUESTIONNAIRE, answers) == Decimal("64.4")
    poorest = answers_clean(
        PN_QUESTIONNAIRE,
        {
            "household_size": "12",
            "income": "under_50",
            "housing": "makeshift",
            "parents": "none_works",
            "debts": "yes",
        },
    )
    assert need_index(PN_QUESTIONNAIRE, poorest) == Decimal("100.0")


def test_a_raters_mark_is_the_weighted_mean_of_the_criteria() -> None:
    assert weighted_mark({1: 5, 2: 2}, {1: 3.0, 2: 1.0}) == pytest.approx(4.25)
    with pytest.raises(ValueError):
        weighted_mark({1: 5}, {1: 1.0, 2: 1.0})


def test_a_severe_rater_is_found_by_comparing_with_co_raters() -> None:
    marks = []
    for application in range(1, 7):
        base = 2.5 + application * 0.3
        marks.append(RaterMark(rater_id=1, application_id=application, mark=base))
        marks.append(RaterMark(rater_id=2, application_id=application, mark=base - 1.2))  # severe
        marks.append(RaterMark(rater_id=3, application_id=application, mark=base))
        marks.append(RaterMark(rater_id=4, application_id=application, mark=base))
    report = {r.rater_id: r for r in severity_report(marks)}
    assert report[2].verdict == "severe"
    assert report[2].deviation == pytest.approx(-1.2, abs=0.01)
    assert report[1].verdict == "in_line"
    assert report[3].verdict == "in_line"
    assert report[2].compared_on == 6


def test_standardising_removes_a_raters_offset() -> None:
    # Rater 1 marks everyone one point lower than rater 2 would, on different applicants.
    marks = [RaterMark(1, a, m) for a, m in [(1, 1.5), (2, 2.5), (3, 3.5)]]
    marks += [RaterMark(2, a, m) for a, m in [(4, 2.5), (5, 3.5), (6, 4.5)]]
    raw = stage_scores(marks)
    corrected = stage_scores(marks, standardise=True)
    assert raw[1] < raw[4]
    assert corrected[1] == pytest.approx(corrected[4])
    # Too few interviews: raw marks kept.
    few = [RaterMark(1, 1, 2.0), RaterMark(2, 1, 4.0)]
    assert standardised_marks(few) == {(1, 1): 2.0, (2, 1): 4.0}
