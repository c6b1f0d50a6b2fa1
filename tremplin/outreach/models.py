from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from tremplin.network.languages import validate_language_code
from tremplin.network.models import Site
from tremplin.people.models import Person


# applicant-facing: start (docs/languages.md)
class Channel(models.TextChoices):
    """How did you hear about us."""

    WORD_OF_MOUTH = "word_of_mouth", _("A friend or family member")
    SOCIAL_MEDIA = "social_media", _("Social media")
    PARTNER = "partner", _("A partner organisation or social worker")
    EMPLOYMENT_SERVICE = "employment_service", _("The public employment service")
    SCHOOL = "school", _("A school or university")
    WEBSITE = "website", _("Our website")
    POSTER = "poster", _("A poster or flyer")
    EVENT = "event", _("An event or fair")
    OTHER = "other", _("Other")


# applicant-facing: end


class InformationSession(models.Model):
    """A session where people discover a programme, before they apply."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="information_sessions", verbose_name=_("site")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices, default=Mode.IN_PERSON)
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    language = models.CharField(
        _("language"), max_length=8, default="fr", validators=[validate_language_code]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED
    )
    public_key = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("information session")
        verbose_name_plural = _("information sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="info_session_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="info_session_has_capacity"),
        ]

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    """A person registered for an information session: on the list or waiting for a seat."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(
        InformationSession, on_delete=models.CASCADE, related_name="registrations"
    )
    given_names = models.CharField(_("given names"), max_length=150)
    family_name = models.CharField(_("family name"), max_length=150)
    phone = PhoneNumberField(_("phone"), blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    channel = models.CharField(
        _("how did you hear about us"), max_length=32, choices=Channel.choices
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    walk_in = models.BooleanField(_("came without registering"), default=False)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="registrations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(email=""), name="registration_has_a_contact"
            ),
            models.UniqueConstraint(
                fields=["session", "phone"],
                condition=~Q(phone="") & ~Q(status="cancelled"),
                name="registration_phone_once_per_session",
            ),
            models.UniqueConstraint(
                fields=["session", "email"],
                condition=~Q(email="") & ~Q(status="cancelled"),
                name="registration_email_once_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_names} {self.family_name}"
