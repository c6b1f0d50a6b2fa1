"""The partner sees how far the people it referred have gone, as far as each agreed: a word
(referred, applied, selected, in training, finished, left), never a score, a note, a stage
result, the sensitive section or another applicant."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.test import Client
from django.utils import timezone

from conftest import World
from tremplin.partners.models import PartnerLink, Referral
from tremplin.partners.selectors import referrals as selectors
from tremplin.partners.services.referrals import referral_create, referral_withdraw
from tremplin.partners.tests.referral_builders import link_url, refer_link
from tremplin.people.tests.factories import PersonFactory
from tremplin.selection.models import Application, Call, Decision, ReasonCode, StageResult
from tremplin.selection.tests.builders import applicant, open_call
from tremplin.training.models import Enrolment
from tremplin.training.tests.factories import CohortFactory

SECRET_NOTE = "Told us about a hard time at home"
SCORE = Decimal("87.25")


def refer(
    world: World, link: PartnerLink, call: Call, name: str, *, shares: bool = True
) -> Referral:
    made = referral_create(
        actor=None,
        partner=link.partner,
        link=link,
        call=call,
        given_names=name,
        family_name="Referred",
        email=f"{name.lower()}@example.org",
        language="en",
        consent=True,
        shares_status=shares,
        base_url="http://testserver",
    )
    return made.referral


def submitted(referral: Referral, **values: Any) -> Application:
    """The referred person submits: their application, with a scored stage and a note."""
    application = referral.application
    assert application is not None
    person = PersonFactory(
        site=application.call.site,
        legal_given_names=referral.given_names,
        administrative_situation="asylum_seeker",
        administrative_notes="Hearing at the prefecture",
    )
    Application.objects.filter(pk=application.pk).update(
        person=person,
        status=Application.Status.SUBMITTED,
        submitted_at=timezone.now(),
        stages_passed=1,
        **values,
    )
    StageResult.objects.create(
        application=application,
        stage=application.call.stages.get(position=1),
        score=SCORE,
        decision=Decision.ADVANCE,
        reason=ReasonCode.PASSED,
        note=SECRET_NOTE,
    )
    Referral.objects.filter(pk=referral.pk).update(person=person)
    application.refresh_from_db()
    return application


def enrol(application: Application, status: str = Enrolment.Status.ACTIVE) -> Enrolment:
    run = application.call.run
    cohort = CohortFactory(run=run)
    left = None if status == Enrolment.Status.ACTIVE else run.starts_on
    assert application.person is not None
    return Enrolment.objects.create(
        cohort=cohort,
        person=application.person,
        application=application,
        status=status,
        joined_on=run.starts_on,
        left_on=left,
        exit_reason="motivation" if status == Enrolment.Status.LEFT_EARLY else "",
    )


def test_each_referred_person_shows_their_status_only_when_they_agreed(world: World) -> None:
    call = open_call(world)
    new = refer_link(world, language="en")
    link = new.link
    refer(world, link, call, "Dara")  # referred, not yet applied
    submitted(refer(world, link, call, "Eva"))  # applied
    submitted(refer(world, link, call, "Farid"), outcome=Application.Outcome.SELECTED)
    enrol(submitted(refer(world, link, call, "Gita"), outcome="selected"))
    enrol(submitted(refer(world, link, call, "Hugo"), outcome="selected"), "graduated")
    enrol(submitted(refer(world, link, call, "Ines"), outcome="selected"), "left_early")
    submitted(refer(world, link, call, "Jon", shares=False), outcome="selected")
    statuses = {p.name.split()[0]: p.status for p in selectors.referred_people(link=link)}
    assert statuses == {
        "Dara": "referred",
        "Eva": "applied",
        "Farid": "selected",
        "Gita": "in_training",
        "Hugo": "finished",
        "Ines": "left",
        "Jon": "not_shared",
    }
    page = Client().get(link_url(new.token, people=True)).content.decode()
    assert "Finished the training" in page
    assert "The person did not agree to share their progress." in page


def test_the_partners_page_never_shows_a_score_a_note_or_the_sensitive_section(
    world: World,
) -> None:
    call = open_call(world)
    new = refer_link(world, language="en")
    application = submitted(refer(world, new.link, call, "Eva"), outcome="selected")
    # Another applicant of the same call, not referred by this partner.
    applicant(call, PersonFactory(site=call.site, legal_given_names="Zoltan"), through=1)
    page = Client().get(link_url(new.token, people=True)).content.decode()
    assert "Selected" in page
    for secret in (
        SECRET_NOTE,
        "87.25",
        "87,25",
        "asylum",
        "Hearing at the prefecture",
        "Zoltan",
        "Amina",
        str(application.stage_results.get().stage.name),
    ):
        assert secret not in page, secret


def test_another_partners_referrals_are_not_listed(world: World) -> None:
    from tremplin.partners.tests.referral_builders import referral_partner

    call = open_call(world)
    ours = refer_link(world, language="en")
    theirs = refer_link(world, referral_partner(world, name="Youth office"), language="en")
    refer(world, theirs.link, call, "Other")
    refer(world, ours.link, call, "Mine")
    page = Client().get(link_url(ours.token, people=True)).content.decode()
    assert "Mine Referred" in page
    assert "Other Referred" not in page


def test_a_withdrawn_referral_stops_showing_progress_and_its_draft_goes(world: World) -> None:
    call = open_call(world)
    new = refer_link(world, language="en")
    referral = refer(world, new.link, call, "Dara")
    draft_id = referral.application_id
    referral_withdraw(actor=world.users["manager_a1"], referral=referral, note="Asked by phone")
    assert not Application.objects.filter(pk=draft_id).exists()
    assert [p.status for p in selectors.referred_people(link=new.link)] == ["withdrawn"]


def test_the_partners_page_costs_the_same_queries_for_many_referrals(
    world: World, django_assert_max_num_queries: Any
) -> None:
    call = open_call(world)
    new = refer_link(world, language="en")
    for n in range(12):
        referral = refer(world, new.link, call, f"Person{n}")
        if n % 2:
            enrol(submitted(referral, outcome="selected"))
    client = Client()
    with django_assert_max_num_queries(12):
        assert client.get(link_url(new.token, people=True)).status_code == 200


def test_a_later_status_comes_from_a_hook_of_the_apps_on_the_right(world: World) -> None:
    call = open_call(world)
    new = refer_link(world, language="en")
    application = submitted(refer(world, new.link, call, "Eva"), outcome="selected")
    enrol(application, "graduated")
    hook = lambda ids: {pid: "In a job" for pid in ids}  # noqa: E731
    selectors.status_hooks.append(hook)
    try:
        assert [p.label for p in selectors.referred_people(link=new.link)] == ["In a job"]
    finally:
        selectors.status_hooks.remove(hook)
