"""Staff pages: the messages sent to applicants from the user's sites, and sending one again."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.core.forms import validation_error_to_messages
from tremplin.core.listing import paginate_sorted
from tremplin.core.permissions import acting_user, user_passes
from tremplin.messaging import selectors, services
from tremplin.messaging.forms import MessageFilterForm, RetryForm
from tremplin.messaging.models import Message

see_messages = user_passes(selectors.can_see_messages)


@see_messages
def message_list(request: HttpRequest) -> HttpResponse:
    form = MessageFilterForm(request.GET or {"status": Message.Status.FAILED})
    status = form.cleaned_data["status"] if form.is_valid() else Message.Status.FAILED
    listing = paginate_sorted(
        request,
        selectors.messages_visible(user=acting_user(request), status=status),
        sorts={
            "date": ("created_at",),
            "kind": ("kind", "created_at"),
            "channel": ("channel", "created_at"),
            "site": ("site__name", "created_at"),
        },
        default="-date",
    )
    return render(request, "messaging/message_list.html", {"form": form, "listing": listing})


@require_POST
@see_messages
def message_retry(request: HttpRequest, message_id: int) -> HttpResponse:
    user = acting_user(request)
    message = selectors.message_get(user=user, message_id=message_id)
    form = RetryForm(request.POST)
    try:
        services.message_retry(actor=user, message=message)
    except ValidationError as error:
        validation_error_to_messages(request, error)
    else:
        message.refresh_from_db()
        if message.status == Message.Status.SENT:
            flash.success(request, _("The message was sent."))
        else:
            flash.error(
                request, _("The message could not be sent: %(error)s") % {"error": message.error}
            )
    return redirect(form.next_url(host=request.get_host()) or "messaging:message-list")
