"""Importing a cohort's timetable from a CSV or XLSX file: one row per session, all or
nothing.

Columns: date, start, end, module, room, trainers (e-mail addresses), video link, and an
optional title. Every row is checked as a session typed on the page is (``session_problems``)
and for clashes, with the sessions already in the timetable and with the file's other rows;
every problem names its row and column. Nothing is written unless no row has a problem."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.core.text import fold
from tremplin.selection.files.rows import (
    Column,
    ImportReport,
    Row,
    RowProblem,
    cell_date,
    sheet_columns,
)
from tremplin.training.models import Cohort, Module, Room, Session
from tremplin.training.selectors.access import can_manage_cohort
from tremplin.training.services.clashes import ClashFinder, Slot
from tremplin.training.services.timetable import (
    SessionData,
    session_problems,
    site_lock,
    site_trainer_ids,
    slot_of,
)

TIMETABLE_COLUMNS = (
    Column(
        "date", ("jour", "day", "tarikh"), True, gettext_lazy("The day: 2026-10-05 or 05/10/2026.")
    ),
    Column(
        "start",
        ("debut", "starts", "start_time", "heure_debut"),
        True,
        gettext_lazy("The start time: 9:00."),
    ),
    Column(
        "end", ("fin", "ends", "end_time", "heure_fin"), True, gettext_lazy("The end time: 12:30.")
    ),
    Column("module", ("matiere",), False, gettext_lazy("The module's name, as in the programme.")),
    Column(
        "room",
        ("salle", "place", "lieu"),
        False,
        gettext_lazy("The room's name, as on the Rooms page."),
    ),
    Column(
        "trainers",
        ("trainer", "formateur", "formateurs", "trainer_emails", "emails"),
        False,
        gettext_lazy("The trainers' e-mail addresses, separated by commas."),
    ),
    Column(
        "video_link",
        ("video", "lien", "lien_video", "link", "visio"),
        False,
        gettext_lazy("The address of the video call, for a session online."),
    ),
    Column("title", ("titre", "intitule"), False, gettext_lazy("Optional: a title.")),
)
# A file holds at most this many sessions (six years of daily classes).
MAX_ROWS = 2000

_TIME = re.compile(r"^(\d{1,2})(?:[:hH.](\d{2})?)?$")
_SEPARATORS = re.compile(r"[,;\s]+")


def cell_time(row: Row, key: str) -> dt.time | None:
    value = row.raw(key)
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, float) and 0 <= value < 1:  # a spreadsheet's fraction of a day
        minutes = round(value * 24 * 60)
        return dt.time(minutes // 60 % 24, minutes % 60)
    text = row.text(key).replace(" ", "")
    match = _TIME.match(text)
    if not text:
        row.problem(key, _("This cell is empty: give a time such as 9:00."))
    elif match is None or int(match[1]) > 23 or int(match[2] or 0) > 59:
        row.problem(key, _("This is not a time: write it as 9:00 or 14:30."))
    else:
        return dt.time(int(match[1]), int(match[2] or 0))
    return None


@dataclass
class _Lookups:
    modules: dict[str, Module]
    rooms: dict[str, Room]
    trainers: dict[str, User]
    trainer_ids: set[int]


def _lookups(cohort: Cohort) -> _Lookups:
    site = cohort.run.site
    trainer_ids = site_trainer_ids(site)
    return _Lookups(
        modules={
            fold(m.title): m for m in Module.objects.filter(programme_id=cohort.run.programme_id)
        },
        rooms={fold(r.name): r for r in Room.objects.filter(site=site)},
        trainers={u.email.lower(): u for u in User.objects.filter(pk__in=trainer_ids)},
        trainer_ids=trainer_ids,
    )


def _row_data(row: Row, found: _Lookups) -> SessionData | None:
    date = cell_date(row.raw("date"))
    if date is None:
        row.problem("date", _("This is not a date: write it as 2026-10-05 or 05/10/2026."))
    starts_at, ends_at = cell_time(row, "start"), cell_time(row, "end")
    module = room = None
    if row.text("module"):
        module = found.modules.get(fold(row.text("module")))
        if module is None:
            row.problem("module", _("The cohort's programme has no module with this name."))
    if row.text("room"):
        room = found.rooms.get(fold(row.text("room")))
        if room is None:
            row.problem("room", _("The site has no room with this name: add it on the Rooms page."))
    trainers: list[User] = []
    for email in (e for e in _SEPARATORS.split(row.text("trainers").lower()) if e):
        trainer = found.trainers.get(email)
        if trainer is None:
            row.problem(
                "trainers",
                _("%(email)s is not a trainer at this site.") % {"email": email},
            )
        elif trainer not in trainers:
            trainers.append(trainer)
    link = row.text("video_link")
    if link and not re.match(r"^https?://\S+$", link):
        row.problem("video_link", _("This is not a web address (it begins with https://)."))
    if not row.ok or date is None or starts_at is None or ends_at is None:
        return None
    return SessionData(
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        module=module,
        room=room,
        video_link=link,
        trainers=trainers,
        title=row.text("title")[:200],
    )


# The column a problem of a session's field is shown in.
_FIELD_COLUMN = {
    "date": "date",
    "starts_at": "start",
    "ends_at": "end",
    "module": "module",
    "room": "room",
    "trainers": "trainers",
    "volunteers": "trainers",
}
_CLASH_COLUMN = {"trainers": "trainers", "room": "room", "date": "start"}


def timetable_import(
    *, actor: User, cohort: Cohort, file_name: str, content: bytes, dry_run: bool
) -> ImportReport:
    """Check the file (``dry_run``) or write its sessions; all or nothing."""
    if not can_manage_cohort(actor, cohort):
        raise PermissionDenied
    report = ImportReport(dry_run=dry_run)
    read = sheet_columns(report, file_name=file_name, content=content, columns=TIMETABLE_COLUMNS)
    if read is None or report.problems:
        return report
    sheet, columns = read
    if len(sheet.rows) > MAX_ROWS:
        report.problems.append(
            RowProblem(
                MAX_ROWS + 2,
                "",
                _("A file holds %(max)d sessions at most: split it in several files.")
                % {"max": MAX_ROWS},
            )
        )
        return report
    found = _lookups(cohort)
    planned: list[tuple[Row, SessionData]] = []
    for number, values in sheet.rows:
        row = Row(number, values, columns, report.problems)
        data = _row_data(row, found)
        if data is None:
            continue
        for key, messages in session_problems(cohort, data, trainer_ids=found.trainer_ids).items():
            for message in messages:
                row.problem(_FIELD_COLUMN.get(key, "date"), message)
        if row.ok:
            planned.append((row, data))
    if report.problems or not planned:
        return report
    site = cohort.run.site
    with transaction.atomic():
        if not dry_run:
            site_lock(site)
        slots = [(row, data, slot_of(site, data)) for row, data in planned]
        finder = ClashFinder(
            cohort=cohort,
            starts_at=min(s.starts_at for _r, _d, s in slots),
            ends_at=max(s.ends_at for _r, _d, s in slots),
            trainer_ids={t.pk for _r, d, _s in slots for t in d.trainers},
            room_ids={d.room.pk for _r, d, _s in slots if d.room},
        )
        for row, _data, slot in sorted(slots, key=lambda x: x[2].starts_at):
            clashes = finder.check(slot)
            for clash in clashes:
                row.problem(_CLASH_COLUMN.get(clash.field, "start"), clash.message)
            if not clashes:
                finder.add(slot)
        report.problems.sort(key=lambda p: p.row)
        report.created = len(slots)
        if report.problems or dry_run:
            return report
        _write(actor=actor, cohort=cohort, file_name=file_name, slots=slots)
    return report


def _write(
    *,
    actor: User,
    cohort: Cohort,
    file_name: str,
    slots: list[tuple[Row, SessionData, Slot]],
) -> None:
    sessions = Session.objects.bulk_create(
        [
            Session(
                cohort=cohort,
                module=data.module,
                room=data.room,
                video_link=data.video_link,
                title=data.title,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
            )
            for _row, data, slot in slots
        ]
    )
    through = Session.trainers.through
    through.objects.bulk_create(
        [
            through(session_id=session.pk, user_id=trainer.pk)
            for session, (_row, data, _slot) in zip(sessions, slots, strict=True)
            for trainer in data.trainers
        ]
    )
    audit_record(
        actor=actor,
        action=AuditAction.TIMETABLE_IMPORTED,
        subject=cohort,
        changes={"file": file_name[:200], "sessions": len(sessions)},
    )
