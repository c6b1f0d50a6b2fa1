"""Importing applications and written-exam scores from a file, and exporting a call's
applications. An import is checked first (nothing written, every problem shown); the checked
file waits on the server, named by a random token kept in the user's session, until the
user confirms; it is deleted once imported."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tremplin.core.imports import import_page
from tremplin.core.models import User
from tremplin.core.permissions import acting_user, user_passes
from tremplin.selection import selectors
from tremplin.selection.files.application_rows import APPLICATION_COLUMNS
from tremplin.selection.files.applications import applications_import
from tremplin.selection.files.export import applications_export_rows
from tremplin.selection.files.rows import ImportReport
from tremplin.selection.files.scores import SCORE_COLUMNS, stage_scores_import
from tremplin.selection.forms import ImportFileForm
from tremplin.selection.models import Call, Stage, StageKind

UPLOAD_KIND = "selection_import"
# The page lists this many problems at most (the command line prints them all).
PROBLEMS_SHOWN = 1000


def _call_to_manage(request: HttpRequest, call_id: int) -> tuple[User, Call]:
    user = acting_user(request)
    return user, selectors.call_managed_get(user=user, call_id=call_id)


def _context(call: Call, stage: Stage | None) -> dict[str, int | None]:
    return {"call": call.pk, "stage": stage.pk if stage else None}


Run = Callable[[str, bytes, bool], ImportReport]


def _import_flow(
    request: HttpRequest,
    *,
    call: Call,
    stage: Stage | None,
    run: Run,
    template: str,
    done: Callable[[ImportReport], str],
    context: dict[str, Any],
) -> HttpResponse:
    """GET: the form. POST "check": a dry run, then the problems or a confirm button.
    POST "import": the real import of the file checked before (``core.imports``)."""

    def check(
        form: forms.Form, file_name: str, content: bytes
    ) -> tuple[ImportReport, dict[str, int | None] | None]:
        report = run(file_name, content, True)
        return report, None if report.problems else _context(call, stage)

    def written(report: ImportReport) -> HttpResponse | None:
        if not report.written:
            return None
        messages.success(request, done(report))
        return redirect(request.path)

    def page(form: forms.Form, report: ImportReport | None, token: str) -> HttpResponse:
        problems = report.problems if report else []
        return render(
            request,
            template,
            {
                **context,
                "call": call,
                "stage": stage,
                "form": form,
                "report": report,
                "token": token,
                "problems": problems[:PROBLEMS_SHOWN],
                "problems_hidden": max(0, len(problems) - PROBLEMS_SHOWN),
            },
        )

    return import_page(
        request,
        kind=UPLOAD_KIND,
        form_class=ImportFileForm,
        check=check,
        apply=lambda file_name, content, _kept: run(file_name, content, False),
        done=written,
        page=page,
        context=_context(call, stage),
        confirm="import",
    )


@require_http_methods(["GET", "POST"])
@user_passes(selectors.can_run_selection)
def call_import(request: HttpRequest, call_id: int) -> HttpResponse:
    user, call = _call_to_manage(request, call_id)

    def run(file_name: str, content: bytes, dry_run: bool) -> ImportReport:
        return applications_import(
            actor=user, call=call, file_name=file_name, content=content, dry_run=dry_run
        )

    def done(report: ImportReport) -> str:
        return _(
            "Imported: %(created)d applications (%(linked)d for people already known); "
            "%(skipped)d rows were already imported."
        ) % {
            "created": report.created,
            "linked": report.linked_to_existing,
            "skipped": report.already_imported,
        }

    return _import_flow(
        request,
        call=call,
        stage=None,
        run=run,
        template="selection/import_applications.html",
        done=done,
        context={"columns": APPLICATION_COLUMNS},
    )


@require_GET
@user_passes(selectors.can_run_selection)
def call_import_template(request: HttpRequest, call_id: int) -> HttpResponse:
    """An empty file with the columns of an import, to fill in a spreadsheet."""
    _user, call = _call_to_manage(request, call_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{call.slug}-import-template.csv"'
    response.write("\ufeff")  # so that Excel reads UTF-8
    csv.writer(response).writerow([c.key for c in APPLICATION_COLUMNS])
    return response


@require_http_methods(["GET", "POST"])
@user_passes(selectors.can_run_selection)
def stage_scores_import_view(request: HttpRequest, call_id: int, stage_id: int) -> HttpResponse:
    user, call = _call_to_manage(request, call_id)
    stage = selectors.stage_get(call=call, stage_id=stage_id, kind=StageKind.WRITTEN_EXAM)

    def run(file_name: str, content: bytes, dry_run: bool) -> ImportReport:
        return stage_scores_import(
            actor=user, stage=stage, file_name=file_name, content=content, dry_run=dry_run
        )

    def done(report: ImportReport) -> str:
        return _(
            "Scores imported: %(created)d new, %(updated)d changed, %(skipped)d unchanged."
        ) % {
            "created": report.created,
            "updated": report.updated,
            "skipped": report.already_imported,
        }

    return _import_flow(
        request,
        call=call,
        stage=stage,
        run=run,
        template="selection/import_scores.html",
        done=done,
        context={"columns": SCORE_COLUMNS},
    )


@require_GET
@user_passes(selectors.can_run_selection)
def call_export(request: HttpRequest, call_id: int) -> HttpResponse:
    """The call's submitted applications as CSV; no cell can run as a formula."""
    user, call = _call_to_manage(request, call_id)
    applications = selectors.applications_of_call(user=user, call=call).order_by("pk")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{call.slug}-applications.csv"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")  # so that Excel reads UTF-8
    csv.writer(response).writerows(applications_export_rows(applications.iterator(chunk_size=2000)))
    return response
