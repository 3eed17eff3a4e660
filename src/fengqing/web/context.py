"""Template context every page shares: who is logged in, in which role, and which units they may switch to."""

from __future__ import annotations

from .views.base import scope_of


def nav(request) -> dict:
    if not request.user.is_authenticated:
        return {}
    scope = scope_of(request)
    return {"scope": scope, "my_units": list(scope.units().only("id", "short_name", "name"))}
