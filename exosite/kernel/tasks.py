"""Background work, through Django's tasks framework (`django.tasks`).

Which backend runs tasks is a setting (`EXOSITE_TASK_BACKEND`, settings.TASKS): in
production the database backend of django-tasks-db stores each task as a row and
`manage.py db_worker` (started by `make serve`, its own process on a fleet) runs it; while
debugging the immediate backend runs it at once, in the process that asked, so `make run`
needs no second process. Each app keeps its own tasks (`<app>/tasks.py`); this module has
the generic parts:

- `retry`: django.tasks has no retries (and django-tasks-db neither: its `utils.retry`
  only retries its own writes of a locked database). A task marked `@retry(...)` that
  fails on the database backend goes back in the queue with a growing delay (`run_after`),
  on the same row, until its attempts are used up; then it stays failed, with its error,
  for the admin's Tasks list. The immediate backend does not retry (it would make the
  request wait): what it runs either records its own failure for a later retry (emails)
  or is redone by the next change or command.
- `enqueue_after_commit`: for work that must not happen for a change that is rolled back
  (an email) or that must see the change (re-linking).

Every task here is idempotent: it works from ids and phrases and reads the current state
when it runs, so running it twice, or late, does no harm. Pages never wait for a task:
what a task keeps up to date (mentions, renditions, the search index of bulk changes) is
shown as it was until the task has run, never wrongly (ARCHITECTURE.md, "Tasks").
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.tasks import TaskResultStatus, task
from django.tasks.signals import task_finished
from django.utils import timezone

from . import mentions

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int  # runs in all, the first included
    delay: timedelta  # before the second run; doubled before each later one
    factor: float = 2

    def delay_after(self, attempt):
        """How long to wait after failed run number `attempt` (1 for the first)."""
        return self.delay * self.factor ** (attempt - 1)


def retry(attempts=5, delay=timedelta(seconds=30), factor=2):
    """Mark a task function for retries with backoff; put it under `@task`:

        @task
        @retry(attempts=5, delay=timedelta(seconds=30))
        def send_answer_email(submission_id): ...

    With the defaults a task runs at most 5 times, 30 s, 1, 2 and 4 minutes apart."""
    if attempts < 1:
        raise ValueError("A task runs at least once.")

    def mark(func):
        func.retry_policy = RetryPolicy(attempts, delay, factor)
        return func

    return mark


def retry_policy(task_object):
    return getattr(task_object.func, "retry_policy", None)


def _retry_failed(sender, task_result, **kwargs):
    """A failed run of a `@retry` task on the database backend goes back in the queue,
    unless it has had all its attempts. Every run appends its worker's id to the row
    (django-tasks-db's `claim`), so the row itself counts the attempts."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    policy = retry_policy(task_result.task)
    row = getattr(task_result, "db_result", None)  # only the database backend has one
    if policy is None or row is None:
        return
    attempt = len(row.worker_ids)
    if attempt >= policy.attempts:
        logger.error(
            "Task %s (%s) failed %d times; not retried again.",
            row.pk,
            task_result.task.name,
            attempt,
        )
        return
    run_after = timezone.now() + policy.delay_after(attempt)
    # The error stays on the row (the admin shows it while the retry waits); a successful
    # run clears it.
    type(row).objects.filter(pk=row.pk, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=run_after, finished_at=None
    )
    logger.warning(
        "Task %s (%s) failed (attempt %d of %d); retrying after %s.",
        row.pk,
        task_result.task.name,
        attempt,
        policy.attempts,
        run_after.isoformat(timespec="seconds"),
    )


def connect():
    task_finished.connect(_retry_failed, dispatch_uid="exosite-task-retries")


class WorkerLost(Exception):
    """The worker running a task stopped before it finished (killed, out of memory, its
    machine gone): the task's row still said "running"."""


def recover_stalled(older_than=timedelta(hours=1)):
    """Tasks left running by a worker that died: django-tasks-db never looks at them again.
    Those running for longer than `older_than` (far longer than any task here takes) go
    back in the queue if their retry policy has attempts left, else are marked failed with
    a `WorkerLost` error. Returns (requeued, failed). `manage.py recover_stalled_tasks`;
    `make serve` runs it before starting its worker."""
    from django_tasks_db.models import DBTaskResult

    requeued = failed = 0
    now = timezone.now()
    stalled = DBTaskResult.objects.running().filter(started_at__lt=now - older_than)
    for row in stalled:
        try:
            policy = retry_policy(row.task)
        except Exception:  # its code is gone: it cannot run again either
            policy = None
        running = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING)
        if policy is not None and len(row.worker_ids) < policy.attempts:
            requeued += running.update(
                status=TaskResultStatus.READY,
                run_after=now + policy.delay_after(len(row.worker_ids)),
            )
            continue
        failed += running.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=f"{__name__}.WorkerLost",
            traceback=f"{__name__}.WorkerLost: the worker running it since "
            f"{row.started_at.isoformat(timespec='seconds')} stopped before it finished",
        )
    return requeued, failed


def stores_tasks_in_database(task_object):
    """Whether `task_object`'s backend keeps tasks as rows of our database (and so writes
    them inside the current transaction)."""
    from django_tasks_db import DatabaseBackend

    return isinstance(task_object.get_backend(), DatabaseBackend)


def enqueue_after_commit(task_object, *args, then=None, **kwargs):
    """Enqueue `task_object` so that it runs only after the current transaction commits,
    and never for a change that is rolled back. The database backend writes the task in
    the transaction itself (committed with the change, so no crash between the two can
    lose it; the worker cannot see it earlier); any other backend enqueues on commit.
    `then(result)`, if given, is called with the task's result once it is enqueued (under
    the immediate backend, once it has run)."""

    def enqueue():
        result = task_object.enqueue(*args, **kwargs)
        if then is not None:
            then(result)

    if stores_tasks_in_database(task_object):
        enqueue()
    else:
        transaction.on_commit(enqueue)


def ran_already(result, default=None):
    """What a just-enqueued task returned, if it has run already (the immediate backend),
    else `default` (it is queued for the worker)."""
    return result.return_value if result.status == TaskResultStatus.SUCCESSFUL else default


# The kernel's own tasks ---------------------------------------------------------------


@task
@retry(attempts=3, delay=timedelta(seconds=10))
def refresh_mentions(phrases: list[str], exclude: str = "") -> int:
    """Re-link the content that contains any of `phrases` (a glossary term's names, or the
    addresses of an item that was saved), but `exclude` ("kind:pk", just recorded):
    re-records what those items link to. Idempotent: it reads the content as it is when it
    runs."""
    return mentions.refresh_mentions_containing(phrases, exclude=mentions.item(exclude))
