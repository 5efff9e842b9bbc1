"""Concurrent visitor questions under page traffic with workers killed, and Redis going away,
against a real `make serve` (gunicorn, production settings) on this test run's database.

This is the small version of bench/faults.py (which it runs with --quick): ~20-30 seconds.
"""

import json
import shutil
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

BASE = settings.BASE_DIR


@pytest.fixture(scope="module")
def results():
    vendor = "postgres" if connection.vendor == "postgresql" else "sqlite"
    args = [sys.executable, "bench/faults.py", "--quick", "--json", "--database", vendor]
    if not shutil.which("redis-server"):
        args.append("--no-redis")
    run = subprocess.run(args, cwd=BASE, capture_output=True, text=True, timeout=300)
    output = run.stdout
    assert "[" in output, run.stderr[-3000:]
    data = json.loads(output[output.index("[") : output.rindex("]") + 1])
    return {result["test"].split(" (")[0]: result for result in data}, run


def test_no_acknowledged_question_is_lost_when_workers_are_killed(results):
    found, run = results
    result = found["questions under load, workers killed"]
    assert result["problems"] == [], run.stdout[-3000:]
    assert result["workers killed"] >= 1
    assert result["acknowledged"] == result["stored once"] > 0
    # 3 an hour per visitor: the rest were refused with a clear answer, and not stored.
    assert result["refused (429)"] > 0
    assert result["acknowledged"] + result["refused (429)"] == result["questions sent"]
    assert result["page responses"].get("200", 0) > 0


def test_redis_going_away_degrades_to_no_cache(results):
    found, run = results
    result = found["Redis going away"]
    if "skipped" in result:
        pytest.skip(result["skipped"])
    assert result["problems"] == [], run.stdout[-3000:]
    assert set(result["page responses"]) == {"200"}
    assert result["health while down"] == "degraded"
    assert result["hits after Redis came back"] > 0
