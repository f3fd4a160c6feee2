"""The per-stay survey link: signed, expiring, recorded once per stay, in the thank-you."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import signing
from django.test import override_settings

from guests.followups import post_stay_followups_create, survey_link_for
from notifications.models import Notification
from surveys.errors import SurveyLinkError
from surveys.links import (
    SURVEY_LINK_SALT,
    survey_link_issue,
    survey_token_make,
    survey_token_read,
)
from surveys.models import SurveyLink
from tests.factories import make_guest, make_stay

pytestmark = pytest.mark.django_db


@pytest.fixture
def stay():
    return make_stay(make_guest(), arrival=date(2026, 5, 1), nights=3)


def test_a_token_reads_back_its_stay(stay):
    assert survey_token_read(token=survey_token_make(stay=stay)).stay_id == stay.pk


def test_a_token_expires_after_the_configured_days(stay):
    token = survey_token_make(stay=stay)
    with override_settings(SURVEY_LINK_DAYS=30):
        assert survey_token_read(token=token, max_age=None).stay_id == stay.pk
        with pytest.raises(SurveyLinkError, match="expired"):
            survey_token_read(token=token, max_age=timedelta(seconds=-1))


def test_the_default_lifetime_is_thirty_days(stay, settings):
    assert settings.SURVEY_LINK_DAYS == 30
    from surveys.links import survey_link_max_age

    assert survey_link_max_age() == timedelta(days=30)


def test_a_changed_token_is_refused(stay):
    token = survey_token_make(stay=stay)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    with pytest.raises(SurveyLinkError, match="not valid"):
        survey_token_read(token=tampered)


def test_a_token_for_another_stay_cannot_be_made_by_editing_the_id(stay):
    forged = signing.dumps({"s": stay.pk + 1}, salt="another-salt")
    with pytest.raises(SurveyLinkError):
        survey_token_read(token=forged)
    # the payload is signed with the survey salt and the site's secret: both are needed
    real = signing.dumps({"s": stay.pk}, salt=SURVEY_LINK_SALT)
    assert survey_token_read(token=real).stay_id == stay.pk


def test_tokens_are_not_sequential(stay):
    other = make_stay(stay.guest, arrival=date(2026, 6, 1))
    a, b = survey_token_make(stay=stay), survey_token_make(stay=other)
    assert a.rsplit(":", 1)[-1] != b.rsplit(":", 1)[-1]
    assert len(a.rsplit(":", 1)[-1]) >= 27  # a 160-bit+ signature


def test_issuing_records_one_link_per_stay_and_a_resend_counts_up(stay):
    url = survey_link_issue(stay=stay)
    survey_link_issue(stay=stay)  # the daily job run twice
    link = SurveyLink.objects.get(stay=stay)
    assert link.times_sent == 1 and url.startswith("http")
    survey_link_issue(stay=stay, resend=True)
    link.refresh_from_db()
    assert link.times_sent == 2


@override_settings(SITE_URL="https://grc.hotel.example")
def test_the_post_stay_thank_you_carries_the_survey_link(stay):
    assert survey_link_for(stay).startswith("https://grc.hotel.example/surveys/answer/")
    post_stay_followups_create(day=stay.departure + timedelta(days=1))
    message = Notification.objects.get(key=f"post_stay:stay:{stay.pk}")
    url = message.context["survey_url"]
    assert url.startswith("https://grc.hotel.example/surveys/answer/")
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert survey_token_read(token=token).stay_id == stay.pk
    assert SurveyLink.objects.filter(stay=stay).count() == 1
