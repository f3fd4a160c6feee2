"""Every page refused to a signed-in user is recorded in the security log."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from accounts.models import SecurityEvent
from accounts.services import security_event_record

REFUSED = (403, 404)


class DeniedAccessMiddleware:
    """Records who was refused which page, and when (403 or 404 from a view).

    A 404 from a view that exists is, for a signed-in user, an id outside their scope (or one
    that never existed): both are what someone changing ids in URLs produces, so both count.
    Unknown URLs (no view matched) are not recorded.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            response.status_code in REFUSED
            and user is not None
            and user.is_authenticated
            and getattr(request, "resolver_match", None) is not None
        ):
            security_event_record(
                kind=SecurityEvent.Kind.DENIED, request=request, status=response.status_code
            )
        return response
