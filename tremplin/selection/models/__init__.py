"""Selection's models, one module per concept: calls (and their stages), applications (and
stage results), assessments (interviews, home visits, administrative checks), appointments,
decisions, cohort.

Django finds an app's models through its `models` module, so this `__init__` imports every
model class: the one exception to "nothing re-exported through `__init__`"
(docs/architecture.md). Callers import from `tremplin.selection.models`.
"""

from tremplin.selection.models.applications import (
    AgeBand,
    Application,
    ApplicationQuestion,
    Decision,
    ReasonCode,
    StageResult,
)
from tremplin.selection.models.appointments import Appointment, AppointmentLink
from tremplin.selection.models.assessments import (
    AdministrativeCheck,
    InterviewAssignment,
    Rating,
    SocialInvestigation,
)
from tremplin.selection.models.calls import Call, CallSite, Criterion, Stage, StageKind
from tremplin.selection.models.cohort import (
    CohortAttribute,
    CohortPin,
    CohortRound,
    CohortRule,
    CohortRuleKind,
)
from tremplin.selection.models.decisions import FinalDecision
from tremplin.selection.models.documents import ApplicationDocument

__all__ = [
    "AdministrativeCheck",
    "AgeBand",
    "Application",
    "ApplicationDocument",
    "ApplicationQuestion",
    "Appointment",
    "AppointmentLink",
    "Call",
    "CallSite",
    "CohortAttribute",
    "CohortPin",
    "CohortRound",
    "CohortRule",
    "CohortRuleKind",
    "Criterion",
    "Decision",
    "FinalDecision",
    "InterviewAssignment",
    "Rating",
    "ReasonCode",
    "SocialInvestigation",
    "Stage",
    "StageKind",
    "StageResult",
]
