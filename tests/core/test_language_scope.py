"""A request's language ends with the request (core.middleware.LanguageScopeMiddleware)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_guest, make_ticket


@pytest.mark.django_db
def test_a_guest_page_in_chinese_leaves_the_language_as_it_found_it(client, officer, front_desk):
    from django.utils import translation

    from complaints import services

    ticket = make_ticket(by=front_desk, guest=make_guest(language="zh-hans"))
    services.ticket_acknowledge(ticket=ticket, by=officer)
    services.ticket_start(ticket=ticket, by=officer)
    ticket = services.ticket_resolve(ticket=ticket, by=officer, note="Fixed.")
    token = services.feedback_token_make(ticket=ticket)
    with translation.override("en"):
        page = client.get(reverse("complaints:feedback_public", args=[token]))
        assert 'lang="zh-hans"' in page.content.decode()
        assert translation.get_language() == "en"
