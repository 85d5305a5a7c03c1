"""``/healthz``: is this process able to serve? For load balancers, orchestrators and CI.

Answers JSON with the database status (a ``SELECT 1``) and the broker status (a Redis
``PING`` when ``REDIS_URL`` is set; in the embedded mode tasks run in-process, so there is
no broker to be down). 200 when every part is healthy, 503 otherwise. No sign-in, no tenant
data and no error details beyond a class name: anyone who can reach it may read it.
"""

from __future__ import annotations

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

OK = "ok"
EAGER = "eager (in-process)"
# Short: a health check that hangs is worse than one that says "unavailable".
BROKER_TIMEOUT_SECONDS = 2.0


def database_status() -> str:
    """``"ok"`` when the default database answers ``SELECT 1``, else the error's class name."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            row = cursor.fetchone()
    except DatabaseError as exc:
        return f"unavailable: {type(exc).__name__}"
    return OK if row and row[0] == 1 else "unavailable: unexpected answer"


def broker_status() -> str:
    """``"ok"`` when Redis answers PING; ``EAGER`` without a broker; else the error class."""
    if not settings.REDIS_URL:
        return EAGER
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_timeout=BROKER_TIMEOUT_SECONDS,
        socket_connect_timeout=BROKER_TIMEOUT_SECONDS,
    )
    try:
        answered = client.ping()
    except redis.RedisError as exc:
        return f"unavailable: {type(exc).__name__}"
    finally:
        client.close()
    return OK if answered else "unavailable: no answer"


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Report database and broker status; 200 when both are usable, 503 otherwise."""
    checks = {"database": database_status(), "broker": broker_status()}
    healthy = all(value in (OK, EAGER) for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks},
        status=200 if healthy else 503,
    )
