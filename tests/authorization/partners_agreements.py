"""Matrix rows for partners: internships and their agreements (see partners.py for who may
do what). An internship follows its learner's cohort: the internship of an Alpha North
learner is Alpha's admin's, North's manager's and job coach's, and not found for Beta's
manager. The organisation's agreement templates and rules are its managers' (network admin,
site managers): a job coach is refused. POST rows send an empty form: it comes back with
its errors (200), or the action refuses with a message and goes back to the internship."""

from __future__ import annotations

import itertools
from typing import Any

from conftest import World
from tests.authorization.partners_answers import (
    ALPHA_INTERNSHIP_REDIRECT,
    ALPHA_MANAGER_RECORD,
    ALPHA_PARTNER,
    MANAGER_PAGES,
    PARTNER_PAGES,
)
from tests.authorization.records import no_kwargs
from tests.authorization.rows import Row
from tremplin.partners.models import AgreementRule, AgreementTemplate, Internship, Match

_numbers = itertools.count(1)


def _north_enrolment(w: World) -> Any:
    from tremplin.partners.tests.agreement_builders import learner_enrolled

    return learner_enrolled(w)


def _internship(w: World, *, scan: bool = False) -> Internship:
    from tremplin.partners.services.agreements import agreement_defaults_seed
    from tremplin.partners.tests.factories import InternshipFactory, PartnerFactory

    agreement_defaults_seed(organisation=w.alpha)
    internship: Internship = InternshipFactory(
        enrolment=_north_enrolment(w), partner=PartnerFactory(organisation=w.alpha)
    )
    if scan:
        from tremplin.core.encryption import encrypted_file_save
        from tremplin.partners.tests.agreement_builders import PDF

        encrypted_file_save(internship.signed_scan, "agreement.pdf", PDF)
        internship.save()
    return internship


def internship_north(w: World) -> dict[str, Any]:
    return {"internship_id": _internship(w).pk}


def internship_north_with_scan(w: World) -> dict[str, Any]:
    return {"internship_id": _internship(w, scan=True).pk}


def match_north(w: World) -> dict[str, Any]:
    from tremplin.partners.tests.factories import OfferFactory, PartnerFactory

    offer = OfferFactory(partner=PartnerFactory(organisation=w.alpha))
    match = Match.objects.create(offer=offer, enrolment=_north_enrolment(w), status="confirmed")
    return {"match_id": match.pk}


def template_alpha(w: World) -> dict[str, Any]:
    template = AgreementTemplate.objects.create(
        organisation=w.alpha,
        name=f"Template {next(_numbers)}",
        kind="internship",
        country="FR",
        language="fr",
        body="# Convention\n\n{learner_name}",
    )
    return {"template_id": template.pk}


def rule_alpha(w: World) -> dict[str, Any]:
    rule = AgreementRule.objects.create(
        organisation=w.alpha, name=f"Rule {next(_numbers)}", requirement="tutor"
    )
    return {"rule_id": rule.pk}


EMPTY: dict[str, Any] = {}

ROWS: list[Row] = [
    Row("partners:internship-list", no_kwargs, PARTNER_PAGES),
    Row("partners:internship-create", no_kwargs, PARTNER_PAGES),
    Row("partners:internship-create", no_kwargs, PARTNER_PAGES, post=EMPTY),
    Row("partners:internship-create-from-match", match_north, ALPHA_PARTNER),
    Row("partners:internship-create-from-match", match_north, ALPHA_PARTNER, post=EMPTY),
    Row("partners:internship-detail", internship_north, ALPHA_PARTNER),
    Row("partners:internship-edit", internship_north, ALPHA_PARTNER),
    Row("partners:internship-edit", internship_north, ALPHA_PARTNER, post=EMPTY),
    Row("partners:internship-agreement-pdf", internship_north, ALPHA_PARTNER),
    Row("partners:internship-signature", internship_north, ALPHA_PARTNER, post=EMPTY),
    Row("partners:internship-scan", internship_north_with_scan, ALPHA_PARTNER),
    Row("partners:internship-start", internship_north, ALPHA_INTERNSHIP_REDIRECT, post=EMPTY),
    Row("partners:internship-cancel", internship_north, ALPHA_INTERNSHIP_REDIRECT, post=EMPTY),
    Row("partners:agreement-template-list", no_kwargs, MANAGER_PAGES),
    Row("partners:agreement-template-create", no_kwargs, MANAGER_PAGES),
    Row("partners:agreement-template-create", no_kwargs, MANAGER_PAGES, post=EMPTY),
    Row("partners:agreement-template-edit", template_alpha, ALPHA_MANAGER_RECORD),
    Row("partners:agreement-template-edit", template_alpha, ALPHA_MANAGER_RECORD, post=EMPTY),
    Row("partners:agreement-rule-create", no_kwargs, MANAGER_PAGES),
    Row("partners:agreement-rule-create", no_kwargs, MANAGER_PAGES, post=EMPTY),
    Row("partners:agreement-rule-edit", rule_alpha, ALPHA_MANAGER_RECORD),
    Row("partners:agreement-rule-edit", rule_alpha, ALPHA_MANAGER_RECORD, post=EMPTY),
]
