"""Partner organisations: companies, universities, public bodies, NGOs and funders, their
sites and contacts, and the timeline of what happened with each."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tremplin.network.models import Organisation, Region, Site
from tremplin.partners.duplicates import partner_name_key, registration_key


class PartnerKind(models.TextChoices):
    COMPANY = "company", _("Company")
    UNIVERSITY = "university", _("University or training body")
    PUBLIC_BODY = "public_body", _("Public body")
    NGO = "ngo", _("Association or NGO")
    FUNDER = "funder", _("Funder or foundation")


class PartnerSize(models.TextChoices):
    MICRO = "micro", _("1 to 9 people")
    SMALL = "small", _("10 to 49 people")
    MEDIUM = "medium", _("50 to 249 people")
    LARGE = "large", _("250 people or more")
    UNKNOWN = "", _("Not known")


class Partnership(models.TextChoices):
    """What a partner does with the organisation (a partner may do several)."""

    HOSTS_INTERNS = "hosts_interns", _("Hosts interns and apprentices")
    HIRES = "hires", _("Hires graduates")
    FUNDS = "funds", _("Funds the programme")
    LENDS_VOLUNTEERS = "lends_volunteers", _("Lends volunteers (skills sponsorship)")
    CO_DELIVERS = "co_delivers", _("Co-delivers training")
    COMMISSIONS_PROJECTS = "commissions_projects", _("Commissions projects")
    REFERS = "refers", _("Refers applicants")


class Partner(models.Model):
    """A partner organisation, shared by every site of the organisation that works with it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partners"
    )
    name = models.CharField(_("name"), max_length=200)
    # Lower case, accents and punctuation removed, legal suffixes dropped: duplicate check.
    name_key = models.CharField(max_length=200, editable=False, db_index=True, default="")
    registration_number = models.CharField(
        _("registration number"),
        max_length=40,
        blank=True,
        help_text=_("SIRET, company number or the registry's number, if it has one."),
    )
    # Digits and letters only, upper case: "123 456 789 00012" and "12345678900012" are one.
    registration_key = models.CharField(max_length=40, editable=False, default="")
    kind = models.CharField(_("kind"), max_length=16, choices=PartnerKind.choices)
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    size = models.CharField(
        _("size"), max_length=8, choices=PartnerSize.choices, blank=True, default=""
    )
    # Partnership values (a list): what the partner does with the organisation.
    partnerships = models.JSONField(_("partnership"), default=list, blank=True)
    website = models.URLField(_("website"), blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    description = models.TextField(_("notes"), blank=True)
    archived_at = models.DateTimeField(_("archived on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "registration_key"],
                condition=~Q(registration_key=""),
                name="partner_registration_once",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "name_key"], name="partner_name_key")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = partner_name_key(self.name)
        self.registration_key = registration_key(self.registration_number)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "name_key", "registration_key"}
        super().save(*args, **kwargs)


class PartnerSite(models.Model):
    """A place where the partner works: where interns go."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partner", "name", "pk"]
        verbose_name = _("partner site")
        verbose_name_plural = _("partner sites")

    def __str__(self) -> str:
        return f"{self.partner} — {self.name}"


class PartnerContact(models.Model):
    """Someone at the partner: an HR contact, a company tutor, a referrer. Not a Person of
    the programme: their details serve the partnership only."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    site = models.ForeignKey(
        PartnerSite,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("partner site"),
    )
    name = models.CharField(_("name"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    language = models.CharField(_("language"), max_length=8, default="fr")
    is_tutor = models.BooleanField(_("can tutor interns"), default=False)
    archived_at = models.DateTimeField(_("archived on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partner", "name", "pk"]
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")

    def __str__(self) -> str:
        return self.name


class InteractionKind(models.TextChoices):
    MEETING = "meeting", pgettext_lazy("partner interaction", "Meeting")
    CALL = "call", pgettext_lazy("partner interaction", "Phone call")
    EMAIL = "email", pgettext_lazy("partner interaction", "E-mail")
    VISIT = "visit", pgettext_lazy("partner interaction", "Visit")
    AGREEMENT_SIGNED = "agreement_signed", _("Partnership agreement signed")
    DONATION_PLEDGED = "donation_pledged", _("Donation pledged")
    DONATION_RECEIVED = "donation_received", _("Donation received")
    OTHER = "other", pgettext_lazy("partner interaction", "Other")


DONATION_KINDS = (InteractionKind.DONATION_PLEDGED, InteractionKind.DONATION_RECEIVED)


class Interaction(models.Model):
    """One entry of a partner's timeline. Amounts are those of donations; only managers see
    them (selectors.partners)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="interactions")
    site = models.ForeignKey(
        Site,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("our site"),
    )
    contact = models.ForeignKey(
        PartnerContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=InteractionKind.choices)
    happened_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"), blank=True)
    amount = models.DecimalField(
        _("amount"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | ~Q(currency=""),
                name="interaction_amount_has_currency",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True)
                | Q(kind__in=["donation_pledged", "donation_received"]),
                name="interaction_amount_only_for_donations",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} · {self.get_kind_display()} · {self.happened_on}"
