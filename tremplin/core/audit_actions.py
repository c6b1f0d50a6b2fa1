"""Every kind of audit event, in one typed list.

A value is ``<entity>.<past participle>``: what the event is about, then what happened to it
(``call.created``, ``item.status_changed``, ``information_session.checked_in``). Each has a
label in plain words, translated, which the history pages show; readers never see the code.
A new kind of event is added here first, with its label, and its French and Arabic. See
docs/decisions/0004-audit-events.md and 0015-typed-audit-actions.md.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    # core and demo
    DEMO_LOADED = "demo.loaded", _("Demo data loaded")

    # network
    ORGANISATION_UPDATED = "organisation.updated", _("Organisation changed")
    APPLICANT_RECORDING_SAVED = "applicant_recording.saved", _("Recording for applicants saved")
    APPLICANT_RECORDING_REMOVED = (
        "applicant_recording.removed",
        _("Recording for applicants removed"),
    )
    SITE_CREATED = "site.created", _("Site created")
    SITE_UPDATED = "site.updated", _("Site changed")
    PROGRAMME_CREATED = "programme.created", _("Programme created")
    PROGRAMME_UPDATED = "programme.updated", _("Programme changed")
    PROGRAMME_RUN_REPLICATED = "programme_run.replicated", _("Programme run copied from another")
    STAFF_INVITED = "staff.invited", _("Staff member invited")
    STAFF_ROLE_GRANTED = "staff.role_granted", _("Role granted")
    STAFF_ROLE_REMOVED = "staff.role_removed", _("Role removed")

    # people
    PERSON_CREATED = "person.created", _("Record created")
    PERSON_UPDATED = "person.updated", _("Record changed")
    PERSON_SENSITIVE_UPDATED = "person.sensitive_updated", _("Sensitive section changed")
    PERSON_CONSENT_GIVEN = "person.consent_given", _("Consent given")
    PERSON_CONSENT_WITHDRAWN = "person.consent_withdrawn", _("Consent withdrawn")
    PERSON_MERGED = "person.merged", _("Duplicate record merged into this one")
    PERSON_MERGED_AWAY = "person.merged_away", _("Record merged into another")

    # outreach
    INFORMATION_SESSION_CREATED = "information_session.created", _("Information session created")
    INFORMATION_SESSION_CHECKED_IN = (
        "information_session.checked_in",
        _("People checked in at the information session"),
    )

    # selection: calls and stages
    CALL_CREATED = "call.created", _("Call for applications created")
    CALL_UPDATED = "call.updated", _("Call for applications changed")
    CALL_TRANSLATED = "call.translated", _("Call's text for applicants translated")
    CALL_SEATS_SET = "call.seats_set", _("Seats set for a site")
    CALL_STAGE_ADDED = "call.stage_added", _("Stage added")
    CALL_STAGE_REMOVED = "call.stage_removed", _("Stage removed")
    CALL_STAGES_REORDERED = "call.stages_reordered", _("Stages put in a new order")
    CALL_APPLICATIONS_IMPORTED = (
        "call.applications_imported",
        _("Applications imported from a file"),
    )
    STAGE_UPDATED = "stage.updated", _("Stage changed")
    STAGE_CRITERIA_SAVED = "stage.criteria_saved", _("Interview criteria saved")
    STAGE_PASS_MARK_APPLIED = "stage.pass_mark_applied", _("Scores decided by the pass mark")
    STAGE_SCORES_IMPORTED = "stage.scores_imported", _("Scores imported from a file")

    # selection: applications
    APPLICATION_SUBMITTED = "application.submitted", _("Application submitted")
    APPLICATION_DUPLICATE_LINKED = (
        "application.duplicate_linked",
        _("Another application by the same person linked"),
    )
    APPLICATION_WITHDRAWN = "application.withdrawn", _("Application withdrawn")
    STAGE_RESULT_RECORDED = "stage_result.recorded", _("Stage result recorded")
    INTERVIEW_ASSIGNED = "interview.assigned", _("Interviewers assigned")
    INTERVIEW_MARKED = "interview.marked", _("Interview marks sent")
    INVESTIGATION_ASSIGNED = "investigation.assigned", _("Social investigation assigned")
    INVESTIGATION_SUBMITTED = "investigation.submitted", _("Social investigation recorded")
    ADMINISTRATIVE_CHECK_RECORDED = (
        "administrative_check.recorded",
        _("Administrative check recorded"),
    )
    APPOINTMENT_SCHEDULED = "appointment.scheduled", _("Appointment scheduled")
    APPOINTMENT_CHANGED = "appointment.changed", _("Appointment changed")
    APPOINTMENT_CANCELLED = "appointment.cancelled", _("Appointment cancelled")

    # selection: decisions and the cohort
    DECISION_PROPOSED = "decision.proposed", _("Decision proposed")
    DECISION_VALIDATED = "decision.validated", _("Decision validated by the committee")
    DECISION_REVERSED = "decision.reversed", _("Decision reversed")
    COHORT_SETTINGS_SAVED = "cohort.settings_saved", _("Cohort rules and weights saved")
    COHORT_RULES_RELAXED = "cohort.rules_relaxed", _("Cohort rules relaxed")
    COHORT_CHOICE_SET = "cohort.choice_set", _("Committee's choice set: always in or never in")
    COHORT_PROPOSED = "cohort.proposed", _("Cohort proposed")
    COHORT_VALIDATED = "cohort.validated", _("Cohort validated by the committee")
    COHORT_REPLACEMENT_SELECTED = (
        "cohort.replacement_selected",
        _("Selected from the waiting list in place of a withdrawal"),
    )

    # placement: competences, questions and settings
    FRAMEWORK_CREATED = "framework.created", _("Competence framework created")
    FRAMEWORK_UPDATED = "framework.updated", _("Competence framework changed")
    FRAMEWORK_IMPORTED = "framework.imported", _("Competence framework imported from a file")
    ITEM_CREATED = "item.created", _("Question created")
    ITEM_UPDATED = "item.updated", _("Question changed")
    ITEM_STATUS_CHANGED = "item.status_changed", _("Question status changed")
    ITEM_CALIBRATED = "item.calibrated", _("Question calibrated")
    ITEM_BANK_IMPORTED = "item_bank.imported", _("Questions imported from a file")
    ITEM_BANK_EXPORTED = "item_bank.exported", _("Questions exported")
    PLACEMENT_SETUP_UPDATED = "placement_setup.updated", _("Placement test settings changed")
    PROGRAMME_TARGET_SET = "programme.target_set", _("Competence aimed at set")
    PROGRAMME_TARGET_REMOVED = "programme.target_removed", _("Competence aimed at removed")

    # placement: tests taken, and calibration
    ATTEMPT_STARTED = "attempt.started", _("Placement test started")
    ATTEMPT_FINISHED = "attempt.finished", _("Placement test finished")
    ATTEMPT_RESULT_REVIEWED = "attempt.result_reviewed", _("Placement test result reviewed")
    CALIBRATION_STARTED = "calibration.started", _("Calibration started")
    CALIBRATION_APPLIED = "calibration.applied", _("Calibration applied to the questions")
    ATTEMPT_LINK_ISSUED = "attempt.link_issued", _("Placement test link sent to the applicant")

    # messages to applicants
    MESSAGE_RETRIED = "message.retried", _("Message sent again")
    APPLICATION_QUESTION_ANSWERED = (
        "application.question_answered",
        _("Applicant's question answered"),
    )
    APPLICATION_QUESTION_HANDLED = (
        "application.question_handled",
        _("Applicant's question marked as handled"),
    )

    # training: structure (periods, modules, assessments)
    PERIOD_SAVED = "period.saved", _("Period saved")
    PERIOD_REMOVED = "period.removed", _("Period removed")
    MODULE_SAVED = "module.saved", _("Module saved")
    MODULE_REMOVED = "module.removed", _("Module removed")
    ASSESSMENT_SAVED = "assessment.saved", _("Assessment saved")
    ASSESSMENT_RESULTS_RECORDED = "assessment.results_recorded", _("Assessment results recorded")
    ASSESSMENT_REMOVED = "assessment.removed", _("Assessment removed")

    # training: cohorts and learners
    COHORT_CREATED = "cohort.created", _("Cohort created")
    COHORT_UPDATED = "cohort.updated", _("Cohort changed")
    COHORT_COPIED = "cohort.copied", _("Cohort copied to another run")
    ENROLMENT_CREATED = "enrolment.created", _("Learner joined the cohort")
    ENROLMENT_LEVEL_CHANGED = "enrolment.level_changed", _("Learner moved to another level group")
    ENROLMENT_LEFT = "enrolment.left", _("Learner left the training")
    ENROLMENT_TRANSFERRED = "enrolment.transferred", _("Learner transferred to another cohort")
    ENROLMENT_REENTERED = "enrolment.reentered", _("Learner came back to the training")
    ENROLMENT_GRADUATED = "enrolment.graduated", _("Learner graduated")
    # training: the learner's private link (cohorts)
    ENROLMENT_LINK_SENT = "enrolment.link_sent", _("Learner's private link sent")

    # training: timetable
    SESSION_SAVED = "session.saved", _("Session saved")
    SESSION_REMOVED = "session.removed", _("Session removed")
    SESSIONS_GENERATED = "sessions.generated", _("Sessions generated from a weekly pattern")
    TIMETABLE_IMPORTED = "timetable.imported", _("Timetable imported")
    ROOM_SAVED = "room.saved", _("Room saved")
    HOLIDAY_SAVED = "holiday.saved", _("Holiday saved")
    CALENDAR_LINK_RENEWED = "calendar_link.renewed", _("Calendar subscription address renewed")

    # training: roll call
    MARK_CHANGED = "mark.changed", _("Attendance mark changed")
    ATTENDANCE_IMPORTED = "attendance.imported", _("Attendance imported")
    ATTENDANCE_SIGNED = "attendance.signed", _("Attendance signed by the learner")

    # training: early warning
    ALERT_RULE_SAVED = "alert_rule.saved", _("Early-warning rule saved")
    ALERT_RAISED = "alert.raised", _("Learner at risk: alert raised")
    ALERT_ACTION_RECORDED = "alert.action_recorded", _("Action on an alert recorded")
    ALERT_CLOSED = "alert.closed", _("Alert closed")

    # training: progress and projects
    EVIDENCE_RECORDED = "evidence.recorded", _("Competence evidence recorded")
    EVIDENCE_REMOVED = "evidence.removed", _("Competence evidence removed")
    PROJECT_SAVED = "project.saved", _("Project saved")
    PROJECT_ASSIGNED = "project.assigned", _("Project assigned")
    PROJECT_EVALUATED = "project.evaluated", _("Project evaluated")

    # training: certification
    CERTIFICATION_RESULT_RECORDED = (
        "certification_result.recorded",
        _("Certification result recorded"),
    )
    CERTIFICATION_SESSION_SAVED = (
        "certification_session.saved",
        _("Certification session saved"),
    )
    CERTIFICATE_ISSUED = "certificate.issued", _("Certificate issued")
    CERTIFICATE_REVOKED = "certificate.revoked", _("Certificate revoked")

    # training: exit and satisfaction
    SURVEY_SENT = "survey.sent", _("End-of-course survey sent")
    SURVEY_ANSWERED = "survey.answered", _("End-of-course survey answered")

    # partners: organisations, contacts, timeline
    PARTNER_CREATED = "partner.created", _("Partner created")
    PARTNER_UPDATED = "partner.updated", _("Partner changed")
    PARTNER_ARCHIVED = "partner.archived", _("Partner archived")
    PARTNER_MERGED = "partner.merged", _("Duplicate partner merged")
    PARTNER_SITE_SAVED = "partner_site.saved", _("Partner site saved")
    PARTNER_CONTACT_SAVED = "partner_contact.saved", _("Partner contact saved")
    INTERACTION_RECORDED = "interaction.recorded", _("Partner interaction recorded")
    INTERACTION_REMOVED = "interaction.removed", _("Partner interaction removed")
    PARTNER_LINK_CREATED = "partner_link.created", _("Private link for a partner created")
    PARTNER_LINK_REVOKED = "partner_link.revoked", _("Private link for a partner revoked")

    # partners: referrals
    REFERRAL_CREATED = "referral.created", _("Person referred by a partner")
    REFERRAL_WITHDRAWN = "referral.withdrawn", _("Referral withdrawn")

    # partners: offers and matching
    OFFER_CREATED = "offer.created", _("Offer created")
    OFFER_UPDATED = "offer.updated", _("Offer changed")
    OFFER_CLOSED = "offer.closed", _("Offer closed")
    OFFER_INTEREST_SAVED = "offer_interest.saved", _("Learner's interest in offers saved")
    MATCHING_RUN_COMPLETED = "matching_run.completed", _("Learners matched to offers")
    MATCH_PROPOSED = "match.proposed", _("Learner proposed for an offer")
    MATCH_CONFIRMED = "match.confirmed", _("Match confirmed")
    MATCH_DECLINED = "match.declined", _("Match declined")

    # partners: agreements and internships
    AGREEMENT_TEMPLATE_SAVED = "agreement_template.saved", _("Agreement template saved")
    AGREEMENT_RULE_SAVED = "agreement_rule.saved", _("Agreement rule saved")
    INTERNSHIP_CREATED = "internship.created", _("Internship created")
    INTERNSHIP_UPDATED = "internship.updated", _("Internship changed")
    AGREEMENT_SIGNATURE_RECORDED = "agreement.signature_recorded", _("Agreement signature recorded")
    AGREEMENT_SCAN_UPLOADED = "agreement.scan_uploaded", _("Signed agreement uploaded")
    AGREEMENT_SIGNED = "agreement.signed", _("Agreement signed")
    INTERNSHIP_STARTED = "internship.started", _("Internship started")
    INTERNSHIP_ENDED = "internship.ended", _("Internship ended")
    INTERNSHIP_CANCELLED = "internship.cancelled", _("Internship cancelled")
    CHECK_IN_SAVED = "check_in.saved", _("Internship check-in saved")
    EVALUATION_REQUESTED = "evaluation.requested", _("Evaluation asked of the company tutor")
    EVALUATION_REVOKED = "evaluation.revoked", _("Tutor's evaluation link revoked")
    EVALUATION_SUBMITTED = "evaluation.submitted", _("Tutor's evaluation received")
    SELF_ASSESSMENT_SUBMITTED = "self_assessment.submitted", _("Learner's self-assessment received")
    INCIDENT_RECORDED = "incident.recorded", _("Internship incident recorded")
    EVALUATION_CRITERIA_SAVED = "evaluation_criteria.saved", _("Evaluation criteria saved")


# The actions renamed when the list was typed (migration core 0003 rewrote the rows).
OLD_TO_NEW: dict[str, AuditAction] = {
    "applications.imported": AuditAction.CALL_APPLICATIONS_IMPORTED,
    "cohort.replacement": AuditAction.COHORT_REPLACEMENT_SELECTED,
    "placement.attempt_finished": AuditAction.ATTEMPT_FINISHED,
    "placement.attempt_started": AuditAction.ATTEMPT_STARTED,
    "placement.calibration_applied": AuditAction.CALIBRATION_APPLIED,
    "placement.calibration_started": AuditAction.CALIBRATION_STARTED,
    "placement.framework_changed": AuditAction.FRAMEWORK_UPDATED,
    "placement.framework_created": AuditAction.FRAMEWORK_CREATED,
    "placement.framework_imported": AuditAction.FRAMEWORK_IMPORTED,
    "placement.item_calibrated": AuditAction.ITEM_CALIBRATED,
    "placement.item_changed": AuditAction.ITEM_UPDATED,
    "placement.item_created": AuditAction.ITEM_CREATED,
    "placement.item_status_changed": AuditAction.ITEM_STATUS_CHANGED,
    "placement.items_exported": AuditAction.ITEM_BANK_EXPORTED,
    "placement.items_imported": AuditAction.ITEM_BANK_IMPORTED,
    "placement.result_reviewed": AuditAction.ATTEMPT_RESULT_REVIEWED,
    "placement.setup_changed": AuditAction.PLACEMENT_SETUP_UPDATED,
    "placement.target_removed": AuditAction.PROGRAMME_TARGET_REMOVED,
    "placement.target_set": AuditAction.PROGRAMME_TARGET_SET,
}
