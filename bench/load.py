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

    make bench-load BENCH_ARGS=--scale  # 100 against 100,000 articles, side by side

With --scale it measures instead how the pages fare as the data grows: the small set
(100 of each kind) and a large one (var/bench-scale-100000.sqlite3: 100,000 articles,
10,000 terms, 10,000 FAQ entries; made once, with progress, and kept), each served in
turn. Every public page kind is asked for uncached (plus the cached article), paired with
the static file as above, at 16 connections (--rounds rounds, the median kept) and at 64
(one round), for the CPU ratio and the p99 latency at each; the pages that list all
their items on one page (the FAQ index, a person's page) are rendered once and timed;
then the queries of every page, cold and warm, on both sets.

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
# --scale: the 100,000 articles. Terms and FAQ entries a tenth as many (10,000: the
# standard set's, and the glossary size bench/autolink.py goes up to), so that the large set
# differs from the standard one in its articles, the kind a site keeps adding; a glossary
# or FAQ of 100,000 entries would measure the linking automaton and a 100,000-answer FAQ
# page, not the article count.
SCALE_ARTICLES = 100_000
SCALE_CONNECTIONS = (16, 64)


def parse_options():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per scenario")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="items of each kind")
    parser.add_argument(
        "--database", help="SQLite file (default var/bench.sqlite3, or one per --count)"
    )
    parser.add_argument(
        "--max-seconds", type=int, help="the whole run's limit (default 1200; 4 hours with --scale)"
    )
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
    parser.add_argument(
        "--scale",
        action="store_true",
        help="instead: the uncached pages at 100 and at --scale-articles articles, side by side",
    )
    parser.add_argument(
        "--scale-articles",
        type=int,
        help=f"articles in the large set of --scale (default {SCALE_ARTICLES:,}; 1,000 with "
        "--quick); terms and FAQ entries: a tenth as many",
    )
    options = parser.parse_args()
    if options.quick:
        options.count, options.duration, options.warmup, options.rounds = 1_000, 2, 1, 1
    if options.scale_articles is None:
        options.scale_articles = 1_000 if options.quick else SCALE_ARTICLES
    if options.max_seconds is None:
        options.max_seconds = 4 * 3600 if options.scale else 1200
    options.extra_env = dict(item.split("=", 1) for item in options.env)
    if not options.database:
        name = "bench" if options.count == DEFAULT_COUNT else f"bench-{options.count}"
        options.database = str(VAR / f"{name}.sqlite3")
    return options


def server_env(database, **extra):
    # The read API's rate limit so high that wrk never meets it (its counting still runs).
    extra.setdefault("EXOSITE_API_RATE", "1000000000/m")
    return production_env(
        f"sqlite:///{database}", SECRET, DJANGO_STATIC_ROOT=str(VAR / "bench-static"), **extra
    )


# -- data ----------------------------------------------------------------------------------


def ensure_data(database, count, terms=None, questions=None):
    """The synthetic data set in `database`, made (into a partial file, renamed when
    complete) if it is missing: `count` articles, and as many terms and FAQ entries unless
    told otherwise."""
    if database.exists():
        return
    terms, questions = terms or count, questions or count
    print(
        f"Making the synthetic data set {database.name} ({count:,} articles, {terms:,} terms, "
        f"{questions:,} FAQ entries)...",
        flush=True,
    )
    started = time.monotonic()
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
        f"--terms={terms}",
        f"--questions={questions}",
        "--force",
    )
    subprocess.run(
        [PY, "-c", f"import sqlite3; sqlite3.connect({str(partial)!r}).execute('VACUUM')"],
        check=True,
        timeout=deadline.remaining(),
    )
    partial.rename(database)
    print(
        f"{database.name}: {database.stat().st_size / 1e6:,.0f} MB, made in "
        f"{time.monotonic() - started:,.0f} s (load average {os.getloadavg()[0]:.2f}; kept "
        "for the next run)",
        flush=True,
    )


# A page of each public kind of a synthetic set (the items the lists show first), as
# {name: address}; run in a child process with Django set up.
PAGES = """
from taggit.models import Tag
from articles.models import Article
from faq.models import Question
from glossary.models import Term
article = Article.objects.published().first()
tag = Tag.objects.filter(taggit_taggeditem_items__object_id=article.pk).first()
pages = {
    "home": "/",
    "article": article.get_absolute_url(),
    "article list": "/articles/",
    "term": Term.objects.published().first().get_absolute_url(),
    "glossary index": "/glossary/",
    "FAQ index": "/faq/",
    "FAQ entry": Question.objects.published().first().get_absolute_url(),
    "tag page": f"/tags/{tag.slug}/",
    "search": "/search/?q=exosomal+marker",
    "people": "/people/",
    "person": "/people/syn-author/",
}
"""

QUERY_COUNTER = (
    PAGES
    + """
import json
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from exosite.kernel import memo
client = Client()
counts = {}
for name, url in pages.items():
    cache.clear()  # cold: nothing kept, as after a content change
    memo.forget_all()
    found = []
    for _ in ("cold", "warm"):
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url, HTTP_HOST="127.0.0.1").status_code
        found.append(len(queries) if status == 200 else f"HTTP {status}")
    counts[name] = found
print(json.dumps(counts))
"""
)


def pages_of(database):
    """{page kind: address} of a page of each kind in the synthetic set in `database`."""
    env = server_env(database, DJANGO_LOG_LEVEL="WARNING")
    return django_json(env, PAGES + "import json; print(json.dumps(pages))")


def query_counts(database):
    """{page: [cold, warm]} for a page of each kind rendered without the page cache, cold
    (every cache emptied first) then warm (what is kept per content version kept)."""
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
    # The read API beside the HTML article: a list of 20 and the same article whole.
    api_article = "/api/v1/article/" + site.article.strip("/").rsplit("/", 1)[-1] + "/"
    pages += [("API list", ["/api/v1/article/?limit=20"]), ("API detail", [api_article])]
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
        f"\nQueries per page, rendered without the page cache, cold / warm "
        f"({count:,} vs {SMALL_COUNT} items of each kind):"
    )
    for name, queries in large.items():
        print(f"  {name:<16} {shown(queries):>9}   (small set: {shown(small_counts.get(name))})")


def shown(counts):
    """[cold, warm] as "cold / warm"."""
    return " / ".join(map(str, counts)) if counts else "?"


# -- scale: 100 against 100,000 articles ---------------------------------------------------

# Pages measured with wrk in the scale run, uncached (each request a page-cache miss, so
# that what grows with the data would show); "article, cached" as the hit for reference.
SCALE_PAGES = [
    "article, cached",
    "home",
    "article",
    "article list",
    "term",
    "glossary index",
    "FAQ entry",
    "tag page",
    "search",
    "people",
]
# Pages that list every item of theirs on one page (every FAQ answer, every article of
# the person): rendered once each, timed and weighed, not loaded with wrk.
SCALE_ONE_PAGE_LISTS = ["FAQ index", "person"]


def scale_sets(options):
    """[(label, database)]: the small set, and the large one, made if missing."""
    articles = options.scale_articles
    others = max(1, articles // 10)
    large = VAR / f"bench-scale-{articles}.sqlite3"
    small = VAR / "bench-small.sqlite3"
    ensure_data(small, SMALL_COUNT)
    ensure_data(large, articles, terms=others, questions=others)
    return [
        (f"{SMALL_COUNT:,} of each kind", small),
        (f"{articles:,} articles, {others:,} terms and FAQ entries", large),
    ]


def scale_paths(pages, name):
    """(paths, uncached) of a page of the scale run."""
    if name == "article, cached":
        return [pages["article"]], False
    if name == "search":
        return [f"/search/?q={word}" for word in SEARCH_WORDS], True
    return [pages[name]], True


def scale_measure(database, options):
    """{page: {connections: row}} for the SCALE_PAGES of one data set, each row paired with
    a static file of the article page's size: `options.rounds` rounds (median ratio) at 16
    connections, one round at 64; and {page: (ms, bytes)} of one request for each of the
    SCALE_ONE_PAGE_LISTS."""
    pages = pages_of(database)
    env = server_env(database, GUNICORN_MAX_REQUESTS="0", **options.extra_env)
    rows, lists = {}, {}
    with Server(env, log=VAR / "bench-server.log") as server:
        size = len(server.http.get(pages["article"]).body)
        serve_static_copy(server, size)
        print(
            f"  make serve on {server.url}, {len(server.workers())} workers; article page "
            f"{size:,} bytes; load average {os.getloadavg()[0]:.2f}",
            flush=True,
        )
        wrk(server.url, [STATIC], options.warmup, options.connections, False)
        for name in SCALE_PAGES:
            if options.only and options.only not in name:
                continue
            if deadline.remaining() < 4 * options.rounds * options.duration + 120:
                print(f"  (out of time: {name} skipped)")
                continue
            paths, uncached = scale_paths(pages, name)
            warm_up(server, paths, uncached, options)
            rows[name] = {}
            for connections in SCALE_CONNECTIONS:
                chosen = argparse.Namespace(
                    **{
                        **vars(options),
                        "connections": connections,
                        "rounds": options.rounds if connections == SCALE_CONNECTIONS[0] else 1,
                    }
                )
                row = paired_rounds(server, paths, uncached, chosen, [], None)
                rows[name][connections] = row
                print_row(f"{name} @{connections}", row, chosen)
        for name in SCALE_ONE_PAGE_LISTS:
            drain(server)
            started = time.perf_counter()
            response = server.http.get(f"{pages[name]}?nocache=scale", timeout=300)
            lists[name] = ((time.perf_counter() - started) * 1000, len(response.body))
            print(
                f"  {name}: one uncached request, {lists[name][0]:,.0f} ms, "
                f"{lists[name][1]:,} bytes",
                flush=True,
            )
    return rows, lists


def print_scale(labels, measured, counts):
    """One table: each page at both sizes side by side."""
    small, large = labels
    print(
        f"\nScale: uncached pages (each request a page-cache miss) at {small} and at {large}."
        "\nCPU = server CPU per request, ratio = the static file's CPU per request over the "
        "page's\n(the static file has the article page's size, measured seconds before); p99 "
        "latency\nat 16 and 64 connections; queries cold / warm, without the page cache.\n"
        "Each cell: small set | large set.\n"
    )
    print(
        f"  {'page':<16} {'CPU µs':>15} {'ratio by CPU':>13} {'p99 @16 ms':>15} "
        f"{'p99 @64 ms':>15}   queries"
    )
    for name in [*SCALE_PAGES, *SCALE_ONE_PAGE_LISTS]:
        query = " | ".join(shown(counts[label].get(name)) for label in labels)
        if name == "article, cached":
            query = "–"  # a page-cache hit: counted in tests/site/test_cache.py
        if name in SCALE_ONE_PAGE_LISTS:
            one = [measured[label][1].get(name) for label in labels]
            if all(one):
                timed = " | ".join(f"{ms:,.0f} ms, {size / 1e6:.2f} MB" for ms, size in one)
                print(f"  {name:<16} one request: {timed}   {query}")
            continue
        rows = [measured[label][0].get(name) for label in labels]
        if not all(rows):
            continue
        cpu, ratio, p99, p99_64 = (
            " | ".join(pattern.format(**row[connections]) for row in rows)
            for pattern, connections in (
                ("{cpu_us:.0f}", 16),
                ("{cpu_ratio:.2f}", 16),
                ("{p99:.1f}", 16),
                ("{p99:.1f}", 64),
            )
        )
        print(f"  {name:<16} {cpu:>15} {ratio:>13} {p99:>15} {p99_64:>15}   {query}")
    errors = sum(
        row[connections]["errors"]
        for label in labels
        for row in measured[label][0].values()
        for connections in row
    )
    print(f"\n  errors: {errors}")


def scale(options):
    sets = scale_sets(options)
    (VAR / "bench-server.log").write_text("")
    labels = [label for label, _ in sets]
    measured, counts = {}, {}
    for label, database in sets:
        print(f"\n{label} ({database.name}):", flush=True)
        measured[label] = scale_measure(database, options)
        counts[label] = {} if options.no_query_counts else query_counts(database)
    print(f"Load average after: {os.getloadavg()[0]:.2f}")
    print_scale(labels, measured, counts)
    return 0


def main():
    options = parse_options()
    deadline.start(options.max_seconds)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    VAR.mkdir(exist_ok=True)
    if options.scale:
        return scale(options)
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
