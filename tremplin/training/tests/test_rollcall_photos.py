"""Learner photos on the attendance list: taken with the learner's consent (recorded as a
people consent), kept encrypted, shown only while that consent holds."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.people.models import Consent, ConsentPurpose
from tremplin.training.models import LearnerPhoto
from tremplin.training.tests.rollcall_builders import enrolments, taught_session


def _jpeg(size: int = 40) -> bytes:
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # the camera's make: not kept
    Image.new("RGB", (size, size // 2), (200, 120, 40)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _upload(client: object, enrolment_id: int, *, consent: bool, content: bytes) -> object:
    data: dict[str, object] = {"photo": SimpleUploadedFile("face.jpg", content, "image/jpeg")}
    if consent:
        data["consent"] = "on"
    return client.post(reverse("training:enrolment-photo", args=[enrolment_id]), data)  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_a_photo_is_kept_encrypted_with_the_consent_and_shown_on_the_list(world: World) -> None:
    session = taught_session(world, learners=1)
    (amy,) = enrolments(session)
    client = world.client_for("trainer_a1")
    content = _jpeg(1200)
    response = _upload(client, amy.pk, consent=True, content=content)
    assert response.status_code == 302  # type: ignore[attr-defined]
    consent = Consent.objects.get(person=amy.person, purpose=ConsentPurpose.ROLLCALL_PHOTO)
    assert consent.recorded_by == world.users["trainer_a1"]
    assert AuditEvent.objects.filter(action=AuditAction.PERSON_CONSENT_GIVEN).count() == 1
    photo = LearnerPhoto.objects.get(person=amy.person)
    with photo.file.open("rb") as stored:
        assert stored.read().startswith(b"gAAAAA")  # encrypted at rest
    served = client.get(reverse("training:enrolment-photo-file", args=[amy.pk]))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(served.content)) as kept:
        assert kept.size == (320, 160)  # made small, proportions kept
        assert not kept.getexif()
    page = client.get(reverse("training:session-rollcall", args=[session.pk])).content.decode()
    assert reverse("training:enrolment-photo-file", args=[amy.pk]) in page


@pytest.mark.django_db
def test_a_withdrawn_consent_hides_the_photo(world: World) -> None:
    session = taught_session(world, learners=1)
    (amy,) = enrolments(session)
    client = world.client_for("trainer_a1")
    _upload(client, amy.pk, consent=True, content=_jpeg())
    Consent.objects.filter(person=amy.person).update(withdrawn_at=timezone.now())
    page = client.get(reverse("training:session-rollcall", args=[session.pk])).content.decode()
    assert reverse("training:enrolment-photo-file", args=[amy.pk]) not in page
    assert client.get(reverse("training:enrolment-photo-file", args=[amy.pk])).status_code == 404


@pytest.mark.django_db
def test_no_photo_without_the_learners_consent_or_that_is_not_a_picture(world: World) -> None:
    session = taught_session(world, learners=1)
    (amy,) = enrolments(session)
    client = world.client_for("trainer_a1")
    response = _upload(client, amy.pk, consent=False, content=_jpeg())
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "consent" in response.context["form"].errors  # type: ignore[attr-defined]
    response = _upload(client, amy.pk, consent=True, content=b"%PDF-1.4 not a picture")
    assert "photo" in response.context["form"].errors  # type: ignore[attr-defined]
    assert not LearnerPhoto.objects.exists()
    assert not Consent.objects.filter(purpose=ConsentPurpose.ROLLCALL_PHOTO).exists()


@pytest.mark.django_db
def test_a_trainer_of_another_cohort_never_sees_the_photo(world: World) -> None:
    session = taught_session(world, learners=1)
    (amy,) = enrolments(session)
    _upload(world.client_for("trainer_a1"), amy.pk, consent=True, content=_jpeg())
    session.cohort.trainers.clear()
    url = reverse("training:enrolment-photo-file", args=[amy.pk])
    assert world.client_for("trainer_a1").get(url).status_code == 404
    assert world.client_for("manager_b1").get(url).status_code == 404
    assert world.client_for("coach_a1").get(url).status_code == 403
