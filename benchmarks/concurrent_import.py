"""A large import and the public application form at the same time.

Usage: .venv/bin/python benchmarks/concurrent_import.py [--rows 30000] [--posts 80]
           [--workers 8] [--spread 30] [--database URL ...] [--busy-seconds 20]

For each database (by default a scratch SQLite file, then PostgreSQL at
postgres://postgres@127.0.0.1:5432/tremplin_concurrent_bench, emptied first), in a process of
its own: an organisation with one French site and two open calls; an XLSX file of --rows
synthetic applicants (as benchmarks/import_applications.py makes it); --posts applicants who
have started the public form of the other call. Then the import of the file (dry_run=False:
read, check, then write it all in one transaction, as the page's second request does) runs
while --workers processes send the applicants' first step (a POST through Django's test
client, one session each), spread evenly over --spread seconds from the import's start.

Prints one row per database: the import's seconds, how many POSTs were saved (302), answered
with the "busy, your answers are kept" page (503) or failed (500 or an exception), and the
POSTs' latency (median, 95th percentile, longest). --busy-seconds sets
TREMPLIN_SQLITE_BUSY_SECONDS (how long a SQLite write waits for the import's lock).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
POSTGRES = "postgres://postgres@127.0.0.1:5432/tremplin_concurrent_bench"
ABOUT = {
    "given_names": "Sokha",
    "family_name": "Chan",
    "gender": "female",
    "birth_date": "2004-03-02",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--posts", type=int, default=80)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--spread", type=float, default=30.0)
    parser.add_argument("--busy-seconds", type=int, default=None)
    parser.add_argument("--database", nargs="*", default=None)
    parser.add_argument("--one", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print("RESULT " + json.dumps(run_one(args)))
        return
    databases = args.database if args.database is not None else ["sqlite", POSTGRES]
    results = []
    for database in databases:
        command = [
            sys.executable,
            __file__,
            "--one",
            database,
            *("--rows", str(args.rows), "--posts", str(args.posts)),
            *("--workers", str(args.workers), "--spread", str(args.spread)),
        ]
        env = dict(os.environ)
        if args.busy_seconds is not None:
            env["TREMPLIN_SQLITE_BUSY_SECONDS"] = str(args.busy_seconds)
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
        if not lines:
            print(done.stdout[-3000:], done.stderr[-3000:], file=sys.stderr)
            continue
        results.append(json.loads(lines[-1][len("RESULT ") :]))
    print(
        "\n| database | rows | import s | POSTs | saved (302) | busy page (503) | failed (500) "
        "| POST p50 ms | p95 ms | max ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['backend']} | {r['rows']:,} | {r['import_seconds']:.1f} | {r['posts']} "
            f"| {r['saved']} | {r['busy']} | {r['failed']} | {r['p50'] * 1000:.0f} "
            f"| {r['p95'] * 1000:.0f} | {r['max'] * 1000:.0f} |"
        )


def run_one(args: argparse.Namespace) -> dict[str, Any]:
    scratch = tempfile.mkdtemp(prefix="tremplin-concurrent-")
    database = args.one
    os.environ["DATABASE_URL"] = (
        f"sqlite:///{scratch}/bench.sqlite3" if database == "sqlite" else database
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    if database != "sqlite":
        _postgres_database_ensure(database)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if database != "sqlite":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)

    from benchmarks.import_applications import make_xlsx
    from tremplin.demo.loader import regions_ensure
    from tremplin.selection.files.applications import applications_import

    regions = regions_ensure({"FR"})
    imported = _open_call("bench-import")
    public = _open_call("bench-public")
    content = make_xlsx(args.rows, [r.name for r in regions.values()])
    sessions = [_started(public.slug) for _ in range(args.posts)]
    backend = connection.vendor
    if backend == "sqlite":
        backend += f" (WAL, busy {settings.DATABASES['default']['OPTIONS']['timeout']} s)"
    connections.close_all()

    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    start_at = time.time() + 2.0
    groups = [sessions[k :: args.workers] for k in range(args.workers)]
    offsets = [args.spread * i / max(1, args.posts - 1) for i in range(args.posts)]
    offset_groups = [offsets[k :: args.workers] for k in range(args.workers)]
    workers = [
        context.Process(target=_post_all, args=(public.slug, group, times, start_at, queue))
        for group, times in zip(groups, offset_groups, strict=True)
    ]
    for worker in workers:
        worker.start()
    time.sleep(max(0.0, start_at - time.time()))
    started = time.perf_counter()
    report = applications_import(
        actor=None, call=imported, file_name="applicants.xlsx", content=content, dry_run=False
    )
    import_seconds = time.perf_counter() - started
    assert not report.problems, report.problems[:3]
    assert report.created == args.rows
    outcomes: list[tuple[int, float]] = []
    for _worker in workers:
        outcomes.extend(queue.get())
    for worker in workers:
        worker.join()
    latencies = sorted(seconds for _status, seconds in outcomes)
    return {
        "backend": backend,
        "rows": args.rows,
        "import_seconds": import_seconds,
        "posts": len(outcomes),
        "saved": sum(1 for status, _s in outcomes if status == 302),
        "busy": sum(1 for status, _s in outcomes if status == 503),
        "failed": sum(1 for status, _s in outcomes if status not in (302, 503)),
        "p50": statistics.median(latencies),
        "p95": latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))],
        "max": latencies[-1],
    }


def _postgres_database_ensure(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0].replace("postgres://", "postgresql://") + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if found.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def _open_call(slug: str) -> Any:
    from tremplin.core.models import User
    from tremplin.network.models import Organisation, Programme, ProgrammeRun, Role, Site
    from tremplin.network.services import role_grant
    from tremplin.selection.models import Call
    from tremplin.selection.services.calls import call_create

    officer, _created = User.objects.get_or_create(email="officer@bench.org")
    organisation = Organisation.objects.create(name=f"Bench {slug}", slug=slug)
    site = Site.objects.create(
        organisation=organisation, name="Paris", slug="paris", city="Paris", country="FR"
    )
    programme = Programme.objects.create(
        organisation=organisation, title="Digital basics", slug="basics", duration_weeks=6
    )
    from django.utils import timezone

    today = timezone.localdate()
    run = ProgrammeRun.objects.create(
        programme=programme,
        site=site,
        title="Basics",
        starts_on=today + dt.timedelta(days=60),
        ends_on=today + dt.timedelta(days=120),
        seats=24,
    )
    role_grant(
        user=officer, role=Role.SELECTION_OFFICER, organisation_id=organisation.pk, site=site
    )
    call = call_create(
        actor=officer,
        run=run,
        slug=slug,
        title=f"Call {slug}",
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=30),
        process="passerelles",
    )
    Call.objects.filter(pk=call.pk).update(published=True)
    return Call.objects.select_related("site").get(pk=call.pk)


def _started(slug: str) -> dict[str, str]:
    """An applicant who has opened the form (a draft and its session): their cookies."""
    from django.test import Client
    from django.urls import reverse

    client = Client()
    response = client.post(reverse("selection:apply-start", kwargs={"slug": slug}))
    assert response.status_code == 302, response.status_code
    return {name: morsel.value for name, morsel in client.cookies.items()}


def _post_all(
    slug: str,
    sessions: list[dict[str, str]],
    offsets: list[float],
    start_at: float,
    queue: Any,
) -> None:
    """Send each applicant's first step at its time; put (status, seconds) on the queue."""
    from django.test import Client
    from django.urls import reverse

    url = reverse("selection:apply-step", kwargs={"slug": slug, "step": 1})
    outcomes = []
    for cookies, offset in zip(sessions, offsets, strict=True):
        time.sleep(max(0.0, start_at + offset - time.time()))
        client = Client(raise_request_exception=False)
        for name, value in cookies.items():
            client.cookies[name] = value
        began = time.perf_counter()
        try:
            status = client.post(url, ABOUT).status_code
        except Exception:
            status = 0
        outcomes.append((status, time.perf_counter() - began))
    queue.put(outcomes)


if __name__ == "__main__":
    main()
