"""Selection processes a call can start from: the four reference programmes' own, and a
blank one. A call copies the template's stages; the copy is then the call's to change."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from tremplin.selection.models import StageKind

ANCHORS_MOTIVATION = [
    gettext_noop("No reason given for applying."),
    gettext_noop("A vague wish, no link with the programme."),
    gettext_noop("Knows what the programme is and why it matters to them."),
    gettext_noop("A clear project, the programme as its next step."),
    gettext_noop("A clear project, steps already taken, can say what they will give up for it."),
]
ANCHORS_COMMITMENT = [
    gettext_noop("Cannot attend the whole programme."),
    gettext_noop("Attendance uncertain, no plan for the obstacles."),
    gettext_noop("Can attend; some obstacles, with a plan."),
    gettext_noop("Can attend; obstacles named and solved."),
    gettext_noop("Can attend; family or support network on board."),
]
ANCHORS_COMMUNICATION = [
    gettext_noop("Hard to understand each other, even with help."),
    gettext_noop("Understands simple questions; short answers."),
    gettext_noop("Explains their ideas with some help."),
    gettext_noop("Explains clearly, listens, asks questions."),
    gettext_noop("Explains clearly and adapts to the listener."),
]
ANCHORS_TECHNICAL = [
    gettext_noop("Has never used a computer."),
    gettext_noop("Uses a phone; a computer with help."),
    gettext_noop("Uses a computer for everyday tasks."),
    gettext_noop("Has made something with a computer (a document, a page, a spreadsheet)."),
    gettext_noop("Has built something technical on their own (code, a network, a repair)."),
]
ANCHORS_REASONING = [
    gettext_noop("Cannot follow the steps of a simple problem."),
    gettext_noop("Follows the steps with help."),
    gettext_noop("Solves a simple problem alone."),
    gettext_noop("Solves a new problem and explains how."),
    gettext_noop("Solves a new problem several ways and compares them."),
]

# Social investigation: each answer adds points to the need index (0–100 once scaled).
PN_QUESTIONNAIRE: list[dict[str, Any]] = [
    {
        "key": "household_size",
        "label": gettext_noop("How many people live in the household?"),
        "type": "number",
        "min": 1,
        "max": 30,
        "points_per_unit": 2.5,
        "max_points": 20,
    },
    {
        "key": "income",
        "label": gettext_noop("Household income per person and per month"),
        "type": "choice",
        "choices": [
            {"value": "under_50", "label": gettext_noop("Under USD 50"), "points": 30},
            {"value": "50_100", "label": gettext_noop("USD 50 to 100"), "points": 20},
            {"value": "100_200", "label": gettext_noop("USD 100 to 200"), "points": 10},
            {"value": "over_200", "label": gettext_noop("Over USD 200"), "points": 0},
        ],
    },
    {
        "key": "housing",
        "label": gettext_noop("Housing"),
        "type": "choice",
        "choices": [
            {"value": "owned", "label": gettext_noop("Owned, solid house"), "points": 0},
            {"value": "rented", "label": gettext_noop("Rented"), "points": 5},
            {"value": "makeshift", "label": gettext_noop("Temporary or makeshift"), "points": 15},
        ],
    },
    {
        "key": "parents",
        "label": gettext_noop("Parents"),
        "type": "choice",
        "choices": [
            {"value": "both_work", "label": gettext_noop("Both parents work"), "points": 0},
            {"value": "one_works", "label": gettext_noop("One parent works"), "points": 8},
            {"value": "none_works", "label": gettext_noop("No parent can work"), "points": 15},
        ],
    },
    {
        "key": "debts",
        "label": gettext_noop("The household has debts it struggles to repay"),
        "type": "yesno",
        "points": 10,
    },
    {
        "key": "comments",
        "label": gettext_noop("What the investigator saw (free text)"),
        "type": "text",
    },
]


@dataclass(frozen=True)
class CriterionTemplate:
    name: str
    weight: float
    anchors: list[str]


@dataclass(frozen=True)
class StageTemplate:
    kind: str
    name: str
    max_score: float | None = None
    pass_mark: float | None = None
    raters: int = 2
    criteria: list[CriterionTemplate] = field(default_factory=list)
    questionnaire: list[dict[str, Any]] = field(default_factory=list)
    placement_test: bool = False


@dataclass(frozen=True)
class ProcessTemplate:
    key: str
    label: Any
    stages: list[StageTemplate]


PROCESSES: dict[str, ProcessTemplate] = {
    template.key: template
    for template in [
        ProcessTemplate(
            key="passerelles",
            label=_("Passerelles numériques: four steps, with home visits"),
            stages=[
                StageTemplate(StageKind.INFORMATION_SESSION, gettext_noop("Information session")),
                StageTemplate(
                    StageKind.WRITTEN_EXAM,
                    gettext_noop("Written exams"),
                    max_score=100,
                    pass_mark=50,
                ),
                StageTemplate(
                    StageKind.INTERVIEW,
                    gettext_noop("Motivation interview"),
                    raters=2,
                    criteria=[
                        CriterionTemplate(gettext_noop("Motivation"), 3, ANCHORS_MOTIVATION),
                        CriterionTemplate(
                            gettext_noop("Commitment for the whole course"), 2, ANCHORS_COMMITMENT
                        ),
                        CriterionTemplate(gettext_noop("Communication"), 1, ANCHORS_COMMUNICATION),
                        CriterionTemplate(gettext_noop("Reasoning"), 1, ANCHORS_REASONING),
                    ],
                ),
                StageTemplate(
                    StageKind.SOCIAL_INVESTIGATION,
                    gettext_noop("Social investigation (home visit)"),
                    questionnaire=PN_QUESTIONNAIRE,
                ),
            ],
        ),
        ProcessTemplate(
            key="plombiers",
            label=_("Les Plombiers du Numérique: open entry for 18–25 year-olds"),
            stages=[
                StageTemplate(StageKind.INFORMATION_SESSION, gettext_noop("Information session")),
                StageTemplate(
                    StageKind.ADMINISTRATIVE_CHECK, gettext_noop("Age and situation check")
                ),
                StageTemplate(
                    StageKind.INTERVIEW,
                    gettext_noop("Meeting with the team"),
                    raters=1,
                    criteria=[
                        CriterionTemplate(
                            gettext_noop("Motivation for the trade"), 2, ANCHORS_MOTIVATION
                        ),
                        CriterionTemplate(
                            gettext_noop("Availability for the sessions and internships"),
                            1,
                            ANCHORS_COMMITMENT,
                        ),
                    ],
                ),
            ],
        ),
        ProcessTemplate(
            key="konexio",
            label=_("Konexio: placement test and French level"),
            stages=[
                StageTemplate(StageKind.INFORMATION_SESSION, gettext_noop("Information session")),
                StageTemplate(
                    StageKind.WRITTEN_EXAM,
                    gettext_noop("Placement test"),
                    max_score=100,
                    placement_test=True,
                ),
                StageTemplate(
                    StageKind.ADMINISTRATIVE_CHECK, gettext_noop("French level and documents")
                ),
                StageTemplate(
                    StageKind.INTERVIEW,
                    gettext_noop("Motivation interview"),
                    raters=2,
                    criteria=[
                        CriterionTemplate(gettext_noop("Motivation"), 2, ANCHORS_MOTIVATION),
                        CriterionTemplate(
                            gettext_noop("Availability for the course"), 1, ANCHORS_COMMITMENT
                        ),
                    ],
                ),
            ],
        ),
        ProcessTemplate(
            key="simplon",
            label=_("Simplon: one selection day"),
            stages=[
                StageTemplate(
                    StageKind.ADMINISTRATIVE_CHECK, gettext_noop("Administrative situation")
                ),
                StageTemplate(
                    StageKind.INTERVIEW,
                    gettext_noop("Selection day interview"),
                    raters=2,
                    criteria=[
                        CriterionTemplate(gettext_noop("Motivation"), 2, ANCHORS_MOTIVATION),
                        CriterionTemplate(
                            gettext_noop("Technical background"), 1, ANCHORS_TECHNICAL
                        ),
                        CriterionTemplate(
                            gettext_noop("Availability for six weeks"), 1, ANCHORS_COMMITMENT
                        ),
                    ],
                ),
            ],
        ),
        ProcessTemplate(
            key="blank",
            label=_("Start from an empty list of stages"),
            stages=[],
        ),
    ]
}
