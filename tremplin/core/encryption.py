"""Encryption at rest for sensitive fields and uploaded files.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) from the `cryptography`
package. ``TREMPLIN_ENCRYPTION_KEYS`` lists keys, newest first: the first encrypts, every
key decrypts. Rotating keys: put a new key first, run ``tremplin rotate-encryption-keys``,
then remove the old key. See docs/decisions/0003-encryption-at-rest.md.

Uploaded files that are sensitive (identity papers, residence permits) live in an
``EncryptedFileField``: their bytes on disk are a Fernet token, written with
``encrypted_file_save`` and read back with ``encrypted_file_read``; the rotation command
re-encrypts them too, and encrypts any file stored before files were encrypted.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile

MASK = "••••••"


@lru_cache(maxsize=8)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("TREMPLIN_ENCRYPTION_KEYS must hold at least one key.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "Each key in TREMPLIN_ENCRYPTION_KEYS must be 32 url-safe base64-encoded bytes "
            "(make one with: tremplin generate-encryption-key)."
        ) from exc


def fernet() -> MultiFernet:
    return _fernet_for(tuple(settings.TREMPLIN_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A sensitive value cannot be decrypted with TREMPLIN_ENCRYPTION_KEYS: "
            "a key that was in use has been removed."
        ) from exc


def encrypt_bytes(value: bytes) -> bytes:
    return fernet().encrypt(value)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return fernet().decrypt(token)
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted file cannot be decrypted with TREMPLIN_ENCRYPTION_KEYS: "
            "a key that was in use has been removed."
        ) from exc


# Every Fernet token starts with its version byte 0x80, "gA" in url-safe base64; a PDF, JPEG
# or PNG never does. A file without it was stored before files were encrypted.
_FERNET_START = b"gAAAAA"


def _is_encrypted(stored: bytes) -> bool:
    return stored.startswith(_FERNET_START)


class EncryptedFileField(models.FileField):
    """A file whose bytes are encrypted on disk: save with `encrypted_file_save`, read with
    `encrypted_file_read`, never through `.open()` alone."""

    description = "File encrypted at rest"
    is_sensitive = True


def encrypted_file_save(field_file: FieldFile, name: str, content: bytes) -> None:
    """Store `content` encrypted under a name made by the field's `upload_to`."""
    field_file.save(name, ContentFile(encrypt_bytes(content)), save=False)


def encrypted_file_read(field_file: FieldFile) -> bytes:
    """The original bytes of an encrypted file (a file stored in clear before encryption was
    added is returned as it is, until `rotate_keys` encrypts it)."""
    with field_file.open("rb") as stored:
        data: bytes = stored.read()
    return decrypt_bytes(data) if _is_encrypted(data) else data


def _file_rewrite(field_file: FieldFile) -> bool:
    if not field_file.name:
        return False
    with field_file.open("rb") as stored:
        data: bytes = stored.read()
    token = fernet().rotate(data) if _is_encrypted(data) else encrypt_bytes(data)
    with field_file.storage.open(field_file.name, "wb") as target:
        target.write(token)
    return True


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text stored encrypted. It cannot be filtered on, only read and written."""

    description = "Text encrypted at rest"
    is_sensitive = True

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in {"isnull", "exact"}:
            return None
        return super().get_lookup(lookup_name)


def encrypted_fields() -> Iterator[tuple[type[models.Model], list[str]]]:
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if names:
            yield model, names


def encrypted_file_fields() -> Iterator[tuple[type[models.Model], list[str]]]:
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedFileField)]
        if names:
            yield model, names


def rotate_keys(*, batch_size: int = 500) -> dict[str, int]:
    """Re-encrypt every sensitive value with the first key. Returns rows per model."""
    counts: dict[str, int] = {}
    for model, names in encrypted_fields():
        rewritten = 0
        queryset = model._default_manager.all().order_by("pk").values_list("pk", *names)
        with transaction.atomic():
            for row in queryset.iterator(chunk_size=batch_size):
                pk, values = row[0], row[1:]
                changes = {n: v for n, v in zip(names, values, strict=True) if v}
                if changes:
                    model._default_manager.filter(pk=pk).update(**changes)
                    rewritten += 1
        counts[model._meta.label] = rewritten
    for model, names in encrypted_file_fields():
        rewritten = 0
        for row in model._default_manager.all().order_by("pk").iterator(chunk_size=batch_size):
            for name in names:
                field_file = getattr(row, name)
                if field_file and field_file.storage.exists(field_file.name):
                    rewritten += _file_rewrite(field_file)
        counts[f"{model._meta.label} (files)"] = rewritten
    return counts
