"""Matrix rows for training, one module per area (each exports ROWS).

Training's rule: network admins and site managers run training at their sites; job coaches
see every cohort of their site; a trainer sees only the cohorts they teach and their
learners (another cohort of their own site: 404); funders, selection officers, interviewers
and investigators are refused (403). Records: training_records.py.
"""

from __future__ import annotations

from tests.authorization import training_cohorts
from tests.authorization.rows import Row

ROWS: list[Row] = [
    *training_cohorts.ROWS,
]
