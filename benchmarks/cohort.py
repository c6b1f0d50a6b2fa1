"""The cohort optimiser at scale, against the straightforward model and a greedy fill.

Usage: .venv/bin/python benchmarks/cohort.py [--quick] [--direct-limit 300] [--seed 2026]
           [--instances 200] [--compare-limit 60] [--skip-large] [--verbose]
           [--explained-only] [--explain-all]

No database. Synthetic applicants from a seeded ``random.Random``: scores ~ gauss(60, 12)
rounded to 2 decimals, 42 % women, 40 provinces with skewed weights (1/(i+1)**0.7), a
priority neighbourhood (~30 % "yes"), and 1–3 of 3 sites in order of preference (how many
and which: uniform). Rules: at least 50 % women, at most 12 (10,452 applicants) or 60
(100,000) per province (``max_count_each``), seats per site (40/39/39; 400 each); the
"+ priority" instances add at least 30 % from a priority neighbourhood (same applicants).

For each instance: `solve(problem, explain=False)` timed 7 times (perf_counter around the whole
call, problem already built, no warm-up), median and max, with its objective, bound, gap and
number of solver runs (`.solves`: the rounds of the aggregated model, not the two small
problems that count the seats that can be filled and seat the chosen); `solve_per_applicant`
(one binary per applicant and site) once with --direct-limit seconds; `solve_greedy` 3 times
(median). Then `solve(problem, explain=True)` against explain=False on the instances
without the priority floor (all four with --explain-all; --explained-only: that table
alone). Then a greedy-quality table over --instances random
instances (200–5,000 applicants, log-uniform; 10–150 seats; a random combination of a women
floor, province caps, a priority floor and sites), where `solve` is also checked against
`solve_per_applicant` on every instance of at most 2,000 applicants that the latter finishes
within --compare-limit seconds.

--quick: no straightforward model on 100,000 applicants, 30 random instances (< 2 minutes).
--skip-large: only the random instances; --verbose: one line per random instance.
--explained-only [--explain-all]: only the explained runs (a minute).
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from tremplin.selection.cohort.baselines import solve_greedy, solve_per_applicant  # noqa: E402
from tremplin.selection.cohort.milp import Status  # noqa: E402
from tremplin.selection.cohort.problem import (  # noqa: E402
    Applicant,
    Problem,
    Rule,
    RuleKind,
    Solution,
)
from tremplin.selection.cohort.solving import solve  # noqa: E402

PROVINCES = 40
SITES = ("S1", "S2", "S3")
WOMEN = 0.42
PRIORITY = 0.3


@dataclass(frozen=True)
class Instance:
    label: str
    problem: Problem


def applicants_make(
    rng: random.Random,
    count: int,
    *,
    women: float = WOMEN,
    sites: tuple[str, ...] = SITES,
    provinces: int = PROVINCES,
) -> list[Applicant]:
    names = [f"P{i:02d}" for i in range(provinces)]
    weights = [1 / (i + 1) ** 0.7 for i in range(provinces)]
    chosen = rng.choices(names, weights=weights, k=count)
    applicants = []
    for i in range(count):
        own: tuple[str, ...] = ()
        if sites:
            own = tuple(rng.sample(sites, rng.randint(1, len(sites))))
        applicants.append(
            Applicant(
                id=f"a{i:06d}",
                score=round(rng.gauss(60, 12), 2),
                sites=own,
                attributes={
                    "gender": "F" if rng.random() < women else "M",
                    "province": chosen[i],
                    "priority": "yes" if rng.random() < PRIORITY else "no",
                },
            )
        )
    return applicants


def large_instances(seed: int) -> list[Instance]:
    instances = []
    for k, (count, site_seats, cap) in enumerate(
        [(10_452, {"S1": 40, "S2": 39, "S3": 39}, 12), (100_000, dict.fromkeys(SITES, 400), 60)]
    ):
        applicants = applicants_make(random.Random(seed * 1000 + k), count)
        rules = [
            Rule("gender", RuleKind.MIN_SHARE, 0.5, "F"),
            Rule("province", RuleKind.MAX_COUNT_EACH, cap),
        ]
        seats = sum(site_seats.values())
        base = f"≥ 50 % women, ≤ {cap} per province, 3 sites"
        instances.append(Instance(base, Problem(seats, applicants, rules, site_seats)))
        more = [*rules, Rule("priority", RuleKind.MIN_SHARE, 0.3, "yes")]
        instances.append(
            Instance(base + ", ≥ 30 % priority", Problem(seats, applicants, more, site_seats))
        )
    return instances


def random_instance(seed: int) -> tuple[Problem, str]:
    """Mixed sizes and a random combination of rules; the text names what was drawn."""
    rng = random.Random(seed)
    count = round(math.exp(rng.uniform(math.log(200), math.log(5000))))
    seats = rng.randint(10, min(150, count // 3))
    use_sites = rng.random() < 0.5
    sites = SITES[: rng.randint(2, 3)] if use_sites else ()
    women = rng.uniform(0.35, 0.5)
    applicants = applicants_make(rng, count, women=women, sites=sites)
    rules: list[Rule] = []
    drawn = []
    if rng.random() < 0.7:
        floor = round(rng.uniform(0.4, 0.5), 2)
        rules.append(Rule("gender", RuleKind.MIN_SHARE, floor, "F"))
        drawn.append("women")
    if rng.random() < 0.6:
        cap = rng.randint(max(1, math.ceil(seats / 20)), max(2, math.ceil(seats / 5)))
        rules.append(Rule("province", RuleKind.MAX_COUNT_EACH, cap))
        drawn.append("provinces")
    if rng.random() < 0.4:
        rules.append(Rule("priority", RuleKind.MIN_SHARE, round(rng.uniform(0.25, 0.35), 2), "yes"))
        drawn.append("priority")
    site_seats: dict[str, int] = {}
    if sites:
        cuts = sorted(rng.sample(range(1, seats), len(sites) - 1))
        bounds = [0, *cuts, seats]
        site_seats = {site: bounds[i + 1] - bounds[i] for i, site in enumerate(sites)}
        drawn.append(f"{len(sites)} sites")
    return Problem(seats, applicants, rules, site_seats), "+".join(drawn) or "none"


def timed(call: Callable[[], Solution]) -> tuple[float, Solution]:
    started = time.perf_counter()
    solution = call()
    return time.perf_counter() - started, solution


def broken(solution: Solution) -> list[str]:
    return [c.label for c in solution.checks if not c.kept]


def number(value: float, digits: int = 2) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    return f"{value:,.{digits}f}"


def large(args: argparse.Namespace) -> None:
    instances = large_instances(args.seed)
    ours: dict[int, Solution] = {}
    print("\nOur optimiser: solve(problem, explain=False), 7 runs, no warm-up\n")
    print(
        "| applicants | seats | rules | median s | max s | status | objective | bound | gap "
        "| solver runs |"
    )
    print("|---:|---:|---|---:|---:|---|---:|---:|---:|---:|")
    for k, instance in enumerate(instances):
        problem = instance.problem
        runs = [timed(lambda: solve(problem, explain=False)) for _ in range(7)]
        times = [seconds for seconds, _solution in runs]
        solution = runs[-1][1]
        ours[k] = solution
        assert all(c.kept for c in solution.checks), broken(solution)
        print(
            f"| {len(problem.applicants):,} | {problem.seats:,} | {instance.label} "
            f"| {statistics.median(times):.3f} | {max(times):.3f} | {solution.status} "
            f"| {number(solution.objective)} | {number(solution.bound)} "
            f"| {number(solution.gap, 6)} | {solution.solves} |"
        )
        sys.stdout.flush()

    print(
        f"\nStraightforward model: solve_per_applicant, one run, time limit "
        f"{args.direct_limit:g} s\n"
    )
    print(
        "| applicants | seats | rules | binaries | seconds | status | objective | bound "
        "| gap (points) | gap % | objective minus ours |"
    )
    print("|---:|---:|---|---:|---:|---|---:|---:|---:|---:|---:|")
    for k, instance in enumerate(instances):
        problem = instance.problem
        binaries = sum(len(a.sites) or len(SITES) for a in problem.applicants)
        if args.quick and len(problem.applicants) > 20_000:
            print(
                f"| {len(problem.applicants):,} | {problem.seats:,} | {instance.label} "
                f"| {binaries:,} | (skipped: --quick) | | | | | | |"
            )
            continue
        seconds, direct = timed(lambda: solve_per_applicant(problem, time_limit=args.direct_limit))
        gap = direct.bound - direct.objective
        relative = 100 * gap / abs(direct.objective) if direct.objective else float("nan")
        # (rounded to 6 decimals: no "-0.00" for a difference of a few ulps)
        difference = round(direct.objective - ours[k].objective, 6) + 0.0
        # Our optimum is feasible for the straightforward model: never above its bound.
        if direct.status in (Status.OPTIMAL, Status.TIME_LIMIT) and math.isfinite(direct.bound):
            assert ours[k].objective <= direct.bound + 1e-6, (ours[k].objective, direct.bound)
        print(
            f"| {len(problem.applicants):,} | {problem.seats:,} | {instance.label} "
            f"| {binaries:,} | {seconds:.1f} | {direct.status} | {number(direct.objective)} "
            f"| {number(direct.bound)} | {number(gap)} | {number(relative, 4)} "
            f"| {number(difference, 6)} |"
        )
        sys.stdout.flush()

    print("\nGreedy (by score, each at the first site with a seat left), median of 3\n")
    print(
        "| applicants | seats | rules | median s | rules broken | score lost vs ours "
        "(when every rule kept) |"
    )
    print("|---:|---:|---|---:|---|---:|")
    for k, instance in enumerate(instances):
        problem = instance.problem
        runs = [timed(lambda: solve_greedy(problem)) for _ in range(3)]
        greedy = runs[-1][1]
        labels = broken(greedy)
        if labels:
            shown = f"{len(labels)}: " + "; ".join(labels[:3]) + (" …" if len(labels) > 3 else "")
            lost = "—"
        else:
            shown = "none"
            loss = ours[k].objective - greedy.objective
            lost = f"{loss:,.2f} ({100 * loss / ours[k].objective:.3f} %)"
        median = statistics.median(seconds for seconds, _solution in runs)
        print(
            f"| {len(problem.applicants):,} | {problem.seats:,} | {instance.label} "
            f"| {median:.3f} | {shown} | {lost} |"
        )
        sys.stdout.flush()

    explained(instances, ours, args.explain_all)


def explained(instances: list[Instance], ours: dict[int, Solution], every: bool) -> None:
    """``solve(problem, explain=True)`` against ``explain=False``: 3 runs each, interleaved,
    median wall clock and median CPU time of the process (steadier on a shared machine); the
    explanations' share is the difference. Without --explain-all, the instances without the
    priority floor (their relaxation is whole)."""
    print(
        "\nExplained: solve(problem, explain=True) against explain=False, 3 runs each "
        "(wall clock; CPU time of the process in brackets)\n"
    )
    print(
        "| applicants | rules | solve s | solve + explanations s | explanations s "
        "| explanations ÷ solve | solver runs (solve / with explanations) | same cohort |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---|")
    for k, instance in enumerate(instances):
        if not every and "priority" in instance.label:
            continue
        problem = instance.problem
        plain: list[tuple[float, float]] = []
        full: list[tuple[float, float]] = []
        solution = ours[k]
        for _run in range(3):
            plain.append(clocked(lambda: solve(problem, explain=False))[:2])
            wall, cpu, solution = clocked(lambda: solve(problem, explain=True))
            full.append((wall, cpu))
        wall_plain = statistics.median(w for w, _c in plain)
        cpu_plain = statistics.median(c for _w, c in plain)
        wall_full = statistics.median(w for w, _c in full)
        cpu_full = statistics.median(c for _w, c in full)
        same = solution.assignment == ours[k].assignment and len(solution.choices) == len(
            problem.applicants
        )
        print(
            f"| {len(problem.applicants):,} | {instance.label} "
            f"| {wall_plain:.3f} ({cpu_plain:.3f}) | {wall_full:.3f} ({cpu_full:.3f}) "
            f"| {wall_full - wall_plain:.3f} ({cpu_full - cpu_plain:.3f}) "
            f"| {(cpu_full - cpu_plain) / cpu_plain:.2f} | {ours[k].solves} / {solution.solves} "
            f"| {'yes' if same else 'NO'} |"
        )
        sys.stdout.flush()


def clocked(call: Callable[[], Solution]) -> tuple[float, float, Solution]:
    """Wall clock and the process's CPU time of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    solution = call()
    return time.perf_counter() - wall, time.process_time() - cpu, solution


def quality(args: argparse.Namespace) -> None:
    count = 30 if args.quick else args.instances
    stats: dict[str, Any] = {
        "infeasible": 0,
        "breaks": 0,
        "loses": 0,
        "exact": 0,
        "losses": [],
        "compared": 0,
        "matched": 0,
        "unfinished": 0,
        "eligible": 0,
    }
    problems: list[str] = []
    sizes = []
    ours_times = []
    slowest: tuple[float, int, str, float | None] = (-1.0, 0, "", None)
    pairs: list[tuple[float, float]] = []  # (ours, straightforward) on the compared instances
    started = time.perf_counter()
    for i in range(count):
        seed = args.seed * 100_000 + i
        problem, drawn = random_instance(seed)
        sizes.append(len(problem.applicants))
        seconds, ours = timed(lambda: solve(problem, explain=False))
        ours_times.append(seconds)
        greedy = solve_greedy(problem)
        if ours.status != Status.OPTIMAL:
            stats["infeasible"] += 1
        elif broken(greedy):
            stats["breaks"] += 1
        elif greedy.objective < ours.objective - 1e-6:
            stats["loses"] += 1
            stats["losses"].append(100 * (ours.objective - greedy.objective) / ours.objective)
        else:
            stats["exact"] += 1
            if greedy.objective > ours.objective + 1e-6:
                problems.append(
                    f"seed {seed}: greedy keeps every rule with {greedy.objective} "
                    f"> ours {ours.objective}"
                )
        if ours.status == Status.OPTIMAL and broken(ours):
            problems.append(f"seed {seed}: our cohort breaks {broken(ours)}")
        if len(problem.applicants) <= 2000:
            stats["eligible"] += 1
            direct_seconds, direct = timed(
                lambda: solve_per_applicant(problem, time_limit=args.compare_limit)
            )
            if direct.status == Status.TIME_LIMIT:
                stats["unfinished"] += 1
            else:
                stats["compared"] += 1
                pairs.append((seconds, direct_seconds))
                same = direct.status == ours.status and (
                    direct.status != Status.OPTIMAL
                    or abs(direct.objective - ours.objective) <= 1e-6
                )
                if same:
                    stats["matched"] += 1
                else:
                    problems.append(
                        f"seed {seed} ({len(problem.applicants)} applicants, {drawn}): ours "
                        f"{ours.status} {ours.objective!r}, straightforward {direct.status} "
                        f"{direct.objective!r}"
                    )
        if seconds > slowest[0]:
            described = f"{len(problem.applicants):,} applicants, {problem.seats} seats, {drawn}"
            direct_time = direct_seconds if len(problem.applicants) <= 2000 else None
            slowest = (seconds, seed, described, direct_time)
        if args.verbose:
            print(
                f"  seed {seed}: {len(problem.applicants)} applicants, {problem.seats} seats, "
                f"{drawn}: ours {ours.status} {seconds:.3f} s, greedy broke "
                f"{len(broken(greedy))}"
            )
    elapsed = time.perf_counter() - started
    feasible = count - stats["infeasible"]
    losses = stats["losses"]
    print(
        f"\nGreedy against the optimum: {count} random instances (seeds {args.seed * 100_000}"
        f"–{args.seed * 100_000 + count - 1}), {min(sizes):,}–{max(sizes):,} applicants "
        f"(median {statistics.median(sizes):,.0f}); {elapsed:.0f} s in all\n"
    )

    def share(value: int) -> str:
        return f"{value} ({100 * value / feasible:.1f} %)" if feasible else str(value)

    print("| what | value |")
    print("|---|---:|")
    print(f"| instances | {count} |")
    print(f"| no cohort keeps every rule (left out below) | {stats['infeasible']} |")
    print(f"| greedy breaks at least one rule | {share(stats['breaks'])} |")
    print(f"| greedy keeps every rule but loses score | {share(stats['loses'])} |")
    print(f"| greedy keeps every rule and reaches the optimum | {share(stats['exact'])} |")
    if losses:
        print(
            f"| score lost when every rule kept, mean / max (% of optimum) "
            f"| {statistics.mean(losses):.3f} / {max(losses):.3f} |"
        )
    else:
        print("| score lost when every rule kept, mean / max (% of optimum) | — |")
    print(
        f"| instances of ≤ 2,000 applicants / straightforward model unfinished in "
        f"{args.compare_limit:g} s | {stats['eligible']} / {stats['unfinished']} |"
    )
    print(
        f"| compared with the straightforward model / same status and objective "
        f"| {stats['compared']} / {stats['matched']} |"
    )
    print(
        f"| solve(explain=False) seconds, median / max | {statistics.median(ours_times):.3f} / "
        f"{max(ours_times):.3f} |"
    )
    seconds, seed, described, direct_time = slowest
    other = f"; straightforward model {direct_time:.3f} s" if direct_time is not None else ""
    print(f"| slowest for solve: seed {seed} ({described}) | {seconds:.3f} s{other} |")
    if pairs:
        ours_median = statistics.median(o for o, _d in pairs)
        direct_median = statistics.median(d for _o, d in pairs)
        faster = sum(1 for o, d in pairs if d < o)
        print(
            f"| compared instances: median seconds solve / straightforward model "
            f"| {ours_median:.3f} / {direct_median:.3f} |"
        )
        print(
            f"| compared instances where the straightforward model was faster "
            f"| {faster} of {len(pairs)} |"
        )
    if problems:
        print("\nDIFFERENCES (bugs):")
        for line in problems:
            print(f"  {line}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--direct-limit", type=float, default=300.0)
    parser.add_argument("--compare-limit", type=float, default=60.0)
    parser.add_argument("--instances", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--explained-only", action="store_true")
    parser.add_argument("--explain-all", action="store_true")
    args = parser.parse_args()
    if args.explained_only:
        instances = large_instances(args.seed)
        explained(
            instances,
            {k: solve(i.problem, explain=False) for k, i in enumerate(instances)},
            args.explain_all,
        )
        return
    if not args.skip_large:
        large(args)
    quality(args)


if __name__ == "__main__":
    main()
