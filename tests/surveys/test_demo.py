"""seed_demo's surveys: a realistic spread (most happy, many silent, a few angry with tickets)."""

from __future__ import annotations

import random

import pytest

from accounts.demo import demo_staff_seed
from complaints.models import Ticket
from guests import demo as guests_demo
from surveys import demo
from surveys.models import SurveyLink, SurveyResponse


class Out:
    def __init__(self):
        self.lines = []

    def write(self, text):
        self.lines.append(text)


@pytest.mark.django_db
def test_the_demo_answers_are_mostly_happy_some_silent_a_few_angry():
    demo_staff_seed()
    guests_demo.seed({"guests": 400, "rng": random.Random(3)}, Out())
    out = Out()
    demo.seed({"rng": random.Random(3)}, out)
    links, answers = SurveyLink.objects.count(), SurveyResponse.objects.count()
    assert links > 50 and 0.25 * links < answers < 0.7 * links  # many stay silent
    happy = SurveyResponse.objects.filter(overall__gte=4).count()
    angry = SurveyResponse.objects.filter(overall__lte=2)
    assert happy > answers / 2 and 0 < angry.count() < answers / 5
    assert all(r.ticket_id for r in angry)
    assert Ticket.objects.filter(channel=Ticket.Channel.SURVEY).exists()
    assert SurveyResponse.objects.exclude(praise="").exists()
    assert "answered" in out.lines[0]
    # running it again adds nothing
    demo.seed({"rng": random.Random(4)}, Out())
    assert (SurveyLink.objects.count(), SurveyResponse.objects.count()) == (links, answers)
