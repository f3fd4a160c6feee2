"""The ticket page's deadlines tell the truth: a reopened ticket shows the one that applies now."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from complaints import services
from complaints.models import Ticket


def _row(html: str, target: str) -> str:
    match = re.search(rf'data-testid="sla-{target}">(.*?)</dd>', html, re.S)
    assert match, f"no {target} row on the page"
    return match.group(1)


def _when(at) -> str:
    return formats.date_format(timezone.localtime(at), "DATETIME_FORMAT")


@pytest.mark.django_db
def test_a_resolved_ticket_shows_both_targets_met(resolved_ticket):
    targets = resolved_ticket.sla_targets(timezone.now())
    assert [(t.target, t.met_at) for t in targets] == [
        ("acknowledge", resolved_ticket.acknowledged_at),
        ("resolve", resolved_ticket.resolved_at),
    ]


@pytest.mark.django_db
def test_a_reopened_ticket_has_its_new_deadline_open_not_met(resolved_ticket, officer):
    first_resolution = resolved_ticket.resolved_at
    ticket = services.ticket_reopen(ticket=resolved_ticket, by=officer, reason="Still dirty.")
    ack, resolve = ticket.sla_targets(timezone.now())
    assert ack.met_at == ticket.acknowledged_at
    assert resolve.met_at is None and resolve.due_at == ticket.resolve_due_at
    assert resolve.earlier_resolution == first_resolution
    assert resolve.state == ""
    assert ticket.sla_targets(ticket.resolve_due_at + timedelta(minutes=1))[1].state == "overdue"


@pytest.mark.django_db
def test_the_ticket_page_has_no_stale_tick_next_to_resolve_by_after_a_reopen(
    client, resolved_ticket, officer
):
    client.force_login(officer)
    url = reverse("complaints:ticket", args=[resolved_ticket.pk])
    resolved_row = _row(client.get(url).content.decode(), "resolve")
    assert "bi-check-lg" in resolved_row and _when(resolved_ticket.resolved_at) in resolved_row

    ticket = services.ticket_reopen(ticket=resolved_ticket, by=officer, reason="Still dirty.")
    reopened_row = _row(client.get(url).content.decode(), "resolve")
    assert "bi-check-lg" not in reopened_row and "✓" not in reopened_row
    assert reopened_row.startswith(_when(ticket.resolve_due_at))
    assert "Reopened" in reopened_row

    Ticket.objects.filter(pk=ticket.pk).update(resolve_due_at=timezone.now() - timedelta(hours=1))
    assert "Overdue" in _row(client.get(url).content.decode(), "resolve")
