"""Who gets what on partners' pages (see partners.py). Each area's rows take these."""

from __future__ import annotations

from tests.authorization.rows import answers

# fmt: off
# a list page: whoever works with partners somewhere
PARTNER_PAGES = answers(ok={"superuser", "admin_a", "manager_a1", "coach_a1", "manager_b1"})
# a record of Alpha's: Beta's manager does not find it
ALPHA_PARTNER = answers(ok={"superuser", "admin_a", "manager_a1", "coach_a1"}, not_found={"manager_b1"})
# the referrals of Alpha North's calls: selection officers see them too
ALPHA_REFERRAL = answers(ok={"superuser", "admin_a", "manager_a1", "coach_a1", "officer_a1"}, not_found={"manager_b1"})
REFERRAL_PAGES = answers(ok={"superuser", "admin_a", "manager_a1", "coach_a1", "officer_a1", "manager_b1"})
# fmt: on
# A private link's page (no sign-in): anyone holding the link gets it, signed in or not;
# use rows.PUBLIC for those rows.
# fmt: off
# agreements: a form on an Alpha North learner's internship that did its work (or refused it
# with a message) and went back to the internship's page
ALPHA_INTERNSHIP_REDIRECT = answers(redirected={"superuser", "admin_a", "manager_a1", "coach_a1"}, not_found={"manager_b1"})
# agreements: the organisation's templates and rules, for its managers (job coaches refused)
MANAGER_PAGES = answers(ok={"superuser", "admin_a", "manager_a1", "manager_b1"})
ALPHA_MANAGER_RECORD = answers(ok={"superuser", "admin_a", "manager_a1"}, not_found={"manager_b1"})


# during the internship (area "during"): a form posted on an Alpha North internship's
# follow-up page redirects back to it; a programme's criteria are for managers only.
# fmt: off
ALPHA_INTERNSHIP_POST = answers(redirected={"superuser", "admin_a", "manager_a1", "coach_a1"}, not_found={"manager_b1"})
ALPHA_CRITERIA = answers(ok={"superuser", "admin_a", "manager_a1"}, refused={"coach_a1"}, not_found={"manager_b1"})
ALPHA_CRITERIA_POST = answers(redirected={"superuser", "admin_a", "manager_a1"}, refused={"coach_a1"}, not_found={"manager_b1"})


# fmt: off
# orgs: a form of Alpha's partner that did its work: back to the partner's page
ALPHA_PARTNER_DONE = answers(redirected={"superuser", "admin_a", "manager_a1", "coach_a1"}, not_found={"manager_b1"})
# orgs: merging two records of one partner: managers only (the job coach is refused)
ALPHA_PARTNER_MANAGERS = answers(ok={"superuser", "admin_a", "manager_a1"}, not_found={"manager_b1"})
# orgs: a record of Beta's partner: Alpha's staff do not find it
BETA_PARTNER = answers(ok={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1", "coach_a1"})
# fmt: on
