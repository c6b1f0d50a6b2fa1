"""Every management command answers bad input with a line that says what is wrong and the
exit code the README documents (2: a file or an argument has a problem), never a traceback:
undecodable bytes, an output path into a missing folder or onto a folder, an unknown call, a
missing file, scores out of range, arguments out of range."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import World
from tremplin.selection.tests.builders import open_call

ROOT = Path(__file__).resolve().parents[1]
APPLICANTS = "id,score,gender\na,90,F\nb,80,M\nc,70,F\n"
RULES = "seats: 2\nrules:\n  - {attribute: gender, value: F, min_count: 1}\n"


def tremplin(*args: str) -> subprocess.CompletedProcess[str]:
    """The ``tremplin`` command in a process of its own, on this checkout's code."""
    return subprocess.run(
        [sys.executable, "-m", "tremplin.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        cwd=ROOT,
    )


def select_cohort(tmp_path: Path, applicants: bytes, out: Path) -> subprocess.CompletedProcess[str]:
    (tmp_path / "A.csv").write_bytes(applicants)
    (tmp_path / "R.yaml").write_text(RULES)
    return tremplin(
        "select-cohort",
        "--applicants",
        str(tmp_path / "A.csv"),
        "--rules",
        str(tmp_path / "R.yaml"),
        "--out",
        str(out),
    )


def test_select_cohort_out_into_a_missing_folder_or_onto_a_folder_is_one_line(
    tmp_path: Path,
) -> None:
    missing = select_cohort(tmp_path, APPLICANTS.encode(), tmp_path / "nowhere" / "S.csv")
    assert missing.returncode == 2
    assert missing.stderr == (
        f"CommandError: The folder {tmp_path / 'nowhere'} does not exist: create it, or write "
        "elsewhere.\n"
    )
    folder = select_cohort(tmp_path, APPLICANTS.encode(), tmp_path)
    assert folder.returncode == 2
    assert folder.stderr.startswith(f"CommandError: {tmp_path} is a folder: give the name")
    assert folder.stderr.count("\n") == 1


def test_select_cohort_bad_bytes_and_huge_scores_name_the_file_and_row(tmp_path: Path) -> None:
    undecodable = select_cohort(tmp_path, b"id,score\na,1\n\x81\x8d\x90,2\n", tmp_path / "S.csv")
    assert undecodable.returncode == 2
    assert undecodable.stderr.splitlines()[0] == (
        'A.csv: This file is not text in UTF-8: save it as "CSV UTF-8".'
    )
    assert "Traceback" not in undecodable.stderr
    huge = APPLICANTS.replace("b,80", "b,1e300").replace("c,70", "c,-1e300").encode()
    done = select_cohort(tmp_path, huge, tmp_path / "S.csv")
    assert done.returncode == 2
    assert done.stderr.splitlines()[:2] == [
        "A.csv, row 3, column score: “1e300” is out of range (from -1,000,000 to 1,000,000).",
        "A.csv, row 4, column score: “-1e300” is out of range (from -1,000,000 to 1,000,000).",
    ]
    assert not (tmp_path / "S.csv").exists()


def test_calibrate_out_into_a_missing_folder_or_onto_a_folder_is_one_line(
    tmp_path: Path,
) -> None:
    responses = tmp_path / "responses.csv"
    responses.write_text("person_id,i1,i2\np1,1,0\n")
    missing = tremplin("calibrate", str(responses), "--out", str(tmp_path / "no" / "ITEMS.csv"))
    assert missing.returncode == 2
    assert missing.stderr == (
        f"CommandError: The folder {tmp_path / 'no'} does not exist: create it, or write "
        "elsewhere.\n"
    )
    folder = tremplin("calibrate", str(responses), "--out", str(tmp_path))
    assert folder.returncode == 2
    assert folder.stderr.startswith(f"CommandError: {tmp_path} is a folder")
    assert folder.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--people", "0"], "--people must be between 1 and 1,000,000."),
        (["--people", "100000000000"], "--people must be between 1 and 1,000,000."),
        (["--se", "nan"], "--se must be a number above 0, such as 0.3."),
        (["--se", "-1"], "--se must be a number above 0, such as 0.3."),
        (["--max-items", "0"], "--max-items must be at least 1."),
    ],
)
def test_simulate_placement_refuses_arguments_out_of_range(
    tmp_path: Path, arguments: list[str], message: str
) -> None:
    from tremplin.placement.management.commands.simulate_placement import Command

    bank = tmp_path / "ITEMS.csv"
    bank.write_text("item_id,a,b\ni1,1,0\ni2,1.2,0.5\n")
    with pytest.raises(CommandError) as error:
        call_command(Command(), "--bank", str(bank), *arguments)
    assert (str(error.value), error.value.returncode) == (message, 2)


def test_import_applications_unknown_call_or_missing_file_exits_2(
    world: World, tmp_path: Path
) -> None:
    file = tmp_path / "applicants.csv"
    file.write_text("last_name\n")
    with pytest.raises(CommandError) as unknown:
        call_command("import_applications", "--call", "nope", str(file))
    assert unknown.value.returncode == 2
    assert "\n" not in str(unknown.value)
    call = open_call(world)
    with pytest.raises(CommandError) as missing:
        call_command("import_applications", "--call", call.slug, str(tmp_path / "absent.csv"))
    assert (str(missing.value), missing.value.returncode) == (
        f"No file at {tmp_path / 'absent.csv'}.",
        2,
    )
