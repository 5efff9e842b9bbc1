"""Glossary auto-linking against 100, 1,000 and 10,000 terms.

Run with `.venv/bin/python bench/autolink.py`. Prints the automaton build time and the
median milliseconds per 5,000-word article for each glossary size, and checks that the
10,000-term time stays within 3x of the 100-term time. Needs no Django settings.
"""

import random
import sys
import time

from harness import median, project_on_path, timed_ms

project_on_path()

from glossary.autolink import AutoLinker, LinkTarget  # noqa: E402

SIZES = (100, 1_000, 10_000)
RUNS = 30
WORDS = 5_000
TARGET_RATIO = 3.0

ADJECTIVES = [
    "acute",
    "adipose",
    "allogeneic",
    "amniotic",
    "apoptotic",
    "autologous",
    "basal",
    "biliary",
    "bone",
    "cardiac",
    "cellular",
    "chronic",
    "circulating",
    "clonal",
    "cortical",
    "cytosolic",
    "dendritic",
    "dental",
    "early",
    "endosomal",
    "endothelial",
    "epithelial",
    "exosomal",
    "extracellular",
    "fetal",
    "fibrotic",
    "gastric",
    "glial",
    "hepatic",
    "hypoxic",
    "immature",
    "immune",
    "inflammatory",
    "intestinal",
    "late",
    "lipid",
    "luminal",
    "lymphoid",
    "mature",
    "membrane",
    "mesenchymal",
    "microglial",
    "mitochondrial",
    "mucosal",
    "muscular",
    "myeloid",
    "neural",
    "neuronal",
    "nuclear",
    "oral",
    "ovarian",
    "paracrine",
    "placental",
    "plasma",
    "platelet",
    "pluripotent",
    "pulmonary",
    "regulatory",
    "renal",
    "retinal",
    "secretory",
    "serum",
    "skeletal",
    "soluble",
    "somatic",
    "stromal",
    "synaptic",
    "systemic",
    "thymic",
    "tumour",
    "umbilical",
    "vascular",
    "viral",
]
NOUNS = [
    "antigen",
    "barrier",
    "biogenesis",
    "body",
    "cargo",
    "cell",
    "centrifugation",
    "complex",
    "cytokine",
    "density",
    "disease",
    "endosome",
    "exosome",
    "factor",
    "fibroblast",
    "fraction",
    "gradient",
    "growth",
    "injury",
    "isolation",
    "jelly",
    "leukocyte",
    "ligand",
    "lineage",
    "macrophage",
    "marker",
    "marrow",
    "matrix",
    "membrane",
    "microvesicle",
    "migration",
    "niche",
    "particle",
    "pathway",
    "peptide",
    "protein",
    "pulp",
    "receptor",
    "release",
    "repair",
    "response",
    "scaffold",
    "secretome",
    "signal",
    "stem",
    "syndrome",
    "therapy",
    "tissue",
    "transfer",
    "transport",
    "uptake",
    "vesicle",
]
FILLER = [
    "the",
    "of",
    "and",
    "in",
    "to",
    "a",
    "is",
    "that",
    "for",
    "are",
    "with",
    "as",
    "on",
    "by",
    "this",
    "be",
    "from",
    "or",
    "which",
    "these",
    "have",
    "has",
    "their",
    "can",
    "also",
    "its",
    "were",
    "been",
    "was",
    "may",
    "not",
    "into",
    "more",
    "than",
    "when",
    "both",
    "but",
    "after",
    "between",
    "study",
    "studies",
    "results",
    "shown",
    "reported",
    "suggest",
    "samples",
    "patients",
    "model",
    "levels",
    "effect",
    "effects",
    "observed",
    "increased",
    "reduced",
    "expression",
    "function",
    "role",
    "within",
    "during",
    "while",
    "however",
    "several",
]


def make_terms(count, rng):
    """Unique multi-word names, some with an abbreviation made of their initials."""
    terms, names, abbreviations = [], set(), set()
    while len(terms) < count:
        words = rng.choice((1, 2, 2, 2, 3, 3, 4))
        name = " ".join([*rng.sample(ADJECTIVES, words - 1), rng.choice(NOUNS)])
        if name in names:
            continue
        names.add(name)
        n = len(terms)
        abbreviation = ""
        if words > 1 and n % 3 == 0:
            abbreviation = "".join(word[0] for word in name.split()).upper() + str(n % 97)
            if abbreviation in abbreviations:
                abbreviation = ""
            abbreviations.add(abbreviation)
        aliases = (name.replace(" ", "-"),) if n % 5 == 0 else ()
        terms.append(
            LinkTarget(
                key=f"term-{n}",
                url=f"/glossary/term-{n}/",
                title=name.capitalize(),
                short_definition=f"Definition of {name} & co.",
                phrases=(name.capitalize(), *aliases),
                abbreviations=(abbreviation,) if abbreviation else (),
            )
        )
    return terms


def make_article(mentioned, rng):
    """About WORDS words of prose in paragraphs, naming the given terms here and there."""
    paragraphs, words = [], 0
    mention = iter(mentioned * 3)
    while words < WORDS:
        sentence_words = []
        for _ in range(rng.randint(12, 24)):
            pick = rng.random()
            if pick < 0.06 and (term := next(mention, None)):
                sentence_words.append(rng.choice((*term.phrases, *term.abbreviations)))
            elif pick < 0.30:
                sentence_words.append(rng.choice(ADJECTIVES + NOUNS))
            else:
                sentence_words.append(rng.choice(FILLER))
        words += len(sentence_words)
        sentence = " ".join(sentence_words).capitalize() + "."
        if rng.random() < 0.3:
            sentence += f'<sup class="citation"><a href="#ref-{words}">[{words % 40}]</a></sup>'
        if rng.random() < 0.2:
            sentence = f"<strong>{sentence}</strong> see <a href='/x/'>{sentence_words[0]}</a>"
        paragraphs.append(sentence)
    body = []
    for i in range(0, len(paragraphs), 6):
        if i % 30 == 0:
            body.append(f'<h2 id="s{i}">{paragraphs[i][:40]}</h2>')
        body.append("<p>" + " ".join(paragraphs[i : i + 6]) + "</p>")
    return "\n".join(body)


def main():
    rng = random.Random(3)
    all_terms = make_terms(max(SIZES), rng)  # the smaller glossaries are its prefixes
    article = make_article(all_terms[:60], rng)
    print(f"article: {len(article.split()):,} words, {len(article):,} characters", flush=True)
    results = {}
    for size in SIZES:
        print(f"{size:>6,} terms: building...", end="", flush=True)
        started = time.perf_counter()
        linker = AutoLinker(all_terms[:size])
        build_ms = (time.perf_counter() - started) * 1000
        results[size] = median(timed_ms(lambda linker=linker: linker.link(article), RUNS))
        result = linker.link(article)
        print(
            f"\r{size:>6,} terms: build {build_ms:8.1f} ms | link {results[size]:6.2f} ms/doc "
            f"(median of {RUNS}) | {len(result.linked_keys)} terms linked",
            flush=True,
        )
    ratio = results[max(SIZES)] / results[min(SIZES)]
    verdict = "OK" if ratio <= TARGET_RATIO else "TOO SLOW"
    print(
        f"summary: {max(SIZES):,}/{min(SIZES):,} terms = {ratio:.2f}x "
        f"(target <= {TARGET_RATIO:.0f}x) {verdict}"
    )
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
