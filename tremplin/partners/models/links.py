"""Private links for people outside the organisation: a partner contact who refers
applicants or enters offers. Only the hash of the token is kept (core.tokens); a link
expires and can be revoked. A company tutor's evaluation link is its own, single-use
record (models.internships.TutorEvaluation)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.partners.models.organisations import Partner, PartnerContact


class LinkPurpose(models.TextChoices):
    REFER = "refer", _("Refer applicants")
    OFFERS = "offers", _("Enter offers")


class PartnerLink(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="links")
    contact = models.ForeignKey(
        PartnerContact,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="links",
        verbose_name=_("contact"),
    )
    purpose = models.CharField(_("purpose"), max_length=8, choices=LinkPurpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires on"))
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("partner link")
        verbose_name_plural = _("partner links")

    def __str__(self) -> str:
        return f"{self.partner} · {self.get_purpose_display()}"
