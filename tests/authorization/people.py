"""Matrix rows for people: the person list, a person's page, edits, merges, consents.

People are worked with by network admins, site managers, selection officers, trainers and job
coaches, within their sites; trainers read but do not write; only managers merge. Amina is at
Alpha North, Bilal at Alpha South, Chen at Beta. A person outside one's sites is not found,
whatever one's role.
"""

from __future__ import annotations

from tests.authorization.records import consent_of_amina, ids, no_kwargs
from tests.authorization.rows import Row, answers

CONSENT = {"purpose": "contact", "notice_version": "2026-1"}

# fmt: off
# the lists; creating (not trainers)
READ = answers(ok={"superuser", "admin_a", "manager_a1", "officer_a1", "trainer_a1", "coach_a1", "manager_b1"})
WRITE = answers(ok={"superuser", "admin_a", "manager_a1", "officer_a1", "coach_a1", "manager_b1"})
# Amina, at Alpha North
READ_NORTH = answers(ok={"superuser", "admin_a", "manager_a1", "officer_a1", "trainer_a1", "coach_a1"}, not_found={"manager_b1"})
WRITE_NORTH = answers(ok={"superuser", "admin_a", "manager_a1", "officer_a1", "coach_a1"}, not_found={"manager_b1"})
WRITE_NORTH_POST = answers(redirected={"superuser", "admin_a", "manager_a1", "officer_a1", "coach_a1"}, not_found={"manager_b1"})
# Bilal, at Alpha South, and Chen, at Beta: not found outside one's sites, whatever the role
OF_SOUTH = answers(ok={"superuser", "admin_a"}, not_found={"manager_a1", "officer_a1", "trainer_a1", "coach_a1", "manager_b1"})
OF_BETA = answers(ok={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1", "officer_a1", "trainer_a1", "coach_a1"})
OF_BETA_POST = answers(redirected={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1", "officer_a1", "trainer_a1", "coach_a1"})

ROWS: list[Row] = [
    Row("people:person-list", no_kwargs, READ),
    Row("people:person-create", no_kwargs, WRITE),
    Row("people:person-detail", ids(person_id="amina"), READ_NORTH),
    Row("people:person-detail", ids(person_id="bilal"), OF_SOUTH),
    Row("people:person-detail", ids(person_id="chen"), OF_BETA),
    Row("people:person-edit", ids(person_id="amina"), WRITE_NORTH),
    Row("people:person-edit", ids(person_id="bilal"), OF_SOUTH),
    Row("people:person-edit", ids(person_id="chen"), OF_BETA),
    Row("people:person-sensitive", ids(person_id="amina"), WRITE_NORTH),
    Row("people:person-sensitive", ids(person_id="bilal"), OF_SOUTH),
    Row("people:person-sensitive", ids(person_id="chen"), OF_BETA),
    Row("people:person-merge", ids(person_id="amina"), answers(ok={"superuser", "admin_a", "manager_a1"}, not_found={"manager_b1"})),
    Row("people:person-merge", ids(person_id="chen"), OF_BETA),
    Row("people:consent-add", ids(person_id="amina"), WRITE_NORTH_POST, post=CONSENT),
    Row("people:consent-add", ids(person_id="chen"), OF_BETA_POST, post=CONSENT),
    Row("people:consent-withdraw", consent_of_amina, WRITE_NORTH_POST, post={}),
]
# fmt: on
