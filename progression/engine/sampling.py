"""Seeded, replayable random draws (NELC-28 case files, LINCS-07 KSS allocation).

A draw sorts its pool first, then uses ``random.Random(seed)``: the same pool and seed always
give the same result, so an audited draw can be replayed.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

from councils.rules.schema import RulePack, Selection
from progression.engine._pack import route_of


@dataclass(frozen=True, slots=True)
class Draw:
    pool: tuple
    seed: int | str
    chosen: tuple


def draw(pool: Iterable, count: int, seed: int | str, exclude: Iterable = ()) -> Draw:
    """Draw ``count`` items from ``pool`` minus ``exclude``; ValueError when too few."""
    excluded = set(exclude)
    ordered = tuple(sorted({p for p in pool if p not in excluded}, key=lambda x: (str(type(x)),
                                                                                   x)))
    if count > len(ordered):
        raise ValueError(f"cannot draw {count} from a pool of {len(ordered)}")
    rng = random.Random(str(seed))
    chosen = tuple(sorted(rng.sample(ordered, count), key=lambda x: (str(type(x)), x)))
    return Draw(ordered, seed, chosen)


def replay(d: Draw) -> Draw:
    """Redo a recorded draw; equal to the original when nothing was tampered with."""
    return draw(d.pool, len(d.chosen), d.seed)


def _selection(pack: RulePack, route_slug: str, method: str | None = None,
               subject: str | None = None) -> Selection:
    route = route_of(pack, route_slug)
    for s in route.selections:
        if method is not None and s.method != method:
            continue
        if subject is not None and s.subject != subject:
            continue
        return s
    raise KeyError(f"route {route_slug!r} has no such selection")


def framework_allocation(pack: RulePack, route_slug: str, seed: int | str) -> tuple[list, Draw]:
    """LINCS-07: mandatory items plus ``count`` drawn from ``from_pool``. Returns
    (allocated items sorted, the draw)."""
    sel = _selection(pack, route_slug, method="allocated")
    d = draw(sel.from_pool, sel.count or 0, seed)
    return sorted([*sel.mandatory, *d.chosen], key=lambda x: (str(type(x)), x)), d


def random_case_draw(pack: RulePack, route_slug: str, caseload: Iterable, worker_chosen: Iterable,
                     seed: int | str) -> Draw:
    """NELC-28: the random-by-role part of a case selection, excluding the worker's choices."""
    route = route_of(pack, route_slug)
    for s in route.selections:
        for part in s.parts:
            if part.method == "random-by-role":
                return draw(caseload, part.count, seed, exclude=worker_chosen)
    raise KeyError(f"route {route_slug!r} has no random-by-role selection")
