"""Load and fault test of `make serve`: visitor questions sent concurrently with page
traffic, gunicorn workers killed mid-load, and Redis going away.

    make bench-faults                       # SQLite and PostgreSQL, full size
    .venv/bin/python bench/faults.py --quick --database sqlite --json   # what CI runs

For each database (a fresh SQLite file, and a fresh PostgreSQL database `exosite_faults`
made with the DATABASE_URL's role, or scripts/postgres'):

1. migrate, load the demo content, start `make serve` (2 workers in --quick, else 3).
2. Posters, each a different visitor (X-Forwarded-For, trusted for the test), send
   questions: load the form, post it, and on a broken connection or 5xx load and post
   the same question again, as a visitor would. The rate limit is 3 an hour, so each
   poster's 4th and later questions must be refused with a 429 that says so and shows
   the question back. Readers fetch pages all the while. A worker is killed (SIGKILL)
   part-way, more than once in the full run.
3. Then every acknowledged question (redirect to the thanks page, "already" included)
   must be stored exactly once, every refused one not at all, and the server must still
   serve pages.
4. With Redis (scripts/redis on a port of its own): pages are served while Redis is
   shut down mid-traffic and started again: no errors, health "degraded" meanwhile,
   cache hits again afterwards.

Only 127.0.0.1 is contacted (client addresses are only header values); every loop is
bounded in count and time (--max-seconds).
"""

import argparse
import html
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlparse

BASE = Path(__file__).resolve().parent.parent
PY = str(BASE / ".venv" / "bin" / "python")
VAR = BASE / "var"
SECRET = "faults-only-secret-key-" + "f" * 40
PAGES = ["/", "/articles/", "/faq/", "/glossary/", "/tags/"]
DEADLINE = None


def remaining():
    return max(1.0, DEADLINE - time.monotonic())


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def base_env(database_url, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_STATIC_ROOT=str(VAR / "faults-static"),
        DATABASE_URL=database_url,
        EXOSITE_TRUST_X_FORWARDED_FOR="1",
        EXOSITE_ASK_MIN_SECONDS="0",
        EXOSITE_ASK_RATE="3/h",
    )
    env.update(extra)
    return env


def manage(env, *args):
    subprocess.run(
        [PY, "manage.py", *args],
        cwd=BASE,
        env=env,
        check=True,
        timeout=remaining(),
        stdout=subprocess.DEVNULL,
    )


# -- databases ---------------------------------------------------------------------------


def sqlite_database():
    VAR.mkdir(exist_ok=True)
    path = VAR / "faults.sqlite3"
    for old in VAR.glob("faults.sqlite3*"):
        old.unlink()
    return f"sqlite:///{path}", lambda: None


def postgres_database():
    """A fresh database `exosite_faults` next to the one DATABASE_URL names."""
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = subprocess.run(
            [str(BASE / "scripts" / "postgres")], capture_output=True, text=True, check=True
        ).stdout.strip()
    parts = urlparse(url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("The PostgreSQL server must be on this machine (loopback).")
    admin = parts._replace(path="/postgres").geturl()
    target = parts._replace(path="/exosite_faults").geturl()

    def recreate():
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute("DROP DATABASE IF EXISTS exosite_faults WITH (FORCE)")
            connection.execute("CREATE DATABASE exosite_faults")

    def drop():
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute("DROP DATABASE IF EXISTS exosite_faults WITH (FORCE)")

    recreate()
    return target, drop


# -- HTTP ----------------------------------------------------------------------------------


class Http:
    def __init__(self, port):
        self.port = port

    def request(self, method, path, body=None, headers=None, timeout=60):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()


class Server:
    def __init__(self, env, workers):
        self.port = free_port()
        self.log = open(VAR / "faults-server.log", "a")  # noqa: SIM115
        self.process = subprocess.Popen(
            ["make", "--no-print-directory", "serve"],
            cwd=BASE,
            env={**env, "PORT": str(self.port), "WEB_CONCURRENCY": str(workers)},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.http = Http(self.port)
        stop = time.monotonic() + min(120, remaining())
        while time.monotonic() < stop:
            if self.process.poll() is not None:
                raise SystemExit(f"make serve exited; see {self.log.name}")
            try:
                if self.http.request("GET", "/healthz", timeout=5)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise SystemExit(f"make serve did not start; see {self.log.name}")

    def workers(self):
        master = subprocess.run(
            ["ps", "-o", "pid=,args=", "--ppid", str(self.process.pid)],
            capture_output=True,
            text=True,
        ).stdout
        pids = [int(line.split()[0]) for line in master.splitlines() if "gunicorn" in line]
        if not pids:
            return []
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(pids[0])], capture_output=True, text=True
        ).stdout
        return [int(pid) for pid in out.split()]

    def kill_a_worker(self):
        workers = self.workers()
        if workers:
            os.kill(random.choice(workers), signal.SIGKILL)
            return True
        return False

    def stop(self):
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED = re.compile(r'name="started" value="([^"]+)"')


def cookie_value(headers, name):
    for key, value in headers.items():
        if key.lower() == "set-cookie":
            found = re.search(rf"{name}=([^;]+)", value)
            if found:
                return found.group(1)
    return None


class Poster(threading.Thread):
    """One visitor sending questions one after another, retrying a failed send."""

    def __init__(self, http, number, questions, stats):
        super().__init__(daemon=True)
        self.http, self.number, self.questions, self.stats = http, number, questions, stats
        self.address = f"127.10.{number // 250}.{number % 250 + 1}"
        self.outcomes = {}  # question text -> "acked" | "limited" | "failed"

    def run(self):
        for n in range(self.questions):
            text = f"Load test question {uuid.uuid4().hex} from visitor {self.number}, number {n}?"
            self.outcomes[text] = self.send(text)

    def send(self, text):
        headers = {"X-Forwarded-For": self.address}
        for _ in range(6):
            if time.monotonic() > DEADLINE:
                return "failed"
            try:
                status, got, body = self.http.request("GET", "/faq/ask/", headers=headers)
                if status != 200:
                    self.stats.count("form", status)
                    time.sleep(0.2)
                    continue
                page = body.decode()
                form = {
                    "csrfmiddlewaretoken": TOKEN.search(page).group(1),
                    "started": html.unescape(STARTED.search(page).group(1)),
                    "question": text,
                    "name": "",
                    "email": "",
                    "website": "",
                }
                cookie = cookie_value(got, "csrftoken")
                status, got, body = self.http.request(
                    "POST",
                    "/faq/ask/",
                    body=urlencode(form),
                    headers={
                        **headers,
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Cookie": f"csrftoken={cookie}",
                    },
                )
            except (OSError, http.client.HTTPException):
                self.stats.count("post", "connection error")
                time.sleep(0.2)
                continue
            self.stats.count("post", status)
            if status == 302 and "/faq/ask/thanks/" in got.get("Location", ""):
                return "acked"
            if status == 429:
                page = body.decode()
                if "not</strong> sent" in page and html.escape(text) in page:
                    return "limited"
                return "limited-unclear"
            if status >= 500:
                time.sleep(0.2)
                continue
            return f"unexpected {status}"
        return "failed"


class Reader(threading.Thread):
    def __init__(self, http, stop, stats, paths):
        super().__init__(daemon=True)
        self.http, self.stop_event, self.stats, self.paths = http, stop, stats, paths

    def run(self):
        while not self.stop_event.is_set() and time.monotonic() < DEADLINE:
            path = random.choice(self.paths)
            try:
                status, headers, _ = self.http.request("GET", path, timeout=30)
                self.stats.count("page", status)
                self.stats.count("cache", headers.get("X-Cache", "-"))
            except (OSError, http.client.HTTPException):
                self.stats.count("page", "connection error")


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}

    def count(self, kind, value):
        with self.lock:
            bucket = self.counts.setdefault(kind, {})
            bucket[str(value)] = bucket.get(str(value), 0) + 1


def stored_counts(env, texts):
    """{question text: number of rows} read through Django, from the server's database."""
    code = (
        "import json, sys, django; django.setup();"
        "from faq.models import Submission;"
        "texts = json.load(sys.stdin);"
        "rows = Submission.objects.filter(question__startswith='Load test question');"
        "found = {}\n"
        "for q in rows.values_list('question', flat=True): found[q] = found.get(q, 0) + 1\n"
        "print(json.dumps({t: found.get(t, 0) for t in texts} | "
        "{'__others__': sum(n for q, n in found.items() if q not in texts)}))"
    )
    result = subprocess.run(
        [PY, "-c", code],
        cwd=BASE,
        env={**env, "DJANGO_SETTINGS_MODULE": "exosite.settings"},
        input=json.dumps(sorted(texts)),
        capture_output=True,
        text=True,
        timeout=remaining(),
    )
    if result.returncode:
        raise SystemExit(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def submissions_under_faults(name, env, size):
    server = Server(env, size["workers"])
    stats = Stats()
    try:
        article = re.search(
            r'href="(/articles/[a-z0-9-]+/)"', server.http.request("GET", "/articles/")[2].decode()
        )
        paths = [*PAGES, article.group(1)] if article else PAGES
        stop = threading.Event()
        readers = [Reader(server.http, stop, stats, paths) for _ in range(size["readers"])]
        posters = [Poster(server.http, n, size["questions"], stats) for n in range(size["posters"])]
        for thread in readers + posters:
            thread.start()
        kills = 0
        started = time.monotonic()
        expected = size["posters"] * size["questions"]
        for n in range(1, size["kills"] + 1):
            # Kill when a share of the questions has been sent: mid-load, whatever the speed.
            while sum(len(p.outcomes) for p in posters) < expected * n // (size["kills"] + 1):
                if not any(p.is_alive() for p in posters) or time.monotonic() > DEADLINE:
                    break
                time.sleep(0.01)
            if any(p.is_alive() for p in posters) and server.kill_a_worker():
                kills += 1
        for poster in posters:
            poster.join(timeout=remaining())
        stop.set()
        for reader in readers:
            reader.join(timeout=30)
        elapsed = time.monotonic() - started
        after = server.http.request("GET", "/", timeout=30)[0]
        health = json.loads(server.http.request("GET", "/healthz", timeout=30)[2])
    finally:
        server.stop()
    outcomes = {}
    for poster in posters:
        outcomes.update(poster.outcomes)
    stored = stored_counts(env, list(outcomes))
    others = stored.pop("__others__")
    acked = [t for t, o in outcomes.items() if o == "acked"]
    limited = [t for t, o in outcomes.items() if o.startswith("limited")]
    problems = []
    if bad := [t for t in acked if stored[t] != 1]:
        problems.append(f"{len(bad)} acknowledged question(s) not stored exactly once")
    if bad := [t for t in limited if stored[t] != 0]:
        problems.append(f"{len(bad)} refused question(s) stored")
    if unclear := [t for t, o in outcomes.items() if o == "limited-unclear"]:
        problems.append(f"{len(unclear)} refusal(s) without the explanation and the text")
    if failed := [t for t, o in outcomes.items() if o not in ("acked", "limited")]:
        problems.append(f"{len(failed)} question(s) never answered: {set(outcomes.values())}")
    if others:
        problems.append(f"{others} stored question(s) nobody sent")
    if after != 200 or health["status"] != "ok":
        problems.append(f"server not serving afterwards: GET / {after}, health {health['status']}")
    page_errors = sum(
        n for status, n in stats.counts.get("page", {}).items() if not status.startswith("2")
    )
    return {
        "test": f"questions under load, workers killed ({name})",
        "seconds": round(elapsed, 1),
        "questions sent": len(outcomes),
        "acknowledged": len(acked),
        "refused (429)": len(limited),
        "stored once": sum(1 for t in acked if stored[t] == 1),
        "workers killed": kills,
        "post attempts": stats.counts.get("post", {}),
        "page responses": stats.counts.get("page", {}),
        "page errors": page_errors,
        "problems": problems,
    }


def redis_goes_away(name, env, size):
    if not shutil.which("redis-server"):
        return {"test": f"Redis going away ({name})", "skipped": "redis-server not installed"}
    port = free_port()
    url = subprocess.run(
        [str(BASE / "scripts" / "redis")],
        env={**os.environ, "REDIS_PORT": str(port)},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    server = Server({**env, "REDIS_URL": url}, size["workers"])
    stats = Stats()
    phases = {}
    try:
        stop = threading.Event()
        readers = [Reader(server.http, stop, stats, PAGES) for _ in range(size["readers"])]
        for reader in readers:
            reader.start()
        step = size["redis_seconds"] / 3
        time.sleep(step)
        phases["before"] = dict(stats.counts.get("cache", {}))
        subprocess.run(
            ["redis-cli", "-p", str(port), "shutdown", "nosave"], capture_output=True, timeout=30
        )
        time.sleep(1)
        health_down = json.loads(server.http.request("GET", "/healthz")[2])["status"]
        time.sleep(step)
        phases["down"] = dict(stats.counts.get("cache", {}))
        subprocess.run(
            [str(BASE / "scripts" / "redis")],
            env={**os.environ, "REDIS_PORT": str(port)},
            capture_output=True,
            check=True,
            timeout=60,
        )
        time.sleep(step + 6)  # the cache retries Redis 5 s after a failure
        stop.set()
        for reader in readers:
            reader.join(timeout=30)
        health_up = json.loads(server.http.request("GET", "/healthz")[2])["status"]
        hits_after = stats.counts.get("cache", {}).get("hit", 0) - phases["down"].get("hit", 0)
    finally:
        server.stop()
        subprocess.run(
            ["redis-cli", "-p", str(port), "shutdown", "nosave"], capture_output=True, timeout=30
        )
    pages = stats.counts.get("page", {})
    errors = sum(n for status, n in pages.items() if not status.startswith("2"))
    problems = []
    if errors:
        problems.append(f"{errors} page error(s) while Redis went away: {pages}")
    if health_down != "degraded":
        problems.append(f"health while Redis was down: {health_down}")
    if health_up != "ok" or hits_after <= 0:
        problems.append(f"caching did not resume: health {health_up}, hits after {hits_after}")
    return {
        "test": f"Redis going away ({name})",
        "page responses": pages,
        "cache outcomes": stats.counts.get("cache", {}),
        "health while down": health_down,
        "hits after Redis came back": hits_after,
        "problems": problems,
    }


SIZES = {
    "quick": {
        "workers": 2,
        "posters": 4,
        "questions": 6,
        "readers": 2,
        "kills": 2,
        "redis_seconds": 6,
    },
    "full": {
        "workers": 3,
        "posters": 16,
        "questions": 10,
        "readers": 4,
        "kills": 3,
        "redis_seconds": 15,
    },
}


def main():
    global DEADLINE
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--quick", action="store_true", help="the small version CI runs")
    parser.add_argument("--no-redis", action="store_true")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--max-seconds", type=int, default=600)
    options = parser.parse_args()
    DEADLINE = time.monotonic() + options.max_seconds
    size = SIZES["quick" if options.quick else "full"]
    VAR.mkdir(exist_ok=True)
    (VAR / "faults-server.log").write_text("")
    kinds = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    results = []
    for kind in kinds:
        url, cleanup = sqlite_database() if kind == "sqlite" else postgres_database()
        env = base_env(url)
        try:
            manage(env, "migrate", "--noinput")
            manage(env, "load_demo")
            results.append(submissions_under_faults(kind, env, size))
            if not options.no_redis:
                results.append(redis_goes_away(kind, env, size))
        finally:
            cleanup()
    if options.json:
        print(json.dumps(results, indent=2))
    else:
        for result in results:
            print(f"\n{result.pop('test')}:")
            for key, value in result.items():
                print(f"  {key}: {value}")
    problems = [p for r in results for p in r.get("problems", [])]
    print("\nPASS" if not problems else f"\nFAIL: {problems}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
