"""Site search at 10,000 and 100,000 documents, on SQLite and PostgreSQL (issue 6).

    .venv/bin/python bench/search.py                      # SQLite only
    DATABASE_URL=$(scripts/postgres) .venv/bin/python bench/search.py   # SQLite, then PostgreSQL
    .venv/bin/python bench/search.py --sizes 2000 10000   # other sizes

For each database it creates a throwaway database (a temporary SQLite file; on
PostgreSQL a database named exosite_search_bench, dropped afterwards), fills it with
`manage.py generate_synthetic` (progress bars), brings the search index up to date, then
times the search itself (`engine.search()`: one ranked page of 10 with the total and the
highlighted snippets, not the page rendering) for common, mid-frequency, rare and
two-word queries, and the type-ahead (`engine.suggest()`), and prints the median and
95th percentile in milliseconds. Targets at 100,000 documents (issue 6): rare < 5 ms and
common < 50 ms at the median. It takes a few minutes and stops by itself.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = (10_000, 100_000)
RUNS = 25  # timed runs per query, after WARMUP untimed ones
WARMUP = 3
# Share of each kind in the synthetic content.
MIX = {"articles": 0.4, "terms": 0.4, "questions": 0.2}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--worker", choices=("sqlite", "postgresql"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, sorted(args.sizes), args.runs)
    url = os.environ.get("DATABASE_URL", "")
    databases = ["sqlite"]
    if url.startswith(("postgres://", "postgresql://")):
        databases.append("postgresql")
    else:
        print("(Set DATABASE_URL to a PostgreSQL server to benchmark PostgreSQL too.)\n")
    status = 0
    for database in databases:
        command = [sys.executable, __file__, "--worker", database, "--runs", str(args.runs)]
        command += ["--sizes", *map(str, args.sizes)]
        env = dict(os.environ)
        if database == "sqlite":
            env.pop("DATABASE_URL", None)
        status |= subprocess.run(command, env=env, cwd=ROOT, check=False).returncode
    return status


def worker(database, sizes, runs):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.db import connection

    with tempfile.TemporaryDirectory(prefix="exosite-search-bench-") as tmp:
        test_name = str(Path(tmp) / "bench.sqlite3") if database == "sqlite" else None
        connection.settings_dict["TEST"]["NAME"] = test_name or "exosite_search_bench"
        original = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            run(database, sizes, runs)
        finally:
            connection.creation.destroy_test_db(original, verbosity=0)
    return 0


def run(database, sizes, runs):
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from exosite.management.commands.generate_synthetic import RARE_WORDS, vocabulary
    from exosite.models import SearchDocument
    from exosite.search.engines import get_engine
    from exosite.search.query import parse, parse_prefix

    engine = get_engine()
    if database == "sqlite":
        import sqlite3

        name = f"SQLite {sqlite3.sqlite_version} (FTS5)"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            name = f"PostgreSQL {cursor.fetchone()[0]} (tsvector + GIN)"
    print(f"\n== {name} ==")

    words = vocabulary()
    # Zipf ranks (generate_synthetic): the first words are in nearly every document,
    # ranks ~25 in about a third, ranks ~300 in a few percent; the rare words in about
    # one in a thousand. The matches column shows how many each query found.
    queries = {
        "very common": words[0:5],
        "common": words[25:30],
        "mid-frequency": words[300:305],
        "rare": RARE_WORDS[0:5],
        "two words": [f"{words[300 + n]} {words[400 + n]}" for n in range(5)],
        "type-ahead": [words[n][:3] for n in (30, 60, 90, 120, 150)],
    }
    rows = []
    for size in sizes:
        started = time.monotonic()
        # About 96% of generated items are indexed (the rest are drafts).
        add = round((size - SearchDocument.objects.count()) / 0.96)
        call_command(
            "generate_synthetic",
            articles=int(add * MIX["articles"]),
            terms=int(add * MIX["terms"]),
            questions=add - int(add * MIX["articles"]) - int(add * MIX["terms"]),
            tags=200,
            prefix="bench",
            seed=size,
            force=True,
        )
        engine.optimize()
        if database == "postgresql":
            with connection.cursor() as cursor:  # what autovacuum does on a live server
                cursor.execute(f"VACUUM ANALYZE {SearchDocument._meta.db_table}")
        documents = SearchDocument.objects.count()
        print(f"  {documents:,} documents indexed in {time.monotonic() - started:.0f} s")
        now = timezone.now()
        for kind, texts in queries.items():
            samples, matches = [], []
            for text in texts:
                if kind == "type-ahead":
                    query = parse_prefix(text)

                    def call(query=query, now=now):
                        return engine.suggest(query, now=now), None

                else:
                    query = parse(text)

                    def call(query=query, now=now):
                        return engine.search(query, now=now, limit=10)

                for _ in range(WARMUP):
                    call()
                for _ in range(runs):
                    start = time.perf_counter()
                    _, total = call()
                    samples.append((time.perf_counter() - start) * 1000)
                matches.append(total)
            rows.append((documents, kind, texts[0], matches, samples))
    print()
    header = f"{'documents':>9}  {'query':<14} {'example':<22} {'matches':>15}"
    print(f"  {header}  {'median':>8}  {'p95':>8}")
    print("  (matches: counted up to 1,000; the search ranks and lists the best 1,000)")
    for documents, kind, example, matches, samples in rows:
        found = "-" if matches[0] is None else f"{_shown(min(matches))}–{_shown(max(matches))}"
        p95 = statistics.quantiles(samples, n=20)[-1]
        print(
            f"  {documents:>9,}  {kind:<14} {example!r:<22} {found:>15}  "
            f"{statistics.median(samples):>6.2f}ms  {p95:>6.2f}ms"
        )


def _shown(count):
    from exosite.search.engines import COUNT_LIMIT

    return f"{COUNT_LIMIT:,}+" if count > COUNT_LIMIT else f"{count:,}"


if __name__ == "__main__":
    sys.exit(main())
