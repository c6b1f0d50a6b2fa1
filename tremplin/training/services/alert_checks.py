"""Early warning, checked: the programme's rules against each learner's marks, in the
background. The roll call's ``marks_saved`` queues a check of the learners whose marks
changed (after its commit); ``tremplin check_alerts`` checks every learner in training (run
it nightly). Raising is idempotent: one open alert per learner and rule, and a closed
alert is not raised again from the marks it already counted (early_warning.py). A new alert
is audited and told by e-mail to the cohort's job coach and the site's managers."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.network.selectors import staff_language
from tremplin.training.early_warning import Finding, MarkSeen, evaluate
from tremplin.training.models import Alert, AlertRule, AlertState, Enrolment, Mark
from tremplin.training.selectors.alerts import coaches_and_managers
from tremplin.training.services.alerts import alert_rules_in_force
from tremplin.training.signals import marks_saved

logger = logging.getLogger(__name__)

BATCH = 500


@receiver(marks_saved, dispatch_uid="training.alerts.marks_saved")
def _marks_saved(sender: Any, *, enrolment_ids: Iterable[int] = (), **kwargs: Any) -> None:
    ids = sorted({int(pk) for pk in enrolment_ids})
    if ids:
        transaction.on_commit(lambda: alerts_check_task.enqueue(enrolment_ids=ids))


@task()
def alerts_check_task(enrolment_ids: list[int]) -> None:
    alerts_check(enrolment_ids=enrolment_ids)


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def alerts_check(
    *, enrolment_ids: Iterable[int] | None = None, now: dt.datetime | None = None
) -> list[Alert]:
    """Check the rules of the given learners in training (all of them when None) and raise
    the alerts that fire. Returns the alerts raised."""
    now = now or timezone.now()
    enrolments = Enrolment.objects.filter(status=Enrolment.Status.ACTIVE)
    if enrolment_ids is not None:
        enrolments = enrolments.filter(pk__in=list(enrolment_ids))
    ids = list(enrolments.order_by("pk").values_list("pk", flat=True))
    rules_cache: dict[int, list[AlertRule]] = {}
    raised: list[Alert] = []
    for batch in _batches(ids):
        raised += _check_batch(batch, now=now, rules_cache=rules_cache)
    return raised


def _check_batch(
    ids: list[int], *, now: dt.datetime, rules_cache: dict[int, list[AlertRule]]
) -> list[Alert]:
    enrolments = list(
        Enrolment.objects.filter(pk__in=ids).select_related(
            "person", "cohort", "cohort__run", "cohort__run__site", "cohort__run__programme"
        )
    )
    marks: dict[int, list[MarkSeen]] = defaultdict(list)
    rows = (
        Mark.objects.filter(enrolment_id__in=ids, session__starts_at__lte=now)
        .order_by("session__starts_at", "session_id")
        .values_list("enrolment_id", "session__starts_at", "status")
    )
    zones = {e.pk: ZoneInfo(e.cohort.run.site.timezone) for e in enrolments}
    for enrolment_id, starts_at, status in rows:
        day = starts_at.astimezone(zones[enrolment_id]).date()
        marks[enrolment_id].append(MarkSeen(at=starts_at, day=day, status=status))
    covered: dict[tuple[int, int], dt.datetime] = {}
    open_pairs: set[tuple[int, int]] = set()
    for row in (
        Alert.objects.filter(enrolment_id__in=ids)
        .values("enrolment_id", "rule_id", "state")
        .annotate(until=Max("evidence_until"))
    ):
        pair = (row["enrolment_id"], row["rule_id"])
        if row["state"] == AlertState.OPEN:
            open_pairs.add(pair)
        covered[pair] = max(covered.get(pair, row["until"]), row["until"])
    raised = []
    for enrolment in enrolments:
        programme = enrolment.cohort.run.programme
        if programme.pk not in rules_cache:
            rules_cache[programme.pk] = alert_rules_in_force(programme)
        for rule in rules_cache[programme.pk]:
            pair = (enrolment.pk, rule.pk)
            if pair in open_pairs or not marks[enrolment.pk]:
                continue
            finding = evaluate(
                kind=rule.kind,
                count=rule.count,
                percent=rule.percent,
                weeks=rule.weeks,
                marks=marks[enrolment.pk],
                now=now,
                after=covered.get(pair),
            )
            if finding is not None:
                alert = _raise(enrolment, rule, finding, now=now)
                if alert is not None:
                    raised.append(alert)
    return raised


def _raise(
    enrolment: Enrolment, rule: AlertRule, finding: Finding, *, now: dt.datetime
) -> Alert | None:
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                enrolment=enrolment,
                rule=rule,
                raised_at=now,
                facts=finding.facts,
                evidence_until=finding.evidence_until,
            )
            audit_record(
                actor=None, action=AuditAction.ALERT_RAISED, subject=alert, changes=finding.facts
            )
            transaction.on_commit(lambda: alert_notify(alert_id=alert.pk))
    except IntegrityError:  # raised meanwhile by another check: one open alert per rule
        return None
    return alert


def alert_notify(*, alert_id: int) -> int:
    """E-mail the cohort's job coach and the site's managers about a new alert, each in
    their language. Returns how many were written to; a failed delivery is logged."""
    alert = (
        Alert.objects.select_related(
            "rule",
            "enrolment__person",
            "enrolment__cohort__run__site",
            "enrolment__cohort__run__programme",
        )
        .filter(pk=alert_id)
        .first()
    )
    if alert is None:
        return 0
    site = alert.enrolment.cohort.run.site
    link = settings.TREMPLIN_BASE_URL.rstrip("/") + reverse(
        "training:alert-detail", kwargs={"alert_id": alert.pk}
    )
    sent = 0
    for user in coaches_and_managers(alert):
        language = staff_language(email=user.email, site=site, organisation_id=site.organisation_id)
        with translation.override(language):
            context = {"alert": alert, "link": link, "site": site, "recipient": user}
            subject = " ".join(
                render_to_string("training/mail/alert_raised_subject.txt", context).split()
            )
            body = render_to_string("training/mail/alert_raised.txt", context)
        try:
            EmailMessage(subject, body, None, [user.email]).send()
        except OSError:
            logger.exception("alert e-mail to user %s failed", user.pk)
            continue
        sent += 1
    return sent
