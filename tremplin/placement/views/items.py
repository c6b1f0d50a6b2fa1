"""The item bank's authoring pages: the list of questions (filters, counts per status), a
question's page (preview as the test-taker sees it, in French, English or Arabic; its
parameters and use; its status), and the form to write or change a question with its three
languages side by side and its own picture and recordings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tremplin.core.forms import validation_error_to_form, validation_error_to_messages
from tremplin.core.listing import paginate_sorted
from tremplin.core.permissions import acting_user, user_passes
from tremplin.network.models import Organisation
from tremplin.placement import item_entries
from tremplin.placement.bank import digcomp
from tremplin.placement.forms.items import ZONE_LABELS, ItemForm, item_filters
from tremplin.placement.item_entries import LANGUAGE_NAMES, LANGUAGES, ZONE_KEYS, text_direction
from tremplin.placement.models import Item, ItemKind, ItemStatus, translated
from tremplin.placement.selectors import access
from tremplin.placement.selectors import frameworks as framework_selectors
from tremplin.placement.selectors import items as selectors
from tremplin.placement.services import item_media
from tremplin.placement.services import items as item_services

read_bank = user_passes(access.can_read_bank)
author = user_passes(access.can_author)

FLAG_LABELS = {
    "fit": gettext_lazy("answers do not fit the model well"),
    "discrimination": gettext_lazy("hardly separates levels"),
    "difficulty": gettext_lazy("difficulty far outside the scale"),
}
STATUS_BADGES: dict[str, str] = {
    ItemStatus.DRAFT.value: "text-bg-secondary",
    ItemStatus.PILOT.value: "text-bg-info",
    ItemStatus.LIVE.value: "text-bg-success",
    ItemStatus.RETIRED.value: "text-bg-dark",
}


def _preview_language(value: str | None) -> str:
    if value in LANGUAGES:
        return str(value)
    current = (get_language() or "fr").split("-")[0]
    return current if current in LANGUAGES else "fr"


# --- The preview ------------------------------------------------------------------------------


def _preview(
    item: Item, language: str, *, files_of: Item | None = None, keep_picture: bool = True
) -> dict[str, Any]:
    """What the test-taker sees (as take() in views/attempts.py builds it), with what is missing.
    ``files_of``: the saved question whose uploaded picture and recordings an unsaved one
    shows (``keep_picture`` False when the picture is to be removed)."""
    saved = files_of if files_of is not None else item
    recordings = item_media.recording_urls(saved)
    if saved.picture and keep_picture:
        image_url = item_media.picture_url(saved)
    elif item.image and item.image in item_entries.pictures():
        image_url = static(item.image)
    else:
        image_url = ""
    entry = {
        "stem": item.stem,
        "choices": item.choices,
        "image": item.image,
        "picture": image_url if saved.picture and keep_picture else "",
        "image_alt": item.image_alt,
        "accessibility": item.accessibility,
        "audio": item.audio,
        "recordings": list(recordings),
    }
    return {
        "item": item,
        "language": language,
        "language_name": LANGUAGE_NAMES[language],
        "direction": text_direction(language),
        "stem": translated(item.stem, language),
        "choices": [
            {
                "index": n,
                "number": n + 1,
                "label": translated(c, language),
                "x": c.get("x"),
                "y": c.get("y"),
                "w": c.get("w"),
                "h": c.get("h"),
                "right": n == item.answer,
            }
            for n, c in enumerate(item.choices)
            if isinstance(c, dict)
        ],
        "image_url": image_url,
        "image_alt": translated(item.image_alt, language),
        "audio": recordings.get(language) or (item.audio or {}).get(language, ""),
        "accessibility": translated(item.accessibility, language),
        "accessibility_language": _language_shown(item.accessibility, language),
        "missing": item_entries.missing_parts(entry, language),
        "languages": [
            {
                "code": code,
                "name": LANGUAGE_NAMES[code],
                "missing": item_entries.missing_parts(entry, code),
                "active": code == language,
            }
            for code in LANGUAGES
        ],
    }


def _language_shown(texts: Any, language: str) -> str:
    """The language ``translated`` falls back to for these texts."""
    if isinstance(texts, dict):
        for key in (language, "en", "fr", *texts):
            if texts.get(key):
                return str(key)
    return language


def _unsaved(entry: dict[str, Any], organisation: Organisation) -> Item:
    competence = framework_selectors.digcomp_competence(code=entry["competence"])
    return Item(
        organisation=organisation,
        code=entry["code"],
        competence=competence,
        level=entry["level"],
        kind=entry["kind"],
        stem=entry["stem"],
        choices=entry["choices"],
        answer=entry["answer"],
        image=entry["image"],
        image_alt=entry["image_alt"],
        audio=entry["audio"],
        accessibility=entry["accessibility"],
    )


# --- The list -------------------------------------------------------------------------------


@require_GET
@read_bank
def item_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    filtered = selectors.items_filtered(user=user, filters=item_filters(request.GET))
    listing = paginate_sorted(
        request,
        filtered.items.prefetch_related("recordings"),
        sorts={
            "code": ("code",),
            "competence": ("competence__position", "level", "code"),
            "level": ("level", "code"),
            "status": ("status", "code"),
        },
        default="code",
    )
    counts = selectors.item_status_counts(items=filtered.without_status)
    framework = digcomp()
    language = (get_language() or "en").split("-")[0]
    rows = []
    for item in listing.page.object_list:
        entry = {
            "stem": item.stem,
            "choices": item.choices,
            "image": item.image,
            "picture": item.picture.name,
            "image_alt": item.image_alt,
            "accessibility": item.accessibility,
            "audio": item.audio,
            "recordings": [r.language for r in item.recordings.all()],
        }
        rows.append(
            {
                "item": item,
                "stem": translated(item.stem, language),
                "missing": [
                    LANGUAGE_NAMES[code]
                    for code in LANGUAGES
                    if item_entries.missing_parts(entry, code)
                ],
                "badge": STATUS_BADGES.get(item.status, "text-bg-light"),
            }
        )
    organisations = list(access.organisations_for(user=user))
    export_params = listing.params.copy()
    for key in ("sort", "format"):
        export_params.pop(key, None)
    return render(
        request,
        "placement/item_list.html",
        {
            "listing": listing,
            "rows": rows,
            "filters": filtered.values,
            "status_counts": [
                {
                    "value": value,
                    "label": label,
                    "count": counts.get(value, 0),
                    "url": listing.url_for(status=value, page=None),
                    "active": filtered.values["status"] == value,
                }
                for value, label in ItemStatus.choices
            ],
            "all_statuses_url": listing.url_for(status=None, page=None),
            "total": sum(counts.values()),
            "areas": list(framework.areas.order_by("position")),
            "competences": list(framework.competences.order_by("position")),
            "levels": range(1, 9),
            "statuses": ItemStatus.choices,
            "kinds": ItemKind.choices,
            "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
            "organisations": organisations if len(organisations) > 1 else [],
            "export_query": export_params.urlencode(),
            "can_author": access.can_author(user),
        },
    )


# --- One question -----------------------------------------------------------------------------


@require_GET
@read_bank
def item_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    user = acting_user(request)
    item = selectors.item_get(user=user, item_id=item_id)
    language = _preview_language(request.GET.get("lang"))
    entry = item_entries.entry_normalised(item_entries.item_entry(item))
    preview_recordings = item_media.recording_urls(item)
    moves = [
        {
            "value": value,
            "label": label,
            "blocked": item_entries.live_problems(entry) if value == ItemStatus.LIVE else [],
        }
        for value, label in ItemStatus.choices
        if value != item.status
        and item_services.status_change_allowed(
            user=user, organisation_id=item.organisation_id, current=item.status, target=value
        )
    ]
    return render(
        request,
        "placement/item_detail.html",
        {
            "item": item,
            "preview": _preview(item, language),
            "usage": selectors.item_usage(item=item),
            "flags": [str(FLAG_LABELS.get(f, f)) for f in item.flags or []],
            "status_badge": STATUS_BADGES.get(item.status, "text-bg-light"),
            "moves": moves,
            "can_edit": access.may_in(user, item.organisation_id, access.AUTHOR_ROLES),
            "texts": [
                {
                    "name": name,
                    "values": [
                        (LANGUAGE_NAMES[code], code, (entry.get(name) or {}).get(code, ""))
                        for code in LANGUAGES
                    ],
                }
                for name in ("image_alt", "accessibility", "audio")
            ],
            "choice_rows": [
                {
                    "number": n,
                    "texts": [
                        (LANGUAGE_NAMES[code], code, choice.get(code, "")) for code in LANGUAGES
                    ],
                    "zone": [choice.get(k) for k in ZONE_KEYS]
                    if item.kind == ItemKind.HOTSPOT
                    else [],
                    "right": n - 1 == item.answer,
                }
                for n, choice in enumerate(entry["choices"], start=1)
            ],
            "language_names": [LANGUAGE_NAMES[code] for code in LANGUAGES],
            "own_picture": item_media.picture_url(item) if item.picture else "",
            "own_recordings": [
                (LANGUAGE_NAMES[code], code, preview_recordings[code])
                for code in LANGUAGES
                if code in preview_recordings
            ],
        },
    )


def _form_page(
    request: HttpRequest,
    *,
    form: ItemForm,
    item: Item | None,
    preview: dict[str, Any] | None,
) -> HttpResponse:
    return render(
        request,
        "placement/item_form.html",
        {
            "form": form,
            "item": item,
            "preview": preview,
            "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
            "zone_labels": [ZONE_LABELS[key] for key in ZONE_KEYS],
            "text_labels": {
                "stem": _("Question"),
                "image_alt": _("Picture description"),
                "accessibility": _("Accessibility note"),
                "audio": _("Recording"),
            },
        },
    )


def _preview_requested(request: HttpRequest) -> str | None:
    action = request.POST.get("action", "")
    if action.startswith("preview"):
        return _preview_language(action.partition(":")[2])
    return None


@require_http_methods(["GET", "POST"])
@author
def item_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    organisations = access.organisations_for(user=user, roles=access.AUTHOR_ROLES)
    if request.method != "POST":
        form = ItemForm(organisations=organisations, initial={"kind": ItemKind.CHOICE})
        return _form_page(request, form=form, item=None, preview=None)
    form = ItemForm(request.POST, request.FILES, organisations=organisations)
    preview = None
    if form.is_valid():
        organisation = form.cleaned_data.get("organisation") or organisations.first()
        if organisation is None:
            raise PermissionDenied
        entry = form.entry()
        language = _preview_requested(request)
        if language:
            preview = _preview(_unsaved(entry, organisation), language)
        else:
            try:
                item = item_services.item_create(
                    actor=user, organisation=organisation, entry=entry, files=form.file_changes()
                )
            except ValidationError as error:
                validation_error_to_form(form, error)
            else:
                messages.success(request, _("The question is saved as a draft."))
                return redirect("placement:item-detail", item_id=item.pk)
    return _form_page(request, form=form, item=None, preview=preview)


@require_http_methods(["GET", "POST"])
@author
def item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    user = acting_user(request)
    item = selectors.item_get(user=user, item_id=item_id, roles=access.AUTHOR_ROLES)
    if request.method != "POST":
        form = ItemForm(initial=ItemForm.initial_from(item_entries.item_entry(item)), item=item)
        return _form_page(request, form=form, item=item, preview=None)
    form = ItemForm(request.POST, request.FILES, item=item)
    preview = None
    if form.is_valid():
        entry = form.entry()
        language = _preview_requested(request)
        if language:
            preview = _preview(
                _unsaved(entry, item.organisation),
                language,
                files_of=item,
                keep_picture=not form.cleaned_data.get("picture_remove"),
            )
        else:
            try:
                item_services.item_update(
                    actor=user, item=item, entry=entry, files=form.file_changes()
                )
            except ValidationError as error:
                validation_error_to_form(form, error)
            else:
                messages.success(request, _("The question is saved."))
                return redirect("placement:item-detail", item_id=item.pk)
    return _form_page(request, form=form, item=item, preview=preview)


@require_POST
@author
def item_status(request: HttpRequest, item_id: int) -> HttpResponse:
    user = acting_user(request)
    item = selectors.item_get(user=user, item_id=item_id, roles=access.AUTHOR_ROLES)
    try:
        changed = item_services.item_status_set(
            actor=user, item=item, status=request.POST.get("status", "")
        )
    except PermissionDenied as error:
        messages.error(
            request,
            str(error)
            or _("Only a site manager may put a question live, retire it or take it back."),
        )
    except ValidationError as error:
        validation_error_to_messages(request, error)
    else:
        messages.success(
            request,
            _("The question is now: %(status)s.") % {"status": changed.get_status_display()},
        )
    return redirect("placement:item-detail", item_id=item.pk)
