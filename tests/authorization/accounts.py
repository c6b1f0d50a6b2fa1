"""Matrix rows for sign-in and the account pages (django-allauth), and the Django admin.

Signing in and signing up are for anonymous visitors (a signed-in user is sent on), the
account's pages for signed-in users. Every Django admin page is checked by
test_matrix.test_admin_is_for_superusers.
"""

from __future__ import annotations

from tests.authorization.records import given, no_kwargs
from tests.authorization.rows import EVERYONE, PUBLIC, SIGNED_IN, Row, answers

# fmt: off
ANONYMOUS_ONLY = answers(ok={"anonymous"}, redirected=SIGNED_IN)

ROWS: list[Row] = [
    Row("account_login", no_kwargs, ANONYMOUS_ONLY),
    Row("account_logout", no_kwargs, answers(ok=SIGNED_IN)),
    Row("account_signup", no_kwargs, ANONYMOUS_ONLY),
    Row("account_change_password", no_kwargs, answers(ok=SIGNED_IN)),
    Row("account_set_password", no_kwargs, answers(redirected=EVERYONE)),
    Row("account_email", no_kwargs, answers(ok=SIGNED_IN)),
    Row("account_inactive", no_kwargs, PUBLIC),
    Row("account_reauthenticate", no_kwargs, answers(ok=SIGNED_IN)),
    Row("account_reset_password", no_kwargs, PUBLIC),
    Row("account_reset_password_done", no_kwargs, PUBLIC),
    Row("account_reset_password_from_key", given(uidb36="zz", key="bad-key"), PUBLIC),
    Row("account_reset_password_from_key_done", no_kwargs, PUBLIC),
    Row("account_confirm_email", given(key="bad-key"), PUBLIC),
    Row("account_email_verification_sent", no_kwargs, PUBLIC),
    Row("account_confirm_login_code", no_kwargs, answers(redirected=EVERYONE)),
    Row("mfa_index", no_kwargs, answers(ok=SIGNED_IN)),
    Row("mfa_activate_totp", no_kwargs, answers(redirected=EVERYONE)),
    Row("mfa_deactivate_totp", no_kwargs, answers(redirected=EVERYONE)),
    Row("mfa_authenticate", no_kwargs, answers(redirected=EVERYONE)),
    Row("mfa_reauthenticate", no_kwargs, answers(ok=SIGNED_IN)),
    Row("mfa_view_recovery_codes", no_kwargs, answers(not_found=SIGNED_IN)),
    Row("mfa_generate_recovery_codes", no_kwargs, answers(redirected=EVERYONE)),
    Row("mfa_download_recovery_codes", no_kwargs, answers(not_found=SIGNED_IN)),
    # the Django admin: superusers only, everyone else is sent to its sign-in
    Row("admin:index", no_kwargs, answers(ok={"superuser"}, redirected=EVERYONE - {"superuser"})),
]
# fmt: on
