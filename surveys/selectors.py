"""Reading survey answers: the guest card's panel, the Surveys list, the Guest voice figures."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from guests.models import Stay
from surveys.models import SurveyResponse
from surveys.voice import GuestVoice, VoiceFigures, guest_voice

__all__ = ["GuestVoice", "VoiceFigures", "guest_voice"]  # the one source of the figures

CARD_LIMIT = 5


def survey_may_view(user) -> bool:
    return user.has_perm("surveys.view_surveyresponse")


def survey_card_panel(*, guest, user) -> dict | None:
    """The guest card's survey panel: the stays that ended lately, each with its answers (or
    whether a link went out), one query whatever the guest's history; None for roles that do
    not read surveys."""
    if not survey_may_view(user):
        return None
    stays = list(
        Stay.objects.filter(guest=guest, departure__lte=timezone.localdate())
        .select_related("survey_response__ticket", "survey_link")
        .order_by("-departure", "-pk")[:CARD_LIMIT]
    )
    rows = [(stay, getattr(stay, "survey_response", None)) for stay in stays]
    return {
        "survey_rows": rows,
        "guest": guest,
        "can_open_all": user.has_perm("surveys.view_all_responses"),
    }


def survey_visible_q(user) -> Q:
    """Which responses a user may read: every one, or (department heads) their department's
    and the praise for their department."""
    if user.has_perm("surveys.view_all_responses"):
        return Q()
    if not user.department_id:
        return Q(pk__in=[])
    return Q(department_id=user.department_id) | Q(praised_department_id=user.department_id)


def survey_responses_for_user(*, user) -> QuerySet[SurveyResponse]:
    if not survey_may_view(user):
        return SurveyResponse.objects.none()
    return SurveyResponse.objects.filter(survey_visible_q(user))


def survey_stay_get_for_user(*, user, stay_id: int) -> Stay:
    """The stay, its link and its response, for the stay's survey page; 404 for what the user
    may not see (a department head, a response of another department)."""
    stay = (
        Stay.objects.select_related("guest", "survey_link", "survey_response__ticket")
        .filter(pk=stay_id, guest__erased_at__isnull=True)
        .first()
    )
    if stay is None or not survey_may_view(user):
        raise Http404
    response = getattr(stay, "survey_response", None)
    if (
        response is not None
        and not survey_responses_for_user(user=user).filter(pk=response.pk).exists()
    ):
        raise Http404
    if response is None and not user.has_perm("surveys.view_all_responses"):
        raise Http404
    return stay


BAND_RANGES = {"low": (1, 2), "neutral": (3, 3), "high": (4, 5)}


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def survey_list(
    *,
    user,
    date_from=None,
    date_to=None,
    band: str = "",
    area: str = "",
    has_comment: bool = False,
    department=None,
) -> QuerySet[SurveyResponse]:
    """The responses the user may read, filtered, newest first, with each row's related rows
    joined in (a constant number of queries per page)."""
    responses = survey_responses_for_user(user=user)
    if date_from:
        responses = responses.filter(submitted_at__gte=_day_start(date_from))
    if date_to:
        responses = responses.filter(submitted_at__lt=_day_start(date_to + timedelta(days=1)))
    field = area or "overall"
    if area:
        responses = responses.filter(**{f"{area}__isnull": False})
    if band in BAND_RANGES:
        low, high = BAND_RANGES[band]
        responses = responses.filter(**{f"{field}__gte": low, f"{field}__lte": high})
    if has_comment:
        responses = responses.filter(has_comment=True)
    if department is not None:
        responses = responses.filter(department=department)
    return responses.select_related(
        "guest", "stay", "ticket", "department", "praised", "recorded_by"
    ).order_by("-submitted_at", "-id")


def survey_praise(*, user, date_from=None, date_to=None) -> QuerySet[SurveyResponse]:
    """Guests' thanks: every one for managers; for a department head, those naming a colleague
    of their department (DOMAIN: praise should reach the team as surely as complaints do)."""
    praise = SurveyResponse.objects.exclude(praise="")
    if not user.has_perm("surveys.view_guest_voice"):
        if not user.department_id or not survey_may_view(user):
            return SurveyResponse.objects.none()
        praise = praise.filter(praised_department_id=user.department_id)
    if date_from:
        praise = praise.filter(submitted_at__gte=_day_start(date_from))
    if date_to:
        praise = praise.filter(submitted_at__lt=_day_start(date_to + timedelta(days=1)))
    return praise.select_related("guest", "stay", "praised", "praised_department").order_by(
        "-submitted_at", "-id"
    )


def guest_voice_block(*, user) -> dict | None:
    """The managers' dashboard block (core.seams.dashboard_blocks): the last 30 days' Guest
    voice totals from the one selector; two queries. None for other roles."""
    if not user.has_perm("surveys.view_guest_voice"):
        return None
    end = timezone.localdate()
    voice = guest_voice(start=end - timedelta(days=29), end=end, period="month")
    return {"voice": voice, "figures": voice.total}


def survey_guest_facts(guest_ids) -> dict[int, dict]:
    """core.seams.guest_facts: each guest's latest overall score (the win-back's reasons), in
    one query for the batch."""
    rows = (
        SurveyResponse.objects.filter(guest_id__in=list(guest_ids))
        .order_by("guest_id", "-submitted_at", "-id")
        .distinct("guest_id")
        .values_list("guest_id", "overall")
    )
    return {guest_id: {"last_survey_score": overall} for guest_id, overall in rows}
