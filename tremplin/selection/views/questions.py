"""The call page's questions from applicants: answer one by e-mail or SMS, or mark it handled."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.core.forms import form_errors_to_messages, validation_error_to_messages
from tremplin.core.permissions import acting_user
from tremplin.messaging.models import Message
from tremplin.selection import selectors
from tremplin.selection.forms import QuestionAnswerForm
from tremplin.selection.services import questions as question_services
from tremplin.selection.views.access import call_to_manage, run_selection


def _back(call_id: int) -> HttpResponse:
    return redirect(reverse("selection:call-detail", args=[call_id]) + "#questions")


@require_POST
@run_selection
def question_answer(request: HttpRequest, call_id: int, application_id: int) -> HttpResponse:
    call = call_to_manage(request, call_id)
    application = selectors.help_request_get(call=call, application_id=application_id)
    form = QuestionAnswerForm(request.POST)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return _back(call.pk)
    try:
        sent = question_services.application_question_answer(
            actor=acting_user(request),
            application=application,
            text=form.cleaned_data["text"],
            channels=form.channels(),
        )
    except ValidationError as error:
        validation_error_to_messages(request, error)
        return _back(call.pk)
    if any(message.status == Message.Status.FAILED for message in sent):
        messages.error(
            request, _("The answer could not be sent: see the messages not delivered below.")
        )
    else:
        messages.success(request, _("The answer is sent; the question is handled."))
    return _back(call.pk)


@require_POST
@run_selection
def question_handled(request: HttpRequest, call_id: int, application_id: int) -> HttpResponse:
    call = call_to_manage(request, call_id)
    application = selectors.help_request_get(call=call, application_id=application_id)
    try:
        question_services.application_question_handled(
            actor=acting_user(request), application=application
        )
    except ValidationError as error:
        validation_error_to_messages(request, error)
    else:
        messages.success(request, _("The question is marked as handled."))
    return _back(call.pk)
