"""Calibrating the item bank from collected answers, as the "Calibration" page runs it in the
background: the 2PL fit (mirt), item fit, and the Mantel–Haenszel check between two language
groups. Simulated adaptive tests (the default rule) on a 173-item bank, as many items as the
shipped one; each test answers 12 to 20 of them.

Usage: .venv/bin/python benchmarks/calibration.py [--tests 500 2000 5000]
No database.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from pathlib import Path
from typing import Any

import django
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

from tremplin.placement import adaptive  # noqa: E402
from tremplin.placement.calibration import (  # noqa: E402
    CollectedResponses,
    calibration_compute,
)
from tremplin.placement.simulation import run_adaptive, simulated_bank  # noqa: E402

ITEMS = 173


def collected(tests: int, seed: int) -> tuple[CollectedResponses, Any, Any]:
    bank = simulated_bank(size=ITEMS, seed=seed)
    rng = np.random.default_rng(seed + 1)
    matrix = np.full((tests, ITEMS), np.nan)
    languages = []
    for i in range(tests):
        items, answers, _estimate = run_adaptive(bank, rng.normal(), adaptive.Rules(), rng)
        matrix[i, items] = answers
        languages.append("ar" if i % 2 else "fr")
    return (
        CollectedResponses(
            people=[str(i) for i in range(tests)],
            items=[f"Q{j:03d}" for j in range(ITEMS)],
            matrix=matrix,
            languages=languages,
            item_ids=list(range(1, ITEMS + 1)),
        ),
        bank.b,
        bank.a,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tests", type=int, nargs="+", default=[500, 2000, 5000])
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(
        "\n| finished tests | answers | items with ≥ 30 answers (estimated) | flagged (kept "
        "as they were) | seconds | b: correlation with the truth, unflagged | b: median "
        "error | a: median relative error | peak memory MB |"
        "\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    for tests in args.tests:
        data, b_true, a_true = collected(tests, args.seed)
        started = time.perf_counter()
        outcome = calibration_compute(data)
        seconds = time.perf_counter() - started
        rows = [row for row in outcome.items if row["b"] is not None]
        good = [row for row in rows if not row.get("flags")]
        truth = np.asarray([b_true[int(row["code"][1:])] for row in good])
        found = np.asarray([row["b"] for row in good])
        a_truth = np.asarray([a_true[int(row["code"][1:])] for row in good])
        a_found = np.asarray([row["a"] for row in good])
        correlation = float(np.corrcoef(truth, found)[0, 1])
        answers = int((~np.isnan(data.matrix)).sum())
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"| {tests:,} | {answers:,} | {len(rows)} | {len(rows) - len(good)} | {seconds:.2f} "
            f"| {correlation:.3f} | {float(np.median(np.abs(found - truth))):.3f} "
            f"| {float(np.median(np.abs(a_found / a_truth - 1))):.2f} | {peak:.0f} |"
        )


if __name__ == "__main__":
    main()
