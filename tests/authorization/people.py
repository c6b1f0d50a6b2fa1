"""Matrix rows for people: the person list, a person's page, edits, merges, consents.

People are worked with by network admins, site managers, selection officers, trainers and job
coaches, within their sites; trainers read but do not write; only managers merge. Amina is at
Alpha North, Bilal at Alpha South, Chen at Beta. A person outside one's sites is not found,
whatever one's role.

A trainer sees only the learners, present or past, of the cohorts they teach (issue 13,
people.selectors.person_filter): trainer_a1 does not find Amina until she is enrolled in a
cohort trainer_a1 teaches, and never finds Bilal or Chen.
"""

from __future__ import annotations

from tests.authorization.records import consent_of_amina, ids, no_kwargs
from tests.authorization.rows import Row, answers
from tests.authorization.training_records import learner_of_other_trainer, learner_of_trainer

CONSENT = {"purpose": "contact", "notice_version": "2026-1"}

# fmt: off
# the lists; creating (not trainers)
READ = answers(ok={"superuser", "admin_a", "manager_a1", "officer_a1", "trainer_a1", "coach_a1", "manager_b1"})
WRITE = answers(ok={"superuser", "admin_a", "manager_a1", "officer_a1", "coach_a1", "manager_b1"})
# Amina, at Alpha North. Changed with issue 13: she is in no cohort trainer_a1 teaches, so
# trainer_a1 no longer finds her (a trainer used to read every person of the site, phone
# numbers included).
READ_NORTH = answers(ok={"superuser", "admin_a", "manager_a1", "officer_a1", "coach_a1"}, not_found={"manager_b1", "trainer_a1"})
# Amina enrolled in a cohort trainer_a1 teaches: trainer_a1 reads her record again
READ_NORTH_LEARNER = answers(ok={"superuser", "admin_a", "manager_a1", "officer_a1", "trainer_a1", "coach_a1"}, not_found={"manager_b1"})
# trainer_a1 was refused (403) these pages of a person they saw; now Amina is not found for them
WRITE_NORTH = answers(ok={"superuser", "admin_a", "manager_a1", "officer_a1", "coach_a1"}, not_found={"manager_b1", "trainer_a1"})
WRITE_NORTH_POST = answers(redirected={"superuser", "admin_a", "manager_a1", "officer_a1", "coach_a1"}, not_found={"manager_b1", "trainer_a1"})
# their own learner's record: read, never written (403)
WRITE_NORTH_LEARNER = answers(ok={"superuser", "admin_a", "manager_a1", "officer_a1", "coach_a1"}, not_found={"manager_b1"})
# Bilal, at Alpha South, and Chen, at Beta: not found outside one's sites, whatever the role
OF_SOUTH = answers(ok={"superuser", "admin_a"}, not_found={"manager_a1", "officer_a1", "trainer_a1", "coach_a1", "manager_b1"})
OF_BETA = answers(ok={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1", "officer_a1", "trainer_a1", "coach_a1"})
OF_BETA_POST = answers(redirected={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1", "officer_a1", "trainer_a1", "coach_a1"})

ROWS: list[Row] = [
    Row("people:person-list", no_kwargs, READ),
    Row("people:person-create", no_kwargs, WRITE),
    Row("people:person-detail", ids(person_id="amina"), READ_NORTH),
    Row("people:person-detail", learner_of_trainer, READ_NORTH_LEARNER),
    Row("people:person-detail", learner_of_other_trainer, READ_NORTH),
    Row("people:person-detail", ids(person_id="bilal"), OF_SOUTH),
    Row("people:person-detail", ids(person_id="chen"), OF_BETA),
    Row("people:person-edit", ids(person_id="amina"), WRITE_NORTH),
    Row("people:person-edit", ids(person_id="bilal"), OF_SOUTH),
    Row("people:person-edit", ids(person_id="chen"), OF_BETA),
    Row("people:person-sensitive", ids(person_id="amina"), WRITE_NORTH),
    Row("people:person-sensitive", ids(person_id="bilal"), OF_SOUTH),
    Row("people:person-sensitive", ids(person_id="chen"), OF_BETA),
    Row("people:person-edit", learner_of_trainer, WRITE_NORTH_LEARNER),
    Row("people:person-merge", ids(person_id="amina"), answers(ok={"superuser", "admin_a", "manager_a1"}, not_found={"manager_b1", "trainer_a1"})),
    Row("people:person-merge", ids(person_id="chen"), OF_BETA),
    Row("people:consent-add", ids(person_id="amina"), WRITE_NORTH_POST, post=CONSENT),
    Row("people:consent-add", ids(person_id="chen"), OF_BETA_POST, post=CONSENT),
    Row("people:consent-withdraw", consent_of_amina, WRITE_NORTH_POST, post={}),
]
# fmt: on
