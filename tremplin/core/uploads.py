"""A checked upload kept on the server until the user confirms it.

A file is checked first (nothing written, every problem shown); when it has no problem it
waits in ``TREMPLIN_IMPORT_DIR``, readable by the app only, named by a random token kept in
the user's session with what it is for (a call, a stage, an organisation). Taking it back
needs the same session, the same token and the same context; the file is then deleted. A file
never confirmed is deleted at a later upload once a day old."""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest

KEPT_FOR_SECONDS = 24 * 3600

Context = Mapping[str, Any]  # JSON values: what the file is for


def _path(token: str) -> Path:
    return Path(settings.TREMPLIN_IMPORT_DIR) / f"{token}.upload"


def _session_key(kind: str) -> str:
    return f"upload:{kind}"


def upload_keep(
    request: HttpRequest, *, kind: str, content: bytes, file_name: str, context: Context
) -> str:
    """Keep a checked file for the confirm step; returns the token that names it."""
    directory = Path(settings.TREMPLIN_IMPORT_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    limit = time.time() - KEPT_FOR_SECONDS
    for old in directory.glob("*.upload"):
        if old.stat().st_mtime < limit:
            old.unlink(missing_ok=True)
    previous = request.session.get(_session_key(kind))
    if previous:
        _path(str(previous["token"])).unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    descriptor = os.open(_path(token), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as kept:
        kept.write(content)
    request.session[_session_key(kind)] = {
        "token": token,
        "file_name": file_name,
        "context": dict(context),
    }
    return token


def upload_take(
    request: HttpRequest, *, kind: str, token: str, context: Context
) -> tuple[str, bytes] | None:
    """The file checked in this session for this context (name, content), removed from the
    server; None when there is none, or another one."""
    kept = request.session.get(_session_key(kind))
    if (
        not kept
        or not token
        or not secrets.compare_digest(str(kept["token"]), token)
        or kept.get("context") != dict(context)
    ):
        return None
    del request.session[_session_key(kind)]
    path = _path(str(kept["token"]))
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return None
    path.unlink(missing_ok=True)
    return str(kept["file_name"]), content


def upload_context(request: HttpRequest, *, kind: str) -> dict[str, Any]:
    """What the file kept in this session is for (empty when there is none)."""
    kept = request.session.get(_session_key(kind)) or {}
    return dict(kept.get("context") or {})
