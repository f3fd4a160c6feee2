"""The survey page a guest opens from the link: once per stay, polite refusals, in their
language, keeping what was typed."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import signing
from django.test import Client

from surveys.links import SURVEY_LINK_SALT, survey_token_make
from surveys.models import SurveyResponse
from tests.factories import make_guest, make_stay

pytestmark = pytest.mark.django_db


@pytest.fixture
def stay():
    guest = make_guest(family="Chen", given="Wei", salutation="Mr. Chen", email="wei@guest.test")
    return make_stay(guest, arrival=date(2026, 5, 1), nights=3, room_number="1208")


@pytest.fixture
def url(stay):
    return f"/surveys/answer/{survey_token_make(stay=stay)}/"


GOOD = {"overall": "4", "recommend": "9", "room": "5", "food": "", "improve": "", "praise": ""}


def test_the_page_opens_without_login_and_shows_only_salutation_and_dates(client: Client, url):
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dear Mr. Chen," in html and "1 May 2026" in html and "4 May 2026" in html
    for private in ("wei@guest.test", "1208", "Wei Chen"):
        assert private not in html
    assert 'name="overall"' in html and 'name="recommend"' in html


def test_every_control_has_a_label_or_legend(client: Client, url):
    html = client.get(url).content.decode()
    assert html.count("<legend>") == 7  # overall, recommend, five areas
    assert '<label for="id_improve">' in html and '<label for="id_praise">' in html
    assert html.count('<input type="radio"') == html.count('<label for="id_') - 2


def test_the_page_loads_no_third_party_asset(client: Client, url):
    html = client.get(url).content.decode()
    assert "https://" not in html.replace("https://schema", "") and "//cdn" not in html
    assert "bootstrap" not in html  # its own small stylesheet


def test_a_chinese_speaking_guest_reads_the_page_in_chinese_with_a_switch(client: Client, stay):
    stay.guest.preferred_language = "zh-hans"
    stay.guest.save(update_fields=["preferred_language"])
    url = f"/surveys/answer/{survey_token_make(stay=stay)}/"
    html = client.get(url).content.decode()
    assert 'lang="zh-hans"' in html and "English" in html and "简体中文" in html
    assert "您对这次入住的总体满意度如何？" in html
    english = client.get(url + "?lang=en").content.decode()
    assert "Overall, how satisfied were you with your stay?" in english


def test_answers_are_recorded_once_and_a_second_submission_shows_the_first(client: Client, url):
    first = client.post(url, {**GOOD, "improve": "More pillows, please."})
    assert first.status_code == 200
    assert "Thank you! Your answers have reached us." in first.content.decode()
    response = SurveyResponse.objects.get()
    assert (response.overall, response.recommend, response.room, response.food) == (4, 9, 5, None)
    assert response.channel == "link" and response.recorded_by is None
    second = client.post(url, {**GOOD, "overall": "1", "improve": "Changed my mind"})
    html = second.content.decode()
    assert second.status_code == 409
    assert "You already answered this survey" in html and "More pillows, please." in html
    assert "Changed my mind" not in html
    assert SurveyResponse.objects.count() == 1 and SurveyResponse.objects.get().overall == 4
    again = client.get(url)
    assert again.status_code == 200 and "You already answered this survey" in again.content.decode()


def test_a_form_with_a_mistake_keeps_what_was_typed(client: Client, url):
    response = client.post(
        url, {"recommend": "3", "room": "2", "improve": "The lift was broken for two days."}
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Please choose a score." in html
    assert "The lift was broken for two days." in html
    assert 'value="3" id="id_recommend_3" checked' in html
    assert 'value="2" id="id_room_2" checked' in html
    assert not SurveyResponse.objects.exists()


def test_an_out_of_range_score_is_refused_politely(client: Client, url):
    response = client.post(url, {**GOOD, "overall": "9", "recommend": "-1"})
    assert response.status_code == 422
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize(
    "make_token, words",
    [
        (lambda stay: survey_token_make(stay=stay)[:-3] + "xyz", "not valid"),
        (lambda stay: "nonsense", "not valid"),
        (lambda stay: signing.dumps({"s": 999999999}, salt=SURVEY_LINK_SALT), "not valid"),
        (lambda stay: signing.dumps({"x": 1}, salt=SURVEY_LINK_SALT), "not valid"),
    ],
)
def test_a_tampered_or_unknown_link_gets_a_polite_page(client: Client, stay, make_token, words):
    for method in (client.get, client.post):
        response = method(f"/surveys/answer/{make_token(stay)}/")
        assert response.status_code == 410
        html = response.content.decode()
        assert words in html and "Traceback" not in html
        assert 'name="overall"' not in html


def expired_token(stay, monkeypatch, *, days: int) -> str:
    """A token signed `days` ago."""
    import time

    then = int(time.time()) - days * 86400
    with monkeypatch.context() as patch:
        patch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(then))
        return survey_token_make(stay=stay)


def test_an_expired_link_gets_a_polite_page_in_the_guests_language(
    client: Client, stay, monkeypatch
):
    stay.guest.preferred_language = "zh-hans"
    stay.guest.save(update_fields=["preferred_language"])
    response = client.get(f"/surveys/answer/{expired_token(stay, monkeypatch, days=31)}/")
    assert response.status_code == 410
    html = response.content.decode()
    assert "问卷链接已过期" in html and 'lang="zh-hans"' in html
    assert 'name="overall"' not in html


def test_a_link_29_days_old_still_opens(client: Client, stay, monkeypatch):
    response = client.get(f"/surveys/answer/{expired_token(stay, monkeypatch, days=29)}/")
    assert response.status_code == 200 and 'name="overall"' in response.content.decode()


def test_the_lifetime_follows_the_setting(client: Client, stay, monkeypatch, settings):
    settings.SURVEY_LINK_DAYS = 60
    response = client.get(f"/surveys/answer/{expired_token(stay, monkeypatch, days=31)}/")
    assert response.status_code == 200


def test_an_erased_guests_link_shows_nothing_of_them(client: Client, stay, url):
    from django.utils import timezone

    type(stay.guest).objects.filter(pk=stay.guest_id).update(erased_at=timezone.now())
    response = client.get(url)
    assert response.status_code == 410 and "Mr. Chen" not in response.content.decode()
