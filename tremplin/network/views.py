from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.core.forms import validation_error_to_form, validation_error_to_messages
from tremplin.core.listing import paginate_sorted
from tremplin.core.permissions import acting_user, user_passes
from tremplin.network import selectors, services
from tremplin.network.forms import (
    ApplicantRecordingForm,
    InvitationAcceptForm,
    OrganisationLanguagesForm,
    ProgrammeForm,
    RunReplicateForm,
    SiteForm,
    StaffInviteForm,
)
from tremplin.network.languages import offered_languages
from tremplin.network.models import ApplicantRecording, Invitation, Role
from tremplin.network.selectors import can_manage_staff, scope_for


def _staff_member(user: object) -> bool:
    return scope_for(user).is_staff_member  # type: ignore[arg-type]


@user_passes(_staff_member)
def organisation_list(request: HttpRequest) -> HttpResponse:
    listing = paginate_sorted(
        request,
        selectors.organisations_visible(user=acting_user(request)),
        sorts={"name": ("name",), "sites": ("site_count",), "programmes": ("programme_count",)},
        default="name",
    )
    return render(request, "network/organisation_list.html", {"listing": listing})


@user_passes(_staff_member)
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = acting_user(request)
    organisation = selectors.organisation_get(user=user, slug=slug)
    sites = selectors.sites_visible(user=user).filter(organisation=organisation)
    programmes = selectors.programmes_visible(user=user).filter(organisation=organisation)
    return render(
        request,
        "network/organisation_detail.html",
        {
            "organisation": organisation,
            "sites": sites,
            "programmes": programmes,
            "offered_languages": offered_languages(organisation),
            "can_edit": selectors.is_network_admin(user, organisation.pk),
        },
    )


@user_passes(selectors.can_administer_an_organisation)
def organisation_languages(request: HttpRequest, slug: str) -> HttpResponse:
    """Which languages the organisation's applicants are offered (network admin)."""
    user = acting_user(request)
    organisation = selectors.organisation_get(user=user, slug=slug)
    if not selectors.is_network_admin(user, organisation.pk):
        raise PermissionDenied
    form = OrganisationLanguagesForm(
        request.POST or None,
        initial={
            "applicant_languages": offered_languages(organisation),
            "default_language": organisation.default_language,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_languages_set(
                actor=user,
                organisation=organisation,
                languages=form.cleaned_data["applicant_languages"],
                default=form.cleaned_data["default_language"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("network:organisation-detail", slug=organisation.slug)
    url = reverse("network:organisation-detail", kwargs={"slug": organisation.slug})
    return _form_page(
        request,
        form=form,
        title=_("Languages offered to applicants"),
        cancel_url=url,
        crumb_url=url,
        crumb_label=organisation.name,
    )


@user_passes(_staff_member)
def site_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.sites_visible(user=acting_user(request)).annotate(run_count=Count("runs"))
    listing = paginate_sorted(
        request,
        queryset,
        sorts={
            "name": ("name",),
            "organisation": ("organisation__name", "name"),
            "city": ("city", "name"),
            "country": ("country", "name"),
            "runs": ("run_count",),
        },
        default="organisation",
    )
    can_create = selectors.can_administer_an_organisation(acting_user(request))
    return render(request, "network/site_list.html", {"listing": listing, "can_create": can_create})


@user_passes(_staff_member)
def site_detail(request: HttpRequest, site_id: int) -> HttpResponse:
    user = acting_user(request)
    site = selectors.site_get(user=user, site_id=site_id)
    runs = selectors.runs_visible(user=user).filter(site=site)
    return render(
        request,
        "network/site_detail.html",
        {"site": site, "runs": runs, "can_edit": selectors.can_manage_site(user, site)},
    )


@user_passes(_staff_member)
def programme_list(request: HttpRequest) -> HttpResponse:
    listing = paginate_sorted(
        request,
        selectors.programmes_visible(user=acting_user(request)),
        sorts={
            "title": ("title",),
            "organisation": ("organisation__name", "title"),
            "weeks": ("duration_weeks",),
            "runs": ("run_count",),
        },
        default="organisation",
    )
    can_create = selectors.can_administer_an_organisation(acting_user(request))
    return render(
        request, "network/programme_list.html", {"listing": listing, "can_create": can_create}
    )


@user_passes(_staff_member)
def programme_detail(request: HttpRequest, programme_id: int) -> HttpResponse:
    user = acting_user(request)
    programme = selectors.programme_get(user=user, programme_id=programme_id)
    runs = selectors.runs_visible(user=user).filter(programme=programme)
    return render(request, "network/programme_detail.html", {"programme": programme, "runs": runs})


@user_passes(_staff_member)
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    user = acting_user(request)
    run = selectors.run_get(user=user, run_id=run_id)
    can_replicate = selectors.replication_targets(user=user, run=run).exists()
    return render(request, "network/run_detail.html", {"run": run, "can_replicate": can_replicate})


@user_passes(can_manage_staff)
def run_replicate(request: HttpRequest, run_id: int) -> HttpResponse:
    user = acting_user(request)
    run = selectors.run_get(user=user, run_id=run_id)
    targets = selectors.replication_targets(user=user, run=run)
    form = RunReplicateForm(request.POST or None, sites=targets)
    if request.method == "POST" and form.is_valid():
        try:
            replica = services.programme_run_replicate(
                actor=user,
                run=run,
                site=form.cleaned_data["site"],
                starts_on=form.cleaned_data["starts_on"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The programme is set up at %(site)s.") % {"site": replica.site}
            )
            return redirect("network:run-detail", run_id=replica.pk)
    return render(request, "network/run_replicate.html", {"run": run, "form": form})


@user_passes(can_manage_staff)
def staff_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    listing = paginate_sorted(
        request,
        selectors.staff_visible(user=user),
        sorts={
            "name": ("user__last_name", "user__first_name"),
            "email": ("user__email",),
            "role": ("role",),
            "site": ("organisation__name", "site__name"),
        },
        default="name",
    )
    invitations = selectors.invitations_pending(user=user)[:20]
    return render(
        request,
        "network/staff_list.html",
        {"listing": listing, "invitations": invitations, "now": timezone.now()},
    )


@user_passes(can_manage_staff)
def staff_invite(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    scope = scope_for(user)
    organisations = selectors.organisations_visible(user=user)
    if not scope.superuser:
        organisations = organisations.filter(id__in=scope.admin_organisation_ids())
    form = StaffInviteForm(
        request.POST or None,
        roles=selectors.roles_user_may_grant(user=user),
        sites=selectors.sites_managed(user=user),
        organisations=organisations,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        site = data.get("site")
        organisation = data.get("organisation")
        organisation_id = organisation.pk if organisation else (site.organisation_id if site else 0)
        try:
            services.staff_invite(
                actor=user,
                email=data["email"],
                role=Role(data["role"]),
                site=site,
                organisation_id=organisation_id,
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("An invitation was sent to %(email)s.") % {"email": data["email"]}
            )
            return redirect("network:staff-list")
    return render(request, "network/staff_invite.html", {"form": form})


@require_POST
@user_passes(can_manage_staff)
def staff_role_remove(request: HttpRequest, assignment_id: int) -> HttpResponse:
    user = acting_user(request)
    assignment = selectors.role_assignment_get(user=user, assignment_id=assignment_id)
    try:
        services.role_assignment_remove(actor=user, assignment=assignment)
    except ValidationError as exc:
        validation_error_to_messages(request, exc)
    else:
        messages.success(request, _("The role was removed."))
    return redirect("network:staff-list")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Public page: the invited person sets their name and password (or signs in first)."""
    try:
        invitation = Invitation.objects.select_related("organisation", "site").get(token=token)
    except Invitation.DoesNotExist as exc:
        raise Http404 from exc
    usable = invitation.accepted_at is None and invitation.expires_at >= timezone.now()
    signed_in = request.user.is_authenticated
    form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if usable and request.method == "POST":
        try:
            if signed_in:
                user = services.invitation_accept(invitation=invitation, user=acting_user(request))
            elif form.is_valid():
                user = services.invitation_accept(
                    invitation=invitation,
                    user=None,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=form.cleaned_data["password"],
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                user = None
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if user is not None:
                messages.success(request, _("Welcome to Tremplin."))
                return redirect("core:dashboard")
    return render(
        request,
        "network/invitation_accept.html",
        {"invitation": invitation, "form": form, "usable": usable, "signed_in": signed_in},
    )


def _form_page(
    request: HttpRequest,
    *,
    form: object,
    title: str,
    cancel_url: str,
    crumb_url: str,
    crumb_label: str,
) -> HttpResponse:
    return render(
        request,
        "network/object_form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "crumb_url": crumb_url,
            "crumb_label": crumb_label,
        },
    )


@user_passes(selectors.can_administer_an_organisation)
def site_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = SiteForm(
        request.POST or None, organisations=selectors.organisations_administered(user=user)
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        organisation = values.pop("organisation")
        try:
            site = services.site_save(actor=user, organisation=organisation, values=values)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The site %(site)s was created.") % {"site": site})
            return redirect("network:site-detail", site_id=site.pk)
    return _form_page(
        request,
        form=form,
        title=_("New site"),
        cancel_url=reverse("network:site-list"),
        crumb_url=reverse("network:site-list"),
        crumb_label=_("Sites"),
    )


@user_passes(_staff_member)
def site_edit(request: HttpRequest, site_id: int) -> HttpResponse:
    user = acting_user(request)
    site = selectors.site_get(user=user, site_id=site_id)
    if not selectors.can_manage_site(user, site):
        raise PermissionDenied
    form = SiteForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        try:
            services.site_save(
                actor=user,
                organisation=site.organisation,
                values=form.cleaned_data,
                site=selectors.site_get(user=user, site_id=site_id),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("network:site-detail", site_id=site.pk)
    url = reverse("network:site-detail", kwargs={"site_id": site.pk})
    return _form_page(
        request,
        form=form,
        title=_("Edit the site"),
        cancel_url=url,
        crumb_url=url,
        crumb_label=site.name,
    )


@user_passes(selectors.can_administer_an_organisation)
def programme_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = ProgrammeForm(
        request.POST or None, organisations=selectors.organisations_administered(user=user)
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        organisation = values.pop("organisation")
        try:
            programme = services.programme_save(
                actor=user, organisation=organisation, values=values
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The programme was created."))
            return redirect("network:programme-detail", programme_id=programme.pk)
    return _form_page(
        request,
        form=form,
        title=_("New programme"),
        cancel_url=reverse("network:programme-list"),
        crumb_url=reverse("network:programme-list"),
        crumb_label=_("Programmes"),
    )


@user_passes(selectors.can_administer_an_organisation)
def programme_edit(request: HttpRequest, programme_id: int) -> HttpResponse:
    user = acting_user(request)
    programme = selectors.programme_get(user=user, programme_id=programme_id)
    if not selectors.is_network_admin(user, programme.organisation_id):
        raise PermissionDenied
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_save(
                actor=user,
                organisation=programme.organisation,
                values=form.cleaned_data,
                programme=selectors.programme_get(user=user, programme_id=programme_id),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("network:programme-detail", programme_id=programme.pk)
    url = reverse("network:programme-detail", kwargs={"programme_id": programme.pk})
    return _form_page(
        request,
        form=form,
        title=_("Edit the programme"),
        cancel_url=url,
        crumb_url=url,
        crumb_label=programme.title,
    )


@user_passes(selectors.can_administer_an_organisation)
def organisation_recordings(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's own recordings of the public pages, played by "Read aloud"."""
    user = acting_user(request)
    organisation = selectors.organisation_get(user=user, slug=slug)
    if not selectors.is_network_admin(user, organisation.pk):
        raise PermissionDenied
    languages = offered_languages(organisation)
    form = ApplicantRecordingForm(request.POST or None, request.FILES or None, languages=languages)
    if request.method == "POST" and form.is_valid():
        try:
            services.applicant_recording_save(
                actor=user,
                organisation=organisation,
                page=form.cleaned_data["page"],
                language=form.cleaned_data["language"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            validation_error_to_form(form, exc)
        else:
            messages.success(request, _("The recording is saved."))
            return redirect("network:organisation-recordings", slug=organisation.slug)
    return render(
        request,
        "network/organisation_recordings.html",
        {
            "organisation": organisation,
            "form": form,
            "recordings": organisation.applicant_recordings.all(),
        },
    )


@require_POST
@user_passes(selectors.can_administer_an_organisation)
def applicant_recording_remove(request: HttpRequest, recording_id: int) -> HttpResponse:
    user = acting_user(request)
    recording = (
        selectors.applicant_recordings_administered(user=user).filter(pk=recording_id).first()
    )
    if recording is None:
        raise Http404
    services.applicant_recording_remove(actor=user, recording=recording)
    messages.success(request, _("The recording is removed."))
    return redirect("network:organisation-recordings", slug=recording.organisation.slug)


def applicant_recording(request: HttpRequest, recording_id: int) -> HttpResponseBase:
    """A recording of a public page: public, as the page it reads."""
    recording = ApplicantRecording.objects.filter(pk=recording_id).first()
    if recording is None:
        raise Http404
    try:
        handle = default_storage.open(recording.file_name, "rb")
    except OSError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=recording.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "public, max-age=86400"
    return response
