"""The item bank's authoring pages: the list of questions (filters, counts per status, export),
a question's page (preview as the test-taker sees it, in French, English or Arabic; its
parameters and use; its status), the form to write or change a question with its three
languages side by side and its own picture and recordings, the import of a CSV or JSON file
(checked, shown, then applied), and the files of a question served to those who may see them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db.models import Count, Q, QuerySet
from django.forms import BoundField
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from tremplin.core.listing import paginate_sorted
from tremplin.core.models import User
from tremplin.core.permissions import acting_user, user_passes
from tremplin.core.uploads import upload_context, upload_keep, upload_take
from tremplin.network.models import Organisation
from tremplin.placement import authoring, selectors
from tremplin.placement.authoring import LANGUAGE_NAMES, LANGUAGES, MAX_CHOICES, ZONE_KEYS
from tremplin.placement.bank import digcomp
from tremplin.placement.forms import OrganisationFileForm
from tremplin.placement.models import (
    Competence,
    Item,
    ItemKind,
    ItemRecording,
    ItemStatus,
    translated,
)

read_bank = user_passes(selectors.can_read_bank)
author = user_passes(selectors.can_author)

FLAG_LABELS = {
    "fit": gettext_lazy("answers do not fit the model well"),
    "discrimination": gettext_lazy("hardly separates levels"),
    "difficulty": gettext_lazy("difficulty far outside the scale"),
}
ZONE_LABELS = {
    "x": gettext_lazy("from the left edge (%)"),
    "y": gettext_lazy("from the top (%)"),
    "w": gettext_lazy("width (%)"),
    "h": gettext_lazy("height (%)"),
}
STATUS_BADGES: dict[str, str] = {
    ItemStatus.DRAFT.value: "text-bg-secondary",
    ItemStatus.PILOT.value: "text-bg-info",
    ItemStatus.LIVE.value: "text-bg-success",
    ItemStatus.RETIRED.value: "text-bg-dark",
}


def _text_direction(language: str) -> str:
    return "rtl" if language == "ar" else "ltr"


def _preview_language(value: str | None) -> str:
    if value in LANGUAGES:
        return str(value)
    current = (get_language() or "fr").split("-")[0]
    return current if current in LANGUAGES else "fr"


# --- The form ---------------------------------------------------------------------------------


class ItemForm(forms.Form):
    """A question with its three languages; choices are rows 1 to 6 (empty rows are left out)
    and ``answer`` is the number of the row with the right answer."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=gettext_lazy("Organisation")
    )
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=authoring.CODE_MAX_LENGTH,
        help_text=gettext_lazy("Short and unique in the bank, for example DC1.1-07."),
    )
    competence = forms.ModelChoiceField(
        queryset=Competence.objects.none(),
        to_field_name="code",
        label=gettext_lazy("Competence (DigComp 2.2)"),
    )
    level = forms.TypedChoiceField(label=gettext_lazy("Level"), coerce=int, choices=[])
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of question"), choices=ItemKind.choices, widget=forms.RadioSelect
    )
    image = forms.ChoiceField(label=gettext_lazy("Picture"), required=False, choices=[])
    answer = forms.TypedChoiceField(
        label=gettext_lazy("Right answer"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, MAX_CHOICES + 1)],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Mark the right answer.")},
    )

    picture = forms.FileField(
        label=gettext_lazy("Your own picture"),
        required=False,
        help_text=gettext_lazy(
            "PNG, JPEG or WebP, at most 2 MB and 4000 × 4000 pixels. Shown instead of the "
            "picture chosen above."
        ),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    picture_remove = forms.BooleanField(
        label=gettext_lazy("Remove your own picture"), required=False
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation] | None = None,
        item: Item | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # The files the question has now: their preview, and whether it keeps a picture.
        self.current_picture = authoring.picture_url(item) if item and item.picture else ""
        self.current_recordings = authoring.recording_urls(item) if item else {}
        if not self.current_picture:
            del self.fields["picture_remove"]
        framework = digcomp()
        if organisations is not None and organisations.count() > 1:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        else:
            del self.fields["organisation"]
        self.fields["competence"].queryset = framework.competences.order_by(  # type: ignore[attr-defined]
            "position"
        )
        levels = {int(lv["number"]): translated(lv.get("name")) for lv in framework.levels or []}
        self.fields["level"].choices = [  # type: ignore[attr-defined]
            (n, f"{n} — {levels[n]}" if levels.get(n) else str(n)) for n in range(1, 9)
        ]
        self.fields["image"].choices = [  # type: ignore[attr-defined]
            ("", _("No picture")),
            *((path, Path(path).name) for path in authoring.pictures()),
        ]
        parts = {
            "stem": (gettext_lazy("Question"), forms.Textarea(attrs={"rows": 3})),
            "image_alt": (
                gettext_lazy("Picture description (read to those who cannot see it)"),
                forms.Textarea(attrs={"rows": 2}),
            ),
            "accessibility": (gettext_lazy("Accessibility note"), forms.Textarea({"rows": 2})),
            "audio": (gettext_lazy("Recording (a link on this site)"), forms.TextInput()),
        }
        for name, (part, widget) in parts.items():
            for language in LANGUAGES:
                self.fields[f"{name}_{language}"] = forms.CharField(
                    label=self._label(part, language),
                    required=False,
                    max_length=300 if name == "audio" else 4000,
                    widget=self._with_language(widget, language),
                )
        for language in LANGUAGES:
            self.fields[authoring.recording_field(language)] = forms.FileField(
                label=self._label(_("Your own recording"), language),
                required=False,
                help_text=_("MP3, OGG, M4A, AAC or WAV, at most 5 MB."),
                widget=forms.FileInput(
                    attrs={"accept": "audio/mpeg,audio/ogg,audio/mp4,audio/aac,audio/wav"}
                ),
            )
            if language in self.current_recordings:
                self.fields[f"{authoring.recording_field(language)}_remove"] = forms.BooleanField(
                    label=self._label(_("Remove your own recording"), language),
                    required=False,
                )
        for n in range(1, MAX_CHOICES + 1):
            for language in LANGUAGES:
                self.fields[f"choice{n}_{language}"] = forms.CharField(
                    label=self._label(_("Choice %(n)s") % {"n": n}, language),
                    required=False,
                    max_length=1000,
                    widget=self._with_language(forms.TextInput(), language),
                )
            for key in ZONE_KEYS:
                self.fields[f"choice{n}_{key}"] = forms.FloatField(
                    label=_("Choice %(n)s, %(what)s") % {"n": n, "what": ZONE_LABELS[key]},
                    required=False,
                    min_value=0,
                    max_value=100,
                    widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
                )

    @staticmethod
    def _label(part: Any, language: str) -> str:
        return _("%(part)s, in %(language)s") % {
            "part": part,
            "language": LANGUAGE_NAMES[language],
        }

    @staticmethod
    def _with_language(widget: forms.Widget, language: str) -> forms.Widget:
        return widget.__class__(
            attrs={**widget.attrs, "lang": language, "dir": _text_direction(language)}
        )

    # Groups of bound fields, for the side-by-side layout.
    def recording_rows(self) -> list[dict[str, Any]]:
        rows = []
        for language in LANGUAGES:
            name = authoring.recording_field(language)
            rows.append(
                {
                    "language": language,
                    "name": LANGUAGE_NAMES[language],
                    "field": self[name],
                    "remove": self[f"{name}_remove"] if f"{name}_remove" in self.fields else None,
                    "current": self.current_recordings.get(language, ""),
                }
            )
        return rows

    def text_rows(self) -> list[tuple[str, list[BoundField]]]:
        return [
            (name, [self[f"{name}_{language}"] for language in LANGUAGES])
            for name in authoring.TEXT_FIELDS
        ]

    def choice_rows(self) -> list[dict[str, Any]]:
        answer = str(self["answer"].value() or "")
        return [
            {
                "number": n,
                "texts": [self[f"choice{n}_{language}"] for language in LANGUAGES],
                "zone": [self[f"choice{n}_{key}"] for key in ZONE_KEYS],
                "right": answer == str(n),
            }
            for n in range(1, MAX_CHOICES + 1)
        ]

    def _used_choices(self, data: dict[str, Any]) -> list[int]:
        return [
            n
            for n in range(1, MAX_CHOICES + 1)
            if any(data.get(f"choice{n}_{language}") for language in LANGUAGES)
            or any(data.get(f"choice{n}_{key}") is not None for key in ZONE_KEYS)
        ]

    def clean_picture(self) -> Any:
        upload = self.cleaned_data.get("picture")
        if upload:
            authoring.picture_checked(upload)
        return upload

    def will_have_picture(self, data: dict[str, Any]) -> bool:
        """An uploaded picture after saving: a new one, or the current one kept."""
        if data.get("picture") or "picture" in self.errors:
            return True
        return bool(self.current_picture) and not data.get("picture_remove")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for language in LANGUAGES:
            name = authoring.recording_field(language)
            if data.get(name):
                try:
                    authoring.recording_checked(data[name], language=language)
                except ValidationError as error:
                    self.add_error(name, error)
        if not (data.get("stem_fr") or data.get("stem_en")):
            self.add_error("stem_fr", _("Write the question in French or English."))
        used = self._used_choices(data)
        for n in used:
            if not (data.get(f"choice{n}_fr") or data.get(f"choice{n}_en")):
                self.add_error(
                    f"choice{n}_fr", _("Write choice %(n)s in French or English.") % {"n": n}
                )
        if len(used) < 2:
            first_empty = next(n for n in range(1, MAX_CHOICES + 1) if n not in used)
            self.add_error(f"choice{first_empty}_fr", _("Give 2 to 6 choices."))
        answer = data.get("answer")
        if answer is not None and answer not in used:
            self.add_error("answer", _("The right answer must be one of the choices written."))
        if data.get("kind") == ItemKind.HOTSPOT:
            if not data.get("image") and not self.will_have_picture(data):
                self.add_error("image", _("A task on a picture needs a picture."))
            for n in used:
                box = [data.get(f"choice{n}_{key}") for key in ZONE_KEYS]
                if any(v is None for v in box):
                    if f"choice{n}_x" not in self.errors:
                        self.add_error(
                            f"choice{n}_x",
                            _(
                                "Give the place of choice %(n)s on the picture: from the left "
                                "edge, from the top, width and height."
                            )
                            % {"n": n},
                        )
                    continue
                x, y, w, h = (float(v) for v in box if v is not None)
                if w <= 0 or h <= 0 or x + w > 100 or y + h > 100:
                    self.add_error(
                        f"choice{n}_w",
                        _("The place of choice %(n)s must have a size and stay on the picture.")
                        % {"n": n},
                    )
        for language in LANGUAGES:
            link = data.get(f"audio_{language}") or ""
            if link and (not link.startswith("/") or link.startswith("//")):
                self.add_error(f"audio_{language}", _("Give a link on this site, starting with /."))
        return data

    def entry(self) -> dict[str, Any]:
        """The question as an entry of an items file (call after ``is_valid``)."""
        data = self.cleaned_data
        used = self._used_choices(data)
        hotspot = data["kind"] == ItemKind.HOTSPOT
        choices = []
        for n in used:
            choice: dict[str, Any] = {
                language: data[f"choice{n}_{language}"]
                for language in LANGUAGES
                if data.get(f"choice{n}_{language}")
            }
            if hotspot:
                choice.update({key: data[f"choice{n}_{key}"] for key in ZONE_KEYS})
            choices.append(choice)
        entry: dict[str, Any] = {
            "code": data["code"].strip(),
            "competence": data["competence"].code,
            "level": data["level"],
            "kind": data["kind"],
            "choices": choices,
            "answer": used.index(data["answer"]) if data["answer"] in used else -1,
            "image": data.get("image") or "",
        }
        for name in authoring.TEXT_FIELDS:
            entry[name] = {
                language: data[f"{name}_{language}"]
                for language in LANGUAGES
                if data.get(f"{name}_{language}")
            }
        return authoring.entry_normalised(entry)

    def file_changes(self) -> authoring.FileChanges:
        """The files chosen and those to remove (call after ``is_valid``)."""
        data = self.cleaned_data
        recordings = {}
        removed = []
        for language in LANGUAGES:
            name = authoring.recording_field(language)
            if data.get(name):
                recordings[language] = data[name]
            elif data.get(f"{name}_remove"):
                removed.append(language)
        return authoring.FileChanges(
            picture=data.get("picture") or None,
            picture_remove=bool(data.get("picture_remove")),
            recordings=recordings,
            recordings_remove=removed,
        )

    @staticmethod
    def initial_from(entry: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "code": entry["code"],
            "competence": entry["competence"],
            "level": entry["level"],
            "kind": entry["kind"],
            "image": entry["image"],
            "answer": entry["answer"] + 1,
        }
        for name in authoring.TEXT_FIELDS:
            for language, text in (entry.get(name) or {}).items():
                initial[f"{name}_{language}"] = text
        for n, choice in enumerate(entry.get("choices") or [], start=1):
            for key, value in choice.items():
                initial[f"choice{n}_{key}"] = value
        return initial


class ItemImportForm(OrganisationFileForm):
    max_bytes = authoring.MAX_FILE_BYTES
    too_big = gettext_lazy("The file is bigger than 5 MB.")

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=gettext_lazy("Into the bank of")
    )
    file = forms.FileField(
        label=gettext_lazy("File (CSV or JSON)"),
        help_text=gettext_lazy("A file exported from this page works as it is. At most 5 MB."),
    )


# --- The preview ------------------------------------------------------------------------------


def _preview(
    item: Item, language: str, *, files_of: Item | None = None, keep_picture: bool = True
) -> dict[str, Any]:
    """What the test-taker sees (as take() in views.py builds it), with what is missing.
    ``files_of``: the saved question whose uploaded picture and recordings an unsaved one
    shows (``keep_picture`` False when the picture is to be removed)."""
    saved = files_of if files_of is not None else item
    recordings = authoring.recording_urls(saved)
    if saved.picture and keep_picture:
        image_url = authoring.picture_url(saved)
    elif item.image and item.image in authoring.pictures():
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
        "direction": _text_direction(language),
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
        "missing": authoring.missing_parts(entry, language),
        "languages": [
            {
                "code": code,
                "name": LANGUAGE_NAMES[code],
                "missing": authoring.missing_parts(entry, code),
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
    competence = digcomp().competences.filter(code=entry["competence"]).first()
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


# --- The list and the export ------------------------------------------------------------------


@dataclass(frozen=True)
class Filtered:
    items: QuerySet[Item]
    without_status: QuerySet[Item]
    values: dict[str, str]


def _filtered(request: HttpRequest, user: User) -> Filtered:
    """The questions the user may read, filtered by the list's form (GET)."""
    get = request.GET
    values = {
        key: get.get(key, "").strip()
        for key in ("organisation", "area", "competence", "level", "status", "kind", "missing", "q")
    }
    items = selectors.items_visible(user=user)
    if values["organisation"].isdigit():
        items = items.filter(organisation_id=int(values["organisation"]))
    if values["area"]:
        items = items.filter(competence__area__code=values["area"])
    if values["competence"]:
        items = items.filter(competence__code=values["competence"])
    if values["level"].isdigit():
        items = items.filter(level=int(values["level"]))
    if values["kind"] in ItemKind.values:
        items = items.filter(kind=values["kind"])
    if values["q"]:
        q = values["q"]
        items = items.filter(
            Q(code__icontains=q)
            | Q(stem__fr__icontains=q)
            | Q(stem__en__icontains=q)
            | Q(stem__ar__icontains=q)
        )
    if values["missing"] in LANGUAGES:
        # Checked here rather than in SQL (texts live in JSON); one query, the bank is small.
        rows = items.values_list(
            "pk", "stem", "choices", "image", "picture", "image_alt", "accessibility", "audio"
        )
        keys = ("stem", "choices", "image", "picture", "image_alt", "accessibility", "audio")
        recorded: dict[int, list[str]] = {}
        for item_id, recorded_in in ItemRecording.objects.filter(item__in=items).values_list(
            "item_id", "language"
        ):
            recorded.setdefault(item_id, []).append(recorded_in)
        wanting = [
            row[0]
            for row in rows
            if authoring.missing_parts(
                {**dict(zip(keys, row[1:], strict=True)), "recordings": recorded.get(row[0], [])},
                values["missing"],
            )
        ]
        items = items.filter(pk__in=wanting)
    without_status = items
    if values["status"] in ItemStatus.values:
        items = items.filter(status=values["status"])
    return Filtered(items=items, without_status=without_status, values=values)


@require_GET
@read_bank
def item_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    filtered = _filtered(request, user)
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
    counts = {
        row["status"]: row["n"]
        for row in filtered.without_status.order_by().values("status").annotate(n=Count("pk"))
    }
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
                    if authoring.missing_parts(entry, code)
                ],
                "badge": STATUS_BADGES.get(item.status, "text-bg-light"),
            }
        )
    organisations = list(selectors.organisations_for(user=user))
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
            "can_author": selectors.can_author(user),
        },
    )


@require_GET
@read_bank
def item_export(request: HttpRequest) -> HttpResponse:
    """The questions of the list (with its filters) as CSV or JSON (?format=json)."""
    user = acting_user(request)
    items = _filtered(request, user).items.order_by("organisation__name", "code")
    stamp = timezone.localdate().isoformat()
    if request.GET.get("format") == "json":
        body = authoring.items_export_json(actor=user, items=items)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="items-{stamp}.json"'
    else:
        body = "\ufeff" + authoring.items_export_csv(actor=user, items=items)  # Excel: UTF-8
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="items-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


# --- One question -----------------------------------------------------------------------------


@require_GET
@read_bank
def item_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    user = acting_user(request)
    item = selectors.item_get(user=user, item_id=item_id)
    language = _preview_language(request.GET.get("lang"))
    entry = authoring.entry_normalised(authoring.item_entry(item))
    preview_recordings = authoring.recording_urls(item)
    moves = [
        {
            "value": value,
            "label": label,
            "blocked": authoring.live_problems(entry) if value == ItemStatus.LIVE else [],
        }
        for value, label in ItemStatus.choices
        if value != item.status
        and authoring.status_change_allowed(
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
            "can_edit": selectors.may_in(user, item.organisation_id, selectors.AUTHOR_ROLES),
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
            "own_picture": authoring.picture_url(item) if item.picture else "",
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
    organisations = selectors.organisations_for(user=user, roles=selectors.AUTHOR_ROLES)
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
                item = authoring.item_create(
                    actor=user, organisation=organisation, entry=entry, files=form.file_changes()
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The question is saved as a draft."))
                return redirect("placement:item-detail", item_id=item.pk)
    return _form_page(request, form=form, item=None, preview=preview)


@require_http_methods(["GET", "POST"])
@author
def item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    user = acting_user(request)
    item = selectors.item_get(user=user, item_id=item_id, roles=selectors.AUTHOR_ROLES)
    if request.method != "POST":
        form = ItemForm(initial=ItemForm.initial_from(authoring.item_entry(item)), item=item)
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
                authoring.item_update(actor=user, item=item, entry=entry, files=form.file_changes())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The question is saved."))
                return redirect("placement:item-detail", item_id=item.pk)
    return _form_page(request, form=form, item=item, preview=preview)


@require_POST
@author
def item_status(request: HttpRequest, item_id: int) -> HttpResponse:
    user = acting_user(request)
    item = selectors.item_get(user=user, item_id=item_id, roles=selectors.AUTHOR_ROLES)
    try:
        changed = authoring.item_status_set(
            actor=user, item=item, status=request.POST.get("status", "")
        )
    except PermissionDenied as error:
        messages.error(
            request,
            str(error)
            or _("Only a site manager may put a question live, retire it or take it back."),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The question is now: %(status)s.") % {"status": changed.get_status_display()},
        )
    return redirect("placement:item-detail", item_id=item.pk)


_BYTE_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The first and last byte of a single ``Range: bytes=…`` asked for (Safari asks for
    parts of a recording before playing it); None when the whole file is to be sent. Raises
    ValueError when the range is outside the file."""
    found = _BYTE_RANGE.match(header.strip())
    if found is None or not any(found.groups()):
        return None  # several ranges, or another unit: the whole file (allowed by HTTP)
    first, last = found.groups()
    if not first:  # the last N bytes
        start, end = max(size - int(last), 0), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    if start > end or start >= size:
        raise ValueError
    return start, end


@require_safe
def item_file(request: HttpRequest, item_id: int, part: str) -> HttpResponseBase:
    """A question's own picture (``part`` "picture") or recording (``part`` its language),
    as it was checked when uploaded. Anyone may have the files of a live question (the person
    taking the test is not signed in); those of other questions are for the people who may
    read the organisation's bank, and not found (404) for everyone else."""
    user = request.user if isinstance(request.user, User) else None
    name, content_type, live = authoring.item_file(user=user, item_id=item_id, part=part)
    try:
        handle = default_storage.open(name, "rb")
    except OSError as error:
        raise Http404 from error
    size = handle.size
    response: HttpResponseBase
    try:
        wanted = _byte_range(request.headers.get("Range", ""), size)
    except ValueError:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    if wanted is None:
        response = FileResponse(handle, content_type=content_type)
    else:
        start, end = wanted
        with handle:
            handle.seek(start)
            part_read = handle.read(end - start + 1)
        response = HttpResponse(part_read, status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    # The address changes with the file (?v=): a day in the cache is safe; the files of a
    # question that is not live stay out of shared caches.
    response["Cache-Control"] = f"{'public' if live else 'private'}, max-age=86400"
    return response


# --- Import -----------------------------------------------------------------------------------

UPLOAD_KIND = "placement_items_import"


@require_http_methods(["GET", "POST"])
@author
def item_import(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST "check": what the file would do, row by row, and an "Apply"
    button when no row is wrong. POST "apply": the file checked before, imported."""
    user = acting_user(request)
    organisations = selectors.organisations_for(user=user, roles=selectors.AUTHOR_ROLES)
    form = ItemImportForm(organisations=organisations)
    plan: authoring.ImportPlan | None = None
    token = ""
    organisation: Organisation | None = None
    if request.method == "POST" and request.POST.get("action") == "apply":
        organisation_id = upload_context(request, kind=UPLOAD_KIND).get("organisation")
        organisation = organisations.filter(pk=organisation_id).first() if organisation_id else None
        taken = upload_take(
            request,
            kind=UPLOAD_KIND,
            token=request.POST.get("token", ""),
            context={"organisation": organisation_id},
        )
        if taken is None or organisation is None:
            messages.error(request, _("The checked file is no longer here: choose it again."))
            return redirect("placement:item-import")
        file_name, content = taken
        plan = authoring.items_import_file(
            actor=user, organisation=organisation, file_name=file_name, content=content, apply=True
        )
        if plan.written:
            messages.success(
                request,
                _(
                    "Imported: %(created)d new questions, %(updated)d changed, "
                    "%(unchanged)d unchanged."
                )
                % {"created": plan.created, "updated": plan.updated, "unchanged": plan.unchanged},
            )
            return redirect("placement:item-list")
    elif request.method == "POST":
        form = ItemImportForm(request.POST, request.FILES, organisations=organisations)
        if form.is_valid():
            organisation = form.cleaned_data.get("organisation") or organisations.first()
            if organisation is None:
                raise PermissionDenied
            upload = form.cleaned_data["file"]
            content = upload.read()
            plan = authoring.items_import_file(
                actor=user,
                organisation=organisation,
                file_name=upload.name or "",
                content=content,
                apply=False,
            )
            if not plan.has_problems:
                token = upload_keep(
                    request,
                    kind=UPLOAD_KIND,
                    content=content,
                    file_name=upload.name or "",
                    context={"organisation": organisation.pk},
                )
    return render(
        request,
        "placement/item_import.html",
        {
            "form": form,
            "plan": plan,
            "token": token,
            "organisation": organisation,
            "columns": authoring.CSV_COLUMNS,
        },
    )
