"""Per-pack precomputation (lookups by slug), cached on the pack object.

The engine never re-validates a pack: packs are validated once by the loader, and the hot
paths only read plain attributes and these dictionaries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from councils.rules.schema import Level, Route, RulePack

_CACHE: dict[int, tuple[RulePack, CompiledPack]] = {}


@dataclass(frozen=True, slots=True)
class CompiledPack:
    routes: dict[str, Route]
    levels: dict[str, Level]
    level_order: dict[str, int]
    region: str
    asye_route: Route | None
    reapply: dict[str, dict[str, Any]]  # route -> outcome -> Duration


def compiled(pack: RulePack) -> CompiledPack:
    """The cached lookups of ``pack`` (built on first use)."""
    hit = _CACHE.get(id(pack))
    if hit is not None and hit[0] is pack:
        return hit[1]
    routes = {r.slug: r for r in pack.routes}
    asye = next((r for r in pack.routes if r.kind == "asye"), None)
    reapply: dict[str, dict[str, Any]] = {}
    for r in pack.routes:
        for o in r.outcomes:
            if o.effect.reapply is not None and o.effect.reapply.after is not None:
                reapply.setdefault(r.slug, {})[o.slug] = o.effect.reapply.after
    c = CompiledPack(
        routes=routes,
        levels={lv.slug: lv for lv in pack.levels},
        level_order={lv.slug: lv.order for lv in pack.levels},
        region=pack.council.region,
        asye_route=asye,
        reapply=reapply,
    )
    if len(_CACHE) > 256:  # packs re-read per request must not accumulate
        _CACHE.clear()
    _CACHE[id(pack)] = (pack, c)  # keeps the pack alive, so the id is not reused
    return c


def route_of(pack: RulePack, slug: str) -> Route:
    try:
        return compiled(pack).routes[slug]
    except KeyError:
        raise KeyError(f"{pack.council.slug} has no route {slug!r}") from None


def programme_of(pack: RulePack, route_slug: str | None = None):
    """The ASYE programme (of ``route_slug`` or the pack's first ``asye`` route), or None."""
    c = compiled(pack)
    route = c.routes.get(route_slug) if route_slug else c.asye_route
    return route.programme if route is not None else None
