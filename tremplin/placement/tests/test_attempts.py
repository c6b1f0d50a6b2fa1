"""A placement test on the database, as the people who use it see it: a selection officer
starts it, the applicant answers on their private link (leaving and coming back), the result
becomes the stage score, a trainer reviews it; another organisation never sees it."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.placement.bank import bank_install_shipped, shipped_items
from tremplin.placement.models import (
    Answer,
    Attempt,
    Competence,
    CrosswalkLink,
    Framework,
    Item,
)
from tremplin.selection.models import StageKind, StageResult
from tremplin.selection.tests.builders import applicant, open_call


def test_shipped_frameworks_and_crosswalks_are_in_every_database(db: None) -> None:
    digcomp = Framework.objects.get(code="digcomp-2.2", organisation__isnull=True)
    assert digcomp.areas.count() == 5
    assert digcomp.competences.count() == 21
    assert len(digcomp.levels) == 8
    pix = Framework.objects.get(code="pix")
    assert pix.competences.count() == 16
    assert pix.maps_to == digcomp
    for code in ("pix", "icdl-base", "simplon-cnf"):
        framework = Framework.objects.get(code=code)
        unlinked = framework.competences.filter(links_out__isnull=True)
        assert not unlinked.exists(), code
    assert CrosswalkLink.objects.filter(
        source__framework__code="icdl-base", target__framework=digcomp
    ).exists()
    assert Competence.objects.get(framework=digcomp, code="4.2").name["fr"]


def test_the_shipped_bank_has_120_items_over_the_five_areas_in_three_languages(
    world: World,
) -> None:
    entries = shipped_items()
    assert len(entries) >= 120
    assert {e["competence"].split(".")[0] for e in entries} == {"1", "2", "3", "4", "5"}
    for entry in entries:
        for language in ("fr", "en", "ar"):
            assert entry["stem"][language].strip(), (entry["code"], language)
            for part in ("image_alt", "accessibility"):
                if entry.get(part):
                    assert entry[part].get(language, "").strip(), (entry["code"], part, language)
    imported = bank_install_shipped(world.alpha)
    assert imported.created == len(entries)
    assert Item.objects.filter(organisation=world.alpha, kind="hotspot").count() >= 10


def _answer_until_finished(client: Client, link: str, *, right: bool, stop_after: int = 99) -> int:
    answered = 0
    while answered < stop_after:
        page = client.get(link)
        if "Your level" in page.content.decode() or "Votre niveau" in page.content.decode():
            break
        attempt = Attempt.objects.get(pk=page.context["attempt"].pk)
        item = attempt.next_item
        assert item is not None
        choice = item.answer if right else (item.answer + 1) % len(item.choices)
        client.post(link, {"item": item.pk, "choice": choice})
        answered += 1
    return answered


@pytest.fixture
def with_bank(world: World) -> World:
    bank_install_shipped(world.alpha)
    return world


def test_an_applicant_takes_the_test_leaves_and_comes_back_and_it_becomes_a_stage_score(
    with_bank: World,
) -> None:
    world = with_bank
    call = open_call(world)
    exam = call.stages.get(kind=StageKind.WRITTEN_EXAM)
    application = applicant(call, world.amina, through=exam.position - 1)
    from tremplin.placement.services import attempts as services

    started = services.attempt_start(
        actor=world.users["officer_a1"],
        person=world.amina,
        programme=call.run.programme,
        language="fr",
        application_id=application.pk,
        stage_id=exam.pk,
    )
    link = reverse("placement:take", kwargs={"token": started.token})
    phone = Client()
    page = phone.get(link)
    assert page.status_code == 200
    assert "Question 1" in page.content.decode() or "Question 1" in page.content.decode()
    assert _answer_until_finished(phone, link, right=True, stop_after=3) == 3
    # The connection is lost; the same link on another device shows the next question.
    other = Client()
    attempt = Attempt.objects.get(pk=started.attempt.pk)
    assert attempt.answers.count() == 3
    assert other.get(link).context["item"].pk == attempt.next_item_id
    # The same answer sent twice (a double tap) counts once.
    item = attempt.next_item
    other.post(link, {"item": item.pk, "choice": item.answer})
    other.post(link, {"item": item.pk, "choice": item.answer})
    assert Answer.objects.filter(attempt=attempt).count() == 4
    _answer_until_finished(other, link, right=True)
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.FINISHED
    assert 5 <= attempt.answers.count() <= 20
    assert attempt.band == "advanced"
    result = other.get(link).content.decode()
    assert "Votre niveau" in result
    result_score = StageResult.objects.get(application=application, stage=exam)
    assert result_score.score is not None
    assert result_score.score > exam.max_score / 2
    assert AuditEvent.objects.filter(action=AuditAction.ATTEMPT_FINISHED).count() == 1


def test_a_trainer_reviews_a_borderline_result_with_a_reason(with_bank: World) -> None:
    world = with_bank
    from tremplin.placement.services import attempts as services

    started = services.attempt_start(
        actor=world.users["officer_a1"], person=world.amina, programme=world.programme_alpha
    )
    attempt = started.attempt
    link = reverse("placement:take", kwargs={"token": started.token})
    phone = Client()
    # Alternate right and wrong: an uncertain result in the middle.
    for n in range(40):
        attempt.refresh_from_db()
        if attempt.state == Attempt.State.FINISHED:
            break
        item = attempt.next_item
        choice = item.answer if n % 2 == 0 else (item.answer + 1) % len(item.choices)
        phone.post(link, {"item": item.pk, "choice": choice})
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.FINISHED
    trainer = world.client_for("trainer_a1")
    listing = trainer.get(reverse("placement:attempt-list")).content.decode()
    assert world.amina.display_name in listing
    url = reverse("placement:attempt-review", kwargs={"attempt_id": attempt.pk})
    other = "beginner" if attempt.band != "beginner" else "intermediate"
    page = trainer.post(url, {"band": other, "reason": ""}, follow=True)
    assert "Say why the level group changes." in page.content.decode()
    trainer.post(url, {"band": other, "reason": "Talked with her: needs the basics first."})
    attempt.refresh_from_db()
    assert attempt.final_band == other
    assert attempt.review == Attempt.Review.OVERRIDDEN
    assert AuditEvent.objects.get(action=AuditAction.ATTEMPT_RESULT_REVIEWED).note.startswith(
        "Talked"
    )


def test_another_organisation_gets_404_and_a_wrong_link_too(with_bank: World) -> None:
    world = with_bank
    from tremplin.placement.services import attempts as services

    started = services.attempt_start(
        actor=world.users["officer_a1"], person=world.amina, programme=world.programme_alpha
    )
    detail = reverse("placement:attempt-detail", kwargs={"attempt_id": started.attempt.pk})
    assert world.client_for("manager_b1").get(detail).status_code == 404
    assert world.client_for("trainer_a1").get(detail).status_code == 200
    assert Client().get(reverse("placement:take", kwargs={"token": "nope"})).status_code == 404
    assert re.search(
        r"/placement/test/[\w-]+/", reverse("placement:take", kwargs={"token": started.token})
    )


def test_the_places_to_tap_are_written_with_a_dot_in_every_language(with_bank: World) -> None:
    """French writes 7,5 where SVG needs 7.5: a comma made every place invisible in French."""
    from tremplin.placement.services import attempts as services

    world = with_bank
    hotspot = Item.objects.filter(organisation=world.alpha, kind="hotspot").first()
    assert hotspot is not None
    for language in ("fr", "ar", "en"):
        started = services.attempt_start(
            actor=world.users["officer_a1"],
            person=world.amina,
            programme=world.programme_alpha,
            language=language,
        )
        Attempt.objects.filter(pk=started.attempt.pk).update(next_item=hotspot)
        html = Client().get(reverse("placement:take", kwargs={"token": started.token}))
        rects = re.findall(
            r'<rect class="hotspot-zone" x="([^"]+)" y="([^"]+)"', html.content.decode()
        )
        assert len(rects) == len(hotspot.choices), language
        for x, y in rects:
            float(x), float(y)  # raises on "7,5"


def test_the_score_is_recorded_even_when_the_starter_left_and_again_after_a_hand_change(
    with_bank: World,
) -> None:
    """The officer who started the test left the call before it ended: the score is recorded
    all the same, by the system. Staff then change it by hand: the attempt's page says so, and
    a manager records the test's score again in their own name."""
    from decimal import Decimal

    from tremplin.network.models import RoleAssignment
    from tremplin.network.selectors import forget_scope
    from tremplin.placement.services import attempts as services
    from tremplin.selection.services.stage_results import stage_result_record

    world = with_bank
    call = open_call(world)
    exam = call.stages.get(kind=StageKind.WRITTEN_EXAM)
    application = applicant(call, world.amina, through=exam.position - 1)
    officer = world.users["officer_a1"]
    started = services.attempt_start(
        actor=officer,
        person=world.amina,
        programme=call.run.programme,
        application_id=application.pk,
        stage_id=exam.pk,
    )
    RoleAssignment.objects.filter(user=officer).delete()
    forget_scope(officer)
    link = reverse("placement:take", kwargs={"token": started.token})
    _answer_until_finished(Client(), link, right=True)
    attempt = Attempt.objects.get(pk=started.attempt.pk)
    assert attempt.state == Attempt.State.FINISHED
    expected = services.stage_score_expected(attempt)
    result = StageResult.objects.get(application=application, stage=exam)
    assert (result.score, result.recorded_by) == (expected, None)

    stage_result_record(
        actor=world.users["manager_a1"],
        application=application,
        stage=exam,
        decision="pending",
        reason="other",
        score=Decimal("10"),
    )
    detail = reverse("placement:attempt-detail", kwargs={"attempt_id": attempt.pk})
    record = reverse("placement:attempt-record-score", kwargs={"attempt_id": attempt.pk})
    trainer = world.client_for("trainer_a1")
    page = trainer.get(detail).content.decode()
    assert "changed by hand" in page
    assert record not in page  # a trainer does not run the call
    assert trainer.post(record).status_code == 403

    manager = world.client_for("manager_a1")
    assert record in manager.get(detail).content.decode()
    assert manager.post(record).status_code == 302
    result = StageResult.objects.get(application=application, stage=exam)
    assert result.score == expected
    event = AuditEvent.objects.filter(
        action=AuditAction.STAGE_RESULT_RECORDED, subject_id=application.pk
    ).latest("pk")
    assert event.actor == world.users["manager_a1"]
    page = manager.get(detail).content.decode()
    assert "Recorded for" in page
    assert record not in page


def test_a_konexio_test_started_from_the_tests_page_scores_the_calls_placement_stage(
    with_bank: World,
) -> None:
    """Staff start the test for a person without naming the application: it belongs to their
    application to the Konexio call, and its score reaches the placement stage by itself, even
    before the information session is passed; finishing again changes nothing."""
    from tremplin.placement.services import attempts as services

    world = with_bank
    call = open_call(world, process="konexio")
    placement = call.stages.get(placement_test=True)
    application = applicant(call, world.amina)
    started = world.client_for("officer_a1").post(
        reverse("placement:attempt-start"),
        {"person": world.amina.pk, "programme": call.run.programme.pk, "language": "fr"},
    )
    assert started.status_code == 200
    attempt = Attempt.objects.get(person=world.amina)
    assert (attempt.application_id, attempt.stage_id) == (application.pk, placement.pk)
    _answer_until_finished(Client(), started.context["link"], right=True)
    attempt.refresh_from_db()
    result = StageResult.objects.get(application=application, stage=placement)
    assert result.score == services.stage_score_expected(attempt)
    assert 0 <= result.score <= 100
    assert result.decision == "pending"
    audits = AuditEvent.objects.filter(
        action=AuditAction.STAGE_RESULT_RECORDED, subject_id=application.pk
    )
    assert audits.count() == 1
    assert audits.get().actor is None
    services._record_stage_score(attempt)
    assert audits.count() == 1


def test_the_person_is_found_by_a_search_not_picked_from_everyone(with_bank: World) -> None:
    world = with_bank
    officer = world.client_for("officer_a1")
    url = reverse("placement:attempt-list")
    page = officer.get(url).content.decode()
    assert 'name="person"' not in page  # nobody listed before a search
    found = officer.get(url, {"who": world.amina.legal_given_names}).content.decode()
    assert f'value="{world.amina.pk}"' in found
    assert "No one found" in officer.get(url, {"who": "zzzz-nobody"}).content.decode()
    # Beta's manager does not find Alpha's people.
    other = world.client_for("manager_b1").get(url, {"who": world.amina.legal_given_names})
    assert f'value="{world.amina.pk}"' not in other.content.decode()
    started = officer.post(
        reverse("placement:attempt-start"),
        {"person": world.amina.pk, "programme": world.programme_alpha.pk, "language": "ar"},
    )
    assert started.status_code == 200
    assert Attempt.objects.get(person=world.amina).language == "ar"


def test_the_level_group_for_training_is_the_latest_reviewed_result(with_bank: World) -> None:
    from tremplin.placement.selectors.attempts import level_group
    from tremplin.placement.services import attempts as services

    world = with_bank
    key = {"person_id": world.amina.pk, "programme_id": world.programme_alpha.pk}
    assert level_group(**key) == ""
    started = services.attempt_start(
        actor=world.users["officer_a1"], person=world.amina, programme=world.programme_alpha
    )
    link = reverse("placement:take", kwargs={"token": started.token})
    assert level_group(**key) == ""  # in progress: no group yet
    _answer_until_finished(Client(), link, right=False)
    attempt = Attempt.objects.get(pk=started.attempt.pk)
    assert level_group(**key) == attempt.band == "beginner"
    services.attempt_review(
        actor=world.users["trainer_a1"],
        attempt=attempt,
        band="intermediate",
        reason="Uses a computer at work every day.",
    )
    assert level_group(**key) == "intermediate"


def test_places_to_tap_are_described_as_seen_not_by_what_they_do(db: None) -> None:
    """The labels of the places on a picture are read by screen readers and shown on hover:
    they describe what is drawn ("Floppy disk"), never the function the question asks for
    ("Save"), or they would give the answer away. Checked: no word of the question is found in
    the right place's label and in no other."""
    import unicodedata

    def words(text: str) -> set[str]:
        plain = unicodedata.normalize("NFKD", text.lower())
        letters = "".join(
            ch if ch.isalnum() else " " for ch in plain if not unicodedata.combining(ch)
        )
        return {w[:4] for w in letters.split() if len(w) >= 4 and w not in common}

    common = {"avec", "dans", "pour", "cette", "votre", "vous", "from", "that", "this", "with"}
    common |= {"your", "what", "which", "where", "into", "plus", "sont", "tous", "elle", "vers"}

    for entry in shipped_items():
        if entry["kind"] != "hotspot":
            continue
        right = entry["choices"][entry["answer"]]
        for language in ("en", "fr"):
            others: set[str] = set()
            for n, choice in enumerate(entry["choices"]):
                if n != entry["answer"]:
                    others |= words(choice[language])
            # A word of the question found in the right label and in no other one.
            shared = (words(right[language]) & words(entry["stem"][language])) - others
            assert not shared, (entry["code"], language, shared)


def test_the_persons_page_shows_their_tests_and_level_group(with_bank: World) -> None:
    from tremplin.placement.services import attempts as services

    world = with_bank
    page_url = reverse("people:person-detail", kwargs={"person_id": world.amina.pk})
    officer = world.client_for("officer_a1")
    assert "placement-heading" not in officer.get(page_url).content.decode()
    started = services.attempt_start(
        actor=world.users["officer_a1"], person=world.amina, programme=world.programme_alpha
    )
    assert "in progress" in officer.get(page_url).content.decode()
    _answer_until_finished(Client(), reverse("placement:take", args=[started.token]), right=False)
    services.attempt_review(
        actor=world.users["trainer_a1"],
        attempt=Attempt.objects.get(pk=started.attempt.pk),
        band="intermediate",
        reason="Works with spreadsheets every day.",
    )
    page = officer.get(page_url).content.decode()
    assert "Level group: Intermediate" in page
    assert "changed by a trainer" in page
    assert reverse("placement:attempt-detail", args=[started.attempt.pk]) in page


def test_a_test_taken_before_applying_scores_the_placement_stage_once_the_person_applies(
    with_bank: World,
) -> None:
    import datetime as dt

    from tremplin.people.tests.factories import PersonFactory
    from tremplin.placement.services import attempts as services
    from tremplin.selection.models import Application
    from tremplin.selection.tests.test_application_form import (
        ABOUT,
        CONTACT,
        LANGUAGES,
        PROJECT,
        SEND,
        fill,
    )

    world = with_bank
    call = open_call(world, process="konexio")
    placement = call.stages.get(placement_test=True)
    person = PersonFactory(
        site=world.north,
        legal_given_names="Sokha",
        legal_family_name="Chan",
        birth_date=dt.date(2004, 3, 2),
        email="sokha@example.org",
    )
    started = services.attempt_start(
        actor=world.users["officer_a1"], person=person, programme=call.run.programme
    )
    assert started.attempt.application_id is None  # no application yet
    link = reverse("placement:take", kwargs={"token": started.token})
    _answer_until_finished(Client(), link, right=True)

    fill(Client(), call, ABOUT, CONTACT, LANGUAGES, PROJECT, SEND)

    application = Application.objects.get(call=call)
    assert application.person == person
    attempt = Attempt.objects.get(pk=started.attempt.pk)
    assert (attempt.application_id, attempt.stage_id) == (application.pk, placement.pk)
    result = StageResult.objects.get(application=application, stage=placement)
    assert result.score == services.stage_score_expected(attempt)


def test_recording_the_score_again_keeps_the_0_100_score_and_the_decision_taken(
    with_bank: World,
) -> None:
    """Issue 12 (tester): staff passed the applicant at the placement stage, then changed the
    score by hand; "Record the test's score in selection" must write the test's 0–100 score
    and keep "advance", or the applicant silently leaves the cohort's contenders."""
    from decimal import Decimal

    from tremplin.placement.services import attempts as services
    from tremplin.selection.services.stage_results import stage_result_record

    world = with_bank
    call = open_call(world, process="konexio")
    placement = call.stages.get(placement_test=True)
    application = applicant(call, world.amina, through=placement.position - 1)
    started = services.attempt_start(
        actor=world.users["officer_a1"],
        person=world.amina,
        programme=call.run.programme,
        application_id=application.pk,
        stage_id=placement.pk,
    )
    link = reverse("placement:take", kwargs={"token": started.token})
    _answer_until_finished(Client(), link, right=True)
    attempt = Attempt.objects.get(pk=started.attempt.pk)
    assert attempt.score is not None
    expected = Decimal(str(attempt.score)).quantize(Decimal("0.01"))
    stage_result_record(
        actor=world.users["manager_a1"],
        application=application,
        stage=placement,
        decision="advance",
        reason="passed",
        score=Decimal("10"),
    )
    manager = world.client_for("manager_a1")
    manager.cookies["django_language"] = "fr"
    record = reverse("placement:attempt-record-score", kwargs={"attempt_id": attempt.pk})
    assert manager.post(record).status_code == 302
    result = StageResult.objects.get(application=application, stage=placement)
    assert (result.score, result.decision, result.reason) == (expected, "advance", "passed")
    application.refresh_from_db()
    assert application.stages_passed >= placement.position


def test_the_stage_table_shows_the_level_group_in_the_readers_language(
    with_bank: World,
) -> None:
    """The test taken in Khmer gives the placement stage its score and level group; staff read
    the group's name in their own language on the stage's table, never its code."""
    from tremplin.placement.services import attempts as services

    world = with_bank
    call = open_call(world, process="konexio")
    placement = call.stages.get(placement_test=True)
    application = applicant(call, world.amina, through=placement.position - 1)
    started = services.attempt_start(
        actor=world.users["officer_a1"],
        person=world.amina,
        programme=call.run.programme,
        language="km",
        application_id=application.pk,
        stage_id=placement.pk,
    )
    _answer_until_finished(
        Client(), reverse("placement:take", kwargs={"token": started.token}), right=False
    )
    attempt = Attempt.objects.get(pk=started.attempt.pk)
    assert attempt.band == "beginner"
    result = StageResult.objects.get(application=application, stage=placement)
    assert result.level == "beginner"
    url = reverse("selection:stage-detail", args=[call.pk, placement.pk])
    officer = world.users["officer_a1"]
    for language, label in (("en", "Beginner"), ("fr", "Débutant"), ("ar", "مبتدئ")):
        type(officer).objects.filter(pk=officer.pk).update(preferred_language=language)
        page = world.client_for("officer_a1").get(url).content.decode()
        assert label in page, language
        assert "beginner" not in page, language
    # The level group stays when staff decide the stage with a note of their own.
    from tremplin.selection.services.stage_results import stage_result_record

    stage_result_record(
        actor=officer,
        application=application,
        stage=placement,
        decision="advance",
        reason="passed",
        score=result.score,
        note="Seen by the trainer",
    )
    result.refresh_from_db()
    assert (result.level, result.note) == ("beginner", "Seen by the trainer")
