"""The embeddable glossary's matching in the browser: a 5,000-word host page against the
demo glossary and against 10,000 synthetic terms.

Run with `.venv/bin/python bench/embed_matching.py` (about half a minute; `--runs N`).
Drives Chromium (CHROMIUM_PATH, /usr/bin/chromium by default) through Playwright: the
widget's own script (static/embed/glossary.js) on a page holding the article, fed the
term index in the format glossary/embed.py serves (built by its `build_index`). Needs no
database and no server. For each glossary it prints the index's size, the time to build
the matcher from the parsed index (once per page view), then over `--runs` fresh copies
of the article: matching alone (walking the text and finding first mentions), and
matching with the links made (each mention wrapped, its shadow root and tooltip built),
as median, min-max and interquartile range in milliseconds.

The articles are bench/autolink.py's (the server-side auto-linker's benchmark): prose in
paragraphs with headings, links and citations, naming 60 of the glossary's terms here and
there; for the demo glossary, by the demo terms' own names, aliases and abbreviations.
"""

import argparse
import gzip
import os
import random
import statistics
import sys
from pathlib import Path
from types import SimpleNamespace

from harness import project_on_path

project_on_path()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from autolink import make_article, make_terms  # noqa: E402
from django.conf import settings  # noqa: E402

from exosite.kernel import frontmatter  # noqa: E402
from glossary.autolink import LinkTarget  # noqa: E402
from glossary.embed import SCRIPT, build_index  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
DEMO_GLOSSARY = Path(settings.BASE_DIR) / "exosite" / "demo" / "glossary"
SYNTHETIC_TERMS = 10_000
MENTIONED = 60

MEASURE = """
async ([article, index, runs]) => {
  const glossary = window.Exosite.glossary;
  const root = document.querySelector("article");
  const now = () => performance.now();
  let started = now();
  const matcher = new glossary.Matcher(index, "https://exosite.example/");
  const build = now() - started;
  const find = [], link = [];
  let linked = 0;
  for (let run = -3; run < runs; run++) {  // three rounds to warm up
    root.innerHTML = article;
    started = now();
    const matches = matcher.find([root]);
    const found = now() - started;
    root.innerHTML = article;
    started = now();
    linked = glossary.apply(matcher.find([root])).length;
    const made = now() - started;
    if (run >= 0) { find.push(found); link.push(made); }
  }
  return { build, find, link, linked, words: root.textContent.split(/\\s+/).length };
}
"""


def demo_terms():
    """The demo glossary's auto-linked terms, as the index and the article generator need."""
    terms = []
    for path in sorted(DEMO_GLOSSARY.glob("*.md")):
        meta, _ = frontmatter.read(path)
        if meta.get("autolink", True):
            terms.append(
                SimpleNamespace(
                    slug=meta["slug"],
                    name=meta["name"],
                    short_definition=meta["short_definition"],
                    abbreviation=meta.get("abbreviation", ""),
                    alias_list=list(meta.get("aliases", ())),
                )
            )
    return sorted(terms, key=lambda term: term.name)


def as_target(term):
    return LinkTarget(
        key=term.slug,
        url=f"/glossary/{term.slug}/",
        title=term.name,
        short_definition=term.short_definition,
        phrases=(term.name, *term.alias_list),
        abbreviations=(term.abbreviation,) if term.abbreviation else (),
    )


def from_target(target):
    return SimpleNamespace(
        slug=target.key,
        name=target.phrases[0],
        short_definition=target.short_definition,
        abbreviation=target.abbreviations[0] if target.abbreviations else "",
        alias_list=list(target.phrases[1:]),
    )


def spread(values):
    quartiles = statistics.quantiles(values, n=4)
    return (
        f"{statistics.median(values):6.2f} ms (min {min(values):.2f}, max {max(values):.2f}, "
        f"IQR {quartiles[0]:.2f}-{quartiles[2]:.2f})"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    rng = random.Random(3)
    demo = demo_terms()
    synthetic = make_terms(SYNTHETIC_TERMS, rng)
    glossaries = [
        ("demo glossary", demo, make_article([as_target(t) for t in demo] * 2, rng)),
        (
            f"{SYNTHETIC_TERMS:,} terms",
            [from_target(t) for t in synthetic],
            make_article(synthetic[:MENTIONED], rng),
        ),
    ]
    source = SCRIPT.read_text(encoding="utf-8")
    print(f"widget: {len(source):,} bytes, {len(gzip.compress(source.encode())):,} gzipped")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        print(f"browser: Chromium {browser.version}, {args.runs} runs after 3 to warm up")
        for label, terms, article in glossaries:
            body = build_index(terms)
            page.set_content("<!DOCTYPE html><main><article></article></main>")
            page.add_script_tag(content=source)  # inline: the widget does not start itself
            result = page.evaluate(
                "([article, index, runs]) => (" + MEASURE + ")([article, JSON.parse(index), runs])",
                [article, body.decode(), args.runs],
            )
            print(
                f"{label} ({len(terms):,} terms; index {len(body):,} bytes, "
                f"{len(gzip.compress(body)):,} gzipped), article of {result['words']:,} words:"
            )
            print(f"  build matcher     {result['build']:6.2f} ms (once per page view)")
            print(f"  match             {spread(result['find'])}")
            print(f"  match and link    {spread(result['link'])}, {result['linked']} terms linked")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
