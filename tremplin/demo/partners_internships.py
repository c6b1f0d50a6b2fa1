"""The demo's internships (issue 14, demo/partners.py makes the partners and offers): the
matched cohort's confirmed matches become agreements (signed or being prepared); a cohort
that finished a month ago is in its internships, with signed agreements, check-ins, tutors'
mid-term evaluations, an incident and an early end; PN Philippines' third-years ended
theirs, evaluated, about 46 % hired by their company."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from tremplin.core.models import User
from tremplin.core.tokens import token_hash
from tremplin.network.models import Organisation, Programme, ProgrammeRun, Role, RoleAssignment
from tremplin.partners.models import (
    AgreementSignature,
    CheckIn,
    CheckInKind,
    CriterionKind,
    EarlyEndReason,
    EvaluationCriterion,
    Incident,
    IncidentKind,
    Internship,
    InternshipStatus,
    Match,
    MatchStatus,
    Offer,
    OfferKind,
    OfferStatus,
    Partner,
    PartnerContact,
    SelfAssessment,
    SignatoryRole,
    TutorEvaluation,
)
from tremplin.partners.services.agreements import agreement_defaults_seed
from tremplin.people.models import Person
from tremplin.placement.models import Competence
from tremplin.training.models import Cohort, Enrolment

# Who hosts the finished cohort's interns: (site slug, programme slug, partners).
FINISHED_HOSTS = {
    "plombiers-du-numerique": (
        "nanterre",
        "datacenter",
        ["Datacentre Seine Ouest (fictif)", "Raccord 93 (fictive)"],
    ),
    "konexio": (
        "bordeaux",
        "digiconnect",
        ["Garonne Digital (fictive)", "WebAtelier Paris (fictif)"],
    ),
    "simplon": (
        "paris",
        "nt4eu",
        [
            "Régie de quartier Belleville (fictive)",
            "Librairie Les Mots Passants (fictive)",
            "Atelier Vélo Solidaire (fictif)",
        ],
    ),
}
PN_HOSTS = ["Accenture", "Synacy", "Avanade", "Cisco"]
PN_THIRD_YEARS = 26
HIRED_SHARE = 0.46
SOFT_SKILLS = [
    {"en": "Punctuality", "fr": "Ponctualité"},
    {"en": "Teamwork", "fr": "Travail en équipe"},
    {"en": "Initiative", "fr": "Prise d'initiative"},
]
CURRENCY = {"FR": "EUR", "PH": "PHP", "KH": "USD", "VN": "VND"}
ALLOWANCE = {"FR": 650, "PH": 8000, "KH": 150, "VN": 3000000}


def _people(organisation: Organisation, role: str) -> list[User]:
    return [
        a.user
        for a in RoleAssignment.objects.filter(organisation=organisation, role=role)
        .select_related("user")
        .order_by("pk")
    ]


def cohort_of(
    organisation: Organisation, site_slug: str, programme_slug: str, status: str
) -> Cohort | None:
    """The first cohort of the organisation's run of that programme, at that site, in that
    state."""
    return (
        Cohort.objects.filter(
            run__site__organisation=organisation,
            run__site__slug=site_slug,
            run__programme__slug=programme_slug,
            run__status=status,
        )
        .select_related("run__programme", "run__site")
        .order_by("pk")
        .first()
    )


def criteria_ensure(programme: Programme) -> list[EvaluationCriterion]:
    """What tutors rate for the programme: three DigComp competences and three soft skills."""
    existing = list(EvaluationCriterion.objects.filter(programme=programme))
    if existing:
        return existing
    competences = Competence.objects.filter(
        framework__code="digcomp-2.2",
        framework__organisation__isnull=True,
        code__in=["2.1", "3.4", "5.1"],
    ).order_by("position")
    rows = [
        EvaluationCriterion(
            programme=programme, kind=CriterionKind.COMPETENCE, competence=c, position=n
        )
        for n, c in enumerate(competences)
    ]
    rows += [
        EvaluationCriterion(
            programme=programme, kind=CriterionKind.SOFT_SKILL, label=label, position=10 + n
        )
        for n, label in enumerate(SOFT_SKILLS)
    ]
    return EvaluationCriterion.objects.bulk_create(rows)


def pn_third_years(organisation: Organisation, *, today: dt.date) -> Cohort | None:
    """PN Philippines' promotion that finished seven months ago (2.5 years with the
    University of San Carlos), from Cebu people in no other cohort."""
    site = organisation.sites.filter(slug="cebu").first()
    programme = organisation.programmes.filter(slug="it-usc").first()
    if site is None or programme is None:
        return None
    ends_on = today - dt.timedelta(days=220)
    starts_on = ends_on - dt.timedelta(weeks=programme.duration_weeks)
    run = ProgrammeRun.objects.create(
        programme=programme,
        site=site,
        title=f"{programme.title} — Cebu City {starts_on:%Y-%m}",
        starts_on=starts_on,
        ends_on=ends_on,
        seats=PN_THIRD_YEARS,
        status=ProgrammeRun.Status.FINISHED,
    )
    cohort = Cohort.objects.create(
        run=run, title=run.title, starts_on=starts_on, ends_on=ends_on, seats=PN_THIRD_YEARS
    )
    people = Person.objects.filter(site=site, merged_into__isnull=True, enrolments__isnull=True)
    Enrolment.objects.bulk_create(
        Enrolment(
            cohort=cohort,
            person=person,
            joined_on=starts_on,
            status=Enrolment.Status.GRADUATED,
            left_on=ends_on,
        )
        for person in people.order_by("pk")[:PN_THIRD_YEARS]
    )
    return cohort


def _closed_offer(
    partner: Partner, *, places: int, starts_on: dt.date, ends_on: dt.date, admin: User
) -> Offer:
    country = partner.country or "FR"
    return Offer.objects.create(
        partner=partner,
        partner_site=partner.sites.order_by("pk").first(),
        kind=OfferKind.INTERNSHIP,
        title=f"Internship at {partner.name}",
        starts_on=starts_on,
        ends_on=ends_on,
        hours_per_week=Decimal(35),
        allowance_amount=Decimal(ALLOWANCE.get(country, 650)),
        currency=CURRENCY.get(country, "EUR"),
        places=places,
        status=OfferStatus.CLOSED,
        created_by=admin,
    )


def _internships(
    cohort: Cohort,
    partners: list[Partner],
    *,
    admin: User,
    referent: User,
    starts_on: dt.date,
    weeks: int,
    status: str,
    limit: int,
) -> list[Internship]:
    """Each of the cohort's graduates (up to ``limit``) placed in turn with the partners,
    through a closed offer and a confirmed match, agreement signed a week before."""
    enrolments = list(
        cohort.enrolments.filter(status=Enrolment.Status.GRADUATED)
        .select_related("person")
        .order_by("pk")[:limit]
    )
    ends_on = starts_on + dt.timedelta(weeks=weeks)
    groups: dict[int, list[Enrolment]] = {}
    for number, enrolment in enumerate(enrolments):
        groups.setdefault(number % len(partners), []).append(enrolment)
    tutors: dict[int, PartnerContact | None] = {
        p.pk: p.contacts.filter(is_tutor=True).order_by("pk").first() for p in partners
    }
    signed_at = timezone.make_aware(
        dt.datetime.combine(starts_on - dt.timedelta(days=7), dt.time(10))
    )
    rows: list[Internship] = []
    for index, members in sorted(groups.items()):
        partner = partners[index]
        offer = _closed_offer(
            partner, places=len(members), starts_on=starts_on, ends_on=ends_on, admin=admin
        )
        matches = Match.objects.bulk_create(
            Match(
                offer=offer,
                enrolment=e,
                status=MatchStatus.CONFIRMED,
                fit=Decimal(70),
                decided_by=admin,
                decided_at=signed_at,
            )
            for e in members
        )
        country = partner.country or "FR"
        rows += [
            Internship(
                enrolment=match.enrolment,
                partner=partner,
                partner_site=offer.partner_site,
                offer=offer,
                match=match,
                kind=OfferKind.INTERNSHIP,
                tutor=tutors[partner.pk],
                referent=referent,
                starts_on=starts_on,
                ends_on=ends_on,
                hours_per_week=Decimal(35),
                tasks="Take part in the team's daily work under the tutor's guidance.",
                allowance_amount=offer.allowance_amount,
                currency=offer.currency,
                country=country,
                language="fr" if country == "FR" else "en",
                status=status,
                signed_at=signed_at,
                created_by=admin,
            )
            for match in matches
        ]
    return Internship.objects.bulk_create(rows)


def _signatures(internships: list[Internship], *, admin: User) -> None:
    rows = []
    for internship in internships:
        assert internship.signed_at is not None
        day = internship.signed_at.date()
        person = internship.enrolment.person
        rows += [
            AgreementSignature(
                internship=internship,
                role=SignatoryRole.LEARNER,
                signer_name=f"{person.legal_given_names} {person.legal_family_name}",
                signed_on=day,
                recorded_by=admin,
            ),
            AgreementSignature(
                internship=internship,
                role=SignatoryRole.COMPANY,
                signer_name=internship.tutor.name if internship.tutor else internship.partner.name,
                signed_on=day,
                recorded_by=admin,
            ),
            AgreementSignature(
                internship=internship,
                role=SignatoryRole.ORGANISATION,
                signer_name=admin.get_full_name() or admin.email,
                signed_on=day,
                recorded_by=admin,
            ),
        ]
    AgreementSignature.objects.bulk_create(rows)


def _follow_up(
    internships: list[Internship],
    criteria: list[EvaluationCriterion],
    *,
    today: dt.date,
    rng: random.Random,
    submitted_share: float,
) -> None:
    """Check-ins (held when past), the tutors' evaluations (most submitted, the others
    waiting on their link), the learners' self-assessments."""
    now = timezone.now()
    check_ins, evaluations, assessments = [], [], []
    for number, internship in enumerate(internships):
        for offset, kind in (
            (7, CheckInKind.CALL),
            (35, CheckInKind.VISIT),
            (90, CheckInKind.CALL),
        ):
            day = internship.starts_on + dt.timedelta(days=offset)
            if day > internship.ends_on:
                break
            held = day <= today
            check_ins.append(
                CheckIn(
                    internship=internship,
                    kind=kind,
                    planned_on=day,
                    held_on=day if held else None,
                    notes="Settling in well; the tutor is pleased." if held else "",
                    by=internship.referent,
                )
            )
        if (today - internship.starts_on).days < 14:
            continue
        submitted = rng.random() < submitted_share
        asked = timezone.make_aware(
            dt.datetime.combine(internship.starts_on + dt.timedelta(days=14), dt.time(9))
        )
        evaluations.append(
            TutorEvaluation(
                internship=internship,
                tutor=internship.tutor,
                token_hash=token_hash(f"demo-{rng.getrandbits(128):032x}"),
                language=internship.language,
                expires_at=max(asked + dt.timedelta(days=30), now + dt.timedelta(days=7))
                if not submitted
                else asked + dt.timedelta(days=30),
                submitted_at=asked + dt.timedelta(days=rng.randint(1, 10)) if submitted else None,
                answers={
                    "criteria": {str(c.pk): rng.choice([2, 3, 3, 4]) for c in criteria},
                    "comment": "Serious and curious; learns fast.",
                    "would_hire": rng.random() < 0.6,
                }
                if submitted
                else {},
                evaluator_name=internship.tutor.name if submitted and internship.tutor else "",
                requested_by=internship.referent,
            )
        )
        if number % 2 == 0:
            assessments.append(
                SelfAssessment(
                    internship=internship,
                    went_well="I learnt to work with a real team.",
                    to_improve="Speaking up in meetings.",
                    satisfaction=rng.choice([3, 4, 4]),
                )
            )
    CheckIn.objects.bulk_create(check_ins)
    TutorEvaluation.objects.bulk_create(evaluations)
    SelfAssessment.objects.bulk_create(assessments)


def matched_agreements(organisation: Organisation, *, admin: User, referent: User) -> None:
    """The confirmed matches of the organisation's running cohorts become agreements to
    start after the training: every other one signed, the others being prepared."""
    matches = list(
        Match.objects.filter(
            offer__partner__organisation=organisation,
            status=MatchStatus.CONFIRMED,
            offer__status=OfferStatus.OPEN,
        )
        .select_related(
            "offer__partner", "offer__partner_site", "enrolment__cohort", "enrolment__person"
        )
        .order_by("pk")
    )
    now = timezone.now()
    internships = []
    for number, match in enumerate(matches):
        offer = match.offer
        starts_on = max(
            offer.starts_on or now.date(), match.enrolment.cohort.ends_on + dt.timedelta(days=14)
        )
        length = (
            (offer.ends_on - offer.starts_on)
            if offer.ends_on and offer.starts_on
            else dt.timedelta(weeks=8)
        )
        country = offer.partner.country or "FR"
        signed = number % 2 == 0
        internships.append(
            Internship(
                enrolment=match.enrolment,
                partner=offer.partner,
                partner_site=offer.partner_site,
                offer=offer,
                match=match,
                kind=offer.kind,
                tutor=offer.partner.contacts.filter(is_tutor=True).order_by("pk").first(),
                referent=referent,
                starts_on=starts_on,
                ends_on=starts_on + length,
                hours_per_week=offer.hours_per_week or Decimal(35),
                tasks=offer.description or offer.title,
                pay_amount=offer.pay_amount,
                allowance_amount=offer.allowance_amount,
                pay_period=offer.pay_period,
                currency=offer.currency,
                country=country,
                language="fr" if country == "FR" else "en",
                status=InternshipStatus.SIGNED if signed else InternshipStatus.DRAFT,
                signed_at=now if signed else None,
                created_by=admin,
            )
        )
    made = Internship.objects.bulk_create(internships)
    _signatures([i for i in made if i.signed_at is not None], admin=admin)


def pn_hired_after_internship(
    organisation: Organisation,
    partners: dict[str, Partner],
    *,
    admin: User,
    referent: User,
    today: dt.date,
    rng: random.Random,
) -> None:
    """PN Philippines' third-years ended their internships; about 46 % were offered a job."""
    cohort = pn_third_years(organisation, today=today)
    if cohort is None:
        return
    done = _internships(
        cohort,
        [partners[name] for name in PN_HOSTS],
        admin=admin,
        referent=referent,
        starts_on=cohort.ends_on + dt.timedelta(days=14),
        weeks=22,
        status=InternshipStatus.ENDED,
        limit=PN_THIRD_YEARS,
    )
    hired_count = round(len(done) * HIRED_SHARE)
    order = list(range(len(done)))
    rng.shuffle(order)
    for rank, index in enumerate(order):
        internship = done[index]
        internship.ended_on = internship.ends_on
        internship.job_offered = rank < hired_count
        if internship.job_offered:
            internship.job_offer_note = "Offered a junior position at the end of the internship."
    Internship.objects.bulk_update(done, ["ended_on", "job_offered", "job_offer_note"])
    _signatures(done, admin=admin)
    criteria = criteria_ensure(cohort.run.programme)
    _follow_up(done, criteria, today=today, rng=rng, submitted_share=0.9)


def finished_cohort_internships(
    organisation: Organisation,
    partners: dict[str, Partner],
    *,
    admin: User,
    referent: User,
    today: dt.date,
    rng: random.Random,
) -> None:
    """The cohort that finished a month ago is in its internships: signed, check-ins,
    mid-term evaluations, an incident; one hired before the end, one who left early."""
    site_slug, programme_slug, names = FINISHED_HOSTS[organisation.slug]
    cohort = cohort_of(organisation, site_slug, programme_slug, ProgrammeRun.Status.FINISHED)
    if cohort is None:
        return
    starts_on = min(cohort.ends_on + dt.timedelta(days=14), today - dt.timedelta(days=15))
    running = _internships(
        cohort,
        [partners[name] for name in names],
        admin=admin,
        referent=referent,
        starts_on=starts_on,
        weeks=8,
        status=InternshipStatus.UNDER_WAY,
        limit=8,
    )
    _signatures(running, admin=admin)
    criteria = criteria_ensure(cohort.run.programme)
    _follow_up(running, criteria, today=today, rng=rng, submitted_share=0.6)
    hired, left = running[-1], running[-2]
    hired.end_reason = EarlyEndReason.HIRED_EARLY
    hired.end_note = "The company hired the learner before the end of the internship."
    hired.job_offered = True
    hired.job_offer_note = "Fixed-term contract offered."
    left.end_reason = EarlyEndReason.LEARNER_LEFT
    left.end_note = "Moved to another city for family reasons."
    for internship in (hired, left):
        internship.status = InternshipStatus.ENDED_EARLY
        internship.ended_on = today - dt.timedelta(days=3)
    Internship.objects.bulk_update(
        [hired, left],
        ["status", "ended_on", "end_reason", "end_note", "job_offered", "job_offer_note"],
    )
    Incident.objects.create(
        internship=running[0],
        kind=IncidentKind.ABSENCE,
        happened_on=min(today, starts_on + dt.timedelta(days=5)),
        description="Two late arrivals in the first week (transport).",
        action="Travel plan reviewed with the learner and the tutor",
        recorded_by=referent,
    )


def internships_load(
    organisation: Organisation,
    partners: dict[str, Partner],
    *,
    admin: User,
    today: dt.date,
    rng: random.Random,
) -> None:
    agreement_defaults_seed(organisation=organisation, actor=admin)
    referent = (_people(organisation, Role.JOB_COACH) or [admin])[0]
    matched_agreements(organisation, admin=admin, referent=referent)
    load = (
        pn_hired_after_internship
        if organisation.slug == "passerelles-numeriques"
        else finished_cohort_internships
    )
    load(organisation, partners, admin=admin, referent=referent, today=today, rng=rng)


def internships_remove(partners: QuerySet[Partner]) -> None:
    Internship.objects.filter(partner__in=partners).delete()
