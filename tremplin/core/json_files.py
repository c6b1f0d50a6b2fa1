"""JSON files uploaded by staff, read safely, the same way by every import.

The bytes are decoded as every spreadsheet is (``spreadsheets.text_decode``: a byte order mark
for UTF-8 or UTF-16 is recognised, and UTF-16 without one). Arrays and objects nested deeper
than ``MAX_DEPTH`` are refused before the text is parsed: 200,000 levels in a few hundred
kilobytes would exhaust Python's recursion limit in the parser, and any code that walks the
result. Every problem is a ``JsonFileError`` whose message names the limit or the problem.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.utils.translation import gettext as _

from tremplin.core import spreadsheets

# No file Tremplin reads nests deeper than a handful of levels.
MAX_DEPTH = 32

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


class JsonFileError(Exception):
    """The file cannot be read as JSON; ``message`` says why, in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def json_text(content: bytes | str) -> str:
    """The text of a JSON file, its encoding recognised (see ``spreadsheets.text_decode``)."""
    try:
        return spreadsheets.text_decode(content)
    except spreadsheets.SpreadsheetFileError as error:
        raise JsonFileError(_("The file is not valid JSON: it is not text.")) from error


def json_depth(text: str) -> int:
    """How deep arrays and objects nest in ``text`` (strings set aside); 0 for a lone value."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def json_read(content: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """The value a JSON file holds. Raises ``JsonFileError`` when it is not text, nests deeper
    than ``max_depth`` (checked before parsing), or is not valid JSON."""
    text = json_text(content)
    if json_depth(text) > max_depth:
        raise JsonFileError(
            _("The file nests lists or objects more than %(max)d levels deep: it cannot be read.")
            % {"max": max_depth}
        )
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        raise JsonFileError(_("The file is not valid JSON.")) from error


def json_looks_like(content: bytes) -> bool:
    """Whether a file whose name does not say starts as JSON does: ``{`` or ``[`` first, after
    any byte order mark and spaces, in whichever encoding ``json_text`` recognises."""
    try:
        head = spreadsheets.text_decode(content[:256])
    except spreadsheets.SpreadsheetFileError:
        return False
    return head.lstrip(" \r\n\t")[:1] in ("{", "[")
