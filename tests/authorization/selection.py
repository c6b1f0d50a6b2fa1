"""Matrix rows for selection: calls, stages, applications, the committee, the cohort, imports,
the funnel, the raters' pages and the public application form.

Calls are run by network admins, site managers and selection officers: a call at Alpha North
is not found for Beta's manager, a call at Beta for Alpha's staff. Decisions (the committee,
a reversal, the cohort's pins and validation) are taken by managers and admins only. The
funnel's overview is also for funder viewers. Interviewers and field investigators see only
what they are asked to rate or visit. The application form is public.
"""

from __future__ import annotations

from tests.authorization.records import (
    application_at,
    application_stage_at,
    appointment_link,
    appointment_of,
    assignment_of,
    call_application_at,
    call_at,
    cohort_round_at,
    decision_at,
    document_at,
    funnel_call_of,
    investigation_of,
    no_kwargs,
    public_call,
    public_resume,
    public_step,
    question_at,
    stage_at,
)
from tests.authorization.rows import PUBLIC, PUBLIC_REDIRECT, Row, answers

CHECK = {"action": "check"}  # no file: the form says which field is missing
CONFIRM = {"action": "import", "token": "none"}  # no checked file: back to the form

# fmt: off
# running calls: network admins, site managers, selection officers
RUN = answers(ok={"superuser", "admin_a", "manager_a1", "officer_a1", "manager_b1"})
NORTH = answers(ok={"superuser", "admin_a", "manager_a1", "officer_a1"}, not_found={"manager_b1"})
BETA = answers(ok={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1", "officer_a1"})
NORTH_POST = answers(redirected={"superuser", "admin_a", "manager_a1", "officer_a1"}, not_found={"manager_b1"})
BETA_POST = answers(redirected={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1", "officer_a1"})
# an appointment: those who run the call and the staff invited (here a field investigator)
INVITED = answers(ok={"superuser", "admin_a", "manager_a1", "officer_a1", "investigator_a1"}, not_found={"manager_b1", "interviewer_a1"})
# deciding: site managers and network admins
DECIDE_POST = answers(redirected={"superuser", "admin_a", "manager_a1"}, not_found={"manager_b1"})

ROWS: list[Row] = [
    # calls and stages
    Row("selection:call-list", no_kwargs, RUN),
    Row("selection:call-create", no_kwargs, RUN),
    Row("selection:call-detail", call_at("north"), NORTH),
    Row("selection:call-detail", call_at("beta"), BETA),
    Row("selection:call-edit", call_at("north"), NORTH),
    Row("selection:call-edit", call_at("beta"), BETA),
    Row("selection:call-translations", call_at("north"), NORTH),
    Row("selection:call-translations", call_at("beta"), BETA),
    Row("selection:call-seats", call_at("north"), NORTH_POST, post={}),
    # answering an applicant's question, or marking it handled
    Row("selection:question-answer", question_at("north"), NORTH_POST, post={"text": "Yes.", "channel": "all"}),
    Row("selection:question-answer", question_at("beta"), BETA_POST, post={"text": "Yes.", "channel": "all"}),
    Row("selection:question-handled", question_at("north"), NORTH_POST, post={}),
    Row("selection:stage-add", call_at("north"), NORTH_POST, post={}),
    Row("selection:stage-add", call_at("beta"), BETA_POST, post={}),
    Row("selection:stage-detail", stage_at("north"), NORTH),
    Row("selection:stage-detail", stage_at("beta"), BETA),
    Row("selection:stage-edit", stage_at("north", "interview"), NORTH),
    Row("selection:stage-edit", stage_at("north", "social_investigation"), NORTH),
    Row("selection:stage-questionnaire", stage_at("north", "social_investigation"), NORTH),
    Row("selection:stage-questionnaire", stage_at("beta", "social_investigation"), BETA),
    Row("selection:stage-questionnaire", stage_at("north", "social_investigation"), NORTH, post={}),
    Row("selection:stage-questionnaire-export", stage_at("north", "social_investigation"), NORTH),
    Row("selection:stage-questionnaire-export", stage_at("beta", "social_investigation"), BETA),
    Row("selection:stage-move", stage_at("north"), NORTH_POST, post={"direction": "up"}),
    Row("selection:stage-remove", stage_at("north"), NORTH_POST, post={}),
    Row("selection:stage-remove", stage_at("beta"), BETA_POST, post={}),
    Row("selection:stage-scores", stage_at("north"), NORTH_POST, post={}),
    Row("selection:stage-pass-mark", stage_at("north"), NORTH_POST, post={}),
    Row("selection:stage-assign", stage_at("north", "interview"), NORTH_POST, post={}),
    # applications and the committee
    Row("selection:application-list", call_at("north"), NORTH),
    Row("selection:application-list", call_at("beta"), BETA),
    Row("selection:application-detail", application_at("north"), NORTH),
    Row("selection:application-detail", application_at("beta"), BETA),
    Row("selection:application-document", document_at("north"), NORTH),
    Row("selection:application-document", document_at("beta"), BETA),
    Row("selection:application-result", application_stage_at("north"), NORTH_POST, post={}),
    Row("selection:application-check", application_stage_at("north"), NORTH_POST, post={}),
    Row("selection:application-propose", application_at("north"), NORTH_POST, post={}),
    Row("selection:application-propose", application_at("beta"), BETA_POST, post={}),
    Row("selection:committee", call_at("north"), NORTH),
    Row("selection:committee", call_at("beta"), BETA),
    Row("selection:committee-validate", call_at("north"), DECIDE_POST, post={}),
    Row("selection:committee-resend", call_at("north"), DECIDE_POST, post={}),
    # Officers propose decisions, so they may propose "Not selected" for those a stage stopped.
    Row("selection:committee-propose-stopped", call_at("north"), NORTH_POST, post={}),
    Row("selection:committee-propose-stopped", call_at("beta"), BETA_POST, post={}),
    Row("selection:decision-reverse", decision_at("north"), DECIDE_POST, post={}),
    # the cohort
    Row("selection:cohort", call_at("north"), NORTH),
    Row("selection:cohort", call_at("beta"), BETA),
    # refused settings (nothing posted) come back on the page as typed (200), not a redirect
    Row("selection:cohort-settings", call_at("north"), answers(ok={"superuser", "admin_a", "manager_a1", "officer_a1"}, not_found={"manager_b1"}), post={}),
    Row("selection:cohort-settings", call_at("beta"), answers(ok={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1", "officer_a1"}), post={}),
    Row("selection:cohort-what-if", call_at("north"), NORTH, post={}),
    Row("selection:cohort-what-if", call_at("beta"), BETA, post={}),
    Row("selection:cohort-relax", call_at("north"), NORTH_POST, post={}),
    Row("selection:cohort-relax", call_at("beta"), BETA_POST, post={}),
    Row("selection:cohort-propose", call_at("north"), NORTH_POST, post={}),
    Row("selection:cohort-pin", call_application_at("north"), DECIDE_POST, post={}),
    Row("selection:cohort-pin", call_application_at("beta"), BETA_POST, post={}),
    Row("selection:cohort-withdraw", call_application_at("north"), DECIDE_POST, post={}),
    Row("selection:cohort-validate", cohort_round_at("north"), DECIDE_POST, post={}),
    Row("selection:cohort-minutes", cohort_round_at("north"), NORTH),
    Row("selection:cohort-minutes", cohort_round_at("beta"), BETA),
    Row("selection:decision-reverse", decision_at("beta"), BETA_POST, post={}),
    # what interviewers and field investigators are asked to do
    Row("selection:my-work", no_kwargs, answers(ok={"superuser", "admin_a", "manager_a1", "officer_a1", "manager_b1", "interviewer_a1", "investigator_a1"})),
    Row("selection:interview-mark", assignment_of("interviewer_a1"), answers(ok={"interviewer_a1"}, not_found={"superuser", "admin_a", "manager_a1", "officer_a1", "manager_b1", "investigator_a1"})),
    Row("selection:investigation-fill", investigation_of("investigator_a1"), answers(ok={"investigator_a1"}, not_found={"superuser", "admin_a", "manager_a1", "officer_a1", "manager_b1", "interviewer_a1"})),
    # appointments: set by those who run the call, opened by them and by the staff invited
    Row("selection:appointment-list", stage_at("north", "interview"), NORTH),
    Row("selection:appointment-list", stage_at("beta", "interview"), BETA),
    Row("selection:appointment-list", stage_at("north", "social_investigation"), NORTH, post={}),
    Row("selection:appointment-detail", appointment_of("investigator_a1"), INVITED),
    Row("selection:appointment-calendar", appointment_of("investigator_a1"), INVITED),
    Row("selection:appointment-cancel", appointment_of("investigator_a1"), NORTH_POST, post={}),
    Row("selection:appointment-edit", appointment_of("investigator_a1"), NORTH),
    # the applicant's page of their appointment, from the private link of their SMS
    Row("selection:appointment-public", appointment_link, PUBLIC),
    Row("selection:appointment-public-calendar", appointment_link, PUBLIC),
    # the public application form
    Row("selection:apply-start", public_call, PUBLIC),
    Row("selection:apply-step", public_step, PUBLIC_REDIRECT),
    Row("selection:apply-resume", public_resume, PUBLIC_REDIRECT),
    Row("selection:apply-help", public_call, PUBLIC_REDIRECT, post={}),
    Row("selection:apply-done", public_call, PUBLIC_REDIRECT),
    # imports and exports
    Row("selection:call-import", call_at("north"), NORTH),
    Row("selection:call-import", call_at("beta"), BETA),
    Row("selection:call-import", call_at("north"), NORTH, post=CHECK),
    Row("selection:call-import", call_at("beta"), BETA, post=CHECK),
    Row("selection:call-import", call_at("north"), NORTH_POST, post=CONFIRM),
    Row("selection:call-import-template", call_at("north"), NORTH),
    Row("selection:call-import-template", call_at("beta"), BETA),
    Row("selection:call-export", call_at("north"), NORTH),
    Row("selection:call-export", call_at("beta"), BETA),
    Row("selection:stage-scores-import", stage_at("north", "written_exam"), NORTH),
    Row("selection:stage-scores-import", stage_at("beta", "written_exam"), BETA),
    Row("selection:stage-scores-import", stage_at("north", "written_exam"), NORTH, post=CHECK),
    # the funnel: the overview for those who run calls and for funder viewers (aggregates of
    # their organisation, small cells hidden); a call's own funnel for those who run it
    Row("selection:funnel", no_kwargs, answers(ok={"superuser", "admin_a", "manager_a1", "officer_a1", "funder_a", "manager_b1"})),
    Row("selection:call-funnel", funnel_call_of("run_north"), NORTH),
    Row("selection:call-funnel", funnel_call_of("run_south"), answers(ok={"superuser", "admin_a"}, not_found={"manager_a1", "officer_a1", "manager_b1"})),
    Row("selection:call-funnel", funnel_call_of("run_beta"), BETA),
]
# fmt: on
