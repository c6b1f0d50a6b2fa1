"""The demo's training: every reference organisation has running and finished cohorts in its
own format, a timetable and attendance, and PN's 2018 intake went through two years."""

from __future__ import annotations

import pytest
from django.db.models import F
from django.utils import timezone

from tremplin.demo.loader import demo_load, demo_remove
from tremplin.training.models import Cohort, Enrolment, Mark, Module, Period, Session


@pytest.mark.django_db
def test_each_organisation_has_running_and_finished_cohorts_with_attendance() -> None:
    demo_load(seed=11)
    for slug in ("passerelles-numeriques", "plombiers-du-numerique", "konexio", "simplon"):
        cohorts = Cohort.objects.filter(run__site__organisation__slug=slug)
        assert cohorts.filter(run__status="running").exists(), slug
        assert cohorts.filter(run__status="finished").exists(), slug
        assert Mark.objects.filter(enrolment__cohort__in=cohorts).count() > 100, slug
        assert Module.objects.filter(programme__organisation__slug=slug).count() >= 3, slug
    # Konexio's three level groups run in parallel.
    levels = Cohort.objects.filter(run__programme__slug="digiconnect", run__status="running")
    assert {c.level for c in levels} >= {"Beginner", "Intermediate", "Advanced"}
    # PN: terms, and the 2018 intake of 118 taken through its two years.
    assert Period.objects.filter(programme__slug="sna").count() == 4
    pn_2018 = Cohort.objects.get(call__slug="pn-kh-2018")
    assert pn_2018.enrolments.count() == 118
    assert pn_2018.enrolments.filter(status="graduated").count() > 100
    left = pn_2018.enrolments.filter(status="left_early")
    assert left.exists()
    assert not left.filter(exit_reason="").exists()
    # About ten weeks of attendance at most, nothing marked in the future, a few at risk.
    now = timezone.now()
    assert not Mark.objects.filter(session__starts_at__gt=now).exists()
    assert Session.objects.filter(starts_at__gt=now).exists()  # the timetable goes on
    absent = Mark.objects.filter(status="absent", session__cohort__run__status="running")
    assert absent.values("enrolment").distinct().count() >= 4
    # Every learner's person is at the cohort's site.
    assert not Enrolment.objects.exclude(person__site=F("cohort__run__site")).exists()
    demo_remove()
    assert not Cohort.objects.exists()


@pytest.mark.django_db
def test_the_demo_has_results_certificates_surveys_and_learners_at_risk() -> None:
    from tremplin.training.models import AssessmentResult, CompetenceEvidence
    from tremplin.training.models.alerts import Alert
    from tremplin.training.models.certificates import Certificate
    from tremplin.training.models.surveys import SurveyResponse

    demo_load(seed=11)
    pn_2018 = Cohort.objects.get(call__slug="pn-kh-2018")
    graduates = pn_2018.enrolments.filter(status="graduated")
    assert Certificate.objects.filter(enrolment__in=graduates).count() == graduates.count()
    # Four terms, two assessments each, for those who stayed.
    assert AssessmentResult.objects.filter(enrolment__in=graduates).count() == (
        graduates.count() * 8
    )
    for slug in ("passerelles-numeriques", "plombiers-du-numerique", "konexio", "simplon"):
        at = {"enrolment__cohort__run__site__organisation__slug": slug}
        assert Certificate.objects.filter(**at).exists(), slug
        assert CompetenceEvidence.objects.filter(source="trainer", **at).exists(), slug
        assert Alert.objects.filter(state="open", **at).exists(), slug
    assert CompetenceEvidence.objects.filter(source="project").exists()
    assert SurveyResponse.objects.count() >= 10
    assert Alert.objects.filter(actions__isnull=False).exists()
