"""Matrix rows for cohorts and their learners (training_records.py builds the records).

Network admins and site managers set up cohorts, enrol learners and record what happens to
them; a trainer sees only the cohorts they teach and moves their learners between level
groups; a job coach sees every cohort of their site and sends a learner their private link.
Another site's cohort or learner is not found (404); a role that may not act gets 403. The
learner's home is for whoever holds its link.
"""

from __future__ import annotations

from tests.authorization.records import given, no_kwargs
from tests.authorization.rows import EVERYONE, PUBLIC, Row, answers
from tests.authorization.training_records import (
    cohort_at,
    cohort_with_call_at,
    enrolment_at,
    learner_token,
    open_entry_cohort_at,
)

# fmt: off
LIST = answers(ok={"superuser", "admin_a", "manager_a1", "trainer_a1", "coach_a1", "manager_b1"})
MANAGE = answers(ok={"superuser", "admin_a", "manager_a1", "manager_b1"})
# North's cohort, taught by trainer_a1
READ_NORTH = answers(ok={"superuser", "admin_a", "manager_a1", "trainer_a1", "coach_a1"}, not_found={"manager_b1"})
# North's cohort that trainer_a1 does not teach: not found for them
READ_NORTH_UNTAUGHT = answers(ok={"superuser", "admin_a", "manager_a1", "coach_a1"}, not_found={"manager_b1", "trainer_a1"})
READ_SOUTH = answers(ok={"superuser", "admin_a"}, not_found={"manager_a1", "trainer_a1", "coach_a1", "manager_b1"})
READ_BETA = answers(ok={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1", "trainer_a1", "coach_a1"})
# managing North's cohort: the trainer and the coach see it but may not (403)
MANAGE_NORTH = answers(ok={"superuser", "admin_a", "manager_a1"}, not_found={"manager_b1"})
MANAGE_NORTH_POST = answers(redirected={"superuser", "admin_a", "manager_a1"}, not_found={"manager_b1"})
MANAGE_BETA_POST = answers(redirected={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1", "trainer_a1", "coach_a1"})
# a level group: the cohort's trainer too (the form, with nothing chosen, comes back)
TEACH_NORTH = answers(ok={"superuser", "admin_a", "manager_a1", "trainer_a1"}, not_found={"manager_b1"})
# the private link: who sees the whole site's cohorts (managers, job coaches)
SITE_WIDE_NORTH = answers(ok={"superuser", "admin_a", "manager_a1", "coach_a1"}, not_found={"manager_b1"})

ROWS: list[Row] = [
    Row("training:cohort-list", no_kwargs, LIST),
    Row("training:cohort-create", no_kwargs, MANAGE),
    Row("training:cohort-create", no_kwargs, MANAGE, post={}),  # form errors, shown again
    Row("training:cohort-detail", cohort_at("north"), READ_NORTH),
    Row("training:cohort-detail", cohort_at("north", taught=False), READ_NORTH_UNTAUGHT),
    Row("training:cohort-detail", cohort_at("south"), READ_SOUTH),
    Row("training:cohort-detail", cohort_at("beta_site"), READ_BETA),
    Row("training:cohort-edit", cohort_at("north"), MANAGE_NORTH),
    Row("training:cohort-edit", cohort_at("north"), MANAGE_NORTH, post={}),  # form errors
    Row("training:cohort-edit", cohort_at("beta_site"), answers(ok={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1", "trainer_a1", "coach_a1"})),
    # enrolling from the call: the preview, then the confirmation (nobody new: back to it)
    Row("training:cohort-enrol-selected", cohort_with_call_at("north"), answers(ok={"superuser", "admin_a", "manager_a1"}, not_found={"manager_b1"})),
    Row("training:cohort-enrol-selected", cohort_with_call_at("north"), MANAGE_NORTH_POST, post={}),
    # (the trainer and the coach may not enrol anywhere: 403 before the cohort is looked up)
    Row("training:cohort-enrol-selected", cohort_with_call_at("beta_site"), answers(redirected={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1"}), post={}),
    # a cohort without a call has nothing to enrol from
    Row("training:cohort-enrol-selected", cohort_at("north"), answers(not_found={"superuser", "admin_a", "manager_a1", "manager_b1"})),
    Row("training:cohort-enrol-person", open_entry_cohort_at("north"), MANAGE_NORTH),
    Row("training:cohort-enrol-person", open_entry_cohort_at("north"), MANAGE_NORTH, post={"action": "create"}),  # form errors
    Row("training:cohort-enrol-person", cohort_at("north"), answers(not_found={"superuser", "admin_a", "manager_a1", "manager_b1"})),
    Row("training:cohort-graduate", cohort_at("north"), MANAGE_NORTH_POST, post={}),
    Row("training:cohort-graduate", cohort_at("beta_site"), MANAGE_BETA_POST, post={}),
    # a learner
    Row("training:enrolment-detail", enrolment_at("north"), READ_NORTH),
    Row("training:enrolment-detail", enrolment_at("north", taught=False), READ_NORTH_UNTAUGHT),
    Row("training:enrolment-detail", enrolment_at("south"), READ_SOUTH),
    Row("training:enrolment-detail", enrolment_at("beta_site"), READ_BETA),
    Row("training:enrolment-level", enrolment_at("north"), TEACH_NORTH, post={}),
    Row("training:enrolment-level", enrolment_at("north", taught=False), answers(ok={"superuser", "admin_a", "manager_a1"}, not_found={"manager_b1", "trainer_a1"}), post={}),
    Row("training:enrolment-leave", enrolment_at("north"), MANAGE_NORTH, post={}),
    Row("training:enrolment-leave", enrolment_at("beta_site"), answers(ok={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1", "trainer_a1", "coach_a1"}), post={}),
    Row("training:enrolment-transfer", enrolment_at("north"), MANAGE_NORTH, post={}),
    Row("training:enrolment-graduate", enrolment_at("north"), MANAGE_NORTH, post={}),
    # coming back when in training already: refused, back to the learner's page
    Row("training:enrolment-reenter", enrolment_at("north"), MANAGE_NORTH_POST, post={}),
    Row("training:enrolment-link-send", enrolment_at("north"), SITE_WIDE_NORTH, post={}),
    # Bilal gave no e-mail address or phone: refused, back to his page
    Row("training:enrolment-link-send", enrolment_at("south"), answers(redirected={"superuser", "admin_a"}, not_found={"manager_a1", "trainer_a1", "coach_a1", "manager_b1"}), post={}),
    # the learner's home, on their private link
    Row("training:learner-home", learner_token, PUBLIC),
    Row("training:learner-home", given(token="unknown"), answers(not_found=EVERYONE)),
]
# fmt: on
