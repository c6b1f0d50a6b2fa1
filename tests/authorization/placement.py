"""Matrix rows for placement: attempts and taking a test, the item bank, frameworks and
programmes' settings, calibration.

Reading (the bank, frameworks, settings, attempts, calibrations) is for trainers, selection
officers and site managers; the bank is written by trainers and site managers, frameworks,
settings and calibrations by site managers (and network admins) only. A record of Alpha is
not found for Beta's manager. Shipped frameworks are read-only for everyone. A test is taken
on a private link; the files of a live question are public, those of a draft not found for
whoever may not read Alpha's bank.
"""

from __future__ import annotations

from tests.authorization.records import (
    attempt_north,
    attempt_of_application,
    calibration_of_alpha,
    digcomp_framework,
    framework_of_alpha,
    ids,
    item_of_alpha,
    item_with_picture,
    no_kwargs,
    token_north,
)
from tests.authorization.rows import PUBLIC, PUBLIC_REDIRECT, SIGNED_IN, Row, answers

SETTINGS = {
    "se_target": "0.3",
    "max_items": "20",
    "borderline": "80",
    "name_1": "Beginner",
    "name_2": "Intermediate",
    "cut_off_2": "30.9",
    "name_3": "Advanced",
    "cut_off_3": "78.8",
}
NO_COMPETENCE = {"action": "add", "module": "", "competence": "", "level": "3"}

# fmt: off
# reading: trainers, selection officers, site managers
READ = answers(ok={"superuser", "admin_a", "manager_a1", "officer_a1", "trainer_a1", "manager_b1"})
READ_ALPHA = answers(ok={"superuser", "admin_a", "manager_a1", "officer_a1", "trainer_a1"}, not_found={"manager_b1"})
# a draft question's files: not found, anonymous included, for whoever may not read Alpha's bank
READ_ALPHA_ONLY = answers(ok={"superuser", "admin_a", "manager_a1", "officer_a1", "trainer_a1"}, not_found={"anonymous"}, otherwise=404)
# writing the bank: trainers and site managers
WRITE = answers(ok={"superuser", "admin_a", "manager_a1", "trainer_a1", "manager_b1"})
WRITE_ALPHA = answers(ok={"superuser", "admin_a", "manager_a1", "trainer_a1"}, not_found={"manager_b1"})
WRITE_REDIRECT = answers(redirected={"superuser", "admin_a", "manager_a1", "trainer_a1", "manager_b1"})
WRITE_ALPHA_REDIRECT = answers(redirected={"superuser", "admin_a", "manager_a1", "trainer_a1"}, not_found={"manager_b1"})
# frameworks, settings, calibrations: site managers
MANAGE = answers(ok={"superuser", "admin_a", "manager_a1", "manager_b1"})
MANAGE_REDIRECT = answers(redirected={"superuser", "admin_a", "manager_a1", "manager_b1"})
MANAGE_ALPHA = answers(ok={"superuser", "admin_a", "manager_a1"}, not_found={"manager_b1"})
MANAGE_ALPHA_REDIRECT = answers(redirected={"superuser", "admin_a", "manager_a1"}, not_found={"manager_b1"})
MANAGE_BETA_REDIRECT = answers(redirected={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1"})
NOBODY_WRITES_SHIPPED = answers(refused=SIGNED_IN)

ROWS: list[Row] = [
    # attempts, and taking a test on its private link
    Row("placement:attempt-list", no_kwargs, READ),
    # no person given: not found, for every role that may start a test
    Row("placement:attempt-start", no_kwargs, answers(not_found={"superuser", "admin_a", "manager_a1", "officer_a1", "trainer_a1", "manager_b1"}), post={}),
    Row("placement:attempt-detail", attempt_north, READ_ALPHA),
    Row("placement:attempt-review", attempt_north, WRITE_ALPHA_REDIRECT, post={}),
    # sending the link again: whoever may start a test for the person (the page shows the new
    # link and the e-mail address and phone it went to). Changed with issue 13: a trainer
    # still reviews every test of the site (names and results, no contact details), but
    # sends links only to the learners of their cohorts, so Amina (in none) is not found.
    Row("placement:attempt-link-send", attempt_north, answers(ok={"superuser", "admin_a", "manager_a1", "officer_a1"}, not_found={"manager_b1", "trainer_a1"}), post={}),
    # recording a score in selection: those who run calls
    Row("placement:attempt-record-score", attempt_of_application, answers(redirected={"superuser", "admin_a", "manager_a1", "officer_a1"}, not_found={"manager_b1"}), post={}),
    Row("placement:take", token_north, PUBLIC),
    Row("placement:take-language", token_north, PUBLIC_REDIRECT, post={}),
    # the item bank
    Row("placement:item-list", no_kwargs, READ),
    Row("placement:item-export", no_kwargs, READ),
    Row("placement:item-detail", item_of_alpha, READ_ALPHA),
    Row("placement:item-new", no_kwargs, WRITE),
    Row("placement:item-new", no_kwargs, WRITE, post={"action": "save"}),  # form errors, shown again
    Row("placement:item-edit", item_of_alpha, WRITE_ALPHA),
    Row("placement:item-edit", item_of_alpha, WRITE_ALPHA, post={"action": "save"}),
    Row("placement:item-status", item_of_alpha, WRITE_ALPHA_REDIRECT, post={"status": "pilot"}),
    # The files of a live question are public (the test-taker is anonymous on a private link);
    # those of a draft are for who may read Alpha's bank, not found for everyone else.
    Row("placement:item-file", item_with_picture("live"), PUBLIC),
    Row("placement:item-file", item_with_picture("draft"), READ_ALPHA_ONLY),
    Row("placement:item-import", no_kwargs, WRITE),
    Row("placement:item-import", no_kwargs, WRITE, post={"action": "check"}),  # no file: form error
    Row("placement:item-import", no_kwargs, WRITE_REDIRECT, post={"action": "apply", "token": "none"}),
    # frameworks and programmes' settings
    Row("placement:framework-list", no_kwargs, READ),
    Row("placement:framework-detail", digcomp_framework, READ),
    Row("placement:framework-detail", framework_of_alpha, READ_ALPHA),
    Row("placement:framework-new", no_kwargs, MANAGE),
    Row("placement:framework-new", no_kwargs, MANAGE, post={"action": "save"}),  # form errors, shown again
    Row("placement:framework-edit", framework_of_alpha, MANAGE_ALPHA),
    Row("placement:framework-edit", framework_of_alpha, MANAGE_ALPHA, post={"action": "save"}),
    Row("placement:framework-edit", digcomp_framework, NOBODY_WRITES_SHIPPED),
    Row("placement:framework-edit", digcomp_framework, NOBODY_WRITES_SHIPPED, post={"action": "save"}),
    Row("placement:framework-import", no_kwargs, MANAGE),
    Row("placement:framework-import", no_kwargs, MANAGE, post={"action": "check"}),  # no file: form error
    Row("placement:framework-import", no_kwargs, MANAGE_REDIRECT, post={"action": "apply", "token": "none"}),
    Row("placement:setup-list", no_kwargs, READ),
    Row("placement:setup-edit", ids(programme_id="programme_alpha"), MANAGE_ALPHA),
    Row("placement:setup-edit", ids(programme_id="programme_alpha"), MANAGE_ALPHA_REDIRECT, post=SETTINGS),
    Row("placement:target-edit", ids(programme_id="programme_alpha"), MANAGE_ALPHA),
    Row("placement:target-edit", ids(programme_id="programme_alpha"), MANAGE_ALPHA, post=NO_COMPETENCE),  # form error
    # there is no target 0 to remove: not found for those who may edit targets
    Row("placement:target-edit", ids(programme_id="programme_alpha"), answers(not_found={"superuser", "admin_a", "manager_a1", "manager_b1"}), post={"action": "remove", "target": "0"}),
    # calibration
    Row("placement:calibration-list", no_kwargs, READ),
    Row("placement:calibration-start", no_kwargs, MANAGE_ALPHA_REDIRECT, post={"organisation": "alpha"}),
    Row("placement:calibration-start", no_kwargs, MANAGE_BETA_REDIRECT, post={"organisation": "beta"}),
    Row("placement:calibration-detail", calibration_of_alpha, READ_ALPHA),
    Row("placement:calibration-apply", calibration_of_alpha, MANAGE_ALPHA_REDIRECT, post={}),
]
# fmt: on
