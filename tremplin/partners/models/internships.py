"""Internships and apprenticeships: the agreement (convention de stage) and its signatures,
the rules it must meet, and what happens during it: the referent's check-ins, the company
tutor's evaluation by link, the learner's self-assessment, incidents, and how it ended."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tremplin.core.encryption import EncryptedFileField
from tremplin.network.models import Organisation, Programme
from tremplin.partners.models.offers import Match, Offer, OfferKind, PayPeriod
from tremplin.partners.models.organisations import Partner, PartnerContact, PartnerSite
from tremplin.placement.models import Competence
from tremplin.training.models import Enrolment


class AgreementTemplate(models.Model):
    """The text of an agreement, which the organisation edits: the French convention de
    stage, a template for Cambodia, Vietnam and the Philippines… Placeholders such as
    ``{learner_name}`` are filled from the internship (services.agreements lists them)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="agreement_templates"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("for"), max_length=16, choices=OfferKind.choices)
    # The country it is written for (blank: any) and its language.
    country = models.CharField(_("country"), max_length=2, blank=True)
    language = models.CharField(_("language"), max_length=8)
    body = models.TextField(_("text"))
    school_obligations = models.TextField(_("the organisation's obligations"), blank=True)
    company_obligations = models.TextField(_("the company's obligations"), blank=True)
    active = models.BooleanField(_("in use"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "name", "pk"]
        verbose_name = _("agreement template")
        verbose_name_plural = _("agreement templates")

    def __str__(self) -> str:
        return self.name


class RuleRequirement(models.TextChoices):
    ALLOWANCE = "allowance", _("An allowance is paid")
    ALLOWANCE_AT_LEAST = "allowance_at_least", _("The allowance is at least")
    HOURS_AT_MOST = "hours_at_most", _("Hours per week are at most")
    DURATION_AT_MOST = "duration_at_most", _("It lasts at most (days)")
    TUTOR = "tutor", _("A company tutor is named")
    SIGNED_SCAN = "signed_scan", _("A signed scan is uploaded")


class AgreementRule(models.Model):
    """A check every agreement that matches the rule's conditions must pass before it can
    be signed: "in France, an internship of more than 2 months needs an allowance" is
    country FR, kind internship, longer than 61 days, requirement allowance."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="agreement_rules"
    )
    name = models.CharField(_("name"), max_length=200)
    # Conditions (blank: any).
    country = models.CharField(_("in country"), max_length=2, blank=True)
    kind = models.CharField(_("for"), max_length=16, choices=OfferKind.choices, blank=True)
    longer_than_days = models.PositiveIntegerField(
        _("when it lasts more than (days)"), null=True, blank=True
    )
    requirement = models.CharField(_("requirement"), max_length=24, choices=RuleRequirement.choices)
    threshold = models.DecimalField(
        _("value"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    period = models.CharField(_("paid"), max_length=8, choices=PayPeriod.choices, blank=True)
    # What the refusal says (in the organisation's words); empty: a sentence is built.
    message = models.CharField(_("message when not met"), max_length=300, blank=True)
    source = models.URLField(_("source"), blank=True)
    active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "name", "pk"]
        verbose_name = _("agreement rule")
        verbose_name_plural = _("agreement rules")
        constraints = [
            models.CheckConstraint(
                condition=~Q(
                    requirement__in=["allowance_at_least", "hours_at_most", "duration_at_most"]
                )
                | Q(threshold__isnull=False),
                name="agreement_rule_threshold_when_needed",
            ),
            models.CheckConstraint(
                condition=~Q(requirement="allowance_at_least") | ~Q(currency=""),
                name="agreement_rule_allowance_has_currency",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class InternshipStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("internship status", "Agreement being prepared")
    SIGNED = "signed", pgettext_lazy("internship status", "Agreement signed")
    UNDER_WAY = "under_way", pgettext_lazy("internship status", "Under way")
    ENDED = "ended", pgettext_lazy("internship status", "Ended")
    ENDED_EARLY = "ended_early", pgettext_lazy("internship status", "Ended early")
    CANCELLED = "cancelled", pgettext_lazy("internship status", "Cancelled")


class EarlyEndReason(models.TextChoices):
    LEARNER_LEFT = "learner_left", _("The learner left")
    COMPANY_ENDED = "company_ended", _("The company ended it")
    HIRED_EARLY = "hired_early", _("Hired before the end")
    HEALTH = "health", _("Health or family reasons")
    MISCONDUCT = "misconduct", _("Misconduct")
    OTHER = "other", pgettext_lazy("early end reason", "Other")


def signed_scan_path(instance: Internship, filename: str) -> str:
    return f"partners/agreements/{instance.partner_id}/{secrets.token_hex(16)}.bin"


class Internship(models.Model):
    """An internship, apprenticeship or job placement of one learner with one partner, and
    its agreement: who, where, when, how many hours, which tasks, what pay, who answers for
    it on each side, and the obligations of each. It cannot be under way without a signed
    agreement (a constraint)."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="internships", verbose_name=_("learner")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="internships", verbose_name=_("partner")
    )
    partner_site = models.ForeignKey(
        PartnerSite,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="internships",
        verbose_name=_("where"),
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.SET_NULL, null=True, blank=True, related_name="internships"
    )
    match = models.OneToOneField(
        Match, on_delete=models.SET_NULL, null=True, blank=True, related_name="internship"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=OfferKind.choices)
    tutor = models.ForeignKey(
        PartnerContact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interns",
        verbose_name=_("company tutor"),
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="internships_followed",
        verbose_name=_("referent at the organisation"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    tasks = models.TextField(_("tasks"))
    pay_amount = models.DecimalField(
        _("pay"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    allowance_amount = models.DecimalField(
        _("allowance"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    pay_period = models.CharField(
        _("paid"), max_length=8, choices=PayPeriod.choices, default=PayPeriod.MONTH
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    country = models.CharField(_("country"), max_length=2)
    school_obligations = models.TextField(_("the organisation's obligations"), blank=True)
    company_obligations = models.TextField(_("the company's obligations"), blank=True)
    template = models.ForeignKey(
        AgreementTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreement template"),
    )
    language = models.CharField(_("language of the agreement"), max_length=8, default="fr")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=InternshipStatus.choices,
        default=InternshipStatus.DRAFT,
    )
    signed_scan = EncryptedFileField(
        _("signed agreement (scan)"), upload_to=signed_scan_path, blank=True
    )
    signed_at = models.DateTimeField(_("agreement signed on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason"), max_length=16, choices=EarlyEndReason.choices, blank=True
    )
    end_note = models.TextField(_("note"), blank=True)
    # At the end: did the company offer a job? (None: not known yet.) Feeds the follow-up.
    job_offered = models.BooleanField(_("the company offered a job"), null=True, blank=True)
    job_offer_note = models.TextField(_("about the job offered"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("internship")
        verbose_name_plural = _("internships")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="internship_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=(Q(pay_amount__isnull=True) & Q(allowance_amount__isnull=True))
                | ~Q(currency=""),
                name="internship_pay_has_currency",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "cancelled"]) | Q(signed_at__isnull=False),
                name="internship_starts_only_when_signed",
            ),
            models.CheckConstraint(
                condition=~Q(status="ended_early") | ~Q(end_reason=""),
                name="internship_early_end_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["partner", "status"], name="internship_partner")]

    def __str__(self) -> str:
        return f"{self.enrolment.person} · {self.partner}"


class SignatoryRole(models.TextChoices):
    LEARNER = "learner", _("The learner")
    COMPANY = "company", _("The company")
    ORGANISATION = "organisation", _("The organisation")
    TUTOR = "tutor", _("The company tutor")
    GUARDIAN = "guardian", _("The legal guardian")


class AgreementSignature(models.Model):
    internship = models.ForeignKey(Internship, on_delete=models.CASCADE, related_name="signatures")
    role = models.CharField(_("who"), max_length=16, choices=SignatoryRole.choices)
    signer_name = models.CharField(_("name of the signatory"), max_length=200)
    signed_on = models.DateField(_("signed on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["internship", "signed_on", "pk"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["internship", "role"], name="agreement_signed_once_per_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.signer_name} · {self.signed_on}"


class CheckInKind(models.TextChoices):
    CALL = "call", pgettext_lazy("check-in", "Call")
    VISIT = "visit", pgettext_lazy("check-in", "Visit")
    VIDEO = "video", pgettext_lazy("check-in", "Video call")


class CheckIn(models.Model):
    """A check-in the referent plans (a call or a visit), and its notes once held."""

    internship = models.ForeignKey(Internship, on_delete=models.CASCADE, related_name="check_ins")
    kind = models.CharField(_("kind"), max_length=8, choices=CheckInKind.choices)
    planned_on = models.DateField(_("planned on"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["internship", "planned_on", "pk"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.planned_on}"


class CriterionKind(models.TextChoices):
    COMPETENCE = "competence", _("Competence")
    SOFT_SKILL = "soft_skill", _("Soft skill")


class EvaluationCriterion(models.Model):
    """What a company tutor rates, set per programme: competences of its frameworks and
    soft skills in the programme's words (label per language)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="evaluation_criteria"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=CriterionKind.choices)
    competence = models.ForeignKey(
        Competence, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # {"en": "Punctuality", "fr": "Ponctualité", …}
    label = models.JSONField(_("label"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["programme", "position", "pk"]
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="soft_skill") | Q(competence__isnull=False),
                name="criterion_competence_named",
            ),
        ]

    def __str__(self) -> str:
        return str(self.label.get("en") or self.label.get("fr") or self.pk)


class TutorEvaluation(models.Model):
    """An evaluation asked of the company tutor through a private link: single-purpose (this
    intern, this evaluation), expiring, revocable, and closed once submitted."""

    internship = models.ForeignKey(Internship, on_delete=models.CASCADE, related_name="evaluations")
    tutor = models.ForeignKey(
        PartnerContact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    expires_at = models.DateTimeField(_("expires on"))
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True)
    # {"criteria": {"<criterion id>": 1..4}, "comment": "…", "would_hire": bool|None}
    answers = models.JSONField(default=dict, blank=True)
    evaluator_name = models.CharField(_("name"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["internship", "-created_at", "-pk"]
        verbose_name = _("tutor's evaluation")
        verbose_name_plural = _("tutors' evaluations")
        constraints = [
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="evaluation_submitted_or_revoked_not_both",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.internship_id} · {self.created_at:%Y-%m-%d}"


class SelfAssessment(models.Model):
    """The learner's short self-assessment, written on their phone."""

    internship = models.ForeignKey(
        Internship, on_delete=models.CASCADE, related_name="self_assessments"
    )
    went_well = models.TextField(_("what went well"))
    to_improve = models.TextField(_("what I want to improve"), blank=True)
    # 1 (not at all) to 4 (very much).
    satisfaction = models.PositiveSmallIntegerField(
        _("how happy are you with the internship"),
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["internship", "-created_at", "-pk"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1, satisfaction__lte=4),
                name="self_assessment_satisfaction_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.internship_id} · {self.created_at:%Y-%m-%d}"


class IncidentKind(models.TextChoices):
    ABSENCE = "absence", _("Absences or lateness")
    CONFLICT = "conflict", _("Conflict")
    SAFETY = "safety", _("Safety or health")
    TASKS = "tasks", _("Tasks not as agreed")
    OTHER = "other", pgettext_lazy("incident kind", "Other")


class Incident(models.Model):
    internship = models.ForeignKey(Internship, on_delete=models.CASCADE, related_name="incidents")
    kind = models.CharField(_("kind"), max_length=12, choices=IncidentKind.choices)
    happened_on = models.DateField(_("date"))
    description = models.TextField(_("what happened"))
    action = models.TextField(_("what was done"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["internship", "-happened_on", "-pk"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.happened_on}"
