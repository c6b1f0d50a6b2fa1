"""Matrix rows for messages to applicants: the staff who run selection at a site see the
messages sent from it and send a failed one again; another organisation's is not found."""

from __future__ import annotations

from tests.authorization.records import failed_message_at, no_kwargs
from tests.authorization.rows import Row, answers

# fmt: off
SEE = answers(ok={"superuser", "admin_a", "manager_a1", "officer_a1", "manager_b1"})
RETRY_NORTH = answers(redirected={"superuser", "admin_a", "manager_a1", "officer_a1"}, not_found={"manager_b1"})
RETRY_BETA = answers(redirected={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1", "officer_a1"})

ROWS: list[Row] = [
    Row("messaging:message-list", no_kwargs, SEE),
    Row("messaging:message-retry", failed_message_at("north"), RETRY_NORTH, post={}),
    Row("messaging:message-retry", failed_message_at("beta_site"), RETRY_BETA, post={}),
]
# fmt: on
