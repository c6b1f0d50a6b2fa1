"""Importing applications from a CSV or XLSX file.

It writes only when no row has a problem, in one transaction (all or nothing), with a fixed
number of reads whatever the size of the file and bulk inserts. Importing the same file again
creates nothing: rows whose person already applied to the call, or whose identity was
imported before (`Application.import_key`), are counted as already imported.
See docs/decisions/0007-bulk-import.md."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.collector import cyclic_gc_paused
from tremplin.core.models import AuditEvent, User
from tremplin.outreach.models import Registration
from tremplin.people.models import Consent, ConsentPurpose, Person
from tremplin.selection.eligibility import Finding, age_band, age_on, eligibility_findings
from tremplin.selection.files.application_rows import (
    APPLICATION_COLUMNS,
    ApplicationRows,
    Candidate,
)
from tremplin.selection.files.identities import (
    FILLED_FIELDS,
    Identities,
    Known,
    Match,
    blanks_filled,
    people_known,
    phone_text,
)
from tremplin.selection.files.rows import (
    BATCH_SIZE,
    ImportReport,
    Row,
    RowProblem,
    sheet_columns,
)
from tremplin.selection.models import (
    Application,
    Call,
    Decision,
    ReasonCode,
    StageKind,
    StageResult,
)
from tremplin.selection.selectors import can_manage_call
from tremplin.selection.services.applications import NOTICE_VERSION
from tremplin.selection.services.stage_results import stages_passed_count


def applications_import(
    *, actor: User | None, call: Call, file_name: str, content: bytes, dry_run: bool
) -> ImportReport:
    """Check a file of applications and, when no row has a problem and it is not a dry run,
    write them all in one transaction. `actor` None is the command line."""
    if actor is not None and not can_manage_call(actor, call):
        raise PermissionDenied
    with cyclic_gc_paused():
        return _applications_import(
            actor=actor, call=call, file_name=file_name, content=content, dry_run=dry_run
        )


def _applications_import(
    *, actor: User | None, call: Call, file_name: str, content: bytes, dry_run: bool
) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    read = sheet_columns(report, file_name=file_name, content=content, columns=APPLICATION_COLUMNS)
    if read is None:
        return report
    sheet, columns = read
    if any(c.required and c.key not in columns for c in APPLICATION_COLUMNS):
        return report  # every row would say the same
    reader = ApplicationRows(call, columns)
    candidates: list[Candidate] = []
    in_file = Identities()
    for number, values in sheet.rows:
        row = Row(number, values, columns, report.problems)
        candidate = reader.candidate(row)
        if candidate is None:
            continue
        earlier = in_file.find(candidate)
        if earlier is not None:
            row.problem(
                earlier[1],
                _("The same person as row %(row)d: keep one of the two rows.")
                % {"row": earlier[0]},
            )
            continue
        in_file.add(
            candidate.email,
            candidate.phone_text,
            candidate.name_key,
            candidate.birth_date,
            candidate.row,
        )
        candidates.append(candidate)
    if dry_run:
        _plan(call, candidates, columns, report)
        return report
    with transaction.atomic():
        # One import at a time per call; what was checked is checked again under the lock.
        Call.objects.select_for_update().filter(pk=call.pk).first()
        matches = _plan(call, candidates, columns, report)
        if report.problems:
            return report
        _write(
            actor=actor,
            call=call,
            file_name=file_name,
            matches=matches,
            report=report,
            region_names=reader.region_names,
            site_ids=reader.site_ids,
        )
    return report


def _plan(
    call: Call,
    candidates: list[Candidate],
    columns: dict[str, tuple[int, str]],
    report: ImportReport,
) -> list[Match]:
    """Match every candidate with the people the organisation knows, and count."""
    known = people_known(call)
    people = Identities()
    for k in known:
        people.add(k.email, k.phone, k.name_key, k.birth_date, k)
    applied = set(
        call.applications.filter(person__isnull=False).values_list("person_id", flat=True)
    )
    imported = set(call.applications.exclude(import_key="").values_list("import_key", flat=True))
    linked_rows: dict[int, int] = {}
    matches: list[Match] = []
    for candidate in candidates:
        found = people.find(candidate)
        person: Known | None = found[0] if found else None
        if candidate.import_key in imported or (person is not None and person.pk in applied):
            report.already_imported += 1
            continue
        if person is not None:
            if person.pk in linked_rows:
                report.problems.append(
                    RowProblem(
                        candidate.row,
                        columns[found[1]][1] if found else "",
                        _(
                            "Row %(row)d and this row are the same person, already known to "
                            "your organisation: keep one of the two rows."
                        )
                        % {"row": linked_rows[person.pk]},
                    )
                )
                continue
            linked_rows[person.pk] = candidate.row
            report.linked_to_existing += 1
        report.created += 1
        matches.append(Match(candidate=candidate, known=person))
    report.problems.sort(key=lambda p: p.row)
    return matches


# A person as an application snapshots them: pk, gender, region, priority neighbourhood,
# birth date.
PersonRow = tuple[int, str, int | None, bool, dt.date | None]


def _write(
    *,
    actor: User | None,
    call: Call,
    file_name: str,
    matches: list[Match],
    report: ImportReport,
    region_names: dict[int, str],
    site_ids: set[int],
) -> None:
    now = timezone.now()
    actor_id = actor.pk if actor is not None and actor.pk else None
    new_people, completed, person_of = _people_write(matches, call.site.country.code, now)
    consents = _consents_write(call, matches, person_of, actor_id, now)
    _applications_write(
        call=call,
        file_name=file_name,
        matches=matches,
        person_of=person_of,
        site_ids=site_ids,
        actor_id=actor_id,
        now=now,
    )
    _history_write(
        actor=actor,
        call=call,
        file_name=file_name,
        report=report,
        new_people=new_people,
        completed=completed,
        region_names=region_names,
        consents=len(consents),
    )


def _people_write(
    matches: list[Match], country: str, now: dt.datetime
) -> tuple[list[tuple[Match, Person]], list[tuple[Person, dict[str, Any]]], dict[int, PersonRow]]:
    """New people created, known ones completed where a field of theirs is blank; and each
    row's person as its application snapshots them."""
    new_people: list[tuple[Match, Person]] = []
    completed: list[tuple[Person, dict[str, Any]]] = []
    for match in matches:
        c = match.candidate
        if match.known is None:
            person = Person(
                site=c.site,
                legal_given_names=c.given_names,
                legal_family_name=c.family_name,
                gender=c.gender,
                birth_date=c.birth_date,
                phone=c.phone or "",
                email=c.email,
                region_id=c.region_id,
                country=country,
                priority_neighbourhood=c.priority_neighbourhood,
            )
            person.refresh_derived()
            new_people.append((match, person))
            continue
        known = match.known
        filled = blanks_filled(known, c, country)
        if filled:
            person = Person(
                pk=known.pk,
                legal_given_names=known.given_names,
                legal_family_name=known.family_name,
                preferred_name=known.preferred_name,
                phone=known.phone,
                email=known.email,
                birth_date=known.birth_date,
                region_id=known.region_id,
                country=known.country,
                priority_neighbourhood=known.priority_neighbourhood,
                updated_at=now,
            )
            for name, value in filled.items():
                setattr(person, "region_id" if name == "region" else name, value)
            person.refresh_derived()
            completed.append((person, filled))
            # The application's snapshot reads the completed record.
            known.region_id = person.region_id
            known.priority_neighbourhood = person.priority_neighbourhood
            known.birth_date = person.birth_date
    Person.objects.bulk_create([p for _m, p in new_people], batch_size=BATCH_SIZE)
    if completed:
        Person.objects.bulk_update(
            [p for p, _f in completed],
            [*FILLED_FIELDS, "search_text", "name_key", "updated_at"],
            batch_size=BATCH_SIZE,
        )
    person_of: dict[int, PersonRow] = {}
    for match, person in new_people:
        person_of[match.candidate.row] = (
            person.pk,
            person.gender,
            person.region_id,
            person.priority_neighbourhood,
            person.birth_date,
        )
    for match in matches:
        if match.known is not None:
            k = match.known
            person_of[match.candidate.row] = (
                k.pk,
                k.gender,
                k.region_id,
                k.priority_neighbourhood,
                k.birth_date,
            )
    return new_people, completed, person_of


def _consents_write(
    call: Call,
    matches: list[Match],
    person_of: dict[int, PersonRow],
    actor_id: int | None,
    now: dt.datetime,
) -> list[Consent]:
    """Consent collected on paper, unless the person already has it."""
    consented = set(
        Consent.objects.filter(
            person__site__organisation_id=call.site.organisation_id,
            purpose=ConsentPurpose.DATA_PROCESSING,
            withdrawn_at__isnull=True,
        ).values_list("person_id", flat=True)
        if any(m.known and m.candidate.consent for m in matches)
        else []
    )
    consents = [
        Consent(
            person_id=person_of[m.candidate.row][0],
            purpose=ConsentPurpose.DATA_PROCESSING,
            notice_version=NOTICE_VERSION,
            given_at=now,
            recorded_by_id=actor_id,
        )
        for m in matches
        if m.candidate.consent and person_of[m.candidate.row][0] not in consented
    ]
    Consent.objects.bulk_create(consents, batch_size=BATCH_SIZE)
    return consents


def _present(site_ids: set[int]) -> tuple[set[int], set[str]]:
    """Who checked in at one of the call's sites: people, and e-mails and phones."""
    checked_in = Registration.objects.filter(
        session__site_id__in=site_ids, checked_in_at__isnull=False
    ).values_list("person_id", "email", phone_text())
    present_people: set[int] = set()
    present_contacts: set[str] = set()
    for person_id, email, phone in checked_in:
        if person_id:
            present_people.add(person_id)
        if email:
            present_contacts.add(email.lower())
        if phone:
            present_contacts.add(phone)
    return present_people, present_contacts


def _applications_write(
    *,
    call: Call,
    file_name: str,
    matches: list[Match],
    person_of: dict[int, PersonRow],
    site_ids: set[int],
    actor_id: int | None,
    now: dt.datetime,
) -> None:
    """The applications, and the information-session result of those who attended (the file
    says so, or the person checked in at one of the call's sites)."""
    present_people, present_contacts = _present(site_ids)
    stages = list(call.stages.order_by("position").values_list("pk", "position", "kind"))
    positions = [position for _pk, position, _kind in stages]
    session_stage = next(
        ((pk, position) for pk, position, kind in stages if kind == StageKind.INFORMATION_SESSION),
        None,
    )
    applications: list[Application] = []
    eligible_at: dict[int, list[Finding]] = {}  # the rules read the age only
    for match in matches:
        c = match.candidate
        person_id, gender, region_id, priority, birth = person_of[c.row]
        attended = (
            c.attended
            or person_id in present_people
            or (c.email and c.email in present_contacts)
            or (c.phone_text and c.phone_text in present_contacts)
        )
        passed = 0
        if attended and session_stage is not None:
            passed = stages_passed_count(positions, {session_stage[1]: Decision.ADVANCE})
        answers = {
            "given_names": c.given_names,
            "family_name": c.family_name,
            "birth_date": c.birth_date.isoformat(),
            "gender": c.gender,
            "phone": c.phone_text,
            "email": c.email,
            "region_id": c.region_id,
            "priority_neighbourhood": c.priority_neighbourhood,
            "channel": c.channel,
            "sites": [c.site.pk],
            "consent_data": c.consent,
            "information_session": c.attended,
            "imported_from": {"file": file_name, "row": c.row},
        }
        findings = eligible_at.get(age_on(c.birth_date, call.age_reference_date))
        if findings is None:
            findings = eligibility_findings(call, {"birth_date": c.birth_date.isoformat()})
            eligible_at[age_on(c.birth_date, call.age_reference_date)] = findings
        applications.append(
            Application(
                call=call,
                person_id=person_id,
                status=Application.Status.SUBMITTED,
                source=Application.Source.IMPORT,
                site=c.site,
                site_choices=[c.site.pk],
                answers=answers,
                language=c.language,
                eligible=not any(f.blocking for f in findings),
                eligibility_reasons=[f.rule for f in findings if f.blocking],
                stages_passed=passed,
                gender=gender,
                region_id=region_id,
                priority_neighbourhood=priority,
                age_band=age_band(birth, call.age_reference_date),
                channel=c.channel,
                attended_information_session=bool(attended),
                import_key=c.import_key,
                submitted_at=now,
            )
        )
    Application.objects.bulk_create(applications, batch_size=BATCH_SIZE)
    if session_stage is not None:
        StageResult.objects.bulk_create(
            [
                StageResult(
                    application=a,
                    stage_id=session_stage[0],
                    decision=Decision.ADVANCE,
                    reason=ReasonCode.PASSED,
                    recorded_by_id=actor_id,
                )
                for a in applications
                if a.attended_information_session
            ],
            batch_size=BATCH_SIZE,
        )


def _history_write(
    *,
    actor: User | None,
    call: Call,
    file_name: str,
    report: ImportReport,
    new_people: list[tuple[Match, Person]],
    completed: list[tuple[Person, dict[str, Any]]],
    region_names: dict[int, str],
    consents: int,
) -> None:
    """History: each person says where it came from (docs/decisions/0004); the call holds the
    counts, and each application's answers its file and row (`imported_from`)."""
    actor_id = actor.pk if actor is not None and actor.pk else None
    note = _("Imported from %(file)s, row %(row)d")
    events = [
        AuditEvent(
            actor_id=actor_id,
            action=AuditAction.PERSON_CREATED,
            subject_type="people.person",
            subject_id=p.pk,
            note=note % {"file": file_name, "row": m.candidate.row},
        )
        for m, p in new_people
    ]
    events += [
        AuditEvent(
            actor_id=actor_id,
            action=AuditAction.PERSON_UPDATED,
            subject_type="people.person",
            subject_id=p.pk,
            changes={
                name: {
                    "from": "",
                    "to": region_names.get(value, "") if name == "region" else str(value),
                }
                for name, value in filled.items()
            },
            note=_("Completed from %(file)s") % {"file": file_name},
        )
        for p, filled in completed
    ]
    AuditEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
    audit_record(
        actor=actor,
        action=AuditAction.CALL_APPLICATIONS_IMPORTED,
        subject=call,
        changes={
            "file": {"from": None, "to": file_name},
            "rows": {"from": None, "to": report.rows_read},
            "created": {"from": None, "to": report.created},
            "linked_to_existing": {"from": None, "to": report.linked_to_existing},
            "already_imported": {"from": None, "to": report.already_imported},
            "consents": {"from": None, "to": consents},
        },
        note="command line" if actor is None else "",
    )
