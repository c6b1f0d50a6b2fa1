"""Partners' models, one module per concept: organisations (partners, their sites, contacts
and timeline), links (private links for partner contacts), referrals, offers (offers,
interests, matches) and internships (agreements and what happens during them).

Django finds an app's models through its `models` module, so this `__init__` imports every
model class (docs/architecture.md). Callers import from `tremplin.partners.models`.
"""

from tremplin.partners.models.internships import (
    AgreementRule,
    AgreementSignature,
    AgreementTemplate,
    CheckIn,
    CheckInKind,
    CriterionKind,
    EarlyEndReason,
    EvaluationCriterion,
    Incident,
    IncidentKind,
    Internship,
    InternshipStatus,
    RuleRequirement,
    SelfAssessment,
    SignatoryRole,
    TutorEvaluation,
)
from tremplin.partners.models.links import LinkPurpose, PartnerLink
from tremplin.partners.models.offers import (
    Match,
    MatchingRun,
    MatchStatus,
    Offer,
    OfferCompetence,
    OfferInterest,
    OfferKind,
    OfferLanguage,
    OfferSource,
    OfferStatus,
    PayPeriod,
)
from tremplin.partners.models.organisations import (
    DONATION_KINDS,
    Interaction,
    InteractionKind,
    Partner,
    PartnerContact,
    PartnerKind,
    Partnership,
    PartnerSite,
    PartnerSize,
)
from tremplin.partners.models.referrals import Referral

__all__ = [
    "DONATION_KINDS",
    "AgreementRule",
    "AgreementSignature",
    "AgreementTemplate",
    "CheckIn",
    "CheckInKind",
    "CriterionKind",
    "EarlyEndReason",
    "EvaluationCriterion",
    "Incident",
    "IncidentKind",
    "Interaction",
    "InteractionKind",
    "Internship",
    "InternshipStatus",
    "LinkPurpose",
    "Match",
    "MatchStatus",
    "MatchingRun",
    "Offer",
    "OfferCompetence",
    "OfferInterest",
    "OfferKind",
    "OfferLanguage",
    "OfferSource",
    "OfferStatus",
    "Partner",
    "PartnerContact",
    "PartnerKind",
    "PartnerLink",
    "PartnerSite",
    "PartnerSize",
    "Partnership",
    "PayPeriod",
    "Referral",
    "RuleRequirement",
    "SelfAssessment",
    "SignatoryRole",
    "TutorEvaluation",
]
