"""Referrals: a referral partner (a refugee-support association, a youth employment
office, a public employment service) sends a person to an open call, with their consent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.partners.models.links import PartnerLink
from tremplin.partners.models.organisations import Partner
from tremplin.people.models import Person
from tremplin.selection.models import Application, Call


class Referral(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="referrals")
    link = models.ForeignKey(
        PartnerLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("call")
    )
    # The application the referral opened (a draft pre-filled from it, which the applicant
    # completes through their own link); the person once the application is submitted.
    application = models.OneToOneField(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="referral"
    )
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    given_names = models.CharField(_("given names"), max_length=150)
    family_name = models.CharField(_("family name"), max_length=150)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    language = models.CharField(_("language"), max_length=8, default="fr")
    referred_by = models.CharField(_("referred by"), max_length=200, blank=True)
    note = models.TextField(_("why this programme"), blank=True)
    # The person agreed to be referred (required), and whether the partner may follow their
    # status (applied, selected, in training, finished, in a job).
    consent_at = models.DateTimeField(_("consent given on"))
    shares_status = models.BooleanField(
        _("the person agrees that the partner follows their progress"), default=False
    )
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""), name="referral_has_email_or_phone"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_names} {self.family_name} ← {self.partner}"
