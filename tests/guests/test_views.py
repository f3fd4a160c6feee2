import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import roles
from core.seams import CardPanel
from guests.models import Company, Guest, GuestAccessLog
from tests.factories import make_company, make_guest, make_stay
from tests.support.seams import register_keyed

# Each page, the roles that may open it, and one that may not.
PAGES = [
    ("guests:list", False, {roles.FRONT_DESK, roles.DEPARTMENT_HEAD, roles.MANAGER}, None),
    ("guests:search", False, {roles.FRONT_DESK, roles.ACCOUNT_MANAGER}, None),
    ("guests:create", False, {roles.FRONT_DESK, roles.GUEST_RELATIONS}, roles.DEPARTMENT_HEAD),
    ("guests:detail", True, {roles.FRONT_DESK, roles.DEPARTMENT_HEAD}, None),
    ("guests:edit", True, {roles.GUEST_RELATIONS, roles.MANAGER}, roles.FRONT_DESK),
    ("guests:stays", True, {roles.FRONT_DESK}, None),
    ("guests:stay_create", True, {roles.FRONT_DESK}, roles.DEPARTMENT_HEAD),
    ("guests:companies", False, {roles.ACCOUNT_MANAGER, roles.MANAGER}, roles.FRONT_DESK),
    ("guests:company_create", False, {roles.ACCOUNT_MANAGER}, roles.GUEST_RELATIONS),
    ("guests:access_log", False, {roles.MANAGER, roles.ADMINISTRATOR}, roles.ACCOUNT_MANAGER),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "with_pk", "allowed", "refused"), PAGES, ids=[p[0] for p in PAGES]
)
def test_each_page_is_for_signed_in_staff_with_the_right_role(
    client, user_for_role, chen, name, with_pk, allowed, refused
):
    url = reverse(name, args=[chen.pk] if with_pk else [])
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    for role in allowed:
        client.force_login(user_for_role(role))
        assert client.get(url).status_code == 200, role.name
    if refused:
        client.force_login(user_for_role(refused))
        assert client.get(url).status_code == 403, refused.name


@pytest.mark.django_db
def test_company_pages_and_stay_editing_check_their_permissions(client, user_for_role, chen):
    company = make_company()
    stay = chen.stays.first()
    checks = [
        (reverse("guests:company", args=[company.pk]), roles.GUEST_RELATIONS, roles.FRONT_DESK),
        (reverse("guests:company_edit", args=[company.pk]), roles.MANAGER, roles.GUEST_RELATIONS),
        (reverse("guests:stay_edit", args=[stay.pk]), roles.FRONT_DESK, roles.DEPARTMENT_HEAD),
    ]
    for url, allowed, refused in checks:
        client.logout()
        assert client.get(url).status_code == 302
        client.force_login(user_for_role(refused))
        assert client.get(url).status_code == 403, url
        client.force_login(user_for_role(allowed))
        assert client.get(url).status_code == 200, url


# --- Lookup -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_page_carries_the_one_search_box(client, front_desk):
    client.force_login(front_desk)
    html = client.get(reverse("home")).content.decode()
    assert html.count("data-global-search") == 1
    assert 'action="/guests/search/"' in html and 'hx-get="/guests/search/"' in html


@pytest.mark.django_db
def test_the_search_gives_a_fragment_to_htmx_and_a_full_page_without_it(client, front_desk, chen):
    client.force_login(front_desk)
    url = reverse("guests:search") + "?q=伟明"
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'role="option"' in fragment and "陈生" in fragment
    page = client.get(url).content.decode()
    assert "<html" in page and "陈生" in page and f"/guests/{chen.pk}/" in page
    assert 'value="伟明"' in page  # the box keeps what was typed


@pytest.mark.django_db
def test_front_desk_search_results_show_the_phone_masked(client, front_desk, officer, chen):
    client.force_login(front_desk)
    html = client.get(reverse("guests:search") + "?q=8000").content.decode()
    assert "•••••••••8000" in html and "+8613800138000" not in html
    client.force_login(officer)
    assert "+8613800138000" in client.get(reverse("guests:search") + "?q=8000").content.decode()


def _view_queries(client, url, **headers) -> int:
    client.get(url, headers=headers)  # warm the session and permission caches alike
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, headers=headers).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_the_lookup_page_runs_the_same_queries_for_3_results_as_for_20(client, front_desk, today):
    company = make_company()
    for i in range(3):
        make_guest(family_name="Liang", given_name=f"A{i}", company=company)
    for i in range(25):
        guest = make_guest(family_name="Zheng", given_name=f"B{i}", phones=[f"1390013{i:04d}"])
        make_stay(guest, arrival=today - timedelta(days=40 + i))
    client.force_login(front_desk)
    few = _view_queries(client, reverse("guests:search") + "?q=liang", HX_Request="true")
    many = _view_queries(client, reverse("guests:search") + "?q=zheng", HX_Request="true")
    assert few == many


# --- The guest card -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_front_desk_sees_the_card_with_contact_details_masked_and_nothing_is_logged(
    client, front_desk, chen
):
    client.force_login(front_desk)
    html = client.get(reverse("guests:detail", args=[chen.pk])).content.decode()
    assert "陈生" in html and "Returning guest · 3 stays" in html and "Birthday" in html
    assert "buckwheat" in html
    assert "+8613800138000" not in html and "•••••••••8000" in html
    assert "weiming.chen@example.com" not in html and ".com" in html
    assert not GuestAccessLog.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [roles.GUEST_RELATIONS, roles.ACCOUNT_MANAGER, roles.MANAGER])
def test_roles_that_keep_in_touch_see_contact_details_and_each_view_is_logged(
    client, user_for_role, chen, role
):
    user = user_for_role(role)
    client.force_login(user)
    html = client.get(reverse("guests:detail", args=[chen.pk])).content.decode()
    assert "+8613800138000" in html and "weiming.chen@example.com" in html
    client.get(reverse("guests:detail", args=[chen.pk]))
    assert GuestAccessLog.objects.filter(guest=chen, user=user).count() == 2


@pytest.mark.django_db
def test_a_department_head_sees_the_guest_without_contact_details(client, department_head, chen):
    client.force_login(department_head)
    html = client.get(reverse("guests:detail", args=[chen.pk])).content.decode()
    assert "陈生" in html and "+8613800138000" not in html


@pytest.mark.django_db
def test_the_front_desk_gets_a_discreet_cue_but_never_the_reason(client, front_desk, manager, chen):
    company = make_company(name="Huaxin Trading", charge_privilege=Company.ChargePrivilege.ACTIVE)
    chen.company = company
    chen.save()
    from guests import services

    services.company_charge_pause(company=company, by=manager, reason="Overdue since March")
    url = reverse("guests:detail", args=[chen.pk])
    client.force_login(front_desk)
    html = client.get(url).content.decode()
    cue = re.search(r'<details class="charge-cue".*?</details>', html, re.S).group(0)
    assert "speak with the guest privately" in cue
    assert "Overdue since March" not in html
    assert "text-bg-danger" not in cue and "alert" not in cue  # no red alarm on the screen
    client.force_login(manager)
    assert "Overdue since March" in client.get(url).content.decode()


@pytest.mark.django_db
def test_registered_panels_render_in_order_and_a_loyalty_place_waits_when_none_is_there(
    client, front_desk, chen, clean_seams, settings
):
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "APP_DIRS": False,
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {"panel_b.html": "<p>B for {{ name }}</p>", "panel_a.html": "<p>A</p>"},
                    ),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]
    url = reverse("guests:detail", args=[chen.pk])
    client.force_login(front_desk)
    html = client.get(url).content.decode()
    assert 'data-card-panel="loyalty"' in html and "Loyalty tier and points will appear" in html

    register_keyed(
        clean_seams.card_panels,
        CardPanel(
            "complaints", "panel_b.html", lambda *, guest, user: {"name": guest.salutation}, 10
        ),
    )
    register_keyed(clean_seams.card_panels, CardPanel("first", "panel_a.html", lambda **kw: {}, 1))
    register_keyed(clean_seams.card_panels, CardPanel("hidden", "panel_a.html", lambda **kw: None))
    html = client.get(url).content.decode()
    assert html.index("<p>A</p>") < html.index("<p>B for 陈生</p>")
    assert 'data-card-panel="hidden"' not in html


@pytest.mark.django_db
def test_the_card_page_runs_the_same_queries_whatever_the_history(client, officer, today, pillow):
    one = make_guest(family_name="One", phones=["13800138000"])
    make_stay(one, arrival=today - timedelta(days=50))
    many = make_guest(
        family_name="Many",
        phones=["13900139000", "13700137000"],
        relatives=[{"relation": "other", "name": f"F{i}"} for i in range(5)],
        preferences=[{"category": pillow, "value": "feather"}],
    )
    for n in range(30):
        make_stay(many, arrival=today - timedelta(days=20 * (n + 1)))
    client.force_login(officer)
    assert _view_queries(client, reverse("guests:detail", args=[one.pk])) == _view_queries(
        client, reverse("guests:detail", args=[many.pk])
    )


@pytest.mark.django_db
def test_an_erased_or_unknown_guest_is_not_found(client, front_desk, chen):
    from django.utils import timezone

    Guest.objects.filter(pk=chen.pk).update(erased_at=timezone.now())
    client.force_login(front_desk)
    assert client.get(reverse("guests:detail", args=[chen.pk])).status_code == 404
    assert client.get(reverse("guests:detail", args=[999999])).status_code == 404


# --- Lists --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_guest_list_filters_and_pages_with_constant_queries(client, front_desk, today):
    for i in range(3):
        make_guest(family_name=f"Vip{i}", vip_level=1)
    client.force_login(front_desk)
    small = _view_queries(client, reverse("guests:list") + "?vip=1")
    for i in range(60):
        guest = make_guest(family_name=f"Z{i:02d}", vip_level=1)
        make_stay(guest, arrival=today - timedelta(days=30))
    large = _view_queries(client, reverse("guests:list") + "?vip=1")
    assert small == large
    html = client.get(reverse("guests:list") + "?vip=1&page=2").content.decode()
    assert "Page 2 of 2" in html and "vip=1&amp;page=1" in html
    response = client.get(reverse("guests:list") + "?vip=9")
    assert response.status_code == 422


# --- Companies ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_account_manager_creates_a_company_with_a_contact(client, account_manager):
    client.force_login(account_manager)
    response = client.post(
        reverse("guests:company_create"),
        {
            "name": "Lingnan Textiles",
            "charge_privilege": "active",
            "currency": "cny",
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "0",
            "contacts-0-name": "Ms. Li",
            "contacts-0-phone": "139 0013 9000",
        },
    )
    company = Company.objects.get(name="Lingnan Textiles")
    assert response.status_code == 302
    assert company.currency == "CNY" and company.contacts.get().phone == "+8613900139000"


@pytest.mark.django_db
def test_only_managers_pause_and_resume_and_only_they_read_the_reason(
    client, account_manager, manager
):
    company = make_company(charge_privilege=Company.ChargePrivilege.ACTIVE)
    pause = reverse("guests:company_pause", args=[company.pk])
    client.force_login(account_manager)
    assert client.post(pause, {"reason": "x"}).status_code == 403

    client.force_login(manager)
    response = client.post(pause, {"reason": ""})
    assert response.status_code == 422
    assert client.post(pause, {"reason": "Overdue invoices"}).status_code == 302
    company.refresh_from_db()
    assert company.charge_privilege == "paused" and company.charge_paused_by == manager

    client.force_login(account_manager)
    page = client.get(reverse("guests:company", args=[company.pk])).content.decode()
    assert "Overdue invoices" not in page and "Paused" in page

    client.force_login(manager)
    assert (
        "Overdue invoices"
        in client.get(reverse("guests:company", args=[company.pk])).content.decode()
    )
    client.post(reverse("guests:company_resume", args=[company.pk]))
    company.refresh_from_db()
    assert company.charge_privilege == "active" and company.charge_resumed_by == manager


# --- Access log ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_managers_list_the_access_log_filtered_by_guest_user_and_date(
    client, officer, account_manager, manager, chen, today
):
    other = make_guest(family_name="Other")
    GuestAccessLog.objects.create(guest=chen, user=officer)
    GuestAccessLog.objects.create(guest=other, user=account_manager)
    client.force_login(manager)
    url = reverse("guests:access_log")

    def rows(query):
        return client.get(url + query).content.decode().count('data-testid="access-record"')

    assert rows("") == 2
    assert rows(f"?guest={chen.pk}") == 1
    assert rows(f"?user={account_manager.pk}") == 1
    assert rows(f"?date_from={today.isoformat()}") == 2
    assert rows(f"?date_to={(today - timedelta(days=2)).isoformat()}") == 0
    response = client.get(url + "?guest=999999")
    assert (
        response.status_code == 422
        and "There is no guest with that number." in response.content.decode()
    )


# --- Fixes: in-house first stays, logged edit views ---------------------------------------------


@pytest.mark.django_db
def test_a_first_time_guest_in_house_shows_in_house_on_the_card_lookup_and_complaint_picker(
    client, front_desk, today
):
    guest = make_guest(family_name="Zhou", given_name="Jie")
    make_stay(guest, arrival=today - timedelta(days=1), nights=3, room_number="1203")
    client.force_login(front_desk)

    card = client.get(reverse("guests:detail", args=[guest.pk])).content.decode()
    assert "Returning guest" not in card and "First stay" in card
    assert "In-house · room 1203" in card

    row = client.get(reverse("guests:search") + "?q=zhou", headers={"HX-Request": "true"})
    row = row.content.decode()
    assert "In-house · room 1203" in row and "First stay" in row
    assert "1 stay" not in row and "No stays yet" not in row

    picker = client.get(reverse("complaints:guest_search") + "?guest_query=zhou")
    picker = picker.content.decode()
    assert f'value="{guest.pk}"' in picker
    assert "In-house · room 1203" in picker and "Returning guest" not in picker


@pytest.mark.django_db
def test_a_returning_guest_in_house_again_is_returning_with_the_stays_that_ended(
    client, front_desk, chen, today
):
    make_stay(chen, arrival=today - timedelta(days=1), nights=3, room_number="1805")
    client.force_login(front_desk)
    card = client.get(reverse("guests:detail", args=[chen.pk])).content.decode()
    from core.formatting import day_text

    last = day_text(today - timedelta(days=28))  # the reader's date convention
    assert f"Returning guest · 3 stays · last {last}" in card
    assert "In-house · room 1805" in card
    picker = client.get(reverse("complaints:guest_search") + "?guest_query=陈伟明")
    picker = picker.content.decode()
    assert "Returning guest · 3 stays" in picker and "In-house · room 1805" in picker


@pytest.mark.django_db
def test_opening_the_edit_form_is_logged_once_as_a_full_contact_view(client, officer, chen):
    client.force_login(officer)
    url = reverse("guests:edit", args=[chen.pk])
    page = client.get(url).content.decode()
    assert 'value="+8613800138000"' in page and "weiming.chen@example.com" in page
    assert GuestAccessLog.objects.filter(guest=chen, user=officer).count() == 1
    # A form sent back with a mistake shows what was typed: not a new view of the record.
    assert client.post(url, {"family_name": ""}).status_code == 422
    assert GuestAccessLog.objects.filter(guest=chen, user=officer).count() == 1
    client.get(url)
    assert GuestAccessLog.objects.filter(guest=chen, user=officer).count() == 2
