"""The learner's own progress on their private link (plain words, their language, right to
left in Arabic), and placement re-tests taken during training becoming evidence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.placement.models import Attempt, CrosswalkLink, ProgrammeTarget
from tremplin.training.models import CompetenceEvidence, EvidenceSource
from tremplin.training.services.evidence import band_level, placement_evidence_record
from tremplin.training.tests.progress_setup import finished_attempt, setup, token_for

pytestmark = pytest.mark.django_db


def test_the_learner_reads_their_progress_in_plain_words(world: World) -> None:
    s = setup(world)
    CompetenceEvidence.objects.create(
        enrolment=s.amina,
        competence=s.c11,
        level=3,
        source="trainer",
        assessed_on=dt.date(2026, 10, 1),
    )
    CompetenceEvidence.objects.create(
        enrolment=s.amina,
        competence=s.c21,
        level=3,
        source="project",
        assessed_on=dt.date(2026, 10, 2),
    )
    token = token_for(s.amina)
    page = world.client_for("anonymous").get(
        reverse("training:learner-progress", args=[token]), HTTP_ACCEPT_LANGUAGE="en"
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "You reached level 3 of 5 in" in text
    assert "Aim reached. Well done!" in text  # 2.1: 3 of 3
    assert "Not assessed yet. The aim is level 2." in text
    assert "You reached the aim in 1 skill out of 3." in text
    assert "Seen by your trainer on" in text
    assert "Shown in a project on" in text


@pytest.mark.parametrize(
    ("language", "direction", "words"),
    [
        ("ar", "rtl", 'lang="ar" dir="rtl"'),
        ("fr", "ltr", "Vous avez atteint le niveau 3 sur 5"),
        ("km", "ltr", 'lang="km"'),
        ("vi", "ltr", 'lang="vi"'),
    ],
)
def test_the_learner_page_speaks_the_learners_languages(
    world: World, language: str, direction: str, words: str
) -> None:
    s = setup(world)
    world.alpha.applicant_languages = ["fr", "en", "ar", "km", "vi"]
    world.alpha.save()
    CompetenceEvidence.objects.create(
        enrolment=s.amina,
        competence=s.c11,
        level=3,
        source="trainer",
        assessed_on=dt.date(2026, 10, 1),
    )
    token = token_for(s.amina)
    text = (
        world.client_for("anonymous")
        .get(reverse("training:learner-progress", args=[token]), HTTP_ACCEPT_LANGUAGE=language)
        .content.decode()
    )
    assert f'dir="{direction}"' in text
    assert words in text
    assert "My progress" not in text  # translated


@pytest.mark.parametrize("token", ["unknown", "x" * 200])
def test_an_unknown_link_is_not_found(world: World, token: str) -> None:
    setup(world)
    response = world.client_for("anonymous").get(reverse("training:learner-progress", args=[token]))
    assert response.status_code == 404


def test_a_re_test_after_joining_becomes_evidence_by_area(world: World) -> None:
    s = setup(world)
    # area 1 shown Advanced and sure; area 2 Intermediate but unsure: the overall group counts
    attempt = finished_attempt(
        s.amina,
        band="intermediate",
        on=dt.date(2026, 10, 20),
        areas={"1": ("advanced", True), "2": ("beginner", False)},
    )
    rows = {
        e.competence.code: e
        for e in CompetenceEvidence.objects.filter(enrolment=s.amina, source="placement")
    }
    assert {code: e.level for code, e in rows.items()} == {"1.1": 5, "2.1": 3, "3.1": 3}
    assert rows["1.1"].source_ref == f"placement_attempt:{attempt.pk}"
    assert rows["1.1"].assessed_on == dt.date(2026, 10, 20)
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.EVIDENCE_RECORDED, subject_id=s.amina.pk
        ).count()
        == 1
    )
    # saved again unchanged: nothing more
    attempt.save()
    assert CompetenceEvidence.objects.filter(enrolment=s.amina).count() == 3
    assert AuditEvent.objects.filter(action=AuditAction.EVIDENCE_RECORDED).count() == 1


def test_a_trainer_changing_the_group_brings_the_evidence_in_line(world: World) -> None:
    s = setup(world)
    attempt = finished_attempt(
        s.amina, band="intermediate", on=dt.date(2026, 10, 20), areas={"1": ("advanced", True)}
    )
    attempt.review, attempt.reviewed_band = Attempt.Review.OVERRIDDEN, "beginner"
    attempt.review_reason = "Struggled with the phone"
    attempt.save()
    levels = set(
        CompetenceEvidence.objects.filter(enrolment=s.amina).values_list("level", flat=True)
    )
    assert levels == {1}  # the reviewed group, for every competence
    assert CompetenceEvidence.objects.filter(enrolment=s.amina).count() == 3


def test_a_test_before_joining_or_unfinished_is_not_evidence(world: World) -> None:
    s = setup(world)
    finished_attempt(s.amina, band="advanced", on=dt.date(2026, 8, 1))  # before joining
    unfinished = finished_attempt(s.amina, band="advanced", on=dt.date(2026, 10, 1))
    CompetenceEvidence.objects.all().delete()
    unfinished.state, unfinished.finished_at = Attempt.State.IN_PROGRESS, None
    assert placement_evidence_record(attempt=unfinished) == 0
    assert not CompetenceEvidence.objects.exists()


def test_a_competence_of_another_framework_reads_through_its_crosswalk(world: World) -> None:
    s = setup(world)
    link = (
        CrosswalkLink.objects.filter(
            source__framework__code="pix",
            target__framework__code="digcomp-2.2",
            target__area__code="1",
        )
        .select_related("source")
        .first()
    )
    assert link is not None
    ProgrammeTarget.objects.create(programme=world.programme_alpha, competence=link.source, level=4)
    finished_attempt(
        s.amina, band="beginner", on=dt.date(2026, 10, 20), areas={"1": ("advanced", True)}
    )
    pix = CompetenceEvidence.objects.get(enrolment=s.amina, competence=link.source)
    covered = set(
        CrosswalkLink.objects.filter(source=link.source).values_list(
            "target__area__code", flat=True
        )
    )
    assert pix.level == (5 if covered == {"1"} else 1)
    assert pix.source == EvidenceSource.PLACEMENT


def test_band_levels_for_named_groups() -> None:
    assert band_level("intermediate", setup_bands=[]) == 3
    assert band_level("Niveau C", setup_bands=["Niveau A", "Niveau B", "Niveau C"]) == 5
    assert band_level("gone", setup_bands=["A"]) is None
