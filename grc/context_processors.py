from django.http import HttpRequest

from grc.navigation import navigation_for


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None:
        return {"nav_items": [], "nav_menu_items": []}
    match = getattr(request, "resolver_match", None)
    items = navigation_for(user)
    return {
        "nav_items": items,
        "nav_menu_items": [item for item in items if item.in_menu],
        "nav_current": match.view_name if match else "",
    }
