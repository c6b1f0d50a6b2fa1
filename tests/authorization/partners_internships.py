"""Matrix rows for partners: internships (see partners.py for who may do what).

During the internship (area "during"): the follow-up page and its forms follow the learner's
site (Alpha North's manager and job coach, Alpha's admin; Beta's manager does not find it).
A programme's evaluation criteria are for managers. The tutor's evaluation link and the
learner's self-assessment are private links (anyone holding one): the tutor's answers 410
Gone, with a page that says why, once submitted, revoked or expired.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from conftest import World
from tests.authorization.partners_answers import (
    ALPHA_CRITERIA,
    ALPHA_CRITERIA_POST,
    ALPHA_INTERNSHIP_POST,
    ALPHA_PARTNER,
    PARTNER_PAGES,
)
from tests.authorization.records import no_kwargs
from tests.authorization.rows import PERSONAS, PUBLIC, Row
from tremplin.partners.models import TutorEvaluation
from tremplin.partners.tests.during_setup import (
    check_in_planned,
    internship_at,
    learner_token,
    tutor_link,
)

# A tutor's link that was used, revoked or has expired: the same page for everyone.
GONE = MappingProxyType(dict.fromkeys(PERSONAS, 410))

SOFT = ("punctuality", "teamwork", "communication", "initiative", "autonomy", "rules")
TUTOR_ANSWERS = {f"rating_s-{s}": "3" for s in SOFT} | {
    "would_hire": "yes",
    "evaluator_name": "Tom Tutor",
    "comment": "Careful work.",
}


def internship_north(w: World) -> dict[str, Any]:
    return {"internship_id": internship_at(w).pk}


def check_in_north(w: World) -> dict[str, Any]:
    return {"check_in_id": check_in_planned(internship_at(w)).pk}


def evaluation_north(w: World) -> dict[str, Any]:
    tutor_link(internship_at(w))
    return {"evaluation_id": TutorEvaluation.objects.latest("pk").pk}


def programme_alpha(w: World) -> dict[str, Any]:
    return {"programme_id": w.programme_alpha.pk}


def tutor_token(state: str) -> Any:
    def build(w: World) -> dict[str, Any]:
        return {"token": tutor_link(internship_at(w), state=state)}

    return build


def learner_token_north(w: World) -> dict[str, Any]:
    return {"token": learner_token(internship_at(w))}


ROWS: list[Row] = [
    Row("partners:internship-follow-up", internship_north, ALPHA_PARTNER),
    Row(
        "partners:check-in-plan",
        internship_north,
        ALPHA_INTERNSHIP_POST,
        post={"plan-kind": "call", "plan-planned_on": "2026-11-20"},
    ),
    Row("partners:check-ins-plan-default", internship_north, ALPHA_INTERNSHIP_POST, post={}),
    Row(
        "partners:check-in-record",
        check_in_north,
        ALPHA_INTERNSHIP_POST,
        post={"held-held_on": "2026-10-26", "held-notes": "All good."},
    ),
    Row("partners:check-ins-due", no_kwargs, PARTNER_PAGES),
    Row(
        "partners:incident-record",
        internship_north,
        ALPHA_INTERNSHIP_POST,
        post={
            "incident-kind": "absence",
            "incident-happened_on": "2026-11-02",
            "incident-description": "Absent two days.",
        },
    ),
    Row(
        "partners:internship-end",
        internship_north,
        ALPHA_INTERNSHIP_POST,
        post={"end-ended_on": "2026-11-20", "end-how": "early", "end-end_reason": "health"},
    ),
    Row(
        "partners:internship-job-offer",
        lambda w: {"internship_id": internship_at(w, status="ended").pk},
        ALPHA_INTERNSHIP_POST,
        post={"job-job_offered": "yes"},
    ),
    Row("partners:evaluation-request", internship_north, ALPHA_INTERNSHIP_POST, post={}),
    Row("partners:evaluation-revoke", evaluation_north, ALPHA_INTERNSHIP_POST, post={}),
    Row("partners:evaluation-criteria", programme_alpha, ALPHA_CRITERIA),
    Row(
        "partners:evaluation-criteria",
        programme_alpha,
        ALPHA_CRITERIA_POST,
        post={"soft_en": "Care\nSpeed", "soft_fr": "Soin\nRapidité"},
    ),
    Row("partners:tutor-evaluation", tutor_token("open"), PUBLIC),
    Row("partners:tutor-evaluation", tutor_token("open"), PUBLIC, post=TUTOR_ANSWERS),
    Row("partners:tutor-evaluation", tutor_token("submitted"), GONE),
    Row("partners:tutor-evaluation", tutor_token("submitted"), GONE, post=TUTOR_ANSWERS),
    Row("partners:tutor-evaluation", tutor_token("revoked"), GONE),
    Row("partners:tutor-evaluation", tutor_token("expired"), GONE),
    Row("partners:learner-internship", learner_token_north, PUBLIC),
    Row(
        "partners:learner-internship",
        learner_token_north,
        PUBLIC,
        post={"went_well": "Splicing.", "satisfaction": "4"},
    ),
    Row("partners:dashboard", no_kwargs, PARTNER_PAGES),
]
