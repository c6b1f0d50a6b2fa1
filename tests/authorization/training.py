"""Matrix rows for training, one module per area (each exports ROWS).

Training's rule: network admins and site managers run training at their sites; job coaches
see every cohort of their site; a trainer sees only the cohorts they teach and their
learners (another cohort of their own site: 404); funders, selection officers, interviewers
and investigators are refused (403). Records: training_records.py.
"""

from __future__ import annotations

from tests.authorization import (
    training_alerts,
    training_certificates,
    training_cohorts,
    training_progress,
    training_rollcall,
    training_sheets,
    training_structure,
    training_timetable,
)
from tests.authorization.rows import Row

ROWS: list[Row] = [
    *training_timetable.ROWS,
    *training_progress.ROWS,
    *training_structure.ROWS,
    *training_rollcall.ROWS,
    *training_certificates.ROWS,
    *training_alerts.ROWS,
    *training_sheets.ROWS,
    *training_cohorts.ROWS,
]
