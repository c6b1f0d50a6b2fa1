"""The placement test: the test-taker's pages (private link, one question per screen, read
aloud, any interface language, resumable), and the staff's list, start and review pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.core.forms import validation_error_to_messages
from tremplin.core.levels import band_label
from tremplin.core.permissions import acting_user, user_passes
from tremplin.network.languages import applicant_language_activate
from tremplin.network.selectors import programmes_visible
from tremplin.people.selectors import person_search
from tremplin.placement.bank import digcomp
from tremplin.placement.forms.attempts import AnswerForm, AttemptStartForm, LanguageForm
from tremplin.placement.models import Attempt, translated
from tremplin.placement.selectors import attempts as selectors
from tremplin.placement.selectors.access import can_review, can_use_placement
from tremplin.placement.selectors.settings import setup_of
from tremplin.placement.services import attempts as services
from tremplin.placement.services.item_media import picture_url, recording_url
from tremplin.placement.services.settings import rules_of
from tremplin.selection.selectors import can_manage_call


def _profile(attempt: Attempt) -> list[dict[str, Any]]:
    names = {a.code: translated(a.name) for a in digcomp().areas.all()}
    return [
        {
            **row,
            "area_name": names.get(row["area"], row["area"]),
            "band_label": band_label(row["band"]) if row["band"] else "",
        }
        for row in attempt.profile
    ]


use_placement = user_passes(can_use_placement)
PEOPLE_SHOWN = 20


# applicant-facing: start (docs/languages.md)
# --- The test-taker ------------------------------------------------------------------------


def take(request: HttpRequest, token: str) -> HttpResponse:
    attempt = selectors.attempt_by_token(token)
    applicant_language_activate(request, attempt.site.organisation, preferred=attempt.language)
    if request.method == "POST":
        form = AnswerForm(request.POST)
        recorded = form.is_valid()
        if recorded:
            try:
                services.attempt_answer(
                    attempt=attempt,
                    item_id=form.cleaned_data["item"],
                    choice=form.cleaned_data["choice"],
                )
            except ValidationError:
                recorded = False
        if not recorded:
            messages.error(request, _("Choose an answer, then press “Next”."))
        return redirect("placement:take", token=token)
    language = translation.get_language()
    context: dict[str, Any] = {"attempt": attempt, "token": token, "language": language}
    if attempt.state == Attempt.State.FINISHED:
        context["band"] = band_label(attempt.final_band)
        context["profile"] = _profile(attempt)
        context["confidence"] = round((attempt.confidence or 0) * 100)
        return render(request, "placement/take_result.html", context)
    item = attempt.next_item
    if item is None:
        raise Http404
    answered = attempt.answers.count()
    context.update(
        {
            "item": item,
            "number": answered + 1,
            "most": setup_of(attempt.programme).max_items,
            "stem": translated(item.stem, language),
            "choices": [
                {
                    "index": n,
                    "label": translated(c, language),
                    "x": c.get("x"),
                    "y": c.get("y"),
                    "w": c.get("w"),
                    "h": c.get("h"),
                }
                for n, c in enumerate(item.choices)
            ],
            "image_url": picture_url(item),
            "image_alt": translated(item.image_alt, language),
            "audio": recording_url(item, language),
            # The language the question is shown in (English when it has no text in the
            # test-taker's, as `translated` does): the phone's voice reads it in that one.
            "text_language": next(
                (code for code in (language, "en", "fr") if (item.stem or {}).get(code)),
                language,
            ),
        }
    )
    return render(request, "placement/take_question.html", context)


@require_POST
def take_language(request: HttpRequest, token: str) -> HttpResponse:
    attempt = selectors.attempt_by_token(token)
    form = LanguageForm(request.POST)
    form.is_valid()  # every field is optional: the service checks the language
    try:
        services.attempt_language_set(
            attempt=attempt,
            language=form.cleaned_data.get("language") or "",
            read_aloud=bool(form.cleaned_data.get("read_aloud")),
        )
    except ValidationError:
        messages.error(request, _("Choose one of the languages offered."))
    return redirect("placement:take", token=token)


# applicant-facing: end

# --- Staff ---------------------------------------------------------------------------------


@use_placement
def attempt_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    attempts = list(
        selectors.attempts_visible(user=user).order_by("-borderline", "-started_at")[:200]
    )
    for attempt in attempts:
        attempt.band_label = band_label(attempt.final_band) if attempt.final_band else ""  # type: ignore[attr-defined]
    # The person is found by name, phone or e-mail (the people search), never from a list of
    # everyone at the site.
    who = request.GET.get("who", "").strip()[:100]
    people = list(person_search(user=user, query=who)[:PEOPLE_SHOWN]) if who else []
    return render(
        request,
        "placement/attempt_list.html",
        {
            "attempts": attempts,
            "who": who,
            "people": people,
            "more": len(people) == PEOPLE_SHOWN,
            "programmes": programmes_visible(user=user),
        },
    )


@require_POST
@use_placement
def attempt_start(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = AttemptStartForm(
        request.POST,
        people=selectors.people_for_tests(user=user),
        programmes=programmes_visible(user=user),
    )
    if not form.is_valid():  # a person or programme the user may not see: not found
        raise Http404
    try:
        started = services.attempt_start(
            actor=user,
            person=form.cleaned_data["person"],
            programme=form.cleaned_data["programme"],
            language=form.cleaned_data["language"] or "fr",
            base_url=request.build_absolute_uri("/"),
        )
    except ValidationError as error:
        validation_error_to_messages(request, error)
        return redirect("placement:attempt-list")
    return _started_page(request, started)


def _started_page(request: HttpRequest, started: services.Started) -> HttpResponse:
    link = request.build_absolute_uri(reverse("placement:take", kwargs={"token": started.token}))
    return render(
        request,
        "placement/attempt_started.html",
        {"attempt": started.attempt, "link": link, "sent": started.sent},
    )


@require_POST
@use_placement
def attempt_link_send(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Send the private link again (a new one): the page shows it and where it went."""
    user = acting_user(request)
    attempt = selectors.attempt_get(user=user, attempt_id=attempt_id)
    # The page shows where the link went (an e-mail address, a phone number): only for who may
    # see the person (a trainer reviews the site's tests but sees only their own learners).
    if not selectors.people_for_tests(user=user).filter(pk=attempt.person_id).exists():
        raise Http404
    try:
        started = services.attempt_link_send(
            actor=user, attempt=attempt, base_url=request.build_absolute_uri("/")
        )
    except ValidationError as error:
        validation_error_to_messages(request, error)
        return redirect("placement:attempt-detail", attempt_id=attempt.pk)
    return _started_page(request, started)


@use_placement
def attempt_detail(request: HttpRequest, attempt_id: int) -> HttpResponse:
    user = acting_user(request)
    attempt = selectors.attempt_get(user=user, attempt_id=attempt_id)
    answers = list(selectors.attempt_answers(attempt=attempt))
    bands = rules_of(setup_of(attempt.programme)).bands
    return render(
        request,
        "placement/attempt_detail.html",
        {
            "attempt": attempt,
            "answers": answers,
            "band": band_label(attempt.band) if attempt.band else "",
            "final_band": band_label(attempt.final_band) if attempt.final_band else "",
            "bands": [(b.name, band_label(b.name)) for b in bands],
            "confidence": round((attempt.confidence or 0) * 100),
            "can_review": can_review(user, attempt),
            "can_send_link": selectors.people_for_tests(user=user)
            .filter(pk=attempt.person_id)
            .exists(),
            "profile": _profile(attempt),
            "stage_result": selectors.stage_score_of(attempt),
            "stage_score": services.stage_score_expected(attempt),
            "can_record": attempt.application is not None
            and can_manage_call(user, attempt.application.call),
        },
    )


@require_POST
@use_placement
def attempt_review(request: HttpRequest, attempt_id: int) -> HttpResponse:
    user = acting_user(request)
    attempt = selectors.attempt_get(user=user, attempt_id=attempt_id)
    try:
        services.attempt_review(
            actor=user,
            attempt=attempt,
            band=request.POST.get("band", ""),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        validation_error_to_messages(request, error)
    else:
        messages.success(request, _("The result is reviewed."))
    return redirect("placement:attempt-detail", attempt_id=attempt.pk)


@require_POST
@use_placement
def attempt_record_score(request: HttpRequest, attempt_id: int) -> HttpResponse:
    user = acting_user(request)
    attempt = selectors.attempt_get(user=user, attempt_id=attempt_id)
    try:
        services.attempt_score_record(actor=user, attempt=attempt)
    except ValidationError as error:
        validation_error_to_messages(request, error)
    else:
        messages.success(request, _("The score is recorded in selection."))
    return redirect("placement:attempt-detail", attempt_id=attempt.pk)
