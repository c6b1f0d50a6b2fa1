"""Files an applicant sends with the form (a scan of a document): checked by their content,
listed on the staff application page and downloaded only by staff who see sensitive data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import World
from tremplin.selection.models import Application, ApplicationDocument
from tremplin.selection.tests.builders import open_call
from tremplin.selection.tests.test_application_form import (
    ABOUT,
    CONTACT,
    PROJECT,
    SEND,
    _step,
    fill,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_an_uploaded_document_reaches_the_staff_application_page(world: World) -> None:
    call = open_call(world)
    scan = SimpleUploadedFile("passport.pdf", PDF, "application/pdf")
    languages = {
        "documents": ["Identity document"],
        "document_name": "Identity document",
        "document_file": scan,
    }
    fill(Client(), call, ABOUT, CONTACT, languages, PROJECT, SEND)

    application = Application.objects.get(call=call)
    document = ApplicationDocument.objects.get(application=application)
    assert (document.name, document.extension) == ("Identity document", "pdf")
    detail = reverse("selection:application-detail", kwargs={"application_id": application.pk})
    download = reverse(
        "selection:application-document",
        kwargs={"application_id": application.pk, "document_id": document.pk},
    )
    officer = world.client_for("officer_a1")
    page = officer.get(detail).content.decode()
    assert "Files sent by the applicant" in page
    assert download in page
    response = officer.get(download)
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert world.client_for("manager_b1").get(download).status_code == 404
    assert world.client_for("trainer_a1").get(download).status_code == 403


def test_a_file_that_is_not_a_photo_or_pdf_is_refused_on_its_field(world: World) -> None:
    call = open_call(world)
    client = Client()
    fill(client, call, ABOUT, CONTACT)
    fake = SimpleUploadedFile("cv.pdf", b"<script>alert(1)</script>", "application/pdf")

    response = client.post(
        _step(call, 3), {"documents": ["Identity document"], "document_file": fake}
    )

    assert response.status_code == 200
    assert "Send a photo (JPEG or PNG) or a PDF file." in response.content.decode()
    assert response.context["form"].errors["document_file"]
    assert not ApplicationDocument.objects.exists()


def test_a_document_is_encrypted_on_disk_and_downloads_as_sent(
    world: World, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    call = open_call(world)
    scan = SimpleUploadedFile("permit.pdf", PDF, "application/pdf")
    languages = {
        "documents": ["Identity document"],
        "document_name": "Identity document",
        "document_file": scan,
    }
    fill(Client(), call, ABOUT, CONTACT, languages, PROJECT, SEND)
    document = ApplicationDocument.objects.get()

    on_disk = (tmp_path / document.file.name).read_bytes()
    assert PDF not in on_disk
    assert b"%PDF" not in on_disk
    download = reverse(
        "selection:application-document",
        kwargs={"application_id": document.application_id, "document_id": document.pk},
    )
    assert world.client_for("officer_a1").get(download).content == PDF


def test_key_rotation_re_encrypts_documents_and_encrypts_those_stored_in_clear(
    world: World, settings: Any, tmp_path: Path
) -> None:
    from cryptography.fernet import Fernet

    from tremplin.core.encryption import encrypted_file_read, rotate_keys
    from tremplin.selection.tests.builders import applicant

    settings.MEDIA_ROOT = str(tmp_path)
    call = open_call(world)
    application = applicant(call)
    old = ApplicationDocument(application=application, extension="pdf", size=len(PDF))
    old.file.save("upload.pdf", ContentFile(PDF), save=False)  # stored before encryption
    old.save()
    old_key = settings.TREMPLIN_ENCRYPTION_KEYS[0]
    settings.TREMPLIN_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]

    counts = rotate_keys()

    assert counts["selection.ApplicationDocument (files)"] == 1
    on_disk = (tmp_path / old.file.name).read_bytes()
    assert b"%PDF" not in on_disk
    settings.TREMPLIN_ENCRYPTION_KEYS = settings.TREMPLIN_ENCRYPTION_KEYS[:1]  # old key gone
    old.refresh_from_db()
    assert encrypted_file_read(old.file) == PDF


def test_a_document_sent_as_a_file_counts_as_declared_even_unticked(world: World) -> None:
    """Issue 12 (tester): the applicant sent their ID as a PDF without ticking it; the form then
    said to bring it, and staff read "not declared"."""
    call = open_call(world)
    scan = SimpleUploadedFile("id.pdf", PDF, "application/pdf")
    languages = {"documents": [], "document_name": "Identity document", "document_file": scan}
    fill(Client(), call, ABOUT, CONTACT, languages, PROJECT, SEND)
    application = Application.objects.get(call=call)
    assert application.answers["documents"] == ["Identity document"]
