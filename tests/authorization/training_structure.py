"""Matrix rows for a programme's structure (periods, modules, assessments), results entry and
transcripts.

The structure belongs to the programme: whoever uses training in its organisation reads it
(a trainer, a job coach), its network admins and the site managers of its sites change it
(a trainer or coach: 403), another organisation's is not found. Results and transcripts
follow the cohort: a trainer only for the cohorts they teach (another: 404); results are
entered by the cohort's trainers and who manages its site (a job coach reads them: 403 on
POST).
"""

from __future__ import annotations

from tests.authorization.records import ids, no_kwargs
from tests.authorization.rows import Row, answers
from tests.authorization.training_records import (
    assessment_of,
    cohort_assessment_at,
    cohort_once_at,
    learner_once_at,
    module_of,
    period_of,
)

USERS = {"superuser", "admin_a", "manager_a1", "trainer_a1", "coach_a1", "manager_b1"}
READ_ALPHA = answers(
    ok={"superuser", "admin_a", "manager_a1", "trainer_a1", "coach_a1"}, not_found={"manager_b1"}
)
READ_BETA = answers(
    ok={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1", "trainer_a1", "coach_a1"}
)
EDIT_ALPHA = answers(ok={"superuser", "admin_a", "manager_a1"}, not_found={"manager_b1"})
EDIT_ALPHA_POST = answers(
    redirected={"superuser", "admin_a", "manager_a1"}, not_found={"manager_b1"}
)
EDIT_BETA = answers(ok={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1"})
EDIT_BETA_POST = answers(
    redirected={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1"}
)
# A cohort of Alpha North taught by trainer_a1; one it does not teach; one at Alpha South.
COHORT_NORTH = READ_ALPHA
COHORT_NORTH_OTHER = answers(
    ok={"superuser", "admin_a", "manager_a1", "coach_a1"}, not_found={"trainer_a1", "manager_b1"}
)
COHORT_SOUTH = answers(
    ok={"superuser", "admin_a"},
    not_found={"manager_a1", "trainer_a1", "coach_a1", "manager_b1"},
)
RESULTS_NORTH_POST = answers(
    redirected={"superuser", "admin_a", "manager_a1", "trainer_a1"}, not_found={"manager_b1"}
)
RESULTS_NORTH_OTHER_POST = answers(
    redirected={"superuser", "admin_a", "manager_a1"}, not_found={"trainer_a1", "manager_b1"}
)

PERIOD = {"title": "Term 2", "kind": "term", "weeks": "12"}
MODULE = {"title": "English", "kind": "language", "hours": "40", "period": "", "summary": ""}
ASSESSMENT = {
    "title": "Final exam",
    "kind": "written_exam",
    "period": "",
    "module": "",
    "max_score": "20",
    "pass_mark": "10",
    "weight": "1",
}

ALPHA = ids(programme_id="programme_alpha")
BETA = ids(programme_id="programme_beta")

# fmt: off
ROWS: list[Row] = [
    Row("training:structure-list", no_kwargs, answers(ok=USERS)),
    Row("training:programme-structure", ALPHA, READ_ALPHA),
    Row("training:programme-structure", BETA, READ_BETA),
    Row("training:period-create", ALPHA, EDIT_ALPHA),
    Row("training:period-create", BETA, EDIT_BETA),
    Row("training:period-create", ALPHA, EDIT_ALPHA_POST, post=PERIOD),
    Row("training:period-edit", period_of("programme_alpha"), EDIT_ALPHA),
    Row("training:period-edit", period_of("programme_beta"), EDIT_BETA),
    Row("training:period-edit", period_of("programme_alpha"), EDIT_ALPHA_POST, post=PERIOD),
    Row("training:period-remove", period_of("programme_alpha"), EDIT_ALPHA_POST, post={}),
    Row("training:period-remove", period_of("programme_beta"), EDIT_BETA_POST, post={}),
    Row("training:period-move", period_of("programme_alpha"), EDIT_ALPHA_POST, post={"direction": "up"}),
    Row("training:module-create", ALPHA, EDIT_ALPHA),
    Row("training:module-create", BETA, EDIT_BETA),
    Row("training:module-create", ALPHA, EDIT_ALPHA_POST, post=MODULE),
    Row("training:module-edit", module_of("programme_alpha"), EDIT_ALPHA),
    Row("training:module-edit", module_of("programme_beta"), EDIT_BETA),
    Row("training:module-edit", module_of("programme_alpha"), EDIT_ALPHA_POST, post=MODULE),
    Row("training:module-remove", module_of("programme_alpha"), EDIT_ALPHA_POST, post={}),
    Row("training:module-remove", module_of("programme_beta"), EDIT_BETA_POST, post={}),
    Row("training:module-move", module_of("programme_alpha"), EDIT_ALPHA_POST, post={"direction": "down"}),
    Row("training:module-targets", module_of("programme_alpha"), EDIT_ALPHA),
    Row("training:module-targets", module_of("programme_beta"), EDIT_BETA),
    Row("training:module-targets", module_of("programme_alpha"), EDIT_ALPHA_POST, post={"action": "remove", "target": "1"}),
    Row("training:assessment-create", ALPHA, EDIT_ALPHA),
    Row("training:assessment-create", BETA, EDIT_BETA),
    Row("training:assessment-edit", assessment_of("programme_alpha"), EDIT_ALPHA),
    Row("training:assessment-edit", assessment_of("programme_beta"), EDIT_BETA),
    # (a period or module is required: the form comes back with the error, to those who may edit)
    Row("training:assessment-edit", assessment_of("programme_alpha"), EDIT_ALPHA, post=ASSESSMENT),
    Row("training:assessment-create", ALPHA, EDIT_ALPHA, post=ASSESSMENT),
    Row("training:assessment-remove", assessment_of("programme_alpha"), EDIT_ALPHA_POST, post={}),
    Row("training:assessment-remove", assessment_of("programme_beta"), EDIT_BETA_POST, post={}),
    Row("training:assessment-cohorts", no_kwargs, answers(ok=USERS)),
    Row("training:cohort-assessments", cohort_once_at("north"), COHORT_NORTH),
    Row("training:cohort-assessments", cohort_once_at("north", taught=False), COHORT_NORTH_OTHER),
    Row("training:cohort-assessments", cohort_once_at("south"), COHORT_SOUTH),
    Row("training:assessment-results", cohort_assessment_at("north"), COHORT_NORTH),
    Row("training:assessment-results", cohort_assessment_at("north", taught=False), COHORT_NORTH_OTHER),
    Row("training:assessment-results", cohort_assessment_at("south"), COHORT_SOUTH),
    Row("training:assessment-results", cohort_assessment_at("north"), RESULTS_NORTH_POST, post={}),
    Row("training:assessment-results", cohort_assessment_at("north", taught=False), RESULTS_NORTH_OTHER_POST, post={}),
    Row("training:enrolment-transcript", learner_once_at("north"), COHORT_NORTH),
    Row("training:enrolment-transcript", learner_once_at("north", taught=False), COHORT_NORTH_OTHER),
    Row("training:enrolment-transcript", learner_once_at("beta_site"), answers(ok={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1", "trainer_a1", "coach_a1"})),
    Row("training:enrolment-transcript-pdf", learner_once_at("north"), COHORT_NORTH),
    Row("training:enrolment-transcript-pdf", learner_once_at("south"), COHORT_SOUTH),
]
# fmt: on
