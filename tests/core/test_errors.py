"""One error root: every app's refusals are GrcErrors, shown one way with their status."""

from __future__ import annotations

import pytest
from django import forms

from complaints.services import ComplaintError, ConflictError, FeedbackLinkError
from core.errors import GrcError, refusal_on, refusal_status
from core.seams import SeamRefusal
from guests.errors import CareTaskError, GuestError
from loyalty.services import InsufficientPoints, LoyaltyError
from notifications.errors import DeliveryError, MessageRenderError


@pytest.mark.parametrize(
    "error",
    [
        ComplaintError,
        ConflictError,
        FeedbackLinkError,
        GuestError,
        CareTaskError,
        LoyaltyError,
        InsufficientPoints,
        DeliveryError,
        MessageRenderError,
        SeamRefusal,
    ],
)
def test_every_apps_errors_share_the_one_root(error):
    assert issubclass(error, GrcError)


def test_a_refusal_carries_its_status_and_a_default_message():
    assert GrcError().status == 422 and str(GrcError()) == "This cannot be done."
    assert FeedbackLinkError("gone").status == 410
    assert GrcError("no", status=403).status == 403


class NoteForm(forms.Form):
    note = forms.CharField()


def test_a_refusal_inside_refusal_on_becomes_a_form_error_and_keeps_the_input():
    form = NoteForm({"note": "what was typed"})
    assert form.is_valid()
    with refusal_on(form):
        raise CareTaskError("Already done by Li.", field="note")
    assert form.errors == {"note": ["Already done by Li."]}
    assert form["note"].value() == "what was typed"
    assert refusal_status(form) == 409


def test_refusal_on_lets_through_what_the_view_answers_itself():
    form = NoteForm({"note": "x"})
    with pytest.raises(ConflictError), refusal_on(form, except_for=ConflictError):
        raise ConflictError("newer version", ticket=None)
    assert refusal_status(form) == 422  # untouched: the default


@pytest.mark.urls("tests.core.refusal_urls")
def test_a_refusal_escaping_a_view_is_shown_with_its_status(client, officer):
    client.force_login(officer)
    response = client.get("/refuse/", HTTP_REFERER="http://testserver/guests/")
    assert response.status_code == 409
    html = response.content.decode()
    assert "This was not done" in html and 'href="http://testserver/guests/"' in html


@pytest.mark.urls("tests.core.refusal_urls")
def test_a_refusal_escaping_a_view_is_shown_in_the_users_language(client, officer):
    client.force_login(officer)
    response = client.get("/refuse/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 409
    assert 'role="alert">登录</p>' in response.content.decode()


@pytest.mark.urls("tests.core.refusal_urls")
def test_an_htmx_request_gets_the_refusal_as_an_alert_in_the_messages_area(client, officer):
    client.force_login(officer)
    response = client.get("/refuse/", HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#messages"
    assert 'role="alert"' in response.content.decode()
    assert "<html" not in response.content.decode()
