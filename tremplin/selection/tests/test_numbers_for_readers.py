"""Numbers in sentences follow the reader's language ("4,26" in French and Arabic); numbers a
machine reads back (an <input>'s value) keep the point."""

from __future__ import annotations

from types import SimpleNamespace

from django.utils import translation

from tremplin.core.numbers import number_text, percent_text
from tremplin.selection.cohort.problem import Applicant, Problem, Rule, RuleKind, rule_label
from tremplin.selection.cohort.solving import solve
from tremplin.selection.views.cohort import gauges


def test_number_text_uses_the_languages_decimal_separator() -> None:
    with translation.override("fr"):
        assert number_text(4.256) == "4,26"
        assert number_text(12.0) == "12"
        assert number_text(4.1, places=2, fixed=True) == "4,10"
        assert percent_text(33.333) == "33,3 %"
        assert number_text(1e30) == "1" + "0" * 30
    with translation.override("en"):
        assert number_text(4.256) == "4.26"


def test_explanations_and_rule_labels_write_numbers_in_french_and_arabic() -> None:
    problem = Problem(
        seats=2,
        applicants=[
            Applicant(id="a", score=70, attributes={"gender": "F"}),
            Applicant(id="b", score=60.5, attributes={"gender": "F"}),
            Applicant(id="c", score=56.25, attributes={"gender": "M"}),
        ],
        rules=[Rule("gender", RuleKind.MAX_SHARE, 0.6667, "M")],
    )
    for language in ("fr", "ar"):
        with translation.override(language):
            solution = solve(problem)
            left_out = next(c for c in solution.choices if not c.selected)
            assert "60,5" in left_out.reason, left_out.reason
            assert "4,26" in left_out.reason, left_out.reason
            assert "60.5" not in left_out.reason
            assert "66,67 %" in rule_label(problem, problem.rules[0])


def test_cohort_gauges_write_shares_in_french() -> None:
    check = SimpleNamespace(
        kind="min_share", share=True, actual=0.25, limit=0.375, count=1, total=4, label="F"
    )
    check.kept = False
    with translation.override("fr"):
        (gauge,) = gauges([check])
    assert "(25,0 %)" in gauge["text"], gauge["text"]
    assert "37,5 %" in gauge["text"], gauge["text"]
    assert gauge["bar"] == 25.0  # a number, for the SVG
