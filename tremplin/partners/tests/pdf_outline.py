"""The titles of a WeasyPrint PDF's outline (its bookmarks: the headings, and what a page's
CSS marks with ``bookmark-level``), read without a PDF library: the tests check what a PDF
says with what WeasyPrint itself writes."""

from __future__ import annotations

import re
import zlib

STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
TITLE = re.compile(rb"/Title\s*(?:\(((?:\\.|[^\\)])*)\)|<([0-9A-Fa-f\s]*)>)")


def _literal(raw: bytes) -> str:
    text = re.sub(rb"\\([()\\])", rb"\1", raw)
    if text.startswith(b"\xfe\xff"):
        return text[2:].decode("utf-16-be", "replace")
    return text.decode("latin-1")


def _hex(raw: bytes) -> str:
    data = bytes.fromhex(raw.decode("ascii").replace(" ", "").replace("\n", ""))
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be", "replace")
    return data.decode("latin-1")


def pdf_outline(pdf: bytes) -> list[str]:
    """Every /Title of the PDF (the document's and its bookmarks'), in the file's order."""
    parts = [pdf]
    for match in STREAM.finditer(pdf):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    titles = []
    for part in parts:
        for literal, hexa in TITLE.findall(part):
            titles.append(_hex(hexa) if hexa else _literal(literal))
    return titles
