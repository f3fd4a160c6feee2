from django.http import HttpRequest

from grc.navigation import navigation_for


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None:
        return {"nav_items": []}
    match = getattr(request, "resolver_match", None)
    return {
        "nav_items": navigation_for(user),
        "nav_current": match.view_name if match else "",
    }
