"""A question's own picture and recordings, served to those who may have them (anyone for a
live question: the person taking the test is not signed in)."""

from __future__ import annotations

import re

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe

from tremplin.core.models import User
from tremplin.placement.selectors import items as selectors

_BYTE_RANGE = re.compile(r"^bytes=([0-9]{0,18})-([0-9]{0,18})$")


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
    name, content_type, live = selectors.item_file(user=user, item_id=item_id, part=part)
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
