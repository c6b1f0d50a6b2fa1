"""From a call's applications to the optimiser's question, and back (reads only).

The composite score is a weighted mean of the stage scores, each first put on a 0–100 scale
from its own known scale (`scales.py`: an interview's 1–5 marks, the need index's 0–100, an
exam's 0 to its highest possible score). Weights are set per stage of the call and shown and
changed on the cohort page; the formula is in docs/selection-scores.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django_countries import countries

from tremplin.outreach.models import Channel
from tremplin.people.models import Gender
from tremplin.selection.cohort.problem import Applicant, Must, Problem, Rule, RuleKind
from tremplin.selection.cohort.scales import scale_of
from tremplin.selection.models import (
    AgeBand,
    Application,
    Call,
    CohortAttribute,
    CohortPin,
    CohortRule,
    Decision,
    Stage,
    StageKind,
    StageResult,
)

WEIGHTED_KINDS = (StageKind.WRITTEN_EXAM, StageKind.INTERVIEW, StageKind.SOCIAL_INVESTIGATION)
YES, NO = "yes", "no"


@dataclass(frozen=True)
class Candidate:
    application_id: int
    name: str
    score: float
    missing: tuple[str, ...]
    site_names: tuple[str, ...]
    attributes: Mapping[str, str]
    must: str


@dataclass(frozen=True)
class Question:
    call: Call
    problem: Problem
    candidates: Mapping[str, Candidate]
    stages: Sequence[Stage]
    weights: Mapping[int, Decimal]
    rules: Sequence[CohortRule]
    value_names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def weighted_stages(call: Call) -> list[Stage]:
    return [stage for stage in call.stages.all() if stage.kind in WEIGHTED_KINDS]


def candidates_of(call: Call) -> list[Application]:
    """Those still in the running at the last stage: submitted, not turned down, every stage
    before the last passed, nothing stopped at the last."""
    last = call.stages.count()
    stopped = StageResult.objects.filter(application__call=call, decision=Decision.REJECT).values(
        "application_id"
    )
    return list(
        Application.objects.filter(
            call=call,
            status=Application.Status.SUBMITTED,
            stages_passed__gte=max(last - 1, 0),
        )
        .exclude(outcome=Application.Outcome.REJECTED)
        .exclude(pk__in=stopped)
        .select_related("person", "region", "site")
        .order_by("pk")
    )


def value_names() -> dict[str, dict[str, str]]:
    """What each attribute's values are called on the page."""
    return {
        CohortAttribute.GENDER: {str(k): str(v) for k, v in Gender.choices},
        CohortAttribute.PRIORITY: {YES: _("yes"), NO: _("no")},
        CohortAttribute.AGE_BAND: {str(k): str(v) for k, v in AgeBand.choices},
        CohortAttribute.CHANNEL: {str(k): str(v) for k, v in Channel.choices},
        CohortAttribute.NATIONALITY: {str(code): str(name) for code, name in countries},
    }


def _attributes(application: Application) -> dict[str, str]:
    person = application.person
    return {
        CohortAttribute.GENDER: application.gender or "",
        CohortAttribute.REGION: application.region.name if application.region else "",
        CohortAttribute.PRIORITY: YES if application.priority_neighbourhood else NO,
        CohortAttribute.AGE_BAND: application.age_band or "",
        CohortAttribute.CHANNEL: application.channel or "",
        CohortAttribute.NATIONALITY: str(person.nationality) if person is not None else "",
    }


def composite(
    results: Mapping[int, Decimal | None], stages: Sequence[Stage], weights: Mapping[int, Decimal]
) -> tuple[float, tuple[str, ...]]:
    """The weighted mean on 0–100, and the weighted stages with no score (counted as 0)."""
    total = Decimal(0)
    weight_sum = Decimal(0)
    missing = []
    for stage in stages:
        weight = weights.get(stage.pk, stage.cohort_weight)
        if weight <= 0:
            continue
        weight_sum += weight
        score = results.get(stage.pk)
        if score is None:
            missing.append(stage.name)
            continue
        scaled = scale_of(stage).on_100(score)
        total += weight * scaled
    if weight_sum == 0:
        return 0.0, tuple(missing)
    return round(float(total / weight_sum), 2), tuple(missing)


def question(
    *,
    call: Call,
    weights: Mapping[int, Decimal] | None = None,
    rules: Sequence[CohortRule] | None = None,
) -> Question:
    """The optimiser's question for a call (the user has been checked by the caller)."""
    stages = weighted_stages(call)
    weights = dict(weights) if weights is not None else {s.pk: s.cohort_weight for s in stages}
    rules = list(rules) if rules is not None else list(call.cohort_rules.all())
    applications = candidates_of(call)
    ids = [a.pk for a in applications]
    scores: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for row in StageResult.objects.filter(application_id__in=ids, stage__in=stages).values_list(
        "application_id", "stage_id", "score"
    ):
        scores[row[0]][row[1]] = row[2]
    pins = dict(
        CohortPin.objects.filter(application_id__in=ids).values_list("application_id", "must")
    )
    call_sites = list(call.call_sites.select_related("site"))
    site_names = {cs.site_id: cs.site.name for cs in call_sites}
    split = len(call_sites) > 1
    seats = sum(cs.seats for cs in call_sites) or call.run.seats
    candidates: dict[str, Candidate] = {}
    applicants: list[Applicant] = []
    for application in applications:
        score, missing = composite(scores.get(application.pk, {}), stages, weights)
        chosen = [site_names[i] for i in application.site_choices if i in site_names]
        if not chosen and application.site_id in site_names:
            chosen = [site_names[application.site_id]]
        attributes = _attributes(application)
        must = pins.get(application.pk, "")
        key = str(application.pk)
        candidates[key] = Candidate(
            application_id=application.pk,
            name=application.person.display_name if application.person else key,
            score=score,
            missing=missing,
            site_names=tuple(dict.fromkeys(chosen)),
            attributes=attributes,
            must=must,
        )
        applicants.append(
            Applicant(
                id=key,
                score=score,
                sites=tuple(dict.fromkeys(chosen)) if split else (),
                must=Must(must),
                attributes=attributes,
            )
        )
    names = value_names()
    display: dict[str, str] = {str(k): str(v) for k, v in CohortAttribute.choices}
    for attribute, values in names.items():
        for value, name in values.items():
            display[f"{attribute}={value}"] = name
    problem = Problem(
        seats=seats,
        applicants=applicants,
        rules=[
            Rule(
                attribute=rule.attribute,
                kind=RuleKind(rule.kind),
                target=float(rule.target),
                value=rule.value,
                per_site=rule.per_site and split,
            )
            for rule in rules
        ],
        sites={site_names[cs.site_id]: cs.seats for cs in call_sites} if split else {},
        names=display,
    )
    return Question(
        call=call,
        problem=problem,
        candidates=candidates,
        stages=stages,
        weights=weights,
        rules=rules,
        value_names=names,
    )


def known_values(question_: Question) -> dict[str, list[tuple[str, str]]]:
    """For each attribute, the values the candidates have, with their names."""
    seen: dict[str, set[str]] = defaultdict(set)
    for candidate in question_.candidates.values():
        for attribute, value in candidate.attributes.items():
            if value:
                seen[attribute].add(value)
    names = question_.value_names
    return {
        attribute: sorted(
            ((v, names.get(attribute, {}).get(v, v)) for v in values), key=lambda p: p[1]
        )
        for attribute, values in seen.items()
    }
