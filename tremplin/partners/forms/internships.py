"""Forms of internships and their agreements: the internship, the list's filters, a
signature (with the signed scan), cancelling; the organisation's templates and rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from tremplin.core.forms import DateInput
from tremplin.core.models import User
from tremplin.core.numbers import number_text
from tremplin.network.models import Site
from tremplin.network.selectors import scope_for
from tremplin.partners.models import (
    AgreementRule,
    AgreementTemplate,
    InternshipStatus,
    OfferKind,
    Partner,
    PartnerContact,
    PartnerSite,
    PayPeriod,
    RuleRequirement,
    SignatoryRole,
)
from tremplin.partners.selectors import internships as selectors
from tremplin.partners.services.agreements import RULE_FIELDS, TEMPLATE_FIELDS, rule_refusals
from tremplin.training.models import Cohort

CURRENCY = RegexValidator(r"^[A-Z]{3}$", _("Write the currency as its 3-letter code: EUR, USD."))


class DecimalCommaField(forms.DecimalField):
    """A decimal typed with a comma or a point ("660,50" and "660.50" are one)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
            value = value.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        """A saved or pre-filled amount as the reader writes it ("12,5" in French)."""
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return number_text(value)
        return value


class CurrencyField(forms.CharField):
    """A currency's ISO code, upper case ("eur" is EUR)."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).upper()


def _currency_field() -> forms.CharField:
    return CurrencyField(
        label=_("Currency"),
        required=False,
        max_length=3,
        validators=[CURRENCY],
        help_text=_("EUR, USD, KHR, VND, PHP…"),
    )


def _country_choices(blank: str) -> list[tuple[str, str]]:
    return [("", blank), *((code, str(name)) for code, name in countries)]


def _referents(user: User) -> Any:
    scope = scope_for(user)
    users = User.objects.filter(is_active=True)
    if not scope.superuser:
        organisation_ids = scope.admin_organisation_ids() | {o for _r, o, _s in scope.site_roles}
        users = users.filter(role_assignments__organisation_id__in=organisation_ids)
    else:
        users = users.filter(role_assignments__isnull=False)
    return users.distinct().order_by("first_name", "last_name", "email")


class ReferentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.email)


class InternshipForm(forms.Form):
    """An internship and its agreement; ``with_learner`` adds the choice of the learner
    (an internship created directly rather than from a match)."""

    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none())
    partner_site = forms.ModelChoiceField(
        label=_("Where"),
        queryset=PartnerSite.objects.none(),
        required=False,
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=OfferKind.choices)
    tutor = forms.ModelChoiceField(
        label=_("Company tutor"),
        queryset=PartnerContact.objects.none(),
        required=False,
        help_text=_("A contact of the partner."),
    )
    referent = ReferentChoiceField(
        label=_("Referent at the organisation"),
        queryset=User.objects.none(),
        required=False,
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    hours_per_week = DecimalCommaField(
        label=_("Hours per week"), min_value=1, max_value=60, max_digits=4, decimal_places=1
    )
    tasks = forms.CharField(
        label=_("Tasks"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    pay_amount = DecimalCommaField(
        label=_("Pay"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    allowance_amount = DecimalCommaField(
        label=_("Allowance"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    pay_period = forms.ChoiceField(label=_("Paid"), choices=PayPeriod.choices)
    currency = _currency_field()
    country = forms.ChoiceField(label=_("Country"), choices=())
    school_obligations = forms.CharField(
        label=_("The organisation's obligations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        help_text=_("Empty: the template's."),
    )
    company_obligations = forms.CharField(
        label=_("The company's obligations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        help_text=_("Empty: the template's."),
    )
    template = forms.ModelChoiceField(
        label=_("Agreement template"),
        queryset=AgreementTemplate.objects.none(),
        required=False,
        empty_label=_("Chosen from the kind and the country"),
    )

    field_order = ["learner"]

    def __init__(self, *args: Any, user: User, with_learner: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_learner:
            self.fields["learner"] = forms.ModelChoiceField(
                label=_("Learner"), queryset=selectors.learners_for_internships(user=user)
            )
            self.order_fields(["learner"])
        partners = selectors.partners_for_internships(user=user)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]
        self.fields["partner_site"].queryset = PartnerSite.objects.filter(  # type: ignore[attr-defined]
            partner__in=partners
        ).select_related("partner")
        self.fields["tutor"].queryset = selectors.tutors_for_internships(user=user)  # type: ignore[attr-defined]
        self.fields["referent"].queryset = _referents(user)  # type: ignore[attr-defined]
        self.fields["template"].queryset = AgreementTemplate.objects.filter(  # type: ignore[attr-defined]
            organisation__partners__in=partners, active=True
        ).distinct()
        self.fields["country"].choices = _country_choices("—")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The internship ends before it starts."))
        if (
            (data.get("pay_amount") or data.get("allowance_amount"))
            and not data.get("currency")
            and "currency" not in self.errors
        ):
            self.add_error("currency", _("Give the currency of the pay or allowance."))
        return data


class InternshipFilterForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)
    cohort = forms.ModelChoiceField(
        label=_("Cohort"), queryset=Cohort.objects.none(), required=False
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"), queryset=Partner.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Every status")), *InternshipStatus.choices],
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        learners = selectors.learners_for_internships(user=user)
        self.fields["site"].queryset = Site.objects.filter(  # type: ignore[attr-defined]
            pk__in=learners.values("cohort__run__site")
        ).order_by("name")
        self.fields["cohort"].queryset = Cohort.objects.filter(  # type: ignore[attr-defined]
            pk__in=learners.values("cohort")
        ).order_by("title")
        self.fields["partner"].queryset = selectors.partners_for_internships(user=user)  # type: ignore[attr-defined]


class SignatureForm(forms.Form):
    """A party's signature, and the signed scan (either, or both)."""

    role = forms.ChoiceField(label=_("Who signed"), required=False, choices=())
    signer_name = forms.CharField(label=_("Name of the signatory"), required=False, max_length=200)
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DateInput())
    scan = forms.FileField(
        label=_("Signed agreement (scan)"),
        required=False,
        help_text=_("A PDF, or a photo (JPEG or PNG), 10 MB at most."),
    )
    scan_token = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, roles: list[SignatoryRole], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [  # type: ignore[attr-defined]
            ("", _("Nobody: only the scan")),
            *((role.value, role.label) for role in roles),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role"):
            if not data.get("signer_name", "").strip():
                self.add_error("signer_name", _("Give the name of the person who signed."))
            if not data.get("signed_on") and "signed_on" not in self.errors:
                self.add_error("signed_on", _("Give the date of signature."))
        elif not data.get("scan") and not data.get("scan_token"):
            self.add_error("role", _("Choose who signed, or upload the signed agreement."))
        return data


class CancelForm(forms.Form):
    note = forms.CharField(
        label=_("Why is it cancelled?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AgreementTemplateForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = AgreementTemplate
        fields = list(TEMPLATE_FIELDS)
        widgets = {
            "body": forms.Textarea(attrs={"rows": 24}),
            "school_obligations": forms.Textarea(attrs={"rows": 3}),
            "company_obligations": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "body": _(
                'Plain text. A blank line starts a paragraph; a line starting with "# " is a '
                "heading. Placeholders in braces are filled from the internship."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"] = forms.ChoiceField(
            label=_("Country"), required=False, choices=_country_choices(str(_("Any country")))
        )
        self.fields["language"] = forms.ChoiceField(
            label=_("Language"), choices=[(code, name) for code, name in settings.LANGUAGES]
        )


class AgreementRuleForm(forms.ModelForm):  # type: ignore[type-arg]
    threshold = DecimalCommaField(
        label=_("Value"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    currency = _currency_field()
    source = forms.URLField(label=_("Source"), required=False, assume_scheme="https")

    class Meta:
        model = AgreementRule
        fields = list(RULE_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"] = forms.ChoiceField(
            label=_("In country"), required=False, choices=_country_choices(str(_("Any country")))
        )
        self.fields["kind"].choices = [("", _("Any kind")), *OfferKind.choices]  # type: ignore[attr-defined]
        self.fields["requirement"].choices = RuleRequirement.choices  # type: ignore[attr-defined]
        self.fields["longer_than_days"] = forms.IntegerField(
            label=_("When it lasts more than (days)"), required=False, min_value=0, max_value=3660
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        refusals = rule_refusals(
            requirement=data.get("requirement") or "",
            threshold=data.get("threshold"),
            currency=data.get("currency") or "",
        )
        for field, message in refusals.items():
            if field not in self.errors:
                self.add_error(field, message)
        return data
