from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request: HttpRequest, default: str) -> str:
    """The `next` the form asked for, if it stays on this site; otherwise `default`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    # A path on this site only: anything else ("0", a view's name) would be taken for a URL
    # name by redirect() and answer 500.
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(default)


def search_text(params, key: str, limit: int = 100) -> str:
    """A search box's text as the database can take it: NUL characters (which PostgreSQL
    refuses in any string, a 500 before) dropped, trimmed, and cut to `limit` characters."""
    return str(params.get(key, "")).replace("\x00", "").strip()[:limit]
