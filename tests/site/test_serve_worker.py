"""`make serve` runs the task worker beside gunicorn: a real server on a free port with a
fresh SQLite database (bench/harness.py starts and stops it), a task queued by another
process is done by the worker, and stopping the server stops the worker too, gracefully.

Marked `server` (it starts servers): `make test-fast` leaves it out.
"""

import os
import sys

import pytest
from django.conf import settings

sys.path.insert(0, str(settings.BASE_DIR / "bench"))
import harness  # bench/ is not a package: found on the path above

pytestmark = pytest.mark.server

SECRET = "serve-worker-test-secret-" + "w" * 40


def family(pid):
    """{pid: command line} of `pid` and every process descended from it."""
    processes = harness._processes()
    found = {pid}
    for child, (parent, _) in sorted(processes.items()):
        if parent in found:
            found.add(child)
    return {p: processes[p][1] for p in found if p in processes}


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def task_state(env, task_id):
    return harness.django_json(
        env,
        "import json\nfrom django_tasks_db.models import DBTaskResult\n"
        f"row = DBTaskResult.objects.get(pk={task_id!r})\n"
        "print(json.dumps([row.status, row.return_value, row.worker_ids]))",
    )


def test_make_serve_runs_the_task_worker_and_stops_it_with_the_server():
    harness.deadline.start(600)
    database_url, cleanup = harness.fresh_sqlite("serve-worker")
    log = harness.VAR / "serve-worker.log"
    log.unlink(missing_ok=True)
    env = harness.production_env(
        database_url,
        SECRET,
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        DJANGO_STATIC_ROOT=str(harness.VAR / "serve-worker-static"),
    )
    try:
        with harness.Server(env, log=log, workers=1) as server:
            processes = family(server.process.pid)
            workers = [pid for pid, command in processes.items() if "db_worker" in command]
            assert len(workers) == 1, processes
            [worker] = workers
            assert server.master_pid() in processes  # gunicorn beside it

            # Queued by another process, as an app server's request would.
            task_id = harness.django_json(
                env,
                "import json\nfrom exosite.kernel.tasks import refresh_mentions\n"
                "print(json.dumps(refresh_mentions.enqueue(['exosome']).id))",
            )
            harness.wait_for(
                lambda: task_state(env, task_id)[0] == "SUCCESSFUL",
                60,
                "the queued task done by make serve's worker",
                interval=0.5,
            )
            status, returned, worker_ids = task_state(env, task_id)
            assert isinstance(returned, int) and len(worker_ids) == 1
            assert server.http.get("/healthz").status == 200
        # Stopped with the server, once and gracefully (not cut short by a second signal).
        harness.wait_for(lambda: not alive(worker), 30, "the worker stopped with the server")
        text = log.read_text()
        assert text.count("shutting down gracefully") == 1, text[-3000:]
        assert "Task worker running" in text
    finally:
        cleanup()
