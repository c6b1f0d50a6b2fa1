"""Training's models, one module per concept: structure (periods, modules, the competences
they aim at), cohorts (cohorts and enrolments), timetable (rooms, sessions), attendance,
progress (evidence of competence).

Django finds an app's models through its `models` module, so this `__init__` imports every
model class: the one exception to "nothing re-exported through `__init__`"
(docs/architecture.md). Callers import from `tremplin.training.models`.
"""

from tremplin.training.models.alerts import (
    ActionKind,
    ActionOutcome,
    Alert,
    AlertAction,
    AlertKind,
    AlertOutcome,
    AlertRule,
    AlertState,
)
from tremplin.training.models.assessments import Assessment, AssessmentKind, AssessmentResult
from tremplin.training.models.attendance import Mark, MarkStatus
from tremplin.training.models.certificates import Certificate, IssuerKey
from tremplin.training.models.certification import (
    CertificationKind,
    CertificationOutcome,
    CertificationResult,
    CertificationSession,
)
from tremplin.training.models.cohorts import Cohort, Enrolment, ExitReason
from tremplin.training.models.progress import CompetenceEvidence, EvidenceSource
from tremplin.training.models.projects import (
    Project,
    ProjectAssignment,
    ProjectEvaluation,
    ProjectRubricCriterion,
)
from tremplin.training.models.rollcall import LearnerPhoto, MarkOperation
from tremplin.training.models.signatures import (
    HalfDay,
    RoomCode,
    SessionTally,
    Signature,
    SignatureMethod,
)
from tremplin.training.models.structure import Module, ModuleCompetence, ModuleKind, Period
from tremplin.training.models.surveys import SatisfactionSurvey, SurveyResponse
from tremplin.training.models.timetable import Room, Session
from tremplin.training.models.timetable_extra import CalendarLink, Holiday, WeeklyPattern

__all__ = [
    "ActionKind",
    "ActionOutcome",
    "Alert",
    "AlertAction",
    "AlertKind",
    "AlertOutcome",
    "AlertRule",
    "AlertState",
    "Assessment",
    "AssessmentKind",
    "AssessmentResult",
    "CalendarLink",
    "Certificate",
    "CertificationKind",
    "CertificationOutcome",
    "CertificationResult",
    "CertificationSession",
    "Cohort",
    "CompetenceEvidence",
    "Enrolment",
    "EvidenceSource",
    "ExitReason",
    "HalfDay",
    "Holiday",
    "IssuerKey",
    "LearnerPhoto",
    "Mark",
    "MarkOperation",
    "MarkStatus",
    "Module",
    "ModuleCompetence",
    "ModuleKind",
    "Period",
    "Project",
    "ProjectAssignment",
    "ProjectEvaluation",
    "ProjectRubricCriterion",
    "Room",
    "RoomCode",
    "SatisfactionSurvey",
    "Session",
    "SessionTally",
    "Signature",
    "SignatureMethod",
    "SurveyResponse",
    "WeeklyPattern",
]
