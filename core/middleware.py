"""Refusals that escape a view: shown to the user with their status, never a 500."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from core.errors import GrcError


class LanguageScopeMiddleware:
    """A request's language ends with the request.

    The locale middleware, a signed-in user's choice and a guest's page each switch the
    thread's language for their request; without this, the thread keeps the last one, and
    whatever runs next in it (a test's own checks, code outside a request) speaks it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with translation.override(translation.get_language()):
            return self.get_response(request)


class RefusalMiddleware:
    """Answer a GrcError raised by a view with its translated message and its status.

    An htmx request gets the message as an alert fragment swapped into the page's messages
    area; any other request gets a page with the message and a way back to where it came from.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, GrcError):
            return None
        context = {"message": str(exception), "back": _back_url(request)}
        if getattr(request, "htmx", False):
            response = render(request, "core/_refusal.html", context, status=exception.status)
            response["HX-Retarget"] = "#messages"
            response["HX-Reswap"] = "innerHTML"
            return response
        return render(request, "core/refused.html", context, status=exception.status)


def _back_url(request: HttpRequest) -> str:
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""
