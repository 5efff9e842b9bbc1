"""The whole published glossary as SKOS (Turtle and JSON-LD) and as plain JSON, for
terminology tools, other sites and anyone who reuses the definitions.

Every published term is a `skos:Concept` whose URI is its page's address, in one
`skos:ConceptScheme` (the glossary page's address), with its name as `skos:prefLabel`, its
abbreviation and synonyms as `skos:altLabel`, its short definition as `skos:definition`
and its published related terms as `skos:related`, each literal tagged with the
language of the address (/es/glossary/glossary.ttl: the Spanish glossary, "es").

Written here rather than with rdflib: the two serialisations need a few dozen lines, and
rdflib (with its parser dependencies) would be a runtime dependency for them alone. The
tests parse both back with rdflib (a development dependency) and compare the triples.
"""

import json

from django.db.models import Prefetch
from django.urls import reverse

from exosite.kernel import languages

from .models import Term

SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
TITLE = "Exosite glossary"
DESCRIPTION = (
    "Plain-language definitions of the terms used in exosome and extracellular vesicle research."
)


def published_terms():
    """Published terms with their published related terms and tags: three queries."""
    return (
        Term.objects.published()
        .in_language()
        .only(
            "name", "slug", "language", "abbreviation", "aliases", "short_definition", "definition"
        )
        .prefetch_related(
            Prefetch("related", queryset=Term.objects.published().only("slug", "language", "name")),
            "tags",
        )
        .order_by("name")
    )


def concepts(origin):
    """[dict] of each published term, with absolute URIs under `origin` ("https://host")."""
    items = []
    for term in published_terms():
        alt = [term.abbreviation] if term.abbreviation else []
        alt += [alias for alias in term.alias_list if alias not in alt]
        items.append(
            {
                "uri": origin + term.get_absolute_url(),
                "slug": term.slug,
                "name": term.name,
                "abbreviation": term.abbreviation,
                "alt_labels": alt,
                "aliases": term.alias_list,
                "short_definition": term.short_definition,
                "definition": term.definition,
                "related": sorted(
                    origin + other.get_absolute_url() for other in term.related.all()
                ),
                "related_names": sorted(other.name for other in term.related.all()),
                "tags": sorted(tag.name for tag in term.tags.all()),
            }
        )
    return items


def scheme_uri(origin):
    return origin + reverse("glossary:index")


# -- Turtle ---------------------------------------------------------------------------------

_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def turtle_string(text):
    """A Turtle string literal tagged with the active language: quotes, backslashes and
    control characters escaped (ECHAR, or UCHAR for the other controls)."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"@' + languages.current()


def turtle_iri(iri):
    """An IRI reference; the characters Turtle forbids in one are percent-encoded."""
    forbidden = set('<>"{}|^`\\ ')
    encoded = "".join(f"%{ord(c):02X}" if c in forbidden or ord(c) <= 0x20 else c for c in iri)
    return f"<{encoded}>"


def turtle(origin):
    scheme = turtle_iri(scheme_uri(origin))
    items = concepts(origin)
    lines = [
        f"@prefix skos: <{SKOS}> .",
        f"@prefix dct: <{DCT}> .",
        "",
        f"{scheme} a skos:ConceptScheme ;",
        f"    dct:title {turtle_string(TITLE)} ;",
        f"    dct:description {turtle_string(DESCRIPTION)} .",
    ]
    for item in items:
        statements = [
            "a skos:Concept",
            f"skos:inScheme {scheme}",
            f"skos:prefLabel {turtle_string(item['name'])}",
        ]
        if item["alt_labels"]:
            labels = " , ".join(turtle_string(label) for label in item["alt_labels"])
            statements.append(f"skos:altLabel {labels}")
        statements.append(f"skos:definition {turtle_string(item['short_definition'])}")
        if item["related"]:
            statements.append("skos:related " + " , ".join(map(turtle_iri, item["related"])))
        lines.append("")
        lines.append(f"{turtle_iri(item['uri'])} " + " ;\n    ".join(statements) + " .")
    return "\n".join(lines) + "\n"


# -- JSON-LD and JSON ---------------------------------------------------------------------------

CONTEXT = {
    "@language": "en",
    "skos": SKOS,
    "dct": DCT,
    "Concept": "skos:Concept",
    "ConceptScheme": "skos:ConceptScheme",
    "prefLabel": "skos:prefLabel",
    "altLabel": {"@id": "skos:altLabel", "@container": "@set"},
    "definition": "skos:definition",
    "related": {"@id": "skos:related", "@type": "@id", "@container": "@set"},
    "inScheme": {"@id": "skos:inScheme", "@type": "@id"},
    "title": "dct:title",
    "description": "dct:description",
}


def json_ld(origin):
    scheme = scheme_uri(origin)
    graph = [{"@id": scheme, "@type": "ConceptScheme", "title": TITLE, "description": DESCRIPTION}]
    for item in concepts(origin):
        concept = {
            "@id": item["uri"],
            "@type": "Concept",
            "inScheme": scheme,
            "prefLabel": item["name"],
            "definition": item["short_definition"],
        }
        if item["alt_labels"]:
            concept["altLabel"] = item["alt_labels"]
        if item["related"]:
            concept["related"] = item["related"]
        graph.append(concept)
    context = {**CONTEXT, "@language": languages.current()}
    return json.dumps({"@context": context, "@graph": graph}, ensure_ascii=False, indent=1)


def plain_json(origin):
    terms = [
        {
            "name": item["name"],
            "slug": item["slug"],
            "url": item["uri"],
            "abbreviation": item["abbreviation"],
            "aliases": item["aliases"],
            "short_definition": item["short_definition"],
            "definition_markdown": item["definition"],
            "related": item["related_names"],
            "tags": item["tags"],
        }
        for item in concepts(origin)
    ]
    return json.dumps(
        {"title": TITLE, "url": scheme_uri(origin), "count": len(terms), "terms": terms},
        ensure_ascii=False,
        indent=1,
    )
