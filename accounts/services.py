"""Writes for staff accounts: the security log (sign-ins, failures, lock-outs, refusals)."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import SecurityEvent, User


def request_ip(request: HttpRequest | None) -> str | None:
    """The peer's address. The TLS proxy in front must pass the real one as REMOTE_ADDR
    (gunicorn --forwarded-allow-ips); a client-sent X-Forwarded-For is never trusted here."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def security_event_record(
    *,
    kind: str,
    request: HttpRequest | None = None,
    user: User | None = None,
    username: str = "",
    status: int | None = None,
) -> SecurityEvent:
    """Record one event; long values are cut to their column (a 10,000-character user name
    typed at the sign-in form is recorded, not a 500)."""
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        user = candidate if candidate is not None and candidate.is_authenticated else None
    if user is not None and not username:
        username = user.get_username()
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or "")[:150],
        ip=request_ip(request),
        method=(request.method or "")[:10] if request is not None else "",
        path=request.get_full_path()[:500] if request is not None else "",
        status=status,
    )


def signin_username(request: HttpRequest | None, credentials: dict | None = None) -> str:
    """The user name a sign-in attempt typed, cut to the column that keeps it (django-axes
    and the security log): a 10,000-character name is refused, never a 500."""
    typed = ""
    if credentials:
        typed = credentials.get("username") or ""
    elif request is not None:
        typed = request.POST.get("username", "")
    return str(typed)[:150]
