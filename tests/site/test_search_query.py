"""The visitors' search syntax, parsed without a database."""

import pytest

from exosite.search.query import MAX_QUERY_CHARS, MAX_TERMS, Term, fold_key, parse, parse_prefix


def words(*terms):
    return tuple(Term(tuple(term.split())) for term in terms)


def test_words_must_all_match_and_are_lowercased():
    query = parse("Vesicles Cancer")
    assert query.groups == [words("vesicles"), words("cancer")]
    assert query.excluded == []


def test_quoted_phrases_or_and_exclusion():
    query = parse('"dendritic cells" exosome OR vesicle -cancer -"stem cell"')
    assert query.groups == [words("dendritic cells"), words("exosome", "vesicle")]
    assert query.excluded == list(words("cancer", "stem cell"))
    assert str(query) == '"dendritic cells" exosome OR vesicle -cancer -"stem cell"'


def test_curly_quotes_and_an_unclosed_quote_make_a_phrase():
    assert parse("“dendritic cells”").groups == [words("dendritic cells")]
    assert parse('exosome "dendritic cells').groups == [
        words("exosome"),
        words("dendritic cells"),
    ]


def test_lowercase_or_is_a_word_and_stray_or_is_ignored():
    assert parse("OR exosome OR").groups == [words("exosome")]
    # "or" in lowercase is an ordinary (stop) word
    assert parse("exosome or vesicle").groups == [words("exosome"), words("vesicle")]


def test_stop_words_are_dropped_unless_nothing_else_is_left():
    assert parse("what is an exosome").groups == [words("exosome")]
    assert parse("the").groups == [words("the")]
    assert parse('"the cell"').groups == [words("the cell")]


def test_punctuation_inside_a_word_makes_a_phrase():
    assert parse("Wharton's jelly").groups == [words("wharton s"), words("jelly")]
    assert parse("anti-inflammatory").groups == [words("anti inflammatory")]


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "!!!???", '"', '""', "***", "-", "- -", "OR", "OR OR", "\x00\x01", "()"],
)
def test_queries_without_words_parse_to_nothing(raw):
    query = parse(raw)
    assert not query
    assert query.groups == []


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("NEAR(", [words("near")]),
        ("exosome*", [words("exosome")]),
        ("AND OR", [words("and")]),
        ("title:exosome", [words("title exosome")]),
        ("{title}: x", [words("title"), words("x")]),
        (
            "'; DROP TABLE exosite_searchdocument; --",
            [words("drop"), words("table"), words("exosite searchdocument")],
        ),
    ],
)
def test_engine_and_sql_syntax_is_only_text(raw, expected):
    assert parse(raw).groups == expected


def test_only_exclusions_is_not_a_search():
    query = parse("-cancer -tumour")
    assert not query
    assert query.excluded == list(words("cancer", "tumour"))


def test_a_long_query_is_shortened_with_a_note():
    query = parse("exosome " * 2000)
    assert len(query.raw) > MAX_QUERY_CHARS
    assert query.groups == [words("exosome")]
    assert any("first 200 characters" in note for note in query.notes)


def test_too_many_terms_are_cut_with_a_note():
    query = parse(" ".join(f"word{n}" for n in range(40)))
    assert len(query.groups) == MAX_TERMS
    assert any(f"first {MAX_TERMS}" in note for note in query.notes)


def test_exact_key_only_for_simple_queries():
    assert parse("Dendritic Cells").exact_key == "dendritic cell"
    assert parse('"dendritic cells"').exact_key == "dendritic cell"
    assert parse("dendritic -cells").exact_key == ""
    assert parse("dendritic OR cells").exact_key == ""


def test_fold_key_ignores_case_accents_punctuation_and_plural_s():
    assert fold_key("Wharton’s Jelly") == fold_key("whartons jelly") == "wharton jelly"
    assert fold_key("Théry") == "thery"
    assert fold_key("MVBs") == fold_key("mvb")
    assert fold_key("mass") == "mass"


def test_prefix_queries_for_type_ahead():
    query = parse_prefix("dendritic ce")
    assert query.groups == [words("dendritic"), (Term(("ce",), prefix=True),)]
    assert not parse_prefix("  !! ")
