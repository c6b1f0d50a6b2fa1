"""Importing a cohort's attendance from a CSV or XLSX file (the shared import flow,
core.imports): one row per learner and session, all or nothing.

A row names its session by number, or by date and start time; its learner by e-mail, phone
or name, among the learners of that session; and the mark. A problem names its row and
column; a learner who is not in that session (not in the cohort, or not yet or no longer
in it on that day) is refused. A changed mark writes an audit row, as on the phone."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.core import params
from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent, User
from tremplin.core.text import fold
from tremplin.selection.files.reading import Sheet
from tremplin.selection.files.rows import (
    Column,
    ImportReport,
    Row,
    RowProblem,
    cell_date,
    cell_email,
    cell_phone,
    sheet_columns,
)
from tremplin.training.models import Cohort, Enrolment, Mark, MarkStatus, Session
from tremplin.training.selectors.access import teaches
from tremplin.training.signals import marks_saved

ATTENDANCE_COLUMNS = (
    Column("date", ("jour", "day"), False, gettext_lazy("The session's date (2026-03-02).")),
    Column(
        "start",
        ("start_time", "time", "heure", "debut", "heure_debut"),
        False,
        gettext_lazy("The session's start time (09:00), with the date."),
    ),
    Column(
        "session",
        ("session_id", "seance"),
        False,
        gettext_lazy("Or the session's number in Tremplin, instead of date and start time."),
    ),
    Column("email", ("e_mail", "mail", "courriel"), False, gettext_lazy("The learner's e-mail.")),
    Column("phone", ("telephone", "tel", "mobile"), False, gettext_lazy("Or their phone number.")),
    Column(
        "name",
        ("learner", "apprenant", "nom", "full_name"),
        False,
        gettext_lazy("Or their name, as in Tremplin (given names then family name)."),
    ),
    Column(
        "status",
        ("attendance", "presence", "statut", "mark"),
        True,
        gettext_lazy("present, late, absent or excused (also: présent, retard, excusé)."),
    ),
)

STATUS_WORDS = {
    MarkStatus.PRESENT: ("present", "p", "here", "present e", "presente"),
    MarkStatus.LATE: ("late", "l", "retard", "en retard", "r"),
    MarkStatus.ABSENT: ("absent", "a", "absente", "abs"),
    MarkStatus.EXCUSED: ("excused", "e", "excuse", "excusee", "absence justifiee", "justifie"),
}
_STATUS = {word: status for status, words in STATUS_WORDS.items() for word in words}


@dataclass
class _Learner:
    enrolment_id: int
    joined_on: dt.date
    left_on: dt.date | None


@dataclass
class _Change:
    row: int
    session: Session
    enrolment_id: int
    status: str
    mark: Mark | None


def _time(value: object) -> dt.time | None:
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, float) and 0 <= value < 1:  # a spreadsheet's fraction of a day
        minutes = round(value * 24 * 60)
        return dt.time(minutes // 60, minutes % 60)
    text = str(value or "").strip().lower().replace("h", ":").replace(".", ":")
    if text.endswith(":"):
        text += "00"
    for pattern in ("%H:%M", "%H:%M:%S"):
        try:
            return dt.datetime.strptime(text, pattern).time()  # noqa: DTZ007 (a time of day)
        except ValueError:
            continue
    return None


class _Cohort:
    """What the rows are checked against: the cohort's sessions and learners."""

    def __init__(self, cohort: Cohort) -> None:
        self.cohort = cohort
        site = cohort.run.site
        self.zone = zoneinfo.ZoneInfo(site.timezone or "UTC")
        self.country = site.country.code
        self.sessions = {s.pk: s for s in Session.objects.filter(cohort=cohort)}
        self.by_start = {
            (s.starts_at.astimezone(self.zone).date(), s.starts_at.astimezone(self.zone).time()): s
            for s in self.sessions.values()
        }
        self.by_email: dict[str, list[_Learner]] = defaultdict(list)
        self.by_phone: dict[str, list[_Learner]] = defaultdict(list)
        self.by_name: dict[str, list[_Learner]] = defaultdict(list)
        for enrolment in Enrolment.objects.filter(cohort=cohort).select_related("person"):
            person = enrolment.person
            learner = _Learner(enrolment.pk, enrolment.joined_on, enrolment.left_on)
            if person.email:
                self.by_email[person.email.lower()].append(learner)
            if person.phone:
                self.by_phone[person.phone.as_e164].append(learner)
            given, family = person.legal_given_names, person.legal_family_name
            for name in {f"{given} {family}", f"{family} {given}", person.display_name}:
                if learner not in self.by_name[fold(name)]:
                    self.by_name[fold(name)].append(learner)
        self.marks = {
            (m.session_id, m.enrolment_id): m for m in Mark.objects.filter(session__cohort=cohort)
        }

    def session(self, row: Row) -> Session | None:
        if row.text("session"):
            number = params.id_parse(row.text("session"))
            session = self.sessions.get(number) if number is not None else None
            if session is None:
                row.problem("session", _("No session of this cohort has this number."))
            return session
        day = cell_date(row.raw("date")) if row.text("date") else None
        start = _time(row.raw("start")) if row.text("start") else None
        if day is None:
            row.problem("date", _("Give the session's date (2026-03-02) or its number."))
        if start is None:
            row.problem("start", _("Give the session's start time (09:00) or its number."))
        if day is None or start is None:
            return None
        session = self.by_start.get((day, start))
        if session is None:
            row.problem(
                "start",
                _("No session of this cohort starts on %(day)s at %(time)s.")
                % {"day": day.isoformat(), "time": start.strftime("%H:%M")},
            )
        return session

    def learner(self, row: Row) -> _Learner | None:
        if row.text("email"):
            key, found = "email", self.by_email.get(cell_email(row, "email"), [])
        elif row.text("phone"):
            phone = cell_phone(row, "phone", self.country)
            key, found = "phone", self.by_phone.get(phone.as_e164, []) if phone else []
        elif row.text("name"):
            key, found = "name", self.by_name.get(fold(row.text("name")), [])
        else:
            row.problem(
                "email" if "email" in row.columns else "name",
                _("Say whose mark it is: e-mail, phone or name."),
            )
            return None
        if not row.ok:
            return None
        if len(found) > 1:
            row.problem(key, _("Several learners of this cohort match: use the e-mail instead."))
            return None
        if not found:
            row.problem(key, _("No learner of this cohort matches."))
            return None
        return found[0]


def _status(row: Row) -> str | None:
    status = _STATUS.get(fold(row.text("status")).replace("-", " "))
    if status is None:
        row.problem("status", _("Write present, late, absent or excused."))
    return status


def attendance_import(
    *, actor: User, cohort: Cohort, file_name: str, content: bytes, dry_run: bool
) -> ImportReport:
    """Check (dry run) or record a file of marks for the cohort's sessions; all or nothing."""
    if not teaches(actor, cohort):
        raise PermissionDenied
    report = ImportReport(dry_run=dry_run)
    read = sheet_columns(report, file_name=file_name, content=content, columns=ATTENDANCE_COLUMNS)
    if read is None:
        return report
    sheet, columns = read
    if "session" not in columns and not {"date", "start"} <= set(columns):
        report.problems.append(
            RowProblem(1, "session", _("Add the columns date and start, or a session column."))
        )
    if not {"email", "phone", "name"} & set(columns):
        report.problems.append(
            RowProblem(
                1, "email", _("Add a column that says whose mark it is: email, phone or name.")
            )
        )
    if report.problems:
        return report
    with transaction.atomic():
        if not dry_run:
            Cohort.objects.select_for_update().filter(pk=cohort.pk).values_list("pk").first()
        changes = _plan(_Cohort(cohort), sheet, columns, report)
        if report.problems or dry_run:
            return report
        _write(actor=actor, cohort=cohort, file_name=file_name, changes=changes, report=report)
    return report


def _plan(
    known: _Cohort, sheet: Sheet, columns: dict[str, tuple[int, str]], report: ImportReport
) -> list[_Change]:
    seen: dict[tuple[int, int], int] = {}
    changes: list[_Change] = []
    for number, values in sheet.rows:
        row = Row(number, values, columns, report.problems)
        session = known.session(row)
        learner = known.learner(row)
        status = _status(row)
        if session is None or learner is None or status is None:
            continue
        day = session.starts_at.astimezone(known.zone).date()
        if learner.joined_on > day or (learner.left_on is not None and learner.left_on < day):
            row.problem(
                "status",
                _("This learner is not in this session: they were not in the cohort that day."),
            )
            continue
        key = (session.pk, learner.enrolment_id)
        if key in seen:
            row.problem(
                "status",
                _("The same learner and session as row %(row)d: keep one of the two rows.")
                % {"row": seen[key]},
            )
            continue
        seen[key] = number
        mark = known.marks.get(key)
        if mark is None:
            report.created += 1
        elif mark.status == status:
            report.already_imported += 1
            continue
        else:
            report.updated += 1
        changes.append(_Change(number, session, learner.enrolment_id, status, mark))
    report.problems.sort(key=lambda p: p.row)
    return changes


def _write(
    *, actor: User, cohort: Cohort, file_name: str, changes: list[_Change], report: ImportReport
) -> None:
    now = timezone.now()
    Mark.objects.bulk_create(
        [
            Mark(
                session=c.session,
                enrolment_id=c.enrolment_id,
                status=c.status,
                recorded_by=actor,
                recorded_at=now,
            )
            for c in changes
            if c.mark is None
        ]
    )
    updated = [c for c in changes if c.mark is not None]
    audits = []
    for change in updated:
        assert change.mark is not None
        audits.append(
            AuditEvent(
                actor=actor,
                action=AuditAction.MARK_CHANGED,
                subject_type=Mark._meta.label_lower,
                subject_id=change.mark.pk,
                changes={"status": {"from": change.mark.status, "to": change.status}},
                note=_("Imported from %(file)s, row %(row)d")
                % {"file": file_name, "row": change.row},
            )
        )
        change.mark.status, change.mark.recorded_by, change.mark.recorded_at = (
            change.status,
            actor,
            now,
        )
    Mark.objects.bulk_update(
        [c.mark for c in updated if c.mark], ["status", "recorded_by", "recorded_at"]
    )
    AuditEvent.objects.bulk_create(audits)
    audit_record(
        actor=actor,
        action=AuditAction.ATTENDANCE_IMPORTED,
        subject=cohort,
        changes={
            "file": {"from": None, "to": file_name},
            "rows": {"from": None, "to": report.rows_read},
            "created": {"from": None, "to": report.created},
            "updated": {"from": None, "to": report.updated},
            "already_imported": {"from": None, "to": report.already_imported},
        },
    )
    by_session: dict[int, tuple[Session, list[int]]] = {}
    for change in changes:
        by_session.setdefault(change.session.pk, (change.session, []))[1].append(
            change.enrolment_id
        )
    for session, enrolment_ids in by_session.values():
        marks_saved.send(sender=Mark, session=session, enrolment_ids=sorted(enrolment_ids))
