"""ASYE cohort benchmark (issue 5, Performance).

Builds Stoke-on-Trent (its real pack) with N NQSWs in their year (default 500): each enrolled
through ``programme_enrol`` at a start spread over the last eleven months, with reviews held
when due, weekly-to-monthly supervision, workshop attendance and a caseload of children. Then
measures, with Django's test client, the ASYE lead's cohort page (first page and a filtered
page) and one NQSW's home page: queries per page and median / p95 over R requests.

    .venv/bin/python bench/asye_cohort.py [--nqsws 500] [--requests 50]

Runs in a throw-away test database (never the development one). Seeded: runs are comparable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
)
from django.utils import timezone  # noqa: E402
from django_scopes import scope  # noqa: E402


def build(nqsws: int):
    from councils.models import Membership, RoleAssignment, Team, User
    from councils.rules.services import rulepack_load
    from progression.asye import services
    from progression.engine import add_months
    from progression.models import (
        AllocationRole,
        Attendance,
        CareerRecord,
        Case,
        CaseAllocation,
        DevelopmentDay,
        Review,
        SupervisionSession,
    )

    rng = random.Random(2026)
    today = timezone.localdate()
    version, _ = rulepack_load(path=settings.BASE_DIR / "councils/rulepacks/stoke-on-trent.yaml")
    council = version.council

    def member(email: str, roles: tuple[str, ...], **kw) -> Membership:
        user = User.objects.create_user(email=email, password="bench-password-1",
                                        full_name=email.split("@")[0].title())
        m = Membership.objects.create(council=council, user=user, **kw)
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(council=council, membership=m, role=r) for r in roles])
        return m

    with scope(council=council):
        teams = [Team.objects.create(council=council, name=f"Team {t}", tags=[t])
                 for t in ("css", "cic", "fast", "cwd", "yos")]
        lead = member("lead@bench.test", ("asye-lead",))
        managers = [member(f"manager{i}@bench.test", ("line-manager",), team=teams[i % 5])
                    for i in range(25)]
        days = [DevelopmentDay.objects.create(council=council, series="asye-workshops",
                                              held_on=add_months(today, -m))
                for m in range(1, 12)]
        first = None
        for i in range(nqsws):
            mgr = managers[i % len(managers)]
            worker = member(f"nqsw{i:04d}@bench.test", ("social-worker",), team=mgr.team,
                            line_manager=mgr)
            start = today - dt.timedelta(days=rng.randint(10, 330))
            CareerRecord.objects.create(council=council, membership=worker,
                                        qualification_date=start - dt.timedelta(days=90))
            p = services.programme_enrol(actor=lead, membership=worker, started_on=start,
                                         part_time=rng.random() < 0.1).programme
            first = first or worker
            Review.objects.filter(programme=p, due_on__lt=today - dt.timedelta(days=7)).update(
                held_on=today - dt.timedelta(days=10), kss_progress="On track", actions="x")
            sessions, on = [], start
            while on < today:
                sessions.append(SupervisionSession(council=council, programme=p, held_on=on,
                                                   supervisor=mgr, recorded_by=mgr.user))
                on += dt.timedelta(days=7 if (on - start).days < 42 else
                                   14 if (on - start).days < 182 else 30)
            SupervisionSession.objects.bulk_create(sessions)
            Attendance.objects.bulk_create([
                Attendance(council=council, programme=p, day=d, attended=rng.random() < 0.85,
                           recorded_by=lead.user)
                for d in days if d.held_on >= start])
            for a in Attendance.objects.filter(programme=p, attended=False):
                a.absence_reason = "sickness"
                a.save(update_fields=["absence_reason"])
            cases = Case.objects.bulk_create([
                Case(council=council, reference=f"C{i:04d}-{k}", kind="child-in-need")
                for k in range(rng.randint(3, 15))])
            CaseAllocation.objects.bulk_create([
                CaseAllocation(council=council, case=c, programme=p,
                               role=AllocationRole.ALLOCATED, allocated_on=start,
                               allocated_by=mgr.user) for c in cases])
    return council, lead, first


def measure(client: Client, url: str, requests: int) -> tuple[int, float, float]:
    client.get(url)  # warm caches (pack parse, templates)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    # Read now: the next request's request_started signal resets the connection's query log.
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(requests):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    times.sort()
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
    return queries, statistics.median(times), p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nqsws", type=int, default=500)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        t0 = time.perf_counter()
        council, lead, nqsw = build(args.nqsws)
        print(f"built {args.nqsws} NQSWs in {time.perf_counter() - t0:.1f}s "
              f"({connection.vendor})")

        def client_for(m):
            c = Client()
            c.force_login(m.user, backend="django.contrib.auth.backends.ModelBackend")
            return c

        with scope(council=council):
            programme_id = nqsw.asye_programmes.get().pk
        pages = [
            ("cohort page 1 (lead)", client_for(lead), f"/{council.slug}/asye/"),
            ("cohort page 10 (lead)", client_for(lead), f"/{council.slug}/asye/?page=10"),
            ("cohort overdue filter (lead)", client_for(lead),
             f"/{council.slug}/asye/?overdue=on"),
            ("NQSW home", client_for(nqsw), f"/{council.slug}/"),
            ("NQSW programme page", client_for(nqsw),
             f"/{council.slug}/asye/{programme_id}/"),
        ]
        print(f"{'page':34} {'queries':>7} {'median ms':>10} {'p95 ms':>8}")
        with scope(council=council):
            for name, client, url in pages:
                q, med, p95 = measure(client, url, args.requests)
                print(f"{name:34} {q:>7} {med:>10.1f} {p95:>8.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
