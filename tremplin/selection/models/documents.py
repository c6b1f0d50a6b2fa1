"""Documents an applicant uploads with the public form (a photo or scan of an identity
document, a residence permit, a diploma...), kept under MEDIA_ROOT with a random name,
encrypted (core.encryption.EncryptedFileField), and served only to the staff who run the
call and may see sensitive data."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.core.encryption import EncryptedFileField
from tremplin.selection.models.applications import Application

DOCUMENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def document_path(instance: ApplicationDocument, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"applications/{instance.application.call_id}/{secrets.token_hex(16)}.{extension}"


class ApplicationDocument(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(_("document"), max_length=200, blank=True)
    file = EncryptedFileField(_("file"), upload_to=document_path)
    extension = models.CharField(max_length=8, choices=[(k, k) for k in DOCUMENT_TYPES])
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "created_at", "pk"]
        verbose_name = _("uploaded document")
        verbose_name_plural = _("uploaded documents")

    def __str__(self) -> str:
        return self.name or self.file.name

    @property
    def content_type(self) -> str:
        return DOCUMENT_TYPES[self.extension]
