"""Pages a guest opens from a link (resolution feedback, the satisfaction survey …).

They open in the guest's preferred language, offer a visible switch to the other language
(``?lang=``, so the link keeps working), and carry the hotel's name (settings.HOTEL_NAME).
A view calls ``guest_page_language`` before rendering and extends ``guest_base.html``;
``guest_page_context`` gives that template what it needs.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from core.i18n import supported_language

# Each language named in itself: a guest who cannot read the page can still find theirs.
LANGUAGE_NAMES = {"en": "English", "zh-hans": "简体中文"}


def guest_page_language(request: HttpRequest, *, preferred: str | None) -> str:
    """Switch on the page's language: the guest's choice on the page (?lang=), else their
    preferred language on file, else what their browser asks for. Returns the code."""
    language = (
        supported_language(request.GET.get("lang"))
        or supported_language(preferred)
        or supported_language(translation.get_language_from_request(request))
        or settings.LANGUAGE_CODE
    )
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return language


def guest_page_context(request: HttpRequest, *, language: str) -> dict:
    """The hotel's name and the language switch for ``guest_base.html``."""
    params = request.GET.copy()
    switch = []
    for code, _name in settings.LANGUAGES:
        params["lang"] = code
        switch.append(
            {
                "code": code,
                "name": LANGUAGE_NAMES.get(code, code),
                "url": f"{request.path}?{params.urlencode()}",
                "current": code == language,
            }
        )
    return {"hotel_name": settings.HOTEL_NAME, "guest_languages": switch}
