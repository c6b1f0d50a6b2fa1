"""Importing the scores of a written exam from a CSV or XLSX file, as pending results; all
or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, ExpressionWrapper, F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.core import params
from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.collector import cyclic_gc_paused
from tremplin.core.models import AuditEvent, User
from tremplin.selection.files.cells import cell_text
from tremplin.selection.files.reading import Sheet
from tremplin.selection.files.rows import (
    BATCH_SIZE,
    Column,
    ImportReport,
    Row,
    RowProblem,
    cell_email,
    cell_phone,
    sheet_columns,
)
from tremplin.selection.models import (
    Application,
    Decision,
    ReasonCode,
    Stage,
    StageKind,
    StageResult,
)
from tremplin.selection.models.applications import MAX_SCORE
from tremplin.selection.selectors import can_manage_call

SCORE_COLUMNS = (
    Column(
        "application",
        ("application_id", "id", "candidature", "dossier"),
        False,
        gettext_lazy("The application number shown in Tremplin (or give e-mail or phone)."),
    ),
    Column("email", ("e_mail", "mail", "courriel"), False, gettext_lazy("The e-mail address.")),
    Column("phone", ("telephone", "tel", "mobile"), False, gettext_lazy("The phone number.")),
    Column("score", ("note", "mark", "points", "resultat"), True, gettext_lazy("The score.")),
)


def _score(row: Row, maximum: Decimal | None) -> Decimal | None:
    value = row.raw("score")
    text = cell_text(value).replace(",", ".").replace(" ", "")
    if not text:
        row.problem(
            "score",
            _("This cell is empty: give the score, or remove the row of someone absent."),
        )
        return None
    try:
        score = Decimal(str(value) if isinstance(value, float) else text)
    except InvalidOperation:
        score = None
    if score is None or not score.is_finite():
        row.problem("score", _("This is not a number."))
        return None
    if score < 0 or score > (maximum if maximum is not None else MAX_SCORE):
        row.problem(
            "score",
            _("The score must be between 0 and %(max)s.")
            % {"max": maximum if maximum is not None else MAX_SCORE},
        )
        return None
    score = score.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if score < 0 or (maximum is not None and score > maximum):
        row.problem(
            "score",
            _("The score must be between 0 and %(max)s.") % {"max": maximum}
            if maximum is not None
            else _("The score cannot be negative."),
        )
        return None
    return score


def stage_scores_import(
    *, actor: User | None, stage: Stage, file_name: str, content: bytes, dry_run: bool
) -> ImportReport:
    """Scores of a written exam, one row per applicant (found by application number,
    e-mail or phone among the call's submitted applications), recorded as pending results
    for the officer to decide on (or for the pass mark). All or nothing."""
    call = stage.call
    if actor is not None and not can_manage_call(actor, call):
        raise PermissionDenied
    if stage.kind != StageKind.WRITTEN_EXAM:
        raise ValidationError(_("Scores are imported for written exams only."))
    with cyclic_gc_paused():
        return _stage_scores_import(
            actor=actor, stage=stage, file_name=file_name, content=content, dry_run=dry_run
        )


def _stage_scores_import(
    *, actor: User | None, stage: Stage, file_name: str, content: bytes, dry_run: bool
) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    read = sheet_columns(report, file_name=file_name, content=content, columns=SCORE_COLUMNS)
    if read is None:
        return report
    sheet, columns = read
    if not {"application", "email", "phone"} & set(columns):
        report.problems.append(
            RowProblem(
                1,
                "application",
                _("Add a column that says whose score it is: application, email or phone."),
            )
        )
    if report.problems:
        return report
    with transaction.atomic():
        if not dry_run:
            Stage.objects.select_for_update().filter(pk=stage.pk).first()
        changes = _scores_plan(stage, sheet, columns, report)
        if report.problems or dry_run:
            return report
        _scores_write(actor=actor, stage=stage, file_name=file_name, changes=changes, report=report)
    return report


@dataclass
class _ScoreChange:
    row: int
    application_id: int
    score: Decimal
    result_id: int | None
    before: Decimal | None


def _one(row: Row, key: str, found: list[int]) -> int | None:
    if len(found) > 1:
        row.problem(
            key,
            _("Several applications share this contact: use the application number instead."),
        )
        return None
    if not found:
        row.problem(key, _("No application sent to this call has this contact."))
        return None
    return found[0]


def _whose(
    row: Row,
    passed: dict[int, int],
    by_email: dict[str, list[int]],
    by_phone: dict[str, list[int]],
    country: str,
) -> int | None:
    """The application a row's score is for: by its number, else e-mail, else phone."""
    application_text = row.text("application")
    if application_text:
        number = params.id_parse(application_text)
        if number is not None and number in passed:
            return number
        row.problem("application", _("No application sent to this call has this number."))
    elif row.text("email"):
        email = cell_email(row, "email")
        if email:
            return _one(row, "email", by_email.get(email, []))
    elif row.text("phone"):
        phone = cell_phone(row, "phone", country)
        if phone is not None:
            return _one(row, "phone", by_phone.get(phone.as_e164, []))
    else:
        row.problem(
            "application" if "application" in row.columns else next(iter(row.columns)),
            _("Say whose score it is: application number, e-mail or phone."),
        )
    return None


def _scores_plan(
    stage: Stage, sheet: Sheet, columns: dict[str, tuple[int, str]], report: ImportReport
) -> list[_ScoreChange]:
    call = stage.call
    country = call.site.country.code
    submitted = list(
        call.applications.filter(status=Application.Status.SUBMITTED).values_list(
            "pk",
            "person__email",
            ExpressionWrapper(F("person__phone"), output_field=CharField()),
            "stages_passed",
        )
    )
    passed = {pk: stages for pk, _e, _p, stages in submitted}
    by_email: dict[str, list[int]] = {}
    by_phone: dict[str, list[int]] = {}
    for pk, email, phone, _stages in submitted:
        if email:
            by_email.setdefault(email.lower(), []).append(pk)
        if phone:
            by_phone.setdefault(phone, []).append(pk)
    results = {
        application_id: (pk, score, decision)
        for application_id, pk, score, decision in stage.results.values_list(
            "application_id", "pk", "score", "decision"
        )
    }
    seen: dict[int, int] = {}
    changes: list[_ScoreChange] = []
    for number, values in sheet.rows:
        row = Row(number, values, columns, report.problems)
        application_id = _whose(row, passed, by_email, by_phone, country)
        score = _score(row, stage.max_score)
        if application_id is None or score is None:
            continue
        if application_id in seen:
            row.problem(
                "score",
                _("The same applicant as row %(row)d: keep one of the two rows.")
                % {"row": seen[application_id]},
            )
            continue
        seen[application_id] = number
        if stage.position > passed[application_id] + 1:
            row.problem(
                "score",
                _("This applicant has not reached this stage: the earlier stages come first."),
            )
            continue
        existing = results.get(application_id)
        if existing is None:
            report.created += 1
            changes.append(_ScoreChange(number, application_id, score, None, None))
        elif existing[2] != Decision.PENDING:
            row.problem(
                "score",
                _(
                    "A decision is already recorded for this applicant at this stage: "
                    "change it on the application's page."
                ),
            )
        elif existing[1] == score:
            report.already_imported += 1
        else:
            report.updated += 1
            changes.append(_ScoreChange(number, application_id, score, existing[0], existing[1]))
    report.problems.sort(key=lambda p: p.row)
    return changes


def _scores_write(
    *,
    actor: User | None,
    stage: Stage,
    file_name: str,
    changes: list[_ScoreChange],
    report: ImportReport,
) -> None:
    actor_id = actor.pk if actor is not None and actor.pk else None
    now = timezone.now()
    StageResult.objects.bulk_create(
        [
            StageResult(
                application_id=c.application_id,
                stage=stage,
                score=c.score,
                decision=Decision.PENDING,
                reason=ReasonCode.OTHER,
                recorded_by_id=actor_id,
            )
            for c in changes
            if c.result_id is None
        ],
        batch_size=BATCH_SIZE,
    )
    StageResult.objects.bulk_update(
        [
            StageResult(pk=c.result_id, score=c.score, recorded_by_id=actor_id, updated_at=now)
            for c in changes
            if c.result_id is not None
        ],
        ["score", "recorded_by", "updated_at"],
        batch_size=BATCH_SIZE,
    )
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor_id=actor_id,
                action=AuditAction.STAGE_RESULT_RECORDED,
                subject_type="selection.application",
                subject_id=c.application_id,
                changes={
                    "score": {
                        "from": None if c.before is None else str(c.before),
                        "to": str(c.score),
                    }
                },
                note=_("%(stage)s, imported from %(file)s, row %(row)d")
                % {"stage": stage.name, "file": file_name, "row": c.row},
            )
            for c in changes
        ],
        batch_size=BATCH_SIZE,
    )
    audit_record(
        actor=actor,
        action=AuditAction.STAGE_SCORES_IMPORTED,
        subject=stage,
        changes={
            "file": {"from": None, "to": file_name},
            "rows": {"from": None, "to": report.rows_read},
            "created": {"from": None, "to": report.created},
            "updated": {"from": None, "to": report.updated},
            "already_imported": {"from": None, "to": report.already_imported},
        },
        note="command line" if actor is None else "",
    )
