"""The organisation's agreement templates and rules (its managers edit them). The first
visit to the templates seeds the shipped ones (services.agreements.agreement_defaults_seed)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tremplin.core.forms import validation_error_to_form
from tremplin.core.permissions import acting_user, user_passes
from tremplin.network.models import Organisation
from tremplin.partners.forms.internships import AgreementRuleForm, AgreementTemplateForm
from tremplin.partners.models import AgreementRule, AgreementTemplate
from tremplin.partners.selectors import internships as selectors
from tremplin.partners.selectors.internships import can_manage_agreements
from tremplin.partners.services import agreements as services


def _organisation(request: HttpRequest) -> Organisation:
    """The organisation a new template or rule is for: the user's (the one named by
    ``?organisation=`` when they manage several)."""
    organisations = selectors.organisations_managed(user=acting_user(request))
    wanted = request.GET.get("organisation", "")
    if wanted.isdigit():
        chosen = organisations.filter(pk=int(wanted)).first()
        if chosen is not None:
            return chosen
    first = organisations.first()
    if first is None:
        raise Http404
    return first


@user_passes(can_manage_agreements)
def agreement_template_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    for organisation_id in selectors.managed_organisation_ids(user):
        organisation = Organisation.objects.get(pk=organisation_id)
        services.agreement_defaults_seed(organisation=organisation, actor=user)
    return render(
        request,
        "partners/agreements/template_list.html",
        {
            "templates": selectors.templates_visible(user=user).order_by("organisation", "name"),
            "rules": selectors.rules_visible(user=user).order_by("organisation", "name"),
            "organisations": selectors.organisations_managed(user=user),
        },
    )


def _template_page(
    request: HttpRequest, template: AgreementTemplate | None, organisation: Organisation
) -> HttpResponse:
    user = acting_user(request)
    form = AgreementTemplateForm(
        request.POST if request.method == "POST" else None,
        instance=template,
        initial={"kind": "internship", "language": "fr"} if template is None else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_template_save(
                actor=user,
                organisation=organisation,
                template=template,
                data=form.cleaned_data,
            )
        except ValidationError as exc:
            validation_error_to_form(form, exc)  # type: ignore[arg-type]
        else:
            messages.success(request, _("The agreement template is saved."))
            return redirect("partners:agreement-template-list")
    return render(
        request,
        "partners/agreements/template_form.html",
        {
            "form": form,
            "template": template,
            "organisation": organisation,
            "placeholders": services.PLACEHOLDERS,
        },
    )


@user_passes(can_manage_agreements)
def agreement_template_create(request: HttpRequest) -> HttpResponse:
    return _template_page(request, None, _organisation(request))


@user_passes(can_manage_agreements)
def agreement_template_edit(request: HttpRequest, template_id: int) -> HttpResponse:
    try:
        template = selectors.template_get(user=acting_user(request), template_id=template_id)
    except AgreementTemplate.DoesNotExist as exc:
        raise Http404 from exc
    return _template_page(request, template, template.organisation)


def _rule_page(
    request: HttpRequest, rule: AgreementRule | None, organisation: Organisation
) -> HttpResponse:
    user = acting_user(request)
    form = AgreementRuleForm(request.POST if request.method == "POST" else None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_rule_save(
                actor=user, organisation=organisation, rule=rule, data=form.cleaned_data
            )
        except ValidationError as exc:
            validation_error_to_form(form, exc)  # type: ignore[arg-type]
        else:
            messages.success(request, _("The agreement rule is saved."))
            return redirect("partners:agreement-template-list")
    return render(
        request,
        "partners/agreements/rule_form.html",
        {"form": form, "rule": rule, "organisation": organisation},
    )


@user_passes(can_manage_agreements)
def agreement_rule_create(request: HttpRequest) -> HttpResponse:
    return _rule_page(request, None, _organisation(request))


@user_passes(can_manage_agreements)
def agreement_rule_edit(request: HttpRequest, rule_id: int) -> HttpResponse:
    try:
        rule = selectors.rule_get(user=acting_user(request), rule_id=rule_id)
    except AgreementRule.DoesNotExist as exc:
        raise Http404 from exc
    return _rule_page(request, rule, rule.organisation)
