"""The ticket page's panel forms come from core.templatetags.crispy_memo: the same HTML as
crispy renders, never a stale form (a new department, another language, a new version)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from accounts.models import Department
from complaints import services
from core.templatetags import crispy_memo

# the masked CSRF token differs on every response (in the forms and the htmx headers)
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


@pytest.fixture(autouse=True)
def memo_empty():
    crispy_memo.forget()
    yield
    crispy_memo.forget()


@pytest.fixture
def crispy_calls(monkeypatch):
    """How many forms crispy itself rendered (the memo's misses)."""
    calls = []
    real = crispy_memo.as_crispy_form

    def counted(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(crispy_memo, "as_crispy_form", counted)
    return calls


def page(client: Client, ticket) -> str:
    response = client.get(ticket.get_absolute_url())
    assert response.status_code == 200
    return TOKEN.sub(r"\1csrf", response.content.decode())


def test_the_page_is_the_same_as_crispy_renders_it(
    client, officer, make_ticket, crispy_calls, monkeypatch
):
    ticket = make_ticket(by=officer)
    client.force_login(officer)
    # crispy alone: nothing kept
    monkeypatch.setattr(crispy_memo, "MAX_ENTRIES", 0)
    plain = page(client, ticket)
    rendered_alone = len(crispy_calls)
    assert rendered_alone >= 4  # bring in, escalate, recovery, feedback, the timeline step…
    monkeypatch.setattr(crispy_memo, "MAX_ENTRIES", 512)
    crispy_calls.clear()
    first = page(client, ticket)
    assert len(crispy_calls) == rendered_alone
    crispy_calls.clear()
    again = page(client, ticket)
    assert crispy_calls == []  # every panel form from the memo
    assert first == plain and again == plain


def test_a_new_department_shows_in_bring_in_at_once(client, officer, make_ticket):
    ticket = make_ticket(by=officer)
    client.force_login(officer)
    assert "Spa and wellness" not in page(client, ticket)
    Department.objects.create(code="spa", name="Spa and wellness", name_zh="水疗")
    assert "Spa and wellness" in page(client, ticket)


def test_each_language_its_own_forms(client, officer, make_ticket):
    ticket = make_ticket(by=officer)
    client.force_login(officer)
    english = page(client, ticket)
    assert "What they should look at" in english
    officer.language = "zh-hans"
    officer.save(update_fields=["language"])
    chinese = page(client, ticket)
    assert "What they should look at" not in chinese
    officer.language = "en"
    officer.save(update_fields=["language"])
    assert page(client, ticket) == english


def test_the_forms_carry_the_tickets_new_version(client, officer, make_ticket):
    ticket = make_ticket(by=officer)
    client.force_login(officer)
    before = page(client, ticket)
    assert f'name="version" value="{ticket.version}"' in before
    services.ticket_acknowledge(ticket=ticket, by=officer)
    services.ticket_start(ticket=ticket, by=officer)
    ticket.refresh_from_db()
    after = page(client, ticket)
    assert f'name="version" value="{ticket.version}"' in after
    assert 'name="version" value="1"' not in after


def test_a_bound_form_is_never_kept(officer):
    from complaints.forms import StepForm

    bound = StepForm({"kind": "note", "text": ""})
    assert not bound.is_valid()
    assert crispy_memo.form_key(bound, ()) is None
    html = crispy_memo.crispy(bound)
    assert "is-invalid" in html
    assert crispy_memo.crispy(StepForm()) != html
