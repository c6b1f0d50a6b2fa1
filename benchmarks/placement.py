"""The adaptive placement test: test length, precision and band accuracy against fixed
32-item tests on a simulated 300-item 2PL bank, and the time to choose the next item and
update θ with a 1,000-item bank.

Usage: .venv/bin/python benchmarks/placement.py [--people 3000] [--seeds 2026 2027 2028]
No database.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import numpy as np

from tremplin.placement import adaptive
from tremplin.placement.adaptive import Rules
from tremplin.placement.simulation import outcome_table, simulate, simulated_bank


def per_answer(size: int, repeats: int = 2000) -> tuple[float, float]:
    """Median and 99th percentile (ms) of one step: stop check, EAP, next item."""
    bank = simulated_bank(size=size, seed=1)
    rng = np.random.default_rng(2)
    rules = Rules()
    times = []
    for k in range(repeats):
        answered = k % 20
        items = rng.choice(size, answered, replace=False).tolist()
        answers = rng.integers(0, 2, answered).tolist()
        start = time.perf_counter()
        adaptive.finished(rules, bank, items, answers, left=size - answered)
        current = adaptive.estimate(bank, items, answers)
        adaptive.next_item(bank, items, current, rules, rng)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), float(np.percentile(times, 99))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[2026, 2027, 2028])
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print("\nTime per answer (stop check + EAP + next item), 2,000 steps\n")
    print("| bank size | median ms | 99th percentile ms |\n|---:|---:|---:|")
    for size in (300, 1000, 5000):
        median, p99 = per_answer(size)
        print(f"| {size:,} | {median:.3f} | {p99:.3f} |")
    variants = {
        "SE < 0.3 or 20 items (no borderline hold)": Rules(hold_borderline=0.0),
        "default: SE < 0.3 and band ≥ 80 % sure, or 20 items": Rules(),
        "default + stop once the band is 97 % sure (after 6)": Rules(certain=0.97),
    }
    for seed in args.seeds:
        bank = simulated_bank(size=300, seed=seed)
        for label, rules in variants.items():
            outcomes = simulate(bank, people=args.people, seed=seed + 1, rules=rules)
            print(f"\n300-item bank, seed {seed}, {args.people:,} simulees; adaptive: {label}\n")
            print(outcome_table(outcomes))


if __name__ == "__main__":
    main()
