"""Person search and the person list at scale.

Usage: .venv/bin/python benchmarks/person_search.py [--people 10000 100000] [--database URL]

Builds a scratch database (a temporary SQLite file unless --database names another, which
is emptied), fills it with synthetic people at one site, and times, as a site manager:
a name search, an accent-insensitive search, a phone search, and the first page of the
person list. Prints a table: people, what, median ms over 5 runs, queries.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--database", default="")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="tremplin-bench-")
    os.environ["DATABASE_URL"] = args.database or f"sqlite:///{scratch}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    if args.database:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)

    from tremplin.core.models import User
    from tremplin.demo.population import PopulationMaker
    from tremplin.network.models import Organisation, Role, Site
    from tremplin.network.services import role_grant
    from tremplin.people.models import Person
    from tremplin.people.selectors import person_search

    organisation = Organisation.objects.create(name="Bench", slug="bench")
    site = Site.objects.create(
        organisation=organisation, name="Bench site", slug="bench", city="Paris", country="FR"
    )
    manager = User.objects.create_user(email="manager@bench.org", password="x" * 12)
    role_grant(user=manager, role=Role.SITE_MANAGER, organisation_id=organisation.pk, site=site)
    maker = PopulationMaker(7)
    import datetime as dt

    rows: list[tuple[int, str, float, int]] = []
    total = 0
    for target in sorted(args.people):
        batch = []
        while total + len(batch) < target:
            made = maker.person(
                country="FR",
                city="Paris",
                age_range=(18, 40),
                women_share=0.5,
                migrant_share=0.6,
                reference=dt.date(2026, 11, 1),
            )
            person = Person(
                site=site,
                legal_given_names=made.given,
                legal_family_name=made.family,
                gender=made.gender,
                birth_date=made.birth_date,
                phone=made.phone,
                email=made.email,
            )
            person.refresh_derived()
            batch.append(person)
        Person.objects.bulk_create(batch, batch_size=2000)
        total = target
        probe = Person.objects.order_by("pk")[target // 2]
        phone = str(probe.phone.national_number)[-6:]
        client = Client()
        client.force_login(manager)
        from django.test import override_settings

        cases = {
            "search by family name": lambda: list(
                person_search(user=manager, query=probe.legal_family_name)[:25]
            ),
            "search, accents dropped": lambda: list(
                person_search(user=manager, query="traore aminata")[:25]
            ),
            "search by phone digits": lambda: list(person_search(user=manager, query=phone)[:25]),
            "person list page 1 (HTTP)": lambda: client.get("/people/"),
            "person list search (HTTP)": lambda: client.get("/people/", {"q": "diallo"}),
        }
        with override_settings(TREMPLIN_DEMO_ACCOUNTS_SKIP_MFA=True):
            manager.is_demo_account = True
            manager.save()
            for name, run in cases.items():
                timings = []
                for _ in range(5):
                    with CaptureQueriesContext(connection) as queries:
                        start = time.perf_counter()
                        run()
                        timings.append((time.perf_counter() - start) * 1000)
                rows.append((target, name, statistics.median(timings), len(queries)))
    vendor = connection.vendor
    print(f"\nPerson search on {vendor} (median of 5 runs)\n")
    print("| people | what | ms | queries |\n|---:|---|---:|---:|")
    for people, name, ms, queries in rows:
        print(f"| {people:,} | {name} | {ms:.1f} | {queries} |")


if __name__ == "__main__":
    main()
