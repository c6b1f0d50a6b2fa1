"""A database too busy to write just now: on SQLite, one writer at a time, and a large import
holds the lock for seconds; a write that waited ``TREMPLIN_SQLITE_BUSY_SECONDS`` gives up with
"database is locked". Pages that applicants use answer it with a page that keeps what they
typed and asks them to send it again (status 503), never a 500."""

from __future__ import annotations

from django.db import OperationalError

# Seconds after which an applicant may send the page again (the Retry-After header).
RETRY_AFTER_SECONDS = 30


def database_busy(error: BaseException) -> bool:
    """Whether ``error`` is a write that gave up waiting for another transaction's lock."""
    return isinstance(error, OperationalError) and "database is locked" in str(error)
