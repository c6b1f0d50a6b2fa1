from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from tremplin.network.languages import (
    CEFR_LEVELS,
    applicant_languages,
    validate_applicant_languages,
    validate_language_code,
)

APPLICANT_LANGUAGES = list(applicant_languages())


def default_applicant_languages() -> list[str]:
    return ["fr", "en", "ar"]


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


class Organisation(models.Model):
    """An NGO or a network of schools that runs programmes at its sites."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name"), max_length=64, unique=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    # The languages its applicants are offered (codes of settings.LANGUAGES), and the one
    # they see when none of theirs is offered (tremplin/network/languages.py).
    applicant_languages = models.JSONField(
        _("languages offered to applicants"),
        default=default_applicant_languages,
        validators=[validate_applicant_languages],
    )
    default_language = models.CharField(
        _("applicants' default language"),
        max_length=8,
        default="en",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(default_language__in=APPLICANT_LANGUAGES),
                name="organisation_default_language_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.default_language not in (self.applicant_languages or []):
            raise ValidationError(
                {"default_language": _("The default language must be one of those offered.")}
            )


class Region(models.Model):
    """A region, province or département of a country (ISO 3166-2 where it has a code)."""

    country = CountryField(_("country"))
    code = models.CharField(_("code"), max_length=16, blank=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.UniqueConstraint(fields=["country", "name"], name="region_unique_name"),
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="region_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    """A school or training centre of an organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="sites", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=64)
    address = models.CharField(_("address"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=120)
    country = CountryField(_("country"))
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sites",
        verbose_name=_("region or province"),
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    default_language = models.CharField(
        _("default language"),
        max_length=8,
        default="en",
        validators=[validate_language_code],
        help_text=_("Two-letter language code, for example fr, en, km, vi."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="site_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    """A programme template owned by an organisation, delivered as runs at its sites."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=64)
    summary = models.TextField(_("summary"), blank=True)
    duration_weeks = models.PositiveSmallIntegerField(
        _("duration in weeks"), validators=[MinValueValidator(1), MaxValueValidator(520)]
    )
    hours = models.PositiveIntegerField(_("hours of training"), null=True, blank=True)
    levels = models.JSONField(
        _("levels"),
        default=list,
        blank=True,
        help_text=_("Level groups in order, for example Beginner, Intermediate, Advanced."),
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    required_language = models.CharField(
        _("required language"), max_length=8, blank=True, validators=[validate_language_code]
    )
    required_language_level = models.CharField(
        _("minimum level in that language"), max_length=2, choices=CEFR_LEVELS, blank=True
    )
    eligibility_notes = models.TextField(_("other eligibility rules"), blank=True)
    # The text above in the other languages offered to applicants: {language: {field: text}}
    # (core/translations.py).
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    certification = models.CharField(_("certification aimed at"), max_length=200, blank=True)
    target_women_share = models.DecimalField(
        _("target share of women"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Between 0 and 1; 0.5 means at least half."),
    )
    target_priority_share = models.DecimalField(
        _("target share from priority neighbourhoods"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name", "title"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="programme_unique_slug"),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(min_age__lte=models.F("max_age")),
                name="programme_age_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(target_women_share__isnull=True)
                | Q(target_women_share__gte=0, target_women_share__lte=1),
                name="programme_women_share_0_1",
            ),
            models.CheckConstraint(
                condition=Q(target_priority_share__isnull=True)
                | Q(target_priority_share__gte=0, target_priority_share__lte=1),
                name="programme_priority_share_0_1",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValidationError({"max_age": _("The maximum age must not be below the minimum.")})
        if bool(self.required_language) != bool(self.required_language_level):
            raise ValidationError(
                {"required_language_level": _("Give both the language and its minimum level.")}
            )


class ProgrammeRun(models.Model):
    """A programme delivered at one site over one period (a cohort's frame)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RECRUITING = "recruiting", _("Recruiting")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="runs", verbose_name=_("programme")
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="runs", verbose_name=_("site")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    seats = models.PositiveSmallIntegerField(_("seats"), validators=[MinValueValidator(1)])
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    replicated_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replicas",
        verbose_name=_("replicated from"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("programme run")
        verbose_name_plural = _("programme runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="run_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="run_has_seats"),
        ]

    def __str__(self) -> str:
        return self.title


class Role(models.TextChoices):
    NETWORK_ADMIN = "network_admin", _("Network admin")
    SITE_MANAGER = "site_manager", _("Site manager")
    SELECTION_OFFICER = "selection_officer", _("Selection officer")
    INTERVIEWER = "interviewer", _("Interviewer")
    FIELD_INVESTIGATOR = "field_investigator", _("Field investigator")
    TRAINER = "trainer", _("Trainer")
    JOB_COACH = "job_coach", _("Job coach")
    FUNDER_VIEWER = "funder_viewer", _("Funder viewer")


# Roles held for a whole organisation; every other role is held for one site.
ORGANISATION_ROLES = frozenset({Role.NETWORK_ADMIN, Role.FUNDER_VIEWER})
SITE_ROLES = frozenset(set(Role) - ORGANISATION_ROLES)
# Roles that can see sensitive data: multi-factor authentication is required for them.
SENSITIVE_ROLES = frozenset(
    {Role.NETWORK_ADMIN, Role.SITE_MANAGER, Role.SELECTION_OFFICER, Role.JOB_COACH}
)
# Roles that must sign in with a second factor: the above, and field investigators, who
# record social investigations (sensitive) but see nothing else of people's records.
MFA_ROLES = SENSITIVE_ROLES | {Role.FIELD_INVESTIGATOR}
# An organisation role has no site; a site role has one (roles and invitations alike).
ROLE_SCOPE_MATCHES = Q(role__in=sorted(r.value for r in ORGANISATION_ROLES), site__isnull=True) | Q(
    role__in=sorted(r.value for r in SITE_ROLES), site__isnull=False
)


class RoleAssignment(models.Model):
    """A user holds a role for an organisation (network admin, funder) or for a site."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="role_assignments"
    )
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, null=True, blank=True, related_name="role_assignments"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "site__name", "role"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                condition=ROLE_SCOPE_MATCHES,
                name="role_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=Q(site__isnull=True),
                name="role_unique_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "site"],
                condition=Q(site__isnull=False),
                name="role_unique_per_site",
            ),
        ]

    def __str__(self) -> str:
        where = self.site or self.organisation
        return f"{self.get_role_display()} — {where}"


class Invitation(models.Model):
    """An e-mail invitation for a member of staff to join with a role."""

    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=ROLE_SCOPE_MATCHES,
                name="invitation_scope_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"


class ApplicantPage(models.TextChoices):
    """The pages an applicant can have read aloud from an organisation's own recording."""

    APPLY_START = "apply_start", _("Application form: first page")
    ABOUT = "about", _("Application form: about you")
    CONTACT = "contact", _("Application form: how to reach you")
    LANGUAGES = "languages", _("Application form: language and documents")
    PROJECT = "project", _("Application form: your project")
    SEND = "send", _("Application form: agree and send")
    REGISTER = "register", _("Information-session registration")


class ApplicantRecording(models.Model):
    """An organisation's recording of a public page in one language: "Read aloud" plays it
    instead of the phone's own voice (docs/languages.md)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="applicant_recordings"
    )
    page = models.CharField(_("page"), max_length=32, choices=ApplicantPage.choices)
    language = models.CharField(_("language"), max_length=8)
    file_name = models.CharField(max_length=200)  # in the default storage
    content_type = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "page", "language"]
        verbose_name = _("recording read aloud to applicants")
        verbose_name_plural = _("recordings read aloud to applicants")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "page", "language"], name="applicant_recording_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_page_display()} ({self.language})"
