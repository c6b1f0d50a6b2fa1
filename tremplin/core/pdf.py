"""HTML to PDF with WeasyPrint, reading the site's own static files from disk.

A page's stylesheets and fonts (``{% static %}`` URLs, such as the Khmer font of
``core/fonts.css``) are read through Django's static files finders, never fetched over the
network: the PDF is the same behind a proxy, offline and in the tests.
"""

from __future__ import annotations

import mimetypes
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders


def _static_path(url: str) -> str | None:
    path = unquote(urlsplit(url).path)
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    if not path.startswith(prefix):
        return None
    found = finders.find(path[len(prefix) :])
    return str(found) if isinstance(found, str) else None


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    """The PDF of ``html``; its static URLs are read from disk, other URLs are refused."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            local = _static_path(url)
            if local is None:
                raise ValueError(f"Only the site's static files are read: {url}")
            with open(local, "rb") as file:
                content = file.read()
            kind = mimetypes.guess_type(local)[0] or "application/octet-stream"
            return URLFetcherResponse(url, content, {"Content-Type": kind})

    fonts = FontConfiguration()
    document = HTML(string=html, base_url=base_url, url_fetcher=StaticFilesFetcher())
    return document.write_pdf(font_config=fonts)  # type: ignore[no-any-return]
