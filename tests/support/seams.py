"""Registering a keyed item (a CardPanel, a LookupProvider) under its own key, for tests."""

from core.seams import Seam


def register_keyed(seam: Seam, item) -> None:
    seam.register(item.key, item)
