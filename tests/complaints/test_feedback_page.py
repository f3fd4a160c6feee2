import pytest
from django.urls import reverse

from accounts import roles
from complaints import services
from complaints.models import Ticket


@pytest.mark.django_db
def test_the_guest_gives_feedback_through_the_link_without_signing_in(client, resolved_ticket):
    url = reverse(
        "complaints:feedback_public", args=[services.feedback_token_make(ticket=resolved_ticket)]
    )
    page = client.get(url)
    assert page.status_code == 200 and "How did we do?" in page.content.decode()
    response = client.post(url, {"score": 2, "comment": "Still dusty"})
    assert response.status_code == 200
    assert "contact you again" in response.content.decode()
    resolved_ticket.refresh_from_db()
    assert resolved_ticket.status == Ticket.Status.REOPENED
    again = client.post(url, {"score": 5})
    assert again.status_code == 200
    assert resolved_ticket.feedback.get().score == 2


@pytest.mark.django_db
def test_a_tampered_link_is_refused(client, resolved_ticket):
    token = services.feedback_token_make(ticket=resolved_ticket)
    response = client.get(reverse("complaints:feedback_public", args=[token + "x"]))
    assert response.status_code == 410 and "not valid" in response.content.decode()


@pytest.mark.django_db
def test_an_expired_link_is_refused(client, resolved_ticket, monkeypatch):
    from datetime import timedelta

    token = services.feedback_token_make(ticket=resolved_ticket)
    monkeypatch.setattr("complaints.services.feedback.FEEDBACK_LINK_MAX_AGE", timedelta(seconds=-1))
    response = client.get(reverse("complaints:feedback_public", args=[token]))
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert not resolved_ticket.feedback.exists()


@pytest.mark.django_db
def test_a_link_from_an_earlier_resolution_no_longer_counts(client, resolved_ticket, officer):
    token = services.feedback_token_make(ticket=resolved_ticket)
    services.ticket_reopen(ticket=resolved_ticket, by=officer, reason="Guest called back")
    response = client.post(reverse("complaints:feedback_public", args=[token]), {"score": 5})
    assert response.status_code == 410
    assert not resolved_ticket.feedback.exists()


@pytest.mark.django_db
def test_a_link_from_an_earlier_round_opened_after_the_next_resolution_is_gone(
    client, resolved_ticket, officer
):
    token = services.feedback_token_make(ticket=resolved_ticket)
    ticket = services.ticket_reopen(ticket=resolved_ticket, by=officer, reason="Called back")
    ticket = services.ticket_start(ticket=ticket, by=officer)
    services.ticket_resolve(ticket=ticket, by=officer, note="Fixed again.")
    response = client.get(reverse("complaints:feedback_public", args=[token]))
    assert response.status_code == 410  # was a 500: the page named an error it never had
    assert "no longer open" in response.content.decode()


@pytest.mark.django_db
def test_the_feedback_page_speaks_the_guests_language(client, resolved_ticket):
    url = reverse(
        "complaints:feedback_public", args=[services.feedback_token_make(ticket=resolved_ticket)]
    )
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "满意" in html


@pytest.mark.django_db
def test_staff_record_feedback_and_a_low_score_reopens(client, resolved_ticket, officer):
    client.force_login(officer)
    response = client.post(
        reverse("complaints:feedback", args=[resolved_ticket.pk]), {"score": 1, "comment": "No"}
    )
    assert response.status_code == 302
    resolved_ticket.refresh_from_db()
    assert resolved_ticket.status == Ticket.Status.REOPENED


def test_roles_hold_the_complaint_permissions_the_design_expects():
    assert "complaints.handle_escalation" in roles.GUEST_RELATIONS.permissions
    assert "complaints.handle_escalation" in roles.MANAGER.permissions
    assert "complaints.approve_recoveryaction" in roles.MANAGER.permissions
    assert "complaints.approve_recoveryaction" not in roles.GUEST_RELATIONS.permissions
    assert "complaints.work_ticket" not in roles.FRONT_DESK.permissions


@pytest.mark.django_db
def test_the_timeline_refreshes_as_a_fragment_and_falls_back_to_the_page(
    client, make_ticket, officer
):
    ticket = make_ticket(by=officer)
    client.force_login(officer)
    url = reverse("complaints:timeline", args=[ticket.pk])
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.content.decode().startswith('<section id="timeline-section"')
    assert client.get(url)["Location"] == ticket.get_absolute_url()
