"""The pages an applicant sees, loaded in Chromium on a throttled 2G link.

Usage: .venv/bin/python benchmarks/pages.py [--down-kbps 250] [--up-kbps 50] [--rtt-ms 300]
           [--screenshots DIR]

Builds a scratch SQLite database with the demo network (`tremplin demo`), collects the static
files as production does (hashed names, gzip and brotli copies: WhiteNoise's
CompressedManifestStaticFilesStorage) and serves them with the app from a thread on
127.0.0.1. Chromium (the system one: never `playwright install`) loads each public page with
the connection throttled through the DevTools protocol (Network.emulateNetworkConditions):

- first visit: a new browser context, so an empty cache;
- later page: the same context after the call's front page, so the shared files are cached.

Prints a table: the page, the bytes transferred (compressed, headers included, as counted by
Chromium), the number of requests, and the times from the start of the navigation until
DOMContentLoaded and until the form's first field or button can be used. With --screenshots,
also saves each page at 360 px wide in French and Arabic (right to left).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# What can be used first on each page: the form's first visible field or button.
USABLE = "main form :is(input:not([type=hidden]), button, select, textarea)"


# The Cache-Control and Content-Encoding headers the static files came with.
STATIC_HEADERS: set[str] = set()


@dataclass
class Measure:
    page: str
    visit: str
    bytes: int
    requests: int
    dom_ready_ms: float
    usable_ms: float


def _prepare(scratch: Path) -> dict[str, str]:
    """Load the demo into a scratch database, collect the static files; the paths to measure."""
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/pages.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    override_settings(
        STATIC_ROOT=scratch / "static",
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
        ALLOWED_HOSTS=["127.0.0.1"],
    ).enable()
    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0, stdout=io.StringIO())
    call_command("collectstatic", verbosity=0, interactive=False)

    from django.urls import reverse
    from django.utils import timezone

    from tremplin.core.models import User
    from tremplin.outreach.models import InformationSession
    from tremplin.people.models import Person
    from tremplin.placement.services import attempts
    from tremplin.selection.models import Call

    today = timezone.localdate()
    call = Call.objects.filter(published=True, opens_on__lte=today, closes_on__gte=today).first()
    session = (
        InformationSession.objects.filter(starts_at__gt=timezone.now())
        .exclude(public_key="")
        .order_by("starts_at")
        .first()
    )
    assert call is not None, "the demo has an open call"
    assert session is not None, "the demo has an information session to come"
    person = Person.objects.filter(site__organisation=call.site.organisation).first()
    assert person is not None
    started = attempts.attempt_start(
        actor=User.objects.filter(is_superuser=True).first(),  # type: ignore[arg-type]
        person=person,
        programme=call.run.programme,
    )
    return {
        "start": reverse("selection:apply-start", kwargs={"slug": call.slug}),
        "register": reverse("outreach:public-register", kwargs={"key": session.public_key}),
        "take": reverse("placement:take", kwargs={"token": started.token}),
    }


def _serve() -> tuple[Any, str]:
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet, allow_reuse_address=True)
    server.set_app(get_wsgi_application())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


class Meter:
    """Counts what Chromium fetches for one page, through the DevTools protocol."""

    def __init__(self, page: Any, *, down_kbps: int, up_kbps: int, rtt_ms: int) -> None:
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": rtt_ms,
                "downloadThroughput": down_kbps * 1000 / 8,
                "uploadThroughput": up_kbps * 1000 / 8,
            },
        )
        self.bytes = 0
        self.requests = 0
        self.ids: set[str] = set()
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.requestServedFromCache", self._cached)
        self.cdp.on("Network.responseReceived", self._received)

    def _sent(self, event: dict[str, Any]) -> None:
        if not event["request"]["url"].startswith("data:"):  # the icons inside a stylesheet
            self.requests += 1
            self.ids.add(event["requestId"])

    def _cached(self, event: dict[str, Any]) -> None:
        if event["requestId"] in self.ids:  # counted only when it goes over the network
            self.requests -= 1
            self.ids.discard(event["requestId"])

    def _received(self, event: dict[str, Any]) -> None:
        response = event["response"]
        if "/static/" in response["url"]:
            headers = {k.lower(): v for k, v in response["headers"].items()}
            STATIC_HEADERS.add(
                f"{headers.get('cache-control', '-')}; {headers.get('content-encoding', '-')}"
            )

    def _finished(self, event: dict[str, Any]) -> None:
        self.bytes += int(event.get("encodedDataLength", 0))

    def reset(self) -> None:
        self.bytes = 0
        self.requests = 0
        self.ids.clear()


def _load(page: Any, meter: Meter, name: str, visit: str, action: Any) -> Measure:
    meter.reset()
    started = time.perf_counter()
    action()
    page.wait_for_selector(USABLE, state="visible")
    usable = (time.perf_counter() - started) * 1000
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)  # late events of the last responses
    timing = page.evaluate(
        "() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
    )
    return Measure(name, visit, meter.bytes, meter.requests, float(timing), usable)


def measure(base: str, paths: dict[str, str], args: argparse.Namespace) -> list[Measure]:
    from playwright.sync_api import sync_playwright

    throttle = {"down_kbps": args.down_kbps, "up_kbps": args.up_kbps, "rtt_ms": args.rtt_ms}
    results: list[Measure] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        view = {"viewport": {"width": 360, "height": 740}, "locale": "fr-FR"}
        for name in ("start", "register", "take"):
            context = browser.new_context(**view)
            page = context.new_page()
            meter = Meter(page, **throttle)
            url = base + paths[name]
            results.append(_load(page, meter, name, "first", lambda u=url: page.goto(u)))
            context.close()
        # A later page: the form's first step after its front page, then the session page.
        context = browser.new_context(**view)
        page = context.new_page()
        meter = Meter(page, **throttle)
        page.goto(base + paths["start"])
        page.wait_for_load_state("networkidle")  # the icon font, on the old pages, comes late

        def start_form() -> None:
            with page.expect_navigation():
                page.locator("main form button[type=submit]").first.click()

        results.append(_load(page, meter, "step 1", "later", start_form))
        url = base + paths["register"]
        results.append(_load(page, meter, "register", "later", lambda: page.goto(url)))
        context.close()
        if args.screenshots:
            _screenshots(browser, base, paths, Path(args.screenshots))
        browser.close()
    return results


def _screenshots(browser: Any, base: str, paths: dict[str, str], folder: Path) -> None:
    from django.conf import settings

    folder.mkdir(parents=True, exist_ok=True)
    cookie = settings.LANGUAGE_COOKIE_NAME
    for language in ("fr", "ar"):
        context = browser.new_context(viewport={"width": 360, "height": 740})
        context.add_cookies([{"name": cookie, "value": language, "url": base}])
        page = context.new_page()
        for name in ("start", "register", "take"):
            page.goto(base + paths[name])
            page.screenshot(path=str(folder / f"{name}-{language}.png"), full_page=True)
        page.goto(base + paths["start"])
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state("load")
        page.screenshot(path=str(folder / f"step-{language}.png"), full_page=True)
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--down-kbps", type=int, default=250)
    parser.add_argument("--up-kbps", type=int, default=50)
    parser.add_argument("--rtt-ms", type=int, default=300)
    parser.add_argument("--screenshots", default="")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="tremplin-pages-"))
    try:
        paths = _prepare(scratch)
        server, base = _serve()
        try:
            results = measure(base, paths, args)
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(
        f"2G: {args.down_kbps} kbit/s down, {args.up_kbps} kbit/s up, {args.rtt_ms} ms round trip"
    )
    print(f"{'page':<10} {'visit':<6} {'KB':>7} {'requests':>8} {'DOM ready':>10} {'usable':>8}")
    for m in results:
        print(
            f"{m.page:<10} {m.visit:<6} {m.bytes / 1000:>7.1f} {m.requests:>8} "
            f"{m.dom_ready_ms / 1000:>9.2f}s {m.usable_ms / 1000:>7.2f}s"
        )
    print("Static files served with:", " | ".join(sorted(STATIC_HEADERS)))


if __name__ == "__main__":
    main()
