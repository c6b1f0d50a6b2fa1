"""Forms of roll call: the batch of taps a phone sends (JSON, parsed field by field through
a form, so that a malformed body is a 400 with a message, never a 500), a learner's photo,
and the attendance import's file."""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps

from tremplin.core.json_files import JsonFileError, json_read
from tremplin.training.models import MarkStatus
from tremplin.training.services.attendance import MarkTap

# A phone sends its queue in batches of at most this many taps.
MAX_TAPS = 500
MAX_BODY_BYTES = 200_000


class MarkTapForm(forms.Form):
    op_id = forms.UUIDField()
    enrolment_id = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    status = forms.ChoiceField(choices=MarkStatus.choices)
    tapped_at = forms.DateTimeField()

    def tap(self) -> MarkTap:
        data = self.cleaned_data
        return MarkTap(
            op_id=data["op_id"],
            enrolment_id=data["enrolment_id"],
            status=MarkStatus(data["status"]),
            tapped_at=data["tapped_at"],
        )


def _field_errors(form: forms.Form) -> str:
    return "; ".join(
        f"{name}: {' '.join(str(m) for m in messages)}" for name, messages in form.errors.items()
    )


def mark_taps_parse(body: bytes) -> list[MarkTap]:
    """The taps of a JSON body ``{"operations": [{op_id, enrolment_id, status, tapped_at}]}``.
    Raises ValidationError with a message that names the operation and field."""
    if len(body) > MAX_BODY_BYTES:
        raise ValidationError(_("Too many marks at once: send them in smaller batches."))
    try:
        data: Any = json_read(body, max_depth=4)
    except JsonFileError as error:
        raise ValidationError(
            _("The marks could not be read: %(reason)s") % {"reason": error.message}
        ) from error
    operations = data.get("operations") if isinstance(data, dict) else None
    if not isinstance(operations, list):
        raise ValidationError(_("The marks could not be read: “operations” must be a list."))
    if len(operations) > MAX_TAPS:
        raise ValidationError(
            _("Too many marks at once (at most %(max)d): send them in smaller batches.")
            % {"max": MAX_TAPS}
        )
    taps: list[MarkTap] = []
    for number, operation in enumerate(operations, start=1):
        if not isinstance(operation, dict):
            raise ValidationError(
                _("Mark %(number)d could not be read: it must be an object.") % {"number": number}
            )
        values = {k: v for k, v in operation.items() if isinstance(v, str | int)}
        form = MarkTapForm(values)
        if not form.is_valid():
            raise ValidationError(
                _("Mark %(number)d could not be read (%(errors)s).")
                % {"number": number, "errors": _field_errors(form)}
            )
        taps.append(form.tap())
    return taps


class LearnerPhotoForm(forms.Form):
    photo = forms.ImageField(
        label=gettext_lazy("Photo"),
        help_text=gettext_lazy("A JPEG, PNG or WebP picture of the learner's face, up to 3 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "user"}),
    )
    consent = forms.BooleanField(
        label=gettext_lazy(
            "The learner agrees that this photo is shown on the trainers' attendance list."
        ),
        help_text=gettext_lazy(
            "Ask the learner first. They can withdraw this consent at any time on their "
            "person page; the photo is then no longer shown."
        ),
    )

    FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
    # The list shows a small round face: the photo is kept at most this many pixels wide.
    SIZE = 320

    def clean_photo(self) -> Any:
        photo = self.cleaned_data["photo"]
        image = getattr(photo, "image", None)
        if getattr(image, "format", None) not in self.FORMATS:
            raise ValidationError(_("Send a JPEG, PNG or WebP picture."))
        if photo.size > 3 * 1024 * 1024:
            raise ValidationError(_("The photo is larger than 3 MB."))
        return photo

    def jpeg(self) -> bytes:
        """The photo made small, turned upright and saved again as JPEG: what the camera
        wrote besides the picture (place, time, device) is not kept."""
        upload = self.cleaned_data["photo"]
        upload.seek(0)
        with Image.open(upload) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")
        image.thumbnail((self.SIZE, self.SIZE))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=85)
        return buffer.getvalue()
