"""Calibration from the answers the placement test collected: the same estimation as
``tremplin calibrate`` (``calibration.calibrate``, mirt), run in the background for an
organisation, with a check for questions that work differently by test language (DIF), and
applied onto the items when a site manager decides to.

Reads (scoped to the acting user) come first, then the writes (atomic, audited), then the
pure computation: the wide answer matrix, the left-out rules and the Mantel–Haenszel DIF
check (docs/decisions/0012-dif-check.md explains why not mirt's ``compute_dif``).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
import numpy.typing as npt
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from scipy import stats

from tremplin.core.audit import audit_record
from tremplin.core.models import User
from tremplin.network.models import Organisation
from tremplin.placement import adaptive
from tremplin.placement.calibration import (
    Calibration,
    FloatArray,
    ResponseFileError,
    Responses,
    calibrate,
)
from tremplin.placement.models import Answer, Attempt, CalibrationRun, Item, ItemStatus
from tremplin.placement.selectors import (
    MANAGE_ROLES,
    may_in,
)

logger = logging.getLogger(__name__)

MIN_ANSWERS = 30  # answers an item needs before it is estimated
MIN_PEOPLE = 100  # finished tests a calibration needs
MIN_GROUP_PEOPLE = 50  # people a language group needs to be compared with another
MIN_DIF_ANSWERS = 20  # answers to the item each group needs, in levels both groups reach
THETA_EDGES = np.arange(-2.0, 2.01, 0.5)  # level bands people are matched on (10 bands)
DIF_ALPHA = 0.05
STALE_AFTER = dt.timedelta(hours=2)  # a run still "under way" after this is marked failed

# Why an item was left out (the page words it in the reader's language).
NEVER_ANSWERED = "never_answered"
TOO_FEW_ANSWERS = "too_few_answers"
ALL_RIGHT = "all_right"
ALL_WRONG = "all_wrong"

# A flag of an item's DIF check, added to the calibration flags (fit, discrimination,
# difficulty) when a language pair shows a large difference (ETS class C).
DIF_FLAG = "dif"

# Why a run failed, when it is not "too little" (the page words it in the reader's language).
STOPPED = "stopped"
UNEXPECTED = "unexpected"


# --- Reads ------------------------------------------------------------------------------------


def finished_attempts(organisation_id: int) -> QuerySet[Attempt]:
    return Attempt.objects.filter(
        site__organisation_id=organisation_id, state=Attempt.State.FINISHED
    )


@dataclass(frozen=True)
class ItemAnswers:
    item: Item
    answers: int


@dataclass(frozen=True)
class AnswerCounts:
    tests: int  # finished tests
    answers: int
    items: list[ItemAnswers]  # live items and any item with answers, by code

    @property
    def under_minimum(self) -> list[ItemAnswers]:
        return [row for row in self.items if row.answers < MIN_ANSWERS]


def answer_counts(*, organisation: Organisation) -> AnswerCounts:
    """How many answers finished tests gave to each item (two queries, whatever the size)."""
    finished = Q(answers__attempt__state=Attempt.State.FINISHED)
    items = list(
        Item.objects.filter(organisation=organisation)
        .annotate(answer_count=Count("answers", filter=finished))
        .filter(Q(status=ItemStatus.LIVE) | Q(answer_count__gt=0))
        .order_by("code")
    )
    rows = [ItemAnswers(item, int(getattr(item, "answer_count", 0))) for item in items]
    return AnswerCounts(
        tests=finished_attempts(organisation.pk).count(),
        answers=sum(row.answers for row in rows),
        items=rows,
    )


def latest_applied(organisation_id: int) -> CalibrationRun | None:
    return (
        CalibrationRun.objects.filter(organisation_id=organisation_id, applied_at__isnull=False)
        .order_by("-created_at", "-id")
        .first()
    )


# --- The answers as the CLI's wide matrix -------------------------------------------------------


@dataclass
class CollectedResponses(Responses):
    """``Responses`` (one row per finished test, one column per item code) with each row's
    test language and each column's item id."""

    languages: list[str] = field(default_factory=list)
    item_ids: list[int] = field(default_factory=list)


def responses_from_answers(organisation: Organisation) -> CollectedResponses:
    """The answers of the organisation's finished tests as ``tremplin calibrate`` reads them:
    people are tests (``attempt id``), items are codes; 1 right, 0 wrong, NaN not asked. Live
    items nobody answered are columns too, so that they are named."""
    attempts = list(finished_attempts(organisation.pk).order_by("pk").values_list("pk", "language"))
    counts = answer_counts(organisation=organisation)
    items = [row.item for row in counts.items]
    column = {item.pk: j for j, item in enumerate(items)}
    row = {pk: i for i, (pk, _language) in enumerate(attempts)}
    matrix = np.full((len(attempts), len(items)), np.nan, dtype=np.float64)
    answers = Answer.objects.filter(
        attempt__site__organisation=organisation,
        attempt__state=Attempt.State.FINISHED,
        item__organisation=organisation,
    ).values_list("attempt_id", "item_id", "right")
    for attempt_id, item_id, right in answers.iterator(chunk_size=5000):
        if attempt_id in row and item_id in column:
            matrix[row[attempt_id], column[item_id]] = 1.0 if right else 0.0
    return CollectedResponses(
        people=[str(pk) for pk, _language in attempts],
        items=[item.code for item in items],
        matrix=matrix,
        languages=[language.split("-")[0] for _pk, language in attempts],
        item_ids=[item.pk for item in items],
    )


# --- Writes -----------------------------------------------------------------------------------


def _stop_stale_runs(organisation: Organisation) -> None:
    """A run still waiting or running long after it started lost its worker: mark it failed
    so that a new one may start."""
    CalibrationRun.objects.filter(
        organisation=organisation,
        state__in=[CalibrationRun.State.QUEUED, CalibrationRun.State.RUNNING],
        created_at__lt=timezone.now() - STALE_AFTER,
    ).update(
        state=CalibrationRun.State.FAILED,
        finished_at=timezone.now(),
        error="The calibration stopped without finishing.",
        results={"failure": STOPPED},
    )


def failure_words(run: CalibrationRun) -> str:
    """Why the run failed, in the reader's language."""
    results = run.results or {}
    if results.get("too_little"):
        return too_little_words(**results["too_little"])
    if results.get("failure") == STOPPED:
        return _("The calibration stopped without finishing (the background worker stopped).")
    if results.get("failure") == UNEXPECTED:
        return _(
            "An unexpected error stopped the calibration. Nothing was changed; the technical "
            "team can find it in the logs."
        )
    return run.error


def calibration_run_start(*, actor: User, organisation: Organisation) -> CalibrationRun:
    """Queue a calibration of the organisation's bank; it runs in the background worker (at
    once in tests). One at a time per organisation."""
    if not may_in(actor, organisation.pk, MANAGE_ROLES):
        raise PermissionDenied
    try:
        with transaction.atomic():
            _stop_stale_runs(organisation)
            run = CalibrationRun.objects.create(organisation=organisation, started_by=actor)
            audit_record(actor=actor, action="placement.calibration_started", subject=run)
    except IntegrityError as error:
        raise ValidationError(
            _("A calibration is already under way for this organisation: wait for it to end.")
        ) from error
    calibration_task.enqueue(run_id=run.pk)
    run.refresh_from_db()
    return run


@task()
def calibration_task(run_id: int) -> None:
    calibration_run(run_id=run_id)


def _fail(
    run: CalibrationRun, message: str, results: dict[str, Any] | None = None
) -> CalibrationRun:
    run.state = CalibrationRun.State.FAILED
    run.error = message
    run.results = results or {}
    run.finished_at = timezone.now()
    run.save(update_fields=["state", "error", "results", "finished_at"])
    return run


def calibration_run(*, run_id: int) -> CalibrationRun:
    """Compute a queued run: estimate, check DIF, store. A run that is not queued (already
    taken by another worker, or finished) is left as it is."""
    taken = CalibrationRun.objects.filter(pk=run_id, state=CalibrationRun.State.QUEUED).update(
        state=CalibrationRun.State.RUNNING
    )
    run = CalibrationRun.objects.select_related("organisation").get(pk=run_id)
    if not taken:
        return run
    try:
        collected = responses_from_answers(run.organisation)
        outcome = calibration_compute(collected)
    except TooLittle as error:
        too_little = {"people": error.people, "items": error.items}
        return _fail(run, "\n".join(error.messages), {"too_little": too_little})
    except ResponseFileError as error:
        return _fail(run, "\n".join(error.messages))
    except Exception:
        logger.exception("Calibration run %s failed", run_id)
        return _fail(run, "An unexpected error stopped the calibration.", {"failure": UNEXPECTED})
    run.people = outcome.people
    run.answers = outcome.answers
    run.items_estimated = len(outcome.items)
    run.items_left_out = outcome.left_out
    run.results = {
        "items": outcome.items,
        "dif_pairs": outcome.dif_pairs,
        "languages": outcome.languages,
        "converged": outcome.converged,
    }
    run.state = CalibrationRun.State.DONE
    run.finished_at = timezone.now()
    run.save()
    return run


@dataclass(frozen=True)
class Applied:
    written: int  # items whose a, b and standard errors were replaced
    flagged: int  # items kept as they were, with their flags stored


def calibration_apply(*, actor: User, run: CalibrationRun) -> Applied:
    """Write a finished run's estimates onto the items, all in one transaction, audited.
    Items flagged (poor fit, hardly separating levels, difficulty off the scale, a large
    difference between languages) keep their parameters; their flags are stored. Items left
    out are not touched. A run older than the latest applied one is refused."""
    if not may_in(actor, run.organisation_id, MANAGE_ROLES):
        raise PermissionDenied
    with transaction.atomic():
        run = CalibrationRun.objects.select_for_update().get(pk=run.pk)
        if run.state != CalibrationRun.State.DONE:
            raise ValidationError(_("Only a finished calibration can be applied."))
        if run.applied_at is not None:
            raise ValidationError(_("This calibration is already applied."))
        latest = latest_applied(run.organisation_id)
        if latest is not None and (latest.created_at, latest.pk) > (run.created_at, run.pk):
            raise ValidationError(
                _(
                    "A more recent calibration (%(when)s) is already applied: this older one "
                    "cannot replace it."
                )
                % {"when": timezone.localtime(latest.created_at).strftime("%Y-%m-%d %H:%M")}
            )
        estimates = {row["item_id"]: row for row in run.results.get("items", [])}
        items = Item.objects.select_for_update().filter(
            organisation_id=run.organisation_id, pk__in=list(estimates)
        )
        now = timezone.now()
        written = flagged = 0
        for item in items.order_by("pk"):
            row = estimates[item.pk]
            before = {"a": item.a, "b": item.b, "flags": list(item.flags)}
            flags = list(row.get("flags") or [])
            a, b = row.get("a"), row.get("b")
            usable = isinstance(a, float | int) and isinstance(b, float | int) and a > 0
            if flags or not usable:
                item.flags = flags or ["not_estimated"]
                item.fit_p = row.get("fit_p")
                item.save(update_fields=["flags", "fit_p", "updated_at"])
                flagged += 1
            else:
                item.a, item.b = float(a), float(b)
                item.se_a, item.se_b = row.get("se_a"), row.get("se_b")
                item.fit_p = row.get("fit_p")
                item.flags = []
                item.calibrated_at = now
                item.save(
                    update_fields=[
                        "a",
                        "b",
                        "se_a",
                        "se_b",
                        "fit_p",
                        "flags",
                        "calibrated_at",
                        "updated_at",
                    ]
                )
                written += 1
            after = {"a": item.a, "b": item.b, "flags": list(item.flags)}
            audit_record(
                actor=actor,
                action="placement.item_calibrated",
                subject=item,
                changes={
                    name: {"from": before[name], "to": after[name]}
                    for name in before
                    if before[name] != after[name]
                },
                note=f"calibration #{run.pk}",
            )
        run.applied_at = now
        run.applied_by = actor
        run.save(update_fields=["applied_at", "applied_by"])
        audit_record(
            actor=actor,
            action="placement.calibration_applied",
            subject=run,
            changes={
                "written": {"from": None, "to": written},
                "flagged": {"from": None, "to": flagged},
            },
        )
    return Applied(written, flagged)


# --- Computation (no database) -----------------------------------------------------------------


class TooLittle(ResponseFileError):
    """Too few tests or questions with enough answers to estimate anything yet."""

    def __init__(self, *, people: int, items: int) -> None:
        self.people, self.items = people, items
        super().__init__([too_little_words(people=people, items=items)])


def too_little_words(*, people: int, items: int) -> str:
    return _(
        "Too little to estimate yet: %(people)s finished tests with answers to %(items)s "
        "questions that have at least %(answers)s answers each. A calibration needs at least "
        "%(min_people)s tests and 2 such questions."
    ) % {"people": people, "items": items, "answers": MIN_ANSWERS, "min_people": MIN_PEOPLE}


@dataclass(frozen=True)
class Outcome:
    people: int
    answers: int
    items: list[dict[str, Any]]
    left_out: list[dict[str, Any]]
    dif_pairs: list[dict[str, Any]]
    languages: dict[str, int]  # people per test language
    converged: bool


def _number(value: float) -> float | None:
    """A float JSON (and PostgreSQL) can store: NaN and infinities become None."""
    return float(value) if math.isfinite(value) else None


def left_out_items(
    responses: Responses, item_ids: Sequence[int], *, min_answers: int = MIN_ANSWERS
) -> tuple[list[int], list[dict[str, Any]]]:
    """Columns that can be estimated, and the others with their reason."""
    kept: list[int] = []
    left_out: list[dict[str, Any]] = []
    for j, code in enumerate(responses.items):
        column = responses.matrix[:, j]
        seen = column[~np.isnan(column)]
        reason = ""
        if len(seen) == 0:
            reason = NEVER_ANSWERED
        elif len(seen) < min_answers:
            reason = TOO_FEW_ANSWERS
        elif seen.min() == seen.max():
            reason = ALL_RIGHT if seen[0] == 1 else ALL_WRONG
        if reason:
            left_out.append(
                {"item_id": item_ids[j], "code": code, "reason": reason, "answers": len(seen)}
            )
        else:
            kept.append(j)
    return kept, left_out


def calibration_compute(collected: CollectedResponses) -> Outcome:
    """Estimate the items with enough answers, then check them for DIF between languages.
    Raises ``ResponseFileError`` (in the reader's words) when there is too little to do it."""
    kept, left_out = left_out_items(collected, collected.item_ids)
    matrix = collected.matrix[:, kept]
    has_answers = (~np.isnan(matrix)).any(axis=1) if kept else np.zeros(0, dtype=bool)
    rows = np.flatnonzero(has_answers)
    if len(rows) < MIN_PEOPLE or len(kept) < 2:
        raise TooLittle(people=len(rows), items=len(kept))
    matrix = matrix[rows]
    languages = [collected.languages[i] for i in rows]
    subset = Responses(
        people=[collected.people[i] for i in rows],
        items=[collected.items[j] for j in kept],
        matrix=matrix,
    )
    calibration: Calibration = calibrate(subset)
    by_code = {estimate.item: estimate for estimate in calibration.items}
    codes = list(subset.items)
    a = np.asarray([by_code[c].a if c in by_code else np.nan for c in codes])
    b = np.asarray([by_code[c].b if c in by_code else np.nan for c in codes])
    check = dif_check(matrix=matrix, languages=languages, a=a, b=b)
    items: list[dict[str, Any]] = []
    for j, code in enumerate(codes):
        estimate = by_code.get(code)
        if estimate is None:  # calibrate() left it out after all (cannot happen today)
            continue
        dif = {pair.key: pair.items[j] for pair in check.pairs}
        flags = list(estimate.flags)
        if any(result.get("class") == "C" for result in dif.values()):
            flags.append(DIF_FLAG)
        items.append(
            {
                "item_id": collected.item_ids[kept[j]],
                "code": code,
                "a": _number(estimate.a),
                "b": _number(estimate.b),
                "se_a": _number(estimate.se_a),
                "se_b": _number(estimate.se_b),
                "fit": _number(estimate.fit),
                "fit_p": _number(estimate.fit_p),
                "answered": estimate.answered,
                "right_share": _number(estimate.right_share),
                "flags": flags,
                "dif": dif,
            }
        )
    return Outcome(
        people=len(rows),
        answers=int((~np.isnan(matrix)).sum()),
        items=items,
        left_out=left_out,
        dif_pairs=[pair.summary() for pair in check.pairs],
        languages=dict(Counter(languages).most_common()),
        converged=calibration.converged,
    )


# --- DIF: Mantel–Haenszel between language groups, matched on the level band ------------------


@dataclass(frozen=True)
class DifPair:
    reference: str  # the larger group
    focal: str
    reference_people: int
    focal_people: int
    items: list[dict[str, Any]]  # per column: class A/B/C (or None: too few) and the numbers

    @property
    def key(self) -> str:
        return f"{self.reference}-{self.focal}"

    def summary(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "reference": self.reference,
            "focal": self.focal,
            "reference_people": self.reference_people,
            "focal_people": self.focal_people,
        }


@dataclass(frozen=True)
class DifCheck:
    pairs: list[DifPair]
    too_small: dict[str, int]  # language groups too small to compare, with their size


def eap_levels(matrix: FloatArray, a: FloatArray, b: FloatArray) -> FloatArray:
    """Each person's level (EAP, the engine's grid and prior) from all their answers to the
    estimated items, with the run's own parameters."""
    usable = np.isfinite(a) & np.isfinite(b)
    theta = np.zeros(matrix.shape[0])
    for i in range(matrix.shape[0]):
        seen = usable & ~np.isnan(matrix[i])
        weights = adaptive.posterior(a[seen], b[seen], matrix[i, seen])
        theta[i] = float(weights @ adaptive.GRID)
    return theta


def mantel_haenszel(
    right: FloatArray,
    focal: npt.NDArray[np.bool_],
    stratum: npt.NDArray[np.int64],
    *,
    min_answers: int = MIN_DIF_ANSWERS,
) -> dict[str, Any]:
    """MH common odds ratio of one item between two groups over level bands. ``right`` holds
    the answers (1/0) of the people who were asked the item, ``focal`` whether each is in the
    focal group, ``stratum`` their band. Bands with only one group tell nothing and are
    skipped. Returns the ETS delta (-2.35 ln alpha_MH: below 0, harder for the focal group), its
    standard error (Robins–Breslow–Greenland), the MH chi-square's p-value, and the answers
    each group gave in the bands used."""
    sum_r = sum_s = 0.0
    sum_pr = sum_ps_qr = sum_qs = 0.0
    observed = expected = variance = 0.0
    n_reference = n_focal = 0
    for k in np.unique(stratum):
        inside = stratum == k
        ref = right[inside & ~focal]
        foc = right[inside & focal]
        if len(ref) == 0 or len(foc) == 0:
            continue
        n = len(ref) + len(foc)
        a_k, b_k = float(ref.sum()), float(len(ref) - ref.sum())  # reference right, wrong
        c_k, d_k = float(foc.sum()), float(len(foc) - foc.sum())  # focal right, wrong
        n_reference += len(ref)
        n_focal += len(foc)
        r, s = a_k * d_k / n, b_k * c_k / n
        p, q = (a_k + d_k) / n, (b_k + c_k) / n
        sum_r += r
        sum_s += s
        sum_pr += p * r
        sum_ps_qr += p * s + q * r
        sum_qs += q * s
        right_k = a_k + c_k
        observed += a_k
        expected += len(ref) * right_k / n
        if n > 1:
            variance += len(ref) * len(foc) * right_k * (n - right_k) / (n * n * (n - 1))
    result: dict[str, Any] = {
        "class": None,
        "reference_answers": n_reference,
        "focal_answers": n_focal,
    }
    if min(n_reference, n_focal) < min_answers or sum_r == 0 or sum_s == 0 or variance == 0:
        return result
    delta = -2.35 * math.log(sum_r / sum_s)
    log_variance = (
        sum_pr / (2 * sum_r**2) + sum_ps_qr / (2 * sum_r * sum_s) + sum_qs / (2 * sum_s**2)
    )
    chi2 = max(abs(observed - expected) - 0.5, 0.0) ** 2 / variance
    result.update(
        {
            "delta": delta,
            "se": 2.35 * math.sqrt(log_variance),
            "p": float(stats.chi2.sf(chi2, 1)),
        }
    )
    return result


def ets_class(delta: float, se: float, p_adjusted: float) -> str:
    """A: negligible (|Δ| < 1, or not significant); C: large (|Δ| ≥ 1.5 and significantly
    above 1); B: moderate, the rest."""
    if p_adjusted >= DIF_ALPHA or abs(delta) < 1.0:
        return "A"
    if abs(delta) >= 1.5 and se > 0 and (abs(delta) - 1.0) / se > stats.norm.ppf(1 - DIF_ALPHA):
        return "C"
    return "B"


def dif_check(
    *,
    matrix: FloatArray,
    languages: Sequence[str],
    a: FloatArray,
    b: FloatArray,
    min_group: int = MIN_GROUP_PEOPLE,
    min_answers: int = MIN_DIF_ANSWERS,
) -> DifCheck:
    """Mantel–Haenszel DIF for every pair of language groups large enough, each item's
    answers matched on the people's level band (EAP with the run's parameters: in an
    adaptive test people answer different questions, so a total score compares nothing).
    p-values are adjusted over the items of a pair (Benjamini–Hochberg) before the ETS
    classes A/B/C."""
    sizes = Counter(languages)
    large = sorted((g for g, n in sizes.items() if n >= min_group), key=lambda g: (-sizes[g], g))
    too_small = {g: n for g, n in sizes.items() if n < min_group}
    if len(large) < 2:
        return DifCheck([], too_small)
    stratum = np.digitize(eap_levels(matrix, a, b), THETA_EDGES)
    group = np.asarray(languages)
    pairs: list[DifPair] = []
    for reference, focal in combinations(large, 2):
        members = (group == reference) | (group == focal)
        rows: list[dict[str, Any]] = []
        for j in range(matrix.shape[1]):
            asked = members & ~np.isnan(matrix[:, j])
            rows.append(
                mantel_haenszel(
                    matrix[asked, j],
                    group[asked] == focal,
                    stratum[asked],
                    min_answers=min_answers,
                )
            )
        tested = [row for row in rows if "p" in row]
        if tested:
            adjusted = stats.false_discovery_control([row["p"] for row in tested])
            for row, p_adjusted in zip(tested, adjusted, strict=True):
                row["p_adjusted"] = float(p_adjusted)
                row["class"] = ets_class(row["delta"], row["se"], float(p_adjusted))
                row["harder_for"] = focal if row["delta"] < 0 else reference
        for row in rows:
            for name in ("delta", "se", "p", "p_adjusted"):
                if name in row:
                    row[name] = _number(row[name])
        pairs.append(DifPair(reference, focal, int(sizes[reference]), int(sizes[focal]), rows))
    return DifCheck(pairs, too_small)
