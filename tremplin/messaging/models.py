"""One row per message sent to an applicant, by e-mail or SMS: what, to whom, and whether it
left. Staff see the failures and send them again (docs/decisions/0016)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.core.encryption import EncryptedTextField
from tremplin.network.models import Site
from tremplin.people.models import Person


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class Kind(models.TextChoices):
    CONFIRMATION = "confirmation", _("Confirmation of the application")
    RESUME_LINK = "resume_link", _("Link to finish the application")
    TEST_LINK = "test_link", _("Placement test link")
    INVITATION = "invitation", _("Invitation")
    DECISION = "decision", _("Decision")
    ANSWER = "answer", _("Answer to a question")
    LEARNER_LINK = "learner_link", _("Link to the learner's pages")
    ATTENDANCE_CODE = "attendance_code", _("Attendance to sign")
    SURVEY = "survey", _("End-of-course survey")
    CERTIFICATE = "certificate", _("Certificate")
    PARTNER_LINK = "partner_link", _("Private link for a partner")
    REFERRAL = "referral", _("Referral to a call for applications")
    TUTOR_EVALUATION = "tutor_evaluation", _("Evaluation asked of a company tutor")
    INTERNSHIP = "internship", _("About an internship")


class Message(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Not delivered")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    # What the message is about, as the audit names it ("selection.application", its id).
    subject_type = models.CharField(max_length=64, blank=True)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    recipient = models.CharField(_("to"), max_length=254)
    language = models.CharField(_("language"), max_length=8)
    title = models.CharField(_("subject"), max_length=255, blank=True)
    # Kept to send the same text again; encrypted because it may hold a private link.
    body = EncryptedTextField(_("text"))
    # Files sent with an e-mail (an appointment's .ics), kept to send them again: JSON
    # [{"name", "type", "content" (base64)}], encrypted like the text.
    attachments = EncryptedTextField(_("attachments"), blank=True, default="")
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="message_channel_known"
            ),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="message_kind_known"),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sent", "failed"]), name="message_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="message_sent_has_time",
            ),
            models.CheckConstraint(condition=~Q(recipient=""), name="message_has_recipient"),
        ]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="message_subject"),
            models.Index(fields=["site", "status"], name="message_site_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_channel_display()}) → {self.recipient}"
