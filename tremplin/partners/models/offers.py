"""Offers of internships, apprenticeships and jobs, what they ask for, the learners who
say they are interested, and the matches staff confirm."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tremplin.network.models import Region, Site
from tremplin.partners.models.organisations import Partner, PartnerContact, PartnerSite
from tremplin.people.models import LanguageLevel
from tremplin.placement.models import Competence
from tremplin.training.models import Cohort, Enrolment


class OfferKind(models.TextChoices):
    INTERNSHIP = "internship", _("Internship")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship or work-study")
    JOB = "job", pgettext_lazy("offer kind", "Job")


class PayPeriod(models.TextChoices):
    HOUR = "hour", _("per hour")
    MONTH = "month", _("per month")
    TOTAL = "total", _("in all")


class OfferStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("offer status", "Draft")
    OPEN = "open", pgettext_lazy("offer status", "Open")
    CLOSED = "closed", pgettext_lazy("offer status", "Closed")


class OfferSource(models.TextChoices):
    STAFF = "staff", _("Entered by staff")
    PARTNER_LINK = "partner_link", _("Entered by the partner")


class Offer(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="offers")
    partner_site = models.ForeignKey(
        PartnerSite,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offers",
        verbose_name=_("where"),
    )
    contact = models.ForeignKey(
        PartnerContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offers",
        verbose_name=_("contact"),
    )
    # The organisation's site the offer is for (its learners); blank: every site.
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offers",
        verbose_name=_("for learners of"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=OfferKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
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
    places = models.PositiveSmallIntegerField(
        _("places"), default=1, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    # Where the work is, for travel: the region (and city) of the partner site, or remote.
    region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    remote = models.BooleanField(_("can be done remotely"), default=False)
    status = models.CharField(
        _("status"), max_length=8, choices=OfferStatus.choices, default=OfferStatus.OPEN
    )
    source = models.CharField(
        _("entered by"), max_length=16, choices=OfferSource.choices, default=OfferSource.STAFF
    )
    closes_on = models.DateField(_("applications close on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="offer_has_places"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="offer_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=(Q(pay_amount__isnull=True) & Q(allowance_amount__isnull=True))
                | ~Q(currency=""),
                name="offer_pay_has_currency",
            ),
        ]
        indexes = [models.Index(fields=["status", "partner"], name="offer_status_partner")]

    def __str__(self) -> str:
        return f"{self.title} ({self.partner})"


class OfferCompetence(models.Model):
    """A competence the offer asks for, at a level of its framework (1–8)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="competences")
    competence = models.ForeignKey(
        Competence, on_delete=models.PROTECT, related_name="+", verbose_name=_("competence")
    )
    level = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(1), MaxValueValidator(8)]
    )

    class Meta:
        ordering = ["offer", "competence"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "competence"], name="offer_competence_once"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=8), name="offer_competence_level_1_to_8"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competence_id} ≥ {self.level}"


class OfferLanguage(models.Model):
    """A language the offer asks for, at a CEFR level (people.LanguageLevel)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=8)
    level = models.CharField(_("level"), max_length=8, choices=LanguageLevel.choices)

    class Meta:
        ordering = ["offer", "language"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "language"], name="offer_language_once"),
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.level}"


class OfferInterest(models.Model):
    """A learner said, on their phone, that an offer interests them (rank 1 = first wish)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="interests")
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="offer_interests"
    )
    rank = models.PositiveSmallIntegerField(_("wish"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["enrolment", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "enrolment"], name="offer_interest_once"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} → {self.offer_id} ({self.rank})"


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class MatchingRun(models.Model):
    """One optimisation of a cohort's learners over open offers, kept with its figures."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="matching_runs")
    learners = models.PositiveIntegerField(_("learners"), default=0)
    offers = models.PositiveIntegerField(_("offers"), default=0)
    placed = models.PositiveIntegerField(_("placed"), default=0)
    total_fit = models.DecimalField(_("total fit"), max_digits=12, decimal_places=2, default=0)
    proven_optimal = models.BooleanField(_("proven optimal"), default=False)
    solve_ms = models.PositiveIntegerField(default=0)
    # Why learners were left without an offer, and what the weights were.
    explanation = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("matching")
        verbose_name_plural = _("matchings")

    def __str__(self) -> str:
        return f"{self.cohort_id} · {self.created_at:%Y-%m-%d %H:%M}"


class Match(models.Model):
    """A learner proposed for an offer (by the optimiser or by staff), then confirmed or
    declined by staff. Confirmed matches never exceed the offer's places (services.matches
    checks under a lock on the offer)."""

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="matches")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="matches")
    run = models.ForeignKey(
        MatchingRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="matches"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    fit = models.DecimalField(_("fit"), max_digits=6, decimal_places=2, default=0)
    # Each part of the fit and its reason, for the page that explains it.
    explanation = models.JSONField(default=dict, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["offer", "-fit", "pk"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(fields=["offer", "enrolment"], name="match_once"),
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(status="confirmed"),
                name="match_one_confirmed_per_learner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} → {self.offer_id} ({self.status})"
