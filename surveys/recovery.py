"""Service recovery from a survey: a low score becomes a complaint ticket (DOMAIN idea 3).

Run by the recovery job (surveys.tasks.survey_recovery_task) after the answers are committed.
Exactly once per response, however often the job runs: the response is claimed with a
conditional UPDATE before anything is done, and the ticket's `log_key` is derived from the
response, so even a second ticket could not be written (the key is unique).
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import Department
from complaints.models import OPEN_STATUSES, Category, Severity, Ticket, TimelineEvent
from complaints.selectors import duty_managers
from complaints.services import ticket_log, timeline_add
from core.i18n import staff_language
from notifications.models import Notification
from notifications.services import NewNotification, notifications_create
from surveys.models import SurveyResponse
from surveys.services import AREA_CATEGORIES, AREA_DEPARTMENTS, LOW_SCORE, lowest_area

LOG_KEY_NAMESPACE = uuid.UUID("5b0b7a3e-6f1c-4d0e-9a52-6c1f3b1e5d17")
SYSTEM_USERNAME = "grc-surveys"


def survey_system_user():
    """Who "logged" a ticket the guest's own survey opened: a staff record nobody signs in as."""
    users = get_user_model()
    user, created = users.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "Guest survey", "last_name": "", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def recovery_log_key(response_id: int) -> uuid.UUID:
    return uuid.uuid5(LOG_KEY_NAMESPACE, f"survey-response:{response_id}")


def open_ticket_of_stay(response: SurveyResponse) -> Ticket | None:
    """The guest's open ticket from the same stay: opened from this stay's survey, or logged
    between arrival and the day after departure."""
    stay = response.stay
    zone = timezone.get_current_timezone()
    start = datetime.combine(stay.arrival, time.min, tzinfo=zone)
    end = datetime.combine(stay.departure + timedelta(days=1), time.max, tzinfo=zone)
    return (
        Ticket.objects.filter(guest_id=response.guest_id, status__in=OPEN_STATUSES)
        .filter(Q(created_at__range=(start, end)) | Q(survey_responses__stay_id=stay.pk))
        .order_by("created_at")
        .first()
    )


def _scores_text(response: SurveyResponse) -> str:
    parts = [
        gettext("Overall %(overall)s/5, would recommend %(recommend)s/10.")
        % {"overall": response.overall, "recommend": response.recommend}
    ]
    for _area, label, score in response.area_scores:
        if score is not None:
            parts.append(gettext("%(area)s: %(score)s/5.") % {"area": label, "score": score})
    return " ".join(parts)


def _description(response: SurveyResponse) -> str:
    """The guest's comment, as they wrote it, then their scores (in the hotel's language)."""
    with translation.override(settings.LANGUAGE_CODE):
        scores = _scores_text(response)
        lead = gettext("From the guest's satisfaction survey:")
    comment = response.improve.strip()
    return f"{comment}\n\n{lead} {scores}" if comment else f"{lead} {scores}"


def _ticket_open(response: SurveyResponse) -> Ticket:
    area = lowest_area(response)
    low_area = area if area and (getattr(response, area) or 99) <= LOW_SCORE else None
    category_code = AREA_CATEGORIES[low_area] if low_area else "other"  # type: ignore[index]
    department_code = AREA_DEPARTMENTS[low_area] if low_area else "front-office"  # type: ignore[index]
    category = (
        Category.objects.filter(code=category_code).first()
        or Category.objects.filter(code="other").first()
        or Category.objects.order_by("sort_order").first()
    )
    department = (
        Department.objects.filter(code=department_code).first()
        or Department.objects.order_by("sort_order").first()
    )
    return ticket_log(
        by=response.recorded_by or survey_system_user(),
        department=department,  # type: ignore[arg-type]
        category=category,  # type: ignore[arg-type]
        description=_description(response),
        severity=Severity.HIGH if response.overall == 1 else Severity.MEDIUM,
        channel=Ticket.Channel.SURVEY,
        guest=response.guest,
        room_number=response.stay.room_number,
        log_key=recovery_log_key(response.pk),
    )


def _alert_duty_managers(response: SurveyResponse, ticket: Ticket, *, opened: bool) -> int:
    items = []
    for user in duty_managers():
        items.append(
            NewNotification(
                key=f"survey_recovery:response:{response.pk}:user:{user.pk}",
                kind=Notification.Kind.SURVEY_RECOVERY,
                channel=Notification.Channel.EMAIL,
                to=user.email,
                occasion_date=timezone.localdate(response.submitted_at),
                language=staff_language(user),
                recipient_user_id=user.pk,
                context={
                    "recipient": user.get_short_name() or user.username,
                    "number": ticket.number,
                    "who": response.guest.address_as,
                    "overall": response.overall,
                    "recommend": response.recommend,
                    "comment": response.improve or "—",
                    "opened": opened,
                    "site_url": settings.SITE_URL,
                    "ticket_url": ticket.get_absolute_url(),
                },
            )
        )
    return len(notifications_create(items=items))


def survey_recovery(*, response_id: int) -> str:
    """Open (or attach to) the recovery ticket for a low-scored response and alert the duty
    managers. Returns "opened", "attached", "not_needed" or "already" (done before)."""
    with transaction.atomic():
        claimed = SurveyResponse.objects.filter(
            pk=response_id, needs_recovery=True, recovery_done_at=None
        ).update(recovery_done_at=timezone.now())
        if not claimed:
            exists = SurveyResponse.objects.filter(pk=response_id, needs_recovery=True).exists()
            return "already" if exists else "not_needed"
        response = SurveyResponse.objects.select_related("stay", "guest", "recorded_by").get(
            pk=response_id
        )
        ticket = open_ticket_of_stay(response)
        opened = ticket is None
        if ticket is None:
            ticket = _ticket_open(response)
        else:
            timeline_add(
                ticket=ticket,
                by=None,
                kind=TimelineEvent.Kind.NOTE,
                text=_description(response),
                data={"survey_response": response.pk},
            )
        SurveyResponse.objects.filter(pk=response.pk).update(ticket=ticket, ticket_opened=opened)
        _alert_duty_managers(response, ticket, opened=opened)
    return "opened" if opened else "attached"
