"""Training's models, one module per concept: structure (periods, modules, the competences
they aim at), cohorts (cohorts and enrolments), timetable (rooms, sessions), attendance,
progress (evidence of competence).

Django finds an app's models through its `models` module, so this `__init__` imports every
model class: the one exception to "nothing re-exported through `__init__`"
(docs/architecture.md). Callers import from `tremplin.training.models`.
"""

from tremplin.training.models.attendance import Mark, MarkStatus
from tremplin.training.models.cohorts import Cohort, Enrolment, ExitReason
from tremplin.training.models.progress import CompetenceEvidence, EvidenceSource
from tremplin.training.models.signatures import (
    HalfDay,
    RoomCode,
    SessionTally,
    Signature,
    SignatureMethod,
)
from tremplin.training.models.structure import Module, ModuleCompetence, ModuleKind, Period
from tremplin.training.models.timetable import Room, Session

__all__ = [
    "Cohort",
    "CompetenceEvidence",
    "Enrolment",
    "EvidenceSource",
    "ExitReason",
    "HalfDay",
    "Mark",
    "MarkStatus",
    "Module",
    "ModuleCompetence",
    "ModuleKind",
    "Period",
    "Room",
    "RoomCode",
    "Session",
    "SessionTally",
    "Signature",
    "SignatureMethod",
]
