"""Engine benchmark (issue 4, Performance).

Generates 10,000 workers of one council and answers eligibility for every route of its pack,
then builds 1,000 portfolios and runs the checklist of each route that has evidence
requirements. The pack is loaded once. Prints totals and per-item figures.

    .venv/bin/python bench/engine.py [--council derbyshire] [--workers 10000] [--portfolios 1000]

Generated data is seeded (``random.Random(2026)``), so runs are comparable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from councils.rules.loader import load_pack_file, pack_dir  # noqa: E402
from progression.engine import (  # noqa: E402
    Absence,
    AsyeRecord,
    Attempt,
    EvidenceItem,
    HoursEntry,
    PersonRecord,
    checklist,
    route_eligibility,
)

ON = dt.date(2026, 9, 1)
ROLES = ("line-manager", "practice-supervisor", "team-manager", "assessor", "group-manager",
         "principal-manager", "practice-lead", "asye-lead", "lead-assessor", "social-worker")


def _day(rng: random.Random, start: dt.date, span_days: int) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(span_days))


def make_worker(rng: random.Random, levels: list[str], routes: list[str]) -> PersonRecord:
    qualified = _day(rng, dt.date(2018, 1, 1), 8 * 365)
    registered = qualified + dt.timedelta(days=rng.randrange(10, 120))
    hours = [HoursEntry(registered, rng.choice([1.0, 1.0, 1.0, 0.8, 0.6, 0.5]))]
    if rng.random() < 0.3:
        hours.append(HoursEntry(_day(rng, registered, 700), rng.choice([1.0, 0.5, 0.8])))
    absences = ()
    if rng.random() < 0.2:
        a = _day(rng, registered, 900)
        absences = (Absence(a, a + dt.timedelta(days=rng.randrange(20, 200)), "sickness"),)
    asye_start = registered + dt.timedelta(days=rng.randrange(0, 60))
    completed = asye_start + dt.timedelta(days=365) if rng.random() < 0.7 else None
    attempts = ()
    if rng.random() < 0.15:
        attempts = (Attempt(rng.choice(routes), rng.choice(["defer", "fail", "pass"]),
                            _day(rng, dt.date(2025, 1, 1), 600)),)
    return PersonRecord(
        qualified_on=qualified, registered_on=registered, level=rng.choice(levels),
        hours=tuple(sorted(hours, key=lambda h: h.from_on)), absences=absences,
        asye=AsyeRecord(started_on=asye_start, completed_on=completed),
        attempts=attempts, team_tags=(rng.choice(["fast", "cwd", "css", "cic"]),),
        caseload=rng.randrange(0, 20),
    )


def make_portfolio(rng: random.Random, kinds: list[str], submit_on: dt.date) -> PersonRecord:
    items = []
    for _ in range(rng.randrange(4, 16)):
        items.append(EvidenceItem(
            kind=rng.choice(kinds), dated_on=submit_on - dt.timedelta(days=rng.randrange(0, 400)),
            kss=tuple(sorted(rng.sample(range(1, 11), rng.randrange(0, 4)))),
            by_role=rng.choice(ROLES), words=rng.randrange(100, 1800)))
    return PersonRecord(evidence=tuple(items), allocated_kss=(1, 4, 5, 6, 7),
                        asye=AsyeRecord(started_on=dt.date(2023, 9, 1),
                                        completed_on=dt.date(2024, 9, 1)),
                        qualified_on=dt.date(2023, 6, 30), flags=("progression-requested",))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--council", default="derbyshire")
    ap.add_argument("--workers", type=int, default=10_000)
    ap.add_argument("--portfolios", type=int, default=1_000)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    pack = load_pack_file(pack_dir() / f"{args.council}.yaml")
    t_load = time.perf_counter() - t0
    rng = random.Random(2026)
    levels = [lv.slug for lv in pack.levels]
    routes = [r.slug for r in pack.routes]
    workers = [make_worker(rng, levels, routes) for _ in range(args.workers)]

    # Warm the per-pack caches (compiled lookups, bank-holiday sets) outside the timing.
    route_eligibility(pack, routes[0], workers[0], ON)

    t0 = time.perf_counter()
    c0 = time.process_time()
    eligible = answers = 0
    for w in workers:
        for r in routes:
            e = route_eligibility(pack, r, w, ON)
            answers += 1
            eligible += e.eligible
    t_elig = time.perf_counter() - t0
    c_elig = time.process_time() - c0

    ev_routes = [r for r in pack.routes if r.evidence]
    kinds = sorted({req.kind for r in ev_routes for req in r.evidence})
    portfolios = [make_portfolio(rng, kinds, ON) for _ in range(args.portfolios)]
    t0 = time.perf_counter()
    c0 = time.process_time()
    complete = checks = 0
    for p in portfolios:
        for r in ev_routes:
            c = checklist(pack, r.slug, p, ON)
            checks += 1
            complete += c.complete
    t_check = time.perf_counter() - t0
    c_check = time.process_time() - c0

    print(f"pack {pack.council.slug} {pack.version}: loaded and validated in "
          f"{t_load * 1000:.1f} ms; routes: {', '.join(routes)}")
    print(f"eligibility: {args.workers} workers x {len(routes)} routes = {answers} answers in "
          f"{t_elig:.3f} s ({t_elig / answers * 1e6:.1f} us per answer, "
          f"{t_elig / args.workers * 1e6:.1f} us per worker; CPU {c_elig:.3f} s); "
          f"{eligible} eligible")
    print(f"checklist: {args.portfolios} portfolios x {len(ev_routes)} routes = {checks} "
          f"checklists in {t_check:.3f} s ({t_check / max(checks, 1) * 1e6:.1f} us per "
          f"checklist; CPU {c_check:.3f} s); {complete} complete")
    target = "met" if t_elig < 2.0 else "MISSED"
    print(f"target (< 2 s for {args.workers} workers' eligibility): {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
