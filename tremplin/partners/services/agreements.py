"""Agreement templates and rules: the placeholders a template may use and how they are
filled (plain substitution, every value escaped: no template engine is exposed), which
template an internship's agreement uses, the organisation's rules and how an internship is
checked against them, and the shipped defaults."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.core.numbers import number_text
from tremplin.network.models import Organisation
from tremplin.partners.models import (
    AgreementRule,
    AgreementTemplate,
    Internship,
    OfferKind,
    PayPeriod,
    RuleRequirement,
)
from tremplin.partners.services import agreement_texts as texts

# Every placeholder a template may use, and what it holds (shown on the edit page).
PLACEHOLDERS: dict[str, Any] = {
    "learner_name": gettext_lazy("The learner's legal name"),
    "learner_birth_date": gettext_lazy("The learner's birth date"),
    "learner_address": gettext_lazy("The learner's address"),
    "partner_name": gettext_lazy("The partner's name"),
    "partner_address": gettext_lazy("The address of the partner's site"),
    "partner_registration_number": gettext_lazy("The partner's registration number"),
    "tutor_name": gettext_lazy("The company tutor"),
    "tutor_job_title": gettext_lazy("The company tutor's job title"),
    "referent_name": gettext_lazy("The referent at the organisation"),
    "organisation_name": gettext_lazy("The organisation"),
    "site": gettext_lazy("The organisation's site"),
    "site_address": gettext_lazy("The site's address"),
    "programme": gettext_lazy("The programme"),
    "cohort": gettext_lazy("The cohort"),
    "kind": gettext_lazy("Internship, apprenticeship or job"),
    "country": gettext_lazy("The country of the internship"),
    "starts_on": gettext_lazy("First day"),
    "ends_on": gettext_lazy("Last day"),
    "duration_days": gettext_lazy("Calendar days from the first to the last day"),
    "hours_per_week": gettext_lazy("Hours per week"),
    "tasks": gettext_lazy("Tasks"),
    "pay": gettext_lazy("Pay or allowance, with its currency and period"),
    "school_obligations": gettext_lazy("The organisation's obligations"),
    "company_obligations": gettext_lazy("The company's obligations"),
    "today": gettext_lazy("The day the agreement is printed"),
}
# What the organisation edits of a template and of a rule (the forms show these).
TEMPLATE_FIELDS = (
    "name",
    "kind",
    "country",
    "language",
    "body",
    "school_obligations",
    "company_obligations",
    "active",
)
RULE_FIELDS = (
    "name",
    "country",
    "kind",
    "longer_than_days",
    "requirement",
    "threshold",
    "currency",
    "period",
    "message",
    "source",
    "active",
)
PLACEHOLDER = re.compile(r"\{([^{}\s]{1,60})\}")
HEADING = "# "


def placeholders_unknown(text: str) -> list[str]:
    """The ``{names}`` in ``text`` that are not placeholders, in order, each once."""
    found = (match.group(1) for match in PLACEHOLDER.finditer(text))
    return list(dict.fromkeys(name for name in found if name not in PLACEHOLDERS))


def duration_days(internship: Internship) -> int:
    return (internship.ends_on - internship.starts_on).days + 1


def _day(value: dt.date | None) -> str:
    return date_format(value, "DATE_FORMAT") if value else "—"


def _address(*parts: str) -> str:
    return ", ".join(part for part in parts if part) or "—"


def pay_text(internship: Internship) -> str:
    """'660,00 EUR per month', in the active language, the pay and the allowance when both
    are set; 'None' when nothing is paid."""
    period = PayPeriod(internship.pay_period).label
    amounts = [
        f"{number_text(amount, fixed=True)} {internship.currency} {period}"
        for amount in (internship.pay_amount, internship.allowance_amount)
        if amount
    ]
    if not amounts:
        return _("None")
    if len(amounts) == 2:
        return _("%(pay)s in pay and %(allowance)s in allowance") % {
            "pay": amounts[0],
            "allowance": amounts[1],
        }
    return amounts[0]


def placeholder_values(internship: Internship) -> dict[str, str]:
    """What each placeholder holds for ``internship``, in the active language (call it under
    ``translation.override(the agreement's language)``)."""
    enrolment = internship.enrolment
    person = enrolment.person
    site = enrolment.cohort.run.site
    partner_site = internship.partner_site
    template = internship.template
    referent = internship.referent
    return {
        "learner_name": f"{person.legal_given_names} {person.legal_family_name}".strip(),
        "learner_birth_date": _day(person.birth_date),
        "learner_address": _address(person.address, person.postal_code),
        "partner_name": internship.partner.name,
        "partner_address": (
            _address(partner_site.address, partner_site.postal_code, partner_site.city)
            if partner_site
            else "—"
        ),
        "partner_registration_number": internship.partner.registration_number or "—",
        "tutor_name": internship.tutor.name if internship.tutor else "—",
        "tutor_job_title": internship.tutor.job_title if internship.tutor else "—",
        "referent_name": (referent.get_full_name() or referent.email) if referent else "—",
        "organisation_name": site.organisation.name,
        "site": site.name,
        "site_address": _address(site.address, site.postal_code, site.city),
        "programme": enrolment.cohort.run.programme.title,
        "cohort": enrolment.cohort.title,
        "kind": str(OfferKind(internship.kind).label),
        "country": str(countries.name(internship.country) or internship.country),
        "starts_on": _day(internship.starts_on),
        "ends_on": _day(internship.ends_on),
        "duration_days": str(duration_days(internship)),
        "hours_per_week": number_text(internship.hours_per_week, places=1),
        "tasks": internship.tasks,
        "pay": pay_text(internship),
        "school_obligations": internship.school_obligations
        or (template.school_obligations if template else ""),
        "company_obligations": internship.company_obligations
        or (template.company_obligations if template else ""),
        "today": _day(timezone.localdate()),
    }


@dataclass(frozen=True)
class Block:
    """A part of the agreement's text: a heading or a paragraph, already escaped."""

    heading: bool
    html: SafeString


def agreement_blocks(body: str, values: dict[str, str]) -> list[Block]:
    """The template's body filled with ``values``: paragraphs split at blank lines, a
    paragraph starting with "# " a heading; the text and the values are escaped, line
    breaks kept. An unknown placeholder stays as written."""
    blocks = []
    for paragraph in re.split(r"\n\s*\n", body.replace("\r\n", "\n").strip()):
        heading = paragraph.startswith(HEADING)
        text = paragraph[len(HEADING) :] if heading else paragraph
        parts: list[str] = []
        last = 0
        for match in PLACEHOLDER.finditer(text):
            parts.append(escape(text[last : match.start()]))
            name = match.group(1)
            parts.append(escape(values[name]) if name in values else escape(match.group(0)))
            last = match.end()
        parts.append(escape(text[last:]))
        html = "".join(parts).replace("\n", "<br>")
        blocks.append(Block(heading=heading, html=mark_safe(html)))  # noqa: S308 - escaped
    return blocks


def template_choose(
    *, organisation_id: int, kind: str, country: str, language: str
) -> AgreementTemplate | None:
    """The organisation's template in use for ``kind`` (an internship's template when none
    is for an apprenticeship or a job) and ``country`` (one for any country when none is for
    it), in ``language`` when there is one, else in any language."""
    candidates = AgreementTemplate.objects.filter(
        organisation_id=organisation_id,
        active=True,
        country__in=[country, ""],
        kind__in=[kind, OfferKind.INTERNSHIP.value],
    ).order_by("pk")

    def rank(template: AgreementTemplate) -> tuple[int, int, int]:
        return (
            0 if template.kind == kind else 1,
            0 if template.country == country else 1,
            0 if template.language == language else 1,
        )

    return min(candidates, key=rank, default=None)


def template_for(internship: Internship) -> AgreementTemplate | None:
    """The template of the agreement: the one chosen on the internship, else
    ``template_choose`` in the agreement's language."""
    if internship.template_id is not None:
        return internship.template
    return template_choose(
        organisation_id=internship.partner.organisation_id,
        kind=internship.kind,
        country=internship.country,
        language=internship.language,
    )


# --- rules -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleCheck:
    rule: AgreementRule
    applies: bool
    met: bool
    message: str


def _monthly(amount: Decimal, *, period: str, hours_per_week: Decimal, days: int) -> Decimal:
    """An amount per month, from one per hour (52 weeks of the agreed hours a year), per
    month, or for the whole internship (spread over its months of 30.4375 days)."""
    if period == PayPeriod.HOUR:
        return amount * hours_per_week * 52 / 12
    if period == PayPeriod.TOTAL:
        return amount / (Decimal(days) / Decimal("30.4375"))
    return amount


def rule_applies(rule: AgreementRule, internship: Internship) -> bool:
    return (
        (not rule.country or rule.country == internship.country)
        and (not rule.kind or rule.kind == internship.kind)
        and (rule.longer_than_days is None or duration_days(internship) > rule.longer_than_days)
    )


def rule_message(rule: AgreementRule) -> str:
    """What the refusal says: the organisation's message, else a sentence from the rule."""
    if rule.message:
        return rule.message
    value = number_text(rule.threshold) if rule.threshold is not None else ""
    sentences = {
        RuleRequirement.ALLOWANCE: _("an allowance must be paid"),
        RuleRequirement.ALLOWANCE_AT_LEAST: _("the allowance must be at least %(value)s")
        % {"value": f"{value} {rule.currency} {PayPeriod(rule.period or 'month').label}"},
        RuleRequirement.HOURS_AT_MOST: _("at most %(value)s hours a week") % {"value": value},
        RuleRequirement.DURATION_AT_MOST: _("at most %(value)s days") % {"value": value},
        RuleRequirement.TUTOR: _("a company tutor must be named"),
        RuleRequirement.SIGNED_SCAN: _("the signed agreement must be uploaded"),
    }
    return f"{rule.name}: {sentences[RuleRequirement(rule.requirement)]}"


def rule_met(rule: AgreementRule, internship: Internship) -> bool:
    requirement = rule.requirement
    paid = internship.allowance_amount or internship.pay_amount or Decimal(0)
    threshold = rule.threshold if rule.threshold is not None else Decimal(0)
    if requirement == RuleRequirement.ALLOWANCE:
        return paid > 0
    if requirement == RuleRequirement.ALLOWANCE_AT_LEAST:
        if paid <= 0 or internship.currency != rule.currency:
            return False
        days = duration_days(internship)
        hours = internship.hours_per_week
        paid_monthly = _monthly(paid, period=internship.pay_period, hours_per_week=hours, days=days)
        wanted = _monthly(threshold, period=rule.period or "month", hours_per_week=hours, days=days)
        return paid_monthly >= wanted
    if requirement == RuleRequirement.HOURS_AT_MOST:
        return internship.hours_per_week <= threshold
    if requirement == RuleRequirement.DURATION_AT_MOST:
        return duration_days(internship) <= threshold
    if requirement == RuleRequirement.TUTOR:
        return internship.tutor_id is not None
    return bool(internship.signed_scan)


def rules_checked(internship: Internship) -> list[RuleCheck]:
    """Every rule of the organisation in use, whether it applies to ``internship`` and
    whether it is met (the detail page's checklist)."""
    rules = AgreementRule.objects.filter(
        organisation_id=internship.partner.organisation_id, active=True
    ).order_by("name", "pk")
    checks = []
    for rule in rules:
        applies = rule_applies(rule, internship)
        met = rule_met(rule, internship) if applies else True
        checks.append(RuleCheck(rule=rule, applies=applies, met=met, message=rule_message(rule)))
    return checks


def rules_broken(internship: Internship, *, with_scan: bool) -> list[str]:
    """The messages of the rules ``internship`` breaks (the signed-scan rules only when
    ``with_scan``: a scan is uploaded once everyone signed)."""
    return [
        check.message
        for check in rules_checked(internship)
        if not check.met and (with_scan or check.rule.requirement != RuleRequirement.SIGNED_SCAN)
    ]


# --- writes ----------------------------------------------------------------------------------


def _template_fields_check(*, body: str, school: str, company: str) -> None:
    errors: dict[str, str] = {}
    for field, text in (
        ("body", body),
        ("school_obligations", school),
        ("company_obligations", company),
    ):
        unknown = placeholders_unknown(text)
        if unknown:
            errors[field] = _("Unknown placeholder: %(names)s.") % {
                "names": ", ".join("{" + name + "}" for name in unknown)
            }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def agreement_template_save(
    *,
    actor: User,
    organisation: Organisation,
    template: AgreementTemplate | None,
    data: dict[str, Any],
) -> AgreementTemplate:
    """Create or change a template; an unknown placeholder is refused, naming it."""
    _template_fields_check(
        body=data["body"],
        school=data.get("school_obligations", ""),
        company=data.get("company_obligations", ""),
    )
    created = template is None
    if template is None:
        template = AgreementTemplate(organisation=organisation)
    for field in TEMPLATE_FIELDS:
        if field in data:
            setattr(template, field, data[field])
    template.updated_by = actor
    template.save()
    audit_record(
        actor=actor,
        action=AuditAction.AGREEMENT_TEMPLATE_SAVED,
        subject=template,
        changes={"created": created, "name": template.name, "language": template.language},
    )
    return template


def rule_refusals(*, requirement: str, threshold: Decimal | None, currency: str) -> dict[str, str]:
    """What a rule lacks, by field: the value its requirement compares with, and the
    currency of an allowance at least."""
    errors: dict[str, str] = {}
    if (
        requirement
        in (
            RuleRequirement.ALLOWANCE_AT_LEAST,
            RuleRequirement.HOURS_AT_MOST,
            RuleRequirement.DURATION_AT_MOST,
        )
        and threshold is None
    ):
        errors["threshold"] = _("Give the value this requirement compares with.")
    if requirement == RuleRequirement.ALLOWANCE_AT_LEAST and not currency:
        errors["currency"] = _("Give the currency of the allowance.")
    return errors


@transaction.atomic
def agreement_rule_save(
    *, actor: User, organisation: Organisation, rule: AgreementRule | None, data: dict[str, Any]
) -> AgreementRule:
    """Create or change a rule; a threshold is needed for the requirements that compare
    with one, and a currency for an allowance at least."""
    errors = rule_refusals(
        requirement=data["requirement"],
        threshold=data.get("threshold"),
        currency=data.get("currency", ""),
    )
    if errors:
        raise ValidationError(errors)
    created = rule is None
    if rule is None:
        rule = AgreementRule(organisation=organisation)
    for field in RULE_FIELDS:
        if field in data:
            setattr(rule, field, data[field])
    rule.save()
    audit_record(
        actor=actor,
        action=AuditAction.AGREEMENT_RULE_SAVED,
        subject=rule,
        changes={"created": created, "name": rule.name, "requirement": rule.requirement},
    )
    return rule


L124_6 = "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000029234125"
L124_14 = "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000029233973"


@transaction.atomic
def agreement_defaults_seed(*, organisation: Organisation, actor: User | None = None) -> bool:
    """Give ``organisation`` the shipped templates and French rules, once: only when it has
    no template and no rule yet (what it removed or changed stays so). True when seeded.
    The first visit to the templates page and the demo call it."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if (
        AgreementTemplate.objects.filter(organisation=organisation).exists()
        or AgreementRule.objects.filter(organisation=organisation).exists()
    ):
        return False
    AgreementTemplate.objects.create(
        organisation=organisation,
        name=texts.FRENCH_NAME,
        kind=OfferKind.INTERNSHIP,
        country="FR",
        language="fr",
        body=texts.FRENCH_BODY,
        school_obligations=texts.FRENCH_SCHOOL_OBLIGATIONS,
        company_obligations=texts.FRENCH_COMPANY_OBLIGATIONS,
    )
    for code, country_name in texts.ENGLISH_COUNTRIES:
        AgreementTemplate.objects.create(
            organisation=organisation,
            name=texts.ENGLISH_NAME.format(country_name=country_name),
            kind=OfferKind.INTERNSHIP,
            country=code,
            language="en",
            body=texts.ENGLISH_BODY,
            school_obligations=texts.ENGLISH_SCHOOL_OBLIGATIONS,
            company_obligations=texts.ENGLISH_COMPANY_OBLIGATIONS,
        )
    AgreementRule.objects.create(
        organisation=organisation,
        name="Gratification au-delà de 2 mois (France)",
        country="FR",
        kind=OfferKind.INTERNSHIP,
        longer_than_days=61,
        requirement=RuleRequirement.ALLOWANCE,
        message=(
            "Un stage de plus de 2 mois en France doit être gratifié (Code de l'éducation, "
            "article L124-6)."
        ),
        source=L124_6,
    )
    AgreementRule.objects.create(
        organisation=organisation,
        name="35 heures par semaine au plus (France)",
        country="FR",
        kind=OfferKind.INTERNSHIP,
        requirement=RuleRequirement.HOURS_AT_MOST,
        threshold=Decimal(35),
        message=(
            "Un stage en France suit la durée du travail de l'entreprise : 35 heures par "
            "semaine au plus (Code de l'éducation, article L124-14)."
        ),
        source=L124_14,
    )
    for template in AgreementTemplate.objects.filter(organisation=organisation):
        audit_record(
            actor=actor,
            action=AuditAction.AGREEMENT_TEMPLATE_SAVED,
            subject=template,
            changes={"created": True, "name": template.name, "shipped": True},
        )
    for rule in AgreementRule.objects.filter(organisation=organisation):
        audit_record(
            actor=actor,
            action=AuditAction.AGREEMENT_RULE_SAVED,
            subject=rule,
            changes={"created": True, "name": rule.name, "shipped": True},
        )
    return True


def agreement_render_context(internship: Internship) -> dict[str, Any]:
    """What the PDF's page shows, in the agreement's language (active when called)."""
    template = template_for(internship)
    with translation.override(internship.language):
        values = placeholder_values(internship)
    return {
        "internship": internship,
        "template": template,
        "blocks": agreement_blocks(template.body, values) if template else [],
        "values": values,
    }
