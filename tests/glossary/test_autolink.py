"""The glossary auto-linker on its own: HTML in, HTML out, no database."""

from html.parser import HTMLParser

import pytest

from glossary.autolink import AutoLinker, LinkResult, LinkTarget


def term(key, *phrases, abbreviations=(), definition=None):
    return LinkTarget(
        key=key,
        url=f"/glossary/{key}/",
        title=phrases[0] if phrases else abbreviations[0],
        short_definition=definition if definition is not None else f"About {key}.",
        phrases=phrases,
        abbreviations=abbreviations,
    )


DC = term("dendritic-cell", "Dendritic cell", abbreviations=("DC",))
IMDC = term("immature-dendritic-cell", "Immature dendritic cell", abbreviations=("imDC",))
MVB = term("multivesicular-body", "Multivesicular body", abbreviations=("MVB",))
WHO = term("who", "WHO", "World Health Organization")
ANTIGEN = term("antigen", "Antigen")
VESICLE = term("extracellular-vesicle", "Extracellular vesicle", "EV particle")


def link(html, *targets, exclude_keys=()):
    return AutoLinker(targets).link(html, exclude_keys=exclude_keys)


def anchor(target, label):
    return (
        f'<a class="term-link" href="{target.url}" data-term="{target.key}" '
        f'data-definition="{target.short_definition}">{label}</a>'
    )


class _Anchors(HTMLParser):
    """Collects (attributes, text) of every link, as a browser would read them."""

    def __init__(self):
        super().__init__()
        self.anchors, self._open = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open = [dict(attrs), ""]
            self.anchors.append(self._open)

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None


def parsed_anchors(html):
    parser = _Anchors()
    parser.feed(html)
    parser.close()
    return [(attrs, text) for attrs, text in parser.anchors]


def test_links_the_first_mention_as_a_plain_link_carrying_the_definition():
    result = link("<p>Dendritic cell biology.</p>", DC)
    assert result == LinkResult(
        html=f"<p>{anchor(DC, 'Dendritic cell')} biology.</p>",
        linked_keys=["dendritic-cell"],
    )


def test_empty_input():
    assert link("", DC) == LinkResult(html="", linked_keys=[])
    assert AutoLinker([]).link("<p>Dendritic cell</p>").html == "<p>Dendritic cell</p>"


def test_html_without_a_match_is_returned_unchanged():
    html = (
        "<!-- note --><p class='x'>Cells  &amp; <b>tissues</b>&nbsp;&#8217;<br/>"
        '<img alt="a > b" src="/x.png"></p>\n<P>UPPER</P>'
    )
    result = link(html, DC)
    assert result.html == html
    assert result.linked_keys == []


def test_everything_but_the_inserted_link_is_kept_byte_for_byte():
    before = "<!-- c --><div class=\"a\"><p title='x > y'>Some  &amp;&#x27; text, then "
    after = " and <em>more</em>&nbsp;text.<br/></p>\n</div>"
    result = link(before + "dendritic cells" + after, DC)
    assert result.html == before + anchor(DC, "dendritic cells") + after


def test_whole_words_only():
    html = "<p>Antigenic drift, reantigen and cellular dendritic cellular cells.</p>"
    assert link(html, ANTIGEN, DC).html == html


def test_longest_match_first():
    result = link("<p>Immature dendritic cells differ.</p>", DC, IMDC)
    assert result.html == f"<p>{anchor(IMDC, 'Immature dendritic cells')} differ.</p>"
    assert result.linked_keys == ["immature-dendritic-cell"]


def test_longest_match_first_when_both_start_at_the_same_word():
    vaccine = term("dc-vaccine", "Dendritic cell vaccine")
    result = link("<p>Dendritic cell vaccines work.</p>", DC, vaccine)
    assert result.html == f"<p>{anchor(vaccine, 'Dendritic cell vaccines')} work.</p>"
    assert result.linked_keys == ["dc-vaccine"]


def test_shorter_term_is_still_linked_where_it_stands_alone():
    result = link("<p>Immature dendritic cells become dendritic cells.</p>", DC, IMDC)
    assert result.html == (
        f"<p>{anchor(IMDC, 'Immature dendritic cells')} become {anchor(DC, 'dendritic cells')}.</p>"
    )


def test_shorter_term_is_not_linked_inside_a_repeat_of_a_longer_one():
    html = "<p>Immature dendritic cells.</p><p>Immature dendritic cells again.</p>"
    result = link(html, DC, IMDC)
    assert result.linked_keys == ["immature-dendritic-cell"]
    assert result.html.endswith("<p>Immature dendritic cells again.</p>")


def test_overlapping_terms_leftmost_wins():
    stem = term("stem-cell", "Stem cell")
    therapy = term("cell-therapy", "Cell therapy")
    result = link("<p>Stem cell therapy.</p>", stem, therapy)
    assert result.html == f"<p>{anchor(stem, 'Stem cell')} therapy.</p>"
    assert result.linked_keys == ["stem-cell"]


def test_only_the_first_occurrence_of_each_term_is_linked():
    html = "<p>Dendritic cells (DC) meet dendritic cells.</p><p>A dendritic cell, a DC.</p>"
    result = link(html, DC)
    assert result.html.count("term-link") == 1
    assert result.html.startswith(f"<p>{anchor(DC, 'Dendritic cells')} (DC)")
    assert result.linked_keys == ["dendritic-cell"]


def test_linked_keys_follow_the_order_of_first_appearance():
    html = "<p>An MVB.</p><p>An antigen, a dendritic cell, another MVB.</p>"
    assert link(html, DC, ANTIGEN, MVB).linked_keys == [
        "multivesicular-body",
        "antigen",
        "dendritic-cell",
    ]


def test_each_call_starts_afresh():
    linker = AutoLinker([DC])
    first = linker.link("<p>dendritic cell</p>")
    assert linker.link("<p>dendritic cell</p>") == first
    assert first.linked_keys == ["dendritic-cell"]


def test_aliases_match():
    result = link("<p>An EV particle.</p>", VESICLE)
    assert result.html == f"<p>An {anchor(VESICLE, 'EV particle')}.</p>"


@pytest.mark.parametrize(
    ("target", "text"),
    [
        (DC, "dendritic cells"),
        (VESICLE, "extracellular vesicles"),
        (MVB, "multivesicular bodies"),
        (MVB, "MVBs"),
        (VESICLE, "EV particles"),
        (term("analysis", "Lipid analysis"), "lipid analyses"),
        (term("medium", "Conditioned medium"), "conditioned media"),
        (term("complex", "ESCRT complex"), "ESCRT complexes"),
    ],
)
def test_plurals_are_generated(target, text):
    result = link(f"<p>Two {text}.</p>", target)
    assert result.html == f"<p>Two {anchor(target, text)}.</p>"


def test_other_suffixes_are_not_words_of_the_term():
    html = "<p>Antigenic, antigenicity, dendritic cellular.</p>"
    assert link(html, ANTIGEN, DC).linked_keys == []
    assert link("<p>Antigens.</p>", ANTIGEN).linked_keys == ["antigen"]


@pytest.mark.parametrize("text", ["dendritic cells", "Dendritic Cells", "DENDRITIC CELLS"])
def test_words_match_in_any_case_and_keep_their_spelling(text):
    assert link(f"<p>{text}</p>", DC).html == f"<p>{anchor(DC, text)}</p>"


@pytest.mark.parametrize("text", ["mvb", "Mvb", "mVB", "MVBS", "MVB1", "xMVB"])
def test_abbreviations_match_exactly(text):
    assert link(f"<p>The {text} here.</p>", MVB).linked_keys == []


def test_abbreviation_as_written_is_linked():
    result = link("<p>The MVB and the imDC, not imdc.</p>", MVB, IMDC)
    assert (
        result.html == f"<p>The {anchor(MVB, 'MVB')} and the {anchor(IMDC, 'imDC')}, not imdc.</p>"
    )


@pytest.mark.parametrize("text", ["who", "Who", "WHOLE", "WHOever", "NOWHO", "WHO2"])
def test_an_all_capitals_name_never_matches_an_ordinary_word(text):
    assert link(f"<p>{text} knows.</p>", WHO).linked_keys == []


def test_an_all_capitals_name_matches_as_written():
    result = link("<p>Who said it? The WHO did.</p>", WHO)
    assert result.html == f"<p>Who said it? The {anchor(WHO, 'WHO')} did.</p>"


@pytest.mark.parametrize(
    "markup",
    [
        '<a href="/x/">{}</a>',
        '<a href="/x/"><em>{}</em></a>',
        "<h1>{}</h1>",
        "<h2 id='x'>{}</h2>",
        "<h3>{}</h3>",
        "<h4>{}</h4>",
        "<h5>{}</h5>",
        "<h6>{}</h6>",
        "<code>{}</code>",
        "<pre><code>{}</code></pre>",
        "<pre>{}</pre>",
        "<kbd>{}</kbd>",
        "<figure><img src='/x.png' alt=''><figcaption>{}</figcaption></figure>",
        '<sup class="citation"><a href="#ref-1">{}</a></sup>',
        "<sup>{}</sup>",
        '<abbr title="dendritic cell">{}</abbr>',
        "<script>var a = '<p>{}</p>';</script>",
        "<style>/* {} */</style>",
        "<A HREF='/x/'>{}</A>",
    ],
)
def test_never_linked_inside_links_headings_code_captions_citations(markup):
    inside = markup.format("dendritic cells")
    result = link(f"<p>{inside}</p><p>Later, dendritic cells.</p>", DC)
    assert result.html == f"<p>{inside}</p><p>Later, {anchor(DC, 'dendritic cells')}.</p>"


def test_never_matches_across_tags():
    html = "<p>Dendritic <em>cells</em> and dendritic<br>cells.</p>"
    assert link(html, DC).html == html


def test_never_matches_inside_attributes():
    html = (
        '<p title="dendritic cells"><img alt="dendritic cell" src="/dc.png">'
        "<span data-x='a > dendritic cell'>x</span></p>"
    )
    assert link(html, DC).html == html


def test_exclude_keys_never_links_the_terms_own_page():
    result = link("<p>A dendritic cell meets an antigen.</p>", DC, ANTIGEN, exclude_keys={DC.key})
    assert result.html == f"<p>A dendritic cell meets an {anchor(ANTIGEN, 'antigen')}.</p>"
    assert result.linked_keys == ["antigen"]


def test_exclude_keys_takes_the_words_of_the_own_term():
    html = "<p>Immature dendritic cells are dendritic cells.</p>"
    result = link(html, DC, IMDC, exclude_keys=[IMDC.key])
    assert result.html == f"<p>Immature dendritic cells are {anchor(DC, 'dendritic cells')}.</p>"


def test_hostile_definition_and_key_are_escaped_inside_attributes():
    hostile = term(
        'x"><script>alert(1)</script>',
        "Exosome",
        definition="\"><script>alert('d')</script> & 'single' <b>",
    )
    result = link("<p>An exosome.</p>", hostile)
    assert "<script>" not in result.html
    [(attrs, text)] = parsed_anchors(result.html)
    assert attrs == {
        "class": "term-link",
        "href": '/glossary/x"><script>alert(1)</script>/',
        "data-term": 'x"><script>alert(1)</script>',
        "data-definition": "\"><script>alert('d')</script> & 'single' <b>",
    }
    assert text == "exosome"


def test_term_name_containing_html_matches_the_escaped_text_and_stays_escaped():
    tag_term = term("bold-tag", "<b> tag")
    result = link("<p>The &lt;b&gt; tag.</p>", tag_term)
    assert result.html == f"<p>The {anchor(tag_term, '&lt;b&gt; tag')}.</p>"


def test_quotes_in_names_match_the_text_and_its_entities():
    quoted = term("quoted", '"Quoted" term')
    result = link("<p>A &quot;quoted&quot; term.</p>", quoted)
    assert result.html == f"<p>A {anchor(quoted, '&quot;quoted&quot; term')}.</p>"


def test_ampersand_matches_the_entity_and_is_kept_escaped():
    rnd = term("r-and-d", "R&D", definition="Research & development")
    result = link("<p>Our R&amp;D team.</p>", rnd)
    assert result.html == (
        '<p>Our <a class="term-link" href="/glossary/r-and-d/" data-term="r-and-d" '
        'data-definition="Research &amp; development">R&amp;D</a> team.</p>'
    )


@pytest.mark.parametrize(
    ("phrase", "text", "linked"),
    [
        ("C++", "Written in C++ today", True),
        ("C++", "Written in C today", False),
        ("C++", "Written in Cxx today", False),
        ("CD34+", "The CD34+ cells", True),
        ("CD34+", "The CD34- cells", False),
        ("CD34+", "The CD34 cells", False),
        ("(MVB)", "bodies (MVB) form", True),
        ("(MVB)", "bodies MVB form", False),
        ("a.b*c?", "Try a.b*c? now", True),
        ("a.b*c?", "Try axbbc now", False),
        ("[1]|x", "See [1]|x here", True),
    ],
)
def test_regex_metacharacters_are_literal(phrase, text, linked):
    target = term("meta", phrase)
    result = link(f"<p>{text}</p>", target)
    if linked:
        assert result.html == f"<p>{text.replace(phrase, anchor(target, phrase))}</p>"
    else:
        assert result.html == f"<p>{text}</p>"


@pytest.mark.parametrize("name", ["Wharton's jelly", "Wharton\u2019s jelly"])
@pytest.mark.parametrize(
    "written", ["Wharton's jelly", "Wharton\u2019s jelly", "Wharton&#8217;s jelly"]
)
def test_straight_and_curly_apostrophes_are_the_same(name, written):
    jelly = term("whartons-jelly", name)
    result = link(f"<p>From {written}.</p>", jelly)
    assert result.html == f"<p>From {anchor(jelly, written)}.</p>"


@pytest.mark.parametrize("written", ["β-catenin", "Β-Catenin", "β\u2010catenin"])
def test_greek_letters_and_unicode_hyphens(written):
    catenin = term("beta-catenin", "β-catenin")
    result = link(f"<p>The {written} pathway.</p>", catenin)
    assert result.html == f"<p>The {anchor(catenin, written)} pathway.</p>"


def test_case_folding_that_changes_length_does_not_shift_the_link():
    # "İ".lower() and "ß".casefold() are two characters long.
    html = "<p>İSTANBUL STRAßE: İ ß dendritic cells.</p>"
    result = link(html, DC)
    assert result.html == f"<p>İSTANBUL STRAßE: İ ß {anchor(DC, 'dendritic cells')}.</p>"


def test_any_whitespace_between_words_matches_a_space():
    html = "<p>Dendritic\n   cells and&nbsp;more.</p>"
    result = link(html, DC)
    assert result.html == f"<p>{anchor(DC, 'Dendritic\n   cells')} and&nbsp;more.</p>"
    nbsp = link("<p>dendritic&nbsp;cells</p>", DC)
    assert nbsp.html == f"<p>{anchor(DC, 'dendritic&nbsp;cells')}</p>"


def test_first_target_to_claim_a_phrase_keeps_it():
    other = term("other", "Dendritic cell")
    assert link("<p>dendritic cell</p>", DC, other).linked_keys == ["dendritic-cell"]


def test_script_and_style_content_is_raw_text():
    html = '<script>if (a<b) s = "\'";</script><p>dendritic cells</p>'
    assert link(html, DC).linked_keys == ["dendritic-cell"]


def test_self_closing_syntax_does_not_close_an_html_link():
    # Browsers ignore the "/" in <a/>: the text after it is inside the link.
    html = '<p><a href="/x/"/>dendritic cells</a></p>'
    assert link(html, DC).html == html


def test_no_link_boundary_inside_an_entity_that_decodes_to_several_characters():
    # &NotEqualTilde; is "≂" followed by a combining long solidus.
    html = "<p>&NotEqualTilde;</p>"
    assert link(html, term("eq", "\u2242")).html == html
