"""The churn radar on constructed histories: who is flagged, one task per absence, coming back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts import roles
from guests.models import CareTask
from retention.models import GuestValue, WinBack
from retention.services.radar import radar_run, win_back_record
from retention.services.valuation import values_refresh
from tests.factories import UserFactory, make_guest, make_stay
from tests.retention.conftest import TODAY, history


def nightly(today=TODAY):
    values_refresh(today=today)
    return radar_run(today=today)


@pytest.mark.django_db
def test_a_monthly_regular_absent_62_days_is_flagged_with_the_reasons(regular):
    counts = nightly()
    value = GuestValue.objects.get(guest=regular)
    assert value.usual_gap_days == 28
    assert value.recency_days == 62
    assert value.at_risk
    assert counts["created"] == 1
    (win_back,) = WinBack.objects.filter(guest=regular)
    assert win_back.since == TODAY - timedelta(days=62)
    assert win_back.reasons["usual_gap_days"] == 28
    assert win_back.reasons["days_absent"] == 62
    assert win_back.reasons["stays"] == 4
    task = win_back.task
    assert task.kind == CareTask.Kind.WIN_BACK
    assert task.status == CareTask.Status.OPEN
    assert "Mr. Lin" in task.title


@pytest.mark.django_db
def test_a_yearly_guest_absent_62_days_is_not_flagged(db):
    guest = make_guest(family_name="Yearly")
    history(guest, last_departure=TODAY - timedelta(days=62), gap_days=360, stays=4)
    nightly()
    value = GuestValue.objects.get(guest=guest)
    assert value.usual_gap_days == 360
    assert not value.at_risk
    assert not WinBack.objects.exists()


@pytest.mark.django_db
def test_a_guest_with_two_stays_is_not_scored_for_churn(db):
    guest = make_guest(family_name="Twice")
    history(guest, last_departure=TODAY - timedelta(days=300), gap_days=10, stays=2)
    nightly()
    value = GuestValue.objects.get(guest=guest)
    assert value.usual_gap_days is None
    assert not value.at_risk


@pytest.mark.django_db
def test_the_edges_factor_and_minimum(db):
    """Absent exactly factor × interval is not yet at risk; one day more is. Under the minimum
    (30 days) never, however short the usual interval."""
    at_edge = make_guest(family_name="Edge")
    history(at_edge, last_departure=TODAY - timedelta(days=56), gap_days=28, stays=3)
    over = make_guest(family_name="Over")
    history(over, last_departure=TODAY - timedelta(days=57), gap_days=28, stays=3)
    weekly = make_guest(family_name="Weekly")
    history(weekly, last_departure=TODAY - timedelta(days=29), gap_days=5, stays=3)
    nightly()
    risky = set(
        GuestValue.objects.filter(at_risk=True).values_list("guest__family_name", flat=True)
    )
    assert risky == {"Over"}


@pytest.mark.django_db
def test_a_guest_with_a_booking_ahead_is_not_flagged(regular):
    make_stay(regular, arrival=TODAY + timedelta(days=3), nights=2)
    nightly()
    assert not GuestValue.objects.get(guest=regular).at_risk


@pytest.mark.django_db
def test_the_nightly_run_twice_makes_one_task(regular):
    assert nightly()["created"] == 1
    assert nightly()["created"] == 0
    assert nightly(TODAY + timedelta(days=1))["created"] == 0
    assert CareTask.objects.filter(kind=CareTask.Kind.WIN_BACK).count() == 1
    assert WinBack.objects.count() == 1


@pytest.mark.django_db
def test_the_account_manager_gets_the_task_else_the_team(regular):
    manager = UserFactory(role=roles.ACCOUNT_MANAGER)
    other = make_guest(family_name="Team", account_manager=None)
    history(other, last_departure=TODAY - timedelta(days=62), gap_days=28, stays=3)
    regular.account_manager = manager
    regular.save()
    nightly()
    tasks = dict(CareTask.objects.values_list("guest__family_name", "assigned_to"))
    assert tasks == {"Lin": manager.pk, "Team": None}


@pytest.mark.django_db
def test_a_returning_guest_closes_the_task_as_returned_by_themselves(
    regular, django_capture_on_commit_callbacks
):
    nightly()
    with django_capture_on_commit_callbacks(execute=True):
        stay = make_stay(regular, arrival=TODAY, nights=1)
    win_back = WinBack.objects.get(guest=regular)
    assert win_back.outcome == WinBack.Outcome.RETURNED
    assert win_back.next_stay == stay
    assert win_back.task.status == CareTask.Status.DONE
    assert "Returned by themselves" in win_back.task.report
    # their next absence is a new one: the nightly run may flag it again later, not this one
    assert nightly(TODAY + timedelta(days=1))["created"] == 0


@pytest.mark.django_db
def test_a_contacted_guest_who_comes_back_is_won_back(regular, django_capture_on_commit_callbacks):
    nightly()
    win_back = WinBack.objects.get(guest=regular)
    manager = UserFactory(role=roles.ACCOUNT_MANAGER)
    win_back_record(win_back=win_back, by=manager, outcome="contacted", text="Offered a suite")
    with django_capture_on_commit_callbacks(execute=True):
        stay = make_stay(regular, arrival=TODAY + timedelta(days=5), nights=1)
    win_back.refresh_from_db()
    assert (win_back.outcome, win_back.next_stay) == (WinBack.Outcome.WON_BACK, stay)


@pytest.mark.django_db
def test_the_nightly_run_closes_what_an_import_brought_back(regular):
    """A stay that reached the database without the stay hook (an import) is caught nightly."""
    from guests.models import Stay

    nightly()
    Stay.objects.create(guest=regular, arrival=TODAY, departure=TODAY + timedelta(days=1))
    counts = nightly(TODAY + timedelta(days=2))
    assert counts["closed"] == 1
    assert WinBack.objects.get(guest=regular).outcome == WinBack.Outcome.RETURNED


@pytest.mark.django_db
def test_lost_needs_a_reason_and_closes_the_task(regular):
    from guests.errors import CareTaskError

    nightly()
    win_back = WinBack.objects.get(guest=regular)
    manager = UserFactory(role=roles.ACCOUNT_MANAGER)
    with pytest.raises(CareTaskError):
        win_back_record(win_back=win_back, by=manager, outcome="lost")
    with pytest.raises(CareTaskError):
        win_back_record(win_back=win_back, by=manager, outcome="lost", lost_reason="other")
    win_back_record(win_back=win_back, by=manager, outcome="lost", lost_reason="competitor")
    win_back.refresh_from_db()
    assert (win_back.outcome, win_back.lost_reason, win_back.closed_by) == (
        "lost",
        "competitor",
        manager,
    )
    assert win_back.task.status == CareTask.Status.DONE
    assert win_back.task.done_by == manager
    with pytest.raises(CareTaskError):  # closed: a second verdict is refused
        win_back_record(win_back=win_back, by=manager, outcome="contacted")


@pytest.mark.django_db
def test_a_guest_without_consent_or_erased_gets_no_task(regular):
    from django.utils import timezone

    regular.greetings_consent = False
    regular.save()
    nightly()
    assert not WinBack.objects.exists()
    regular.greetings_consent = True
    regular.erased_at = timezone.now()
    regular.save()
    nightly()
    assert not WinBack.objects.exists()
    assert not GuestValue.objects.filter(guest=regular).exists()  # erased: not valued


@pytest.mark.django_db
def test_a_quiet_corporate_account_gets_one_task_for_its_manager(db):
    from guests.models import Company

    manager = UserFactory(role=roles.ACCOUNT_MANAGER)
    company = Company.objects.create(name="Huaxin", account_manager=manager)
    big = make_guest(family_name="Big", company=company)
    small = make_guest(family_name="Small", company=company)
    make_stay(big, arrival=TODAY - timedelta(days=70), nights=3, spend_room=9000)
    make_stay(small, arrival=TODAY - timedelta(days=90), nights=1, spend_room=500)
    nightly()
    (win_back,) = WinBack.objects.filter(company=company)
    assert win_back.guest == big
    assert win_back.task.assigned_to == manager
    assert "Huaxin" in win_back.task.title
    assert nightly()["created"] == 0


@pytest.mark.django_db
def test_the_reasons_carry_the_guests_last_survey_score(regular):
    from guests.models import Stay
    from tests.factories import make_survey_response

    first, second = Stay.objects.filter(guest=regular).order_by("arrival")[:2]
    make_survey_response(first, overall=5)
    make_survey_response(second, overall=2, improve="The room was noisy")
    nightly()
    assert WinBack.objects.get(guest=regular).reasons["last_survey_score"] == 2


@pytest.mark.django_db
def test_one_guest_coming_back_closes_only_their_own_win_back(
    regular, django_capture_on_commit_callbacks
):
    from guests.models import Company

    other = make_guest(family_name="Other")
    history(other, last_departure=TODAY - timedelta(days=62), gap_days=28, stays=3)
    company = Company.objects.create(name="Acme")
    colleague = make_guest(family_name="Colleague", company=company)
    history(colleague, last_departure=TODAY - timedelta(days=62), gap_days=28, stays=3)
    nightly()
    assert WinBack.objects.filter(closed_at=None).count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        make_stay(regular, arrival=TODAY, nights=1)  # a guest of no company comes back
    still_open = WinBack.objects.filter(closed_at=None).values_list("guest__family_name", flat=True)
    assert sorted(still_open) == ["Colleague", "Other"]
