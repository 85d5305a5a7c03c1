"""The container health probe (config/healthcheck.py) against a live server."""

from __future__ import annotations

import socket

import pytest

from config import healthcheck


@pytest.mark.parametrize(
    ("allowed_hosts", "expected"),
    [
        ("example.org,127.0.0.1", "example.org"),
        (" .council.example ,localhost", "council.example"),
        ("*,example.org", "example.org"),
        ("", None),
    ],
)
def test_host_header_is_the_first_concrete_allowed_host(allowed_hosts, expected):
    assert healthcheck.host_header(allowed_hosts) == expected


@pytest.mark.django_db
def test_probe_is_healthy_when_healthz_answers_200(live_server, settings):
    settings.REDIS_URL = ""
    healthy, detail = healthcheck.probe(f"{live_server.url}/healthz", "localhost")
    assert healthy, detail
    assert detail.startswith("200 ")


@pytest.mark.django_db
def test_probe_is_unhealthy_when_the_host_is_not_allowed(live_server):
    healthy, detail = healthcheck.probe(f"{live_server.url}/healthz", "not-allowed.example")
    assert not healthy
    assert detail.startswith("400 ")


def test_probe_is_unhealthy_when_nothing_listens():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    healthy, detail = healthcheck.probe(f"http://127.0.0.1:{port}/healthz", None)
    assert not healthy
    assert detail.startswith("no answer")


def test_main_exit_code_follows_the_probe(monkeypatch, capsys):
    monkeypatch.setenv("HEALTHCHECK_URL", "http://127.0.0.1:1/healthz")
    monkeypatch.setenv("ALLOWED_HOSTS", "example.org")
    calls = []

    def fake_probe(url, host):
        calls.append((url, host))
        return len(calls) == 1, "answer"

    monkeypatch.setattr(healthcheck, "probe", fake_probe)
    assert healthcheck.main() == 0
    assert healthcheck.main() == 1
    assert calls == [("http://127.0.0.1:1/healthz", "example.org")] * 2
    assert capsys.readouterr().out == "answer\nanswer\n"
