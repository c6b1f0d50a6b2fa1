"""The cohort optimiser: exact against the straightforward model, explanations that hold when
the scores change, irreducible conflicts, a waiting list that keeps every rule, and the files."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tremplin.selection.cohort.baselines import solve_greedy, solve_per_applicant
from tremplin.selection.cohort.checking import check
from tremplin.selection.cohort.files import read_applicants, read_rules
from tremplin.selection.cohort.milp import Status
from tremplin.selection.cohort.model import build
from tremplin.selection.cohort.preparation import prepare
from tremplin.selection.cohort.problem import (
    Applicant,
    Code,
    Must,
    Problem,
    ProblemError,
    Rule,
    RuleKind,
)
from tremplin.selection.cohort.solving import solve
from tremplin.selection.cohort.waiting_list import replacement

SITES = ("Lyon", "Paris", "Lille")


def random_problem(seed: int, *, size: int | None = None, must: bool = True) -> Problem:
    rng = random.Random(seed)
    n = size or rng.randint(12, 90)
    use_sites = rng.random() < 0.6
    sites = SITES[: rng.randint(2, 3)] if use_sites else ()
    seats = rng.randint(3, max(3, n // 4))
    applicants = []
    for i in range(n):
        chosen: tuple[str, ...] = ()
        if sites and rng.random() < 0.9:
            chosen = tuple(rng.sample(sites, rng.randint(1, len(sites))))
        flag = Must.NONE
        if must and rng.random() < 0.05:
            flag = Must.INCLUDE if rng.random() < 0.5 else Must.EXCLUDE
        applicants.append(
            Applicant(
                id=f"p{i:03d}",
                score=round(rng.uniform(20, 100), rng.choice([0, 1, 2])),
                sites=chosen,
                must=flag,
                attributes={
                    "gender": rng.choice("FFMM" if rng.random() < 0.5 else "FMMM"),
                    "region": f"r{rng.randint(1, 5)}",
                    "priority": rng.choice(["yes", "no", "no"]),
                },
            )
        )
    includes = [a for a in applicants if a.must == Must.INCLUDE]
    if len(includes) > seats:
        applicants = [
            a
            if a.must != Must.INCLUDE
            else Applicant(a.id, a.score, a.sites, Must.NONE, a.attributes)
            for a in applicants
        ]
    rules: list[Rule] = []
    if rng.random() < 0.8:
        rules.append(Rule("gender", RuleKind.MIN_SHARE, rng.choice([0.3, 0.5]), "F"))
    if rng.random() < 0.6:
        rules.append(Rule("region", RuleKind.MAX_COUNT_EACH, rng.randint(1, max(1, seats // 2))))
    if rng.random() < 0.4:
        rules.append(Rule("priority", RuleKind.MIN_COUNT, rng.randint(0, seats // 2), "yes"))
    if rng.random() < 0.3:
        rules.append(Rule("priority", RuleKind.MAX_SHARE, 0.6, "yes"))
    if sites and rng.random() < 0.4:
        rules.append(Rule("gender", RuleKind.MIN_COUNT, 1, "F", per_site=True))
    if rng.random() < 0.2:
        rules.append(Rule("region", RuleKind.MAX_COUNT, rng.randint(0, 3), "r1"))
    site_seats: dict[str, int] = {}
    if sites:
        base = seats // len(sites)
        site_seats = {
            site: base + (1 if k < seats - base * len(sites) else 0) for k, site in enumerate(sites)
        }
        site_seats = {site: max(1, count) for site, count in site_seats.items()}
    return Problem(seats=seats, applicants=applicants, rules=rules, sites=site_seats)


@pytest.mark.parametrize("seed", range(60))
def test_same_optimum_as_the_straightforward_model(seed: int) -> None:
    problem = random_problem(seed)
    ours = solve(problem, explain=False)
    reference = solve_per_applicant(problem)
    assert ours.status == reference.status
    if reference.status == Status.OPTIMAL:
        assert ours.objective == pytest.approx(reference.objective, abs=1e-6)
        assert ours.bound == pytest.approx(ours.objective, abs=1e-6)
        assert all(item.kept for item in ours.checks)
        assert len(ours.assignment) == ours.fill
        # The cohort keeps every rule when checked on its own.
        assert all(item.kept for item in check(problem, ours.assignment))
    else:
        assert ours.conflicts
        assert ours.relaxation


def with_score(problem: Problem, identifier: str, score: float) -> Problem:
    applicants = [
        Applicant(a.id, score, a.sites, a.must, a.attributes) if a.id == identifier else a
        for a in problem.applicants
    ]
    return Problem(problem.seats, applicants, problem.rules, problem.sites)


@pytest.mark.parametrize("seed", range(12))
def test_the_smallest_score_change_is_exact(seed: int) -> None:
    problem = random_problem(100 + seed, size=30, must=False)
    solution = solve(problem)
    if solution.status != Status.OPTIMAL:
        pytest.skip("infeasible draw")
    tried = 0
    for choice in solution.choices:
        if choice.selected or choice.score_change is None:
            continue
        delta = choice.score_change
        raised = solve(with_score(problem, choice.id, choice.score + delta + 0.01), explain=False)
        assert choice.id in raised.assignment, choice
        if delta > 0.02:
            lowered = solve(
                with_score(problem, choice.id, choice.score + delta - 0.01), explain=False
            )
            assert choice.id not in lowered.assignment, choice
        tried += 1
    assert tried > 0


def test_no_score_can_select_someone_the_rules_keep_out() -> None:
    applicants = [
        Applicant("a", 50, attributes={"region": "north"}),
        Applicant("b", 40, attributes={"region": "south"}),
        Applicant("c", 30, attributes={"region": "south"}),
    ]
    problem = Problem(2, applicants, [Rule("region", RuleKind.MAX_COUNT, 0, "north")])
    solution = solve(problem)
    assert solution.selected == ["b", "c"]
    out = next(c for c in solution.choices if c.id == "a")
    assert out.code == Code.IMPOSSIBLE
    assert out.score_change is None
    assert out.waitlist_rank is None
    assert "at most 0 with region “north”" in out.reason


def test_reasons_name_the_cut_the_cap_the_floor_and_the_committee() -> None:
    applicants = [
        Applicant("m1", 95, attributes={"gender": "M", "region": "a"}),
        Applicant("m2", 90, attributes={"gender": "M", "region": "a"}),
        Applicant("m3", 88, attributes={"gender": "M", "region": "b"}),
        Applicant("m4", 60, attributes={"gender": "M", "region": "d"}),
        Applicant("f1", 70, attributes={"gender": "F", "region": "b"}),
        Applicant("f2", 50, attributes={"gender": "F", "region": "c"}),
        Applicant("f3", 40, attributes={"gender": "F", "region": "c"}),
        Applicant("z", 5, attributes={"gender": "M", "region": "f"}),
        Applicant("x", 99, must=Must.EXCLUDE, attributes={"gender": "M", "region": "g"}),
        Applicant("i", 10, must=Must.INCLUDE, attributes={"gender": "M", "region": "e"}),
    ]
    rules = [
        Rule("gender", RuleKind.MIN_COUNT, 2, "F"),
        Rule("region", RuleKind.MAX_COUNT_EACH, 1),
    ]
    solution = solve(Problem(4, applicants, rules))
    assert solution.optimal
    by_id = {c.id: c for c in solution.choices}
    assert set(solution.selected) == {"m1", "f1", "f2", "i"}
    assert by_id["i"].code == Code.INCLUDED
    assert by_id["x"].code == Code.EXCLUDED
    assert by_id["m1"].code == Code.SCORE
    assert by_id["m2"].code == Code.CAP
    assert "“a”" in by_id["m2"].reason
    assert by_id["f2"].code == Code.RULE
    assert by_id["f2"].brought_in_by == ("at least 2 with gender “F”",)
    assert by_id["m4"].code == Code.DISPLACED
    assert "at least 2 with gender “F”" in by_id["m4"].reason
    assert by_id["z"].code == Code.CUT
    assert by_id["m4"].score_change is not None
    assert by_id["m4"].score_change > 0


def test_equal_scores_go_to_the_earlier_id_whatever_the_row_order() -> None:
    applicants = [Applicant(f"t{i}", 50.0, attributes={"g": "x"}) for i in range(6)]
    for order in (applicants, list(reversed(applicants))):
        solution = solve(Problem(3, order))
        assert solution.selected == ["t0", "t1", "t2"]
        tie = next(c for c in solution.choices if c.id == "t3")
        assert tie.code == Code.TIE
        assert tie.score_change == pytest.approx(0.0)


def test_site_preferences_are_kept_when_the_score_allows() -> None:
    applicants = [
        Applicant("a", 90, sites=("Lyon", "Paris")),
        Applicant("b", 80, sites=("Lyon", "Paris")),
        Applicant("c", 70, sites=("Paris",)),
        Applicant("d", 60, sites=("Lyon",)),
    ]
    solution = solve(Problem(3, applicants, sites={"Lyon": 1, "Paris": 2}))
    assert solution.assignment == {"a": "Lyon", "b": "Paris", "c": "Paris"}
    second = next(c for c in solution.choices if c.id == "b")
    assert "choice number 2" in second.reason


def test_result_does_not_depend_on_the_row_order() -> None:
    problem = random_problem(7, size=80)
    shuffled = list(problem.applicants)
    random.Random(3).shuffle(shuffled)
    first = solve(problem, explain=False)
    second = solve(Problem(problem.seats, shuffled, problem.rules, problem.sites), explain=False)
    assert dict(first.assignment) == dict(second.assignment)


def test_conflicting_rules_are_an_irreducible_set_and_the_relaxation_is_the_least() -> None:
    applicants = [
        Applicant(f"a{i}", 90 - i, attributes={"gender": "MF"[i % 2], "region": f"r{i % 3}"})
        for i in range(12)
    ]
    rules = [
        Rule("region", RuleKind.MAX_COUNT_EACH, 1),  # 3 regions × 1 < 4 seats
        Rule("gender", RuleKind.MIN_SHARE, 0.25, "F"),  # holds on its own
    ]
    solution = solve(Problem(4, applicants, rules))
    assert solution.status == Status.INFEASIBLE
    assert set(solution.conflicts) == {
        "fill all 4 seats",
        "at most 1 with region “r0”",
        "at most 1 with region “r1”",
        "at most 1 with region “r2”",
    }
    assert len(solution.relaxation) == 1  # one region takes a second person
    assert solution.relaxation[0].achieved == 2
    assert len(solution.assignment) == 4


@pytest.mark.parametrize("seed", range(40))
def test_each_conflict_row_is_needed(seed: int) -> None:
    problem = random_problem(300 + seed, size=40)
    solution = solve(problem, explain=False)
    if solution.status != Status.INFEASIBLE:
        return
    prep = prepare(problem)
    key_of = {row.label: row.key for row in prep.rows}
    kept = {key_of[label] for label in solution.conflicts}
    others = [row.key for row in prep.rows if row.key not in kept]
    alone = build(prep, take=[0] * len(prep.classes), skip=others).model.solve()
    assert alone.status == Status.INFEASIBLE
    for key in kept:
        without = build(prep, take=[0] * len(prep.classes), skip=[*others, key]).model.solve()
        assert without.status == Status.OPTIMAL


@pytest.mark.parametrize("seed", range(10))
def test_the_next_on_the_waiting_list_keeps_every_rule(seed: int) -> None:
    problem = random_problem(500 + seed, size=50, must=False)
    solution = solve(problem)
    if solution.status != Status.OPTIMAL:
        return
    waiting = [
        c.id
        for c in sorted(solution.choices, key=lambda c: c.waitlist_rank or 0)
        if c.waitlist_rank
    ]
    assert [c.waitlist_rank for c in solution.choices if c.waitlist_rank] != []
    for leaving in solution.selected:
        found = replacement(problem, cohort=solution.assignment, withdrawn=leaving, waiting=waiting)
        skipped = {identifier for identifier, _why in found.skipped}
        if found.id is None:
            assert skipped == set(waiting)
            continue
        cohort_after = {k: v for k, v in solution.assignment.items() if k != leaving}
        cohort_after[found.id] = found.site
        assert all(item.kept or item.kind == "fill" for item in check(problem, cohort_after))
        # Everyone above them on the list would have broken a rule (or had no seat).
        assert skipped == set(waiting[: waiting.index(found.id)])


def test_greedy_baseline_breaks_a_floor_that_the_optimiser_keeps() -> None:
    applicants = [Applicant(f"m{i}", 90 - i, attributes={"g": "M"}) for i in range(5)]
    applicants += [Applicant(f"f{i}", 50 - i, attributes={"g": "F"}) for i in range(5)]
    problem = Problem(4, applicants, [Rule("g", RuleKind.MIN_SHARE, 0.5, "F")])
    greedy = solve_greedy(problem)
    assert greedy.status == Status.INFEASIBLE
    assert not next(c for c in greedy.checks if c.kind == "min_share").kept
    assert solve(problem).selected == ["m0", "m1", "f0", "f1"]


# --- Files -----------------------------------------------------------------------------------

APPLICANTS = """id,score,site,must,gender,province
a1,90,Lyon|Paris,,F,Rhone
a2,85,Paris,,M,Seine
a3,80,Lyon,,M,Rhone
a4,75,Paris|Lyon,,F,Seine
a5,70,Lyon,exclude,F,Rhone
a6,65,Paris,,F,Nord
a7,60,Lyon,include,M,Nord
a8,55,Lyon,,F,Rhone
"""

RULES = """seats: 4
sites: {Lyon: 2, Paris: 2}
rules:
  - {attribute: gender, value: F, min_share: 0.5}
  - {attribute: province, max_count_each: 2}
"""


def problems(applicants: str, rules: str = RULES) -> list[str]:
    with pytest.raises(ProblemError) as caught:
        read_rules(rules, applicants=read_applicants(applicants))
    return caught.value.messages


def test_malformed_applicants_name_the_row_or_column() -> None:
    assert problems("id,site\na,Lyon\n") == [
        "A.csv: the column “score” is missing (row 1 has: id, site)."
    ]
    duplicate = problems("id,score\na,1\nb,2\na,3\n")
    assert duplicate == ["A.csv, row 4, column id: “a” is already on row 2."]
    assert problems("id,score\na,high\n") == ["A.csv, row 2, column score: “high” is not a number."]
    assert "row 3, column must" in problems("id,score,must\na,1,\nb,2,maybe\n")[0]


def test_malformed_rules_name_the_key() -> None:
    assert problems(APPLICANTS, RULES.replace("0.5", "1.5")) == [
        "R.yaml, rules[1].min_share: 1.5 is not between 0 and 1 (50 % is 0.5)."
    ]
    assert problems(APPLICANTS, RULES.replace("province,", "provnce,"))[0].startswith(
        "R.yaml, rules[2].attribute: “provnce” is not a column"
    )
    assert problems(APPLICANTS, RULES.replace("value: F", "value: X"))[0].startswith(
        "R.yaml, rules[1].value: no applicant has gender = “X”"
    )
    assert problems(APPLICANTS, RULES.replace("seats: 4", "seats: 0"))[0].startswith(
        "R.yaml, seats:"
    )
    too_many = APPLICANTS.replace(",,F,Seine", ",include,F,Seine").replace(",,M,", ",include,M,")
    assert problems(too_many, RULES.replace("seats: 4", "seats: 2")) == [
        "R.yaml, seats: 4 applicants have must = include but there are only 2 seats."
    ]
    assert "Lille" in problems(APPLICANTS.replace("a2,85,Paris", "a2,85,Lille"))[0]


def alias_bomb(levels: int) -> str:
    """A rules file whose seats are aliases nested ``levels`` deep, each nine times the last
    ("billion laughs"): 9**levels strings once expanded."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 9)}]")
    return "\n".join([*lines, f"seats: *l{levels}", "rules: []"]) + "\n"


def test_yaml_aliases_are_refused_before_anything_expands() -> None:
    assert problems(APPLICANTS, alias_bomb(3)) == [
        "R.yaml, line 1: not valid YAML (anchors (&name) are not allowed)."
    ]
    aliased = RULES.replace("{attribute: gender", "&rule {attribute: gender") + "  - *rule\n"
    assert problems(APPLICANTS, aliased) == [
        "R.yaml, line 4: not valid YAML (anchors (&name) are not allowed)."
    ]
    assert problems(APPLICANTS, "seats: *nowhere\n") == [
        "R.yaml, line 1: not valid YAML (aliases (*name) are not allowed)."
    ]


def test_command_refuses_a_yaml_alias_bomb_with_exit_2_and_no_traceback(tmp_path: Path) -> None:
    code, written, stderr = run_cli(tmp_path, APPLICANTS, alias_bomb(9))
    assert code == 2
    assert written == ""
    assert stderr.splitlines()[0] == (
        "R.yaml, line 1: not valid YAML (anchors (&name) are not allowed)."
    )
    assert "Traceback" not in stderr


def test_yaml_yes_matches_the_spreadsheet_word() -> None:
    applicants = read_applicants("id,score,priority\na,1,yes\nb,2,no\n")
    problem = read_rules(
        "seats: 1\nrules:\n  - {attribute: priority, value: yes, min_count: 1}\n",
        applicants=applicants,
    )
    assert problem.rules[0].value == "yes"
    assert solve(problem).selected == ["a"]


def run(tmp_path: Path, applicants: str, rules: str) -> tuple[int, str]:
    (tmp_path / "A.csv").write_text(applicants)
    (tmp_path / "R.yaml").write_text(rules)
    out = tmp_path / "S.csv"
    try:
        call_command(
            "select_cohort",
            applicants=str(tmp_path / "A.csv"),
            rules=str(tmp_path / "R.yaml"),
            out=str(out),
        )
    except CommandError as error:
        return error.returncode, out.read_text() if out.exists() else ""
    return 0, out.read_text()


def run_cli(
    tmp_path: Path, applicants: str | bytes, rules: str, *, out: Path | None = None
) -> tuple[int, str, str]:
    """``tremplin select-cohort`` in a process of its own, on this checkout's code: the exit
    code, what it wrote to the output file, and its standard error."""
    for name, content in (("A.csv", applicants), ("R.yaml", rules)):
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    out = out or tmp_path / "S.csv"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tremplin.cli",
            "select-cohort",
            "--applicants",
            str(tmp_path / "A.csv"),
            "--rules",
            str(tmp_path / "R.yaml"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        cwd=Path(__file__).resolve().parents[3],
    )
    written = out.read_text() if out.is_file() else ""
    return done.returncode, written, done.stderr


def test_command_writes_the_selection_and_exit_codes(tmp_path: Path) -> None:
    code, written = run(tmp_path, APPLICANTS, RULES)
    assert code == 0
    lines = written.splitlines()
    assert lines[0] == "id,selected,site,waitlist_rank,reason,score_change"
    rows = {line.split(",")[0]: line for line in lines[1:]}
    assert rows["a1"].startswith("a1,true,Lyon,,")
    assert rows["a3"].startswith("a3,false,,1,")
    assert rows["a3"].endswith(",5.01")
    assert rows["a5"].startswith("a5,false,,,The committee decided not to select")
    code, _ = run(tmp_path, APPLICANTS, RULES.replace("max_count_each: 2", "max_count_each: 1"))
    assert code == 3
    code, _ = run(tmp_path / "..", APPLICANTS, RULES.replace("0.5", "2"))
    assert code == 2


def test_the_real_command_line(tmp_path: Path) -> None:
    (tmp_path / "A.csv").write_text(APPLICANTS)
    (tmp_path / "R.yaml").write_text(RULES)
    tremplin = Path(sys.executable).with_name("tremplin")
    done = subprocess.run(
        [
            str(tremplin),
            "select-cohort",
            "--applicants",
            str(tmp_path / "A.csv"),
            "--rules",
            str(tmp_path / "R.yaml"),
            "--out",
            str(tmp_path / "S.csv"),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        cwd=Path(__file__).resolve().parents[3],
    )
    assert done.returncode == 0, done.stderr
    assert "status: optimal\nobjective: 310\nbound: 310\n" in done.stdout
    (tmp_path / "R.yaml").write_text(RULES.replace("max_count_each: 2", "max_count_each: 1"))
    again = subprocess.run(
        [
            str(tremplin),
            "select-cohort",
            "--applicants",
            str(tmp_path / "A.csv"),
            "--rules",
            str(tmp_path / "R.yaml"),
            "--out",
            str(tmp_path / "S.csv"),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        cwd=Path(__file__).resolve().parents[3],
    )
    assert again.returncode == 3
    assert "status: infeasible" in again.stdout
