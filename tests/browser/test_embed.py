"""The embeddable glossary on another website (issue 14, part 2).

A partner's page is served from another origin (a small HTTP server of the test's own on
127.0.0.1, while the site is the live server on localhost) with a strict CSP that allows
only the site's origin for scripts, fetches and frames, and with CSS that would clash with
the widget's if either leaked into the other. The glossary is the demo content's.
"""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from glossary.embed import SCRIPT
from glossary.models import Term

HOST_CSS = """
body { font: 18px/1.6 Georgia, serif; color: #222; background: #fff; margin: 2rem; }
a { color: #b00000; text-decoration: none; font-weight: 700; }
span { border: 3px solid green; }
.tooltip { background: #ffd; border: 2px dashed #555; font-size: 22px; }
[role="tooltip"] { display: none !important; }
[hidden] { display: block !important; }
exosite-term { background: #eef; }
.article p { letter-spacing: 0.01em; }
"""

ARTICLE = """
<p>An <span>exosome</span> is released when a multivesicular body (MVB) fuses with the
cell surface. Exosomes are one kind of extracellular vesicle; a second exosome mention
is not linked again.</p>
<p class="tooltip">The host's own <a href="/elsewhere">exosome link</a> and
<code>exosome</code> in code stay as they are. Dendritic cells take antigens up; the
abbreviation mvb in lower case is not an abbreviation.</p>
"""

HOST_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Partner news</title>
<link rel="stylesheet" href="/host.css">
</head>
<body>
<header><p id="outside">Exosome news from outside the chosen root.</p></header>
<main>
<div class="article">
<h1>About an exosome</h1>
{article}
</div>
</main>
{script}
</body>
</html>
"""

# Elements of the host page whose computed styles the widget must not change.
HOST_ELEMENTS = ["body", "#outside", "h1", ".article p", ".tooltip", "a", "code", "span"]
STYLE_PROPERTIES = [
    "color",
    "background-color",
    "font-family",
    "font-size",
    "font-weight",
    "line-height",
    "letter-spacing",
    "text-decoration-line",
    "display",
    "position",
    "margin-top",
    "border-top-width",
]


def expect(target):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


class HostSite:
    """Another website: pages by path, each with the strict CSP; runs in a thread."""

    def __init__(self, site_origin):
        self.site = site_origin
        self.pages = {
            "/host.css": ("text/css", HOST_CSS),
            # Asked for by the browser; a 404 would be a console error.
            "/favicon.ico": ("image/svg+xml", '<svg xmlns="http://www.w3.org/2000/svg"/>'),
        }
        self.csp = (
            f"default-src 'none'; script-src {site_origin}; connect-src {site_origin}; "
            f"frame-src {site_origin}; style-src 'self'; img-src 'self'; base-uri 'none'; "
            "form-action 'none'"
        )
        pages = self.pages
        csp = self.csp

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                content_type, body = pages.get(urlsplit(self.path).path, (None, None))
                if body is None:
                    self.send_error(404)
                    return
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", f"{content_type}; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Content-Security-Policy", csp)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def page(self, path, html):
        self.pages[path] = ("text/html", html)
        return self.url + path


@pytest.fixture
def host(live_server):
    site = HostSite(live_server.url)
    site.thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()


def widget_script(site, root=".article"):
    return f'<script src="{site}/embed/glossary.js" data-exosite-root="{root}" defer></script>'


WATCH = """
(() => {
  const violations = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    violations.push(event.violatedDirective + " " + event.blockedURI);
  });
  Object.defineProperty(window, "__cspViolations", { value: violations });
  Object.defineProperty(window, "__initialGlobals", {
    value: Object.getOwnPropertyNames(window),
  });
})();
"""


def visit(tab, url):
    """Open `url` watching for CSP violations; wait for the widget when there is one."""
    tab.add_init_script(WATCH)
    tab.goto(url)
    if tab.evaluate("document.querySelector('script[src*=\"/embed/glossary.js\"]') !== null"):
        return tab.evaluate("() => window.Exosite.glossary.ready")
    return None


def host_styles(tab):
    return tab.evaluate(
        """([selectors, properties]) => selectors.map((selector) => {
          const style = getComputedStyle(document.querySelector(selector));
          return [selector, properties.map((name) => style.getPropertyValue(name))];
        })""",
        [HOST_ELEMENTS, STYLE_PROPERTIES],
    )


def term(tab, slug):
    return tab.locator(f'exosite-term[data-term="{slug}"]')


def mention(tab, slug):
    """The page's own text that became the term's link (its tooltip is in the shadow root)."""
    return term(tab, slug).evaluate("element => element.textContent")


@pytest.fixture
def partner_page(host, live_server):
    return host.page("/news/", HOST_PAGE.format(article=ARTICLE, script=widget_script(host.site)))


def test_first_mentions_in_the_root_are_linked_to_the_site(page, demo, host, partner_page):
    linked = visit(page, partner_page)

    assert linked[:3] == ["exosome", "multivesicular-body", "extracellular-vesicle"]
    assert "dendritic-cell" in linked
    # First mention only, inside the root only; never in a link, code or heading.
    expect(page.locator("exosite-term")).to_have_count(len(linked))
    expect(term(page, "exosome")).to_have_count(1)
    assert mention(page, "exosome") == "exosome"
    assert page.evaluate(
        "document.querySelector('exosite-term[data-term=exosome]').closest('p')"
        " === document.querySelector('.article p')"
    )
    expect(page.locator("#outside exosite-term, h1 exosite-term, a exosite-term")).to_have_count(0)
    expect(page.locator("code exosite-term")).to_have_count(0)
    # "MVB" is the abbreviation, matched as written; the longest name wins.
    assert mention(page, "multivesicular-body") == "multivesicular body"
    assert mention(page, "extracellular-vesicle") == "extracellular vesicle"
    assert mention(page, "dendritic-cell") == "Dendritic cells"

    link = page.get_by_role("link", name="multivesicular body")
    assert link.get_attribute("href") == f"{host.site}/glossary/multivesicular-body/"
    # The page's text is the same text, in the same place.
    assert "An exosome is released when a multivesicular body (MVB) fuses" in " ".join(
        page.locator(".article p").first.inner_text().split()
    )


def test_nothing_leaks_either_way(page, new_host_tab, demo, host, partner_page):
    plain = host.page(
        "/plain/", HOST_PAGE.format(article=ARTICLE, script="")
    )  # the same page without the widget
    plain_tab = new_host_tab()
    visit(plain_tab, plain)
    before = host_styles(plain_tab)

    visit(page, partner_page)

    assert host_styles(page) == before
    # The host's "a { color }" and "[role=tooltip] { display: none !important }" stop at
    # the shadow root: the term keeps the paragraph's colour, its tooltip still opens.
    link = page.get_by_role("link", name="exosome", exact=True)
    paragraph_colour = page.evaluate("getComputedStyle(document.querySelector('.article p')).color")
    assert link.evaluate("a => getComputedStyle(a).color") == paragraph_colour
    assert link.evaluate("a => getComputedStyle(a).fontWeight") == "400"
    link.focus()
    tooltip = term(page, "exosome").get_by_role("tooltip")
    expect(tooltip).to_be_visible()
    assert tooltip.evaluate("t => getComputedStyle(t).backgroundColor") == "rgb(255, 255, 255)"
    assert tooltip.evaluate("t => getComputedStyle(t).fontSize") == "15.2px"
    # No style attribute on any host element, no <style> element added.
    assert page.evaluate("document.querySelectorAll('[style]').length") == 0
    assert page.evaluate("document.querySelectorAll('style').length") == 0


def test_tooltips_work_by_keyboard_and_escape(page, demo, host, partner_page):
    visit(page, partner_page)
    link = page.get_by_role("link", name="exosome", exact=True)
    tooltip = term(page, "exosome").get_by_role("tooltip")
    expect(tooltip).to_be_hidden()

    page.keyboard.press("Tab")  # the first focusable element of the page
    expect(link).to_be_focused()
    expect(tooltip).to_be_visible()
    definition = Term.objects.get(slug="exosome").short_definition
    expect(tooltip).to_have_text(definition)
    expect(link).to_have_accessible_description(definition)

    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()
    expect(link).to_be_focused()

    page.keyboard.press("Tab")
    expect(tooltip).to_be_hidden()
    expect(term(page, "multivesicular-body").get_by_role("tooltip")).to_be_visible()

    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{host.site}/glossary/multivesicular-body/"


def test_hovering_shows_the_tooltip(page, demo, host, partner_page):
    visit(page, partner_page)
    tooltip = term(page, "extracellular-vesicle").get_by_role("tooltip")

    page.get_by_role("link", name="extracellular vesicle").hover()
    expect(tooltip).to_be_visible()
    tooltip.hover()  # the pointer can move onto it
    page.wait_for_timeout(400)
    expect(tooltip).to_be_visible()
    page.locator("h1").hover()
    expect(tooltip).to_be_hidden()


def test_first_tap_shows_the_definition_second_follows(new_host_tab, demo, host, partner_page):
    phone = new_host_tab(has_touch=True, is_mobile=True, viewport={"width": 360, "height": 740})
    visit(phone, partner_page)
    link = phone.get_by_role("link", name="exosome", exact=True)
    tooltip = term(phone, "exosome").get_by_role("tooltip")

    link.tap()
    expect(tooltip).to_be_visible()
    assert phone.url == partner_page
    box, view = tooltip.bounding_box(), phone.viewport_size
    assert box["x"] >= 0 and box["x"] + box["width"] <= view["width"]

    with phone.expect_navigation():
        link.tap()
    assert phone.url == f"{host.site}/glossary/exosome/"


def test_no_csp_violation_cookie_or_global(page, demo, host, partner_page):
    visit(page, partner_page)
    page.get_by_role("link", name="exosome", exact=True).focus()

    assert page.evaluate("window.__cspViolations") == []
    added = page.evaluate(
        "Object.getOwnPropertyNames(window).filter(n => !window.__initialGlobals.includes(n))"
    )
    added.remove("__initialGlobals")  # the test's own, defined after it took the list
    assert added == ["Exosite"]
    assert page.evaluate("document.cookie") == ""
    assert page.context.cookies() == []


def test_axe_finds_nothing_with_a_tooltip_open(page, axe_check, demo, host, partner_page):
    visit(page, partner_page)
    page.get_by_role("link", name="exosome", exact=True).focus()
    expect(term(page, "exosome").get_by_role("tooltip")).to_be_visible()

    assert axe_check(page) == []


def test_a_root_that_matches_nothing_links_nothing(page, demo, host):
    url = host.page(
        "/none/", HOST_PAGE.format(article=ARTICLE, script=widget_script(host.site, "#nowhere"))
    )

    assert visit(page, url) == []
    expect(page.locator("exosite-term")).to_have_count(0)


def test_the_card_embedded_by_oembed_renders_on_another_site(page, axe_check, demo, host):
    answer = page.request.get(
        f"{host.site}/oembed",
        params={"url": f"{host.site}/glossary/dendritic-cell/", "format": "json"},
    )
    assert answer.ok
    url = host.page(
        "/card/",
        HOST_PAGE.format(article=answer.json()["html"], script=""),
    )

    visit(page, url)

    card = page.frame_locator("iframe")
    expect(card.get_by_role("heading", name="Dendritic cell")).to_be_visible()
    expect(card.get_by_text("An immune cell that captures antigens")).to_be_visible()
    more = card.get_by_role("link", name="Read more on Exosite")
    assert more.get_attribute("href") == f"{host.site}/glossary/dendritic-cell/"
    # Styled by its own stylesheet (loaded, not refused).
    assert more.evaluate("a => getComputedStyle(a).color") == "rgb(10, 102, 96)"
    assert page.evaluate("window.__cspViolations") == []
    frame = page.frames[1]
    assert frame.evaluate("window.__cspViolations") == []
    assert axe_check(frame) == []


SPANISH_ARTICLE = """
<p>Un <span>exosoma</span> se libera cuando un cuerpo multivesicular se fusiona con la
superficie de la célula. Las células dendríticas captan antígenos.</p>
"""


def test_data_lang_links_the_spanish_glossary_and_its_cards_speak_spanish(
    page, axe_check, demo, host
):
    script = widget_script(host.site).replace("defer>", 'data-lang="es" defer>')
    url = host.page("/noticias/", HOST_PAGE.format(article=SPANISH_ARTICLE, script=script))

    linked = visit(page, url)

    assert linked[:3] == ["exosoma", "cuerpo-multivesicular", "celula-dendritica"]
    assert mention(page, "celula-dendritica") == "células dendríticas"
    link = page.get_by_role("link", name="cuerpo multivesicular")
    assert link.get_attribute("href") == f"{host.site}/es/glossary/cuerpo-multivesicular/"
    expect(term(page, "exosome")).to_have_count(0)  # never the English glossary
    assert page.evaluate("window.__cspViolations") == []

    # The Spanish term's card, found by oEmbed from its Spanish address.
    answer = page.request.get(
        f"{host.site}/oembed", params={"url": f"{host.site}/es/glossary/celula-dendritica/"}
    )
    assert answer.ok
    # The same tab, still watching for CSP violations (its init script runs on every load).
    page.goto(host.page("/tarjeta/", HOST_PAGE.format(article=answer.json()["html"], script="")))
    card = page.frame_locator("iframe")
    expect(card.get_by_role("heading", name="Célula dendrítica")).to_be_visible()
    more = card.get_by_role("link", name="Leer más en Exosite")
    assert more.get_attribute("href") == f"{host.site}/es/glossary/celula-dendritica/"
    frame = page.frames[1]
    assert frame.evaluate("document.documentElement.lang") == "es"
    assert page.evaluate("window.__cspViolations") == []
    assert axe_check(frame) == []


@pytest.fixture
def new_host_tab(browser):
    """More tabs (a plain one, or with options such as touch); fail on console errors."""
    contexts, errors = [], []

    def open_tab(**options):
        options.setdefault("viewport", {"width": 1280, "height": 800})
        context = browser.new_context(**options)
        contexts.append(context)
        tab = context.new_page()
        tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        return tab

    yield open_tab
    for context in contexts:
        context.close()
    assert errors == [], f"Browser console errors: {errors}"


# The same rules as the server's auto-linker (glossary/autolink.py): the widget links what
# the site would link, in the same order, on text full of the cases the rules are about.
PARITY_TERMS = [
    ("dendritic-cell", "Dendritic cell", "DC", ["dendritic cells"]),
    ("immature-dendritic-cell", "Immature dendritic cell", "imDC", []),
    ("multivesicular-body", "Multivesicular body", "MVB", ["multivesicular endosome"]),
    ("who", "World Health Organization", "WHO", []),
    ("matrix", "Extracellular matrix", "", []),
    ("nucleus", "Nucleus", "", []),
    ("wharton", "Wharton's jelly", "", []),
    ("t-cell", "T cell", "", ["T-cell"]),
    ("cd34", "CD34", "", []),
    ("antigen", "Antigen", "", []),
    ("cell", "Cell", "", []),
]
PARITY_HTML = """
<h2>Dendritic cells in a heading</h2>
<p>Immature   dendritic
cells differ from dendritic cells; a DC is not a dc. Who knows? The WHO does.</p>
<p>Extracellular matrices hold nuclei and <a href="#">antigens</a>, and
Wharton’s jelly; an antigenic antigens list. The MVBs of a multivesicular endosome.</p>
<p><code>T cell</code> <button>T cells</button> a T‐cell, CD34s, cd34 and cells
<sup>antigen</sup> <abbr title="x">MVB</abbr> <em>multivesicular</em> body.</p>
"""


def test_the_widget_links_what_the_site_would(browser):
    from glossary.autolink import AutoLinker, LinkTarget

    targets = [
        LinkTarget(
            key=slug,
            url=f"/glossary/{slug}/",
            title=name,
            short_definition=f"{name}.",
            phrases=(name, *aliases),
            abbreviations=(abbreviation,) if abbreviation else (),
        )
        for slug, name, abbreviation, aliases in PARITY_TERMS
    ]
    server = AutoLinker(targets).link(PARITY_HTML)
    index = {
        "v": 1,
        "url": "/glossary/{slug}/",
        "terms": [
            [slug, name, f"{name}.", abbr, *aliases] for slug, name, abbr, aliases in PARITY_TERMS
        ],
    }
    tab = browser.new_page()
    try:
        tab.set_content(f"<!DOCTYPE html><main>{PARITY_HTML}</main>")
        tab.add_script_tag(path=str(SCRIPT))
        found = tab.evaluate(
            """(index) => new window.Exosite.glossary.Matcher(index, "https://exosite.example/")
              .find([document.querySelector("main")])
              .map((match) => [match.term.slug, match.node.data.slice(match.start, match.end)])""",
            index,
        )
    finally:
        tab.close()

    server_texts = re.findall(r'data-term="([^"]+)"[^>]*>([^<]*)</a>', server.html)
    assert [slug for slug, _ in found] == server.linked_keys
    assert found == [[slug, text] for slug, text in server_texts]
    assert len(server.linked_keys) >= 8  # the cases are not all missed by mistake
