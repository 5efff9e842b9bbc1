"""Markdown rendering time on the worst inputs found, up to the largest text allowed.

Run with `.venv/bin/python bench/render.py` (about a minute; needs no database for stage
one). For each input shape it renders texts of growing size through stage one
(`render_markdown`: Markdown and sanitising, without its cache) and prints the
milliseconds and the microseconds per character, which stay flat when the time grows
linearly. `--link` adds stage two (`linking.link`: cross-links, citations, auto-links) on a
fresh SQLite database with the demo content. `--before REV` also measures the
`exosite/kernel/markdown.py` of that git revision, stopping a shape once one render takes
longer than `--before-max-seconds` (the quadratic cases take minutes further on).
"""

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import (
    BASE,
    deadline,
    django_json,
    fresh_sqlite,
    manage,
    production_env,
    project_on_path,
)

SIZES = (1_000, 2_000, 4_000, 8_000, 25_000, 50_000, 100_000)
BEFORE_SIZES = (1_000, 2_000, 4_000, 8_000)


def nested(marker, levels):
    """Lists (or quotations) nested `levels` deep, over and over."""
    if marker == ">":
        return "".join(">" * depth + " quoted\n" for depth in range(1, levels + 1)) + "\n"
    return "".join(" " * (4 * depth) + f"{marker} item\n" for depth in range(levels)) + "\n"


# name -> a unit repeated (and cut) to the size wanted
SHAPES = {
    "[[ run": "[[",
    "[ run": "[",
    "![ run": "![",
    "[a run": "[a",
    "[a]( run": "[a](",
    '[a](" run': '[a]("',
    "[ ... ] nested": None,
    "[^ run (footnote marks)": "[^",
    "=\\n run (headings)": "=\n",
    "*[ run (abbreviations)": "*[",
    "<a run (unclosed tags)": "<a ",
    "* run": "*",
    "_ run": "_",
    "*a run": "*a",
    "**a_ run": "**a_",
    "nested lists": nested("-", 24),
    "nested quotations": nested(">", 24),
    "long table": "| a | b | c |\n|---|:-:|--:|\n" + "| one | *two* | [3] |\n" * 10,
    "many links": "[a link](https://example.org/page) and ![an image](/x.png) ",
    "cross-links and citations": "See [[glossary:exosome]] and [[Exosome|this]] [1, 2]. ",
    "prose": "Exosomes are *small* vesicles that carry **cargo** between cells. ",
}


def text(shape, size):
    if SHAPES[shape] is None:
        return "[" * (size // 2) + "]" * (size // 2)
    unit = SHAPES[shape]
    return (unit * (size // len(unit) + 1))[:size]


def load_module(source, name):
    path = Path(tempfile.mkdtemp()) / f"{name}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def render_function(module):
    """The module's render_markdown, without the cache the current one has."""
    render = module.render_markdown
    return getattr(render, "__wrapped__", render)


def print_timing(shape, size, ms, note=""):
    """One line: the milliseconds, and the microseconds per character (flat when linear)."""
    print(
        f"  {shape:<26} {size:>7,} chars {ms:>10.1f} ms {ms * 1000 / size:>8.2f} µs/char{note}",
        flush=True,
    )


def measure(render, sizes, stop_after=None):
    """{size: milliseconds} for each shape; a shape stops growing once a render took
    longer than `stop_after` seconds."""
    results = {}
    for shape in SHAPES:
        results[shape] = {}
        for size in sizes:
            source = text(shape, size)
            started = time.perf_counter()
            try:
                render(source)
                outcome = ""
            except ValueError as error:  # MarkdownLimitError
                outcome = f" refused: {str(error)[:60]}"
            seconds = time.perf_counter() - started
            results[shape][size] = seconds * 1000
            print_timing(shape, size, seconds * 1000, outcome)
            if stop_after is not None and seconds > stop_after:
                break
    return results


LINK_CODE = """
import json, sys, time
from exosite.kernel import linking
from exosite.kernel.markdown import render_markdown
sources = json.loads(sys.stdin.read())
out = {}
for key, source in sources.items():
    html = render_markdown(source)
    started = time.perf_counter()
    linking.link(html, cites=True, figures={})
    out[key] = (time.perf_counter() - started) * 1000
print(json.dumps(out))
"""


def measure_linking(sizes):
    """Stage two, in a child process with Django and a fresh database of demo content."""
    database_url, _ = fresh_sqlite("bench-render")
    env = production_env(database_url, "bench-render-secret")
    manage(env, "migrate", "--noinput", quiet=True)
    manage(env, "load_demo", quiet=True)
    shapes = ("[[ run", "[a run", "cross-links and citations", "many links", "prose")
    sources = {f"{shape}|{size}": text(shape, size) for shape in shapes for size in sizes}
    timings = django_json(env, LINK_CODE, stdin=json.dumps(sources))
    for key, ms in timings.items():
        shape, size = key.split("|")
        print_timing(shape, int(size), ms)


def worst(results):
    size = max(max(by_size) for by_size in results.values())
    rows = [(by_size[size], shape) for shape, by_size in results.items() if size in by_size]
    ms, shape = max(rows)
    return shape, size, ms


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", metavar="REV", help="also measure markdown.py of REV")
    parser.add_argument("--before-max-seconds", type=float, default=5.0)
    parser.add_argument("--link", action="store_true", help="also measure stage two")
    parser.add_argument("--max-seconds", type=float, default=1800)
    args = parser.parse_args()
    deadline.start(args.max_seconds)
    project_on_path()
    from exosite.kernel import markdown as current

    summary = []
    if args.before:
        source = subprocess.run(
            ["git", "show", f"{args.before}:exosite/kernel/markdown.py"],
            cwd=BASE,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        print(f"stage one at {args.before} (a shape stops after {args.before_max_seconds} s):")
        before = measure(
            render_function(load_module(source, "markdown_before")),
            BEFORE_SIZES,
            stop_after=args.before_max_seconds,
        )
        summary.append(("before", worst(before)))
    print(f"stage one now (limit {current.MAX_MARKDOWN_CHARS:,} characters):")
    after = measure(render_function(current), SIZES)
    summary.append(("now", worst(after)))
    at_size = {shape: by_size[max(BEFORE_SIZES)] for shape, by_size in after.items()}
    shape = max(at_size, key=at_size.get)
    summary.append((f"now at {max(BEFORE_SIZES):,}", (shape, max(BEFORE_SIZES), at_size[shape])))
    if args.link:
        print("stage two now (linking the rendered HTML):")
        measure_linking(SIZES)
    print("worst cases:")
    for label, (shape, size, ms) in summary:
        print(f"  {label:<12} {shape:<26} {size:>7,} chars {ms:>10.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
