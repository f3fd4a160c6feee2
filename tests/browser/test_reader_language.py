"""Reference data reads in the reader's language (issue 15, point 3): the guest form's
preference types are Chinese on 简体中文 pages and English on English ones."""

import pytest
from playwright.sync_api import expect

from accounts import roles


@pytest.fixture
def preference_types(transactional_db):
    from guests.models import PreferenceCategory

    PreferenceCategory.objects.create(name="Pillow type", name_zh="枕头类型")
    PreferenceCategory.objects.create(name="Newspaper choice", name_zh="报纸选择")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [("zh-hans", "枕头类型", "Pillow type"), ("en", "Pillow type", "枕头类型")],
)
def test_the_guest_form_lists_preference_types_in_the_readers_language(
    page, login, user_for_role, preference_types, language, shown, hidden
):
    login(user_for_role(roles.FRONT_DESK, language=language))
    page.goto("/guests/new/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    options = page.locator("select[name$='-category'] option")
    expect(options.filter(has_text=shown).first).to_be_attached()
    texts = options.all_inner_texts()
    assert not [t for t in texts if hidden in t]
    assert not [t for t in texts if t.strip() == "---------"]
