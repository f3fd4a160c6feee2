"""Hostile text in every free-text field comes out escaped on every page, fragment, e-mail and
export that shows it; the hotel's message templates cannot reach settings, files or code."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, TemplateSyntaxError
from django.test import Client

from complaints import services as complaints
from complaints.models import Ticket
from guests.models import (
    CareTask,
    Company,
    FamilyMember,
    Guest,
    Preference,
    PreferenceCategory,
    SpecialDate,
)
from guests.services import guest_access_record
from loyalty.models import Redemption, Reward
from notifications.models import MessageTemplate
from notifications.render import message_render
from notifications.sandbox import sandbox_template

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script><img src=x onerror=1>"
RAW = ("<script>alert(1)", "<img src=x onerror")
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def payload(field: str) -> str:
    """A payload that also names its field, so a missing one is easy to spot."""
    return f"{field}{XSS}"


@pytest.fixture
def hostile(world):
    """Every free-text field of the data set filled with a payload."""
    guest = Guest.objects.get(pk=world.ids["guest"])
    Guest.objects.filter(pk=guest.pk).update(
        family_name=payload("family"),
        given_name=payload("given"),
        salutation=payload("salutation"),
        notes=payload("notes"),
    )
    Company.objects.filter(pk=world.ids["company"]).update(
        name=payload("company"), notes=payload("company-notes")
    )
    category = PreferenceCategory.objects.create(name=payload("pc"))
    Preference.objects.create(guest=guest, category=category, value=payload("preference"))
    FamilyMember.objects.create(guest=guest, relation="child", name=payload("family-member"))
    SpecialDate.objects.create(
        guest=guest,
        kind="other",
        date=datetime.date(2020, 6, 1),
        month=6,
        day=1,
        note=payload("special"),
    )
    ticket = Ticket.objects.get(pk=world.ids["ticket"])
    Ticket.objects.filter(pk=ticket.pk).update(
        description=payload("description"), guest_name=payload("walk-in")
    )
    complaints.ticket_step_record(
        ticket=ticket, by=world.user("officer"), kind="listened", text=payload("timeline")
    )
    CareTask.objects.filter(pk=world.ids["task"]).update(title=payload("task"))
    Reward.objects.filter(pk=world.ids["reward"]).update(
        name=payload("reward"), description=payload("reward-description")
    )
    Redemption.objects.filter(pk=world.ids["redemption"]).update(note=payload("redemption"))
    guest_access_record(guest=Guest.objects.get(pk=guest.pk), user=world.user("officer"))
    return world


PLACES = [
    ("desk", "/guests/{guest}/"),
    ("officer", "/guests/{guest}/"),
    ("officer", "/guests/{guest}/edit/"),
    ("desk", "/guests/"),
    ("desk", "/guests/search/?q=wei"),
    ("desk", "/guests/{guest}/stays/"),
    ("officer", "/guests/companies/"),
    ("officer", "/guests/companies/{company}/"),
    ("officer", "/complaints/?queue=all"),
    ("officer", "/complaints/{ticket}/"),
    ("officer", "/complaints/{ticket}/edit/"),
    ("desk", "/complaints/new/guests/?guest_query=wei"),
    ("officer", "/follow-ups/"),
    ("account_manager", "/follow-ups/{task}/"),
    ("desk", "/loyalty/"),
    ("desk", "/loyalty/members/{member}/"),
    ("desk", "/loyalty/rewards/"),
    ("desk", "/loyalty/members/{member}/redeem/"),
    ("officer", "/loyalty/redemptions/{redemption}/reverse/"),
    ("manager", "/guests/access-log/"),
    ("admin", "/admin/guests/guest/{guest}/change/"),
    ("admin", "/admin/complaints/ticket/"),
]


@pytest.mark.parametrize("role, template", PLACES)
def test_hostile_text_is_escaped_on_every_page_that_shows_it(as_role, hostile, role, template):
    for htmx in (False, True):
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        response = as_role(role).get(template.format(**hostile.ids), **headers)
        assert response.status_code == 200, (template, response.status_code)
        body = response.content.decode()
        assert not [raw for raw in RAW if raw in body], (template, htmx)
    assert ESCAPED in body, template  # the payload did reach the page, escaped


def test_the_timeline_fragment_escapes_notes(as_role, hostile):
    response = as_role("officer").get(
        f"/complaints/{hostile.ids['ticket']}/timeline/", HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "timeline" + ESCAPED in body
    assert not [raw for raw in RAW if raw in body]


def test_the_csv_export_neutralises_formulas(as_role, world):
    Ticket.objects.filter(pk=world.ids["ticket"]).update(
        description='=HYPERLINK("http://evil.example","x")', room_number="@SUM(1+1)"
    )
    response = as_role("officer").get("/complaints/export.csv")
    text = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(" in text and "'@SUM(1+1)" in text
    assert ",=HYPERLINK(" not in text and '"=HYPERLINK(' not in text


def test_a_hostile_user_name_is_escaped_on_the_security_log(world):
    Client().post("/accounts/login/", {"username": payload("login"), "password": "x"})
    manager = Client()
    manager.force_login(world.user("manager"))
    body = manager.get("/security/").content.decode()
    assert "login" + ESCAPED in body
    assert not [raw for raw in RAW if raw in body]


@pytest.mark.parametrize("kind", ["birthday", "post_stay", "complaint_feedback_request"])
def test_e_mails_escape_guest_text_in_html_and_keep_it_plain_in_text(kind):
    context = {"name": payload("name"), "hotel": "GRC", "feedback_url": "https://x.example/f"}
    rendered = message_render(kind=kind, language="en", context=context)
    assert ESCAPED in rendered.html and not [raw for raw in RAW if raw in rendered.html]
    assert "<script>" not in rendered.subject or kind == "birthday"  # subjects are plain text


def test_the_hotels_html_template_escapes_what_guests_typed():
    MessageTemplate.objects.create(
        kind="birthday",
        language="en",
        subject="Happy birthday {{ name }}",
        body_text="Dear {{ name }}",
        body_html="<p>Dear {{ name }}</p>",
    )
    rendered = message_render(kind="birthday", language="en", context={"name": XSS})
    assert ESCAPED in rendered.html
    assert rendered.text.startswith("Dear <script>")  # plain text stays as typed


@pytest.mark.parametrize(
    "source",
    [
        "{% debug %}",
        "{% load static %}{% static 'x' %}",
        "{% load log %}",
        "{% include 'base.html' %}",
        "{% extends 'base.html' %}",
        "{% url 'home' %}",
        "{{ name|safe }}",
        "{% filter safe %}{{ name }}{% endfilter %}",
        "{% csrf_token %}",
    ],
)
def test_the_message_template_sandbox_refuses_what_could_reach_settings_files_or_code(source):
    with pytest.raises(TemplateSyntaxError):
        sandbox_template(source)


def test_the_sandbox_sees_only_the_messages_details(settings):
    source = "{{ settings.SECRET_KEY }}{{ request }}{{ user }}{{ perms }}[{{ name }}]"
    assert sandbox_template(source).render(Context({"name": "Wei"})) == "[Wei]"
    with pytest.raises(TemplateSyntaxError):
        sandbox_template("{{ name.__class__ }}")


def test_the_admin_refuses_a_template_with_a_tag_outside_the_sandbox(world):
    client = Client()
    client.force_login(world.user("admin"))
    response = client.post(
        "/admin/notifications/messagetemplate/add/",
        {
            "kind": "birthday",
            "language": "en",
            "subject": "Hi",
            "body_text": "{% debug %}",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "This is not a valid template" in response.content.decode()
    assert not MessageTemplate.objects.exists()
