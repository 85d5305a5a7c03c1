"""Production settings: `check --deploy` is clean and start-up refuses a missing or weak key.

Each case starts a fresh interpreter: settings modules are read once per process.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

MANAGE = str(settings.BASE_DIR / "manage.py")


def _production_env(**overrides: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.org",
        # Never connected to by `check`: the deploy checks read settings only.
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/ci_prod",
        REDIS_URL="redis://127.0.0.1:6379/1",
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _manage(*args: str, **env_overrides: str | None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, MANAGE, *args],
        env=_production_env(**env_overrides),
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_warnings_under_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("secret_key", "why"),
    [
        (None, "missing"),
        ("", "empty"),
        ("too-short-" * 3, "shorter than 50 characters"),
        ("embedded-development-key-not-for-production-" * 2, "the embedded default"),
        ("a" * 60, "not random"),
    ],
)
def test_production_refuses_to_start_without_a_real_secret_key(secret_key, why):
    result = _manage("check", SECRET_KEY=secret_key)
    assert result.returncode != 0, f"started with a {why} SECRET_KEY"
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr
