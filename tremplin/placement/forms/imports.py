"""The file form the item and framework imports share: the file, and the organisation it is for."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.functional import Promise

from tremplin.network.models import Organisation


class OrganisationFileForm(forms.Form):
    """A file for one of the user's organisations, asked for only when they have several.
    Subclasses give the ``organisation`` and ``file`` fields, the size limit and its message."""

    max_bytes: int
    too_big: str | Promise

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations.count() > 1:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        else:
            del self.fields["organisation"]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise ValidationError(str(self.too_big))
        return upload
