"""Documents uploaded with the public form: checked by their content (PDF, JPEG or PNG, never
by their name), at most 5 MB each and 5 per application, stored encrypted with a random
name."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tremplin.core.encryption import encrypted_file_save
from tremplin.selection.models import Application, ApplicationDocument

MAX_BYTES = 5 * 1024 * 1024
MAX_PER_APPLICATION = 5
SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
)


def _kind(content: bytes) -> str | None:
    return next((kind for head, kind in SIGNATURES if content.startswith(head)), None)


def application_document_add(
    *, application: Application, name: str, upload: Any
) -> ApplicationDocument:
    """Keep a file the applicant sent with their draft. Errors name the `document_file` field."""
    if application.status != Application.Status.DRAFT:
        raise ValidationError(_("This application is already submitted."))
    size = getattr(upload, "size", None)
    if not isinstance(size, int) or size > MAX_BYTES:
        raise ValidationError({"document_file": _("The file is too large (5 MB at most).")})
    upload.seek(0)
    content = upload.read(MAX_BYTES + 1)
    kind = _kind(content)
    if kind is None or len(content) > MAX_BYTES:
        raise ValidationError({"document_file": _("Send a photo (JPEG or PNG) or a PDF file.")})
    if name and name not in application.call.required_documents:
        name = ""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if ApplicationDocument.objects.filter(application=locked).count() >= MAX_PER_APPLICATION:
            raise ValidationError(
                {"document_file": _("You already sent 5 files: that is the most we keep.")}
            )
        document = ApplicationDocument(
            application=locked, name=name, extension=kind, size=len(content)
        )
        encrypted_file_save(document.file, f"upload.{kind}", content)
        document.save()
    return document
