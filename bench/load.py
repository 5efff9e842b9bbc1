"""Load benchmark of `make serve` (gunicorn, production settings) on the synthetic data set.

    make bench-load                     # or: .venv/bin/python bench/load.py [options]
    make bench-load BENCH_ARGS=--quick  # 1,000 items of each kind, one short round

What it does, all on loopback and bounded in time (--max-seconds, default 1200):

1. Makes the synthetic data set if it is missing (var/bench.sqlite3: 10,000 articles,
   10,000 terms, 10,000 FAQ entries, tagged; `manage.py generate_synthetic --profile
   load`; another --count gets a file of its own, var/bench-<count>.sqlite3), and a
   small one (100 of each) to show that query counts do not grow with the data.
2. Starts `make serve` on a free port with that database (its log goes to
   var/bench-server.log), finds an article, a tag and a search word, and puts a static
   file of exactly the article page's size into the collected static files (served by
   whitenoise: the ceiling for any page), then reloads gunicorn so that it is served.
3. Runs wrk (Debian package `wrk`) against each page for --duration seconds after a
   warm-up, each right after a run against the static file, and reports requests per
   second, p50 and p99 latency, errors, the server's CPU time per request (gunicorn's
   processes, from /proc) and the ratio to that static run (paired runs seconds apart,
   so that other load on the machine weighs on both alike). "cached" pages are
   requested at one address (after the first, served from the page cache); "uncached"
   pages add a different `?nocache=N` to every request, so that each one is a page-cache
   miss rendered by Django (the linked article HTML stays in its own cache, as it does in
   production between content changes).
   The cached article is also asked for as a browser would (`Accept-Encoding: br`, then
   gzip), to compare the CPU of a compressed hit with an identity one.
4. Reports the gunicorn workers' memory after the run (VmRSS and its peak VmHWM, from
   /proc/PID/status), the article page's size in each coding, then counts the database
   queries of each page rendered without the page cache, on both data sets, and prints
   the ratios to the static file with the targets.

Only 127.0.0.1 is ever contacted.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from harness import (
    PY,
    VAR,
    Server,
    TimedOut,
    deadline,
    django_json,
    manage,
    production_env,
    wait_for,
)

SECRET = "bench-only-secret-key-" + "k" * 40
DEFAULT_COUNT = 10_000
SMALL_COUNT = 100
STATIC = "/static/bench/page.html"
STATIC_NAME = "static file (whitenoise), same size"
SEARCH_WORDS = ["exosomal", "marker", "vesicle", "stromal", "dose", "trial", "cargo", "uptake"]
TARGETS = {"article, cached": 0.8, "article, uncached": 0.2}


def parse_options():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per scenario")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="items of each kind")
    parser.add_argument(
        "--database", help="SQLite file (default var/bench.sqlite3, or one per --count)"
    )
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
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a short check of the whole benchmark: 1,000 items, 2 s runs, one round",
    )
    options = parser.parse_args()
    if options.quick:
        options.count, options.duration, options.warmup, options.rounds = 1_000, 2, 1, 1
    options.extra_env = dict(item.split("=", 1) for item in options.env)
    if not options.database:
        name = "bench" if options.count == DEFAULT_COUNT else f"bench-{options.count}"
        options.database = str(VAR / f"{name}.sqlite3")
    return options


def server_env(database, **extra):
    return production_env(
        f"sqlite:///{database}", SECRET, DJANGO_STATIC_ROOT=str(VAR / "bench-static"), **extra
    )


# -- data ----------------------------------------------------------------------------------


def ensure_data(database, count):
    """The synthetic data set in `database`, made (into a partial file, renamed when
    complete) if it is missing."""
    if database.exists():
        return
    print(f"Making the synthetic data set {database.name} ({count:,} of each kind)...")
    partial = database.with_name(database.name + ".partial")
    for stale in partial.parent.glob(partial.name + "*"):
        stale.unlink()
    env = server_env(partial)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(
        env,
        "generate_synthetic",
        "--profile=load",
        f"--articles={count}",
        f"--terms={count}",
        f"--questions={count}",
        "--force",
    )
    subprocess.run(
        [PY, "-c", f"import sqlite3; sqlite3.connect({str(partial)!r}).execute('VACUUM')"],
        check=True,
        timeout=deadline.remaining(),
    )
    partial.rename(database)


QUERY_COUNTER = """
import json
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
    env = server_env(database, EXOSITE_PAGE_CACHE="0", DJANGO_LOG_LEVEL="WARNING")
    try:
        return django_json(env, QUERY_COUNTER)
    except SystemExit as error:
        print(error)
        return {}


# -- the site under test -------------------------------------------------------------------


@dataclass
class Site:
    article: str
    tag: str
    search: bool
    page_size: int
    encoded_sizes: dict  # {"gzip": bytes, "br": bytes} of the article page as sent


def first_link(html, prefix):
    found = re.search(rf'href="({re.escape(prefix)}[a-z0-9-]+/)"', html)
    return found.group(1) if found else None


def discover(server):
    """An article, a tag, whether there is a search page, and the article page's size."""
    http = server.http
    article = first_link(http.get("/articles/").text(), "/articles/")
    encoded_sizes = {}
    for coding in ("gzip", "br"):
        response = http.get(article, headers={"Accept-Encoding": coding})
        if response.headers.get("Content-Encoding") == coding:
            encoded_sizes[coding] = len(response.body)
    return Site(
        article=article,
        tag=first_link(http.get("/tags/").text(), "/tags/"),
        search=http.get("/search/?q=exosomal").status == 200,
        page_size=len(http.get(article).body),
        encoded_sizes=encoded_sizes,
    )


def serve_static_copy(server, size):
    """A static file of `size` bytes, served by whitenoise once gunicorn has reloaded."""
    static_dir = VAR / "bench-static" / "bench"
    static_dir.mkdir(parents=True, exist_ok=True)
    (static_dir / "page.html").write_bytes(b"x" * size)
    server.reload()
    assert len(server.http.get(STATIC).body) == size


def scenarios(site):
    """(name, paths, uncached, request headers) for each measured page."""
    pages = [
        ("article", [site.article]),
        ("article list", ["/articles/"]),
        ("glossary index", ["/glossary/"]),
        ("tag page", [site.tag]),
    ]
    found = []
    for name, paths in pages:
        found += [(f"{name}, cached", paths, False, {}), (f"{name}, uncached", paths, True, {})]
    # A hit as browsers ask for it: the stored Brotli (or gzip) variant, no compression.
    for coding in site.encoded_sizes:
        found.insert(1, (f"article, cached, {coding}", [site.article], False, ae(coding)))
    if site.search:
        found += [
            ("search, cached", ["/search/?q=exosomal+marker"], False, {}),
            ("search, uncached (8 queries)", [f"/search/?q={w}" for w in SEARCH_WORDS], True, {}),
        ]
    else:
        print("(no /search/ page on this version: search skipped)")
    return found


# -- wrk -------------------------------------------------------------------------------------

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


def ae(coding):
    return {"Accept-Encoding": coding}


def wrk(url, paths, duration, connections, uncached, close=False, headers=None):
    """One wrk run: {rps, p50, p99 (ms), errors, requests}."""
    if not uncached and len(paths) != 1:
        raise ValueError("a cached scenario has one address")
    args = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]  # wrk.format() in the Lua script sends them too
    if close:
        # A new connection for every request, so that every worker process gets some.
        args += ["-H", "Connection: close"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        if uncached:
            script.write(LUA_UNCACHED % ", ".join(json.dumps(p) for p in paths))
            script.flush()
            args += ["-s", script.name]
        out = subprocess.run(
            [*args, url + paths[0]], capture_output=True, text=True, timeout=duration + 30
        ).stdout
    return parse_wrk(out)


def parse_wrk(out):
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


def drain(server):
    """Wait until the server answers the static file quickly again: requests for slow
    pages that wrk gave up on may still be running, and would slow down the next run."""

    def quick():
        started = time.perf_counter()
        try:
            server.http.get(STATIC, timeout=30)
        except OSError:
            return False
        return time.perf_counter() - started < 0.05

    try:
        wait_for(quick, 90, "the server idle again", interval=0.5)
    except TimedOut as exc:  # measure anyway; the figures will show it
        print(f"  ({exc})")


def measured(server, paths, options, uncached, headers=None):
    """A wrk run, with the server's CPU time per request (robust to other load on the
    machine, unlike requests per second)."""
    drain(server)
    before = server.cpu_seconds()
    row = wrk(server.url, paths, options.duration, options.connections, uncached, headers=headers)
    row["cpu_us"] = (server.cpu_seconds() - before) / max(row["requests"], 1) * 1e6
    return row


def warm_up(server, paths, uncached, options, headers=None):
    """Long enough that every thread of every worker has rendered the page once (a cold
    page is rendered by each process that gets it first), with a connection per request
    (keep-alive connections stay with the process that accepted them)."""
    started = time.perf_counter()
    server.http.get(paths[0], headers=headers, timeout=60)
    first = time.perf_counter() - started
    seconds = min(30, max(options.warmup, round(first * 8)))
    wrk(server.url, paths, seconds, options.connections, uncached, close=True, headers=headers)
    wrk(server.url, paths, 1, options.connections, uncached, headers=headers)


def paired_rounds(server, paths, uncached, options, statics, headers=None):
    """Each round: the static file, then the page, seconds apart, so that other load on the
    machine weighs on both alike. The page's figures are the round with the median ratio."""
    rounds = []
    for _ in range(options.rounds):
        static = measured(server, [STATIC], options, False)
        statics.append(static)
        row = measured(server, paths, options, uncached, headers)
        row.update(
            path=paths[0],
            static=static,
            ratio=row["rps"] / max(static["rps"], 0.1),
            cpu_ratio=static["cpu_us"] / max(row["cpu_us"], 0.1),
        )
        rounds.append(row)
    rounds.sort(key=lambda r: r["ratio"])
    row = middle(rounds)
    row["ratios"] = [round(r["ratio"], 2) for r in rounds]
    return row


def middle(rows):
    """The median row of rows sorted by the figure that matters (the upper one of two)."""
    return rows[len(rows) // 2]


def print_row(name, row, options):
    static = row["static"]
    print(
        f"  {name:<30} {row['rps']:>8.1f} req/s  p50 {row['p50']:>7.2f} ms  "
        f"p99 {row['p99']:>7.2f} ms  err {row['errors']}  cpu {row['cpu_us']:>7.0f} us/req"
        f"  | static {static['rps']:>7.1f} req/s, {static['cpu_us']:>4.0f} us/req"
        f"  | ratio {row['ratio']:.2f} (by cpu {row['cpu_ratio']:.2f})"
        + (f" of {row['ratios']}" if options.rounds > 1 else ""),
        flush=True,
    )


def run_scenarios(server, site, options):
    """({scenario: its row}, [every static run])."""
    results, statics = {}, []
    wrk(server.url, [STATIC], options.warmup, options.connections, False)
    for name, paths, uncached, headers in scenarios(site):
        if options.only and options.only not in name:
            continue
        if deadline.remaining() < 2 * options.rounds * options.duration + options.warmup + 90:
            print(f"(out of time: {name} skipped)")
            continue
        warm_up(server, paths, uncached, options, headers)
        results[name] = paired_rounds(server, paths, uncached, options, statics, headers)
        print_row(name, results[name], options)
    return results, statics


# -- report --------------------------------------------------------------------------------


def print_header(server, site, options):
    server.http.get(site.article)
    cache = server.http.get(site.article).headers.get("X-Cache")
    threads = options.extra_env.get("GUNICORN_THREADS", "default")
    sizes = ", ".join(
        f"{coding} {size:,} ({size / site.page_size:.0%})"
        for coding, size in site.encoded_sizes.items()
    )
    print(
        f"\nServer: make serve on {server.url}, {len(server.workers())} workers, threads "
        f"{threads}; article page {site.page_size:,} bytes ({sizes or 'not compressed'}), "
        f"second request X-Cache: {cache}"
    )
    print(
        f"wrk -t1 -c{options.connections} -d{options.duration}s --latency, {options.rounds} "
        f"round(s) of static file then page per page, after a warm-up of at least "
        f"{options.warmup}s; load average before: {os.getloadavg()[0]:.2f}\n"
    )


def print_static_median(statics):
    statics = sorted(statics, key=lambda row: row["rps"])
    median = middle(statics)
    print(
        f"\n  {STATIC_NAME:<34} {median['rps']:>8.1f} req/s  p50 {median['p50']:>8.2f} ms  "
        f"p99 {median['p99']:>8.2f} ms  cpu {median['cpu_us']:>5.0f} us/req  (median of "
        f"{len(statics)} runs, {statics[0]['rps']:.0f}-{statics[-1]['rps']:.0f} req/s)"
    )
    return median


def print_targets(results):
    """The targets, PASS or FAIL each; True when all are met."""
    errors = sum(row["errors"] for row in results.values())
    verdicts, summary = [errors == 0], []
    for name, target in TARGETS.items():
        if name in results:
            ratio = results[name]["ratio"]
            verdicts.append(ratio >= target)
            summary.append(
                f"{name} >= {target:.2f}: {ratio:.2f} {'PASS' if ratio >= target else 'FAIL'}"
                f" (by server CPU per request: {results[name]['cpu_ratio']:.2f})"
            )
    summary.append(f"errors: {errors} {'PASS' if errors == 0 else 'FAIL'}")
    print("\nTargets:\n  " + "\n  ".join(summary))
    return all(verdicts)


def print_memory(memory):
    """The workers' resident memory after the run (and at its peak)."""
    mb = 1024 * 1024
    now = ", ".join(f"{rss / mb:.0f}" for rss, _ in memory.values())
    peak = ", ".join(f"{hwm / mb:.0f}" for _, hwm in memory.values())
    print(
        f"\nWorker memory after the run ({len(memory)} workers, VmRSS from /proc/PID/status): "
        f"{now} MB (peak VmHWM: {peak} MB)"
    )


def print_compression(results, site):
    """A hit in each coding, from the same run: CPU per request against the identity hit."""
    plain = results.get("article, cached")
    if not plain or not site.encoded_sizes:
        return
    print(f"\nArticle page: identity {site.page_size:,} bytes", end="")
    for coding, size in site.encoded_sizes.items():
        print(f", {coding} {size:,} ({size / site.page_size:.1%})", end="")
    print(f"\n  hit CPU per request: identity {plain['cpu_us']:.0f} us", end="")
    for coding in site.encoded_sizes:
        row = results.get(f"article, cached, {coding}")
        if row:
            print(
                f", {coding} {row['cpu_us']:.0f} us ({coding}/identity "
                f"{row['cpu_us'] / max(plain['cpu_us'], 0.1):.2f}; ratio to static by cpu "
                f"{row['cpu_ratio']:.2f})",
                end="",
            )
    print()


def print_query_counts(database, small, count):
    large, small_counts = query_counts(database), query_counts(small)
    print(
        f"\nQueries per page, rendered without the page cache "
        f"({count:,} vs {SMALL_COUNT} items of each kind):"
    )
    for name, queries in large.items():
        print(f"  {name:<16} {queries!s:>4}   (small set: {small_counts.get(name, '?')})")


def main():
    options = parse_options()
    deadline.start(options.max_seconds)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    VAR.mkdir(exist_ok=True)
    database, small = Path(options.database).resolve(), VAR / "bench-small.sqlite3"
    ensure_data(database, options.count)
    if not options.no_query_counts:
        ensure_data(small, SMALL_COUNT)
    # Workers are not recycled during the benchmark (each would start with a cold cache).
    env = server_env(database, GUNICORN_MAX_REQUESTS="0", **options.extra_env)
    (VAR / "bench-server.log").write_text("")
    with Server(env, log=VAR / "bench-server.log") as server:
        site = discover(server)
        serve_static_copy(server, site.page_size)
        print_header(server, site, options)
        results, statics = run_scenarios(server, site, options)
        memory = server.worker_memory()
    results[STATIC_NAME] = print_static_median(statics)
    print_compression(results, site)
    print_memory(memory)
    print(f"Load average after: {os.getloadavg()[0]:.2f}")
    passed = print_targets(results)
    if not options.no_query_counts:
        print_query_counts(database, small, options.count)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
