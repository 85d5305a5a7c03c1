"""docker-compose.yml, Dockerfile and .env.example describe the production processes.

No Docker engine runs here; CI runs the same commands (.ci/prod_check.py). These tests keep
the files in step with the settings.
"""

from __future__ import annotations

import re

import pytest
import yaml
from django.conf import settings

ROOT = settings.BASE_DIR


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_web_worker_beat_postgres_and_redis_with_health_checks(compose):
    services = compose["services"]
    for name in ("web", "worker", "beat", "db", "redis"):
        assert "healthcheck" in services[name], f"{name} has no health check"
        assert services[name]["healthcheck"]["test"], name
    assert services["web"]["command"][:2] == ["gunicorn", "config.wsgi:application"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")


def test_compose_app_services_use_production_settings_postgres_redis_and_evidence_volume(
    compose,
):
    for name in ("web", "worker", "beat", "migrate"):
        service = compose["services"][name]
        environment = service["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["REDIS_URL"].startswith("redis://redis:")
        assert f"evidence:{environment['MEDIA_ROOT']}" in service["volumes"]
    for name in ("web", "worker", "beat"):
        depends = compose["services"][name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["db"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
    assert "pgdata:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]
    assert {"pgdata", "evidence"} <= set(compose["volumes"])


def test_dockerfile_is_slim_python_311_non_root_with_weasyprint_libraries():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "FROM python:3.11-slim\n" in dockerfile
    for library in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert library in dockerfile
    assert "collectstatic" in dockerfile
    user_lines = re.findall(r"^USER (\S+)$", dockerfile, flags=re.MULTILINE)
    assert user_lines and user_lines[-1] not in ("root", "0")
    assert '"gunicorn"' in dockerfile


def test_env_example_documents_every_variable_the_settings_read():
    read = set()
    for module in (ROOT / "config" / "settings").glob("*.py"):
        read |= set(re.findall(r'\benv(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]*)"', module.read_text()))
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(),
                                flags=re.MULTILINE))
    assert read, "no settings read from the environment?"
    assert read <= documented, f"not in .env.example: {sorted(read - documented)}"
