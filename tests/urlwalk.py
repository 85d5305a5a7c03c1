"""Walk the URLconf: every pattern under ``/<council_slug>/`` with its view and keywords.

Shared by the isolation test and the role test, so a new council view is covered by both
without anyone remembering to add it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class CouncilRoute:
    route: str  # e.g. "<slug:council_slug>/manage/people/<int:membership_id>/"
    name: str | None
    callback: Callable

    @property
    def kwargs(self) -> list[str]:
        return [m.group("name") for m in _PARAM.finditer(self.route)]

    def url(self, values: dict[str, object]) -> str:
        return "/" + _PARAM.sub(lambda m: str(values[m.group("name")]), self.route)

    @property
    def council_roles(self) -> frozenset[str] | None:
        """The roles declared with ``council_view(...)``; None when the view does not use it."""
        roles = getattr(self.callback, "council_roles", None)
        view_class = getattr(self.callback, "view_class", None)
        if roles is None and view_class is not None:
            roles = getattr(view_class.dispatch, "council_roles", None)
        return roles

    def __str__(self) -> str:
        return f"/{self.route} ({self.name or self.callback.__qualname__})"


def _walk(patterns: list, prefix: str) -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if not isinstance(entry.pattern, RoutePattern):
            route = None
        else:
            route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route is None:
                # A regex include (the admin's internals): council URLs never use re_path.
                if "council_slug" in str(entry.pattern.regex.pattern):
                    raise AssertionError(f"Use path(), not re_path(), for council URLs: {entry}")
                continue
            yield from _walk(entry.url_patterns, route)
        elif route is not None:
            yield route, entry
        elif "council_slug" in str(entry.pattern.regex.pattern):
            raise AssertionError(f"Use path(), not re_path(), for council URLs: {entry}")


def council_routes() -> list[CouncilRoute]:
    """Every URL pattern whose route has a ``council_slug`` keyword."""
    return [
        CouncilRoute(route=route, name=pattern.name, callback=pattern.callback)
        for route, pattern in _walk(get_resolver().url_patterns, "")
        if "council_slug" in [m.group("name") for m in _PARAM.finditer(route)]
    ]
