"""Khmer is drawn with a font Tremplin serves itself, on a phone and in PDFs."""

from __future__ import annotations

import re
import zlib

from django.contrib.staticfiles import finders
from django.test import Client

from tremplin.core.pdf import html_to_pdf

KHMER = "សួស្តី សុខា"  # "Hello Sokha"


def _font_urls() -> list[str]:
    css = finders.find("core/fonts.css")
    assert isinstance(css, str)
    with open(css, encoding="utf-8") as file:
        return re.findall(r'url\("\.\./([^"]+)"\)', file.read())


def test_the_khmer_font_files_are_served_by_the_site() -> None:
    urls = _font_urls()
    assert any(u.endswith("khmer-400-normal.woff2") for u in urls)
    client = Client()
    for url in urls:
        response = client.get(f"/static/{url}")
        assert response.status_code == 200, url
        content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        assert content[:4] in {b"wOF2", b"wOFF"}, url


def _pdf_text(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated (font names may sit inside them)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"".join(parts)


def test_khmer_in_a_pdf_is_drawn_with_the_local_khmer_font() -> None:
    html = (
        '<!doctype html><html lang="km"><head><meta charset="utf-8">'
        '<link rel="stylesheet" href="/static/core/fonts.css"></head>'
        "<body style=\"font-family: 'DejaVu Sans', 'Noto Sans Khmer'\">"
        f"<p>{KHMER}</p></body></html>"
    )
    pdf = html_to_pdf(html, base_url="http://testserver/")
    assert pdf.startswith(b"%PDF")
    assert b"+Noto-Sans-Khmer" in _pdf_text(pdf)  # the embedded subset of the font
