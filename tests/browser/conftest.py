"""Playwright driving Debian's Chromium against the live test server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the tests
# make around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is missing: the test command installs it (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical accessibility violations on the page, by axe-core."""
    page.evaluate(AXE.read_text())
    violations: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
    )
    return [v for v in violations if v["impact"] in {"serious", "critical"}]


def check_page(page: Any, name: str) -> None:
    """Screenshot at desktop and phone width, and no serious accessibility violation."""
    ARTIFACTS.mkdir(exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("360px", PHONE)):
        page.set_viewport_size(size)
        # The pointer stays where the last click left it: after a resize it may rest on a
        # button, whose hover colours are then mid-transition when axe reads them.
        page.mouse.move(0, 0)
        # A tapped button keeps the focus (and its pressed colours, mid-transition on a busy
        # machine): the page is checked at rest.
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        page.wait_for_timeout(250)
        # Colours are read once every transition has ended, however slow the machine.
        page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished))")
        page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"
        )
        if overflow:
            culprits = page.evaluate(
                """() => [...document.querySelectorAll('body *')]
                    .filter(e => { const r = e.getBoundingClientRect();
                                   return r.right > window.innerWidth + 1 || r.left < -1; })
                    .slice(-3).map(e => e.tagName + '.' + e.className + ' '
                                    + (e.textContent || '').trim().slice(0, 40))"""
            )
            raise AssertionError(f"{name} scrolls sideways at {label}: {culprits}")
        violations = axe_violations(page)
        assert not violations, f"{name} at {label}: {violations}"
    page.set_viewport_size(DESKTOP)
