"""What happens when a recovery action takes effect, per kind: the seam other apps plug into.

Loyalty registers a handler for "loyalty_points" from its AppConfig.ready():

    recovery_effect_register("loyalty_points", points_award_for_recovery)

The handler is called as handler(action=..., by=...) inside the transaction that grants the
action, so if it fails (say the guest has no loyalty account) nothing is granted. A kind with no
handler takes effect by being recorded on the ticket, which is all an apology or a gift needs.
"""

from __future__ import annotations

from collections.abc import Callable

RecoveryEffect = Callable[..., None]

_effects: dict[str, RecoveryEffect] = {}


def recovery_effect_register(kind: str, handler: RecoveryEffect) -> None:
    """Make `handler` run whenever a recovery action of `kind` takes effect."""
    _effects[kind] = handler


def recovery_effect_unregister(kind: str) -> None:
    _effects.pop(kind, None)


def recovery_effect_for(kind: str) -> RecoveryEffect | None:
    return _effects.get(kind)


def recovery_effect_apply(*, action, by) -> None:
    """Run the registered effect of the action's kind, if any (inside the caller's transaction)."""
    handler = _effects.get(action.kind)
    if handler is not None:
        handler(action=action, by=by)
