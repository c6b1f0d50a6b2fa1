"""Matrix rows for outreach: information sessions, check-in, walk-ins, public registration.

Sessions follow the rule of people's records (people.py): the same roles, at the same sites,
except trainers. Changed with issue 13: a trainer sees only the learners of their own cohorts,
and the people registered for an information session (names, phone numbers) are not yet
learners, so trainers are refused the sessions (403) where they used to read them.
A session's public registration page is for whoever holds its link.
"""

from __future__ import annotations

from tests.authorization.people import WRITE
from tests.authorization.records import given, no_kwargs, public_key, session_at
from tests.authorization.rows import EVERYONE, PUBLIC, Row, answers

WALK_IN = {
    "given_names": "Yonas",
    "family_name": "Tekle",
    "phone": "+33622222222",
    "channel": "partner",
}

# fmt: off
# people's rule without trainers (refused: 403)
READ = answers(ok={"superuser", "admin_a", "manager_a1", "officer_a1", "coach_a1", "manager_b1"})
READ_NORTH = answers(ok={"superuser", "admin_a", "manager_a1", "officer_a1", "coach_a1"}, not_found={"manager_b1"})
OF_SOUTH = answers(ok={"superuser", "admin_a"}, not_found={"manager_a1", "officer_a1", "coach_a1", "manager_b1"})
OF_BETA = answers(ok={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1", "officer_a1", "coach_a1"})
OF_BETA_POST = answers(redirected={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1", "officer_a1", "coach_a1"})
WRITE_NORTH_POST = answers(redirected={"superuser", "admin_a", "manager_a1", "officer_a1", "coach_a1"}, not_found={"manager_b1"})
# a registration at Alpha South, cancelled
OF_SOUTH_POST = answers(redirected={"superuser", "admin_a"}, not_found={"manager_a1", "officer_a1", "coach_a1", "manager_b1"})

ROWS: list[Row] = [
    Row("outreach:session-list", no_kwargs, READ),
    Row("outreach:session-create", no_kwargs, WRITE),
    Row("outreach:session-detail", session_at("north"), READ_NORTH),
    Row("outreach:session-detail", session_at("south"), OF_SOUTH),
    Row("outreach:session-detail", session_at("beta_site"), OF_BETA),
    Row("outreach:session-check-in", session_at("north"), WRITE_NORTH_POST, post={}),
    Row("outreach:session-check-in", session_at("beta_site"), OF_BETA_POST, post={}),
    Row("outreach:session-walk-in", session_at("north"), WRITE_NORTH_POST, post=WALK_IN),
    Row("outreach:registration-cancel", session_at("north", with_registration=True), WRITE_NORTH_POST, post={}),
    Row("outreach:registration-cancel", session_at("south", with_registration=True), OF_SOUTH_POST, post={}),
    Row("outreach:public-register", public_key, PUBLIC),
    Row("outreach:public-register", given(key="unknown"), answers(not_found=EVERYONE)),
]
# fmt: on
