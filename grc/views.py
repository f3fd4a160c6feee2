from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import roles_of
from core import seams
from core.http import next_url
from grc import health


@dataclass(frozen=True)
class HomeBlock:
    template: str
    context: dict


def home(request: HttpRequest) -> HttpResponse:
    """What each person needs first today: the blocks the apps offer to their role."""
    blocks = []
    for block in seams.home_blocks.all():
        context = block.context(user=request.user)
        if context is not None:
            blocks.append(HomeBlock(block.template, context))
    return render(request, "grc/home.html", {"roles": roles_of(request.user), "blocks": blocks})


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker status for load balancers and monitors; 503 if either is down."""
    database_error = health.database_check()
    broker_error = health.broker_check()
    ok = database_error is None and broker_error is None
    body = {
        "status": "ok" if ok else "error",
        "database": {"ok": database_error is None, "error": database_error},
        "broker": {"ok": broker_error is None, "error": broker_error},
        "scheduler": {"last_heartbeat": health.last_heartbeat() if broker_error is None else None},
    }
    return JsonResponse(body, status=200 if ok else 503)


@login_not_required
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in user keeps the choice on every device."""
    code = request.POST.get("language", "")
    target = next_url(request, "home")
    if code not in dict(settings.LANGUAGES):
        messages.error(request, _("That language is not available."))
        return HttpResponseRedirect(target)
    if request.user.is_authenticated and request.user.language != code:
        request.user.language = code
        request.user.save(update_fields=["language"])
    translation.activate(code)
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response
