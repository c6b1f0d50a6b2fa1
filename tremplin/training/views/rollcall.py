"""Roll call on a trainer's phone: the page (its script queues every tap on the device and
sends it when it can), the JSON endpoint the taps are sent to, a cohort's roll-call list with
each learner's attendance rate, and the learner photos the list shows when consented."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tremplin.core.encryption import encrypted_file_read
from tremplin.core.listing import paginate_sorted
from tremplin.core.permissions import acting_user, user_passes
from tremplin.training.forms.attendance import LearnerPhotoForm, mark_taps_parse
from tremplin.training.models import MarkStatus
from tremplin.training.selectors import attendance as selectors
from tremplin.training.selectors.access import can_use_training
from tremplin.training.services import attendance as services

# The order one tap walks through, with the words the page shows ("Present" alone is
# already a plural heading elsewhere: "Présents" in French).
CYCLE = [
    (MarkStatus.PRESENT, pgettext_lazy("attendance mark", "Present")),
    (MarkStatus.LATE, MarkStatus.LATE.label),
    (MarkStatus.ABSENT, MarkStatus.ABSENT.label),
    (MarkStatus.EXCUSED, MarkStatus.EXCUSED.label),
]


@require_GET
@never_cache
@user_passes(can_use_training)
def session_rollcall(request: HttpRequest, session_id: int) -> HttpResponse:
    user = acting_user(request)
    session = selectors.session_for_rollcall(user=user, session_id=session_id)
    lines = selectors.rollcall_lines(session=session)
    return render(
        request,
        "training/rollcall.html",
        {
            "session": session,
            "cohort": session.cohort,
            "day": selectors.session_date(session),
            "lines": lines,
            "cycle": [(status.value, label) for status, label in CYCLE],
            "unmarked": sum(1 for line in lines if not line.status),
        },
    )


@require_POST
@user_passes(can_use_training)
def session_marks(request: HttpRequest, session_id: int) -> JsonResponse:
    """Apply the taps of a JSON body; answers what became of each and the marks now."""
    user = acting_user(request)
    session = selectors.session_for_rollcall(user=user, session_id=session_id)
    # A form's body has been read already (by the CSRF check): only JSON is taken.
    if request.content_type != "application/json":
        return JsonResponse({"error": _("Send the marks as JSON.")}, status=400)
    try:
        taps = mark_taps_parse(request.body)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    saved = services.marks_apply(actor=user, session=session, taps=taps)
    return JsonResponse(
        {
            "results": [
                {"op_id": str(o.op_id), "outcome": o.outcome, "reason": o.reason}
                for o in saved.outcomes
            ],
            "marks": {str(k): v for k, v in saved.marks.items()},
        }
    )


@require_GET
@user_passes(can_use_training)
def cohort_rollcall(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """The cohort's sessions to take roll call for, under each learner's attendance rate."""
    user = acting_user(request)
    cohort = selectors.cohort_for_rollcall(user=user, cohort_id=cohort_id)
    listing = paginate_sorted(
        request,
        selectors.cohort_sessions_marked(cohort=cohort),
        sorts={"date": ("starts_at",)},
        default="-date",
        per_page=25,
    )
    return render(
        request,
        "training/cohort_rollcall.html",
        {"cohort": cohort, "rates": selectors.cohort_rates(cohort=cohort), "listing": listing},
    )


@require_http_methods(["GET", "POST"])
@user_passes(can_use_training)
def enrolment_photo(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """Take or replace a learner's photo for the attendance list, with their consent."""
    user = acting_user(request)
    enrolment = selectors.enrolment_for_rollcall(user=user, enrolment_id=enrolment_id)
    back = request.GET.get("session", "")
    form = (
        LearnerPhotoForm(request.POST, request.FILES)
        if request.method == "POST"
        else LearnerPhotoForm()
    )
    if form.is_valid():
        try:
            services.learner_photo_save(
                actor=user, enrolment=enrolment, content=form.jpeg(), extension="jpg"
            )
        except ValidationError as error:
            form.add_error("photo", error.messages[0])
        else:
            messages.success(request, _("Photo saved."))
            if back.isdigit():
                return redirect("training:session-rollcall", session_id=int(back))
            return redirect("training:cohort-rollcall", cohort_id=enrolment.cohort_id)
    return render(
        request,
        "training/enrolment_photo.html",
        {"enrolment": enrolment, "cohort": enrolment.cohort, "form": form, "back": back},
    )


@require_GET
def rollcall_worker(request: HttpRequest) -> HttpResponse:
    """The service worker that lets a roll-call page reopen without a connection; served
    under /training/ so that its scope covers the roll-call pages. No data in it."""
    response = render(request, "training/rollcall_worker.js", content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@user_passes(can_use_training)
def enrolment_photo_file(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    user = acting_user(request)
    photo = selectors.photo_for_rollcall(user=user, enrolment_id=enrolment_id)
    response = HttpResponse(encrypted_file_read(photo.file), content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
