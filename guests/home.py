"""The front desk's blocks on the home page (core.seams.home_blocks)."""

from __future__ import annotations

from accounts import roles
from guests.selectors import arrivals_today, in_house_vips


def arrivals_block(*, user) -> dict | None:
    """Today's arrivals with what recognition needs; three queries whatever their number."""
    if not (roles.holds_role(user, roles.FRONT_DESK) and user.has_perm("guests.view_guest")):
        return None
    return {"arrivals": arrivals_today()}


def vips_block(*, user) -> dict | None:
    """VIP guests in-house today; one query."""
    if not (roles.holds_role(user, roles.FRONT_DESK) and user.has_perm("guests.view_guest")):
        return None
    return {"vips": in_house_vips()}
