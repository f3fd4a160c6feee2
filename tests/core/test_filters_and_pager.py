"""The one filter layer (core.filters.ListFilter), the one pager, and Vary on two-answer URLs."""

from __future__ import annotations

import datetime
import re

import pytest
from django import forms
from django.test import RequestFactory
from django.urls import reverse

from core.filters import ListFilter
from notifications.models import Notification
from tests.factories import make_guest, make_ticket


class Sample(ListFilter):
    colour = forms.ChoiceField(required=False, choices=[("", "Any"), ("red", "Red")])
    date_from = forms.DateField(required=False)
    date_to = forms.DateField(required=False)


def sample(query: str) -> Sample:
    return Sample.from_request(RequestFactory().get("/list/" + query))


def test_with_no_query_string_the_filter_is_unbound_and_narrows_nothing():
    filters = sample("?page=3")
    assert filters.is_bound and not filters.active  # the page number is not a filter
    assert sample("").values == {"colour": None, "date_from": None, "date_to": None}
    assert sample("").status == 200 and not sample("").active


def test_a_mistyped_filter_is_explained_and_the_others_still_apply():
    filters = sample("?colour=purple&date_from=2026-03-01")
    assert filters.status == 422 and filters.active
    assert "colour" in filters.errors
    assert filters.values == {"date_from": datetime.date(2026, 3, 1), "date_to": None}


def test_an_end_date_before_the_start_is_refused_on_the_end_date():
    filters = sample("?date_from=2026-03-02&date_to=2026-03-01")
    assert filters.status == 422
    assert filters.errors["date_to"] == ["The end date is before the start date."]
    assert filters.values["date_from"] == datetime.date(2026, 3, 2)


def test_widgets_carry_bootstrap_classes():
    filters = Sample()
    assert filters.fields["colour"].widget.attrs["class"] == "form-select"
    assert filters.fields["date_from"].widget.attrs["class"] == "form-control"


@pytest.mark.django_db
def test_a_bad_queue_filter_keeps_the_good_ones(client, officer, front_desk):
    mild = make_ticket(by=front_desk, severity=1)
    severe = make_ticket(by=front_desk, severity=3)
    client.force_login(officer)
    page = client.get(reverse("complaints:queue"), {"queue": "all", "severity": 3, "kind": "x"})
    html = page.content.decode()
    assert page.status_code == 422
    assert "Select a valid choice" in html
    assert f'data-ticket="{severe.number}"' in html  # the severity filter still applies
    assert f'data-ticket="{mild.number}"' not in html


@pytest.mark.django_db
def test_the_notifications_page_filters_through_the_form_and_explains_a_bad_status(client, manager):
    Notification.objects.create(
        kind=Notification.Kind.BIRTHDAY,
        channel="email",
        to="failed@guest.test",
        key="t-failed",
        status=Notification.Status.FAILED,
        occasion_date=datetime.date(2026, 5, 20),
    )
    Notification.objects.create(
        kind=Notification.Kind.BIRTHDAY,
        channel="email",
        to="sent@guest.test",
        key="t-sent",
        status=Notification.Status.SENT,
        occasion_date=datetime.date(2026, 5, 20),
    )
    client.force_login(manager)
    url = reverse("notifications")
    html = client.get(url, {"status": "failed"}).content.decode()
    assert "failed@guest.test" in html and "sent@guest.test" not in html
    bad = client.get(url, {"status": "lost", "q": "sent@"})
    assert bad.status_code == 422
    text = bad.content.decode()
    assert "Select a valid choice" in text
    assert "sent@guest.test" in text and "failed@guest.test" not in text  # q still applies
    assert 'value="sent@"' in text  # what was typed stays in the box


@pytest.mark.django_db
def test_an_unknown_tier_is_explained_on_the_member_list(client, front_desk):
    client.force_login(front_desk)
    page = client.get(reverse("loyalty:members"), {"tier": "platinum-plus"})
    assert page.status_code == 422
    assert "Select a valid choice" in page.content.decode()


@pytest.mark.django_db
def test_pager_links_keep_every_filter(client, officer):
    for n in range(51):
        make_guest(family=f"Page{n:02d}", vip_level=1)
    make_guest(family="NotVip")
    client.force_login(officer)
    html = client.get(reverse("guests:list"), {"vip": 1, "stage": ""}).content.decode()
    links = re.findall(r'class="page-link" href="([^"]+)"', html)
    assert links, "a second page is offered"
    assert all("vip=1" in link and "page=2" in link for link in links)
    second = client.get(reverse("guests:list") + links[0].replace("&amp;", "&"))
    assert "Page50" in second.content.decode() or "Page00" in second.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["guests:search", "complaints:timeline"])
def test_urls_that_answer_htmx_with_a_fragment_vary_on_hx_request(
    client, officer, front_desk, name
):
    ticket = make_ticket(by=front_desk)
    client.force_login(officer)
    url = reverse(name, args=[ticket.pk]) if "timeline" in name else reverse(name)
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get(url, {"q": "Chen"}, headers=headers)
        assert "HX-Request" in response.get("Vary", ""), (headers, response.status_code)
