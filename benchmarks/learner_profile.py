"""A learner's competence profile and a cohort's heat map at network scale.

Usage: .venv/bin/python benchmarks/learner_profile.py
           [--database postgres://postgres@127.0.0.1:5432/tremplin_bench_progress]
           [--sites 20] [--years 3] [--cohorts 4] [--learners 15] [--evidence 6]

Builds a scratch database (a temporary SQLite file unless --database names another, which
is emptied): one organisation, one programme aiming at 20 DigComp competences (14 from
placement's targets, 6 from a module's), --sites sites each running --cohorts cohorts a year
for --years years, --learners learners each, and --evidence pieces of evidence per learner
and competence (trainer assessments, project evaluations, a placement re-test) on dates
through the cohort. Defaults: 3,600 learners and 432,000 pieces of evidence. The tables are
analysed (and vacuumed on PostgreSQL).

Times, median of 7 runs after one warm-up, with the number of queries: one learner's profile
(`learner_profile`), the learner's own page over HTTP, a cohort's heat map
(`cohort_heatmap`) and its page over HTTP as the site's job coach. Prints a table.
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
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--cohorts", type=int, default=4)
    parser.add_argument("--learners", type=int, default=15)
    parser.add_argument("--evidence", type=int, default=6)
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
        f"\nLearner profile and heat map on {connection.vendor}, "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()} "
        "(median of 7 runs after a warm-up)\n"
    )
    print("| what | ms | queries |\n|---|---:|---:|")
    for name, ms, queries in rows:
        print(f"| {name} | {ms:.1f} | {queries} |")


def build(args: Any) -> dict[str, Any]:
    import datetime as dt
    import random
    import secrets

    from tremplin.core.models import User
    from tremplin.core.tokens import token_hash
    from tremplin.network.models import Organisation, Programme, ProgrammeRun, Role, Site
    from tremplin.network.services import role_grant
    from tremplin.people.models import Person
    from tremplin.placement.models import Competence, ProgrammeTarget
    from tremplin.training.models import (
        Cohort,
        CompetenceEvidence,
        Enrolment,
        Module,
        ModuleCompetence,
    )

    rng = random.Random(2026)
    organisation = Organisation.objects.create(name="Bench", slug="bench")
    programme = Programme.objects.create(
        organisation=organisation, title="Digital skills", slug="digital", duration_weeks=10
    )
    competences = list(
        Competence.objects.filter(framework__code="digcomp-2.2").order_by("position")[:20]
    )
    for competence in competences[:14]:
        ProgrammeTarget.objects.create(
            programme=programme, competence=competence, level=rng.randint(2, 5)
        )
    module = Module.objects.create(
        programme=programme, title="Web pages", kind="digital", hours=40, position=1
    )
    for competence in competences[14:]:
        ModuleCompetence.objects.create(module=module, competence=competence, level=3)
    coach = User.objects.create_user(email="coach@bench.org", password="x" * 12)
    learners: list[Enrolment] = []
    cohorts: list[Cohort] = []
    for s in range(args.sites):
        site = Site.objects.create(
            organisation=organisation, name=f"Site {s}", slug=f"site-{s}", city="Lyon"
        )
        if s == 0:
            role_grant(user=coach, role=Role.JOB_COACH, organisation_id=organisation.pk, site=site)
        for year in range(args.years):
            start = dt.date(2024 + year, 1, 8)
            run = ProgrammeRun.objects.create(
                programme=programme,
                site=site,
                title=f"{site.name} {2024 + year}",
                starts_on=start,
                ends_on=start + dt.timedelta(weeks=50),
                seats=args.learners * args.cohorts,
            )
            for c in range(args.cohorts):
                begins = start + dt.timedelta(weeks=12 * c)
                cohort = Cohort.objects.create(
                    run=run,
                    title=f"Cohort {c + 1}",
                    starts_on=begins,
                    ends_on=begins + dt.timedelta(weeks=10),
                    seats=args.learners,
                )
                cohorts.append(cohort)
                people = Person.objects.bulk_create(
                    Person(
                        site=site,
                        legal_given_names=f"Learner {n}",
                        legal_family_name=f"S{s}Y{year}C{c}",
                    )
                    for n in range(args.learners)
                )
                learners += Enrolment.objects.bulk_create(
                    Enrolment(cohort=cohort, person=p, joined_on=begins) for p in people
                )
    sources = ["trainer", "trainer", "trainer", "project", "project", "placement"]
    batch: list[CompetenceEvidence] = []
    total = 0
    starts = {c.pk: c.starts_on for c in cohorts}
    for enrolment in learners:
        for competence in competences:
            for k in range(args.evidence):
                batch.append(
                    CompetenceEvidence(
                        enrolment_id=enrolment.pk,
                        competence_id=competence.pk,
                        level=min(8, 1 + k // 2 + rng.randint(0, 1)),
                        source=sources[k % len(sources)],
                        assessed_on=starts[enrolment.cohort_id] + dt.timedelta(days=10 * k),
                    )
                )
        if len(batch) >= 20_000:
            CompetenceEvidence.objects.bulk_create(batch, batch_size=5000)
            total += len(batch)
            batch = []
    CompetenceEvidence.objects.bulk_create(batch, batch_size=5000)
    total += len(batch)
    target_cohort = cohorts[args.cohorts * args.years - 1]  # site 0's latest cohort
    learner = target_cohort.enrolments.order_by("pk").first()
    assert learner is not None
    token = secrets.token_urlsafe(24)
    learner.token_hash = token_hash(token)
    learner.save(update_fields=["token_hash"])
    return {
        "coach": coach,
        "cohort": target_cohort,
        "learner": learner,
        "token": token,
        "summary": f"{len(cohorts):,} cohorts, {len(learners):,} learners, "
        f"{total:,} pieces of evidence",
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

    from tremplin.training.models import Cohort, Enrolment
    from tremplin.training.selectors.progress import cohort_heatmap, learner_profile

    coach = world["coach"]
    coach.is_demo_account = True
    coach.save()
    staff, visitor = Client(), Client()
    staff.force_login(coach)
    cohort_id, learner_id = world["cohort"].pk, world["learner"].pk

    def profile() -> object:
        enrolment = Enrolment.objects.select_related("cohort__run").get(pk=learner_id)
        return learner_profile(enrolment=enrolment)

    def heatmap() -> object:
        return cohort_heatmap(cohort=Cohort.objects.select_related("run").get(pk=cohort_id))

    def page(client: Client, url: str) -> Callable[[], object]:
        def get() -> object:
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response

        return get

    size = world["cohort"].enrolments.count()
    with override_settings(TREMPLIN_DEMO_ACCOUNTS_SKIP_MFA=True):
        cases = [
            ("one learner's profile (selector)", profile),
            (
                "the learner's own page (HTTP)",
                page(visitor, reverse("training:learner-progress", args=[world["token"]])),
            ),
            (
                "a learner's profile page, as the coach (HTTP)",
                page(staff, reverse("training:enrolment-progress", args=[learner_id])),
            ),
            (f"a cohort's heat map, {size} learners (selector)", heatmap),
            (
                f"the heat map page, {size} learners, as the coach (HTTP)",
                page(staff, reverse("training:cohort-heatmap", args=[cohort_id])),
            ),
        ]
        return [(name, *timed(run)) for name, run in cases]


if __name__ == "__main__":
    main()
