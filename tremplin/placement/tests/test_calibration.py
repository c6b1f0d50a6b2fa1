"""`tremplin calibrate` and `tremplin simulate-placement`: parameters recovered from simulated
answers, misfits flagged, and every problem in a file named while the rest is estimated."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tremplin.placement.calibration import (
    ResponseFileError,
    calibrate,
    read_responses_text,
)

ITEMS = 24
PEOPLE = 900


def simulated_file(tmp_path: Path, *, extra_rows: list[list[str]] = ()) -> tuple[Path, np.ndarray]:
    rng = np.random.default_rng(7)
    a = rng.lognormal(0.4, 0.3, ITEMS)
    b = rng.normal(0, 1, ITEMS)
    theta = rng.normal(size=PEOPLE)
    p = 1 / (1 + np.exp(-a * (theta[:, None] - b)))
    p[:, 0] = np.where(np.abs(theta) < 0.6, 0.9, 0.25)  # right only in the middle: misfit
    answers = (rng.random(p.shape) < p).astype(int)
    path = tmp_path / "responses.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["person_id", *[f"item{j:02d}" for j in range(ITEMS)]])
        for i in range(PEOPLE):
            writer.writerow(
                [
                    f"p{i}",
                    *["" if rng.random() < 0.35 else str(answers[i, j]) for j in range(ITEMS)],
                ]
            )
        for row in extra_rows:
            writer.writerow(row)
    return path, np.c_[a, b]


def items_of(path: Path) -> dict[str, dict[str, str]]:
    return {row["item_id"]: row for row in csv.DictReader(path.open())}


def test_parameters_are_recovered_with_standard_errors(tmp_path: Path) -> None:
    path, truth = simulated_file(tmp_path)
    result = calibrate(read_responses_text(path.read_text()))
    estimated = {item.item: item for item in result.items}
    b = np.array([estimated[f"item{j:02d}"].b for j in range(1, ITEMS)])
    a = np.array([estimated[f"item{j:02d}"].a for j in range(1, ITEMS)])
    assert np.corrcoef(b, truth[1:, 1])[0, 1] > 0.97
    assert np.corrcoef(a, truth[1:, 0])[0, 1] > 0.8
    assert np.sqrt(np.mean((b - truth[1:, 1]) ** 2)) < 0.25
    assert all(0 < item.se_b < 0.5 and 0 < item.se_a < 0.6 for item in result.items[1:])
    assert result.converged
    assert result.people_used == PEOPLE


def test_the_misfitting_item_is_flagged(tmp_path: Path) -> None:
    path, _truth = simulated_file(tmp_path)
    result = calibrate(read_responses_text(path.read_text()))
    flagged = {item.item for item in result.items if item.misfit}
    assert "item00" in flagged
    assert len(flagged) <= 3


def test_cli_names_each_problem_and_still_estimates_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nobody = ["nobody", *[""] * ITEMS]
    strange = ["odd", "yes", *["1"] * (ITEMS - 1)]
    path, _truth = simulated_file(tmp_path, extra_rows=[nobody, strange])
    text = path.read_text().splitlines()
    text[0] += ",same"
    text[1:] = [line + ",1" for line in text[1:]]
    path.write_text("\n".join(text) + "\n")
    out = tmp_path / "items.csv"
    call_command("calibrate", str(path), "--out", str(out))
    captured = capsys.readouterr()
    assert f"Row {PEOPLE + 3} (person “odd”), item “item00”: “yes” is not 1, 0 or empty" in (
        captured.err
    )
    assert "Person “nobody” has no answers on the items that can be estimated" in captured.err
    assert "Item “same”: all" in captured.err
    assert "cannot be estimated" in captured.err
    rows = items_of(out)
    assert set(rows) == {f"item{j:02d}" for j in range(ITEMS)}
    assert rows["item00"]["misfit"] == "true"
    assert list(rows["item05"]) == [
        "item_id",
        "a",
        "b",
        "se_a",
        "se_b",
        "fit_pv_q1",
        "fit_p",
        "answered",
        "misfit",
        "flags",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("id,i1\np1,1\n", "The first column must be “person_id”"),
        ("person_id,i1,i1\np1,1,0\n", "Item “i1” has two columns."),
        ("person_id,i1\np1,1\np1,0\n", "Row 3: person “p1” already appears on row 2."),
        ("person_id,i1\np1,1,0,1\n", "Row 2 has 3 values for 1 items."),
        ("person_id,i1,i2\np1,1,0\np2,0,1\n", "Too little to estimate"),
    ],
)
def test_unusable_files_exit_2_naming_the_row_or_column(
    tmp_path: Path, content: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content)
    out = tmp_path / "items.csv"
    with pytest.raises(CommandError) as raised:
        call_command("calibrate", str(path), "--out", str(out))
    assert raised.value.returncode == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_read_responses_reports_values_without_failing() -> None:
    responses = read_responses_text("person_id,i1,i2\np1,1,x\np2,,0\n")
    assert responses.problems == [
        "Row 2 (person “p1”), item “i2”: “x” is not 1, 0 or empty; read as not presented."
    ]
    assert np.isnan(responses.matrix[0, 1])
    assert np.isnan(responses.matrix[1, 0])
    with pytest.raises(ResponseFileError):
        read_responses_text("")


def test_simulate_placement_prints_the_comparison(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = np.random.default_rng(1)
    bank = tmp_path / "items.csv"
    with bank.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["item_id", "a", "b", "area"])
        for j in range(120):
            writer.writerow([f"i{j}", rng.lognormal(0.5, 0.3), rng.normal(), f"area{j % 5}"])
    call_command("simulate-placement".replace("-", "_"), "--bank", str(bank), "--people", "200")
    out = capsys.readouterr().out
    assert "120 items, 200 simulated people" in out
    rows = [line for line in out.splitlines() if line.startswith("| adaptive")]
    assert len(rows) == 1
    mean_length = float(rows[0].split("|")[2])
    assert 3 <= mean_length <= 20
    assert "| fixed 32 items |" in out
    bad = tmp_path / "bad.csv"
    bad.write_text("item_id,a,b\nx,-1,0\n")
    with pytest.raises(CommandError) as raised:
        call_command("simulate_placement", "--bank", str(bad))
    assert raised.value.returncode == 2
    assert "a must be above 0" in capsys.readouterr().err
