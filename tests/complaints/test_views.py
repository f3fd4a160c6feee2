import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from complaints import services
from complaints.models import Category, RecoveryAction, Ticket, TimelineEvent
from tests.factories import department

Kind = TimelineEvent.Kind


def log_data(**overrides):
    data = {
        "guest_name": "Mr. Smith",
        "room_number": "1208",
        "department": department("housekeeping").pk,
        "category": Category.objects.get(code="noise").pk,
        "severity": 3,
        "channel": "in_person",
        "description": "Party next door.",
        "log_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


# --- Access ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["complaints:queue", "complaints:log", "complaints:export", "complaints:guest_search"]
)
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_an_account_manager_has_no_complaint_pages(client, account_manager):
    client.force_login(account_manager)
    assert client.get(reverse("complaints:queue")).status_code == 403
    assert client.get(reverse("complaints:log")).status_code == 403


@pytest.mark.django_db
def test_the_front_desk_cannot_export(client, front_desk):
    client.force_login(front_desk)
    assert client.get(reverse("complaints:export")).status_code == 403


@pytest.mark.django_db
def test_a_ticket_of_another_department_is_a_404_for_a_department_head(
    client, make_ticket, front_desk, department_head
):
    ticket = make_ticket(by=front_desk, department=department("engineering"))
    client.force_login(department_head)
    assert client.get(reverse("complaints:ticket", args=[ticket.pk])).status_code == 404
    response = client.post(reverse("complaints:transition", args=[ticket.pk, "acknowledge"]))
    assert response.status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW


@pytest.mark.django_db
def test_the_front_desk_cannot_acknowledge_through_the_page(client, make_ticket, front_desk):
    ticket = make_ticket(by=front_desk)
    client.force_login(front_desk)
    response = client.post(
        reverse("complaints:transition", args=[ticket.pk, "acknowledge"]), {"version": 1}
    )
    assert response.status_code == 403  # refused at the door, before the form is read
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW


@pytest.mark.django_db
def test_the_front_desk_cannot_approve(client, make_ticket, front_desk):
    action = services.recovery_propose(
        ticket=make_ticket(by=front_desk), by=front_desk, kind="refund", value=Decimal(900)
    )
    client.force_login(front_desk)
    response = client.post(reverse("complaints:decide", args=[action.pk]), {"decision": "approve"})
    assert response.status_code == 403


# --- Quick log ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_log_complaint_button_is_on_every_page_for_the_desk(client, front_desk):
    client.force_login(front_desk)
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="log-complaint"' in html


@pytest.mark.django_db
def test_the_desk_logs_a_walk_in_complaint_and_sees_its_number(client, front_desk):
    client.force_login(front_desk)
    response = client.post(reverse("complaints:log"), log_data(), follow=True)
    ticket = Ticket.objects.get()
    assert response.redirect_chain[-1][0] == ticket.get_absolute_url()
    assert f"Complaint {ticket.number} logged" in response.content.decode()
    assert ticket.logged_by == front_desk and ticket.severity == 3


@pytest.mark.django_db
def test_the_desk_logs_a_complaint_for_a_returning_guest(client, front_desk, returning_guest):
    client.force_login(front_desk)
    client.post(reverse("complaints:log"), log_data(guest=returning_guest.pk, guest_name=""))
    assert Ticket.objects.get().guest == returning_guest


@pytest.mark.django_db
def test_a_double_submitted_log_form_makes_one_ticket(client, front_desk):
    client.force_login(front_desk)
    data = log_data()
    client.post(reverse("complaints:log"), data)
    client.post(reverse("complaints:log"), data)
    assert Ticket.objects.count() == 1


@pytest.mark.django_db
def test_a_log_without_guest_keeps_what_was_typed(client, front_desk):
    client.force_login(front_desk)
    response = client.post(reverse("complaints:log"), log_data(guest_name=""))
    assert response.status_code == 422
    html = response.content.decode()
    assert "Party next door." in html and "walk-in" in html
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_the_guest_picker_lists_returning_guests(client, front_desk, returning_guest):
    client.force_login(front_desk)
    html = client.get(reverse("complaints:guest_search"), {"guest_query": "chen"}).content.decode()
    assert "Wei Chen" in html and "Returning guest" in html
    assert f'value="{returning_guest.pk}"' in html


@pytest.mark.django_db
def test_the_picker_works_without_javascript(client, front_desk, returning_guest):
    client.force_login(front_desk)
    response = client.post(
        reverse("complaints:log"), log_data(guest_query="0138000", find="1", guest_name="")
    )
    assert response.status_code == 200
    assert "Wei Chen" in response.content.decode()
    assert not Ticket.objects.exists()


# --- Ticket page -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_ticket_page_shows_only_the_actions_of_the_role(
    client, make_ticket, front_desk, officer
):
    ticket = make_ticket(by=front_desk)
    url = reverse("complaints:ticket", args=[ticket.pk])
    client.force_login(front_desk)
    html = client.get(url).content.decode()
    assert ">Acknowledge<" not in html and "Add a note" in html
    client.force_login(officer)
    html = client.get(url).content.decode()
    assert ">Acknowledge<" in html and "Escalate" in html


@pytest.mark.django_db
def test_the_ticket_page_runs_a_constant_number_of_queries(
    client, make_ticket, officer, django_assert_max_num_queries
):
    ticket = make_ticket(by=officer)
    client.force_login(officer)
    url = reverse("complaints:ticket", args=[ticket.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(10):
        services.ticket_step_record(ticket=ticket, by=officer, kind=Kind.NOTE, text=f"n{i}")
        services.recovery_propose(
            ticket=ticket, by=officer, kind="gift", value=Decimal(50), description=f"g{i}"
        )
    with django_assert_max_num_queries(len(few)):
        client.get(url)


@pytest.mark.django_db
def test_an_officer_works_a_ticket_through_the_pages(client, make_ticket, front_desk, officer):
    ticket = make_ticket(by=front_desk)
    client.force_login(officer)
    base = reverse("complaints:ticket", args=[ticket.pk])
    client.post(reverse("complaints:transition", args=[ticket.pk, "acknowledge"]))
    client.post(reverse("complaints:step", args=[ticket.pk]), {"kind": "apologised", "text": "x"})
    client.post(reverse("complaints:transition", args=[ticket.pk, "start"]))
    response = client.post(
        reverse("complaints:transition", args=[ticket.pk, "resolve"]), {"note": "Moved room"}
    )
    assert response.status_code == 302 and response["Location"] == base
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.RESOLVED and ticket.assigned_to == officer
    html = client.get(base).content.decode()
    assert 'data-testid="feedback-link"' in html


@pytest.mark.django_db
def test_a_step_through_htmx_returns_the_timeline_fragment(client, make_ticket, officer):
    ticket = make_ticket(by=officer)
    client.force_login(officer)
    response = client.post(
        reverse("complaints:step", args=[ticket.pk]),
        {"kind": "listened", "text": "Heard the guest out"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<section id="timeline-section"') and "Heard the guest out" in html
    response = client.post(
        reverse("complaints:step", args=[ticket.pk]),
        {"kind": "note", "text": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422 and "Write the note first." in response.content.decode()


@pytest.mark.django_db
def test_a_resolve_without_a_note_keeps_the_page_and_says_why(client, make_ticket, officer):
    ticket = make_ticket(by=officer)
    services.ticket_acknowledge(ticket=ticket, by=officer)
    services.ticket_start(ticket=ticket, by=officer)
    client.force_login(officer)
    response = client.post(reverse("complaints:transition", args=[ticket.pk, "resolve"]), {})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()


@pytest.mark.django_db
def test_two_people_editing_the_same_ticket_the_second_gets_a_conflict(
    client, make_ticket, officer, manager
):
    ticket = make_ticket(by=officer)
    url = reverse("complaints:edit", args=[ticket.pk])
    form = {
        "guest_name": "Mr. Smith",
        "room_number": "1208",
        "department": department("housekeeping").pk,
        "category": Category.objects.get(code="cleanliness").pk,
        "severity": 2,
        "channel": "in_person",
        "kind": "",
        "assigned_to": "",
        "follow_up_on": "",
        "version": ticket.version,
    }
    client.force_login(manager)
    first = client.post(url, {**form, "description": "Manager's words"})
    assert first.status_code == 302
    client.force_login(officer)
    second = client.post(url, {**form, "description": "Officer's words"})
    assert second.status_code == 409
    html = second.content.decode()
    assert "Someone else changed this ticket" in html
    assert "Officer&#x27;s words" in html  # what they typed is kept
    ticket.refresh_from_db()
    assert ticket.description == "Manager's words"
    # Saving again, having seen the current ticket, applies their change.
    version = int(html.split('name="version" value="')[1].split('"')[0])
    third = client.post(url, {**form, "description": "Officer's words", "version": version})
    assert third.status_code == 302
    ticket.refresh_from_db()
    assert ticket.description == "Officer's words"


@pytest.mark.django_db
def test_a_stale_status_change_is_a_conflict(client, make_ticket, officer):
    ticket = make_ticket(by=officer)
    stale = ticket.version
    services.ticket_update(ticket=ticket, by=officer, version=stale, changes={"severity": 4})
    client.force_login(officer)
    response = client.post(
        reverse("complaints:transition", args=[ticket.pk, "acknowledge"]), {"version": stale}
    )
    assert response.status_code == 409
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW


def in_progress(ticket, by):
    services.ticket_acknowledge(ticket=ticket, by=by)
    return services.ticket_start(ticket=ticket, by=by)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "data", "kept"),
    [
        ("resolve", {"note": "Moved the guest to 1510"}, "Moved the guest to 1510"),
        (
            "close",
            {"reason": "guest_unreachable", "note": "Three calls, no answer"},
            "Three calls, no answer",
        ),
        ("reopen", {"reason": "Guest called back: still noisy"}, "Guest called back: still noisy"),
    ],
)
def test_a_conflict_keeps_what_was_typed_and_saving_again_applies_it(
    client, make_ticket, officer, manager, action, data, kept
):
    ticket = make_ticket(by=officer)
    in_progress(ticket, officer)
    if action != "resolve":
        services.ticket_resolve(ticket=ticket, by=officer, note="Fixed")
    ticket.refresh_from_db()
    stale = ticket.version
    services.ticket_update(ticket=ticket, by=manager, version=stale, changes={"severity": 4})
    client.force_login(officer)
    url = reverse("complaints:transition", args=[ticket.pk, action])
    response = client.post(url, {**data, "version": stale})
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this ticket" in html
    assert kept in html  # what they typed is still in the form
    assert '<details class="mb-2" open><summary class="btn' in html  # its panel is open
    ticket.refresh_from_db()
    fresh = ticket.version
    assert f'name="version" value="{fresh}"' in html
    again = client.post(url, {**data, "version": fresh})
    assert again.status_code == 302


@pytest.mark.django_db
def test_a_decision_refused_keeps_the_comment(client, make_ticket, front_desk, manager):
    action = services.recovery_propose(
        ticket=make_ticket(by=front_desk), by=front_desk, kind="upgrade", value=Decimal(800)
    )
    client.force_login(manager)
    url = reverse("complaints:decide", args=[action.pk])
    long = "Regular guest, " + "x" * 2000
    response = client.post(url, {"decision": "approve", "comment": long})
    assert response.status_code == 422
    assert f'value="{long}"' in response.content.decode()
    # Refused by the service (beyond this manager's own limit): the comment is kept too.
    from complaints.models import AuthorityLimit

    AuthorityLimit.objects.filter(group__name="Manager").update(max_value=500)
    response = client.post(url, {"decision": "approve", "comment": "Regular guest"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "ask a more senior manager" in html and 'value="Regular guest"' in html
    action.refresh_from_db()
    assert action.status == RecoveryAction.Status.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["upgrade", "gift"])
def test_an_upgrade_or_gift_offered_without_its_worth_is_refused_and_kept(
    client, make_ticket, front_desk, kind
):
    ticket = make_ticket(by=front_desk)
    client.force_login(front_desk)
    response = client.post(
        reverse("complaints:recovery", args=[ticket.pk]),
        {"kind": kind, "value": "", "currency": "CNY", "description": "Suite for two nights"},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "worth in money" in html and "Suite for two nights" in html
    assert not RecoveryAction.objects.filter(ticket=ticket).exists()


@pytest.mark.django_db
def test_a_second_discount_past_the_desks_limit_asks_a_manager(client, make_ticket, front_desk):
    ticket = make_ticket(by=front_desk)
    client.force_login(front_desk)
    url = reverse("complaints:recovery", args=[ticket.pk])
    for words in ("Noise", "Again noise"):
        data = {"kind": "discount", "value": "200", "currency": "CNY", "description": words}
        response = client.post(url, data, follow=True)
    assert "a manager has been asked to approve it" in response.content.decode()
    statuses = list(ticket.recovery_actions.values_list("status", flat=True))
    assert statuses == [RecoveryAction.Status.APPLIED, RecoveryAction.Status.PENDING]


@pytest.mark.django_db
def test_a_manager_approves_a_request_from_the_ticket_page(
    client, make_ticket, front_desk, manager
):
    action = services.recovery_propose(
        ticket=make_ticket(by=front_desk), by=front_desk, kind="upgrade", value=Decimal(800)
    )
    client.force_login(manager)
    response = client.post(
        reverse("complaints:decide", args=[action.pk]), {"decision": "approve", "comment": "ok"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == RecoveryAction.Status.APPLIED


@pytest.mark.django_db
def test_a_rejection_without_a_comment_is_refused(client, make_ticket, front_desk, manager):
    action = services.recovery_propose(
        ticket=make_ticket(by=front_desk), by=front_desk, kind="upgrade", value=Decimal(800)
    )
    client.force_login(manager)
    response = client.post(reverse("complaints:decide", args=[action.pk]), {"decision": "reject"})
    assert response.status_code == 422
    assert "Say why the request is rejected." in response.content.decode()
    action.refresh_from_db()
    assert action.status == RecoveryAction.Status.PENDING


@pytest.mark.django_db
def test_recording_a_follow_up_keeps_a_later_planned_date(client, make_ticket, officer):
    from datetime import timedelta

    from django.utils import timezone

    ticket = make_ticket(by=officer)
    planned = timezone.localdate() + timedelta(days=2)
    Ticket.objects.filter(pk=ticket.pk).update(follow_up_on=planned)
    client.force_login(officer)
    response = client.post(
        reverse("complaints:step", args=[ticket.pk]), {"kind": "follow_up_done", "text": "Called"}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.follow_up_on == planned
