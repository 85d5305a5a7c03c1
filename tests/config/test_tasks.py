"""Celery plumbing: tasks queue after commit and run inside their council's scope."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_scopes import get_scope
from django_scopes.exceptions import ScopeError

from config.celery import app
from config.tasks import CouncilTask, TransactionAwareTask, ping
from councils.models import Council, Team

seen: list[dict] = []


@app.task(base=CouncilTask, name="tests.config.record_council_teams")
def record_council_teams(*, council: Council, label: str) -> int:
    """Test task: a scoped query that raises outside a council scope."""
    names = sorted(Team.objects.values_list("name", flat=True))
    seen.append({"council": council.slug, "label": label, "teams": names,
                 "scope": get_scope().get("council")})
    return len(names)


@app.task(base=TransactionAwareTask, name="tests.config.record_label")
def record_label(label: str) -> None:
    seen.append({"label": label})


@pytest.fixture(autouse=True)
def _clear_seen():
    seen.clear()


def _council(slug: str) -> Council:
    return Council.objects.create(name=f"{slug.title()} Council", slug=slug, service_area="adults")


def test_ping_answers_pong():
    assert ping.delay().get(timeout=5) == "pong"


@pytest.mark.django_db
def test_transaction_aware_task_waits_for_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            assert record_label.delay("after-commit") is None
            assert seen == []
    assert len(callbacks) == 1
    assert seen == [{"label": "after-commit"}]


@pytest.mark.django_db(transaction=True)
def test_transaction_aware_task_sends_nothing_when_the_transaction_rolls_back():
    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        record_label.delay("rolled-back")
        raise Rollback
    assert seen == []
    record_label.delay("outside-transaction")
    assert seen == [{"label": "outside-transaction"}]


@pytest.mark.django_db
def test_council_task_runs_inside_its_council_scope_only(django_capture_on_commit_callbacks):
    wirral, york = _council("wirral"), _council("york")
    Team.objects.create(council=wirral, name="Assessment")
    Team.objects.create(council=york, name="Hospital discharge")
    with django_capture_on_commit_callbacks(execute=True):
        record_council_teams.delay(wirral.pk, label="positional")
        record_council_teams.delay(council_id=york.pk, label="keyword")
    assert seen == [
        {"council": "wirral", "label": "positional", "teams": ["Assessment"], "scope": wirral},
        {"council": "york", "label": "keyword", "teams": ["Hospital discharge"], "scope": york},
    ]
    # The scope ends with the task: the same query outside raises.
    with pytest.raises(ScopeError):
        list(Team.objects.all())


@pytest.mark.django_db
def test_council_task_for_a_missing_or_inactive_council_does_nothing(
    django_capture_on_commit_callbacks,
):
    closed = _council("closed")
    closed.is_active = False
    closed.save()
    with django_capture_on_commit_callbacks(execute=True):
        result = record_council_teams.delay(closed.pk, label="inactive")
        missing = record_council_teams.delay(closed.pk + 1000, label="missing")
    assert result is None and missing is None
    assert seen == []


def test_council_task_without_a_council_id_is_a_programming_error():
    with pytest.raises(TypeError, match="needs a council id"):
        record_council_teams.apply(kwargs={"label": "no council"}).get()
