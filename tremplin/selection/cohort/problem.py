"""The optimiser's question and its answer, with no database: the applicants, the rules and
the seats go in as a ``Problem``; the cohort, a check of every rule, a reason for every
applicant and HiGHS's proof come back as a ``Solution``. A committee's spreadsheet
(``tremplin select-cohort``) and the committee page both describe a call this way."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext as _

from tremplin.core.numbers import number_text
from tremplin.selection.cohort.milp import Status


class RuleKind(StrEnum):
    MIN_COUNT = "min_count"
    MAX_COUNT = "max_count"
    MIN_SHARE = "min_share"
    MAX_SHARE = "max_share"
    MAX_COUNT_EACH = "max_count_each"

    @property
    def is_floor(self) -> bool:
        return self in (RuleKind.MIN_COUNT, RuleKind.MIN_SHARE)

    @property
    def is_share(self) -> bool:
        return self in (RuleKind.MIN_SHARE, RuleKind.MAX_SHARE)


class Must(StrEnum):
    NONE = ""
    INCLUDE = "include"
    EXCLUDE = "exclude"


class ProblemError(ValueError):
    """The problem cannot be solved as given; each message names what is wrong."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = list(messages)


@dataclass(frozen=True)
class Applicant:
    id: str
    score: float
    # The sites the applicant can attend, in order of preference; empty: any site.
    sites: tuple[str, ...] = ()
    must: Must = Must.NONE
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    attribute: str
    kind: RuleKind
    target: float
    value: str = ""
    per_site: bool = False


@dataclass(frozen=True)
class Problem:
    seats: int
    applicants: Sequence[Applicant]
    rules: Sequence[Rule] = ()
    # Seats per site; empty when the cohort is not split between sites.
    sites: Mapping[str, int] = field(default_factory=dict)
    # Display names: attribute → name, "attribute=value" → name. Codes are shown otherwise.
    names: Mapping[str, str] = field(default_factory=dict)


class Code(StrEnum):
    """Why an applicant is in or out, for sorting and filtering; the text is in ``reason``."""

    SCORE = "score"
    RULE = "rule"
    INCLUDED = "included"
    EXCLUDED = "excluded"
    CUT = "cut"
    CAP = "cap"
    DISPLACED = "displaced"
    TIE = "tie"
    IMPOSSIBLE = "impossible"
    OTHER = "other"


@dataclass(frozen=True)
class Choice:
    id: str
    score: float
    selected: bool
    site: str
    code: Code
    reason: str
    # Not selected: the smallest rise of the score that would select them (None: no rise can).
    score_change: float | None = None
    waitlist_rank: int | None = None
    # Selected: the floors without which they would not be in the cohort.
    brought_in_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Check:
    """One rule (or one row of a rule) against the cohort: the gauges of the committee page."""

    key: str
    label: str
    kind: str
    count: int
    total: int
    limit: float
    kept: bool
    share: bool
    site: str = ""
    floor: bool = False  # a lower bound (a floor, the seats to fill, an inclusion)

    @property
    def actual(self) -> float:
        if self.share:
            return self.count / self.total if self.total else 0.0
        return float(self.count)


@dataclass(frozen=True)
class Relaxed:
    label: str
    limit: float
    achieved: float
    share: bool
    key: str = ""
    floor: bool = True

    @property
    def rule(self) -> int | None:
        """The position in ``Problem.rules`` of the rule this row belongs to (None for the
        seats to fill or a committee inclusion)."""
        kind, _sep, rest = self.key.partition(":")
        return int(rest.split(":", 1)[0]) if kind == "rule" else None


@dataclass(frozen=True)
class Solution:
    status: Status
    objective: float
    bound: float
    seconds: float
    fill: int
    assignment: Mapping[str, str]
    checks: tuple[Check, ...]
    conflicts: tuple[str, ...] = ()
    relaxation: tuple[Relaxed, ...] = ()
    choices: tuple[Choice, ...] = ()
    solves: int = 0

    @property
    def selected(self) -> list[str]:
        return list(self.assignment)

    @property
    def optimal(self) -> bool:
        return self.status == Status.OPTIMAL

    @property
    def gap(self) -> float:
        """How far the bound HiGHS proved is from the cohort's total (0: proved the best)."""
        if self.status != Status.OPTIMAL:
            return float("nan")
        return max(0.0, self.bound - self.objective)


def _name(problem: Problem, attribute: str, value: str | None = None) -> str:
    if value is None:
        return problem.names.get(attribute, attribute)
    return problem.names.get(f"{attribute}={value}", value)


def _percent(share: float) -> str:
    return f"{number_text(share * 100)} %"


def rule_label(problem: Problem, rule: Rule, value: str | None = None, site: str = "") -> str:
    """The rule in plain words: "at least 50 % women at Lyon"."""
    attribute = _name(problem, rule.attribute)
    shown = _name(problem, rule.attribute, value if value is not None else rule.value)
    count = number_text(rule.target)
    if rule.kind == RuleKind.MIN_COUNT:
        text = _("at least %(count)s with %(attribute)s “%(value)s”")
    elif rule.kind == RuleKind.MAX_COUNT or (
        rule.kind == RuleKind.MAX_COUNT_EACH and value is not None
    ):
        text = _("at most %(count)s with %(attribute)s “%(value)s”")
    elif rule.kind == RuleKind.MAX_COUNT_EACH:
        text = _("at most %(count)s for each %(attribute)s")
    elif rule.kind == RuleKind.MIN_SHARE:
        text = _("at least %(share)s with %(attribute)s “%(value)s”")
    else:
        text = _("at most %(share)s with %(attribute)s “%(value)s”")
    label = text % {
        "count": count,
        "share": _percent(rule.target),
        "attribute": attribute,
        "value": shown,
    }
    if site:
        label = _("%(rule)s at %(site)s") % {"rule": label, "site": site}
    elif rule.per_site:
        label = _("%(rule)s at each site") % {"rule": label}
    return label
