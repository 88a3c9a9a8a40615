"""Catalogue pages: public catalogue and programme pages, learner enrolment, and staff
pages for programmes, approvals, offerings and results. Views parse input, call one
service or selector, and render or redirect (POST-redirect-GET)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliances import permissions
from alliances import selectors as alliance_selectors
from alliances.models import Alliance, Institution
from alliances.selectors import current_memberships
from catalogue import permissions as catalogue_permissions
from catalogue import selectors, services
from catalogue.forms import (
    CatalogueFilterForm,
    OfferingForm,
    OutcomeFormSet,
    PathwayForm,
    ProgrammeForm,
    ProgrammeStartForm,
    RequestChangesForm,
    ResultForm,
    ResultUploadForm,
    outcome_initial,
)
from catalogue.models import EnrolmentStatus, Offering, ResultUpload
from catalogue.snapshots import (
    build_snapshot,
    form_languages,
    missing_elements,
    required_languages,
)
from portal import epochs
from portal.auth import signed_in_user
from portal.errors import DomainError
from portal.page_cache import Dependencies, cached_page, catalogue_dependencies
from portal.pagination import CappedPaginator
from portal.steps import add_domain_error, button_step, form_status, form_step

CATALOGUE_PAGE_SIZE = 20
# Matches beyond this are announced as "more than", not counted (portal.pagination): 100 pages.
CATALOGUE_COUNT_CAP = 2000


# --- public -------------------------------------------------------------------------------


# The filter choices change only when programmes are published or institutions join:
# a short cache keeps three queries and their form work off every catalogue page.
FILTER_CHOICES_SECONDS = 300


def _filter_choices() -> dict[str, list[tuple[str, str]]]:
    key = f"catalogue:filter-choices:{translation.get_language()}"
    choices = cache.get(key)
    if choices is None:
        choices = {
            "skills": list(selectors.skills_in_catalogue().values_list("uri", "preferred_label")),
            "institutions": list(
                Institution.objects.order_by("short_name").values_list("slug", "short_name")
            ),
            "alliances": list(Alliance.objects.order_by("name").values_list("slug", "name")),
        }
        cache.set(key, choices, FILTER_CHOICES_SECONDS)
    return choices


def _programme_dependencies(request: HttpRequest, slug: str) -> Dependencies:
    return Dependencies(
        epochs=[epochs.CATALOGUE, epochs.RECOGNITION, epochs.programme(slug)],
        versions=(timezone.localdate().isoformat(),),
    )


@cached_page(catalogue_dependencies)
def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET or None, **_filter_choices())
    form.is_valid()
    values = getattr(form, "cleaned_data", {})
    filters = selectors.CatalogueFilters(
        query=values.get("q") or "",
        skill=values.get("skill") or "",
        eqf_level=values.get("eqf"),
        ects_min=values.get("ects_min"),
        ects_max=values.get("ects_max"),
        language=values.get("language") or "",
        participation_form=values.get("form") or "",
        institution=values.get("institution") or "",
        alliance=values.get("alliance") or "",
        starts_from=values.get("starts_from"),
    )
    page = CappedPaginator(
        selectors.search_catalogue_ids(filters),
        CATALOGUE_PAGE_SIZE,
        cap=CATALOGUE_COUNT_CAP,
    ).get_page(request.GET.get("page"))
    programmes = selectors.catalogue_rows(list(page.object_list))
    return render(
        request,
        "catalogue/catalogue.html",
        {
            "form": form,
            "page": page,
            "programmes": programmes,
            "filtered": any(value for value in filters.__dict__.values()),
        },
    )


@cached_page(_programme_dependencies)
def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    programme = selectors.get_catalogue_programme(slug=slug)
    offerings = programme.upcoming_offerings  # type: ignore[attr-defined]
    mine = selectors.active_enrolments_of(
        learner=request.user, offering_ids=[offering.pk for offering in offerings]
    )
    today = timezone.localdate()
    return render(
        request,
        "catalogue/programme_detail.html",
        {
            "programme": programme,
            "version": programme.published_version,
            "snapshot": programme.published_version.snapshot,  # type: ignore[union-attr]
            "offerings": [
                {
                    "offering": offering,
                    "mine": mine.get(offering.pk),
                    "open": offering.is_open_on(today),
                }
                for offering in offerings
            ],
            "can_manage": catalogue_permissions.can_view_programme_work(request.user, programme),
            "logo_slugs": alliance_selectors.slugs_with_logo(
                body["slug"]
                for body in programme.published_version.snapshot["awarding_bodies"]  # type: ignore[union-attr]
            ),
        },
    )


@cached_page(catalogue_dependencies)
def pathway_detail(request: HttpRequest, slug: str) -> HttpResponse:
    pathway = selectors.get_pathway(slug=slug)
    progress = None
    if request.user.is_authenticated:
        progress = selectors.pathway_progress(
            learner=request.user, pathways=selectors.list_pathways().filter(pk=pathway.pk)
        )[0]
    return render(
        request, "catalogue/pathway_detail.html", {"pathway": pathway, "progress": progress}
    )


@login_required
@require_POST
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    offering = get_object_or_404(Offering.objects.select_related("programme"), pk=pk)
    try:
        enrolment = services.enrol(learner=signed_in_user(request), offering=offering)
    except services.NotInCatalogueError as error:
        raise Http404 from error
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if enrolment.status == EnrolmentStatus.ENROLLED:
            messages.success(request, _("You are enrolled."))
        else:
            messages.info(
                request,
                _(
                    "The offering is full: you are on the waiting list and will be enrolled when a place frees up."
                ),
            )
    return redirect("catalogue:programme_detail", slug=offering.programme.slug)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.get_enrolment_of(learner=request.user, pk=pk)
    return button_step(
        request,
        lambda: services.withdraw(actor=signed_in_user(request), enrolment=enrolment),
        success=_("You have withdrawn."),
        then=redirect("dashboard"),
    )


# --- staff: programmes --------------------------------------------------------------------


def _managed_institutions(user: Any) -> QuerySet[Institution]:
    if permissions.is_operator(user):
        return Institution.objects.order_by("short_name")
    return Institution.objects.filter(
        pk__in=catalogue_permissions.programme_institution_ids_managed_by(user)
    ).order_by("short_name")


def _institutions_and_alliances_managed_by(
    user: Any,
) -> tuple[QuerySet[Institution], QuerySet[Alliance]]:
    """Where the user may start programmes and pathways; 404 for people without that role."""
    institutions = _managed_institutions(user)
    if not institutions.exists():
        raise Http404
    alliances = Alliance.objects.filter(
        memberships__in=current_memberships().filter(institution__in=institutions)
    ).distinct()
    return institutions, alliances


@login_required
def staff_programmes(request: HttpRequest) -> HttpResponse:
    institutions = _managed_institutions(request.user)
    if not institutions.exists():
        raise Http404
    programmes = selectors.list_programmes_for_staff(user=request.user)
    page = Paginator(programmes, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "catalogue/staff_programmes.html",
        {
            "page": page,
            "approvals": selectors.list_approvals_waiting(user=request.user)[:50],
            "offerings": selectors.list_offerings_delivered_by(user=request.user)[:50],
            "pathways": selectors.list_pathways_owned_by(user=request.user)[:50],
        },
    )


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    institutions, alliances = _institutions_and_alliances_managed_by(request.user)
    form = ProgrammeStartForm(request.POST or None, institutions=institutions, alliances=alliances)
    done = form_step(
        request,
        form,
        lambda: services.create_programme(
            actor=signed_in_user(request),
            coordinator=form.cleaned_data["coordinator"],
            alliance=form.cleaned_data["alliance"],
            slug=form.cleaned_data["slug"],
            data={"title": {"en": form.cleaned_data["title_en"]}},
        ),
        success=_("The draft was created. Complete every element, then submit it."),
        then=lambda programme: redirect("catalogue:programme_edit", pk=programme.pk),
    )
    if done:
        return done
    return render(
        request, "catalogue/programme_create.html", {"form": form}, status=form_status(form)
    )


@login_required
def pathway_create(request: HttpRequest) -> HttpResponse:
    institutions, alliances = _institutions_and_alliances_managed_by(request.user)
    form = PathwayForm(
        request.POST or None,
        institutions=institutions,
        alliances=alliances,
        programmes=selectors.pathway_programme_choices(alliances=alliances),
    )

    def create() -> Any:
        data = form.cleaned_data
        return services.create_pathway(
            actor=signed_in_user(request),
            owner=data["owner"],
            alliance=data["alliance"],
            slug=data["slug"],
            title={"en": data["title_en"]},
            description={"en": data["description_en"]},
            rule=data["rule"],
            programme_ids=[programme.pk for programme in data["programmes"]],
            required_count=data["required_count"],
            min_ects=data["min_ects"],
        )

    done = form_step(
        request,
        form,
        create,
        success=_("The pathway is published in the catalogue."),
        then=lambda pathway: redirect("catalogue:pathway_detail", slug=pathway.slug),
    )
    if done:
        return done
    return render(
        request, "catalogue/pathway_create.html", {"form": form}, status=form_status(form)
    )


def _partner_choices(programme: Any) -> QuerySet[Institution]:
    return (
        Institution.objects.filter(
            memberships__in=current_memberships().filter(alliance=programme.alliance)
        )
        .exclude(pk=programme.coordinator_id)
        .order_by("short_name")
    )


@login_required
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_for_editing(user=request.user, pk=pk)
    languages = form_languages(programme)
    form = ProgrammeForm(
        request.POST or None,
        languages=languages,
        required_languages=required_languages(programme),
        partner_choices=_partner_choices(programme),
        initial=ProgrammeForm.initial_for(programme, languages),
    )
    formset = OutcomeFormSet(
        request.POST or None,
        initial=outcome_initial(programme, languages),
        form_kwargs={"languages": languages},
        prefix="outcomes",
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        outcomes = [outcome for outcome in (f.outcome() for f in formset.forms) if outcome]
        try:
            programme = services.update_programme(
                actor=signed_in_user(request),
                programme=programme,
                data=form.service_data(),
                partner_ids=[institution.pk for institution in form.cleaned_data["partners"]],
                outcomes=outcomes,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The programme was saved."))
            return redirect("catalogue:programme_edit", pk=programme.pk)
    return render(
        request,
        "catalogue/programme_edit.html",
        {
            "skill_picker_texts": {
                "search": _("Search ESCO skills"),
                "chosen": _("Chosen skills:"),
                "none": _("None yet."),
                "noMatch": _("No ESCO skill matches."),
                "remove": _("Remove"),
            },
            "programme": programme,
            "form": form,
            "formset": formset,
            "missing": missing_elements(programme),
        },
        status=400 if form.errors or formset.total_error_count() else 200,
    )


@login_required
def programme_manage(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_for_staff(user=request.user, pk=pk)
    my_partner_links = [
        link
        for link in programme.partner_links.all()
        if catalogue_permissions.can_approve_programme(request.user, programme, link.institution_id)
    ]
    missing = missing_elements(programme)
    return render(
        request,
        "catalogue/programme_manage.html",
        {
            "programme": programme,
            "missing": missing,
            # The elements as they would be published, for the partners who check them before
            # approving (an incomplete draft has nothing to check yet).
            "draft_snapshot": None if missing else build_snapshot(programme, number=0),
            "can_edit": catalogue_permissions.can_edit_programme(request.user, programme),
            "my_partner_links": my_partner_links,
            "versions": selectors.list_versions(programme=programme),
            "offerings": selectors.list_offerings_for_staff(programme=programme),
            "changes_form": RequestChangesForm(),
            "conversation": selectors.approval_conversation(programme=programme),
        },
    )


def _programme_action(request: HttpRequest, pk: int, action: Any, success: str) -> HttpResponse:
    programme = selectors.get_programme_for_staff(user=request.user, pk=pk)
    return button_step(
        request,
        lambda: action(programme),
        success=success,
        then=redirect("catalogue:programme_manage", pk=pk),
    )


@login_required
@require_POST
def programme_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    return _programme_action(
        request,
        pk,
        lambda programme: services.submit_programme(
            actor=user, programme=programme, reply=request.POST.get("reply", "")[:2000]
        ),
        _("The programme was submitted to the partners (or published when it has none)."),
    )


@login_required
@require_POST
def programme_archive(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    return _programme_action(
        request,
        pk,
        lambda programme: services.archive_programme(actor=user, programme=programme),
        _("The programme was archived; its versions stay for the credentials that point to them."),
    )


def _partner_institution(request: HttpRequest) -> Institution:
    try:
        return get_object_or_404(Institution, pk=int(request.POST.get("institution", "")))
    except ValueError as error:
        raise Http404 from error


@login_required
@require_POST
def programme_approve(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    institution = _partner_institution(request)
    return _programme_action(
        request,
        pk,
        lambda programme: services.approve_programme(
            actor=user, programme=programme, institution=institution
        ),
        _("Your institution's approval was recorded."),
    )


@login_required
@require_POST
def programme_request_changes(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    form = RequestChangesForm(request.POST)
    if not form.is_valid():
        selectors.get_programme_for_staff(user=request.user, pk=pk)
        messages.error(request, _("Say what should change."))
        return redirect("catalogue:programme_manage", pk=pk)
    institution = get_object_or_404(Institution, pk=form.cleaned_data["institution"])
    return _programme_action(
        request,
        pk,
        lambda programme: services.request_changes(
            actor=user,
            programme=programme,
            institution=institution,
            comment=form.cleaned_data["comment"],
        ),
        _("The programme was sent back to the coordinator."),
    )


# --- staff: offerings and results ----------------------------------------------------------


def _delivery_choices(programme: Any) -> QuerySet[Institution]:
    ids = {programme.coordinator_id} | set(programme.partner_institution_ids)
    return Institution.objects.filter(pk__in=ids).order_by("short_name")


@login_required
def offering_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = permissions.get_object_or_404_for(
        services.programme_queryset().select_related("published_version"),
        request.user,
        catalogue_permissions.can_manage_offerings,
        pk=pk,
    )
    if programme.published_version is None:
        messages.error(request, _("Publish the programme before opening offerings."))
        return redirect("catalogue:programme_manage", pk=pk)
    form = OfferingForm(
        request.POST or None,
        languages=programme.published_version.snapshot["languages"],
        institutions=_delivery_choices(programme),
        initial={"delivery_institutions": [programme.coordinator]},
    )
    done = form_step(
        request,
        form,
        lambda: services.create_offering(
            actor=signed_in_user(request),
            programme=programme,
            code=form.cleaned_data["code"],
            data=form.service_data(),
            delivery_institution_ids=[i.pk for i in form.cleaned_data["delivery_institutions"]],
        ),
        success=_("The offering is open."),
        then=lambda offering: redirect("catalogue:offering_manage", pk=offering.pk),
    )
    if done:
        return done
    return render(
        request,
        "catalogue/offering_form.html",
        {"programme": programme, "form": form},
        status=form_status(form),
    )


@login_required
def offering_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offering = permissions.get_object_or_404_for(
        selectors.offering_queryset(),
        request.user,
        lambda user, offering: catalogue_permissions.can_manage_offerings(user, offering.programme),
        pk=pk,
    )
    form = OfferingForm(
        request.POST or None,
        languages=offering.version.snapshot["languages"],
        institutions=_delivery_choices(offering.programme),
        editing=True,
        initial={
            **{name: getattr(offering, name) for name in services.OFFERING_FIELDS},
            "delivery_institutions": list(offering.delivery_institutions.all()),
        },
    )
    done = form_step(
        request,
        form,
        lambda: services.update_offering(
            actor=signed_in_user(request),
            offering=offering,
            data=form.service_data(),
            delivery_institution_ids=[i.pk for i in form.cleaned_data["delivery_institutions"]],
        ),
        success=_("The offering was saved."),
        then=redirect("catalogue:offering_manage", pk=offering.pk),
    )
    if done:
        return done
    return render(
        request,
        "catalogue/offering_form.html",
        {"programme": offering.programme, "offering": offering, "form": form},
        status=form_status(form),
    )


@login_required
def offering_manage(request: HttpRequest, pk: int) -> HttpResponse:
    offering = selectors.get_offering_for_staff(user=request.user, pk=pk)
    enrolments = list(selectors.list_enrolments(offering=offering))
    can_record = catalogue_permissions.can_record_results(request.user, offering)
    enrolled = [e for e in enrolments if e.status == EnrolmentStatus.ENROLLED]
    form = ResultForm(
        request.POST or None,
        enrolments=enrolled,
        initial={"assessed_on": timezone.localdate()},
    )
    if request.method == "POST":
        if not can_record:
            raise Http404
        if form.is_valid():
            enrolment = next(e for e in enrolled if e.pk == form.cleaned_data["enrolment"])
            try:
                services.record_result(
                    actor=signed_in_user(request),
                    enrolment=enrolment,
                    outcome=form.cleaned_data["outcome"],
                    grade=form.cleaned_data["grade"],
                    assessed_on=form.cleaned_data["assessed_on"],
                    identity_verified=form.cleaned_data["identity_verified"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("The result was recorded."))
                return redirect("catalogue:offering_manage", pk=pk)
    return render(
        request,
        "catalogue/offering_manage.html",
        {
            "offering": offering,
            "enrolments": enrolments,
            "form": form if can_record else None,
            "can_edit": catalogue_permissions.can_manage_offerings(
                request.user, offering.programme
            ),
            "grading_scheme": offering.version.snapshot["grading_scheme"],
        },
        status=form_status(form),
    )


@login_required
def results_export(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    offering = selectors.get_offering_for_staff(user=request.user, pk=pk)
    response = StreamingHttpResponse(
        selectors.export_results_csv(offering=offering), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="results-{offering.code}.csv"'
    return response


@login_required
def results_upload(request: HttpRequest) -> HttpResponse:
    if not _managed_institutions(request.user).exists():
        raise Http404
    form = ResultUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.check_upload_size(upload.size)
            preview = services.preview_results_upload(
                actor=signed_in_user(request),
                filename=upload.name,
                size=upload.size,
                data=upload.read(),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("catalogue:results_upload_preview", pk=preview.upload.pk)
    return render(
        request, "catalogue/results_upload.html", {"form": form}, status=form_status(form)
    )


@login_required
def results_upload_preview(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(ResultUpload, pk=pk, uploaded_by=request.user)
    if request.method == "POST":
        try:
            preview = services.confirm_results_upload(actor=signed_in_user(request), upload=upload)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(count)s results were saved.") % {"count": len(preview.valid_rows)},
            )
            return redirect(reverse("catalogue:results_upload_preview", args=[pk]))
    preview = services.preview_stored_upload(actor=signed_in_user(request), upload=upload)
    return render(request, "catalogue/results_preview.html", {"preview": preview, "upload": upload})
