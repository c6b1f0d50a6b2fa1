"""The learners ranked by fit for one offer, over 5,000 learners (target: under 300 ms).

Usage: .venv/bin/python benchmarks/offer_ranking.py
           [--database postgres://postgres@127.0.0.1:5432/tremplin_bench_ranking]
           [--learners 5000] [--evidence 3]

Builds a scratch database (a temporary SQLite file unless --database names another, which
is emptied): one organisation with one site, 5,000 learners in 25 cohorts, each with
--evidence pieces of evidence for each of 12 DigComp competences, two languages, a city,
and wishes for 0 to 3 of 50 open offers. The offer ranked asks for 4 competences and a
language. Times, median of 7 runs after one warm-up, with the number of queries: the
selector (`offer_ranking`: read, fit, sort) and the page over HTTP as the site's job coach
(the first page of the ranking with its explanations). Prints a table.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="")
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--evidence", type=int, default=3)
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="tremplin-bench-")
    os.environ["DATABASE_URL"] = args.database or f"sqlite:///{scratch}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    if args.database:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    built = time.perf_counter()
    world = build(args)
    print(f"Built in {time.perf_counter() - built:.0f} s: {world['summary']}")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    rows = measure(world)
    print(
        f"\nOffer ranking on {connection.vendor}, {platform.machine()}, {os.cpu_count()} "
        f"cores, Python {platform.python_version()} (median of 7 runs after a warm-up)\n"
    )
    print("| what | ms | queries |\n|---|---:|---:|")
    for name, ms, queries in rows:
        print(f"| {name} | {ms:.1f} | {queries} |")


def build(args: Any) -> dict[str, Any]:
    import datetime as dt
    import random

    from tremplin.core.models import User
    from tremplin.network.models import Organisation, Programme, ProgrammeRun, Role, Site
    from tremplin.network.services import role_grant
    from tremplin.partners.models import (
        Offer,
        OfferCompetence,
        OfferInterest,
        OfferLanguage,
        Partner,
    )
    from tremplin.people.models import Person, PersonLanguage
    from tremplin.placement.models import Competence
    from tremplin.training.models import Cohort, CompetenceEvidence, Enrolment

    rng = random.Random(2026)
    organisation = Organisation.objects.create(name="Bench", slug="bench")
    site = Site.objects.create(organisation=organisation, name="Lyon", slug="lyon", city="Lyon")
    programme = Programme.objects.create(
        organisation=organisation, title="Digital skills", slug="digital", duration_weeks=30
    )
    coach = User.objects.create_user(email="coach@bench.org", password="x" * 12)
    role_grant(user=coach, role=Role.JOB_COACH, organisation_id=organisation.pk, site=site)
    competences = list(
        Competence.objects.filter(framework__code="digcomp-2.2").order_by("position")[:12]
    )
    partner = Partner.objects.create(organisation=organisation, name="Fibre", kind="company")
    offers = [
        Offer.objects.create(
            partner=partner, kind="internship", title=f"Offer {o}", city="Lyon", places=3
        )
        for o in range(50)
    ]
    offer = offers[0]
    for competence in competences[:4]:
        OfferCompetence.objects.create(offer=offer, competence=competence, level=4)
    OfferLanguage.objects.create(offer=offer, language="en", level="B1")
    cities = ["Lyon", "Villeurbanne", "Grenoble", "Paris"]
    per_cohort = args.learners // 25
    learners: list[Enrolment] = []
    for c in range(25):
        start = dt.date(2026, 1, 5) + dt.timedelta(weeks=2 * c)
        run = ProgrammeRun.objects.create(
            programme=programme,
            site=site,
            title=f"Run {c}",
            starts_on=start,
            ends_on=start + dt.timedelta(weeks=30),
            seats=per_cohort,
        )
        cohort = Cohort.objects.create(
            run=run, title=f"Cohort {c}", starts_on=start, ends_on=run.ends_on, seats=per_cohort
        )
        people = Person.objects.bulk_create(
            Person(
                site=site,
                legal_given_names=f"Learner {n}",
                legal_family_name=f"C{c}",
                city=rng.choice(cities),
            )
            for n in range(per_cohort)
        )
        PersonLanguage.objects.bulk_create(
            PersonLanguage(person=p, language=lang, level=rng.choice(["A2", "B1", "B2", "C1"]))
            for p in people
            for lang in ("fr", "en")
        )
        learners += Enrolment.objects.bulk_create(
            Enrolment(cohort=cohort, person=p, joined_on=start) for p in people
        )
    evidence = [
        CompetenceEvidence(
            enrolment_id=e.pk,
            competence_id=competence.pk,
            level=rng.randint(1, 8),
            source="trainer",
            assessed_on=dt.date(2026, 3, 1) + dt.timedelta(days=20 * k),
        )
        for e in learners
        for competence in competences
        for k in range(args.evidence)
    ]
    CompetenceEvidence.objects.bulk_create(evidence, batch_size=5000)
    OfferInterest.objects.bulk_create(
        OfferInterest(enrolment=e, offer=o, rank=rank)
        for e in learners
        for rank, o in enumerate(rng.sample(offers, rng.randint(0, 3)), start=1)
    )
    return {
        "coach": coach,
        "offer": offer,
        "summary": f"{len(learners):,} learners, {len(evidence):,} pieces of evidence",
    }


def timed(run: Callable[[], object]) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run()
    timings = []
    queries = 0
    for _ in range(7):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            run()
            timings.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
    return statistics.median(timings), queries


def measure(world: dict[str, Any]) -> list[tuple[str, float, int]]:
    from django.test import Client, override_settings
    from django.urls import reverse

    from tremplin.partners.selectors.matching import offer_ranking

    coach = world["coach"]
    coach.is_demo_account = True
    coach.save()
    staff = Client()
    staff.force_login(coach)
    offer = world["offer"]
    url = reverse("partners:offer-ranking", args=[offer.pk])

    def selector() -> object:
        return offer_ranking(user=coach, offer=offer)

    def page() -> object:
        response = staff.get(url)
        assert response.status_code == 200, response.status_code
        return response

    if os.environ.get("PROFILE"):
        import cProfile
        import pstats

        from django.db import connection, reset_queries
        from django.test.utils import CaptureQueriesContext

        selector()
        with CaptureQueriesContext(connection) as captured:
            profiler = cProfile.Profile()
            profiler.runcall(selector)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        for query in captured.captured_queries:
            print(query["time"], query["sql"][:300])
        reset_queries()
    with override_settings(TREMPLIN_DEMO_ACCOUNTS_SKIP_MFA=True):
        return [
            ("the ranking of 5,000 learners (selector)", *timed(selector)),
            ("the ranking page, first page, as the coach (HTTP)", *timed(page)),
        ]


if __name__ == "__main__":
    main()
