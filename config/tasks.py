"""Celery task base classes and the ``ping`` task CI sends through Redis and back.

Tasks are thin (style.md, Celery): they take ids, re-enter the council scope, call one
service and are safe to run twice. Two base classes carry the plumbing, after pretix's
``TransactionAwareTask`` and ``EventTask``:

``TransactionAwareTask``
    ``delay()``/``apply_async()`` inside a transaction queue the task only once that
    transaction commits, so a worker never looks for a row that is not yet visible, and a
    rolled-back change sends nothing. Outside a transaction the task is queued at once.
    While deferred, ``apply_async`` returns ``None`` (there is no task id yet).

``CouncilTask``
    Also takes a council id (first positional argument or ``council_id=``), loads the
    council and runs the task body inside ``django_scopes.scope(council=...)`` with the
    ``Council`` object as keyword ``council``::

        @app.task(base=CouncilTask)
        def send_reminders(*, council: Council, case_id: int) -> None:
            reminders_send(council=council, case_id=case_id)

        send_reminders.delay(council.pk, case_id=case.pk)

    A council that no longer exists or is inactive makes the task a logged no-op (a retried
    or late task must not fail for ever); the body is not run.

In tests, ``on_commit`` callbacks only run inside pytest-django's
``django_capture_on_commit_callbacks(execute=True)`` (or a ``transaction=True`` test).
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from celery import Task
from django.db import transaction
from django_scopes import scope

from config.celery import app

logger = logging.getLogger(__name__)


class TransactionAwareTask(Task):
    """Queue the task only after the surrounding database transaction commits."""

    def apply_async(self, args: Any = None, kwargs: Any = None, **options: Any) -> Any:
        if transaction.get_connection().in_atomic_block:
            # Why: a worker (or eager execution) must see the committed rows, and a rollback
            # must send nothing.
            transaction.on_commit(
                functools.partial(super().apply_async, args, kwargs, **options)
            )
            return None
        return super().apply_async(args, kwargs, **options)


class CouncilTask(TransactionAwareTask):
    """Run the task body inside the scope of one council, passed as ``council=``."""

    # The caller passes a council id, the body receives ``council=``: the signatures differ on
    # purpose, so Celery's check of call arguments against the body's signature is off.
    typing = False

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from councils.models import Council  # import here: tasks load before apps are ready

        if "council_id" in kwargs:
            council_id = kwargs.pop("council_id")
        elif args:
            council_id, *rest = args
            args = tuple(rest)
        else:
            raise TypeError(f"{self.name} needs a council id (first argument or council_id=).")
        council = Council.objects.filter(pk=council_id, is_active=True).first()
        if council is None:
            logger.warning("%s skipped: council %s missing or inactive", self.name, council_id)
            return None
        with scope(council=council):
            return super().__call__(*args, council=council, **kwargs)


@app.task(name="config.tasks.ping")
def ping() -> str:
    """Answer ``"pong"``: proves a task travels broker -> worker -> result backend."""
    return "pong"
