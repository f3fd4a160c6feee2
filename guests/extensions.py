"""How other apps add to the guest card and the front-desk lookup.

The guests app must not import complaints or loyalty (they build on it, not the other way
round), yet the card shows open complaints and the loyalty tier, and the lookup finds a guest
by member number. So those apps register here, from their AppConfig.ready():

    card_panel_register(CardPanel(key="loyalty", template="loyalty/card_panel.html",
                                  context=loyalty_card_context, order=20))
    lookup_provider_register(LookupProvider(key="loyalty", match=member_guest_ids,
                                            annotate=member_badges))
    stay_hook_register("loyalty_stay_points", stay_points_on_save)

Every card and lookup callable must run a constant number of queries, whatever the guest's
history: the guest card and the lookup are asserted to run a constant number of queries in tests.

Stay hooks are told, after the transaction commits, that a stay was recorded or changed (loyalty
posts the points of a stay that has ended). They take the stay's id, load what they need, and
must be safe to run twice: saving a stay again calls them again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class CardPanel:
    """A section of the guest card supplied by another app."""

    key: str
    template: str
    # (*, guest, user) -> template context, or None to leave the panel out for this user
    context: Callable[..., dict | None]
    order: int = 100


@dataclass(frozen=True)
class LookupProvider:
    """Adds to the front-desk lookup: more ways to find a guest, more to show per result."""

    key: str
    # (query) -> ids of guests an exact code finds (e.g. a member number); None: no such code
    match: Callable[[str], Iterable[int]] | None = None
    # (guest ids) -> {guest id: [display strings]}: badges shown on each result row, already
    # translated and formatted for the user's language; one query for all rows
    annotate: Callable[[Sequence[int]], dict[int, Sequence[str]]] | None = None


# (stay id) -> None; runs after the stay's transaction commits; safe to run twice
StayHook = Callable[[int], None]


_card_panels: dict[str, CardPanel] = {}
_lookup_providers: dict[str, LookupProvider] = {}
_stay_hooks: dict[str, StayHook] = {}


def card_panel_register(panel: CardPanel) -> None:
    _card_panels[panel.key] = panel


def lookup_provider_register(provider: LookupProvider) -> None:
    _lookup_providers[provider.key] = provider


def card_panels() -> list[CardPanel]:
    return sorted(_card_panels.values(), key=lambda panel: (panel.order, panel.key))


def lookup_providers() -> list[LookupProvider]:
    return list(_lookup_providers.values())


def stay_hook_register(name: str, hook: StayHook) -> None:
    _stay_hooks[name] = hook


def stay_hooks() -> list[StayHook]:
    return [_stay_hooks[name] for name in sorted(_stay_hooks)]
