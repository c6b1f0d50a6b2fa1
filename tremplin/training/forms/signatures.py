"""Forms for signing attendance: the signature drawn on a canvas (a PNG data URL), the
learner's room code, the half-day.

The image is checked here and re-encoded: a PNG, at most ``MAX_IMAGE_BYTES`` as sent, of a
canvas's plausible size, with ink on it. Re-encoding keeps the pixels and drops anything
else a crafted file could carry.
"""

from __future__ import annotations

import base64
import binascii
import io
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from tremplin.training.models import HalfDay

DATA_URL_PREFIX = "data:image/png;base64,"
MAX_IMAGE_BYTES = 80_000  # a finger signature on a phone is 4–25 KB
MAX_SIDE = 2000
MIN_WIDTH, MIN_HEIGHT = 80, 40
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
CODE_LENGTH = 6

# applicant-facing: start (docs/languages.md)
EMPTY_SIGNATURE = _("Sign in the box with your finger before saving.")
BAD_SIGNATURE = _("The signature could not be read. Clear the box and sign again.")
BIG_SIGNATURE = _("The signature is too large. Clear the box and sign again.")
CODE_HELP = _("The 6 digits your trainer shows in the room.")
CODE_FORMAT = _("Type the 6 digits of the code.")
# applicant-facing: end


def _has_ink(image: Image.Image) -> bool:
    if "A" in image.getbands():
        return image.getchannel("A").getbbox() is not None
    return ImageOps.invert(image.convert("L")).getbbox() is not None


def signature_png(data_url: str) -> bytes:
    """The PNG a canvas sent as a data URL, checked and re-encoded; ValidationError with a
    message the learner can act on otherwise."""
    text = (data_url or "").strip()
    if not text:
        raise ValidationError(EMPTY_SIGNATURE, code="required")
    if not text.startswith(DATA_URL_PREFIX):
        raise ValidationError(BAD_SIGNATURE, code="invalid")
    encoded = text[len(DATA_URL_PREFIX) :]
    if len(encoded) > MAX_IMAGE_BYTES * 4 // 3 + 4:
        raise ValidationError(BIG_SIGNATURE, code="too_large")
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError(BAD_SIGNATURE, code="invalid") from exc
    if not raw.startswith(PNG_MAGIC):
        raise ValidationError(BAD_SIGNATURE, code="invalid")
    try:
        with Image.open(io.BytesIO(raw)) as image:
            if image.format != "PNG":
                raise ValidationError(BAD_SIGNATURE, code="invalid")
            width, height = image.size
            if width > MAX_SIDE or height > MAX_SIDE:
                raise ValidationError(BIG_SIGNATURE, code="too_large")
            if width < MIN_WIDTH or height < MIN_HEIGHT:
                raise ValidationError(BAD_SIGNATURE, code="invalid")
            image.load()
            pixels = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(BAD_SIGNATURE, code="invalid") from exc
    if not _has_ink(pixels):
        raise ValidationError(EMPTY_SIGNATURE, code="blank")
    out = io.BytesIO()
    pixels.save(out, format="PNG", optimize=True)
    return out.getvalue()


def code_parse(text: str) -> str:
    """The code as typed, in any script's digits (Arabic-Indic digits included), spaces
    dropped; ValidationError when it is not 6 digits."""
    digits = []
    for char in (text or "").strip():
        if char.isspace() or char in "-.":
            continue
        value = unicodedata.digit(char, None)
        if value is None:
            raise ValidationError(CODE_FORMAT, code="invalid")
        digits.append(str(value))
    if len(digits) != CODE_LENGTH:
        raise ValidationError(CODE_FORMAT, code="invalid")
    return "".join(digits)


class SignatureField(forms.CharField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs: object) -> None:
        super().__init__(required=False, strip=True, **kwargs)  # type: ignore[arg-type]

    def clean(self, value: object) -> bytes:
        return signature_png(str(value or ""))


class TrainerSignatureForm(forms.Form):
    """A learner signs on the trainer's phone: who, for which half-day, and the drawing."""

    enrolment = forms.TypedChoiceField(coerce=int, widget=forms.HiddenInput)
    half_day = forms.ChoiceField(choices=HalfDay.choices, widget=forms.HiddenInput)
    image = SignatureField(label=_("Signature"))

    def __init__(self, *args: object, learners: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["enrolment"].choices = learners  # type: ignore[attr-defined]


class LearnerSignatureForm(forms.Form):
    """A learner signs on their own phone: the room code and the drawing."""

    # applicant-facing: start (docs/languages.md)
    code = forms.CharField(
        label=_("Code shown in the room"),
        help_text=CODE_HELP,
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "class": "fs-2"}
        ),
    )
    image = SignatureField(label=_("Your signature"))
    # applicant-facing: end

    def clean_code(self) -> str:
        return code_parse(self.cleaned_data.get("code", ""))
