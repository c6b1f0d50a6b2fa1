"""The public application form: no account, a phone, short steps, progress kept.

The draft's id sits in the browser session; the resume link (a secret token, shown on the
page and mailed when an address is given) brings the applicant back from any device.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.core import throttling
from tremplin.core.busy import RETRY_AFTER_SECONDS, database_busy
from tremplin.core.forms import validation_error_to_form, validation_error_to_messages
from tremplin.core.language_cookie import language_cookie_set
from tremplin.network.languages import applicant_language_activate, offered_languages
from tremplin.network.selectors import applicant_recording_url
from tremplin.selection import mail, selectors
from tremplin.selection.eligibility import eligibility_findings
from tremplin.selection.forms import HelpForm, steps_for
from tremplin.selection.models import Application, ApplicationDocument, Call
from tremplin.selection.services import applications as application_services
from tremplin.selection.services import documents as document_services


def _session_key(call: Call) -> str:
    return f"apply:{call.pk}"


def _draft(request: HttpRequest, call: Call) -> Application | None:
    data = request.session.get(_session_key(call))
    if not data:
        return None
    return selectors.draft_get(call=call, application_id=data["id"])


def _resume_url(request: HttpRequest, call: Call) -> str:
    data = request.session.get(_session_key(call)) or {}
    token = data.get("token", "")
    if not token:
        return ""
    return request.build_absolute_uri(
        reverse("selection:apply-resume", kwargs={"slug": call.slug, "token": token})
    )


def _resume_link_send(
    request: HttpRequest, *, application: Application, email: str, phone: str
) -> None:
    """Send the resume link by e-mail or SMS, within the limits per client address and per
    e-mail address or phone: past them, the page says to keep the link it shows instead."""
    allowed = throttling.throttle_allows(
        request, action=throttling.RESUME_LINK_MAIL, key=(email or phone).strip().lower()
    )
    if not allowed:
        messages.warning(
            request,
            _(
                "We could not e-mail your link just now. Keep the link shown on this page "
                "to come back to your application."
            ),
        )
        return
    mail.resume_link_send(
        application=application,
        email=email,
        phone=phone,
        resume_url=_resume_url(request, application.call),
    )


def _is_open(call: Call) -> bool:
    return call.opens_on <= timezone.localdate() <= call.closes_on


def apply_start(request: HttpRequest, slug: str) -> HttpResponse:
    """The call's front page: what it is, who can apply, and a button to start."""
    call = selectors.public_call_get(slug=slug)
    language = applicant_language_activate(request, call.site.organisation)
    draft = _draft(request, call)
    busy = False
    if request.method == "POST" and _is_open(call):
        try:
            if draft is None:
                if not throttling.throttle_allows(request, action=throttling.APPLICATION_START):
                    return throttling.too_many_requests(request)
                started = application_services.application_start(call=call, language=language)
                request.session[_session_key(call)] = {
                    "id": started.application.pk,
                    "token": started.token,
                }
                draft = started.application
            return redirect("selection:apply-step", slug=call.slug, step=draft.step)
        except OperationalError as exc:
            if not database_busy(exc):
                raise
            busy = True
    response = render(
        request,
        "selection/apply_start.html",
        {
            "call": call,
            "open": _is_open(call),
            "draft": draft,
            "seats": sum(cs.seats for cs in call.call_sites.all()),
            "steps": steps_for(call),
            "recording": applicant_recording_url(
                organisation=call.site.organisation, page="apply_start", language=language
            ),
            "busy": busy,
        },
        status=503 if busy else 200,
    )
    if busy:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _document_kept(form: Any, application: Application) -> bool:
    """The file sent with the step, if any, is kept; False (errors on the form) when not."""
    upload = form.cleaned_data.get("document_file")
    if not upload:
        return True
    try:
        document_services.application_document_add(
            application=application, name=form.cleaned_data.get("document_name", ""), upload=upload
        )
    except ValidationError as exc:
        validation_error_to_form(form, exc)
        return False
    return True


def apply_step(request: HttpRequest, slug: str, step: int) -> HttpResponse:
    call = selectors.public_call_get(slug=slug)
    language = applicant_language_activate(request, call.site.organisation)
    application = _draft(request, call)
    if application is None:
        return redirect("selection:apply-start", slug=call.slug)
    steps = steps_for(call)
    if not 1 <= step <= len(steps) or step > application.step:
        return redirect("selection:apply-step", slug=call.slug, step=application.step)
    key, form_class, _title, _icon = steps[step - 1]
    form = form_class(
        request.POST or None, request.FILES or None, call=call, answers=application.answers
    )
    busy = False
    if request.method == "POST" and form.is_valid():
        try:
            if _document_kept(form, application):
                return _step_send(request, call, application, step, key, form.answers(), language)
        except OperationalError as exc:
            if not database_busy(exc):
                raise
            # The form stays bound to what was sent: the page shows it again, kept.
            busy = True
    response = _step_page(request, call, application, step, form, busy=busy)
    if busy:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _step_send(
    request: HttpRequest,
    call: Call,
    application: Application,
    step: int,
    key: str,
    answers: dict[str, Any],
    language: str,
) -> HttpResponse:
    """Save a step's answers (and send the application after the last step)."""
    steps = steps_for(call)
    had_contact = bool(application.answers.get("email") or application.answers.get("phone"))
    application = application_services.application_step_save(
        application=application,
        step=min(step + 1, len(steps)),
        answers=answers,
        language=language,
    )
    email = application.answers.get("email") or ""
    phone = application.answers.get("phone") or ""
    if key == "contact" and (email or phone) and not had_contact:
        _resume_link_send(request, application=application, email=email, phone=phone)
    if step < len(steps):
        return redirect("selection:apply-step", slug=call.slug, step=step + 1)
    try:
        submission = application_services.application_submit(application=application)
    except ValidationError as exc:
        validation_error_to_messages(request, exc)
        return redirect("selection:apply-step", slug=call.slug, step=1)
    request.session.pop(_session_key(call), None)
    request.session[f"applied:{call.pk}"] = {
        "id": submission.application.pk,
        "linked": submission.linked_to_existing,
    }
    return redirect("selection:apply-done", slug=call.slug)


def _date_or_none(value: object) -> dt.date | None:
    """An ISO date kept in the answers, as a date; None when there is none or it is not one."""
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _step_page(
    request: HttpRequest,
    call: Call,
    application: Application,
    step: int,
    form: forms.Form,
    *,
    busy: bool,
    help_form: HelpForm | None = None,
) -> HttpResponse:
    """A step of the form; ``busy``: the database could not take the answers just now (503),
    the forms show them again."""
    steps = steps_for(call)
    key, _form_class, title, icon = steps[step - 1]
    language = translation.get_language() or "fr"
    findings = eligibility_findings(call, application.answers)
    return render(
        request,
        "selection/apply_step.html",
        {
            "call": call,
            "application": application,
            "form": form,
            "step": step,
            "steps": steps,
            "title": title,
            "icon": icon,
            "key": key,
            "blocking": [f for f in findings if f.blocking],
            "notes": [f for f in findings if not f.blocking],
            "resume_url": _resume_url(request, call),
            "help_form": help_form or HelpForm(),
            "percent": round(100 * (step - 1) / len(steps)),
            "uploads": list(ApplicationDocument.objects.filter(application=application))
            if key == "languages"
            else [],
            "recording": applicant_recording_url(
                organisation=call.site.organisation, page=key, language=language
            ),
            "busy": busy,
            # Shown in the reader's own date format on the review step, not as ISO.
            "birth_date": _date_or_none(application.answers.get("birth_date")),
        },
        status=503 if busy else 200,
    )


def apply_resume(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    call = selectors.public_call_get(slug=slug)
    application = application_services.application_resume(call=call, token=token)
    if application is None:
        sent = selectors.sent_application_by_token(call=call, token=token)
        if sent is None:
            raise Http404
        # The link of an application already sent: say so, in the applicant's language, and
        # show nothing of what it holds (the link opens no draft any more).
        applicant_language_activate(request, call.site.organisation, preferred=sent.language)
        response = render(
            request, "selection/apply_sent.html", {"call": call, "submitted_at": sent.submitted_at}
        )
        response["Cache-Control"] = "no-store"
        return response
    request.session[_session_key(call)] = {"id": application.pk, "token": token}
    response = redirect("selection:apply-step", slug=call.slug, step=application.step)
    if application.language in offered_languages(call.site.organisation):
        # Back in the language the applicant chose, on this device too.
        language_cookie_set(response, language=application.language)
    return response


@require_POST
def apply_help(request: HttpRequest, slug: str) -> HttpResponse:
    """The applicant asks a person: the team sees the question on the call's page."""
    call = selectors.public_call_get(slug=slug)
    applicant_language_activate(request, call.site.organisation)
    application = _draft(request, call)
    if application is None:
        return redirect("selection:apply-start", slug=call.slug)
    form = HelpForm(request.POST)
    if form.is_valid():
        try:
            application_services.application_help_request(
                application=application, question=form.cleaned_data["question"]
            )
        except OperationalError as exc:
            if not database_busy(exc):
                raise
            step = application.step
            form_class = steps_for(call)[step - 1][1]
            response = _step_page(
                request,
                call,
                application,
                step,
                form_class(call=call, answers=application.answers),
                busy=True,
                help_form=form,
            )
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        messages.success(
            request, _("Your question is sent. A person from the team will contact you.")
        )
    else:
        messages.error(request, _("Write your question."))
    return redirect("selection:apply-step", slug=call.slug, step=application.step)


def apply_done(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.public_call_get(slug=slug)
    applicant_language_activate(request, call.site.organisation)
    applied = request.session.get(f"applied:{call.pk}")
    if not applied:
        return redirect("selection:apply-start", slug=call.slug)
    application = selectors.sent_application_get(call=call, application_id=applied["id"])
    if application is None:
        return redirect("selection:apply-start", slug=call.slug)
    return render(
        request,
        "selection/apply_done.html",
        {"call": call, "application": application, "linked": applied["linked"]},
    )
