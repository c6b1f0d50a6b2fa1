"""The cohort optimiser's files: applicants as CSV, rules as YAML, the selection as CSV.

A.csv: ``id``, ``score`` (higher is better), optional ``site`` (one site, or several separated
by ``|`` in order of preference), optional ``must`` (``include`` or ``exclude``), and any other
column as an attribute the rules can name. R.yaml: ``seats``, optional ``sites`` (site → seats)
and ``rules``. Every problem names the row (spreadsheet numbering: the header is row 1) or the
key, and nothing is solved until the files are clean.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from typing import Any

import yaml

from tremplin.core import spreadsheets
from tremplin.selection.cohort.explanations import format_change
from tremplin.selection.cohort.milp import Status
from tremplin.selection.cohort.problem import (
    Applicant,
    Must,
    Problem,
    ProblemError,
    Rule,
    RuleKind,
    Solution,
)

RESERVED = ("id", "score", "site", "must")
BOUNDS = ("min_count", "max_count", "min_share", "max_share")
RULE_KEYS = {"attribute", "value", "per_site", "max_count_each", *BOUNDS}
TRUE_WORDS = ("true", "yes", "y", "1", "oui", "vrai")
FALSE_WORDS = ("false", "no", "n", "0", "non", "faux")
# Scores beyond this (either sign) are refused, naming the row: far past any committee's scale,
# and small enough that the solver's sums and tie-breaks stay exact.
MAX_ABS_SCORE = 1_000_000


class _RulesLoader(yaml.SafeLoader):
    """YAML's safe loader without anchors and aliases (``&name``, ``*name``): a rules file
    never needs them, and a few lines of aliases nested in each other ("billion laughs")
    expand to more objects than the machine can hold."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event: Any = self.peek_event()  # type: ignore[no-untyped-call]
        mark: Any = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed", mark)
        if getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(None, None, "anchors (&name) are not allowed", mark)
        return super().compose_node(parent, index)


@dataclass(frozen=True)
class Applicants:
    applicants: list[Applicant]
    attributes: dict[str, set[str]]
    has_sites: bool


@dataclass(frozen=True)
class _Columns:
    """Row 1 of A.csv: the names as written, where each reserved column is, and the others
    (attributes) with their position."""

    names: list[str]
    where: dict[str, int]
    attributes: list[tuple[int, str]]


def read_applicants(content: bytes | str, *, name: str = "A.csv") -> Applicants:
    try:
        sheet = spreadsheets.csv_read(content)
    except spreadsheets.SpreadsheetFileError as error:
        raise ProblemError([f"{name}: {error.message}"]) from error
    columns = _columns(sheet.header, name=name)
    decimal_comma = sheet.delimiter == ";"
    applicants: list[Applicant] = []
    attributes: dict[str, set[str]] = {column: set() for _p, column in columns.attributes}
    errors: list[str] = []
    first_row: dict[str, int] = {}
    for number, cells in sheet.rows:
        found = _applicant(
            cells,
            number=number,
            columns=columns,
            name=name,
            decimal_comma=decimal_comma,
            first_row=first_row,
        )
        if isinstance(found, str):
            errors.append(found)
            continue
        for column, value in found.attributes.items():
            if value:
                attributes[column].add(value)
        applicants.append(found)
    if errors:
        raise ProblemError(errors)
    if not applicants:
        raise ProblemError([f"{name}: no applicant (only the header row)."])
    return Applicants(
        applicants=applicants, attributes=attributes, has_sites="site" in columns.where
    )


def _columns(header: list[str] | None, *, name: str) -> _Columns:
    """The columns row 1 names; raises ``ProblemError`` when ``id`` or ``score`` is missing,
    or a column has no name or appears twice."""
    if not header or not any(cell.strip() for cell in header):
        raise ProblemError([f"{name}: the file is empty; row 1 must name the columns."])
    columns = [cell.strip() for cell in header]
    lowered = [column.lower() for column in columns]
    errors: list[str] = []
    for required in ("id", "score"):
        if required not in lowered:
            errors.append(
                f"{name}: the column “{required}” is missing (row 1 has: {', '.join(columns)})."
            )
    seen_columns: dict[str, int] = {}
    for position, column in enumerate(lowered):
        if not column:
            errors.append(f"{name}, row 1: column {position + 1} has no name.")
        elif column in seen_columns:
            errors.append(f"{name}, row 1: the column “{columns[position]}” appears twice.")
        seen_columns[column] = position
    if errors:
        raise ProblemError(errors)
    return _Columns(
        names=columns,
        where={column: lowered.index(column) for column in RESERVED if column in lowered},
        attributes=[
            (position, columns[position])
            for position, column in enumerate(lowered)
            if column not in RESERVED
        ],
    )


def _applicant(
    cells: list[str],
    *,
    number: int,
    columns: _Columns,
    name: str,
    decimal_comma: bool,
    first_row: dict[str, int],
) -> Applicant | str:
    """The applicant on row ``number``, or the problem with it. An identifier seen for the
    first time is kept in ``first_row``, even when the row has another problem."""
    width = len(columns.names)
    if len(cells) > width and any(cell.strip() for cell in cells[width:]):
        return f"{name}, row {number}: more cells than columns in row 1."
    cells = [cell.strip() for cell in cells] + [""] * (width - len(cells))
    where = columns.where
    identifier = cells[where["id"]]
    if not identifier:
        return f"{name}, row {number}, column id: empty."
    if identifier in first_row:
        return (
            f"{name}, row {number}, column id: “{identifier}” is already on row "
            f"{first_row[identifier]}."
        )
    first_row[identifier] = number
    score = _score(cells[where["score"]], decimal_comma=decimal_comma)
    if isinstance(score, str):
        return f"{name}, row {number}, column score: “{score}” is not a number."
    if abs(score) > MAX_ABS_SCORE:
        return (
            f"{name}, row {number}, column score: “{cells[where['score']]}” is out of range "
            f"(from {-MAX_ABS_SCORE:,} to {MAX_ABS_SCORE:,})."
        )
    must_text = cells[where["must"]].lower() if "must" in where else ""
    if must_text not in ("", "include", "exclude"):
        return (
            f"{name}, row {number}, column must: “{cells[where['must']]}” — write include, "
            "exclude or leave it empty."
        )
    sites: tuple[str, ...] = ()
    if "site" in where and cells[where["site"]]:
        sites = tuple(part.strip() for part in cells[where["site"]].split("|") if part.strip())
        if len(set(sites)) != len(sites):
            return f"{name}, row {number}, column site: a site is listed twice."
    values = {column: cells[position] for position, column in columns.attributes}
    return Applicant(
        id=identifier, score=score, sites=sites, must=Must(must_text), attributes=values
    )


def _score(cell: str, *, decimal_comma: bool) -> float | str:
    """The score a cell holds (a decimal comma read as a point in a file separated by
    semicolons), or the text that is not a finite number."""
    raw = cell.replace(",", ".") if decimal_comma else cell
    try:
        score = float(raw)
    except ValueError:
        return raw
    return score if math.isfinite(score) else raw


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS:
        return True
    if isinstance(value, str) and value.strip().lower() in FALSE_WORDS:
        return False
    return None


def _value(raw: Any, known: set[str]) -> str | None:
    """The attribute value a rule names, as the CSV spells it (YAML turns yes into True)."""
    if isinstance(raw, bool):
        words = TRUE_WORDS if raw else FALSE_WORDS
        return next((v for v in sorted(known) if v.lower() in words), None)
    text = str(raw).strip()
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    if text in known:
        return text
    return next((v for v in sorted(known) if v.lower() == text.lower()), None)


def read_rules(content: bytes | str, *, applicants: Applicants, name: str = "R.yaml") -> Problem:
    try:
        data = yaml.load(spreadsheets.text_decode(content), Loader=_RulesLoader)  # noqa: S506
    except spreadsheets.SpreadsheetFileError as error:
        raise ProblemError([f"{name}: {error.message}"]) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or error
        raise ProblemError([f"{name}{where}: not valid YAML ({problem})."]) from error
    except RecursionError as error:
        raise ProblemError([f"{name}: nested too deeply to be rules."]) from error
    if not isinstance(data, dict):
        raise ProblemError([f"{name}: expected keys seats, sites and rules."])
    errors: list[str] = []
    unknown = sorted(set(map(str, data)) - {"seats", "sites", "rules"})
    for key in unknown:
        errors.append(f"{name}: unknown key “{key}” (known: seats, sites, rules).")
    seats = data.get("seats")
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        errors.append(f"{name}, seats: a whole number of at least 1 is needed (got {seats!r}).")
        seats = 0
    sites, problems = _sites(data.get("sites") or {}, name=name, applicants=applicants)
    errors.extend(problems)
    rules: list[Rule] = []
    raw_rules = data.get("rules") or []
    if not isinstance(raw_rules, list):
        errors.append(f"{name}, rules: expected a list of rules.")
        raw_rules = []
    for number, entry in enumerate(raw_rules, start=1):
        key = f"{name}, rules[{number}]"
        rule, problems = _rule(entry, key=key, applicants=applicants, sites=bool(sites))
        errors.extend(problems)
        if rule is not None:
            rules.append(rule)
    includes = [a.id for a in applicants.applicants if a.must == Must.INCLUDE]
    if seats and len(includes) > seats:
        errors.append(
            f"{name}, seats: {len(includes)} applicants have must = include but there are only "
            f"{seats} seats."
        )
    if errors:
        raise ProblemError(errors)
    return Problem(seats=seats, applicants=applicants.applicants, rules=rules, sites=sites)


def _sites(
    raw_sites: Any, *, name: str, applicants: Applicants
) -> tuple[dict[str, int], list[str]]:
    """The seats per site (``sites``), and the problems: with the seats, or with a site an
    applicant names that is not one of them."""
    errors: list[str] = []
    sites: dict[str, int] = {}
    if not isinstance(raw_sites, dict):
        errors.append(f"{name}, sites: expected site: seats pairs.")
        raw_sites = {}
    for site, count in raw_sites.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            errors.append(f"{name}, sites.{site}: a whole number of seats of at least 1 is needed.")
            continue
        sites[str(site)] = count
    if sites:
        for applicant in applicants.applicants:
            unknown_sites = [site for site in applicant.sites if site not in sites]
            if unknown_sites:
                errors.append(
                    f"{name}, sites: “{unknown_sites[0]}” (applicant {applicant.id}) is not "
                    f"one of the sites ({', '.join(sites)})."
                )
                break
    return sites, errors


def _rule(
    entry: Any, *, key: str, applicants: Applicants, sites: bool
) -> tuple[Rule | None, list[str]]:
    if not isinstance(entry, dict):
        return None, [f"{key}: expected keys such as attribute, value and min_share."]
    errors = [
        f"{key}: unknown key “{extra}” (known: {', '.join(sorted(RULE_KEYS))})."
        for extra in sorted(set(map(str, entry)) - RULE_KEYS)
    ]
    attribute, known, problems = _attribute(entry.get("attribute"), key=key, applicants=applicants)
    errors.extend(problems)
    per_site = entry.get("per_site", False)
    flag = _bool(per_site)
    if flag is None:
        errors.append(f"{key}.per_site: write true or false.")
        flag = False
    if flag and not sites:
        errors.append(f"{key}.per_site: the rules give no sites.")
    bounds = [b for b in (*BOUNDS, "max_count_each") if b in entry]
    if len(bounds) != 1:
        errors.append(
            f"{key}: give exactly one of min_count, max_count, min_share, max_share or "
            f"max_count_each (found {', '.join(bounds) or 'none'})."
        )
        return None, errors
    kind = RuleKind(bounds[0])
    target = entry[bounds[0]]
    if isinstance(target, bool) or not isinstance(target, int | float):
        errors.append(f"{key}.{kind.value}: {target!r} is not a number.")
        return None, errors
    if kind.is_share and not 0 <= target <= 1:
        errors.append(f"{key}.{kind.value}: {target} is not between 0 and 1 (50 % is 0.5).")
    if not kind.is_share and (target < 0 or not float(target).is_integer()):
        errors.append(f"{key}.{kind.value}: {target} is not a whole number of 0 or more.")
    value = ""
    if kind == RuleKind.MAX_COUNT_EACH:
        if "value" in entry:
            errors.append(f"{key}.value: max_count_each applies to every value; remove value.")
    elif "value" not in entry:
        errors.append(f"{key}.value: missing (which value of {attribute} does it count?).")
    elif known is not None:
        found = _value(entry["value"], known)
        if found is None:
            errors.append(
                f"{key}.value: no applicant has {attribute} = “{entry['value']}” "
                f"(values: {', '.join(sorted(known)[:12])}{'…' if len(known) > 12 else ''})."
            )
        else:
            value = found
    if errors:
        return None, errors
    return Rule(
        attribute=str(attribute), kind=kind, target=float(target), value=value, per_site=flag
    ), []


def _attribute(
    attribute: Any, *, key: str, applicants: Applicants
) -> tuple[Any, set[str] | None, list[str]]:
    """The column a rule names, as the CSV spells it, with the values the applicants have in it
    (None when it is not a column); and the problems."""
    errors: list[str] = []
    known: set[str] | None = None
    if attribute is None or str(attribute).strip() == "":
        errors.append(f"{key}.attribute: missing.")
    else:
        attribute = str(attribute).strip()
        match = next((a for a in applicants.attributes if a.lower() == attribute.lower()), None)
        if match is None:
            reserved = attribute.lower() in RESERVED
            errors.append(
                f"{key}.attribute: “{attribute}” "
                + (
                    "cannot carry a rule (use per_site for sites)."
                    if reserved
                    else f"is not a column of the applicants ({', '.join(applicants.attributes)})."
                )
            )
        else:
            attribute = match
            known = applicants.attributes[match]
    return attribute, known, errors


def write_selection(problem: Problem, solution: Solution) -> str:
    """S.csv: one row per applicant, in the order of A.csv."""
    by_id = {choice.id: choice for choice in solution.choices}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["id", "selected"]
    if problem.sites:
        header.append("site")
    header += ["waitlist_rank", "reason", "score_change"]
    writer.writerow(header)
    for applicant in problem.applicants:
        choice = by_id.get(applicant.id)
        selected = applicant.id in solution.assignment
        row: list[str] = [applicant.id, "true" if selected else "false"]
        if problem.sites:
            row.append(solution.assignment.get(applicant.id, ""))
        rank = choice.waitlist_rank if choice is not None else None
        change = choice.score_change if choice is not None else None
        row += [
            "" if rank is None else str(rank),
            choice.reason if choice is not None else "",
            "" if change is None or selected else format_change(change),
        ]
        writer.writerow(row)
    return out.getvalue()


def _number(value: float) -> str:
    if not math.isfinite(value):
        return "—"
    return f"{value:.6f}".rstrip("0").rstrip(".")


def summary(problem: Problem, solution: Solution) -> str:
    lines = [
        f"status: {solution.status.value}",
        f"objective: {_number(solution.objective)}",
        f"bound: {_number(solution.bound)}",
    ]
    if solution.status == Status.OPTIMAL:
        lines.append(f"gap: {_number(solution.gap)}")
    lines.append(
        f"selected: {len(solution.assignment)} of {len(problem.applicants)} applicants "
        f"for {problem.seats} seats"
    )
    if solution.fill < problem.seats:
        lines.append(
            f"note: only {solution.fill} seats can be filled with these applicants and sites."
        )
    lines.append(f"time: {solution.seconds:.3f} s ({solution.solves} solver runs)")
    if solution.conflicts:
        lines.append("These rules cannot all hold (without any one of them, the others can):")
        lines += [f"  - {label}" for label in solution.conflicts]
        lines.append("The least relaxation, written to the output file:")
        for relaxed in solution.relaxation:
            shown = (
                f"{relaxed.achieved * 100:.1f} % instead of {relaxed.limit * 100:g} %"
                if relaxed.share
                else f"{relaxed.achieved:g} instead of {relaxed.limit:g}"
            )
            lines.append(f"  - {relaxed.label}: {shown}")
    lines.append("rules:")
    for item in solution.checks:
        mark = "ok  " if item.kept else "NOT "
        actual = (
            f"{item.count} of {item.total} ({item.actual * 100:.1f} %)"
            if item.share
            else f"{item.count}"
        )
        lines.append(f"  {mark}{item.label}: {actual}")
    return "\n".join(lines) + "\n"
