"""Load and fault test of `make serve`: visitor questions sent concurrently with page
traffic, gunicorn workers killed mid-load, and Redis going away.

    make bench-faults                       # SQLite and PostgreSQL, full size
    .venv/bin/python bench/faults.py --quick --database sqlite --json   # what the tests run

For each database (a fresh SQLite file, and a fresh PostgreSQL database `exosite_faults`
made with the DATABASE_URL's role, or scripts/postgres'):

1. migrate, load the demo content, start `make serve` (2 workers in --quick, else 3).
2. Posters, each a different visitor (X-Forwarded-For, trusted for the test), send
   questions: load the form, post it, and on a broken connection or 5xx load and post
   the same question again, as a visitor would. The rate limit is 3 an hour, so each
   poster's 4th and later questions must be refused with a 429 that says so and shows
   the question back. Readers fetch pages all the while. A worker is killed (SIGKILL)
   each time a share of the questions has been sent (twice in --quick, three times in
   the full run), and the run waits until gunicorn has replaced it.
3. Then every acknowledged question (redirect to the thanks page, "already" included)
   must be stored exactly once, every refused one not at all, and the server must still
   serve pages.
4. With Redis (scripts/redis on a port of its own, installed when missing and possible):
   pages are served while Redis is shut down mid-traffic and started again: no errors,
   health "degraded" meanwhile, cache hits again afterwards. Each step waits for its
   event (Redis answering or not, the health check's verdict, hits after the restart).
   Without Redis, the result says "skipped" and why.

Only 127.0.0.1 is contacted (client addresses are only header values); every loop is
bounded in count and time (--max-seconds).
"""

import argparse
import html
import http.client
import json
import random
import re
import sys
import threading
import time
import uuid
from urllib.parse import urlencode

from harness import (
    VAR,
    Redis,
    Server,
    TimedOut,
    Unavailable,
    deadline,
    django_json,
    fresh_postgres,
    fresh_sqlite,
    manage,
    production_env,
    wait_for,
)

SECRET = "faults-only-secret-key-" + "f" * 40
PAGES = ["/", "/articles/", "/faq/", "/glossary/", "/tags/"]
LOG = VAR / "faults-server.log"
# "redis_phase": seconds of traffic in each phase of the Redis test, once its event has
# happened.
SIZES = {
    "quick": {
        "workers": 2,
        "posters": 4,
        "questions": 6,
        "readers": 2,
        "kills": 2,
        "redis_phase": 2,
    },
    "full": {
        "workers": 3,
        "posters": 16,
        "questions": 10,
        "readers": 4,
        "kills": 3,
        "redis_phase": 5,
    },
}
EVENT_TIMEOUT = 60  # generous: a loaded CI machine can be slow to replace a worker


def server_env(database_url, **extra):
    return production_env(
        database_url,
        SECRET,
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_STATIC_ROOT=str(VAR / "faults-static"),
        EXOSITE_TRUST_X_FORWARDED_FOR="1",
        EXOSITE_ASK_MIN_SECONDS="0",
        EXOSITE_ASK_RATE="3/h",
        **extra,
    )


# -- visitors ------------------------------------------------------------------------------

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED = re.compile(r'name="started" value="([^"]+)"')


def cookie_value(headers, name):
    for key, value in headers.items():
        if key.lower() == "set-cookie":
            found = re.search(rf"{name}=([^;]+)", value)
            if found:
                return found.group(1)
    return None


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}

    def count(self, kind, value):
        with self.lock:
            bucket = self.counts.setdefault(kind, {})
            bucket[str(value)] = bucket.get(str(value), 0) + 1

    def get(self, kind):
        with self.lock:
            return dict(self.counts.get(kind, {}))

    def total(self, kind):
        return sum(self.get(kind).values())


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
            if deadline.passed():
                return "failed"
            try:
                form = self.http.get("/faq/ask/", headers=headers)
                if form.status != 200:
                    self.stats.count("form", form.status)
                    time.sleep(0.2)
                    continue
                page = form.text()
                fields = {
                    "csrfmiddlewaretoken": TOKEN.search(page).group(1),
                    "started": html.unescape(STARTED.search(page).group(1)),
                    "question": text,
                    "name": "",
                    "email": "",
                    "website": "",
                }
                cookie = cookie_value(form.headers, "csrftoken")
                sent = self.http.request(
                    "POST",
                    "/faq/ask/",
                    body=urlencode(fields),
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
            self.stats.count("post", sent.status)
            if sent.status == 302 and "/faq/ask/thanks/" in sent.headers.get("Location", ""):
                return "acked"
            if sent.status == 429:
                page = sent.text()
                if "not</strong> sent" in page and html.escape(text) in page:
                    return "limited"
                return "limited-unclear"
            if sent.status >= 500:
                time.sleep(0.2)
                continue
            return f"unexpected {sent.status}"
        return "failed"


class Readers:
    """Threads fetching pages until stopped, counting statuses and X-Cache outcomes."""

    def __init__(self, http, count, paths, stats):
        self.http, self.paths, self.stats = http, paths, stats
        self.stop_event = threading.Event()
        self.threads = [threading.Thread(target=self.read, daemon=True) for _ in range(count)]
        for thread in self.threads:
            thread.start()

    def read(self):
        while not self.stop_event.is_set() and not deadline.passed():
            try:
                response = self.http.get(random.choice(self.paths), timeout=30)
                self.stats.count("page", response.status)
                self.stats.count("cache", response.headers.get("X-Cache", "-"))
            except (OSError, http.client.HTTPException):
                self.stats.count("page", "connection error")

    def stop(self):
        self.stop_event.set()
        for thread in self.threads:
            thread.join(timeout=30)


def page_errors(pages):
    return sum(n for status, n in pages.items() if not status.startswith("2"))


# -- questions under load, workers killed ------------------------------------------------


def stored_counts(env, texts):
    """{question text: number of rows} read through Django, from the server's database."""
    code = (
        "import json, sys\n"
        "from faq.models import Submission\n"
        "texts = json.load(sys.stdin)\n"
        "rows = Submission.objects.filter(question__startswith='Load test question')\n"
        "found = {}\n"
        "for q in rows.values_list('question', flat=True): found[q] = found.get(q, 0) + 1\n"
        "print(json.dumps({t: found.get(t, 0) for t in texts} | "
        "{'__others__': sum(n for q, n in found.items() if q not in texts)}))"
    )
    return django_json(env, code, stdin=json.dumps(sorted(texts)))


def kill_workers_while_posting(server, posters, kills):
    """Kill a worker each time another share of the questions has been sent, and wait
    each time until gunicorn has replaced it. Returns (kills done, seconds each took,
    problems)."""
    expected = sum(p.questions for p in posters)
    done, seconds, problems = 0, [], []
    for n in range(1, kills + 1):

        def share_sent(n=n):
            sent = sum(len(p.outcomes) for p in posters)
            return sent >= expected * n // (kills + 1) or not any(p.is_alive() for p in posters)

        try:
            wait_for(share_sent, EVENT_TIMEOUT * 4, f"{n}/{kills + 1} of the questions sent", 0.01)
            seconds.append(round(server.kill_worker(server.busiest_worker()), 2))
            done += 1
        except TimedOut as exc:
            problems.append(str(exc))
    return done, seconds, problems


def submissions_under_faults(name, env, size):
    stats = Stats()
    with Server(env, log=LOG, workers=size["workers"]) as server:
        article = re.search(r'href="(/articles/[a-z0-9-]+/)"', server.http.get("/articles/").text())
        paths = [*PAGES, article.group(1)] if article else PAGES
        readers = Readers(server.http, size["readers"], paths, stats)
        posters = [Poster(server.http, n, size["questions"], stats) for n in range(size["posters"])]
        started = time.monotonic()
        for poster in posters:
            poster.start()
        kills, kill_seconds, problems = kill_workers_while_posting(server, posters, size["kills"])
        for poster in posters:
            poster.join(timeout=deadline.remaining())
        readers.stop()
        elapsed = time.monotonic() - started
        after = server.http.get("/", timeout=30).status
        health = server.http.get("/healthz", timeout=30).json()
    outcomes = {}
    for poster in posters:
        outcomes.update(poster.outcomes)
    stored, found = check_questions(env, outcomes)
    problems += found
    if after != 200 or health["status"] != "ok":
        problems.append(f"server not serving afterwards: GET / {after}, health {health['status']}")
    acked = [t for t, o in outcomes.items() if o == "acked"]
    return {
        "test": f"questions under load, workers killed ({name})",
        "seconds": round(elapsed, 1),
        "questions sent": len(outcomes),
        "acknowledged": len(acked),
        "refused (429)": sum(1 for o in outcomes.values() if o.startswith("limited")),
        "stored once": sum(1 for t in acked if stored[t] == 1),
        "workers killed": kills,
        "seconds until each was replaced": kill_seconds,
        "post attempts": stats.get("post"),
        "page responses": stats.get("page"),
        "page errors": page_errors(stats.get("page")),
        "problems": problems,
    }


def check_questions(env, outcomes):
    """What the database holds against what each visitor was told: ({question text:
    rows}, problems)."""
    stored = stored_counts(env, list(outcomes))
    others = stored.pop("__others__")
    problems = []
    acked = [t for t, o in outcomes.items() if o == "acked"]
    if bad := [t for t in acked if stored[t] != 1]:
        problems.append(f"{len(bad)} acknowledged question(s) not stored exactly once")
    limited = [t for t, o in outcomes.items() if o.startswith("limited")]
    if bad := [t for t in limited if stored[t] != 0]:
        problems.append(f"{len(bad)} refused question(s) stored")
    if unclear := [t for t, o in outcomes.items() if o == "limited-unclear"]:
        problems.append(f"{len(unclear)} refusal(s) without the explanation and the text")
    if failed := [t for t, o in outcomes.items() if o not in ("acked", "limited")]:
        problems.append(f"{len(failed)} question(s) never answered: {set(outcomes.values())}")
    if others:
        problems.append(f"{others} stored question(s) nobody sent")
    return stored, problems


# -- Redis going away ----------------------------------------------------------------------


def redis_goes_away(name, env, size):
    test = f"Redis going away ({name})"
    redis = Redis()
    try:
        url = redis.start()
    except Unavailable as exc:
        return {"test": test, "skipped": str(exc)}
    stats = Stats()
    phase = size["redis_phase"]
    problems, health_down, hits_after = [], None, 0
    try:
        with Server({**env, "REDIS_URL": url}, log=LOG, workers=size["workers"]) as server:
            readers = Readers(server.http, size["readers"], PAGES, stats)

            def health():
                return server.http.get("/healthz", timeout=30).json()["status"]

            def served_more(count):
                start = stats.total("page")
                return lambda: stats.total("page") >= start + count

            try:
                wait_for(lambda: stats.get("cache").get("hit", 0) > 0, EVENT_TIMEOUT, "hits")
                time.sleep(phase)
                redis.shutdown(EVENT_TIMEOUT)
                health_down = wait_for(
                    lambda: (status := health()) != "ok" and status,
                    EVENT_TIMEOUT,
                    "/healthz no longer 'ok' once Redis was gone",
                )
                wait_for(served_more(20), EVENT_TIMEOUT, "pages served while Redis was gone")
                time.sleep(phase)
                hits_down = stats.get("cache").get("hit", 0)
                redis.start()
                # The cache leaves Redis alone for 5 s after a failure, then uses it again.
                wait_for(lambda: health() == "ok", EVENT_TIMEOUT, "/healthz 'ok' again")
                wait_for(
                    lambda: stats.get("cache").get("hit", 0) > hits_down + 10,
                    EVENT_TIMEOUT,
                    "cache hits again after Redis came back",
                )
                hits_after = stats.get("cache").get("hit", 0) - hits_down
            except TimedOut as exc:
                problems.append(str(exc))
            finally:
                readers.stop()
    finally:
        redis.shutdown()
    pages = stats.get("page")
    if errors := page_errors(pages):
        problems.append(f"{errors} page error(s) while Redis went away: {pages}")
    if health_down not in (None, "degraded"):
        problems.append(f"health while Redis was down: {health_down}")
    return {
        "test": test,
        "page responses": pages,
        "cache outcomes": stats.get("cache"),
        "health while down": health_down,
        "hits after Redis came back": hits_after,
        "problems": problems,
    }


# -- main ----------------------------------------------------------------------------------


def parse_options():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--quick", action="store_true", help="the small version the tests run")
    parser.add_argument("--no-redis", action="store_true", help="skip the Redis test")
    parser.add_argument(
        "--only", choices=["questions", "redis"], help="run only the question or the Redis test"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--max-seconds", type=int, default=600)
    return parser.parse_args()


def run_on(kind, options):
    size = SIZES["quick" if options.quick else "full"]
    url, cleanup = fresh_sqlite("faults") if kind == "sqlite" else fresh_postgres("exosite_faults")
    env = server_env(url)
    results = []
    try:
        manage(env, "migrate", "--noinput", quiet=True)
        manage(env, "load_demo", quiet=True)
        if options.only != "redis":
            results.append(submissions_under_faults(kind, env, size))
        if options.only != "questions":
            if options.no_redis:
                results.append({"test": f"Redis going away ({kind})", "skipped": "--no-redis"})
            else:
                results.append(redis_goes_away(kind, env, size))
    finally:
        cleanup()
    return results


def report(results, as_json):
    if as_json:
        print(json.dumps(results, indent=2))
        return
    for result in results:
        print(f"\n{result['test']}:")
        for key, value in result.items():
            if key != "test":
                print(f"  {key}: {value}")


def main():
    options = parse_options()
    deadline.start(options.max_seconds)
    VAR.mkdir(exist_ok=True)
    LOG.write_text("")
    kinds = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    results = [result for kind in kinds for result in run_on(kind, options)]
    report(results, options.json)
    problems = [p for r in results for p in r.get("problems", [])]
    print("\nPASS" if not problems else f"\nFAIL: {problems}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
