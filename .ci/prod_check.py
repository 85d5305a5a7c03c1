#!/usr/bin/env python
"""The production processes, proved without Docker: what docker-compose.yml runs, run here.

Under ``config.settings.production`` against the local PostgreSQL (database ``ci_prod``,
recreated) and Redis (DB 1): ``check --deploy`` with warnings as errors, migrate,
collectstatic, then gunicorn on 127.0.0.1:8001, a Celery worker and Celery beat (the
django-celery-beat DatabaseScheduler). It waits for ``/healthz`` to answer 200 with database
and broker ``ok``, sends ``config.tasks.ping`` through Redis and waits for the worker's
answer, and sees beat hand a scheduled ping to the worker. Every process it started is
stopped on the way out, whatever happens (their logs stay in .ci/out/).

Run with the project's virtualenv: ``.venv/bin/python .ci/prod_check.py``.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / ".ci" / "out"
BIN = Path(sys.executable).parent
PG = os.environ.get("PG_HOST", "127.0.0.1")
DB_NAME = "ci_prod"
BIND = "127.0.0.1:8001"
BEAT_TASK_NAME = "ci: ping from beat"

processes: dict[str, subprocess.Popen[bytes]] = {}
T0 = time.monotonic()


def log(message: str) -> None:
    print(f"[prod-check {time.monotonic() - T0:5.1f}s] {message}", flush=True)


def production_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"postgres://postgres@{PG}:5432/{DB_NAME}",
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"),
        MEDIA_ROOT=tempfile.mkdtemp(prefix="ci-prod-evidence-"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONUNBUFFERED="1",
    )
    return env


def run(*args: str, env: dict[str, str]) -> None:
    log("$ " + " ".join(args))
    subprocess.run(args, env=env, cwd=ROOT, check=True)


def start(name: str, *args: str, env: dict[str, str]) -> None:
    logfile = open(OUT / f"{name}.log", "wb")  # the child keeps it; closed when we exit
    log(f"start {name}: " + " ".join(args))
    # Own process group, so stopping it also stops gunicorn's and Celery's children.
    processes[name] = subprocess.Popen(
        args, env=env, cwd=ROOT, stdout=logfile, stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL, start_new_session=True,
    )


def stop_all() -> None:
    for proc in processes.values():
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for name, proc in processes.items():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log(f"{name} did not stop on SIGTERM: killing it")
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log(f"stopped {name} (exit {proc.returncode})")


def assert_running() -> None:
    for name, proc in processes.items():
        if proc.poll() is not None:
            tail = (OUT / f"{name}.log").read_text(errors="replace")[-3000:]
            raise SystemExit(f"{name} exited with {proc.returncode}:\n{tail}")


def wait_for(what: str, probe: Callable[[], object], timeout: float) -> object:
    """Call ``probe`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        assert_running()
        try:
            last = probe()
        except (OSError, ValueError) as exc:
            last = exc
        if last and not isinstance(last, Exception):
            log(f"ok: {what}")
            return last
        time.sleep(0.5)
    raise SystemExit(f"timed out after {timeout}s waiting for {what}; last: {last!r}")


def healthz() -> dict | None:
    request = urllib.request.Request(f"http://{BIND}/healthz")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            body = json.loads(response.read())
            status = response.status
    except urllib.error.HTTPError as exc:  # 503 while a part is down: keep waiting
        return None if exc.code == 503 else exc
    ok = status == 200 and body.get("database") == "ok" and body.get("broker") == "ok"
    return body if ok else None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch(path: str, *, https: bool = True) -> tuple[int, dict[str, str], str]:
    """GET ``path`` from gunicorn, as if through a TLS-terminating proxy when ``https``."""
    headers = {"X-Forwarded-Proto": "https"} if https else {}
    request = urllib.request.Request(f"http://{BIND}{path}", headers=headers)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode(errors="replace")


def check_sign_in_page() -> None:
    """Plain HTTP redirects to HTTPS; the sign-in page and its hashed CSS are served."""
    from django.urls import reverse

    login = reverse("login")
    status, headers, _ = fetch(login, https=False)
    if status != 301 or not headers.get("Location", "").startswith("https://"):
        raise SystemExit(f"plain HTTP {login} answered {status} {headers.get('Location')}")
    status, headers, page = fetch(login)
    if status != 200 or "Strict-Transport-Security" not in headers:
        raise SystemExit(f"{login} over HTTPS answered {status}, headers {headers}")
    stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', page)
    if not stylesheets:
        raise SystemExit(f"{login} links no stylesheet")
    for href in stylesheets:
        css_status, _, _ = fetch(href)
        if css_status != 200:
            raise SystemExit(f"{href} answered {css_status}")
    log(f"ok: {login} served over HTTPS with HSTS; stylesheets {', '.join(stylesheets)}")


def log_matches(name: str, pattern: str) -> list[str]:
    return re.findall(pattern, (OUT / f"{name}.log").read_text(errors="replace"))


def recreate_database() -> None:
    psql = ["psql", "-h", PG, "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qc"]
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)"], check=True)
    subprocess.run([*psql, f"CREATE DATABASE {DB_NAME}"], check=True)


def main() -> None:
    # A SIGTERM (CI timeout, Ctrl-C on make) still runs the ``finally`` that stops everything.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(f"stopped by signal {signum}"))
    OUT.mkdir(parents=True, exist_ok=True)
    env = production_env()
    os.environ.update(env)
    started = time.monotonic()

    recreate_database()
    manage = [str(BIN / "python"), "manage.py"]
    run(*manage, "check", "--deploy", "--fail-level", "WARNING", env=env)
    run(*manage, "migrate", "--noinput", "-v", "0", env=env)
    run(*manage, "collectstatic", "--noinput", "-v", "0", env=env)

    sys.path.insert(0, str(ROOT))  # this script lives in .ci/; the project is its parent
    import django

    django.setup()
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    # A schedule for beat to run: proves beat reads the DatabaseScheduler and reaches the worker.
    every_second, _ = IntervalSchedule.objects.get_or_create(
        every=1, period=IntervalSchedule.SECONDS
    )
    PeriodicTask.objects.update_or_create(
        name=BEAT_TASK_NAME, defaults={"task": "config.tasks.ping", "interval": every_second}
    )

    try:
        start("gunicorn", str(BIN / "gunicorn"), "config.wsgi:application", "--bind", BIND,
              "--workers", "2", "--timeout", "30", "--access-logfile", "-", env=env)
        start("worker", str(BIN / "celery"), "-A", "config", "worker", "--loglevel", "INFO",
              "--concurrency", "2", "--hostname", "ci-worker@%h", "--without-gossip",
              "--without-mingle", env=env)
        start("beat", str(BIN / "celery"), "-A", "config", "beat", "--loglevel", "INFO",
              env=env)

        body = wait_for("/healthz answers 200, database ok, broker ok", healthz, timeout=60)
        log(f"/healthz: {json.dumps(body)}")
        # The probe docker-compose.yml uses for the web container, with a production host list.
        run(str(BIN / "python"), "-m", "config.healthcheck",
            env={**env, "HEALTHCHECK_URL": f"http://{BIND}/healthz"})
        check_sign_in_page()
        wait_for("worker ready", lambda: log_matches("worker", r"ci-worker@\S+ ready"), 60)

        from config.tasks import ping

        result = ping.delay()
        answer = result.get(timeout=30)
        if answer != "pong":
            raise SystemExit(f"ping answered {answer!r}")
        log(f"ok: task {result.id} went through Redis to the worker and back: {answer!r}")

        wait_for("beat started", lambda: log_matches("beat", r"beat: Starting\.\.\."), 30)
        succeeded = r"Task config\.tasks\.ping\[([0-9a-f-]+)\] succeeded"
        wait_for(
            "beat's scheduled ping ran on the worker",
            lambda: set(log_matches("worker", succeeded)) - {result.id},
            timeout=30,
        )
        assert_running()
    finally:
        stop_all()
        PeriodicTask.objects.filter(name=BEAT_TASK_NAME).delete()
    log(f"production processes check passed in {time.monotonic() - started:.0f}s")


if __name__ == "__main__":
    main()
