"""Changing an id in a URL or a form field never reaches an object outside the user's scope:
the answer is the friendly 403/404, nothing changes, and the attempt is in the security log."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.models import SecurityEvent
from complaints.models import RecoveryAction, Ticket
from guests.models import CareTask, Guest
from loyalty.models import Redemption, Reward
from notifications.models import Notification

pytestmark = pytest.mark.django_db

NOT_FOUND = "We could not find that page"
NOT_YOURS = "This page is not part of your role"

TICKET_GETS = ("/complaints/{pk}/", "/complaints/{pk}/timeline/", "/complaints/{pk}/edit/")
TICKET_POSTS = (
    "/complaints/{pk}/edit/",
    "/complaints/{pk}/step/",
    "/complaints/{pk}/departments/",
    "/complaints/{pk}/escalation/",
    "/complaints/{pk}/recovery/",
    "/complaints/{pk}/feedback/",
    "/complaints/{pk}/feedback/send/",
    "/complaints/{pk}/acknowledge/",
    "/complaints/{pk}/start/",
)


def refused(response, status: int) -> bool:
    text = NOT_FOUND if status == 404 else NOT_YOURS
    return response.status_code == status and text in response.content.decode()


def logged(world, role: str, path: str, status: int) -> bool:
    return SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.DENIED, user=world.user(role), path=path, status=status
    ).exists()


@pytest.mark.parametrize("role", ["head", "desk"])
def test_another_departments_ticket_is_not_found_at_any_of_its_urls(as_role, world, role):
    pk = world.ids["other_ticket"]
    before = Ticket.objects.values("status", "version", "assigned_to").get(pk=pk)
    client = as_role(role)
    for template in TICKET_GETS:
        path = template.format(pk=pk)
        response = client.get(path)
        if role == "desk" and path.endswith("/edit/"):
            assert refused(response, 403), path  # the desk may not edit any ticket
            continue
        assert refused(response, 404), path
        assert logged(world, role, path, 404), path
    data = {"version": before["version"], "text": "x", "kind": "note", "reason": "x"}
    for template in TICKET_POSTS:
        path = template.format(pk=pk)
        response = client.post(path, data)
        assert response.status_code in (403, 404), (path, response.status_code)
        assert logged(world, role, path, response.status_code), path
    assert Ticket.objects.values("status", "version", "assigned_to").get(pk=pk) == before


def test_an_approval_is_decided_only_by_managers(as_role, world):
    for role in ("desk", "officer", "head", "account_manager"):
        path = f"/complaints/recovery/{world.ids['other_action']}/decision/"
        response = as_role(role).post(path, {"decision": "approve", "comment": "ok"})
        assert refused(response, 403), role
        assert logged(world, role, path, 403)
    action = RecoveryAction.objects.get(pk=world.ids["other_action"])
    assert action.status == RecoveryAction.Status.PENDING


def test_someone_elses_follow_up_task_is_not_found(as_role, world):
    path = f"/follow-ups/{world.ids['other_task']}/"
    client = as_role("account_manager")
    assert refused(client.get(path), 404)
    assert refused(client.post(path, {"report": "Called."}), 404)
    assert CareTask.objects.get(pk=world.ids["other_task"]).status == CareTask.Status.OPEN
    assert logged(world, "account_manager", path, 404)


def test_a_notification_is_retried_only_by_roles_that_run_the_outbox(as_role, world):
    path = f"/notifications/{world.ids['notification']}/retry/"
    for role in ("desk", "head", "account_manager"):
        assert refused(as_role(role).post(path), 403), role
    assert Notification.objects.get(pk=world.ids["notification"]).status == "failed"


def test_a_department_is_edited_only_by_managers(as_role, world):
    path = f"/departments/{world.ids['department']}/"
    for role in ("desk", "officer", "head", "account_manager"):
        response = as_role(role).post(path, {"name": "Hacked", "code": "hk", "sort_order": 1})
        assert refused(response, 403), role
    assert not world_department_renamed(world)


def world_department_renamed(world) -> bool:
    from accounts.models import Department

    return Department.objects.get(pk=world.ids["department"]).name == "Hacked"


def test_an_erased_guest_and_their_membership_are_not_found_anywhere(as_role, world):
    Guest.objects.filter(pk=world.ids["guest"]).update(erased_at=timezone.now())
    client = as_role("manager")
    paths = [
        "/guests/{guest}/",
        "/guests/{guest}/edit/",
        "/guests/{guest}/stays/",
        "/guests/{guest}/stays/new/",
        "/guests/stays/{stay}/edit/",
        "/guests/{guest}/merge/{other_guest}/",
        "/guests/{other_guest}/merge/{guest}/",
        "/guests/{guest}/privacy/",
        "/guests/{guest}/privacy/erase/",
        "/loyalty/enrol/{guest}/",
        "/loyalty/members/{member}/",
        "/loyalty/members/{member}/redeem/",
        "/loyalty/members/{member}/adjust/",
        "/loyalty/redemptions/{redemption}/reverse/",
    ]
    for template in paths:
        path = template.format(**world.ids)
        assert refused(client.get(path), 404), path
        assert logged(world, "manager", path, 404), path


def test_a_form_field_naming_an_object_outside_the_choices_is_refused(as_role, world):
    desk = world.user("desk")
    client = as_role("manager")
    pk = world.ids["ticket"]
    version = Ticket.objects.get(pk=pk).version
    # An owner who may not work tickets, a duty manager who is not one, a missing department.
    edit = client.post(
        f"/complaints/{pk}/edit/",
        {
            "version": version,
            "assigned_to": desk.pk,
            "description": "x",
            "department": world.ids["department"],
        },
    )
    assert edit.status_code == 422
    escalate = client.post(f"/complaints/{pk}/escalation/", {"to": desk.pk, "reason": "x"})
    assert escalate.status_code == 422
    bring_in = client.post(f"/complaints/{pk}/departments/", {"department": 999999})
    assert bring_in.status_code == 422
    ticket = Ticket.objects.get(pk=pk)
    assert (ticket.version, ticket.assigned_to_id, ticket.escalated_to_id) == (version, None, None)
    # A reward that is not on offer.
    hidden = Reward.objects.create(code="sec-hidden", name="Suite", points_cost=1, is_active=False)
    before = Redemption.objects.count()
    redeem = as_role("desk").post(
        f"/loyalty/members/{world.ids['member']}/redeem/", {"reward": hidden.pk, "step": "confirm"}
    )
    assert redeem.status_code == 422
    assert Redemption.objects.count() == before
    # A guest who was erased, picked by id in the quick log.
    other = Guest.objects.get(pk=world.ids["other_guest"])
    Guest.objects.filter(pk=other.pk).update(erased_at=timezone.now())
    count = Ticket.objects.count()
    log = as_role("desk").post(
        "/complaints/new/",
        {
            "guest": other.pk,
            "department": world.ids["department"],
            "category": Ticket.objects.get(pk=pk).category_id,
            "severity": 2,
            "channel": "in_person",
            "description": "x",
        },
    )
    assert log.status_code == 422
    assert Ticket.objects.count() == count


def test_managers_read_the_refusals_on_the_security_log(as_role, world):
    path = f"/complaints/{world.ids['other_ticket']}/"
    as_role("head").get(path)
    page = as_role("manager").get("/security/?kind=denied")
    assert page.status_code == 200
    text = page.content.decode()
    assert path in text and "sec-head" in text and "Access refused" in text
    assert refused(as_role("head").get("/security/"), 403)
    assert refused(as_role("officer").get("/security/"), 403)


def test_an_unknown_url_is_not_recorded(as_role, world):
    as_role("desk").get("/no/such/page/")
    assert not SecurityEvent.objects.filter(path="/no/such/page/").exists()
