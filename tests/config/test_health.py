"""/healthz: database and broker status, 200 when healthy and 503 otherwise, no sign-in."""

from __future__ import annotations

import socket

import pytest
import redis
from django.db import DatabaseError
from django.urls import reverse

from config import health


def _closed_port() -> int:
    """A local TCP port nothing listens on: bind one, note it, release it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_healthz_is_public_and_reports_eager_broker_in_embedded_mode(
    client, settings, django_assert_max_num_queries
):
    settings.REDIS_URL = ""
    with django_assert_max_num_queries(1):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager (in-process)"}
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_pings_redis_when_redis_url_is_set(client, settings, monkeypatch):
    pinged: list[str] = []

    class AnsweringRedis:
        def ping(self) -> bool:
            pinged.append("ping")
            return True

        def close(self) -> None:
            pass

    settings.REDIS_URL = "redis://broker.invalid:6379/1"
    monkeypatch.setattr(
        redis.Redis, "from_url", classmethod(lambda cls, url, **kw: AnsweringRedis())
    )
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"
    assert pinged == ["ping"]


@pytest.mark.django_db
def test_healthz_answers_503_when_redis_does_not_answer(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{_closed_port()}/1"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == "ok"
    assert body["broker"] == "unavailable: ConnectionError"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_fails(client, settings, monkeypatch):
    settings.REDIS_URL = ""

    class BrokenCursor:
        def __enter__(self):
            raise DatabaseError("database is down")

        def __exit__(self, *exc_info):
            return False

    monkeypatch.setattr(health.connection, "cursor", lambda: BrokenCursor())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "unavailable: DatabaseError",
        "broker": "eager (in-process)",
    }


@pytest.mark.django_db
def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405
