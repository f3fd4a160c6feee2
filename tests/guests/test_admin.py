import pytest
from django.contrib import admin
from django.urls import reverse

from guests import models

GUEST_MODELS = [
    models.Company,
    models.CompanyContact,
    models.Guest,
    models.GuestPhone,
    models.FamilyMember,
    models.SpecialDate,
    models.PreferenceCategory,
    models.Preference,
    models.Stay,
    models.GuestAccessLog,
    models.GuestDocument,
    models.DuplicatePair,
    models.GuestMerge,
]


def test_every_guests_model_is_in_the_admin_with_search_and_filters():
    for model in GUEST_MODELS:
        model_admin = admin.site._registry[model]
        assert model_admin.search_fields and model_admin.list_filter, model.__name__


@pytest.mark.django_db
@pytest.mark.parametrize("model", GUEST_MODELS, ids=lambda m: m.__name__)
def test_each_admin_list_opens_and_searches(client, administrator, chen, model):
    client.force_login(administrator)
    url = reverse(f"admin:guests_{model._meta.model_name}_changelist")
    assert client.get(url, {"q": "陈"}).status_code == 200
    assert client.get(reverse(f"admin:guests_{model._meta.model_name}_add")).status_code in (
        200,
        403,
    )


@pytest.mark.django_db
def test_front_desk_staff_cannot_open_the_admin(client, front_desk):
    client.force_login(front_desk)
    response = client.get(reverse("admin:guests_guest_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
