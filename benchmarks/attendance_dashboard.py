"""The attendance dashboard and a learner's attendance profile over 2,000,000 marks.

Usage: .venv/bin/python benchmarks/attendance_dashboard.py \
           [--server postgres://postgres@127.0.0.1:5432] [--marks 2000000] [--runs 5]

Creates a throwaway PostgreSQL database (``tremplin_bench_attendance``, dropped first and
at the end unless --keep), migrates it, and builds a network of 20 sites over 3 years:
8 cohorts of 12 learners a year at each site, each cohort about 350 half-day sessions over
7 modules, one mark per learner and session (about 82 % present, 6 % late, 9 % absent, 3 %
excused). Sessions and marks are written by ``generate_series`` in SQL. Then times, warm,
median of --runs: the dashboard selector for the network admin (whole network, all time and
the last 12 months), for one site's manager, the whole dashboard page as an HTTP request,
one cohort's rates, and one learner's profile. Prints a table: what, median ms, queries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

NAME = "tremplin_bench_attendance"
SITES, YEARS, COHORTS_A_YEAR, LEARNERS, MODULES = 20, 3, 8, 12, 7


def _admin_sql(server: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def _time(run: Callable[[], Any], runs: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run()  # warm: caches, the user's roles
    times = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            run()
            times.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
    return statistics.median(times), queries


def _ok(response: Any) -> Any:
    if response.status_code != 200:
        raise SystemExit(f"the dashboard answered {response.status_code}")
    return response


def build(*, marks: int) -> dict[str, Any]:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.db import connection

    from tremplin.core.models import User
    from tremplin.network.models import Organisation, Programme, ProgrammeRun, Role, Site
    from tremplin.network.services import role_grant
    from tremplin.people.models import Person
    from tremplin.training.models import Cohort, Enrolment, Module, ModuleKind

    organisation = Organisation.objects.create(name="Bench network", slug="bench")
    programme = Programme.objects.create(
        organisation=organisation, title="Web", slug="web", duration_weeks=40
    )
    modules = Module.objects.bulk_create(
        Module(
            programme=programme, title=f"Module {n}", kind=ModuleKind.DIGITAL, hours=50, position=n
        )
        for n in range(1, MODULES + 1)
    )
    sessions_each = max(1, round(marks / (SITES * YEARS * COHORTS_A_YEAR * LEARNERS)))
    today = dt.datetime.now(dt.UTC).date()
    first = today.replace(day=1) - dt.timedelta(days=365 * YEARS)
    sites = Site.objects.bulk_create(
        Site(
            organisation=organisation,
            name=f"Site {n:02d}",
            slug=f"site-{n:02d}",
            city="Lyon",
            country="FR",
        )
        for n in range(1, SITES + 1)
    )
    runs = ProgrammeRun.objects.bulk_create(
        ProgrammeRun(
            programme=programme,
            site=site,
            title=f"{site.name} {year}",
            starts_on=first + dt.timedelta(days=365 * year),
            ends_on=first + dt.timedelta(days=365 * (year + 1) + 200),
            seats=200,
        )
        for site in sites
        for year in range(YEARS)
    )
    cohorts = Cohort.objects.bulk_create(
        Cohort(
            run=run,
            title=f"Group {k + 1}",
            seats=LEARNERS,
            starts_on=run.starts_on + dt.timedelta(days=45 * k),
            ends_on=run.starts_on + dt.timedelta(days=45 * k + 260),
        )
        for run in runs
        for k in range(COHORTS_A_YEAR)
    )
    people = Person.objects.bulk_create(
        Person(
            site_id=cohort.run.site_id,
            legal_given_names=f"Learner {n}",
            legal_family_name=f"Cohort {cohort.pk}",
        )
        for cohort in cohorts
        for n in range(LEARNERS)
    )
    Enrolment.objects.bulk_create(
        Enrolment(
            cohort=cohorts[i // LEARNERS], person=person, joined_on=cohorts[i // LEARNERS].starts_on
        )
        for i, person in enumerate(people)
    )
    tally_fill = import_module("tremplin.training.migrations.0002_sheets_signatures").FILL
    module_ids = "ARRAY[" + ",".join(str(m.pk) for m in modules) + "]"
    with connection.cursor() as cursor:
        # Weekday half-days: session n on the (n // 2)-th weekday, morning or afternoon.
        cursor.execute(
            f"""
            INSERT INTO training_session (cohort_id, module_id, title, starts_at, ends_at,
                                          video_link, created_at, updated_at)
            SELECT c.id, ({module_ids})[1 + (n * {MODULES}) / {sessions_each}], '',
                   t.start, t.start + interval '3 hours 30 minutes', '', now(), now()
            FROM training_cohort c
            CROSS JOIN generate_series(0, {sessions_each - 1}) AS n
            CROSS JOIN LATERAL (
                SELECT (c.starts_on + ((n / 2) / 5 * 7 + (n / 2) % 5) * interval '1 day'
                        + CASE WHEN n % 2 = 0 THEN interval '8 hours'
                               ELSE interval '12 hours 30 minutes' END)::timestamptz AS start
            ) t
            """
        )
        # The tallies' trigger, off for the bulk load; the tallies are then counted once.
        cursor.execute("ALTER TABLE training_mark DISABLE TRIGGER training_mark_tally")
        cursor.execute(
            """
            INSERT INTO training_mark (session_id, enrolment_id, status, recorded_at)
            SELECT s.id, e.id,
                   CASE WHEN r < 0.82 THEN 'present' WHEN r < 0.88 THEN 'late'
                        WHEN r < 0.97 THEN 'absent' ELSE 'excused' END,
                   s.starts_at
            FROM training_session s
            JOIN training_enrolment e ON e.cohort_id = s.cohort_id
            CROSS JOIN LATERAL (SELECT random() + 0 * e.id AS r) x
            """
        )
        cursor.execute(tally_fill)
        cursor.execute("ALTER TABLE training_mark ENABLE TRIGGER training_mark_tally")
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM training_mark")
        (count,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM training_session")
        (session_count,) = cursor.fetchone()
    admin = User.objects.create_user(email="admin@bench.org", password="x" * 14)
    TOTP.activate(admin, generate_totp_secret())  # staff pages ask for two-step sign-in
    role_grant(user=admin, role=Role.NETWORK_ADMIN, organisation_id=organisation.pk, site=None)
    manager = User.objects.create_user(email="manager@bench.org", password="x" * 14)
    role_grant(user=manager, role=Role.SITE_MANAGER, organisation_id=organisation.pk, site=sites[0])
    return {
        "marks": count,
        "sessions": session_count,
        "learners": len(people),
        "admin": admin,
        "manager": manager,
        "cohort": cohorts[len(cohorts) // 2],
        "enrolment": Enrolment.objects.filter(cohort=cohorts[len(cohorts) // 2]).first(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--marks", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    args = parser.parse_args()
    _admin_sql(args.server, f"DROP DATABASE IF EXISTS {NAME}")
    _admin_sql(args.server, f"CREATE DATABASE {NAME}")
    os.environ["DATABASE_URL"] = f"{args.server}/{NAME}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client
    from django.urls import reverse

    settings.ALLOWED_HOSTS = ["*"]
    try:
        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        data = build(marks=args.marks)
        built = time.perf_counter() - start
        print(
            f"built {data['marks']:,} marks, {data['sessions']:,} sessions, "
            f"{data['learners']:,} learners at {SITES} sites in {built:.0f} s"
        )
        from tremplin.training.selectors import rates

        admin, manager = data["admin"], data["manager"]
        year_ago = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=365)
        client = Client()
        client.force_login(admin)
        url = reverse("training:attendance-dashboard")
        cases: list[tuple[str, Callable[[], Any]]] = [
            (
                "dashboard selector, network admin, 20 sites, all 3 years",
                lambda: rates.dashboard_rates(user=admin, filters=rates.Filters()),
            ),
            (
                "dashboard selector, network admin, last 12 months",
                lambda: rates.dashboard_rates(user=admin, filters=rates.Filters(since=year_ago)),
            ),
            (
                "dashboard selector, one site's manager, all 3 years",
                lambda: rates.dashboard_rates(user=manager, filters=rates.Filters()),
            ),
            (
                "dashboard page (whole HTTP request), network admin, all time",
                lambda: _ok(client.get(url, {"period": "all"})),
            ),
            (
                "one cohort's rates (the cohort page's include)",
                lambda: rates.cohort_rates(cohort=data["cohort"]),
            ),
            (
                "one learner's attendance profile",
                lambda: rates.learner_profile(enrolment=data["enrolment"]),
            ),
        ]
        print(f"\n| what | median ms ({args.runs} runs) | queries |\n|---|---:|---:|")
        for label, run in cases:
            ms, queries = _time(run, args.runs)
            print(f"| {label} | {ms:.1f} | {queries} |")
    finally:
        connections.close_all()
        if not args.keep:
            _admin_sql(args.server, f"DROP DATABASE IF EXISTS {NAME}")


if __name__ == "__main__":
    main()
