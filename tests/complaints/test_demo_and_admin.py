import io
import random

import pytest
from django.urls import reverse

from accounts.demo import demo_staff_seed
from complaints import demo
from complaints.models import Ticket, TimelineEvent


@pytest.mark.django_db
def test_the_demo_seeds_a_mix_of_states_with_timelines_and_does_not_repeat():
    demo_staff_seed()
    out = io.StringIO()
    options = {"guests": 300, "tickets": None, "rng": random.Random(1)}
    demo.seed(options, out)
    assert Ticket.objects.count() == 100
    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert {"new", "in_progress", "resolved", "closed", "reopened"} <= statuses
    assert Ticket.objects.values("department").distinct().count() >= 3
    assert TimelineEvent.objects.filter(kind=TimelineEvent.Kind.APOLOGISED).exists()
    numbers = list(Ticket.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    demo.seed({**options, "rng": random.Random(2)}, out)
    assert Ticket.objects.count() == 100
    assert "already there" in out.getvalue()


@pytest.mark.django_db
def test_demo_tickets_of_returning_guests_point_at_them(returning_guest):
    demo_staff_seed()
    demo.seed({"guests": 0, "tickets": 30, "rng": random.Random(3)}, io.StringIO())
    assert Ticket.objects.filter(guest=returning_guest).exists()


@pytest.mark.django_db
def test_the_admin_lists_and_searches_tickets_and_never_deletes_the_timeline(
    client, administrator, make_ticket
):
    ticket = make_ticket(by=administrator)
    client.force_login(administrator)
    response = client.get(reverse("admin:complaints_ticket_changelist"), {"q": ticket.number})
    assert response.status_code == 200 and ticket.number in response.content.decode()
    event = ticket.events.get()
    delete = reverse("admin:complaints_timelineevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert (
        client.get(reverse("admin:complaints_ticket_change", args=[ticket.pk])).status_code == 200
    )
    assert client.get(reverse("admin:complaints_slatarget_changelist")).status_code == 200
    assert client.get(reverse("admin:complaints_authoritylimit_changelist")).status_code == 200
