"""Demo survey answers: a realistic spread over the stays that have ended — most guests happy,
many silent (a link sent, no answer), a few angry, whose answers open recovery tickets as the
real job does. Idempotent: stays already asked are left alone."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from guests.models import Stay
from surveys.models import SurveyLink, SurveyResponse
from surveys.recovery import survey_recovery, survey_system_user
from surveys.services import Answers, survey_record

IMPROVE = [
    "The air conditioning was noisy at night.",
    "早餐的选择可以再多一些。",
    "Check-in took 25 minutes; the queue was long.",
    "房间的淋浴水压太小。",
    "The Wi-Fi kept dropping in the room.",
    "Room was not cleaned on the second day.",
    "前台服务态度冷淡，让人失望。",
    "Breakfast coffee was cold.",
]
PRAISE = [
    "Lily at the front desk was wonderful.",
    "Mei Chen's housekeeping team kept the room spotless.",
    "感谢 Marco Rossi 的餐厅团队，晚餐非常棒！",
    "Grace Lin sorted out our late check-out kindly.",
    "Everyone was so friendly, thank you.",
]
# (weight, overall, recommend range)
MOODS = [
    (55, (5, 5), (9, 10)),
    (27, (4, 4), (7, 9)),
    (10, (3, 3), (5, 8)),
    (5, (2, 2), (2, 6)),
    (3, (1, 1), (0, 3)),
]


def _answers(rng) -> Answers:
    _weight, overall_range, recommend_range = rng.choices(MOODS, weights=[m[0] for m in MOODS])[0]
    overall = rng.randint(*overall_range)
    recommend = rng.randint(*recommend_range)
    areas = {}
    for area in ("room", "cleanliness", "service", "food", "value"):
        if rng.random() < 0.15:
            continue  # skipped
        areas[area] = max(1, min(5, overall + rng.choice((-1, 0, 0, 0, 1))))
    unhappy = overall <= 2 or recommend <= 6
    improve = rng.choice(IMPROVE) if (unhappy or rng.random() < 0.15) else ""
    praise = rng.choice(PRAISE) if overall >= 4 and rng.random() < 0.2 else ""
    return Answers(overall=overall, recommend=recommend, improve=improve, praise=praise, **areas)


@transaction.atomic
def seed(options: dict, stdout) -> None:
    rng = options["rng"]
    today = timezone.localdate()
    # the staff record survey tickets are logged by, whether or not this run opens one (a rerun
    # finds the stays other seeders added since, and must not add a user then)
    survey_system_user()
    stays = list(
        Stay.objects.of_contactable_guests()
        .filter(departure__lt=today, departure__gte=today - timedelta(days=365))
        .exclude(survey_link__isnull=False)
        .exclude(survey_response__isnull=False)
        .select_related("guest")
        .order_by("departure", "pk")
    )
    if not stays:
        stdout.write(f"Surveys: {SurveyResponse.objects.count()} answers already there.")
        return
    zone = timezone.get_current_timezone()
    links, answered = [], []
    for stay in stays:
        if random.Random(stay.pk).random() < 0.1:
            # the thank-you never went (no address, or a call instead): decided per stay, so
            # running the demo again leaves the same stays without a link
            continue
        sent = datetime.combine(stay.departure + timedelta(days=1), time(10), tzinfo=zone)
        links.append(SurveyLink(stay=stay, guest=stay.guest, sent_at=sent, last_sent_at=sent))
        if rng.random() < 0.45:  # most guests stay silent
            answered.append((stay, sent + timedelta(hours=rng.randint(1, 96))))
    SurveyLink.objects.bulk_create(links, ignore_conflicts=True)
    recovered = 0
    for stay, at in answered:
        response, created = survey_record(stay=stay, answers=_answers(rng))
        if not created:
            continue
        SurveyResponse.objects.filter(pk=response.pk).update(submitted_at=at)
        SurveyLink.objects.filter(stay=stay).update(responded_at=at)
        if response.needs_recovery:
            # as the recovery job would, at once (the demo may run without a worker)
            recovered += survey_recovery(response_id=response.pk) == "opened"
    stdout.write(
        f"Surveys: {len(links)} links sent, {len(answered)} answered, "
        f"{recovered} recovery tickets opened."
    )
