import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from complaints import services
from complaints.models import Category, Ticket
from tests.factories import department

# --- Queues ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("queue", ["mine", "department", "open", "overdue", "approval", "all"])
def test_each_queue_runs_a_constant_number_of_queries(
    client, make_ticket, front_desk, officer, queue, django_assert_num_queries
):
    from django.db import connection
    from django.db.models import F
    from django.test.utils import CaptureQueriesContext

    def make(n):
        for _ in range(n):
            t = make_ticket(by=front_desk, department=department("front-office"))
            services.ticket_acknowledge(ticket=t, by=officer)
            services.recovery_propose(ticket=t, by=front_desk, kind="refund", value=Decimal(900))
        Ticket.objects.update(resolve_due_at=F("created_at"))  # every one overdue

    client.force_login(officer)
    url = reverse("complaints:queue") + f"?queue={queue}&sort=due"
    make(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).content.decode().count("data-ticket=") == 1
    make(30)
    # session, user, permissions ×2, filter choices ×2, page count, page rows: never per row
    with django_assert_num_queries(len(one)):
        response = client.get(url)
    assert len(one) <= 8
    assert response.content.decode().count("data-ticket=") == 25
    assert response.content.decode().count('data-sla="overdue"') == 25


@pytest.mark.django_db
def test_the_queue_marks_overdue_tickets(client, make_ticket, officer):
    ticket = make_ticket(by=officer)
    Ticket.objects.filter(pk=ticket.pk).update(ack_due_at=ticket.created_at)
    client.force_login(officer)
    html = client.get(reverse("complaints:queue") + "?queue=open").content.decode()
    assert 'data-sla="overdue"' in html


@pytest.mark.django_db
def test_a_bad_date_range_is_explained(client, officer):
    client.force_login(officer)
    response = client.get(
        reverse("complaints:queue"),
        {"queue": "all", "date_from": "2026-02-02", "date_to": "2026-02-01"},
    )
    assert response.status_code == 422
    assert "The end date is before the start date." in response.content.decode()


@pytest.mark.django_db
def test_the_export_streams_the_filtered_queue_as_csv(client, make_ticket, officer):
    make_ticket(by=officer, description="=HYPERLINK(evil)")
    make_ticket(by=officer, department=department("engineering"))
    client.force_login(officer)
    response = client.get(
        reverse("complaints:export"),
        {"queue": "all", "department": department("housekeeping").pk},
    )
    assert response.status_code == 200 and response.streaming
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "Number" and len(rows) == 2
    assert rows[1][-1] == "'=HYPERLINK(evil)"


@pytest.mark.django_db
def test_no_typed_cell_of_the_export_can_become_a_formula(client, make_ticket, officer):
    category = Category.objects.create(code="evil", name="@SUM(A1:A9)")
    officer.first_name, officer.last_name = "-Eve", ""
    officer.save()
    ticket = make_ticket(
        by=officer,
        guest_name="=HYPERLINK(name)",
        room_number="+1208",
        category=category,
    )
    Ticket.objects.filter(pk=ticket.pk).update(description="\t=cmd")  # as an import might
    services.ticket_update(
        ticket=ticket, by=officer, version=ticket.version, changes={"assigned_to": officer}
    )
    client.force_login(officer)
    response = client.get(reverse("complaints:export"), {"queue": "all"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(body)))
    cells = dict(zip(header, row, strict=True))
    assert cells["Guest"] == "'=HYPERLINK(name)"
    assert cells["Room"] == "'+1208"
    assert cells["Category"] == "'@SUM(A1:A9)"
    assert cells["Assigned officer"].startswith("'-Eve")
    assert cells["Description"] == "'\t=cmd"
    assert cells["Number"] == ticket.number  # the rest as it was


@pytest.mark.parametrize(
    ("typed", "exported"),
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-5", "'-5"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Room 1208", "Room 1208"),
        ("", ""),
    ],
)
def test_a_cell_that_starts_like_a_formula_is_exported_as_text(typed, exported):
    from complaints.views import csv_cell

    assert csv_cell(typed) == exported


@pytest.mark.django_db
def test_the_front_desk_queue_lists_what_they_logged(client, make_ticket, front_desk, officer):
    mine = make_ticket(by=front_desk)
    other = make_ticket(by=officer)
    client.force_login(front_desk)
    html = client.get(reverse("complaints:queue")).content.decode()
    assert mine.number in html and other.number not in html


@pytest.mark.django_db
def test_the_queue_speaks_chinese(client, make_ticket, officer):
    make_ticket(by=officer)
    officer.language = "zh-hans"
    officer.save()
    client.force_login(officer)
    html = client.get(reverse("complaints:queue") + "?queue=all").content.decode()
    assert "投诉单" in html and "客房部" in html
