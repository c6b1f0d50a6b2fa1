"""Item 15b: the pages an applicant or learner sees are light enough for a 2G phone.

Bytes, not time: each page is rendered with the test client, and what a first visit
downloads (its HTML and every static file it references, stylesheets' own url()s included)
is summed gzip-compressed, as WhiteNoise serves it. A later page only adds its HTML and the
files the first one did not bring. The targets: under 60 KB on a first visit, under 10 KB for
each later page. benchmarks/pages.py measures the same pages in Chromium on a throttled link.
"""

from __future__ import annotations

import gzip
import re
from pathlib import PurePosixPath

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from conftest import World
from tests.authorization.records import public_call, public_key, token_north
from tremplin.core.registry import registry

FIRST_VISIT = 60_000
LATER_PAGE = 10_000

_ASSET = re.compile(r"""<(?:link[^>]*\brel="stylesheet"[^>]*\bhref|script[^>]*\bsrc)="([^"]+)\"""")
_CSS_URL = re.compile(r"""url\(\s*["']?(?!data:)([^"')]+)["']?\s*\)""")


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def _static(url: str) -> bytes:
    name = url.split("?")[0].lstrip("/").removeprefix(settings.STATIC_URL.lstrip("/"))
    path = finders.find(name)
    assert path, f"{url} is not a static file"
    with open(str(path), "rb") as handle:
        return handle.read()


def _assets(html: str) -> dict[str, int]:
    """Every static file the page references, with its gzip size: stylesheets, scripts and
    the files a stylesheet itself points to (fonts, pictures)."""
    sizes: dict[str, int] = {}
    for url in _ASSET.findall(html):
        data = _static(url)
        sizes[url] = _gz(data)
        if url.split("?")[0].endswith(".css"):
            for ref in _CSS_URL.findall(data.decode("utf-8")):
                target = str(PurePosixPath(url).parent / ref.split("#")[0].split("?")[0])
                sizes[target] = _gz(_static(target))
    return sizes


def _pages(client: Client, world: World, language: str = "fr") -> list[tuple[str, str, str]]:
    """(url name, path, html) of each light page in this language, in a visitor's order."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    call = public_call(world)["slug"]
    start = reverse("selection:apply-start", kwargs={"slug": call})
    first = client.get(start)
    step = client.post(start, follow=True)
    register = reverse("outreach:public-register", kwargs=public_key(world))
    token = token_north(world)
    take = reverse("placement:take", kwargs=token)
    client.post(reverse("placement:take-language", kwargs=token), {"language": language})
    pages = [("selection:apply-start", start, first)]
    pages.append(("selection:apply-step", step.request["PATH_INFO"], step))
    pages.append(("outreach:public-register", register, client.get(register)))
    pages.append(("placement:take", take, client.get(take)))
    for name, path, response in pages:
        assert response.status_code == 200, path
        assert response.resolver_match.view_name == name
        used = {t.name for t in response.templates if t.name and not t.name.startswith("django/")}
        registered = set(registry.light_pages[name].templates) | {
            "base.html",
            "core/forms/form.html",
            "core/forms/field.html",
        }
        assert used <= registered, f"{name} renders {used - registered}: register them"
    return [(name, path, response.content.decode()) for name, path, response in pages]


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_applicant_pages_fit_a_2g_budget(world: World, client: Client, language: str) -> None:
    pages = _pages(client, world, language)
    for name, _path, html in pages:
        assets = _assets(html)
        first_visit = _gz(html.encode()) + sum(assets.values())
        assert first_visit < FIRST_VISIT, f"{name}: {first_visit} bytes on a first visit {assets}"
    # A later page, its stylesheets cached: its HTML and any file of its own (test.js).
    cached = set(_assets(pages[0][2]))
    for name, _path, html in pages[1:]:
        own = sum(size for url, size in _assets(html).items() if url not in cached)
        assert _gz(html.encode()) + own < LATER_PAGE, f"{name}: {own} new bytes, and its HTML"


def test_applicant_pages_load_no_script_they_do_not_use(world: World, client: Client) -> None:
    for name, _path, html in _pages(client, world):
        assert "htmx.min.js" not in html, name
        assert "bootstrap.bundle" not in html, name
        assert "core/light/bootstrap" in html, name
        assert "bootstrap-icons" not in html, name


def test_staff_pages_keep_all_of_bootstrap_and_the_icons(world: World, client: Client) -> None:
    client.force_login(world.users["officer_a1"])
    html = client.get(reverse("selection:call-list")).content.decode()
    assert "vendor/bootstrap/css/bootstrap.min.css" in html
    assert "vendor/bootstrap/js/bootstrap.bundle.min.js" in html
    assert "core/icons.css" in html


def test_the_built_light_assets_are_up_to_date() -> None:
    """Every icon a template or the code uses is in icons.css, and the trimmed Bootstrap has
    every class the light pages use: a new one fails here until
    `tremplin build_light_assets` is run again."""
    call_command("build_light_assets", check=True)


def test_every_icon_named_in_code_is_drawn() -> None:
    """The menu's icons and the public form's step icons are names in Python, not in a
    template: each has its rule in icons.css."""
    from tremplin.selection.forms import STEPS

    css = (settings.BASE_DIR / "tremplin/core/static/core/icons.css").read_text()
    names = {item.icon for item in registry.nav} | {step[3] for step in STEPS}
    assert names
    assert {name for name in names if f".bi-{name}{{" not in css} == set()
