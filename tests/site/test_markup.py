from exosite.kernel.markdown import render_markdown


def test_markdown_becomes_html():
    html = render_markdown("Some **bold** and *italic* text.\n\n- one\n- two")
    assert "<strong>bold</strong>" in html
    assert "<em>italic</em>" in html
    assert "<ul>\n<li>one</li>" in html


def test_headings_start_at_h2_and_keep_their_ids():
    html = render_markdown("# Where exosomes come from\n\n### The endosomal route")
    assert '<h2 id="where-exosomes-come-from">Where exosomes come from</h2>' in html
    assert '<h3 id="the-endosomal-route">The endosomal route</h3>' in html
    assert "<h1" not in html


def test_tables_survive():
    html = render_markdown("| Method | Yield |\n|:---|---:|\n| SEC | high |")
    assert "<table>" in html
    assert "<th>Method</th>" in html
    assert "<td>SEC</td>" in html
    assert "style=" not in html
    assert "align=" not in html


def test_images_keep_alt_text_and_links_keep_href():
    html = render_markdown(
        '![A vesicle](https://example.org/v.png "Vesicle")\n\n[MISEV](https://isev.org/)'
    )
    assert 'alt="A vesicle"' in html
    assert 'src="https://example.org/v.png"' in html
    assert '<a href="https://isev.org/">MISEV</a>' in html


def test_footnotes_link_both_ways():
    html = render_markdown("A claim.[^1]\n\n[^1]: The source.")
    assert 'class="footnote-ref"' in html
    assert 'href="#fn:1"' in html
    assert 'id="fn:1"' in html
    assert 'class="footnote-backref"' in html


def test_javascript_links_are_removed():
    html = render_markdown("[click me](javascript:alert(1)) and [x](JaVaScRiPt:alert(2))")
    assert "javascript" not in html.lower()
    assert "click me" in html


def test_raw_script_and_style_are_removed_with_their_content():
    html = render_markdown("Hello\n\n<script>alert('x')</script>\n\n<style>body{}</style>\n\nBye")
    assert "<script" not in html
    assert "alert" not in html
    assert "<style" not in html
    assert "Hello" in html
    assert "Bye" in html


def test_event_handlers_and_inline_styles_are_removed():
    html = render_markdown(
        '<p onclick="steal()" style="color:red">hi</p>\n\n'
        '<img src="x.png" alt="x" onerror="steal()">\n\n'
        '<a href="https://example.org" onmouseover="steal()">link</a>'
    )
    assert "steal" not in html
    assert "style=" not in html
    assert "hi" in html


def test_dangerous_tags_and_data_urls_are_removed():
    html = render_markdown(
        '<iframe src="https://evil.example"></iframe><object data="x"></object>'
        '<form action="/x"><input name="a"></form>\n\n'
        "![x](data:text/html;base64,PHNjcmlwdD4=)"
    )
    for fragment in ("<iframe", "<object", "<form", "<input", "data:text/html"):
        assert fragment not in html


def test_attribute_values_are_escaped():
    html = render_markdown('[a](https://example.org/"onmouseover="x)')
    assert 'onmouseover="' not in html


def test_empty_source_renders_empty():
    assert render_markdown("") == ""
