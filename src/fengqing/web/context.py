"""Template context every page shares: who is logged in, in which role, and which units they may switch to."""

from __future__ import annotations

from .views.base import scope_of

#: above this many units the picker is a search box: a list of a thousand units on every page would cost more
#: than the page itself
PICKER_MAX = 50


def nav(request) -> dict:
    if not request.user.is_authenticated:
        return {}
    scope = scope_of(request)
    if len(scope.unit_ids) > PICKER_MAX:
        return {"scope": scope, "many_units": len(scope.unit_ids)}
    return {"scope": scope, "my_units": list(scope.units().only("id", "short_name", "name"))}
