"""Pages for guest data: duplicate suggestions, merging two profiles, privacy requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import refusal_on, refusal_status
from guests import duplicates, merge, privacy
from guests.data_forms import EraseForm, MergeForm
from guests.models import Guest
from guests.views import guest_access

PAGE_SIZE = 50


# --- Duplicates ---------------------------------------------------------------------------------


@permission_required("guests.view_duplicatepair", raise_exception=True)
def duplicate_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(duplicates.duplicate_pair_ids_open(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    pairs = duplicates.duplicate_pairs_by_ids(list(page.object_list))
    return render(request, "guests/duplicate_list.html", {"page": page, "pairs": pairs})


@permission_required("guests.change_duplicatepair", raise_exception=True)
@require_POST
def duplicate_refresh(request: HttpRequest) -> HttpResponse:
    from guests.tasks import duplicates_refresh_task

    duplicates_refresh_task.delay()
    messages.success(request, _("Looking for duplicates now: the list fills in as they are found."))
    return redirect("guests:duplicates")


@permission_required("guests.change_duplicatepair", raise_exception=True)
@require_POST
def duplicate_dismiss(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    guest, other_guest = guest_access(pk=pk), guest_access(pk=other)
    duplicates.duplicate_dismiss(guest=guest, other=other_guest, by=request.user)
    messages.success(
        request,
        _("“%(one)s” and “%(two)s” will not be suggested as duplicates again.")
        % {"one": guest.display_name, "two": other_guest.display_name},
    )
    back = request.POST.get("back")
    if back == "card":
        return redirect("guests:detail", pk=pk)
    return redirect("guests:duplicates")


# --- Merge --------------------------------------------------------------------------------------


def _merge_rows(kept: Guest, merged: Guest, form: MergeForm) -> list[dict]:
    rows = []
    for item in merge.MERGE_FIELDS:
        rows.append(
            {
                "key": item.key,
                "label": item.label,
                "field": form[item.key],
                "kept": merge.merge_value_text(kept, item),
                "merged": merge.merge_value_text(merged, item),
                "same": merge.merge_value_text(kept, item) == merge.merge_value_text(merged, item),
            }
        )
    return rows


@permission_required("guests.merge_guests", raise_exception=True)
def guest_merge(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    """The two profiles side by side; per field, which value survives; then merge."""
    kept, merged = guest_access(pk=pk), guest_access(pk=other)
    if kept.pk == merged.pk:
        return redirect("guests:detail", pk=pk)
    defaults = merge.merge_default_choices(kept=kept, merged=merged)
    initial = {
        "kept_version": merge.guest_version(kept),
        "merged_version": merge.guest_version(merged),
    }
    form = MergeForm(request.POST or None, initial=initial, initial_choices=defaults)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with refusal_on(form):
                merge.guest_merge(
                    kept_id=kept.pk,
                    merged_id=merged.pk,
                    by=request.user,
                    choices=form.choices(),
                    versions={
                        kept.pk: form.cleaned_data["kept_version"],
                        merged.pk: form.cleaned_data["merged_version"],
                    },
                )
                messages.success(
                    request,
                    _("“%(merged)s” was merged into this profile; nothing was lost.")
                    % {"merged": merged.display_name},
                )
                return redirect("guests:detail", pk=kept.pk)
        status = refusal_status(form)
    context = {
        "kept": kept,
        "merged": merged,
        "form": form,
        "rows": _merge_rows(kept, merged, form),
        "kept_counts": _record_counts(kept),
        "merged_counts": _record_counts(merged),
    }
    return render(request, "guests/merge.html", context, status=status)


def _record_counts(guest: Guest) -> list[tuple[str, int]]:
    """What the profile holds, table by table, in the reader's language."""
    counts = []
    for rel in merge.guest_relations():
        n = rel.related_model._base_manager.filter(**{rel.field.name: guest.pk}).count()
        if not n:
            continue
        if rel.related_model is Guest:
            label = _("Guests they referred")
        else:
            label = str(rel.related_model._meta.verbose_name_plural).capitalize()
        counts.append((label, n))
    return counts


# --- Privacy requests ---------------------------------------------------------------------------


@permission_required("guests.handle_privacy_request", raise_exception=True)
@require_GET
def privacy_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held on the guest: a readable page, or the JSON download (?format=json)."""
    guest = guest_access(pk=pk)
    sections = privacy.privacy_export(guest=guest, by=request.user)
    if request.GET.get("format") == "json":
        response = HttpResponse(
            privacy.privacy_export_json(sections, guest=guest),
            content_type="application/json; charset=utf-8",
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="guest-{guest.pk}-{stamp}.json"'
        return response
    return render(request, "guests/privacy_export.html", {"guest": guest, "sections": sections})


@permission_required("guests.handle_privacy_request", raise_exception=True)
def privacy_erase(request: HttpRequest, pk: int) -> HttpResponse:
    guest = guest_access(pk=pk)
    form = EraseForm(request.POST or None, guest=guest)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with refusal_on(form):
                privacy.guest_erase(guest=guest, by=request.user)
                messages.success(
                    request,
                    _(
                        "Profile #%(number)s was erased. Its stays, complaints and points remain "
                        "as anonymous figures."
                    )
                    % {"number": guest.pk},
                )
                return redirect("guests:list")
        status = refusal_status(form)
    return render(
        request, "guests/privacy_erase.html", {"guest": guest, "form": form}, status=status
    )
