"""Matrix rows for the network: organisations, sites, programmes, runs, staff, invitations.

Every role reads the network's pages within its scope. Network admins write sites and
programmes; site managers (and network admins, at every site of Alpha) replicate runs and
manage the staff.
"""

from __future__ import annotations

from tests.authorization.records import assignment_at, given, ids, invitation_token, no_kwargs
from tests.authorization.rows import EVERYONE, NORTH_ROLES, PUBLIC, WITH_A_ROLE, Row, answers

# fmt: off
EVERY_ROLE = answers(ok=WITH_A_ROLE)
# Alpha itself, Alpha North, Alpha's programme, North's run: not found for Beta's manager.
OF_ALPHA = answers(ok=WITH_A_ROLE - {"manager_b1"}, not_found={"manager_b1"})
# Alpha South: not found for the roles held at North, nor for Beta's manager.
OF_SOUTH = answers(ok={"superuser", "admin_a", "funder_a"}, not_found=NORTH_ROLES | {"manager_b1"})
# Beta: not found for everyone of Alpha.
OF_BETA = answers(ok={"superuser", "manager_b1"}, not_found=WITH_A_ROLE - {"superuser", "manager_b1"})

# Writing sites and programmes; replicating runs and managing the staff.
ADMINS = answers(ok={"superuser", "admin_a"})
MANAGERS = answers(ok={"superuser", "admin_a", "manager_a1", "manager_b1"})
MANAGE_NORTH = answers(ok={"superuser", "admin_a", "manager_a1"}, not_found={"manager_b1"})
MANAGE_SOUTH = answers(ok={"superuser", "admin_a"}, not_found={"manager_a1", "manager_b1"})
MANAGE_BETA = answers(ok={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1"})
MANAGE_NORTH_POST = answers(redirected={"superuser", "admin_a", "manager_a1"}, not_found={"manager_b1"})
MANAGE_SOUTH_POST = answers(redirected={"superuser", "admin_a"}, not_found={"manager_a1", "manager_b1"})
MANAGE_BETA_POST = answers(redirected={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1"})

ROWS: list[Row] = [
    # organisations, sites, programmes, runs
    Row("network:organisation-list", no_kwargs, EVERY_ROLE),
    Row("network:organisation-detail", given(slug="alpha"), OF_ALPHA),
    Row("network:organisation-detail", given(slug="beta"), OF_BETA),
    Row("network:organisation-languages", given(slug="alpha"), ADMINS),
    Row("network:organisation-languages", given(slug="beta"), answers(ok={"superuser"}, not_found={"admin_a"})),
    Row("network:organisation-recordings", given(slug="alpha"), ADMINS),
    Row("network:organisation-recordings", given(slug="beta"), answers(ok={"superuser"}, not_found={"admin_a"})),
    # a recording of a public page: public; one that does not exist is not found
    Row("network:applicant-recording", given(recording_id=999999), answers(not_found=EVERYONE)),
    Row("network:applicant-recording-remove", given(recording_id=999999), answers(not_found={"superuser", "admin_a"}), post={}),
    Row("network:site-list", no_kwargs, EVERY_ROLE),
    Row("network:site-detail", ids(site_id="north"), OF_ALPHA),
    Row("network:site-detail", ids(site_id="south"), OF_SOUTH),
    Row("network:site-detail", ids(site_id="beta_site"), OF_BETA),
    Row("network:programme-list", no_kwargs, EVERY_ROLE),
    Row("network:programme-detail", ids(programme_id="programme_alpha"), OF_ALPHA),
    Row("network:programme-detail", ids(programme_id="programme_beta"), OF_BETA),
    Row("network:run-detail", ids(run_id="run_north"), OF_ALPHA),
    Row("network:run-detail", ids(run_id="run_south"), OF_SOUTH),
    Row("network:run-detail", ids(run_id="run_beta"), OF_BETA),
    Row("network:run-replicate", ids(run_id="run_north"), MANAGE_NORTH),
    Row("network:run-replicate", ids(run_id="run_south"), MANAGE_SOUTH),
    Row("network:run-replicate", ids(run_id="run_beta"), MANAGE_BETA),
    Row("network:site-create", no_kwargs, ADMINS),
    Row("network:site-edit", ids(site_id="north"), MANAGE_NORTH),
    # South is outside the scope of every role held at North, before their role is asked.
    Row("network:site-edit", ids(site_id="south"), answers(ok={"superuser", "admin_a"}, not_found=NORTH_ROLES | {"manager_b1"})),
    Row("network:site-edit", ids(site_id="beta_site"), OF_BETA),
    Row("network:programme-create", no_kwargs, ADMINS),
    Row("network:programme-edit", ids(programme_id="programme_alpha"), ADMINS),
    Row("network:programme-edit", ids(programme_id="programme_beta"), answers(ok={"superuser"}, not_found={"admin_a"})),
    # staff
    Row("network:staff-list", no_kwargs, MANAGERS),
    Row("network:staff-invite", no_kwargs, MANAGERS),
    Row("network:staff-role-remove", assignment_at("north"), MANAGE_NORTH_POST, post={}),
    Row("network:staff-role-remove", assignment_at("south"), MANAGE_SOUTH_POST, post={}),
    Row("network:staff-role-remove", assignment_at("beta_site"), MANAGE_BETA_POST, post={}),
    # an invitation's private link: whoever holds it
    Row("network:invitation-accept", invitation_token, PUBLIC),
    Row("network:invitation-accept", given(token="unknown"), answers(not_found=EVERYONE)),
]
# fmt: on
