"""The guest's own feedback page, opened from a signed link without logging in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from complaints import services
from complaints.forms import FeedbackForm
from complaints.models import ResolutionFeedback, Ticket
from core.guest_pages import guest_page_context, guest_page_language

# --- The guest's own feedback page (no login) -----------------------------------------------------


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def feedback_public(request: HttpRequest, token: str) -> HttpResponse:
    """The page a guest opens from the signed link to say how satisfied they are.

    It opens in the guest's preferred language (with a switch) and carries the hotel's name.
    """
    ticket = None
    try:
        link = services.feedback_token_read(token=token)
        ticket = Ticket.objects.select_related("guest").filter(pk=link.ticket_id).first()
    except services.FeedbackLinkError as exc:
        link, failure = None, exc
    guest = ticket.guest if ticket is not None else None
    language = guest_page_language(
        request, preferred=guest.preferred_language if guest is not None else None
    )
    page = guest_page_context(request, language=language)
    if link is None:
        context = {**page, "error": str(failure)}  # a lazy message: now in the page's language
        return render(request, "complaints/feedback_public.html", context, status=failure.status)
    if ticket is None:
        error = _("This feedback link is not valid.")
        context = {**page, "error": error}
        return render(request, "complaints/feedback_public.html", context, status=404)
    existing = ResolutionFeedback.objects.filter(
        ticket=ticket, resolution_round=link.resolution_round
    ).first()
    context = {**page, "ticket": ticket, "done": existing}
    if existing is not None:
        return render(request, "complaints/feedback_public.html", context)
    if link.resolution_round != ticket.resolution_round:
        context["error"] = _(
            "This complaint is being looked at again, so this feedback request is no longer open."
        )
        return render(request, "complaints/feedback_public.html", context, status=410)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                context["done"] = services.feedback_record(
                    ticket=ticket,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                    via=ResolutionFeedback.Via.GUEST_LINK,
                    resolution_round=link.resolution_round,
                )
            except services.ComplaintError as exc:
                context["error"] = str(exc)
                return render(
                    request, "complaints/feedback_public.html", context, status=exc.status
                )
            return render(request, "complaints/feedback_public.html", context)
        context["form"] = form
        return render(request, "complaints/feedback_public.html", context, status=422)
    context["form"] = form
    return render(request, "complaints/feedback_public.html", context)
