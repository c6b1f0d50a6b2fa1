"""The programme's own certificate and the keys its digital credentials are signed with.

A certificate is issued to a graduated learner. What it says (the learner's name, the
programme, the organisation) is kept as it was on the day it was issued, so the PDF, the
public verification page and the signed credential never change afterwards. It is found
publicly by a random, unguessable ``public_id``; ``status_index`` is its bit in the
organisation's revocation list (a W3C Bitstring Status List). Revoking keeps the row, with
who, when and why."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.core.encryption import EncryptedTextField
from tremplin.network.models import Organisation
from tremplin.training.models.cohorts import Enrolment


def new_public_id() -> str:
    """128 random bits, URL-safe (22 characters)."""
    return secrets.token_urlsafe(16)


class Certificate(models.Model):
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("learner")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id)
    number = models.CharField(_("number"), max_length=40)
    status_index = models.PositiveIntegerField()
    issued_on = models.DateField(_("issued on"))
    language = models.CharField(_("language"), max_length=8)
    holder_name = models.CharField(_("learner"), max_length=300)
    programme_title = models.CharField(_("programme"), max_length=200)
    organisation_name = models.CharField(_("issued by"), max_length=200)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.TextField(_("reason for revoking"), blank=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(revoked_at__isnull=True),
                name="training_certificate_one_valid",
            ),
            models.UniqueConstraint(
                fields=["organisation", "number"], name="training_certificate_number_once"
            ),
            models.UniqueConstraint(
                fields=["organisation", "status_index"],
                name="training_certificate_status_index_once",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="training_certificate_revoked_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class IssuerKey(models.Model):
    """An organisation's Ed25519 key pair for signing credentials. The private key is
    encrypted at rest; the public key is published (the issuer's JWKS). A retired key stays
    published so the credentials it signed still verify."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="issuer_keys"
    )
    kid = models.CharField(max_length=64, unique=True)  # the key's JWK thumbprint (RFC 7638)
    public_key = models.CharField(max_length=64)  # base64url of the 32 raw bytes
    private_key = EncryptedTextField()  # base64url of the 32 raw bytes, encrypted
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation", "-created_at"]
        verbose_name = _("credential signing key")
        verbose_name_plural = _("credential signing keys")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(retired_at__isnull=True),
                name="training_issuer_key_one_active",
            ),
        ]

    def __str__(self) -> str:
        return self.kid
