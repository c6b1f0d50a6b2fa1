"""Importing applications and written-exam scores from a file, and exporting a call's
applications. An import is checked first (nothing written, every problem shown); the checked
file waits on the server, named by a random token kept in the user's session, until the
user confirms; it is deleted once imported."""

from __future__ import annotations

import csv
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tremplin.core.models import User
from tremplin.core.permissions import acting_user, user_passes
from tremplin.selection import importing, selectors
from tremplin.selection.forms import ImportFileForm
from tremplin.selection.models import Call, Stage, StageKind

SESSION_KEY = "selection_import"
# A file checked but never imported is deleted at the next upload after this many seconds.
KEPT_FOR_SECONDS = 24 * 3600
# The page lists this many problems at most (the command line prints them all).
PROBLEMS_SHOWN = 1000


def _call_to_manage(request: HttpRequest, call_id: int) -> tuple[User, Call]:
    user = acting_user(request)
    return user, selectors.call_managed_get(user=user, call_id=call_id)


def _kept_path(token: str) -> Path:
    return Path(settings.TREMPLIN_IMPORT_DIR) / f"{token}.upload"


def _upload_keep(
    request: HttpRequest, *, content: bytes, file_name: str, call: Call, stage: Stage | None
) -> str:
    """Keep a checked file for the confirm step; returns the token that names it."""
    directory = Path(settings.TREMPLIN_IMPORT_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    limit = time.time() - KEPT_FOR_SECONDS
    for old in directory.glob("*.upload"):
        if old.stat().st_mtime < limit:
            old.unlink(missing_ok=True)
    previous = request.session.get(SESSION_KEY)
    if previous:
        _kept_path(previous["token"]).unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    descriptor = os.open(_kept_path(token), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as kept:
        kept.write(content)
    request.session[SESSION_KEY] = {
        "token": token,
        "call_id": call.pk,
        "stage_id": stage.pk if stage else None,
        "file_name": file_name,
    }
    return token


def _upload_take(
    request: HttpRequest, *, token: str, call: Call, stage: Stage | None
) -> tuple[str, bytes] | None:
    """The file checked in this session for this call (or stage), removed from the server."""
    kept = request.session.get(SESSION_KEY)
    if (
        not kept
        or not secrets.compare_digest(str(kept["token"]), token)
        or kept["call_id"] != call.pk
        or kept["stage_id"] != (stage.pk if stage else None)
    ):
        return None
    del request.session[SESSION_KEY]
    path = _kept_path(kept["token"])
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return None
    path.unlink(missing_ok=True)
    return str(kept["file_name"]), content


Run = Callable[[str, bytes, bool], importing.ImportReport]


def _import_flow(
    request: HttpRequest,
    *,
    call: Call,
    stage: Stage | None,
    run: Run,
    template: str,
    done: Callable[[importing.ImportReport], str],
    context: dict[str, Any],
) -> HttpResponse:
    """GET: the form. POST "check": a dry run, then the problems or a confirm button.
    POST "import": the real import of the file checked before."""
    form = ImportFileForm()
    report: importing.ImportReport | None = None
    token = ""
    if request.method == "POST" and request.POST.get("action") == "import":
        taken = _upload_take(request, token=request.POST.get("token", ""), call=call, stage=stage)
        if taken is None:
            messages.error(request, _("The checked file is no longer here: choose it again."))
            return redirect(request.path)
        file_name, content = taken
        report = run(file_name, content, False)
        if report.written:
            messages.success(request, done(report))
            return redirect(request.path)
    elif request.method == "POST":
        form = ImportFileForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            report = run(upload.name, content, True)
            if not report.problems:
                token = _upload_keep(
                    request, content=content, file_name=upload.name, call=call, stage=stage
                )
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


@require_http_methods(["GET", "POST"])
@user_passes(selectors.can_run_selection)
def call_import(request: HttpRequest, call_id: int) -> HttpResponse:
    user, call = _call_to_manage(request, call_id)

    def run(file_name: str, content: bytes, dry_run: bool) -> importing.ImportReport:
        return importing.applications_import(
            actor=user, call=call, file_name=file_name, content=content, dry_run=dry_run
        )

    def done(report: importing.ImportReport) -> str:
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
        context={"columns": importing.APPLICATION_COLUMNS},
    )


@require_GET
@user_passes(selectors.can_run_selection)
def call_import_template(request: HttpRequest, call_id: int) -> HttpResponse:
    """An empty file with the columns of an import, to fill in a spreadsheet."""
    _user, call = _call_to_manage(request, call_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{call.slug}-import-template.csv"'
    response.write("\ufeff")  # so that Excel reads UTF-8
    csv.writer(response).writerow([c.key for c in importing.APPLICATION_COLUMNS])
    return response


@require_http_methods(["GET", "POST"])
@user_passes(selectors.can_run_selection)
def stage_scores_import_view(request: HttpRequest, call_id: int, stage_id: int) -> HttpResponse:
    user, call = _call_to_manage(request, call_id)
    stage = call.stages.filter(pk=stage_id, kind=StageKind.WRITTEN_EXAM).first()
    if stage is None:
        raise Http404

    def run(file_name: str, content: bytes, dry_run: bool) -> importing.ImportReport:
        return importing.stage_scores_import(
            actor=user, stage=stage, file_name=file_name, content=content, dry_run=dry_run
        )

    def done(report: importing.ImportReport) -> str:
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
        context={"columns": importing.SCORE_COLUMNS},
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
    csv.writer(response).writerows(
        importing.applications_export_rows(applications.iterator(chunk_size=2000))
    )
    return response
