"""Concurrent visitor questions under page traffic with workers killed, and Redis going away,
against a real `make serve` (gunicorn, production settings) on this test run's kind of
database.

This is the small version of bench/faults.py (which it runs with --quick): ~20-30 seconds.
Each fault is waited for (a worker killed and replaced by gunicorn, Redis no longer
answering), never assumed after a fixed time. The Redis test gets its own Redis server
through scripts/redis, which installs Debian's redis-server when it is missing and it may
(as root); where it cannot, the test is skipped and the summary says why.

Marked `server` (they start servers): `make test-fast` leaves them out.
"""

import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def results():
    vendor = "postgres" if connection.vendor == "postgresql" else "sqlite"
    run = subprocess.run(
        [sys.executable, "bench/faults.py", "--quick", "--json", "--database", vendor],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = run.stdout
    assert "[" in output, run.stderr[-3000:]
    data = json.loads(output[output.index("[") : output.rindex("]") + 1])
    return {result["test"].split(" (")[0]: result for result in data}, run


def result_of(results, test):
    found, run = results
    assert test in found, f"bench/faults.py reported no {test!r}: {run.stdout[-3000:]}"
    return found[test], run


def test_no_acknowledged_question_is_lost_when_workers_are_killed(results):
    result, run = result_of(results, "questions under load, workers killed")
    assert result["problems"] == [], run.stdout[-3000:]
    # Each kill was seen through: the worker gone and gunicorn's replacement up.
    assert result["workers killed"] == 2
    assert len(result["seconds until each was replaced"]) == 2
    assert result["acknowledged"] == result["stored once"] > 0
    # 3 an hour per visitor: the rest were refused with a clear answer, and not stored.
    assert result["refused (429)"] > 0
    assert result["acknowledged"] + result["refused (429)"] == result["questions sent"]
    assert result["page responses"].get("200", 0) > 0


def test_redis_going_away_degrades_to_no_cache(results):
    result, run = result_of(results, "Redis going away")
    if "skipped" in result:
        pytest.skip(result["skipped"])
    assert result["problems"] == [], run.stdout[-3000:]
    assert set(result["page responses"]) == {"200"}
    assert result["health while down"] == "degraded"
    assert result["hits after Redis came back"] > 0
