from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField

from tremplin.core.encryption import EncryptedTextField
from tremplin.core.text import digits, fold, name_key
from tremplin.network.languages import CEFR_LEVELS, validate_language_code
from tremplin.network.models import Region, Site

NAME_MAX_LENGTH = 150


# applicant-facing: start (docs/languages.md)
class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    ANOTHER = "another", _("Another gender")
    NOT_SAID = "not_said", _("Prefers not to say")


# applicant-facing: end


class AdministrativeSituation(models.TextChoices):
    CITIZEN = "citizen", _("National or EU citizen")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit allowing work")
    REFUGEE = "refugee", _("Refugee or subsidiary protection")
    ASYLUM_SEEKER = "asylum_seeker", _("Asylum seeker")
    PENDING = "pending", _("Papers being renewed or pending")
    NO_PERMIT = "no_permit", _("No permit at present")
    OTHER = "other", _("Other situation")


class Person(models.Model):
    """One human, from applicant to learner to alumnus to volunteer."""

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="people", verbose_name=_("site")
    )
    legal_given_names = models.CharField(_("given names (legal)"), max_length=NAME_MAX_LENGTH)
    legal_family_name = models.CharField(_("family name (legal)"), max_length=NAME_MAX_LENGTH)
    preferred_name = models.CharField(
        _("preferred name"),
        max_length=NAME_MAX_LENGTH,
        blank=True,
        help_text=_("The name the person wants to be called by, in any script."),
    )
    gender = models.CharField(
        _("gender"), max_length=16, choices=Gender.choices, default=Gender.NOT_SAID
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    phone = PhoneNumberField(_("phone"), blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("region or province"),
    )
    country = CountryField(_("country of residence"), blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    priority_neighbourhood = models.BooleanField(
        _("lives in a priority neighbourhood"),
        default=False,
        help_text=_("For example a QPV in France."),
    )
    administrative_situation = EncryptedTextField(
        _("administrative situation"), blank=True, choices=AdministrativeSituation.choices
    )
    administrative_notes = EncryptedTextField(
        _("notes on the administrative situation"), blank=True
    )
    # Derived, kept in step by the services: accent- and case-insensitive search and matching.
    search_text = models.TextField(editable=False, default="")
    name_key = models.CharField(max_length=2 * NAME_MAX_LENGTH + 1, editable=False, default="")
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_people",
        verbose_name=_("merged into"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["legal_family_name", "legal_given_names", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["site", "legal_family_name", "legal_given_names"]),
            models.Index(fields=["name_key", "birth_date"]),
            models.Index(fields=["phone"]),
            models.Index(fields=["email"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_date__isnull=True) | Q(birth_date__gte="1900-01-01"),
                name="person_birth_date_plausible",
            ),
            models.CheckConstraint(
                condition=~Q(legal_given_names="") | ~Q(legal_family_name=""),
                name="person_has_a_name",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | ~Q(merged_into=models.F("pk")),
                name="person_not_merged_into_self",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        legal = f"{self.legal_given_names} {self.legal_family_name}".strip()
        if self.preferred_name and fold(self.preferred_name) not in fold(legal):
            return f"{self.preferred_name} ({legal})"
        return legal

    def refresh_derived(self) -> None:
        self.name_key = name_key(self.legal_given_names, self.legal_family_name)
        phone_digits = digits(str(self.phone)) if self.phone else ""
        national = ""
        if self.phone and getattr(self.phone, "national_number", None):
            national = str(self.phone.national_number)
        parts = [
            self.legal_given_names,
            self.legal_family_name,
            self.preferred_name,
            self.email,
            phone_digits,
            national,
        ]
        self.search_text = " ".join(fold(p) for p in parts if p)


class LanguageLevel(models.TextChoices):
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"
    NATIVE = "native", _("Mother tongue")


assert [c for c, _l in CEFR_LEVELS] == [c.value for c in LanguageLevel][:6]


class PersonLanguage(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=8, validators=[validate_language_code])
    level = models.CharField(_("level"), max_length=8, choices=LanguageLevel.choices)

    class Meta:
        ordering = ["person", "language"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints = [
            models.UniqueConstraint(fields=["person", "language"], name="person_language_once"),
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.level}"


class ConsentPurpose(models.TextChoices):
    DATA_PROCESSING = "data_processing", _("Processing of personal data for the programme")
    CONTACT = "contact", _("Being contacted about the programme and job offers")
    PHOTOS = "photos", _("Photos and testimonies in communications")
    FOLLOW_UP = "follow_up", _("Follow-up surveys after the programme")
    # training: roll call
    ROLLCALL_PHOTO = "rollcall_photo", _("A photo on the trainer's attendance list")


class Consent(models.Model):
    """What the person agreed to, when, on which notice, and when they withdrew it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=32, choices=ConsentPurpose.choices)
    notice_version = models.CharField(_("notice version"), max_length=32, default="2026-1")
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-given_at", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
            models.UniqueConstraint(
                fields=["person", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_active_per_purpose",
            ),
        ]

    def __str__(self) -> str:
        return self.get_purpose_display()

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class PersonMerge(models.Model):
    """A duplicate merged into another record, with everything it held, so nothing is lost."""

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="merge")
    snapshot = models.JSONField(help_text="The merged record's own values at the time of merge.")
    sensitive_snapshot = EncryptedTextField(blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.kept_id}"
