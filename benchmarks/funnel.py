"""The selection funnel at scale.

Usage: .venv/bin/python benchmarks/funnel.py [--applications 100000] [--calls 4]
           [--database postgres://postgres@127.0.0.1:5432/tremplin_funnel_bench] [--explain]

Builds a scratch database (a temporary SQLite file unless --database names another, which
is emptied), creates a few calls with Passerelles numériques' four stages at one site and
spreads N applications over them, one person each, with a PN-like funnel (all came to an
information session, ~14 % pass the written exams, ~6 % the interview, ~1.3 % the home
visit, ~1.1 % selected) and random gender, province, priority neighbourhood, age band and
channel. People and applications are inserted by one INSERT … SELECT each (generate_series
on PostgreSQL, a recursive CTE on SQLite), then the tables are analysed (and vacuumed on
PostgreSQL, so the index-only scans can be used).

Times `funnel_build` as the organisation's network admin, across all the calls and for one
call, without a dimension and with each dimension: median of 5 runs after one warm-up,
with the number of queries. Prints a table. --explain prints the plan of the GROUP BY.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DIMENSIONS = [None, "gender", "region", "priority_neighbourhood", "age_band", "channel"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=4)
    parser.add_argument("--database", default="")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="tremplin-bench-")
    os.environ["DATABASE_URL"] = args.database or f"sqlite:///{scratch}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    import datetime as dt
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if args.database:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)

    from tremplin.core.models import User
    from tremplin.demo.loader import regions_ensure
    from tremplin.network.models import Organisation, Programme, ProgrammeRun, Role, Site
    from tremplin.network.services import role_grant
    from tremplin.people.models import Person
    from tremplin.selection.funnel.build import funnel_build
    from tremplin.selection.models import Application
    from tremplin.selection.selectors import funnel_calls
    from tremplin.selection.services.calls import call_create

    regions = sorted(r.pk for r in regions_ensure({"KH"}).values())
    organisation = Organisation.objects.create(name="Bench", slug="bench")
    site = Site.objects.create(
        organisation=organisation,
        name="Bench site",
        slug="bench",
        city="Phnom Penh",
        country="KH",
        timezone="Asia/Phnom_Penh",
    )
    programme = Programme.objects.create(
        organisation=organisation,
        title="Bench programme",
        slug="bench",
        duration_weeks=104,
        target_women_share=Decimal("0.5"),
        target_priority_share=Decimal("0.3"),
    )
    admin = User.objects.create_user(email="admin@bench.org", password="x" * 12)
    role_grant(user=admin, role=Role.NETWORK_ADMIN, organisation_id=organisation.pk)
    calls = []
    for year in range(2026 - args.calls + 1, 2027):
        run = ProgrammeRun.objects.create(
            programme=programme,
            site=site,
            title=f"Bench {year}",
            starts_on=dt.date(year, 10, 1),
            ends_on=dt.date(year + 2, 9, 30),
            seats=120,
        )
        calls.append(
            call_create(
                actor=admin,
                run=run,
                slug=f"bench-{year}",
                title=f"Bench {year}",
                opens_on=dt.date(year, 1, 15),
                closes_on=dt.date(year, 8, 31),
                process="passerelles",
            )
        )

    vendor = connection.vendor
    started = time.perf_counter()
    fill(
        connection, args.applications, site.pk, [c.pk for c in calls], regions, Person, Application
    )
    filled = time.perf_counter() - started
    submitted = Application.objects.filter(status="submitted").count()
    print(
        f"\n{Application.objects.count():,} applications ({submitted:,} submitted) over "
        f"{len(calls)} calls on {vendor}, inserted and analysed in {filled:.1f} s"
    )

    if args.explain:
        queryset = (
            Application.objects.filter(
                call_id__in=[c.pk for c in calls], status__in=["submitted", "withdrawn"]
            )
            .values("call_id", "status", "stages_passed", "outcome", "region")
            .order_by()
        )
        from django.db.models import Count, Q

        queryset = queryset.annotate(
            n=Count("pk"),
            women=Count("pk", filter=Q(gender="female")),
            priority=Count("pk", filter=Q(priority_neighbourhood=True)),
        )
        options = {"analyze": True, "buffers": True} if vendor == "postgresql" else {}
        print(queryset.explain(**options))

    cases: list[tuple[str, Any, str | None]] = []
    all_calls = funnel_calls(user=admin)
    for dimension in DIMENSIONS:
        cases.append((f"{len(calls)} calls", all_calls, dimension))
    cases.append(("1 call", [calls[-1]], None))
    cases.append(("1 call", [calls[-1]], "region"))
    rows = []
    for label, chosen, dimension in cases:
        funnel_build(user=admin, calls=chosen, dimension=dimension)  # warm-up
        timings = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                funnel = funnel_build(user=admin, calls=chosen, dimension=dimension)
                timings.append(time.perf_counter() - start)
        rows.append(
            (label, dimension or "—", funnel.applied, statistics.median(timings), len(queries))
        )
    print(f"\nSelection funnel on {vendor} (median of 5 runs)\n")
    print("| calls | dimension | applications counted | seconds | queries |")
    print("|---|---|---:|---:|---:|")
    for label, dimension, applied, seconds, count in rows:
        print(f"| {label} | {dimension} | {applied:,} | {seconds:.3f} | {count} |")


def fill(
    connection: Any,
    count: int,
    site_id: int,
    call_ids: list[int],
    regions: list[int],
    person_model: Any,
    application_model: Any,
) -> None:
    """One person per application, then the applications, each by one INSERT … SELECT."""
    postgres = connection.vendor == "postgresql"

    def rand() -> str:
        # (the %% is a % once Django has put the parameters in)
        return "random()" if postgres else "((abs(random()) %% 1000000) / 1000000.0)"

    def index(expression: str) -> str:
        return f"floor({expression})::int" if postgres else f"CAST({expression} AS INTEGER)"

    def pick(values: list[Any], expression: str) -> str:
        cases = " ".join(f"WHEN {i} THEN {v}" for i, v in enumerate(values))
        return f"(CASE {index(expression + f' * {len(values)}')} {cases} END)"

    def quoted(values: list[str]) -> list[str]:
        return [f"'{v}'" for v in values]

    if postgres:
        series = (
            f"SELECT g, {rand()} AS r, {rand()} AS r2, {rand()} AS r3 "
            f"FROM generate_series(1, {count}) g"
        )
    else:
        series = (
            f"WITH RECURSIVE seq(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM seq "
            f"WHERE g < {count}) SELECT g, {rand()} AS r, {rand()} AS r2, {rand()} AS r3 FROM seq"
        )
    gender = "(CASE WHEN s.r < 0.48 THEN 'female' WHEN s.r < 0.98 THEN 'male' ELSE 'not_said' END)"
    insert_select(
        connection,
        person_model,
        {
            "site": str(site_id),
            "legal_given_names": "'Bench'",
            "legal_family_name": "'Person ' || s.g",
            "gender": gender,
            "region": pick(regions, "s.r2"),
            "priority_neighbourhood": "(s.r3 < 0.3)",
            "search_text": "'bench person ' || s.g",
            "name_key": "'bench|person ' || s.g",
        },
        f"({series}) s",
    )
    people = (
        f"SELECT p.id, p.gender, p.region_id, p.priority_neighbourhood, {rand()} AS r, "
        f"{rand()} AS r2, {rand()} AS r3, {rand()} AS r4 FROM people_person p "
        f"WHERE p.site_id = {site_id}"
    )
    # PN's funnel: everyone passed the information session; then the exams, the interview,
    # the home visit; selected and on the waiting list among those who passed them all.
    stages = (
        "(CASE WHEN s.r < 0.013 THEN 4 WHEN s.r < 0.064 THEN 3 WHEN s.r < 0.144 THEN 2 "
        "WHEN s.r < 0.98 THEN 1 ELSE 0 END)"
    )
    outcome = (
        "(CASE WHEN s.r < 0.011 THEN 'selected' WHEN s.r < 0.013 THEN 'waitlisted' "
        "WHEN s.r2 < 0.1 THEN 'in_progress' ELSE 'rejected' END)"
    )
    insert_select(
        connection,
        application_model,
        {
            "call": pick(call_ids, "s.r3"),
            "person": "s.id",
            "status": "(CASE WHEN s.r4 < 0.02 THEN 'withdrawn' ELSE 'submitted' END)",
            "source": "'import'",
            "outcome": outcome,
            "site": str(site_id),
            "stages_passed": stages,
            "gender": "s.gender",
            "region": "s.region_id",
            "priority_neighbourhood": "s.priority_neighbourhood",
            "age_band": pick(quoted(["under_18", "18_25", "18_25", "18_25", "26_30"]), "s.r4"),
            "channel": pick(
                quoted(["school", "word_of_mouth", "partner", "social_media", "poster", ""]),
                "s.r2",
            ),
            "attended_information_session": "TRUE" if postgres else "1",
        },
        f"({people}) s",
    )
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("VACUUM ANALYZE people_person")
            cursor.execute("VACUUM ANALYZE selection_application")
        else:
            cursor.execute("ANALYZE")


def insert_select(connection: Any, model: Any, expressions: dict[str, str], source: str) -> None:
    """INSERT INTO model's table SELECT … FROM source: each column from `expressions`, or
    NULL, or its default, or now for the timestamps."""
    from django.db.models import AutoField
    from django.utils import timezone

    columns, values, params = [], [], []
    now = timezone.now()
    for field in model._meta.concrete_fields:
        if isinstance(field, AutoField):
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.name in expressions:
            values.append(expressions[field.name])
            continue
        values.append("%s")
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            params.append(field.get_db_prep_save(now, connection))
        elif field.null:
            params.append(None)
        else:
            params.append(field.get_db_prep_save(field.get_default(), connection))
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM {source}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


if __name__ == "__main__":
    main()
