import pytest
from django.urls import reverse

from accounts.models import Department


@pytest.mark.django_db
def test_home_greets_the_user_with_their_role(client, front_desk):
    client.force_login(front_desk)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Front desk" in response.content.decode()


@pytest.mark.django_db
def test_switching_to_chinese_renders_the_page_in_zh_hans(client, front_desk):
    client.force_login(front_desk)
    response = client.post(
        reverse("language_set"), {"language": "zh-hans", "next": reverse("home")}, follow=True
    )
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "首页" in html and "退出登录" in html


@pytest.mark.django_db
def test_the_language_choice_is_kept_for_the_user_on_another_device(client, front_desk):
    from django.test import Client

    client.force_login(front_desk)
    client.post(reverse("language_set"), {"language": "zh-hans"})
    front_desk.refresh_from_db()
    assert front_desk.language == "zh-hans"

    other_device = Client()  # no language cookie
    other_device.force_login(front_desk)
    assert "首页" in other_device.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_an_unknown_language_is_refused_politely(client, front_desk):
    client.force_login(front_desk)
    response = client.post(reverse("language_set"), {"language": "xx"}, follow=True)
    assert "That language is not available." in response.content.decode()
    front_desk.refresh_from_db()
    assert front_desk.language == ""


@pytest.mark.django_db
def test_the_language_switch_does_not_redirect_off_site(client, front_desk):
    client.force_login(front_desk)
    response = client.post(
        reverse("language_set"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_a_forbidden_page_is_a_friendly_403(client, front_desk):
    client.force_login(front_desk)
    response = client.get(reverse("departments"))
    assert response.status_code == 403
    assert "This page is not part of your role" in response.content.decode()


@pytest.mark.django_db
def test_a_missing_page_is_a_friendly_404(client, front_desk):
    client.force_login(front_desk)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


@pytest.mark.django_db
def test_a_manager_lists_departments_with_their_staff_in_one_query(
    client, manager, django_assert_num_queries
):
    client.force_login(manager)
    # session, user, the user's and the role's permissions (cached for the request), then one
    # query for the departments with their staff counts, however many there are
    with django_assert_num_queries(5):
        response = client.get(reverse("departments"))
    assert response.status_code == 200
    assert "Housekeeping" in response.content.decode()


@pytest.mark.django_db
def test_a_manager_adds_a_department(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("department_create"),
        {"code": "spa", "name": "Spa", "name_zh": "水疗中心", "sort_order": 70, "is_active": "on"},
    )
    assert response.status_code == 302
    assert Department.objects.get(code="spa").name_zh == "水疗中心"


@pytest.mark.django_db
def test_a_bad_department_form_keeps_what_was_typed(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("department_create"),
        {"code": "front-office", "name": "Front office two", "sort_order": 5},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Front office two" in html
    assert "already exists" in html


@pytest.mark.django_db
def test_front_desk_cannot_edit_a_department(client, front_desk):
    client.force_login(front_desk)
    pk = Department.objects.get(code="housekeeping").pk
    response = client.post(reverse("department_edit", args=[pk]), {"name": "Hacked"})
    assert response.status_code == 403
    assert Department.objects.get(pk=pk).name == "Housekeeping"


@pytest.mark.django_db
def test_the_password_change_page_uses_the_app_layout(client, front_desk):
    client.force_login(front_desk)
    html = client.get(reverse("password_change")).content.decode()
    assert 'data-testid="nav"' in html and "Change password" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "admin:notifications_notification_changelist",
        "admin:notifications_messagetemplate_changelist",
        "admin:guests_caretask_changelist",
        "admin:accounts_department_changelist",
        "admin:accounts_user_changelist",
    ],
)
def test_the_administrator_manages_messages_tasks_and_staff_in_the_admin(
    client, administrator, url
):
    client.force_login(administrator)
    assert client.get(reverse(url), {"q": "x"}).status_code == 200


@pytest.mark.django_db
def test_the_front_desk_home_lists_todays_arrivals_returning_guests_first(
    client, front_desk, django_assert_max_num_queries
):
    from datetime import timedelta

    from django.utils import timezone

    from guests.models import PreferenceCategory
    from tests.factories import make_guest, make_stay

    today = timezone.localdate()
    pillow = PreferenceCategory.objects.create(name="Pillow", name_zh="枕头")
    regular = make_guest(
        family="Regular",
        salutation="Mr. Regular",
        birthday=(today.month, today.day),
        preferences=[{"category": pillow, "value": "buckwheat"}],
    )
    for years in (1, 2):
        make_stay(regular, arrival=today - timedelta(days=365 * years))
    make_stay(regular, arrival=today, nights=1, room_number="1208")
    for i in range(12):
        make_stay(make_guest(family=f"New{i}"), arrival=today, nights=3)

    client.force_login(front_desk)
    # session, user, roles, then each home block: arrivals (ids, rows, stay counts, preferences),
    # VIPs in the house, in-house guests with open complaints — whatever the number of arrivals
    with django_assert_max_num_queries(11):
        html = client.get(reverse("home")).content.decode()
    assert html.count("data-arrival=") == 13
    first = html.index("data-arrival=")
    assert html.index("Mr. Regular") > first and html.index("Mr. Regular") < html.index("New0")
    assert "Returning · 2 stays" in html and "1208" in html and "Birthday today" in html
    assert "Pillow: buckwheat" in html and "First stay" in html


@pytest.mark.django_db
def test_a_role_without_guests_sees_no_arrivals(client, user_for_role):
    from accounts import roles

    user = user_for_role(roles.ACCOUNT_MANAGER)
    user.groups.clear()
    client.force_login(user)
    assert "Arriving today" not in client.get(reverse("home")).content.decode()
