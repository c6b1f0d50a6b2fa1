"""The demo network: the four reference organisations, staff for every role, people."""

from __future__ import annotations

import phonenumbers
import pytest

from tremplin.demo.loader import demo_load, demo_remove
from tremplin.network.models import Organisation, Programme, Role, RoleAssignment, Site
from tremplin.people.models import Person


@pytest.mark.django_db
def test_the_demo_loads_the_four_organisations_with_every_role_and_plausible_people() -> None:
    result = demo_load(seed=11)
    names = set(Organisation.objects.values_list("name", flat=True))
    assert names == {
        "Passerelles numériques",
        "Les Plombiers du Numérique",
        "Konexio",
        "Simplon",
    }
    assert Site.objects.filter(organisation__slug="passerelles-numeriques").count() == 3
    assert Site.objects.filter(organisation__slug="plombiers-du-numerique").count() == 5
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == {r.value for r in Role}
    assert Programme.objects.get(slug="digiconnect").levels == [
        "Beginner",
        "Intermediate",
        "Advanced",
    ]
    assert result.people == Person.objects.count() > 800
    # Placement tests: at each organisation, 4 finished and 1 still answering.
    from tremplin.placement.models import Attempt

    for organisation in Organisation.objects.all():
        attempts = Attempt.objects.filter(site__organisation=organisation)
        assert attempts.filter(state=Attempt.State.FINISHED).count() == 4
        assert attempts.filter(state=Attempt.State.IN_PROGRESS).count() == 1
        assert all(a.answers.count() >= 5 for a in attempts.filter(state="finished"))
    from tremplin.outreach.models import InformationSession, Registration

    assert InformationSession.objects.count() == 2 * Site.objects.count()
    assert Registration.objects.filter(status="waitlisted").exists()
    assert Registration.objects.filter(checked_in_at__isnull=False).exists()
    for person in Person.objects.select_related("site")[:200]:
        assert phonenumbers.is_valid_number(person.phone)
        assert phonenumbers.region_code_for_number(person.phone) == person.site.country.code
    # Calls: one open now per organisation, and PN's 2018 selection at its real size.
    from tremplin.selection.models import Application, Call, FinalDecision

    open_calls = Call.objects.filter(published=True)
    assert open_calls.count() == 4
    assert {c.site.organisation.slug for c in open_calls} == {
        "passerelles-numeriques",
        "plombiers-du-numerique",
        "konexio",
        "simplon",
    }
    assert all(c.applications.filter(status="submitted").count() >= 5 for c in open_calls)
    pn_2018 = Call.objects.get(slug="pn-kh-2018")
    applied = pn_2018.applications.filter(status="submitted")
    assert applied.count() == 10_452
    assert applied.filter(attended_information_session=True).count() == 10_452
    assert applied.filter(stages_passed__gte=3).count() == 669  # home visits
    selected = applied.filter(outcome=Application.Outcome.SELECTED)
    assert selected.count() == 118
    assert selected.filter(gender="female").count() / 118 >= 0.5
    assert applied.values("region").distinct().count() == 25  # every Cambodian province
    assert applied.values("channel").distinct().count() >= 5
    assert applied.values("age_band").distinct().count() >= 2
    assert FinalDecision.objects.filter(application__call=pn_2018).count() == 669
    # Interviews (1–5 means) and home visits (need index) count on their scale: the cohort
    # score is no longer the exam's third (it topped out at 33.33).
    from tremplin.selection.cohort import data as cohort_data

    scores = [c.score for c in cohort_data.question(call=pn_2018).candidates.values()]
    assert max(scores) > 90
    # Loading again changes nothing; the same seed gives the same people.
    assert demo_load(seed=11).created is False
    first = list(Person.objects.order_by("pk").values_list("legal_family_name", "phone")[:20])
    demo_remove()
    assert not Organisation.objects.exists()
    assert not Call.objects.exists()
    assert not Application.objects.exists()
    demo_load(seed=11)
    again = list(Person.objects.order_by("pk").values_list("legal_family_name", "phone")[:20])
    assert [(n, str(p)) for n, p in first] == [(n, str(p)) for n, p in again]
