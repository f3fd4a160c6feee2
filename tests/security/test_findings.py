"""Each finding of the role × URL matrix, pinned by a test that failed before its fix."""

from __future__ import annotations

import pytest

from complaints.models import Ticket

pytestmark = pytest.mark.django_db


def test_resending_a_feedback_link_not_awaited_answers_the_reason_not_a_500(as_role, world):
    """It raised TypeError (_refused called without its panel) on a ticket still new."""
    response = as_role("officer").post(f"/complaints/{world.ids['ticket']}/feedback/send/")
    assert response.status_code == 422
    assert "only while the guest&#x27;s feedback is awaited" in response.content.decode()


def test_a_role_that_may_only_see_a_ticket_is_refused_any_workflow_step(as_role, world):
    """The desk's POST reached the form (422) and the service; it is now refused at the door."""
    pk = world.ids["ticket"]
    client = as_role("desk")
    for action in ("acknowledge", "start", "resolve", "close", "reopen"):
        response = client.post(f"/complaints/{pk}/{action}/", {"version": 1, "note": "x"})
        assert response.status_code == 403, action
    assert Ticket.objects.get(pk=pk).status == Ticket.Status.NEW


@pytest.mark.parametrize(
    "role, path, status",
    [
        ("desk", "/guests/search/?q=we%00i", 200),
        ("officer", "/guests/companies/?q=ac%00me", 200),
        # a list filter (core.filters) explains the bad character next to the box instead
        ("officer", "/notifications/?q=%00", 422),
        ("desk", "/complaints/new/guests/?guest_query=we%00i", 200),
    ],
)
def test_a_nul_character_in_a_search_box_is_dropped_not_a_500(as_role, world, role, path, status):
    """PostgreSQL refuses NUL in any string: these searches answered 500 before."""
    client = as_role(role)
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code == status
    if status == 422:
        assert "Null characters are not allowed." in response.content.decode()
