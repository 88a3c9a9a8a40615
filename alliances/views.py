from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alliances import logos, permissions, selectors, services
from alliances.forms import InstitutionForm, InstitutionLogoForm, InviteStaffForm
from alliances.models import StaffInvitation, StaffRole
from portal.auth import signed_in_user
from portal.errors import DomainError
from portal.page_cache import cached_page, catalogue_dependencies
from portal.steps import button_step, form_status, form_step


@cached_page(catalogue_dependencies)
def alliance_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "alliances/alliance_list.html", {"alliances": selectors.list_alliances()}
    )


@cached_page(catalogue_dependencies)
def alliance_detail(request: HttpRequest, slug: str) -> HttpResponse:
    alliance = selectors.get_alliance_with_members(slug=slug)
    return render(
        request,
        "alliances/alliance_detail.html",
        {"alliance": alliance, "can_edit": permissions.can_edit_alliance(request.user, alliance)},
    )


@cached_page(catalogue_dependencies)
def institution_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    country = request.GET.get("country", "").strip()[:2]
    institutions = selectors.list_institutions(search=search, country=country)
    page = Paginator(institutions, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "alliances/institution_list.html",
        {"page": page, "search": search, "country": country},
    )


@cached_page(catalogue_dependencies)
def institution_detail(request: HttpRequest, slug: str) -> HttpResponse:
    institution = selectors.get_institution(slug=slug)
    return render(
        request,
        "alliances/institution_detail.html",
        {
            "institution": institution,
            "can_edit": permissions.can_edit_institution(request.user, institution),
            "can_manage_staff": permissions.can_manage_staff(request.user, institution),
        },
    )


@login_required
def institution_edit(request: HttpRequest, slug: str) -> HttpResponse:
    institution = permissions.get_object_or_404_for(
        selectors.list_institutions(), request.user, permissions.can_edit_institution, slug=slug
    )
    form = InstitutionForm(request.POST or None, instance=institution)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        institution.refresh_from_db()
        try:
            services.update_institution(
                actor=signed_in_user(request), institution=institution, data=data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The institution's details were saved."))
            return redirect("alliances:institution_detail", slug=institution.slug)
    return render(
        request,
        "alliances/institution_edit.html",
        {"institution": institution, "form": form, "logo_form": InstitutionLogoForm()},
    )


@login_required
@require_POST
def institution_logo_upload(request: HttpRequest, slug: str) -> HttpResponse:
    institution = permissions.get_object_or_404_for(
        selectors.list_institutions(), request.user, permissions.can_edit_institution, slug=slug
    )
    actor = signed_in_user(request)
    if "remove" in request.POST:
        logos.remove_institution_logo(actor=actor, institution=institution)
        messages.success(request, _("The logo was removed."))
        return redirect("alliances:institution_edit", slug=institution.slug)
    logo_form = InstitutionLogoForm(request.POST, request.FILES)
    if logo_form.is_valid():
        upload = logo_form.cleaned_data["logo"]
        try:
            if upload.size > logos.LOGO_MAX_BYTES:
                raise DomainError(_("The logo may be at most 1 MB."), field="logo")
            logos.set_institution_logo(actor=actor, institution=institution, data=upload.read())
        except DomainError as error:
            logo_form.add_error("logo", error.message)
        else:
            messages.success(request, _("The logo was saved."))
            return redirect("alliances:institution_edit", slug=institution.slug)
    return render(
        request,
        "alliances/institution_edit.html",
        {
            "institution": institution,
            "form": InstitutionForm(instance=institution),
            "logo_form": logo_form,
        },
        status=400,
    )


@require_GET
def institution_logo(request: HttpRequest, slug: str) -> FileResponse:
    """The logo anyone may see (pages, share links and certificates link here)."""
    institution = get_object_or_404(selectors.list_institutions(), slug=slug)
    if not institution.logo:
        raise Http404
    try:
        handle = institution.logo.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@login_required
def staff_list(request: HttpRequest, slug: str) -> HttpResponse:
    institution = selectors.get_managed_institution(user=request.user, slug=slug)
    form = InviteStaffForm(request.POST or None)
    done = form_step(
        request,
        form,
        lambda: services.invite_staff(
            actor=signed_in_user(request),
            institution=institution,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
        ),
        success=lambda invitation: (
            _("An invitation was sent to %(email)s.") % {"email": invitation.email}
        ),
        then=redirect("alliances:staff_list", slug=institution.slug),
    )
    if done:
        return done
    return render(
        request,
        "alliances/staff_list.html",
        {
            "institution": institution,
            "staff": selectors.list_staff(institution=institution),
            "invitations": selectors.list_open_invitations(institution=institution),
            "form": form,
        },
        status=form_status(form),
    )


@login_required
@require_POST
def staff_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    institution = selectors.get_managed_institution(user=request.user, slug=slug)
    staff_role = get_object_or_404(StaffRole, pk=pk, institution=institution)
    return button_step(
        request,
        lambda: services.remove_staff_role(actor=signed_in_user(request), staff_role=staff_role),
        success=_("%(user)s no longer has the role %(role)s.")
        % {"user": staff_role.user, "role": staff_role.get_role_display()},
        then=redirect("alliances:staff_list", slug=institution.slug),
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    institution = selectors.get_managed_institution(user=request.user, slug=slug)
    invitation = get_object_or_404(StaffInvitation, pk=pk, institution=institution)
    return button_step(
        request,
        lambda: services.revoke_invitation(actor=signed_in_user(request), invitation=invitation),
        success=_("The invitation was withdrawn."),
        then=redirect("alliances:staff_list", slug=institution.slug),
    )


@login_required
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(
        StaffInvitation.objects.select_related("institution", "invited_by"), token=token
    )
    error = None
    if request.method == "POST":
        try:
            staff_role = services.accept_invitation(user=signed_in_user(request), token=token)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                _("You are now %(role)s at %(institution)s.")
                % {
                    "role": staff_role.get_role_display(),
                    "institution": staff_role.institution,
                },
            )
            return redirect("dashboard")
    return render(
        request,
        "alliances/accept_invitation.html",
        {"invitation": invitation, "error": error},
        status=400 if error else 200,
    )
