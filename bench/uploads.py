"""Evidence upload/download and portfolio-page benchmark (issue 6, Performance).

1. Starts the app in a real server process (``manage.py runserver --noreload --nothreading``)
   on a throw-away SQLite database and media folder, signs a Lincolnshire worker in, uploads a
   file of ``--megabytes`` (default 200) through the permission-checked upload view as a
   streamed multipart request, then downloads it through the download view, checking the
   SHA-256. The server's memory is read from /proc/<pid>/status: VmRSS before, VmHWM (peak)
   after. Passes when the peak grew by less than ``--max-growth`` MB (default 50).
2. Renders the portfolio page (engine checklist and KSS grid) with 10 and with 300 items and
   counts the queries of each: they must be equal.

    .venv/bin/python bench/uploads.py [--megabytes 200] [--max-growth 50]
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
CHUNK = 1024 * 1024
PDF_HEAD = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
FILLER = b"% padding line of a large scanned document, no script here\n" * 1024


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)


class Session:
    """A tiny cookie-keeping HTTP client on http.client (streams bodies both ways)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def _conn(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)

    def _headers(self, extra: dict | None = None) -> dict:
        h = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
             "Referer": f"http://127.0.0.1:{self.port}/", "Host": f"127.0.0.1:{self.port}"}
        h.update(extra or {})
        return h

    def _keep(self, response: http.client.HTTPResponse) -> None:
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    def get(self, path: str) -> tuple[int, bytes]:
        conn = self._conn()
        conn.request("GET", path, headers=self._headers())
        r = conn.getresponse()
        body = r.read()
        self._keep(r)
        conn.close()
        return r.status, body

    def post_form(self, path: str, fields: dict[str, str]) -> tuple[int, bytes]:
        from urllib.parse import urlencode

        conn = self._conn()
        conn.request("POST", path, body=urlencode(fields), headers=self._headers(
            {"Content-Type": "application/x-www-form-urlencoded"}))
        r = conn.getresponse()
        body = r.read()
        self._keep(r)
        conn.close()
        return r.status, body

    def post_file(self, path: str, fields: dict[str, str], file_field: str, filename: str,
                  size: int) -> tuple[int, bytes, str]:
        """Multipart POST of generated content of ``size`` bytes, streamed in chunks."""
        boundary = uuid.uuid4().hex
        head = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items())
        head += (f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
                 f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n').encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        conn = self._conn()
        conn.putrequest("POST", path, skip_host=True)
        for k, v in self._headers({"Content-Type": f"multipart/form-data; boundary={boundary}",
                                   "Content-Length": str(len(head) + size + len(tail))}).items():
            conn.putheader(k, v)
        conn.endheaders()
        conn.send(head)
        digest = hashlib.sha256()
        sent = 0
        first = PDF_HEAD
        while sent < size:
            block = (first + FILLER)[: min(len(FILLER), size - sent)]
            first = b""
            digest.update(block)
            conn.send(block)
            sent += len(block)
        conn.send(tail)
        r = conn.getresponse()
        body = r.read()
        self._keep(r)
        conn.close()
        return r.status, body, digest.hexdigest()

    def download(self, path: str) -> tuple[int, str, int, dict]:
        conn = self._conn()
        conn.request("GET", path, headers=self._headers())
        r = conn.getresponse()
        digest = hashlib.sha256()
        total = 0
        while True:
            block = r.read(CHUNK)
            if not block:
                break
            digest.update(block)
            total += len(block)
        headers = dict(r.headers)
        conn.close()
        return r.status, digest.hexdigest(), total, headers


def _csrf(body: bytes) -> str:
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()


def _setup(env: dict) -> dict:
    """Create the database, the Lincolnshire pack, a worker and a case; returns ids."""
    script = r"""
import datetime as dt, json
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django_scopes import scope
from councils.models import Council, Membership, Role, RoleAssignment, Team, User
from councils.rules.loader import pack_dir
from councils.rules.services import rulepack_load
from portfolios import services
from progression.models import CareerRecord
version, _ = rulepack_load(path=pack_dir() / "lincolnshire.yaml")
council = Council.objects.get(pk=version.council_id)
with scope(council=council):
    team = Team.objects.create(council=council, name="FAST bench", tags=["fast"])
    user = User.objects.create_user("bench.worker@example.org", "bench-password-9",
                                    full_name="Bench Worker")
    worker = Membership.objects.create(council=council, user=user, team=team)
    RoleAssignment.objects.create(council=council, membership=worker, role=Role.SOCIAL_WORKER)
    CareerRecord.objects.create(council=council, membership=worker, current_level="level-1",
                                registration_date=dt.date(2023, 1, 10))
    case = services.case_open(actor=user, worker=worker, route_slug="level-1-to-level-2",
                              today=dt.date.today())
print(json.dumps({"council": council.slug, "case": case.pk, "worker": worker.pk}))
"""
    out = subprocess.run([str(PYTHON), "-c", script], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True)
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def _query_counts(env: dict, ids: dict) -> dict[int, int]:
    """Render the portfolio page in-process with 10 then 300 items; count queries."""
    script = r"""
import datetime as dt, json, sys
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled
from councils.models import Membership
from portfolios.models import EvidenceItem, Portfolio
ids = json.loads(sys.argv[1])
with scopes_disabled():
    worker = Membership.objects.select_related("user", "council").get(pk=ids["worker"])
    portfolio = Portfolio.objects.get(case_id=ids["case"], is_current=True)
client = Client()
client.force_login(worker.user)
counts = {}
def fill(n):
    with scopes_disabled():
        EvidenceItem.objects.filter(portfolio=portfolio).delete()
        kinds = ("case-example", "cpd-record", "direct-observation", "supervision-record",
                 "service-user-feedback")
        EvidenceItem.objects.bulk_create([EvidenceItem(
            council=worker.council, portfolio=portfolio, kind=kinds[i % 5], title=f"Item {i}",
            practice_on=dt.date.today() - dt.timedelta(days=i), kss=[1 + i % 10, 1 + (i + 4) % 10],
            statement=f"Statement {i}", words=2, created_by=worker.user) for i in range(n)])
for n in (10, 300):
    fill(n)
    url = f"/{ids['council']}/portfolios/{ids['case']}/"
    client.get(url)  # warm caches (pack parse) so both counts are like for like
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert f"Evidence ({n})".encode() in response.content
    counts[n] = len(ctx.captured_queries)
print(json.dumps(counts))
"""
    import json

    out = subprocess.run([str(PYTHON), "-c", script, json.dumps(ids)], env=env, cwd=ROOT,
                         check=True, capture_output=True, text=True)
    return {int(k): v for k, v in json.loads(out.stdout.strip().splitlines()[-1]).items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--max-growth", type=int, default=50)
    args = parser.parse_args()
    size = args.megabytes * 1024 * 1024
    work = Path(tempfile.mkdtemp(prefix="bench-uploads-"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DEBUG": "false",
           "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}", "MEDIA_ROOT": str(work / "media"),
           "EVIDENCE_MAX_BYTES": str(size + 1024 * 1024), "PYTHONPATH": str(ROOT)}
    server = None
    try:
        ids = _setup(env)
        port = _free_port()
        server = subprocess.Popen(
            [str(PYTHON), "manage.py", "runserver", "--noreload", "--nothreading",
             f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        s = Session(port)
        _, body = s.get("/accounts/login/")
        status, _ = s.post_form("/accounts/login/", {
            "csrfmiddlewaretoken": _csrf(body), "username": "bench.worker@example.org",
            "password": "bench-password-9"})
        assert status == 302, f"sign-in answered {status}"
        upload_path = f"/{ids['council']}/portfolios/{ids['case']}/upload/"
        status, body = s.get(upload_path)
        assert status == 200, f"upload page answered {status}"
        rss_before = _status_kb(server.pid, "VmRSS")
        hwm_before = _status_kb(server.pid, "VmHWM")
        started = time.monotonic()
        status, body, sent_sha = s.post_file(upload_path, {
            "csrfmiddlewaretoken": _csrf(body), "requirement": "appraisal",
            "title": "Large scanned appraisal", "practice_on_0": "1", "practice_on_1": "10",
            "practice_on_2": "2026"}, "file", "appraisal.pdf", size)
        upload_s = time.monotonic() - started
        assert status == 302, f"upload answered {status}: {body[:500]!r}"
        hwm_upload = _status_kb(server.pid, "VmHWM")
        _, page = s.get(f"/{ids['council']}/portfolios/{ids['case']}/")
        item = re.search(rb"/portfolios/evidence/(\d+)/download/", page).group(1).decode()
        started = time.monotonic()
        status, got_sha, total, headers = s.download(
            f"/{ids['council']}/portfolios/evidence/{item}/download/")
        download_s = time.monotonic() - started
        hwm_after = _status_kb(server.pid, "VmHWM")
        assert status == 200 and total == size and got_sha == sent_sha, "download differs"
        assert headers.get("X-Content-Type-Options") == "nosniff"
        assert headers.get("Content-Disposition", "").startswith("attachment")
        growth_mb = (hwm_after - rss_before) / 1024
        print(f"file: {args.megabytes} MB; upload {upload_s:.1f} s "
              f"({args.megabytes / upload_s:.0f} MB/s), download {download_s:.1f} s "
              f"({args.megabytes / download_s:.0f} MB/s); SHA-256 matches")
        print(f"server RSS before: {rss_before / 1024:.1f} MB (peak so far "
              f"{hwm_before / 1024:.1f} MB); peak after upload {hwm_upload / 1024:.1f} MB; "
              f"peak after download {hwm_after / 1024:.1f} MB; growth {growth_mb:.1f} MB "
              f"(limit {args.max_growth} MB)")
        counts = _query_counts(env, ids)
        print(f"portfolio page queries: 10 items {counts[10]}, 300 items {counts[300]}")
        ok = growth_mb < args.max_growth and counts[10] == counts[300]
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
