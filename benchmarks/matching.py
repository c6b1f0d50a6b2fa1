"""Matching a cohort to offers: 1,200 learners × 400 offers with places, competences,
languages and location rules, proven optimal (target: under 2 s).

Usage: .venv/bin/python benchmarks/matching.py [--learners 1200] [--offers 400] [--seeds 5]

Pure computation (partners/fit.py and partners/matching.py, no database): random learners
at 40 cities of 10 regions of 2 countries, with the latest levels of 12 competences (1–8),
one to three languages (CEFR), wishes for 0 to 5 offers; offers with 1 to 5 places (about
as many places as learners), 0 to 4 competences asked, a language asked for half of them,
a city, one in ten remote, one in four an apprenticeship. Times, median over the seeds: the
fit table (every pair), the optimiser (an exact weighted bipartite matching), and the total;
with the learners placed, and the proof: HiGHS solves the same problem by column generation
(dual bound - objective < 1 in hundredths of a point, timed apart) and must find the same
optimum. Prints a table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

LEVELS = ["A1", "A2", "B1", "B2", "C1", "C2", "native"]
LANGUAGES = ["fr", "en", "ar", "km", "vi"]


def instance(seed: int, learners: int, offers: int) -> tuple[list, list]:
    import random

    from tremplin.partners import fit

    rng = random.Random(seed)
    cities = [(f"City {c}", c % 10 + 1, "FR" if c < 30 else "BE") for c in range(40)]
    needs = []
    for o in range(offers):
        city, region, country = rng.choice(cities)
        needs.append(
            fit.OfferNeeds(
                key=o + 1,
                competences={
                    c: rng.randint(2, 6) for c in rng.sample(range(12), rng.randint(0, 4))
                },
                languages={rng.choice(LANGUAGES[:2]): rng.choice(LEVELS[1:4])}
                if rng.random() < 0.5
                else {},
                city=city,
                region=region,
                country=country,
                remote=rng.random() < 0.1,
                starts_on=dt.date(2027, rng.randint(5, 9), 1),
                during_training=rng.random() < 0.25,
            )
        )
    facts = []
    for n in range(learners):
        city, region, country = rng.choice(cities)
        spoken = {"fr": rng.choice(LEVELS[2:])}
        for language in rng.sample(LANGUAGES[1:], rng.randint(0, 2)):
            spoken[language] = rng.choice(LEVELS)
        wished = rng.sample(range(1, offers + 1), rng.randint(0, 5))
        facts.append(
            fit.LearnerFacts(
                key=n + 1,
                levels={c: rng.randint(1, 8) for c in range(12) if rng.random() < 0.8},
                languages=spoken,
                city=city,
                region=region,
                country=country,
                training_ends_on=dt.date(2027, 6, 30),
                wishes={offer: rank for rank, offer in enumerate(wished, start=1)},
            )
        )
    return facts, needs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=1200)
    parser.add_argument("--offers", type=int, default=400)
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    import random

    import numpy as np

    from tremplin.partners import fit, matching

    print(
        f"Matching {args.learners:,} learners to {args.offers:,} offers, "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}\n"
    )
    print(
        "| seed | places | fit table ms | optimiser ms | total ms | placed | total fit | "
        "HiGHS proof ms | same optimum, proven |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    totals = []
    for seed in range(args.seeds):
        facts, needs = instance(seed, args.learners, args.offers)
        places = [random.Random(seed * 7 + o).randint(1, 5) for o in range(args.offers)]
        start = time.perf_counter()
        table = fit.fit_table(facts, needs)
        middle = time.perf_counter()
        result = matching.assign(table.total, ~table.excluded, np.asarray(places))
        end = time.perf_counter()
        totals.append((end - start) * 1000)
        # The certificate: HiGHS solves the same problem and bounds it (not part of the time).
        certified = matching.assign_certified(table.total, ~table.excluded, np.asarray(places))
        proof_ms = (time.perf_counter() - end) * 1000
        same = certified.proven_optimal and certified.objective == result.objective
        print(
            f"| {seed} | {sum(places):,} | {(middle - start) * 1000:.0f} | "
            f"{(end - middle) * 1000:.0f} | {(end - start) * 1000:.0f} | {result.placed:,} | "
            f"{result.total_fit:,.2f} | {proof_ms:.0f} | {'yes' if same else 'NO'} |"
        )
    print(f"\nmedian total: {statistics.median(totals):.0f} ms, worst {max(totals):.0f} ms")


if __name__ == "__main__":
    main()
