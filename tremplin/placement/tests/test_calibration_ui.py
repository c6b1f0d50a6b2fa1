"""Calibration from the answers the placement test collected, as a site manager sees it: 300
simulated test-takers in French and Arabic over a 15-question bank with known parameters, one
question harder in Arabic than its level says. The run finds the parameters, flags that
question and names the questions it cannot estimate; applying it writes the values (audited);
a trainer may read but not calibrate; another organisation never sees it."""

from __future__ import annotations

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.people.models import Person
from tremplin.placement import calibration
from tremplin.placement.adaptive import Bank, Rules
from tremplin.placement.models import (
    Answer,
    Attempt,
    CalibrationRun,
    Competence,
    Item,
    ItemStatus,
)
from tremplin.placement.selectors.calibration import responses_from_answers
from tremplin.placement.services import calibration as services
from tremplin.placement.simulation import run_adaptive, simulated_bank

SIZE = 15
PEOPLE = 300
SEED = 3
DIF_SHIFT = 1.5  # the planted question is this much harder for the Arabic group
EVERYONE_RIGHT = 40  # people who answered the question everyone gets right


class Collected:
    def __init__(self, bank: Bank, planted: str) -> None:
        self.bank = bank
        self.planted = planted  # code of the question harder in Arabic

    def truth(self, code: str) -> tuple[float, float]:
        j = self.bank.codes.index(code)
        return float(self.bank.a[j]), float(self.bank.b[j])


def _item(world: World, code: str, competence: Competence, level: int = 3) -> Item:
    return Item(
        organisation=world.alpha,
        code=code,
        competence=competence,
        level=level,
        kind="choice",
        stem={"en": f"Question {code}", "fr": f"Question {code}"},
        choices=[{"en": "Yes", "fr": "Oui"}, {"en": "No", "fr": "Non"}],
        answer=0,
        status=ItemStatus.LIVE,
    )


def _collect(world: World) -> Collected:
    """The bank, and 300 finished tests answered by simulees (the engine's own loop)."""
    bank = simulated_bank(size=SIZE, seed=SEED)
    planted = int(np.argsort(bank.b)[SIZE // 2])  # a question of middle difficulty
    b_arabic = bank.b.copy()
    b_arabic[planted] += DIF_SHIFT
    bank_arabic = Bank.build(
        codes=list(bank.codes),
        a=bank.a.tolist(),
        b=b_arabic.tolist(),
        areas=[f"area{(j % 5) + 1}" for j in range(SIZE)],
    )
    competences = list(Competence.objects.filter(framework__code="digcomp-2.2")[:5])
    items = Item.objects.bulk_create(
        [_item(world, code, competences[j % 5]) for j, code in enumerate(bank.codes)]
        + [
            _item(world, "never", competences[0]),
            _item(world, "everyone-right", competences[1], level=1),
        ]
    )
    by_code = {item.code: item for item in items}
    people = Person.objects.bulk_create(
        Person(site=world.north, legal_given_names=f"P{i}", legal_family_name="Test")
        for i in range(PEOPLE)
    )
    now = timezone.now()
    attempts = Attempt.objects.bulk_create(
        Attempt(
            person=person,
            site=world.north,
            programme=world.programme_alpha,
            token_hash=f"{i:064d}",
            language="fr" if i % 2 == 0 else "ar",
            state=Attempt.State.FINISHED,
            finished_at=now,
            seed=i,
            started_by=world.users["officer_a1"],
        )
        for i, person in enumerate(people)
    )
    rng = np.random.default_rng(SEED)
    rules = Rules(max_items=10)
    answers = []
    for i, attempt in enumerate(attempts):
        truth = bank if attempt.language == "fr" else bank_arabic
        asked, rights, _estimate = run_adaptive(truth, float(rng.normal()), rules, rng)
        for position, (j, right) in enumerate(zip(asked, rights, strict=True), start=1):
            answers.append(
                Answer(
                    attempt=attempt,
                    item=by_code[bank.codes[j]],
                    position=position,
                    choice=0 if right else 1,
                    right=bool(right),
                    theta_after=0.0,
                    se_after=1.0,
                )
            )
        if i < EVERYONE_RIGHT:
            answers.append(
                Answer(
                    attempt=attempt,
                    item=by_code["everyone-right"],
                    position=len(asked) + 1,
                    choice=0,
                    right=True,
                    theta_after=0.0,
                    se_after=1.0,
                )
            )
    Answer.objects.bulk_create(answers)
    return Collected(bank, bank.codes[planted])


@pytest.fixture
def collected(world: World) -> Collected:
    return _collect(world)


def _start(world: World, persona: str = "manager_a1") -> CalibrationRun:
    response = world.client_for(persona).post(
        reverse("placement:calibration-start"), {"organisation": "alpha"}
    )
    assert response.status_code == 302
    run = CalibrationRun.objects.filter(organisation=world.alpha).order_by("-pk").first()
    assert run is not None
    assert response["Location"] == reverse("placement:calibration-detail", args=[run.pk])
    return run


def test_the_answers_become_the_matrix_the_cli_reads(world: World, collected: Collected) -> None:
    matrix = responses_from_answers(world.alpha)
    assert matrix.matrix.shape == (PEOPLE, SIZE + 2)
    assert set(matrix.items) == {*collected.bank.codes, "never", "everyone-right"}
    assert matrix.languages.count("ar") == PEOPLE // 2
    assert int((~np.isnan(matrix.matrix)).sum()) == Answer.objects.count()
    never = matrix.items.index("never")
    assert np.isnan(matrix.matrix[:, never]).all()


def test_a_run_recovers_the_questions_and_flags_the_one_that_differs_by_language(
    world: World, collected: Collected
) -> None:
    run = _start(world)
    assert run.state == CalibrationRun.State.DONE, run.error
    assert run.people == PEOPLE
    assert run.items_estimated == SIZE
    estimated = {row["code"]: row for row in run.results["items"]}
    others = [code for code in collected.bank.codes if code != collected.planted]
    found_b = np.array([estimated[c]["b"] for c in others])
    true_b = np.array([collected.truth(c)[1] for c in others])
    found_a = np.array([estimated[c]["a"] for c in others])
    true_a = np.array([collected.truth(c)[0] for c in others])
    assert np.corrcoef(found_b, true_b)[0, 1] > 0.9
    assert np.sqrt(np.mean((found_b - true_b) ** 2)) < 0.35
    assert np.median(np.abs(found_a - true_a) / true_a) < 0.3
    assert all(0 < estimated[c]["se_b"] < 0.6 for c in others)

    # The check between languages: the planted question, and hardly any other.
    [pair] = run.results["dif_pairs"]
    assert {pair["reference"], pair["focal"]} == {"fr", "ar"}
    assert pair["reference_people"] == pair["focal_people"] == PEOPLE // 2
    planted = estimated[collected.planted]["dif"][pair["key"]]
    assert planted["class"] == "C"
    assert planted["harder_for"] == "ar"
    assert calibration.DIF_FLAG in estimated[collected.planted]["flags"]
    flagged_others = [c for c in others if estimated[c]["dif"][pair["key"]]["class"] in "BC"]
    assert len(flagged_others) <= 1, flagged_others

    # The questions it could not estimate, named with the reason.
    left_out = {row["code"]: row for row in run.items_left_out}
    assert left_out["never"]["reason"] == calibration.NEVER_ANSWERED
    assert left_out["everyone-right"] == {
        "item_id": Item.objects.get(code="everyone-right").pk,
        "code": "everyone-right",
        "reason": calibration.ALL_RIGHT,
        "answers": EVERYONE_RIGHT,
    }

    page = world.client_for("trainer_a1").get(
        reverse("placement:calibration-detail", args=[run.pk])
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Nobody has answered it yet." in text
    assert f"All {EVERYONE_RIGHT} people who saw it answered it right" in text
    assert "large difference: harder in Arabic" in text
    assert "Apply to the questions" not in text  # a trainer may not apply
    audit = AuditEvent.objects.get(action=AuditAction.CALIBRATION_STARTED, subject_id=run.pk)
    assert audit.actor == world.users["manager_a1"]


def test_applying_writes_the_values_keeps_flagged_questions_and_is_audited(
    world: World, collected: Collected
) -> None:
    run = _start(world)
    estimated = {row["code"]: row for row in run.results["items"]}
    client = world.client_for("manager_a1")
    page = client.get(reverse("placement:calibration-detail", args=[run.pk]))
    assert "Apply to the questions" in page.content.decode()

    response = client.post(reverse("placement:calibration-apply", args=[run.pk]), follow=True)
    assert response.status_code == 200
    run.refresh_from_db()
    assert run.applied_by == world.users["manager_a1"]
    assert run.applied_at is not None
    clean = [c for c, row in estimated.items() if not row["flags"]]
    assert len(clean) >= SIZE - 3
    for code in clean:
        item = Item.objects.get(organisation=world.alpha, code=code)
        assert item.a == pytest.approx(estimated[code]["a"])
        assert item.b == pytest.approx(estimated[code]["b"])
        assert item.se_b == pytest.approx(estimated[code]["se_b"])
        assert item.fit_p == pytest.approx(estimated[code]["fit_p"])
        assert item.flags == []
        assert item.calibrated_at == run.applied_at
    planted = Item.objects.get(organisation=world.alpha, code=collected.planted)
    assert planted.a is None
    assert planted.b is None
    assert planted.calibrated_at is None
    assert calibration.DIF_FLAG in planted.flags
    for code in ("never", "everyone-right"):
        untouched = Item.objects.get(organisation=world.alpha, code=code)
        assert untouched.a is None
        assert untouched.flags == []
        assert untouched.fit_p is None
    event = AuditEvent.objects.get(action=AuditAction.CALIBRATION_APPLIED, subject_id=run.pk)
    assert event.actor == world.users["manager_a1"]
    assert event.changes["written"]["to"] == len(clean)
    assert AuditEvent.objects.filter(action=AuditAction.ITEM_CALIBRATED).count() == SIZE

    # Applied once only.
    response = client.post(reverse("placement:calibration-apply", args=[run.pk]), follow=True)
    assert "already applied" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.CALIBRATION_APPLIED).count() == 1


def test_an_older_run_cannot_replace_a_newer_one(world: World, collected: Collected) -> None:
    manager = world.users["manager_a1"]
    older = services.calibration_run_start(actor=manager, organisation=world.alpha)
    newer = services.calibration_run_start(actor=manager, organisation=world.alpha)
    assert older.state == newer.state == CalibrationRun.State.DONE
    services.calibration_apply(actor=manager, run=newer)
    before = list(Item.objects.filter(organisation=world.alpha).values_list("a", "b"))
    with pytest.raises(ValidationError, match="more recent calibration"):
        services.calibration_apply(actor=manager, run=older)
    assert list(Item.objects.filter(organisation=world.alpha).values_list("a", "b")) == before
    older.refresh_from_db()
    assert older.applied_at is None


def test_one_run_at_a_time_and_too_few_answers_is_said_plainly(world: World) -> None:
    manager = world.users["manager_b1"]
    run = services.calibration_run_start(actor=manager, organisation=world.beta)
    assert run.state == CalibrationRun.State.FAILED
    assert "Too little to estimate yet: 0 finished tests" in run.error
    page = world.client_for("manager_b1").get(
        reverse("placement:calibration-detail", args=[run.pk])
    )
    assert "The calibration could not be done. Nothing was changed." in page.content.decode()
    with pytest.raises(ValidationError, match="Only a finished calibration"):
        services.calibration_apply(actor=manager, run=run)

    CalibrationRun.objects.create(organisation=world.beta, started_by=manager)  # queued
    response = world.client_for("manager_b1").post(
        reverse("placement:calibration-start"), {"organisation": "beta"}, follow=True
    )
    assert "already under way" in response.content.decode()
    assert CalibrationRun.objects.filter(organisation=world.beta).count() == 2

    # A run left "under way" by a lost worker does not block the next one for ever.
    CalibrationRun.objects.filter(state="queued").update(
        created_at=timezone.now() - services.STALE_AFTER * 2
    )
    again = services.calibration_run_start(actor=manager, organisation=world.beta)
    assert again.state == CalibrationRun.State.FAILED
    assert not CalibrationRun.objects.filter(state__in=["queued", "running"]).exists()


def test_the_list_names_questions_with_too_few_answers_in_constant_queries(
    world: World, collected: Collected
) -> None:
    client = world.client_for("trainer_a1")
    url = reverse("placement:calibration-list")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "1 question has fewer than 30 answers" in text
    assert "never" in text
    assert f"{PEOPLE} finished tests" in text
    assert "Calibrate now" not in text  # a trainer cannot start one
    for _ in range(3):
        services.calibration_run_start(actor=world.users["manager_a1"], organisation=world.alpha)
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(queries)
    manager_page = world.client_for("manager_a1").get(url).content.decode()
    assert "Calibrate now" in manager_page


def test_a_trainer_reads_but_cannot_start_or_apply(world: World, collected: Collected) -> None:
    run = _start(world)
    trainer = world.client_for("trainer_a1")
    assert trainer.get(reverse("placement:calibration-detail", args=[run.pk])).status_code == 200
    start = trainer.post(reverse("placement:calibration-start"), {"organisation": "alpha"})
    assert start.status_code == 403
    apply = trainer.post(reverse("placement:calibration-apply", args=[run.pk]))
    assert apply.status_code == 403
    run.refresh_from_db()
    assert run.applied_at is None
    assert CalibrationRun.objects.count() == 1


def test_another_organisation_never_sees_the_run(world: World, collected: Collected) -> None:
    run = _start(world)
    other = world.client_for("manager_b1")
    assert other.get(reverse("placement:calibration-detail", args=[run.pk])).status_code == 404
    assert other.post(reverse("placement:calibration-apply", args=[run.pk])).status_code == 404
    assert (
        other.post(reverse("placement:calibration-start"), {"organisation": "alpha"}).status_code
        == 404
    )
    page = other.get(reverse("placement:calibration-list")).content.decode()
    assert "Beta Network" in page
    assert "Alpha Network" not in page
    run.refresh_from_db()
    assert run.applied_at is None


def test_an_unexpected_error_fails_the_run_and_says_so(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(collected: calibration.CollectedResponses) -> calibration.Outcome:
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "calibration_compute", broken)
    run = services.calibration_run_start(actor=world.users["manager_b1"], organisation=world.beta)
    assert run.state == CalibrationRun.State.FAILED
    assert run.finished_at is not None
    page = world.client_for("manager_b1").get(
        reverse("placement:calibration-detail", args=[run.pk])
    )
    assert "An unexpected error stopped the calibration." in page.content.decode()
    assert "boom" not in page.content.decode()
