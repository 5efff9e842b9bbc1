"""Where an uncached page's time goes: cProfile of Django rendering each kind of page.

Run with `.venv/bin/python bench/profile.py` (a few minutes the first time: it makes
var/profile-<count>.sqlite3 with `generate_synthetic --profile load`, kept for the next
run). For each page it asks Django for it in-process (production settings, DEBUG off,
the server's middleware, no network), each time with a new `?nocache=N` so that every
request misses the page cache, as `bench/load.py`'s "uncached" rounds do; it prints the
CPU milliseconds per request (`time.process_time`), the queries per request, and the
functions that take the most time, by their own time and with what they call.

Options: `--count N` items of each kind (default 10,000, as `make bench-load`),
`--requests N` per page (default 300), `--only TEXT`, `--top N` (rows per table).
"""

import argparse
import json
import subprocess
import sys

from harness import BASE, PY, VAR, deadline, manage, production_env

CODE = r"""
import cProfile, io, json, pstats, sys, time
import django
django.setup()
from django.db import connection
from django.test import Client

options = json.loads(sys.argv[1])
from articles.models import Article
from faq.models import Question
from glossary.models import Term

article = Article.objects.published().order_by("pk")[10]
term = Term.objects.published().order_by("pk")[10]
question = Question.objects.published().order_by("pk")[10]
pages = {
    "article": article.get_absolute_url(),
    "term": term.get_absolute_url(),
    "FAQ entry": question.get_absolute_url(),
    "article list": "/articles/",
    "glossary": "/glossary/",
    "search": "/search/?q=vesicle+release",
}
client = Client(HTTP_HOST="127.0.0.1")
results = {}
counter = 0
for name, path in pages.items():
    if options["only"] and options["only"] not in name:
        continue
    sep = "&" if "?" in path else "?"

    def get():
        global counter
        counter += 1
        response = client.get(f"{path}{sep}nocache={counter}")
        assert response.status_code == 200, (path, response.status_code)
        return response

    for _ in range(20):
        get()  # warm: parts of pages, linked HTML, memos
    queries = []

    def counted(execute, sql, *args):
        queries.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(counted):
        size = len(get().content)
    start = time.process_time()
    for _ in range(options["requests"]):
        get()
    cpu_ms = (time.process_time() - start) * 1000 / options["requests"]
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(options["requests"]):
        get()
    profile.disable()
    tables = {}
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.strip_dirs().sort_stats(order).print_stats(options["top"])
        tables[order] = out.getvalue().split("\n", 6)[-1] if "ncalls" in out.getvalue() else ""
    results[name] = {
        "path": path, "cpu_ms": cpu_ms, "queries": len(queries), "bytes": size, **tables
    }
print(json.dumps(results))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--only", default="")
    parser.add_argument("--top", type=int, default=25)
    options = parser.parse_args()
    deadline.start(3600)
    VAR.mkdir(exist_ok=True)
    path = VAR / f"profile-{options.count}.sqlite3"
    env = production_env(f"sqlite:///{path}", "profile-only-secret-key-" + "x" * 40)
    if not path.exists():
        print(f"Making {path.name} ({options.count:,} items of each kind) ...", flush=True)
        manage(env, "migrate", "--noinput", quiet=True)
        count = str(options.count)
        manage(
            env,
            *("generate_synthetic", "--profile", "load", "--force"),
            *("--articles", count, "--terms", count, "--questions", count),
        )
    manage(env, "collectstatic", "--noinput", "-v", "0", quiet=True)
    arguments = json.dumps({"requests": options.requests, "only": options.only, "top": options.top})
    result = subprocess.run(
        [PY, "-c", CODE, arguments],
        cwd=BASE,
        env={**env, "DJANGO_SETTINGS_MODULE": "exosite.settings"},
        capture_output=True,
        text=True,
        timeout=deadline.remaining(),
    )
    if result.returncode:
        raise SystemExit(result.stderr[-3000:])
    pages = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"\n{'page':<14} {'CPU ms/request':>15} {'queries':>8} {'bytes':>8}")
    for name, row in pages.items():
        print(f"{name:<14} {row['cpu_ms']:>15.2f} {row['queries']:>8} {row['bytes']:>8,}")
    for name, row in pages.items():
        print(f"\n== {name} ({row['path']}): by own time ==\n{row['tottime']}")
        print(f"== {name}: with what it calls ==\n{row['cumulative']}")
    print(
        "Profiled: " + ", ".join(f"{n} {r['cpu_ms']:.2f} ms" for n, r in pages.items()),
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
