"""Two app servers, one truth: two `make serve` instances (gunicorn and the task worker,
production settings) on different ports, sharing one PostgreSQL database and one Redis, as
a fleet behind a load balancer does.

Changes made through one server's admin (an edit, a publish, an unpublish, a glossary term
renamed) are served by the other on its very next request, also where that page was a
page-cache hit there just before; a scheduled article goes live on the other server at its
time without any write; Redis stopped and started again mid-run loses nothing (pages
served uncached meanwhile, a change made during the outage served by both afterwards); a
new release started beside the old one serves only its own pages, and the old one only its
own.

Visitors' requests carry one Host for both servers (as behind a load balancer), so the
servers share page-cache entries: a hit on one may be a page the other stored. The editor
works in the admin over real HTTP (login, the change forms and the list actions posted
back with their CSRF token), on one server only.

Runs in `make test-postgres` (a database of its own on the test run's PostgreSQL server),
with a Redis server of its own (scripts/redis); skipped, with the reason, where either
cannot be had. About a minute and a half. Marked `server`: `make test-fast` leaves it out.
"""

import html
import http.client
import os
import re
import socket
import sys
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urlencode

import psycopg
import pytest
from django.conf import settings
from django.db import connection

sys.path.insert(0, str(settings.BASE_DIR / "bench"))
import harness  # bench/ is not a package: found on the path above

pytestmark = pytest.mark.server

SECRET = "two-servers-test-secret-" + "t" * 40
# Of this run's own (a concurrent run elsewhere in the tree has another), dropped after it.
DATABASE = f"exosite_two_servers_{os.getpid()}"
EDITOR, PASSWORD = "editor", "two-servers-editor-password"
HOST = {"Host": "127.0.0.1"}  # what the load balancer passes on, whichever server answers
OLD, NEW = "two-servers-release-1", "two-servers-release-2"
# What the new release changes in its templates: the page around the content, the site
# chrome (kept per release in each process) and an article's text part (kept per release
# and live version in Redis). A page is of one release only if it has all or none of them.
MARKERS = {
    "templates/base.html": ("<body>", "<body data-release-page>"),
    "templates/chrome/footer.html": (
        '<footer class="site-footer">',
        '<footer class="site-footer" data-release-chrome>',
    ),
    "templates/articles/article_detail.html": (
        '<p class="article-disclaimer">',
        '<p class="article-disclaimer" data-release-part>',
    ),
}
MARKED = re.compile(r"data-release-(page|chrome|part)")

SETUP = """
import json
from articles.models import Article
from exosite.models import Status
from glossary.models import Term
from trust.models import Person

reviewer = Person.objects.create(name="Rita Reviewer", slug="rita-reviewer", credentials="MD")
author = Person.objects.create(name="Edna Editor", slug="edna-editor")


def reviewed(item):
    item.record_review(reviewer)
    item.save()
    return item


reviewed(Term(
    name="Quorin", slug="quorin", short_definition="A vesicle protein made up for a test.",
    definition="Made up for a test.", status=Status.PUBLISHED,
))
articles = {
    "edited": ("Before the edit", "The first text.", Status.PUBLISHED),
    "news": ("News in review", "Reviewed and waiting.", Status.DRAFT),
    "old-name": ("Naming the old", "Cells make Quorin in small amounts.", Status.PUBLISHED),
    "new-name": ("Naming the new", "Cells make Velarin in small amounts.", Status.PUBLISHED),
    "outage": ("Before the outage", "Written before Redis went away.", Status.PUBLISHED),
    "scheduled": ("Out on time", "Scheduled by the editor.", Status.DRAFT),
    "release": ("Across releases", "Read from both releases.", Status.PUBLISHED),
}
ids = {}
for slug, (title, body, status) in articles.items():
    article = reviewed(
        Article(slug=slug, title=title, summary=f"About {slug}.", body=body, status=status)
    )
    article.author_profiles.set([author])
    ids[slug] = article.pk
ids["quorin"] = Term.objects.get(slug="quorin").pk
print(json.dumps(ids))
"""


# -- the fleet ---------------------------------------------------------------------------


class Fleet:
    """Servers `a` and `b` of the old release (the editor works on `a`), what they share
    (the database, Redis, the environment) and the test content's ids by slug."""

    def __init__(self, a, b, env, database_url, redis, ids, files):
        self.a, self.b = a, b
        self.files = files
        self.env = env
        self.database_url = database_url
        self.redis = redis
        self.ids = ids
        self.editor = Editor(a)

    def sql(self, query):
        """One value read straight from the database (the test only observes with it)."""
        with psycopg.connect(self.database_url, autocommit=True) as db:
            return db.execute(query).fetchone()[0]

    def content_version(self):
        return self.sql("SELECT epoch || '.' || counter FROM ops_contentversion WHERE id = 1")

    def tasks_idle(self):
        """Wait until the task workers have nothing queued or running (their writes raise
        the content version: a step starts from a quiet fleet)."""
        harness.wait_for(
            lambda: (
                not self.sql(
                    "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                    "WHERE status IN ('READY', 'RUNNING')"
                )
            ),
            60,
            "the task queue empty",
        )


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    if connection.vendor != "postgresql":
        pytest.skip("two servers share a PostgreSQL database: run by make test-postgres")
    harness.deadline.start(900)
    redis = harness.Redis()
    try:
        redis.start()
    except (harness.Unavailable, harness.TimedOut) as exc:
        pytest.skip(f"no Redis for the two servers: {exc}")
    try:
        database_url, drop = harness.fresh_postgres(DATABASE)
    except Exception as exc:  # any reason the database cannot be made is a reason to skip
        redis.shutdown()
        pytest.skip(f"no PostgreSQL database for the two servers: {type(exc).__name__}: {exc}")
    env = harness.production_env(
        database_url,
        SECRET,
        REDIS_URL=redis.url,
        EXOSITE_RELEASE=OLD,
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    try:
        harness.manage(env, "migrate", "--noinput", "-v", "0")
        harness.manage(
            {**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
            "createsuperuser",
            "--noinput",
            "--username",
            EDITOR,
            "--email",
            "editor@example.com",
            quiet=True,
        )
        ids = harness.django_json(env, SETUP)
        files = tmp_path_factory.mktemp("two-servers")
        with server(env, files, "a") as a, server(env, files, "b") as b:
            yield Fleet(a, b, env, database_url, redis, ids, files)
    finally:
        try:
            redis.shutdown()
        finally:
            drop()


def server(env, files, name, base=None, **extra):
    """`make serve` (2 workers and the task worker) with static files of its own; its log
    is `files`/<name>.log."""
    log = files / f"{name}.log"
    env = {**env, "DJANGO_STATIC_ROOT": str(files / f"static-{name}"), **extra}
    return harness.Server(env, log=log, workers=2, base=base or harness.BASE)


# -- visitors ----------------------------------------------------------------------------


def visit(server, path):
    """A visitor's GET, as the load balancer passes it to `server`."""
    return server.http.get(path, headers=HOST)


def outcome(response):
    return response.headers.get("X-Cache")


def cached(server, path):
    """Ask `server` for `path` until it answers from the page cache (a few requests at
    most: a miss stores the page); that response."""
    found = []

    def hit():
        response = visit(server, path)
        assert response.status == 200, (path, response.status)
        found.append(response)
        return outcome(response) == "hit"

    harness.wait_for(hit, 30, f"{path} a page-cache hit on :{server.port}", interval=0.05)
    return found[-1]


def text(response):
    return html.unescape(response.body.decode())


# -- an editor in the admin ----------------------------------------------------------------


class FormFields(HTMLParser):
    """What a browser would send from the form with id `form_id`: named inputs (checked
    boxes only), textareas and selected options; no buttons or files."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields = []
        self.textarea = None
        self.select = None  # [name, multiple, first option, anything selected]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        if tag == "input" and "name" in attrs:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((attrs["name"], attrs.get("value", "on")))
                return
            self.fields.append((attrs["name"], attrs.get("value", "")))
        elif tag == "textarea" and "name" in attrs:
            self.textarea = [attrs["name"], ""]
        elif tag == "select" and "name" in attrs:
            self.select = [attrs["name"], "multiple" in attrs, None, False]
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select[2] is None:
                self.select[2] = value
            if "selected" in attrs:
                self.fields.append((self.select[0], value))
                self.select[3] = True

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            name, value = self.textarea
            # A browser drops the newline that follows <textarea>.
            self.fields.append((name, value.removeprefix("\r\n").removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            name, multiple, first, selected = self.select
            if not (multiple or selected or first is None):
                self.fields.append((name, first))
            self.select = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data


def form_fields(page, form_id):
    parser = FormFields(form_id)
    parser.feed(page)
    assert parser.fields, f"no form #{form_id} on the page"
    return parser.fields


def replaced(fields, **changes):
    """`fields` with each named field set to its value in `changes` (None: left out)."""
    kept = [(name, value) for name, value in fields if name not in changes]
    return kept + [(name, value) for name, value in changes.items() if value is not None]


def form_errors(page):
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", " ", each)).strip() for each in found]


class Editor:
    """A superuser in a browser on one server's admin: its cookies, and the admin's own
    forms read and posted back as the browser would (CSRF token included)."""

    def __init__(self, server):
        self.port = server.port
        self.cookies = {}
        page = self.get("/admin/login/?next=/admin/")
        fields = replaced(
            form_fields(page, "login-form"), username=EDITOR, password=PASSWORD, next="/admin/"
        )
        status, location, page = self.post("/admin/login/?next=/admin/", fields)
        assert (status, location) == (302, "/admin/"), form_errors(page) or page[-2000:]

    def request(self, method, path, fields=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        client = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            client.request(method, path, body=body, headers=headers)
            response = client.getresponse()
            page = response.read().decode()
            for cookie in response.headers.get_all("Set-Cookie") or ():
                name, _, rest = cookie.partition("=")
                value = rest.split(";", 1)[0]
                if value in ("", '""') or "Max-Age=0" in cookie:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
            return response.status, response.getheader("Location"), page
        finally:
            client.close()

    def get(self, path):
        status, _, page = self.request("GET", path)
        assert status == 200, (path, status)
        return page

    def post(self, path, fields):
        return self.request("POST", path, fields)

    def change(self, model, pk, **changes):
        """Open the item's change form, change the fields, save; the page it was sent
        back to (the list, with the admin's messages)."""
        path = f"/admin/{model}/{pk}/change/"
        form = f"{model.split('/')[1]}_form"
        fields = replaced(form_fields(self.get(path), form), _save="Save", **changes)
        status, location, page = self.post(path, fields)
        assert status == 302, form_errors(page) or page[-3000:]
        return self.get(location)

    def action(self, model, action, pk):
        """Tick the item in the list and run one of the list's actions on it; the page
        it was sent back to."""
        path = f"/admin/{model}/"
        fields = replaced(
            form_fields(self.get(path), "changelist-form"),
            action=action,
            index="0",
            _selected_action=str(pk),
        )
        status, location, page = self.post(path, fields)
        assert status == 302, form_errors(page) or page[-3000:]
        return self.get(location)


# -- the tests -----------------------------------------------------------------------------


def test_an_edit_in_the_admin_is_served_by_the_other_server_at_once(fleet):
    fleet.tasks_idle()
    before = cached(fleet.b, "/articles/edited/")
    assert "Before the edit" in text(before)
    cached(fleet.b, "/articles/")

    fleet.editor.change(
        "articles/article",
        fleet.ids["edited"],
        title="After the edit",
        body="The second text, edited on the other server.",
        record_review="on",
    )

    after = visit(fleet.b, "/articles/edited/")
    assert (after.status, outcome(after)) == (200, "miss")
    page = text(after)
    assert "After the edit" in page and "The second text" in page
    assert "Before the edit" not in page and "The first text" not in page
    listed = visit(fleet.b, "/articles/")
    assert outcome(listed) == "miss"
    assert "After the edit" in text(listed) and "Before the edit" not in text(listed)
    assert "After the edit" in text(visit(fleet.a, "/articles/edited/"))


def test_publish_and_unpublish_in_the_admin_are_served_by_the_other_server_at_once(fleet):
    fleet.tasks_idle()
    assert "News in review" not in text(cached(fleet.b, "/articles/"))
    assert visit(fleet.b, "/articles/news/").status == 404

    page = fleet.editor.action("articles/article", "publish", fleet.ids["news"])
    assert "1 published." in page

    listed = visit(fleet.b, "/articles/")
    assert outcome(listed) == "miss" and "News in review" in text(listed)
    news = visit(fleet.b, "/articles/news/")
    assert news.status == 200 and "Reviewed and waiting." in text(news)

    fleet.tasks_idle()
    cached(fleet.b, "/articles/news/")
    cached(fleet.b, "/articles/")
    page = fleet.editor.action("articles/article", "unpublish", fleet.ids["news"])
    assert "1 unpublished." in page

    assert visit(fleet.b, "/articles/news/").status == 404
    listed = visit(fleet.b, "/articles/")
    assert outcome(listed) == "miss" and "News in review" not in text(listed)
    assert visit(fleet.a, "/articles/news/").status == 404


def test_a_glossary_term_renamed_changes_the_pages_linking_it_on_the_other_server(fleet):
    fleet.tasks_idle()
    old = cached(fleet.b, "/articles/old-name/")
    new = cached(fleet.b, "/articles/new-name/")
    term = cached(fleet.b, "/glossary/quorin/")
    link = 'href="/glossary/quorin/"'
    assert link in old.body.decode() and link not in new.body.decode()
    assert "Quorin" in text(term) and "Naming the old" in text(term)

    fleet.editor.change("glossary/term", fleet.ids["quorin"], name="Velarin", record_review="on")

    # The pages' own text follows at once (linked on view, per glossary version)...
    old = visit(fleet.b, "/articles/old-name/")
    new = visit(fleet.b, "/articles/new-name/")
    assert (outcome(old), outcome(new)) == ("miss", "miss")
    assert link not in old.body.decode() and link in new.body.decode()
    term = visit(fleet.b, "/glossary/quorin/")
    assert outcome(term) == "miss"
    assert "<h1>Velarin" in term.body.decode()

    # ...and where the term is used (stored mentions) once the task worker has re-linked.
    def used_in_new_only():
        page = text(visit(fleet.b, "/glossary/quorin/"))
        return "Naming the new" in page and "Naming the old" not in page

    harness.wait_for(used_in_new_only, 60, "the term page listing the article naming it now")
    assert "Naming the new" in text(visit(fleet.a, "/glossary/quorin/"))


def redis_keys(port):
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        sock.sendall(b"DBSIZE\r\n")
        return int(sock.recv(64).strip().lstrip(b":"))


def health(server):
    return server.http.get("/healthz").json()["status"]


def test_redis_restarted_mid_run_loses_nothing(fleet):
    fleet.tasks_idle()
    for each in (fleet.a, fleet.b):
        cached(each, "/articles/outage/")
    assert redis_keys(fleet.redis.port) > 0

    fleet.redis.shutdown()
    try:
        for each in (fleet.a, fleet.b):
            harness.wait_for(lambda s=each: health(s) == "degraded", 30, "health 'degraded'")
            page = visit(each, "/articles/outage/")
            assert page.status == 200 and "Before the outage" in text(page)
        # Written during the outage, through the admin of one server...
        fleet.editor.change(
            "articles/article",
            fleet.ids["outage"],
            title="Written while Redis was away",
            record_review="on",
        )
        # ...served by the other at once, uncached.
        page = visit(fleet.b, "/articles/outage/")
        assert (page.status, outcome(page)) == (200, "miss")
        assert "Written while Redis was away" in text(page)
        for path in ("/", "/articles/", "/glossary/", "/articles/edited/"):
            assert visit(fleet.b, path).status == 200
    finally:
        fleet.redis.start()  # on the same port, empty

    for each in (fleet.a, fleet.b):
        harness.wait_for(lambda s=each: health(s) == "ok", 30, "health 'ok' again")
        page = visit(each, "/articles/outage/")
        assert page.status == 200 and "Written while Redis was away" in text(page)

    # Both store pages in Redis again (each process tries it again 5 s after a failure).
    def stored_again():
        for each in (fleet.a, fleet.b):
            visit(each, "/articles/")
        return redis_keys(fleet.redis.port) > 0

    harness.wait_for(stored_again, 30, "pages stored in Redis again", interval=0.5)
    assert "Written while Redis was away" in text(cached(fleet.b, "/articles/outage/"))


def test_a_scheduled_article_goes_live_on_the_other_server_at_its_time_without_a_write(fleet):
    fleet.tasks_idle()
    cached(fleet.b, "/articles/")
    at = (datetime.now(UTC) + timedelta(seconds=12)).replace(microsecond=0)
    fleet.editor.change(
        "articles/article",
        fleet.ids["scheduled"],
        status="published",
        published_at_0=f"{at:%d/%m/%Y}",
        published_at_1=f"{at:%H:%M:%S}",
    )
    fleet.tasks_idle()
    version = fleet.content_version()
    # Scheduled: not shown yet, and the list without it is a hit until its time.
    listed = cached(fleet.b, "/articles/")
    assert "Out on time" not in text(listed)
    assert visit(fleet.b, "/articles/scheduled/").status == 404
    assert datetime.now(UTC) < at, "the steps before the publication time took too long"

    harness.wait_for(lambda: datetime.now(UTC) > at, 30, "the publication time")
    listed = visit(fleet.b, "/articles/")
    assert outcome(listed) == "miss" and "Out on time" in text(listed)
    shown = visit(fleet.b, "/articles/scheduled/")
    assert shown.status == 200 and "Scheduled by the editor." in text(shown)
    assert "Out on time" in text(visit(fleet.a, "/articles/"))
    assert fleet.content_version() == version  # nothing was written


def new_release(tmp_path):
    """This code with the template changes of MARKERS: a release of its own."""
    base = harness.copy_release(tmp_path / "release")
    for name, (old, new) in MARKERS.items():
        path = base / name
        source = path.read_text()
        assert source.count(old) == 1, f"{name}: {old!r} is not there once"
        path.write_text(source.replace(old, new))
    return base


def markers(response):
    return set(MARKED.findall(response.body.decode()))


def test_a_new_release_beside_the_old_one_serves_only_its_own_pages(fleet, tmp_path):
    base = new_release(tmp_path)
    fleet.tasks_idle()
    # The new release starts (and migrates) beside the old one, on the same database and
    # Redis, with the same Host: only the release tells their pages apart.
    with server(fleet.env, fleet.files, "c", base=base, EXOSITE_RELEASE=NEW) as c:
        fleet.tasks_idle()
        everything = {"page", "chrome", "part"}
        old = cached(fleet.b, "/articles/release/")
        assert markers(old) == set()
        first = visit(c, "/articles/release/")
        assert (first.status, outcome(first)) == (200, "miss")
        assert markers(first) == everything
        for _ in range(3):
            for path in ("/articles/release/", "/articles/", "/glossary/quorin/"):
                ours = visit(c, path)
                theirs = visit(fleet.b, path)
                assert ours.status == theirs.status == 200
                wanted = everything if path == "/articles/release/" else {"page", "chrome"}
                assert markers(ours) == wanted, path
                assert markers(theirs) == set(), path
        assert outcome(visit(c, "/articles/release/")) == "hit"
        assert outcome(visit(fleet.b, "/articles/release/")) == "hit"

        # An edit through the new release's admin: each release serves it, in its own pages.
        Editor(c).change(
            "articles/article",
            fleet.ids["release"],
            title="Edited in the new release",
            record_review="on",
        )
        for each, wanted in ((fleet.b, set()), (c, everything)):
            page = visit(each, "/articles/release/")
            assert (page.status, outcome(page)) == (200, "miss")
            assert "Edited in the new release" in text(page)
            assert markers(page) == wanted
