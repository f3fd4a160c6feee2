"""Pages for guest profiles, stays, companies and the access log. Thin: check, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from core import seams
from core.http import search_text
from core.replicas import heavy_reads
from guests import selectors, services
from guests.duplicates import duplicates_for_guest
from guests.forms import (
    GUEST_FORMSETS,
    AccessLogFilterForm,
    ChargePauseForm,
    CompanyContactFormSet,
    CompanyForm,
    GuestFilterForm,
    GuestForm,
    StayForm,
)
from guests.merge import guest_merged_into, guest_merges
from guests.models import Company, Guest, Stay

PAGE_SIZE = 50
LOOKUP_LIMIT = 8
SEARCH_PAGE_LIMIT = 50


def _page(request: HttpRequest, items, size: int = PAGE_SIZE):
    return Paginator(items, size).get_page(request.GET.get("page"))


def guest_access(*, pk: int) -> Guest:
    """The guest, or 404 for one that does not exist or was erased."""
    return get_object_or_404(Guest.objects.shown(), pk=pk)


# --- Guests -------------------------------------------------------------------------------------


@permission_required("guests.view_guest", raise_exception=True)
@heavy_reads
def guest_list(request: HttpRequest) -> HttpResponse:
    form = GuestFilterForm.from_request(request)
    filters = form.values
    guests = selectors.guest_list(
        vip=filters.get("vip"),
        stage=filters.get("stage") or "",
        company=filters.get("company"),
        account_manager=filters.get("account_manager"),
        in_house=bool(filters.get("in_house")),
    )
    page = _page(request, guests)
    return render(
        request,
        "guests/guest_list.html",
        {
            "form": form,
            "page": page,
            "rows": selectors.guest_summaries(guests=page.object_list),
            "show_contact": selectors.contact_visible(request.user),
        },
        status=form.status,
    )


@permission_required("guests.view_guest", raise_exception=True)
@vary_on_headers("HX-Request")  # one URL, two answers: caches must keep them apart
def guest_search(request: HttpRequest) -> HttpResponse:
    """The front-desk lookup: a dropdown fragment for htmx, a full page without JavaScript."""
    query = search_text(request.GET, "q")
    fragment = bool(request.htmx)
    limit = LOOKUP_LIMIT if fragment else SEARCH_PAGE_LIMIT
    results = selectors.guest_search(query=query, limit=limit) if query else []
    context = {
        "query": query,
        "results": results,
        "show_contact": selectors.contact_visible(request.user),
        "limit": limit,
    }
    if fragment:
        return render(request, "guests/_search_results.html", context)
    return render(request, "guests/search.html", context)


@permission_required("guests.view_guest", raise_exception=True)
def guest_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        card = selectors.guest_get_card(guest_id=pk, user=request.user)
    except Guest.DoesNotExist as exc:
        # A profile merged into another: its old address leads to the one kept.
        kept = guest_merged_into(guest_id=pk)
        if kept is not None:
            return redirect("guests:detail", pk=kept)
        raise Http404 from exc
    if card.show_contact:
        services.guest_access_record(guest=card.guest, user=request.user)
    panels = [
        (panel, mark_safe(render_to_string(panel.template, context, request=request)))  # noqa: S308
        for panel, context in card.panels
    ]
    history = (
        selectors.guest_history(guest=card.guest, user=request.user)
        if request.user.has_perm("guests.view_guestchange")
        else None
    )
    duplicates = (
        duplicates_for_guest(guest=card.guest)
        if request.user.has_perm("guests.view_duplicatepair")
        else None
    )
    context = {
        "card": card,
        "guest": card.guest,
        "panels": panels,
        "history": history,
        "duplicates": duplicates,
        "merges": (
            guest_merges(guest=card.guest) if request.user.has_perm("guests.merge_guests") else None
        ),
    }
    return render(request, "guests/guest_card.html", context)


def _guest_formsets(request: HttpRequest, guest: Guest) -> dict:
    data = request.POST if request.method == "POST" else None
    return {
        key: formset_class(data, instance=guest, prefix=key)
        for key, (formset_class, _label) in GUEST_FORMSETS.items()
    }


def _guest_form(request: HttpRequest, guest: Guest) -> HttpResponse:
    form = GuestForm(request.POST or None, instance=guest)
    formsets = _guest_formsets(request, guest)
    if request.method == "POST":
        # Validate every part, so all the mistakes show at once.
        checks = [form.is_valid()] + [fs.is_valid() for fs in formsets.values()]
        if all(checks):
            data = {name: form.cleaned_data[name] for name in form._meta.fields}
            rows = {key: fs.rows() for key, fs in formsets.items()}
            try:
                if guest.pk:
                    guest = services.guest_update(guest=guest, by=request.user, data=data, **rows)
                else:
                    guest = services.guest_create(by=request.user, data=data, **rows)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Guest profile saved."))
                return redirect("guests:detail", pk=guest.pk)
    sections = [(key, GUEST_FORMSETS[key][1], formset) for key, formset in formsets.items()]
    return render(
        request,
        "guests/guest_form.html",
        {"form": form, "sections": sections, "guest": guest},
        status=422 if request.method == "POST" else 200,
    )


@permission_required("guests.add_guest", raise_exception=True)
def guest_create(request: HttpRequest) -> HttpResponse:
    return _guest_form(request, Guest())


@permission_required("guests.change_guest", raise_exception=True)
def guest_edit(request: HttpRequest, pk: int) -> HttpResponse:
    guest = guest_access(pk=pk)
    if request.method == "GET":
        # The form shows the phones and e-mail in full (it cannot mask what is being edited):
        # record the view as the card does.
        services.guest_access_record(guest=guest, user=request.user)
    return _guest_form(request, guest)


# --- Stays --------------------------------------------------------------------------------------


@permission_required("guests.view_stay", raise_exception=True)
def stay_list(request: HttpRequest, pk: int) -> HttpResponse:
    guest = guest_access(pk=pk)
    return render(
        request,
        "guests/stay_list.html",
        {"guest": guest, "page": _page(request, selectors.guest_stays(guest=guest))},
    )


def _stay_form(request: HttpRequest, guest: Guest, stay: Stay) -> HttpResponse:
    form = StayForm(request.POST or None, instance=stay)
    if request.method == "POST":
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form._meta.fields}
            try:
                if stay.pk:
                    services.stay_update(stay=stay, by=request.user, data=data)
                else:
                    services.stay_create(guest=guest, by=request.user, data=data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Stay saved."))
                return redirect("guests:stays", pk=guest.pk)
        return render(request, "guests/stay_form.html", {"form": form, "guest": guest}, status=422)
    return render(request, "guests/stay_form.html", {"form": form, "guest": guest})


@permission_required("guests.add_stay", raise_exception=True)
def stay_create(request: HttpRequest, pk: int) -> HttpResponse:
    guest = guest_access(pk=pk)
    return _stay_form(request, guest, Stay(guest=guest))


@permission_required("guests.change_stay", raise_exception=True)
def stay_edit(request: HttpRequest, pk: int) -> HttpResponse:
    stay = get_object_or_404(Stay.objects.of_shown_guests().select_related("guest"), pk=pk)
    return _stay_form(request, stay.guest, stay)


# --- Companies ----------------------------------------------------------------------------------


@permission_required("guests.view_company", raise_exception=True)
def company_list(request: HttpRequest) -> HttpResponse:
    query = search_text(request.GET, "q")
    return render(
        request,
        "guests/company_list.html",
        {
            "query": query,
            "page": _page(request, selectors.company_list(query=query)),
        },
    )


@permission_required("guests.view_company", raise_exception=True)
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        company = selectors.company_get(pk=pk)
    except Company.DoesNotExist as exc:
        raise Http404 from exc
    guests = company.guests.shown().order_by("family_name", "given_name")
    panels = []
    for panel in seams.company_panels.all():
        context = panel.context(company=company, user=request.user)
        if context is not None:
            html = render_to_string(panel.template, context, request=request)
            panels.append((panel, mark_safe(html)))  # noqa: S308
    return render(
        request,
        "guests/company_detail.html",
        {
            "company": company,
            "guests": _page(request, guests, 25),
            "pause_form": ChargePauseForm(),
            "panels": panels,
        },
    )


def _company_form(request: HttpRequest, company: Company) -> HttpResponse:
    form = CompanyForm(request.POST or None, instance=company)
    contacts = CompanyContactFormSet(
        request.POST if request.method == "POST" else None, instance=company, prefix="contacts"
    )
    valid = request.method == "POST" and all([form.is_valid(), contacts.is_valid()])
    if valid:
        data = {name: form.cleaned_data[name] for name in form.fields}
        try:
            company = services.company_save(
                company=company if company.pk else None,
                by=request.user,
                data=data,
                contacts=contacts.rows(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Company saved."))
            return redirect("guests:company", pk=company.pk)
    return render(
        request,
        "guests/company_form.html",
        {"form": form, "contacts": contacts, "company": company},
        status=422 if request.method == "POST" else 200,
    )


@permission_required("guests.add_company", raise_exception=True)
def company_create(request: HttpRequest) -> HttpResponse:
    return _company_form(request, Company())


@permission_required("guests.change_company", raise_exception=True)
def company_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _company_form(request, get_object_or_404(Company, pk=pk))


@permission_required("guests.manage_charge_privilege", raise_exception=True)
@require_POST
def company_charge_pause(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_object_or_404(Company, pk=pk)
    form = ChargePauseForm(request.POST)
    if not form.is_valid():
        company = selectors.company_get(pk=pk)
        guests = company.guests.shown().order_by("family_name")
        return render(
            request,
            "guests/company_detail.html",
            {"company": company, "guests": _page(request, guests, 25), "pause_form": form},
            status=422,
        )
    services.company_charge_pause(
        company=company, by=request.user, reason=form.cleaned_data["reason"]
    )
    messages.success(request, _("Charge-to-account paused."))
    return redirect("guests:company", pk=pk)


@permission_required("guests.manage_charge_privilege", raise_exception=True)
@require_POST
def company_charge_resume(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_object_or_404(Company, pk=pk)
    services.company_charge_resume(company=company, by=request.user)
    messages.success(request, _("Charge-to-account resumed."))
    return redirect("guests:company", pk=pk)


# --- Access log ---------------------------------------------------------------------------------


@permission_required("guests.view_guestaccesslog", raise_exception=True)
def access_log(request: HttpRequest) -> HttpResponse:
    form = AccessLogFilterForm.from_request(request)
    filters = form.values
    guest = None
    if filters.get("guest"):
        guest = Guest.objects.filter(pk=filters["guest"]).first()
        if guest is None:
            form.add_error("guest", _("There is no guest with that number."))
    records = selectors.access_log_list(
        guest=guest,
        user=filters.get("user"),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    if form.errors:
        records = records.none()
    return render(
        request,
        "guests/access_log.html",
        {
            "form": form,
            "guest": guest,
            "page": _page(request, records),
        },
        status=422 if form.errors else 200,
    )
