"""Container health probe: exit 0 when ``/healthz`` answers 200, 1 otherwise.

Used by the Dockerfile's HEALTHCHECK and docker-compose.yml (python:3.11-slim has no curl),
and by CI against gunicorn. Standard library only and no Django import: it runs every few
seconds. The request carries the first ``ALLOWED_HOSTS`` name as its Host header, because a
production instance rejects a bare ``127.0.0.1``.

    HEALTHCHECK_URL=http://127.0.0.1:8000/healthz python -m config.healthcheck
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:8000/healthz"
TIMEOUT_SECONDS = 5


def host_header(allowed_hosts: str) -> str | None:
    """The first concrete host of a comma-separated ALLOWED_HOSTS (``.example.org`` ok)."""
    for entry in (part.strip() for part in allowed_hosts.split(",")):
        if entry and entry != "*":
            return entry.lstrip(".")
    return None


def probe(url: str, host: str | None) -> tuple[bool, str]:
    """GET ``url``; healthy only on a 200 answer. Returns (healthy, what happened)."""
    headers = {"Host": host} if host else {}
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, headers=headers), timeout=TIMEOUT_SECONDS
        ) as response:
            body = response.read().decode(errors="replace")
            return response.status == 200, f"{response.status} {body}"
    except urllib.error.HTTPError as exc:
        return False, f"{exc.code} {exc.read().decode(errors='replace')}"
    except OSError as exc:  # refused, timed out, name not found
        return False, f"no answer: {exc}"


def main() -> int:
    healthy, detail = probe(
        os.environ.get("HEALTHCHECK_URL", DEFAULT_URL),
        host_header(os.environ.get("ALLOWED_HOSTS", "")),
    )
    print(detail)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
