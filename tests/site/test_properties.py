"""Property-based tests (Hypothesis): any text through the content pipeline, any query
through the search parser.

Each property runs a fixed number of examples from a fixed seed (`EXAMPLES`), so `make
test` takes the same bounded time on every run and a failure is reproduced by running it
again.
"""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exosite.kernel import linking
from exosite.kernel.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_CLASSES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    MarkdownLimitError,
    check_limits,
    render_markdown,
    sanitize,
)
from exosite.search.query import (
    MAX_PHRASE_WORDS,
    MAX_TERMS,
    MAX_WORD_CHARS,
    parse,
    parse_prefix,
)
from tests.conftest import library_reference

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=200,
    derandomize=True,
    database=None,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow],
)

# Markdown syntax, hostile HTML and URLs, and what stage two looks for, to be combined.
PIECES = [
    *"[]()!*_`#>-|:<>&\"'\\~^{}=.",
    "[[", "]]", "![", "**", "__", "```", "~~~", "\n", "\n\n", "    ", "\t", " ", "1. ",
    "- ", "> ", "---", "a", "exosome", "Exosome", "1", "²", "é", "\x00", "\u2028", "\r",
    "&amp;", "&#x6a;", "&#106;", "&colon;", "&lt;", "javascript:alert(1)", "JaVaScRiPt:x",
    "java\tscript:x", "data:text/html,x", "vbscript:x", "http://example.org",
    "https://e.org/a_(b)", "mailto:a@b.c", "//evil.example/x", "<script>", "</script>",
    "<img src=x onerror=alert(1)>", '<a href="javascript:x">', "<!--", "-->", "<style>",
    "<svg onload=x>", "<iframe>", 'onerror="x"', 'style="x"', "[^1]", "[^1]: note",
    "{: #id .cls onclick=x}", "*[HTML]: Hyper", "[x]: javascript:y", "[x]",
    '<div markdown="1">', "</div>", "[1]", "[1, 2]", "[2–4]", "[[glossary:exosome]]",
    "[[article:x|label]]", "[[Exosome]]", "[[figure:a]]", '[t](http://e.org "T")',
    "[@ref1]", "[@ref1; @ref2]", "[@REF2]", "[@doi:10.5555/test.1]", "[@pmid:10000002]",
    "[@nobody2020]", '[@doi:10.5555/x"y]', "[@ref1;", "@ref2]", "@", "; ",
]  # fmt: skip
markdown_text = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(PIECES), max_size=60).map("".join),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=40).map("".join),
)

SCHEME_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
# What browsers ignore in a URL before reading its scheme.
URL_IGNORED_RE = re.compile(r"[\x00-\x20\x7f]")

# Stage two adds its own links and citation markers to stage one's allowlist.
LINKED_ATTRIBUTES = {
    **ALLOWED_ATTRIBUTES,
    # aria-label: a citation's name ("Reference 2"), written by linking, never by the text
    "a": {*ALLOWED_ATTRIBUTES["a"], "data-term", "data-definition", "aria-label"},
    "sup": {"id"},
}
LINKED_CLASSES = {
    **ALLOWED_CLASSES,
    "a": {*ALLOWED_CLASSES["a"], "xref", "term-link"},
    "sup": {"citation"},
    "span": {"visually-hidden"},
    "figure": {"figure-placeholder"},
}
LINKED_TAGS = {*ALLOWED_TAGS, "span", "figure"}
FIGURE = '<figure class="figure-placeholder"><p>Figure a.</p></figure>'


class Inspector(HTMLParser):
    """Every tag, attribute, class and URL scheme in some HTML that is not allowed."""

    def __init__(self, tags, attributes, classes):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.classes = tags, attributes, classes
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.tags:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name == "class":
                extra = set((value or "").split()) - self.classes.get(tag, set())
                if extra:
                    self.problems.append(f"class {extra} on <{tag}>")
            elif name not in self.attributes.get(tag, ()):
                self.problems.append(f"attribute {name} on <{tag}>")
            if name in ("href", "src"):
                scheme = SCHEME_RE.match(URL_IGNORED_RE.sub("", value or ""))
                if scheme and scheme.group(1).lower() not in ALLOWED_URL_SCHEMES:
                    self.problems.append(f"{name}={value!r}")

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.problems.append(f"comment {data!r}")

    def handle_decl(self, decl):
        self.problems.append(f"declaration {decl!r}")

    def handle_pi(self, data):
        self.problems.append(f"processing instruction {data!r}")


def problems(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, classes=ALLOWED_CLASSES):
    inspector = Inspector(tags, attributes, classes)
    inspector.feed(html)
    inspector.close()
    return inspector.problems


def render(text):
    """Stage one; text over the limits (none of the generated ones, so far) is refused with
    the editor's message, never an other error."""
    try:
        check_limits(text)
    except MarkdownLimitError:
        with pytest.raises(MarkdownLimitError):
            render_markdown(text)
        return ""
    return render_markdown(text)  # within the time budget, or it raises


@EXAMPLES
@given(markdown_text)
def test_any_text_renders_to_html_the_sanitiser_allows(text):
    html = render(text)
    assert problems(html) == []
    assert sanitize(html) == html  # sanitising again changes nothing


def test_any_text_links_to_html_with_only_allowed_tags_and_schemes(make_term):
    make_term(name="Exosome", slug="exosome")
    library_reference(1)
    library_reference(2)

    @EXAMPLES
    @given(markdown_text)
    def check(text):
        rendered = linking.link(render(text), cites=True, figures={"a": FIGURE}, scope="all")
        assert problems(rendered.html, LINKED_TAGS, LINKED_ATTRIBUTES, LINKED_CLASSES) == []

    check()


QUERY_PIECES = [
    '"', "-", "OR", "|", "AND", "NEAR(", "*", ")", "'", ";", "--", "%", "_", "\\", " ",
    "exosome", "vesicle", "the", "Cells", "“", "”", "«", "\x00", "\ue000", "ß", "İ",
    "ﬁ", "٣", "²", "e\u0301", "x" * 70, "DROP TABLE", "{", "^", ":", "$1",
]  # fmt: skip
query_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(QUERY_PIECES), max_size=40).map(" ".join),
    st.lists(st.sampled_from(QUERY_PIECES), max_size=40).map("".join),
)
SAFE_WORD_RE = re.compile(r"[^\W_]+")


def assert_safe(query, max_terms):
    terms = [*query.terms, *query.excluded]
    assert len(terms) <= max_terms
    for term in terms:
        assert 1 <= len(term.words) <= MAX_PHRASE_WORDS
        for word in term.words:
            assert SAFE_WORD_RE.fullmatch(word), word
            assert len(word) <= MAX_WORD_CHARS
    str(query)


@EXAMPLES
@given(query_text)
def test_any_query_parses_to_safe_words(raw):
    assert_safe(parse(raw), MAX_TERMS)


@EXAMPLES
@given(query_text)
def test_any_type_ahead_query_parses_to_safe_words(raw):
    assert_safe(parse_prefix(raw), 6)
