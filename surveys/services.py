"""Recording a guest's answers (from their link, or by staff from paper or a call) and sending
the link again from the stay."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department
from guests.greetings import PHONES, guest_route
from guests.messages import GuestMessage, guest_messages_record
from guests.models import Guest, Stay
from notifications.models import Notification
from notifications.services import NewNotification
from surveys.errors import SurveyError
from surveys.links import survey_link_issue
from surveys.models import AREAS, Area, SurveyLink, SurveyResponse

# Which department answers for each area (the Surveys list's department filter, and the
# department of the recovery ticket) and which complaint category a low score becomes.
AREA_DEPARTMENTS = {
    Area.ROOM: "housekeeping",
    Area.CLEANLINESS: "housekeeping",
    Area.SERVICE: "front-office",
    Area.FOOD: "food-beverage",
    Area.VALUE: "front-office",
}
AREA_CATEGORIES = {
    Area.ROOM: "facilities",
    Area.CLEANLINESS: "cleanliness",
    Area.SERVICE: "staff-attitude",
    Area.FOOD: "food-quality",
    Area.VALUE: "billing",
}
LOW_SCORE = 2  # an overall or area score at or below this is a complaint the guest did not make
DETRACTOR = 6  # a recommendation at or below this, with a comment, is one too


@dataclass(frozen=True)
class Answers:
    """What a guest answered; areas they skipped are None."""

    overall: int
    recommend: int
    room: int | None = None
    cleanliness: int | None = None
    service: int | None = None
    food: int | None = None
    value: int | None = None
    improve: str = ""
    praise: str = ""

    @classmethod
    def from_cleaned(cls, data: dict) -> Answers:
        fields = {name: data.get(name) for name in ("overall", "recommend", *AREAS)}
        return cls(
            **fields,  # type: ignore[arg-type]
            improve=(data.get("improve") or "").strip(),
            praise=(data.get("praise") or "").strip(),
        )


def recovery_needed(answers: Answers | SurveyResponse) -> bool:
    """The rule that turns answers into a recovery ticket (issue 17, point 4)."""
    if answers.overall <= LOW_SCORE:
        return True
    if answers.recommend <= DETRACTOR and answers.improve.strip():
        return True
    return any((getattr(answers, area) or 99) <= LOW_SCORE for area in AREAS)


def lowest_area(answers: Answers | SurveyResponse) -> str | None:
    """The area the guest rated lowest (the first of equals), or None if none was rated."""
    rated = [(getattr(answers, area), index, area) for index, area in enumerate(AREAS)]
    rated = [item for item in rated if item[0] is not None]
    return min(rated)[2] if rated else None


def praised_colleague(text: str):
    """The one active member of staff the guest's thanks name, or None (none or several)."""
    text = text.strip().lower()
    if not text:
        return None
    found = []
    staff = get_user_model().objects.filter(is_active=True).exclude(first_name="", last_name="")
    for user in staff.only("pk", "first_name", "last_name", "department_id"):
        first, last = user.first_name.strip().lower(), user.last_name.strip().lower()
        names = {f"{first} {last}".strip(), f"{last} {first}".strip(), f"{last}{first}"}
        if len(first) >= 3:
            names.add(first)  # "Lily at the front desk"
        if any(len(n) >= 2 and re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text) for n in names):
            found.append(user)
    return found[0] if len(found) == 1 else None


def _department_of(area: str | None) -> Department | None:
    if area is None:
        return None
    return Department.objects.filter(code=AREA_DEPARTMENTS[Area(area)]).first()


def survey_may_record(user) -> bool:
    return user is not None and user.has_perm("surveys.add_surveyresponse")


@transaction.atomic
def survey_record(
    *,
    stay: Stay,
    answers: Answers,
    channel: str = SurveyResponse.Channel.LINK,
    by=None,
    language: str = "",
) -> tuple[SurveyResponse, bool]:
    """Record the answers for a stay, once: (the response, whether it is new).

    A stay already answered keeps its first response (returned with False), whoever asks. A
    low score queues the recovery job after commit (surveys.recovery).
    """
    if channel != SurveyResponse.Channel.LINK and not survey_may_record(by):
        raise SurveyError(_("Your role cannot record survey answers."), status=403)
    if not 1 <= answers.overall <= 5 or not 0 <= answers.recommend <= 10:
        raise SurveyError(_("Overall is scored 1–5 and recommendation 0–10."))
    existing = SurveyResponse.objects.filter(stay=stay).first()
    if existing is not None:
        return existing, False
    praised = praised_colleague(answers.praise)
    now = timezone.now()
    response = SurveyResponse(
        stay=stay,
        guest_id=stay.guest_id,
        channel=channel,
        language=language or stay.guest.preferred_language or settings.LANGUAGE_CODE,
        overall=answers.overall,
        recommend=answers.recommend,
        **{area: getattr(answers, area) for area in AREAS},
        improve=answers.improve,
        praise=answers.praise,
        has_comment=bool(answers.improve or answers.praise),
        praised=praised,
        praised_department_id=praised.department_id if praised else None,
        department=_department_of(lowest_area(answers)),
        recorded_by=by if channel != SurveyResponse.Channel.LINK else None,
        submitted_at=now,
        needs_recovery=recovery_needed(answers),
    )
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        # The same stay answered at the same moment (a double tap): keep the first.
        return SurveyResponse.objects.get(stay=stay), False
    SurveyLink.objects.filter(stay=stay, responded_at=None).update(responded_at=now)
    if response.needs_recovery:
        from surveys.tasks import survey_recovery_task

        transaction.on_commit(partial(survey_recovery_task.delay, response.pk))
    return response, True


def survey_request_key(*, stay: Stay) -> str:
    return f"survey_request:stay:{stay.pk}"


@transaction.atomic
def survey_link_resend(*, stay: Stay, by) -> str:
    """Send the guest the survey link for a stay again, through the outbox.

    Returns "sent", or why not: "answered", "no_consent" (erased or no consent), "no_address".
    """
    if not by.has_perm("surveys.add_surveyresponse"):
        raise SurveyError(_("Your role cannot send survey links."), status=403)
    if SurveyResponse.objects.filter(stay=stay).exists():
        return "answered"
    if not Guest.objects.contactable().filter(pk=stay.guest_id).exists():
        return "no_consent"
    guest = Guest.objects.prefetch_related(PHONES).get(pk=stay.guest_id)
    route = guest_route(guest)
    if route is None:
        return "no_address"
    # the stay's row is locked: two clicks count the same earlier messages, and the unique key
    # lets only one of them through
    Stay.objects.select_for_update().filter(pk=stay.pk).first()
    base = survey_request_key(stay=stay)
    earlier = Notification.objects.filter(key__startswith=base).count()
    channel, to = route
    url = survey_link_issue(stay=stay, resend=True)
    guest_messages_record(
        items=[
            GuestMessage(
                guest_id=guest.pk,
                message=NewNotification(
                    key=f"{base}:{earlier + 1}",
                    kind=Notification.Kind.SURVEY_REQUEST,
                    channel=channel,
                    to=to,
                    occasion_date=timezone.localdate(),
                    language=guest.preferred_language,
                    context={
                        "name": guest.address_as,
                        "hotel": settings.HOTEL_NAME,
                        "arrival": stay.arrival.isoformat(),
                        "departure": stay.departure.isoformat(),
                        "survey_url": url,
                    },
                ),
            )
        ]
    )
    return "sent"


def survey_praise_assign(*, response: SurveyResponse, colleague, by) -> SurveyResponse:
    """A manager names the colleague the guest thanked when the name matched nobody (or the
    wrong person), so the thanks reach that colleague's department head."""
    if not by.has_perm("surveys.view_guest_voice"):
        raise SurveyError(_("Your role cannot change who was thanked."), status=403)
    if not response.praise:
        raise SurveyError(_("The guest thanked nobody in this answer."))
    response.praised = colleague
    response.praised_department_id = colleague.department_id if colleague else None
    response.save(update_fields=["praised", "praised_department"])
    return response
