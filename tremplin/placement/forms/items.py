"""Forms of the item bank's pages: a question with its three languages side by side and its own
picture and recordings, the file to import, and the filters of the list of questions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BoundField
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.network.models import Organisation
from tremplin.placement import item_entries
from tremplin.placement.bank import digcomp
from tremplin.placement.forms.imports import OrganisationFileForm
from tremplin.placement.item_entries import (
    LANGUAGE_NAMES,
    LANGUAGES,
    MAX_CHOICES,
    ZONE_KEYS,
    text_direction,
)
from tremplin.placement.models import Competence, Item, ItemKind, translated
from tremplin.placement.selectors.items import ITEM_FILTERS
from tremplin.placement.services import item_files, item_media
from tremplin.placement.services.items import CODE_MAX_LENGTH

ZONE_LABELS = {
    "x": gettext_lazy("from the left edge (%)"),
    "y": gettext_lazy("from the top (%)"),
    "w": gettext_lazy("width (%)"),
    "h": gettext_lazy("height (%)"),
}


class ItemForm(forms.Form):
    """A question with its three languages; choices are rows 1 to 6 (empty rows are left out)
    and ``answer`` is the number of the row with the right answer."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=gettext_lazy("Organisation")
    )
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=CODE_MAX_LENGTH,
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
        self.current_picture = item_media.picture_url(item) if item and item.picture else ""
        self.current_recordings = item_media.recording_urls(item) if item else {}
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
            *((path, Path(path).name) for path in item_entries.pictures()),
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
            self.fields[item_media.recording_field(language)] = forms.FileField(
                label=self._label(_("Your own recording"), language),
                required=False,
                help_text=_("MP3, OGG, M4A, AAC or WAV, at most 5 MB."),
                widget=forms.FileInput(
                    attrs={"accept": "audio/mpeg,audio/ogg,audio/mp4,audio/aac,audio/wav"}
                ),
            )
            if language in self.current_recordings:
                self.fields[f"{item_media.recording_field(language)}_remove"] = forms.BooleanField(
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
            attrs={**widget.attrs, "lang": language, "dir": text_direction(language)}
        )

    # Groups of bound fields, for the side-by-side layout.
    def recording_rows(self) -> list[dict[str, Any]]:
        rows = []
        for language in LANGUAGES:
            name = item_media.recording_field(language)
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
            for name in item_entries.TEXT_FIELDS
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
            item_media.picture_checked(upload)
        return upload

    def will_have_picture(self, data: dict[str, Any]) -> bool:
        """An uploaded picture after saving: a new one, or the current one kept."""
        if data.get("picture") or "picture" in self.errors:
            return True
        return bool(self.current_picture) and not data.get("picture_remove")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_recordings(data)
        if not (data.get("stem_fr") or data.get("stem_en")):
            self.add_error("stem_fr", _("Write the question in French or English."))
        used = self._used_choices(data)
        self._check_choices(data, used)
        if data.get("kind") == ItemKind.HOTSPOT:
            self._check_picture_task(data, used)
        self._check_audio_links(data)
        return data

    def _check_recordings(self, data: dict[str, Any]) -> None:
        for language in LANGUAGES:
            name = item_media.recording_field(language)
            if data.get(name):
                try:
                    item_media.recording_checked(data[name], language=language)
                except ValidationError as error:
                    self.add_error(name, error)

    def _check_choices(self, data: dict[str, Any], used: list[int]) -> None:
        """2 to 6 choices, each written in French or English, one of them the answer."""
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

    def _check_picture_task(self, data: dict[str, Any], used: list[int]) -> None:
        """A task on a picture: the picture, and each choice's place on it."""
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

    def _check_audio_links(self, data: dict[str, Any]) -> None:
        for language in LANGUAGES:
            link = data.get(f"audio_{language}") or ""
            if link and (not link.startswith("/") or link.startswith("//")):
                self.add_error(f"audio_{language}", _("Give a link on this site, starting with /."))

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
        for name in item_entries.TEXT_FIELDS:
            entry[name] = {
                language: data[f"{name}_{language}"]
                for language in LANGUAGES
                if data.get(f"{name}_{language}")
            }
        return item_entries.entry_normalised(entry)

    def file_changes(self) -> item_media.FileChanges:
        """The files chosen and those to remove (call after ``is_valid``)."""
        data = self.cleaned_data
        recordings = {}
        removed = []
        for language in LANGUAGES:
            name = item_media.recording_field(language)
            if data.get(name):
                recordings[language] = data[name]
            elif data.get(f"{name}_remove"):
                removed.append(language)
        return item_media.FileChanges(
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
        for name in item_entries.TEXT_FIELDS:
            for language, text in (entry.get(name) or {}).items():
                initial[f"{name}_{language}"] = text
        for n, choice in enumerate(entry.get("choices") or [], start=1):
            for key, value in choice.items():
                initial[f"choice{n}_{key}"] = value
        return initial


class ItemImportForm(OrganisationFileForm):
    max_bytes = item_files.MAX_FILE_BYTES
    too_big = gettext_lazy("The file is bigger than 5 MB.")

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=gettext_lazy("Into the bank of")
    )
    file = forms.FileField(
        label=gettext_lazy("File (CSV or JSON)"),
        help_text=gettext_lazy("A file exported from this page works as it is. At most 5 MB."),
    )


def item_filters(query: QueryDict) -> dict[str, str]:
    """The list's filters as the query string gives them ("" for those not given)."""
    return {key: query.get(key, "") for key in ITEM_FILTERS}
