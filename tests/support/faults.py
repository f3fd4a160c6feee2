"""Stand-ins for a service that fails for a passing reason, to test how a task rides it out."""

from __future__ import annotations

from collections.abc import Callable


def fail_once(real: Callable, exc: BaseException) -> Callable:
    """Behaves as `real`, except that the first call raises `exc`. `.calls` counts the calls."""

    def flaky(*args, **kwargs):
        flaky.calls += 1
        if flaky.calls == 1:
            raise exc
        return real(*args, **kwargs)

    flaky.calls = 0
    return flaky


def fail_always(exc: BaseException) -> Callable:
    """Raises `exc` on every call. `.calls` counts the calls."""

    def broken(*args, **kwargs):
        broken.calls += 1
        raise exc

    broken.calls = 0
    return broken
