"""Site search at 10,000 and 100,000 documents, on SQLite and PostgreSQL.

    .venv/bin/python bench/search.py                      # SQLite only
    DATABASE_URL=$(scripts/postgres) .venv/bin/python bench/search.py   # SQLite, then PostgreSQL
    .venv/bin/python bench/search.py --sizes 2000 10000   # other sizes
    .venv/bin/python bench/search.py --language es        # the same documents in Spanish

For each database it creates a throwaway database (a temporary SQLite file; on
PostgreSQL a database named exosite_search_bench, dropped afterwards), fills it with
`manage.py generate_synthetic --profile search` (progress bars; the search index is
brought up to date), then times the search itself (`engine.count()` and
`engine.ranked()`: how many matches and which, best first; not the page rendering) for
very common, common, mid-frequency, rare and two-word queries, and the type-ahead
(`engine.suggest()`), and prints the median and 95th percentile in milliseconds, plus
the median with the first page's highlighted snippets (`engine.hits()`). Targets at
100,000 documents: rare < 5 ms and common < 50 ms at the median. It takes a few minutes
and stops by itself.

With `--language es` every document is marked Spanish once made (timed: on SQLite each is
then stemmed in Python into the Spanish table) and searched as Spanish, its words stemmed
the Spanish way (the synthetic words are not Spanish, but the work is the same).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import BASE, median, p95, project_on_path

project_on_path()

SIZES = (10_000, 100_000)
RUNS = 25  # timed runs per query, after WARMUP untimed ones
WARMUP = 3
# Share of each kind in the synthetic content.
MIX = {"articles": 0.4, "terms": 0.4, "questions": 0.2}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--language", default="en", choices=("en", "es"))
    parser.add_argument("--worker", choices=("sqlite", "postgresql"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, sorted(args.sizes), args.runs, args.language)
    url = os.environ.get("DATABASE_URL", "")
    databases = ["sqlite"]
    if url.startswith(("postgres://", "postgresql://")):
        databases.append("postgresql")
    else:
        print("(Set DATABASE_URL to a PostgreSQL server to benchmark PostgreSQL too.)\n")
    status = 0
    for database in databases:
        command = [sys.executable, __file__, "--worker", database, "--runs", str(args.runs)]
        command += ["--language", args.language]
        command += ["--sizes", *map(str, args.sizes)]
        env = dict(os.environ)
        if database == "sqlite":
            env.pop("DATABASE_URL", None)
        status |= subprocess.run(command, env=env, cwd=BASE, check=False).returncode
    return status


def worker(database, sizes, runs, language="en"):
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
            run(database, sizes, runs, language)
        finally:
            connection.creation.destroy_test_db(original, verbosity=0)
    return 0


def run(database, sizes, runs, language="en"):
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from exosite.management.commands.generate_synthetic import (
        PUBLISHED_SHARE,
        RARE_WORDS,
        vocabulary,
    )
    from exosite.models import SearchDocument
    from exosite.search.engines import LIMIT, get_engine
    from exosite.search.query import parse, parse_prefix

    engine = get_engine(language)
    if database == "sqlite":
        import sqlite3

        name = f"SQLite {sqlite3.sqlite_version} (FTS5)"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            name = f"PostgreSQL {cursor.fetchone()[0]} (tsvector + GIN)"
    print(f"\n== {name}, documents in {language} ==")

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
        # Drafts are not indexed: make enough items for `size` documents.
        add = round((size - SearchDocument.objects.count()) / PUBLISHED_SHARE)
        call_command(
            "generate_synthetic",
            profile="search",
            articles=int(add * MIX["articles"]),
            terms=int(add * MIX["terms"]),
            questions=add - int(add * MIX["articles"]) - int(add * MIX["terms"]),
            tags=200,
            prefix="bench",
            seed=size,
            force=True,
            add=True,
        )
        if language != "en":
            marked = time.monotonic()
            count = SearchDocument.objects.exclude(language=language).update(language=language)
            spent = time.monotonic() - marked
            print(f"  {count:,} documents made {language} in {spent:.1f} s (re-indexed)")
        engine.optimize()
        if database == "postgresql":
            with connection.cursor() as cursor:  # what autovacuum does on a live server
                cursor.execute(f"VACUUM ANALYZE {SearchDocument._meta.db_table}")
        documents = SearchDocument.objects.count()
        print(f"  {documents:,} documents indexed in {time.monotonic() - started:.0f} s")
        now = timezone.now()
        for kind, texts in queries.items():
            searches, pages, matches = [], [], []
            for text in texts:
                query = parse_prefix(text) if kind == "type-ahead" else parse(text, language)
                for run in range(WARMUP + runs):
                    start = time.perf_counter()
                    if kind == "type-ahead":
                        engine.suggest(query, now=now)
                        total = None
                    else:
                        # The search itself: how many, and which, best first.
                        total = engine.count(query, now=now)
                        ids = engine.ranked(query, now=now, total=total)
                    middle = time.perf_counter()
                    if kind != "type-ahead":
                        engine.hits(query, ids[:10])  # the first page's snippets
                    end = time.perf_counter()
                    if run >= WARMUP:
                        searches.append((middle - start) * 1000)
                        pages.append((end - start) * 1000)
                matches.append(total)
            rows.append((documents, kind, texts[0], matches, searches, pages))
    print()
    header = f"{'documents':>9}  {'query':<14} {'example':<22} {'matches':>13}"
    print(f"  {header}  {'median':>8}  {'p95':>8}  {'+ snippets':>10}")
    print(
        f"  (matches: counted up to {LIMIT:,}; median and p95: the search itself, count and"
        f" ranking; + snippets: median with the first page's highlighted snippets)"
    )
    for documents, kind, example, matches, searches, pages in rows:
        found = "-" if matches[0] is None else f"{_shown(min(matches))}–{_shown(max(matches))}"
        with_snippets = "" if kind == "type-ahead" else f"{median(pages):>8.2f}ms"
        print(
            f"  {documents:>9,}  {kind:<14} {example!r:<22} {found:>13}  "
            f"{median(searches):>6.2f}ms  {p95(searches):>6.2f}ms  {with_snippets:>10}"
        )


def _shown(count):
    from exosite.search.engines import LIMIT

    return f"{LIMIT:,}+" if count > LIMIT else f"{count:,}"


if __name__ == "__main__":
    sys.exit(main())
