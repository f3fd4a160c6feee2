from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import refusal_on, refusal_status
from core.formatting import number_text
from core.replicas import heavy_reads
from guests.models import Guest
from loyalty import selectors, services
from loyalty.forms import AdjustForm, EnrolForm, MemberFilterForm, RedeemForm, ReverseForm
from loyalty.models import Member, Redemption, Tier

PAGE_SIZE = 50


def _member_or_404(pk: int) -> Member:
    try:
        return selectors.member_get(pk=pk)
    except Member.DoesNotExist:
        raise Http404 from None


@permission_required("loyalty.view_member", raise_exception=True)
def member_list(request: HttpRequest) -> HttpResponse:
    form = MemberFilterForm.from_request(request)
    filters = form.values
    tier = filters.get("tier")
    members = selectors.member_list(query=filters.get("q") or "", tier=tier)
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "loyalty/member_list.html",
        {"form": form, "page": page, "tiers": Tier.objects.all(), "tier": tier},
        status=form.status,
    )


@permission_required("loyalty.view_member", raise_exception=True)
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_or_404(pk)
    today = timezone.localdate()
    page = Paginator(selectors.member_transactions(member=member), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "loyalty/member_detail.html",
        {
            "member": member,
            "page": page,
            "expiring": selectors.member_expiring_soon(member=member, today=today),
            "expiring_until": selectors.expiring_soon_until(today=today),
            "tier_history": selectors.member_tier_history(member=member),
        },
    )


@permission_required("loyalty.add_member", raise_exception=True)
@require_http_methods(["GET", "POST"])
def member_enrol(request: HttpRequest, guest_id: int) -> HttpResponse:
    guest = get_object_or_404(Guest.objects.shown(), pk=guest_id)
    existing = Member.objects.filter(guest=guest).first()
    if existing is not None:
        messages.info(request, _("%(guest)s is already a member.") % {"guest": guest})
        return redirect("loyalty:member", pk=existing.pk)
    form = EnrolForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "loyalty/enrol.html", {"guest": guest, "form": form}, status=422)
        member = services.member_enrol(
            guest=guest, by=request.user, source=form.cleaned_data["source"]
        )
        messages.success(
            request,
            _("%(guest)s is now a member, number %(number)s.")
            % {"guest": guest, "number": member.display_number},
        )
        return redirect("loyalty:member", pk=member.pk)
    return render(request, "loyalty/enrol.html", {"guest": guest, "form": form})


@permission_required("loyalty.add_redemption", raise_exception=True)
@require_http_methods(["GET", "POST"])
def redeem(request: HttpRequest, pk: int) -> HttpResponse:
    """Three steps at the desk: choose a reward, confirm with the guest, redeem."""
    member = _member_or_404(pk)
    rewards = selectors.reward_list(today=timezone.localdate(), available_only=True)
    form = RedeemForm(request.POST or None, rewards=rewards)
    context = {"member": member, "form": form}
    if request.method == "GET":
        return render(request, "loyalty/redeem.html", context)
    if not form.is_valid():
        return render(request, "loyalty/redeem.html", context, status=422)
    reward = form.cleaned_data["reward"]
    if request.POST.get("step") != "confirm":
        if member.balance < reward.points_cost:
            form.add_error(
                "reward",
                _("Not enough points: the balance is %(balance)s, this needs %(points)s.")
                % {
                    "balance": number_text(member.balance),
                    "points": number_text(reward.points_cost),
                },
            )
            return render(request, "loyalty/redeem.html", context, status=422)
        # A fresh key per confirmation page: a double click on "Confirm" redeems once.
        return render(
            request,
            "loyalty/redeem_confirm.html",
            {
                **context,
                "reward": reward,
                "note": form.cleaned_data["note"],
                "key": form.cleaned_data["key"] or uuid.uuid4(),
                "balance_after": member.balance - reward.points_cost,
            },
        )
    if not form.cleaned_data["key"]:
        form.add_error(None, _("Please confirm the redemption again."))
        return render(request, "loyalty/redeem.html", context, status=422)
    with refusal_on(form):
        redemption = services.points_redeem(
            member=member,
            reward=reward,
            by=request.user,
            idempotency_key=form.idempotency_key(),
            note=form.cleaned_data["note"],
        )
    if form.errors:
        return render(request, "loyalty/redeem.html", context, status=refusal_status(form))
    messages.success(
        request,
        _("Redeemed %(reward)s for %(points)s points.")
        % {"reward": redemption.reward.display_name, "points": number_text(redemption.points)},
    )
    return redirect("loyalty:member", pk=member.pk)


@permission_required("loyalty.reverse_redemption", raise_exception=True)
@require_http_methods(["GET", "POST"])
def redemption_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        redemption = selectors.redemption_get(pk=pk)
    except Redemption.DoesNotExist:
        raise Http404 from None
    form = ReverseForm(request.POST or None)
    context = {"redemption": redemption, "member": redemption.member, "form": form}
    if request.method == "GET":
        return render(request, "loyalty/reverse.html", context)
    if not form.is_valid():
        return render(request, "loyalty/reverse.html", context, status=422)
    with refusal_on(form):
        services.redemption_reverse(
            redemption=redemption, by=request.user, reason=form.cleaned_data["reason"]
        )
    if form.errors:
        return render(request, "loyalty/reverse.html", context, status=refusal_status(form))
    messages.success(
        request,
        _("Redemption reversed: %(points)s points restored.")
        % {"points": number_text(redemption.points)},
    )
    return redirect("loyalty:member", pk=redemption.member_id)


@permission_required("loyalty.adjust_points", raise_exception=True)
@require_http_methods(["GET", "POST"])
def points_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_or_404(pk)
    form = AdjustForm(request.POST or None, initial={"key": uuid.uuid4()})
    context = {"member": member, "form": form}
    if request.method == "GET":
        return render(request, "loyalty/adjust.html", context)
    if not form.is_valid():
        return render(request, "loyalty/adjust.html", context, status=422)
    with refusal_on(form):
        services.points_adjust(
            member=member,
            points=form.cleaned_data["points"],
            by=request.user,
            reason=form.cleaned_data["reason"],
            idempotency_key=f"adjust:{form.cleaned_data['key']}",
        )
    if form.errors:
        return render(request, "loyalty/adjust.html", context, status=refusal_status(form))
    messages.success(request, _("Points adjusted."))
    return redirect("loyalty:member", pk=member.pk)


@permission_required("loyalty.view_reward", raise_exception=True)
def reward_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "loyalty/reward_list.html",
        {"rewards": selectors.reward_list(today=today), "today": today},
    )


@permission_required("loyalty.view_member", raise_exception=True)
def expiring_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    page = Paginator(selectors.members_expiring_soon(today=today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "loyalty/expiring_list.html",
        {"page": page, "until": selectors.expiring_soon_until(today=today)},
    )


@permission_required("loyalty.view_liability", raise_exception=True)
@heavy_reads
def liability(request: HttpRequest) -> HttpResponse:
    return render(request, "loyalty/liability.html", {"liability": selectors.points_liability()})
