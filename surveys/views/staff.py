"""A stay's survey: the guest's answers, a survey taken on paper or by phone, the link again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import refusal_on, refusal_status
from surveys import selectors, services
from surveys.forms import StaffSurveyForm, ThankedForm

TEMPLATE = "surveys/stay.html"


def _context(request: HttpRequest, stay, form=None, thanked_form=None) -> dict:
    response = getattr(stay, "survey_response", None)
    may_record = request.user.has_perm("surveys.add_surveyresponse")
    if form is None and response is None and may_record:
        form = StaffSurveyForm()
    if (
        thanked_form is None
        and response is not None
        and response.praise
        and request.user.has_perm("surveys.view_guest_voice")
    ):
        thanked_form = ThankedForm(initial={"colleague": response.praised_id})
    return {
        "thanked_form": thanked_form,
        "stay": stay,
        "guest": stay.guest,
        "response": response,
        "link": getattr(stay, "survey_link", None),
        "form": form,
        "may_record": may_record,
    }


@permission_required("surveys.view_surveyresponse", raise_exception=True)
@require_GET
def stay_survey(request: HttpRequest, pk: int) -> HttpResponse:
    stay = selectors.survey_stay_get_for_user(user=request.user, stay_id=pk)
    return render(request, TEMPLATE, _context(request, stay))


@permission_required("surveys.add_surveyresponse", raise_exception=True)
@require_POST
def stay_survey_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff take down a survey the guest answered on paper or by phone."""
    stay = selectors.survey_stay_get_for_user(user=request.user, stay_id=pk)
    form = StaffSurveyForm(request.POST)
    if form.is_valid():
        with refusal_on(form):
            _response, created = services.survey_record(
                stay=stay,
                answers=services.Answers.from_cleaned(form.cleaned_data),
                channel=form.cleaned_data["channel"],
                by=request.user,
            )
            if created:
                messages.success(request, _("The guest's answers are recorded."))
            else:
                messages.info(
                    request, _("This stay was already answered; the first answers are kept.")
                )
            return redirect(reverse("surveys:stay", args=[stay.pk]))
    return render(request, TEMPLATE, _context(request, stay, form), status=refusal_status(form))


@permission_required("surveys.add_surveyresponse", raise_exception=True)
@require_POST
def stay_survey_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the guest the survey link for the stay again, through the outbox."""
    stay = selectors.survey_stay_get_for_user(user=request.user, stay_id=pk)
    result = services.survey_link_resend(stay=stay, by=request.user)
    notices = {
        "sent": (messages.success, _("The survey link is on its way to the guest.")),
        "answered": (messages.info, _("Nothing was sent: the guest has already answered.")),
        "no_consent": (
            messages.warning,
            _("The guest has not agreed to be contacted, so nothing was sent."),
        ),
        "no_address": (
            messages.warning,
            _("There is no address for the guest's preferred channel, so nothing was sent."),
        ),
    }
    notify, text = notices[result]
    notify(request, text)
    return redirect(reverse("surveys:stay", args=[stay.pk]))


@permission_required("surveys.view_guest_voice", raise_exception=True)
@require_POST
def stay_survey_thanked(request: HttpRequest, pk: int) -> HttpResponse:
    """A manager names the colleague the guest thanked."""
    stay = selectors.survey_stay_get_for_user(user=request.user, stay_id=pk)
    response = getattr(stay, "survey_response", None)
    form = ThankedForm(request.POST)
    if response is not None and form.is_valid():
        with refusal_on(form):
            services.survey_praise_assign(
                response=response, colleague=form.cleaned_data["colleague"], by=request.user
            )
            messages.success(request, _("Saved: the thanks reach that colleague's team."))
            return redirect(reverse("surveys:stay", args=[stay.pk]))
    elif response is None:
        form.add_error(None, _("The guest has not answered the survey for this stay."))
    context = _context(request, stay, thanked_form=form)
    return render(request, TEMPLATE, context, status=refusal_status(form))
