"""The survey a guest opens from the signed link in the post-stay thank-you, without logging in.

It follows the resolution-feedback page (complaints.views.public): the guest's language with
a switch (core.guest_pages), the hotel's name, a polite page for a link that expired, was
changed or points at nothing. It shows nothing about the guest beyond the salutation and the
stay's dates.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.guest_pages import guest_page_context, guest_page_language
from guests.models import Stay
from surveys import services
from surveys.errors import SurveyLinkError
from surveys.forms import SurveyForm
from surveys.links import NOT_VALID, survey_token_read
from surveys.models import SurveyResponse

TEMPLATE = "surveys/public.html"


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def survey_public(request: HttpRequest, token: str) -> HttpResponse:
    stay, failure = None, None
    try:
        link = survey_token_read(token=token)
        stay = (
            Stay.objects.select_related("guest")
            .filter(pk=link.stay_id, guest__erased_at__isnull=True)
            .first()
        )
        if stay is None:
            failure = SurveyLinkError(NOT_VALID)
    except SurveyLinkError as exc:
        failure = exc
    guest = stay.guest if stay is not None else None
    preferred = guest.preferred_language if guest is not None else None
    if failure is not None and failure.stay_id:
        preferred = (
            Stay.objects.filter(pk=failure.stay_id)
            .values_list("guest__preferred_language", flat=True)
            .first()
        )
    language = guest_page_language(request, preferred=preferred)
    context = guest_page_context(request, language=language)
    if stay is None:
        assert failure is not None
        # a lazy message: rendered now, in the page's language
        context["error"] = str(failure.message)
        return render(request, TEMPLATE, context, status=failure.status)
    context["stay"] = stay
    context["guest"] = guest
    existing = SurveyResponse.objects.filter(stay=stay).first()
    if existing is not None:
        context.update(already=existing)
        return render(request, TEMPLATE, context, status=409 if request.method == "POST" else 200)
    form = SurveyForm(request.POST or None)
    context["form"] = form
    if request.method == "POST":
        if not form.is_valid():
            return render(request, TEMPLATE, context, status=422)
        response, created = services.survey_record(
            stay=stay,
            answers=services.Answers.from_cleaned(form.cleaned_data),
            channel=SurveyResponse.Channel.LINK,
            language=language,
        )
        context.pop("form")
        context["thanks" if created else "already"] = response
        return render(request, TEMPLATE, context, status=200 if created else 409)
    return render(request, TEMPLATE, context)
