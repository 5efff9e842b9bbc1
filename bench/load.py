"""Load benchmark of `make serve` (gunicorn, production settings) on the synthetic data set.

    make bench-load                     # or: .venv/bin/python bench/load.py [options]

What it does, all on loopback and bounded in time (--max-seconds, default 1200):

1. Makes the synthetic data set if it is missing (var/bench.sqlite3: 10,000 articles,
   10,000 terms, 10,000 FAQ entries, tagged; `manage.py generate_synthetic_data`), and a
   small one (100 of each) to show that query counts do not grow with the data.
2. Starts `make serve` on a free port with that database (its log goes to
   var/bench-server.log), finds an article, a tag and a search word, and puts a static
   file of exactly the article page's size into the collected static files (served by
   whitenoise: the ceiling for any page), then reloads gunicorn so that it is served.
3. Runs wrk (Debian package `wrk`) against each page for --duration seconds after a
   warm-up, each right after a run against the static file, and reports requests per
   second, p50 and p99 latency, errors and the ratio to that static run (paired runs
   seconds apart, so that other load on the machine weighs on both alike). "cached" pages are
   requested at one address (after the first, served from the page cache); "uncached"
   pages add a different `?nocache=N` to every request, so that each one is a page-cache
   miss rendered by Django (the linked article HTML stays in its own cache, as it does in
   production between content changes).
4. Counts the database queries of each page rendered without the page cache, on both
   data sets, and prints the ratios to the static file with the targets.

Only 127.0.0.1 is ever contacted.
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
PY = str(BASE / ".venv" / "bin" / "python")
VAR = BASE / "var"
SECRET = "bench-only-secret-key-" + "k" * 40
DEADLINE = None


def remaining():
    return max(1.0, DEADLINE - time.monotonic())


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def env_for(database, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_STATIC_ROOT=str(VAR / "bench-static"),
    )
    env.update(extra)
    return env


def manage(database, *args, **extra):
    subprocess.run(
        [PY, "manage.py", *args],
        cwd=BASE,
        env=env_for(database, **extra),
        check=True,
        timeout=remaining(),
    )


def ensure_data(database, count):
    if database.exists():
        return
    print(f"Making the synthetic data set {database.name} ({count:,} of each kind)...")
    partial = database.with_name(database.name + ".partial")
    for stale in VAR.glob(partial.name + "*"):
        stale.unlink()
    manage(partial, "migrate", "--noinput", "-v", "0")
    manage(
        partial,
        "generate_synthetic_data",
        f"--articles={count}",
        f"--terms={count}",
        f"--questions={count}",
    )
    subprocess.run(
        [PY, "-c", f"import sqlite3; sqlite3.connect({str(partial)!r}).execute('VACUUM')"],
        check=True,
        timeout=remaining(),
    )
    partial.rename(database)


def fetch(url, headers=None, timeout=30):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, dict(response.headers), response.read()


class Server:
    """`make serve` in its own process group, stopped whatever happens."""

    def __init__(self, database, port, extra_env):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = open(VAR / "bench-server.log", "w")  # noqa: SIM115
        # Workers are not recycled during the benchmark (each would start with a cold cache).
        env = env_for(database, PORT=str(port), GUNICORN_MAX_REQUESTS="0", **extra_env)
        self.process = subprocess.Popen(
            ["make", "--no-print-directory", "serve"],
            cwd=BASE,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout=180):
        stop = time.monotonic() + min(timeout, remaining())
        while time.monotonic() < stop:
            if self.process.poll() is not None:
                raise SystemExit(f"make serve exited; see {self.log.name}")
            try:
                if fetch(self.url + "/healthz", timeout=5)[0] == 200:
                    return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        raise SystemExit(f"make serve did not answer in time; see {self.log.name}")

    def master_pid(self):
        """gunicorn's master: the child of `make` (scripts/serve exec's into it)."""
        out = subprocess.run(
            ["ps", "-o", "pid=,args=", "--ppid", str(self.process.pid)],
            capture_output=True,
            text=True,
        ).stdout
        for line in out.splitlines():
            pid, _, args = line.strip().partition(" ")
            if "gunicorn" in args:
                return int(pid)
        raise SystemExit("gunicorn master not found")

    def workers(self):
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.master_pid())], capture_output=True, text=True
        ).stdout
        return [int(pid) for pid in out.split()]

    def cpu_seconds(self):
        """CPU time used so far by gunicorn: the master, its live workers, and the workers
        it has reaped (counted in the master's cutime/cstime)."""
        tick = os.sysconf("SC_CLK_TCK")
        master = self.master_pid()
        total = 0
        for pid in [master, *self.workers()]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            # utime, stime, cutime, cstime are fields 14-17 of /proc/PID/stat.
            total += sum(int(value) for value in fields[11:15])
        return total / tick

    def reload(self):
        """SIGHUP: new workers load the app again (whitenoise re-reads the static files)."""
        old = set(self.workers())
        os.kill(self.master_pid(), signal.SIGHUP)
        stop = time.monotonic() + 60
        while time.monotonic() < stop:
            current = set(self.workers())
            if current and not current & old:
                break
            time.sleep(0.2)
        self.wait_ready()

    def stop(self):
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


LUA_UNCACHED = """
counter = 0
paths = {%s}
request = function()
  counter = counter + 1
  local path = paths[(counter %% #paths) + 1]
  local sep = string.find(path, "?", 1, true) and "&" or "?"
  return wrk.format("GET", path .. sep .. "nocache=" .. counter)
end
"""

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def drain(url, static_path):
    """Wait until the server answers a static file quickly again: requests for slow pages
    that wrk gave up on may still be running, and would slow down the next measurement."""
    stop = time.monotonic() + min(90, remaining())
    while time.monotonic() < stop:
        started = time.perf_counter()
        with contextlib.suppress(urllib.error.URLError, OSError):
            fetch(url + static_path, timeout=30)
        if time.perf_counter() - started < 0.05:
            return
        time.sleep(0.5)


def measured(server, url, paths, options, uncached):
    """A wrk run, with the server's CPU time per request (robust to other load on the
    machine, unlike requests per second)."""
    drain(url, "/static/bench/page.html")
    before = server.cpu_seconds()
    row = wrk(url, paths, options.duration, options.connections, uncached)
    row["cpu_us"] = (server.cpu_seconds() - before) / max(row["requests"], 1) * 1e6
    return row


def wrk(url, paths, duration, connections, uncached, close=False):
    if not uncached and len(paths) != 1:
        raise ValueError("a cached scenario has one address")
    args = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if close:
        # A new connection for every request, so that every worker process gets some.
        args += ["-H", "Connection: close"]
    script = None
    if uncached:
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
        script.write(LUA_UNCACHED % ", ".join(json.dumps(p) for p in paths))
        script.close()
        args += ["-s", script.name]
    target = url + paths[0]
    try:
        out = subprocess.run(
            [*args, target], capture_output=True, text=True, timeout=duration + 30
        ).stdout
    finally:
        if script:
            os.unlink(script.name)
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for percent in ("50", "99"):
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\b", out, re.M).groups()
        result[f"p{percent}"] = float(value) * UNITS[unit]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    result["errors"] = (int(non2xx.group(1)) if non2xx else 0) + (
        sum(map(int, sockets.groups())) if sockets else 0
    )
    result["requests"] = int(re.search(r"(\d+) requests in", out).group(1))
    return result


QUERY_COUNTER = """
import json
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag
from articles.models import Article
article = Article.objects.published().first()
tag = Tag.objects.filter(taggit_taggeditem_items__object_id=article.pk).first()
pages = {
    "home": "/",
    "article": article.get_absolute_url(),
    "article list": "/articles/",
    "glossary index": "/glossary/",
    "tag page": f"/tags/{tag.slug}/",
    "search": "/search/?q=exosomal+marker",
}
client = Client()
counts = {}
for name, url in pages.items():
    client.get(url, HTTP_HOST="127.0.0.1")  # warm: linked HTML and glossary index built
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url, HTTP_HOST="127.0.0.1").status_code
    counts[name] = len(queries) if status == 200 else f"HTTP {status}"
print(json.dumps(counts))
"""


def query_counts(database):
    """{page: queries} for a page of each kind rendered without the page cache."""
    result = subprocess.run(
        [PY, "-c", QUERY_COUNTER],
        cwd=BASE,
        env=env_for(
            database,
            EXOSITE_PAGE_CACHE="0",
            DJANGO_LOG_LEVEL="WARNING",
            DJANGO_SETTINGS_MODULE="exosite.settings",
        ),
        capture_output=True,
        text=True,
        timeout=remaining(),
    )
    if result.returncode:
        print(result.stderr[-2000:])
        return {}
    return json.loads(result.stdout.strip().splitlines()[-1])


def first_link(html, prefix):
    found = re.search(rf'href="({re.escape(prefix)}[a-z0-9-]+/)"', html)
    return found.group(1) if found else None


def main():
    global DEADLINE
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per scenario")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--count", type=int, default=10_000, help="items of each kind")
    parser.add_argument("--database", default=str(VAR / "bench.sqlite3"))
    parser.add_argument("--max-seconds", type=int, default=1200)
    parser.add_argument("--no-query-counts", action="store_true")
    parser.add_argument("--only", default="", help="run only scenarios containing this text")
    parser.add_argument(
        "--rounds", type=int, default=3, help="paired static/page runs per page (median)"
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        help="NAME=VALUE for the server, e.g. WEB_CONCURRENCY=3",
    )
    options = parser.parse_args()
    DEADLINE = time.monotonic() + options.max_seconds
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    VAR.mkdir(exist_ok=True)
    database = Path(options.database).resolve()
    small = VAR / "bench-small.sqlite3"
    ensure_data(database, options.count)
    if not options.no_query_counts:
        ensure_data(small, 100)

    extra_env = dict(item.split("=", 1) for item in options.env)
    server = Server(database, free_port(), extra_env)
    try:
        server.wait_ready()
        url = server.url
        listing = fetch(url + "/articles/")[2].decode()
        article = first_link(listing, "/articles/")
        tag = first_link(fetch(url + "/tags/")[2].decode(), "/tags/")
        search_ok = True
        try:
            fetch(url + "/search/?q=exosomal")
        except urllib.error.HTTPError:
            search_ok = False
        size = len(fetch(url + article)[2])
        static_dir = VAR / "bench-static" / "bench"
        static_dir.mkdir(parents=True, exist_ok=True)
        (static_dir / "page.html").write_bytes(b"x" * size)
        server.reload()
        static = "/static/bench/page.html"
        assert len(fetch(url + static)[2]) == size

        status, headers, _ = fetch(url + article)
        status, headers, _ = fetch(url + article)
        workers = len(server.workers())
        threads = extra_env.get("GUNICORN_THREADS", "default")
        print(
            f"\nServer: make serve on {url}, {workers} workers, threads {threads}; "
            f"article page {size:,} bytes, second request X-Cache: {headers.get('X-Cache')}"
        )
        print(
            f"wrk -t1 -c{options.connections} -d{options.duration}s --latency, {options.rounds} "
            f"round(s) of static file then page per page, after a warm-up of at least "
            f"{options.warmup}s; load average before: {os.getloadavg()[0]:.2f}\n"
        )

        words = ["exosomal", "marker", "vesicle", "stromal", "dose", "trial", "cargo", "uptake"]
        scenarios = [
            ("static file (whitenoise), same size", [static], False),
            ("article, cached", [article], False),
            ("article, uncached", [article], True),
            ("article list, cached", ["/articles/"], False),
            ("article list, uncached", ["/articles/"], True),
            ("glossary index, cached", ["/glossary/"], False),
            ("glossary index, uncached", ["/glossary/"], True),
            ("tag page, cached", [tag], False),
            ("tag page, uncached", [tag], True),
        ]
        if search_ok:
            scenarios += [
                ("search, cached", ["/search/?q=exosomal+marker"], False),
                ("search, uncached (8 queries)", [f"/search/?q={w}" for w in words], True),
            ]
        else:
            print("(no /search/ page on this version: search skipped)")
        results = {}
        statics = []
        static_name, static_paths, _ = scenarios[0]
        wrk(url, static_paths, options.warmup, options.connections, False)
        for name, paths, uncached in scenarios[1:]:
            if options.only and options.only not in name:
                continue
            if remaining() < 2 * options.rounds * options.duration + options.warmup + 90:
                print(f"(out of time: {name} skipped)")
                continue
            # Warm up for long enough that every thread of every worker has rendered the
            # page once (a cold page is rendered by each process that gets it first).
            started = time.perf_counter()
            fetch(url + paths[0], timeout=60)
            first = time.perf_counter() - started
            warmup = min(30, max(options.warmup, round(first * 8)))
            # Keep-alive connections stay with the process that accepted them: warm up
            # with a connection per request, or a process first reached in the measured
            # run would render its first copy then (each process has its own cache
            # without Redis).
            wrk(url, paths, warmup, options.connections, uncached, close=True)
            wrk(url, paths, 1, options.connections, uncached)
            # The static file right before each page: the ratio compares two runs seconds
            # apart, so that other load on the machine affects both alike.
            # Each round: the static file, then the page. The page's figures are the round
            # with the median ratio.
            rounds = []
            for _ in range(options.rounds):
                static = measured(server, url, static_paths, options, False)
                statics.append(static)
                row = measured(server, url, paths, options, uncached)
                row["path"] = paths[0]
                row["ratio"] = row["rps"] / max(static["rps"], 0.1)
                row["cpu_ratio"] = static["cpu_us"] / max(row["cpu_us"], 0.1)
                row["static"] = static
                rounds.append(row)
            rounds.sort(key=lambda r: r["ratio"])
            row = rounds[len(rounds) // 2]
            row["ratios"] = [round(r["ratio"], 2) for r in rounds]
            static = row["static"]
            results[name] = row
            print(
                f"  {name:<30} {row['rps']:>8.1f} req/s  p50 {row['p50']:>7.2f} ms  "
                f"p99 {row['p99']:>7.2f} ms  err {row['errors']}  cpu {row['cpu_us']:>7.0f} us/req"
                f"  | static {static['rps']:>7.1f} req/s, {static['cpu_us']:>4.0f} us/req"
                f"  | ratio {row['ratio']:.2f} (by cpu {row['cpu_ratio']:.2f})"
                + (f" of {row['ratios']}" if options.rounds > 1 else ""),
                flush=True,
            )
    finally:
        server.stop()

    statics.sort(key=lambda row: row["rps"])
    median = statics[len(statics) // 2]
    print(
        f"\n  {static_name:<34} {median['rps']:>8.1f} req/s  p50 {median['p50']:>8.2f} ms  "
        f"p99 {median['p99']:>8.2f} ms  (median of {len(statics)} runs, "
        f"{statics[0]['rps']:.0f}-{statics[-1]['rps']:.0f} req/s)"
    )
    results[static_name] = median
    errors = sum(row["errors"] for row in results.values())
    verdicts = [errors == 0]
    summary = []
    for name, target in (("article, cached", 0.8), ("article, uncached", 0.2)):
        if name in results:
            ratio = results[name]["ratio"]
            verdicts.append(ratio >= target)
            summary.append(
                f"{name} >= {target:.2f}: {ratio:.2f} {'PASS' if ratio >= target else 'FAIL'}"
                f" (by server CPU per request: {results[name]['cpu_ratio']:.2f})"
            )
    summary.append(f"errors: {errors} {'PASS' if errors == 0 else 'FAIL'}")
    print("\nTargets:\n  " + "\n  ".join(summary))
    if not options.no_query_counts:
        large, small_counts = query_counts(database), query_counts(small)
        print(
            f"\nQueries per page, rendered without the page cache "
            f"({options.count:,} vs 100 items of each kind):"
        )
        for name, count in large.items():
            print(f"  {name:<16} {count!s:>4}   (small set: {small_counts.get(name, '?')})")
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
