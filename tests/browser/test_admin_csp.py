"""The production policy in a real browser: the admin's pages under the CSP, cached public
pages whose nonce matches their header, and the admin lock-out page.

The `page` fixture fails a test on any console error, CSP violations included.
"""

import re

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article

from .conftest import log_in

pytestmark = pytest.mark.usefixtures("demo")

ADMIN_PAGES = [
    "/admin/",
    "/admin/articles/article/",
    "/admin/articles/article/add/",
    "/admin/glossary/term/",
    "/admin/glossary/term/add/",
    "/admin/faq/question/",
    "/admin/faq/submission/",
    "/admin/auth/user/",
    "/admin/taggit/tag/",
]


@pytest.fixture
def signed_in(page):
    get_user_model().objects.create_superuser("chief", "chief@example.org", "a-long-passphrase")
    return log_in(page, "chief")


def test_admin_pages_load_under_the_csp(signed_in):
    for url in ADMIN_PAGES:
        response = signed_in.goto(url)
        assert response.status == 200, url
        policy = response.headers["content-security-policy"]
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    article = Article.objects.get(slug="what-are-exosomes")
    response = signed_in.goto(f"/admin/articles/article/{article.pk}/history/")
    assert response.status == 200


def nonces(tab, response):
    header = re.search(r"'nonce-([^']+)'", response.headers["content-security-policy"])
    in_page = tab.evaluate("[...document.querySelectorAll('script[nonce]')].map(s => s.nonce)")
    assert in_page and set(in_page) == {header.group(1)}
    return header.group(1)


def test_cached_pages_carry_a_nonce_that_matches_their_header(page, browser, live_server, settings):
    from exosite.kernel.pagecache import PageCacheMiddleware

    PageCacheMiddleware.local.clear()
    settings.EXOSITE_PAGE_CACHE = True
    url = "/articles/what-are-exosomes/"
    first = nonces(page, page.goto(url))
    # The same tab revalidates (ETag -> 304): it keeps its page and the policy that came
    # with it, so the nonce stays the same and still matches.
    assert nonces(page, page.reload()) == first
    # Other visitors get the page from the server's cache, each with a nonce of its own.
    seen = {first}
    for _ in range(2):
        context = browser.new_context(base_url=live_server.url)
        tab = context.new_page()
        errors = []
        tab.on(
            "console", lambda msg, errors=errors: msg.type == "error" and errors.append(msg.text)
        )
        response = tab.goto(url)
        assert response.headers["x-cache"] == "hit"
        seen.add(nonces(tab, response))
        context.close()
        assert errors == []
    assert len(seen) == 3


def test_a_locked_out_login_says_what_happened(page, settings):
    get_user_model().objects.create_superuser("chief", "chief@example.org", "a-long-passphrase")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto("/admin/login/")
        page.get_by_label("Username").fill("chief")
        page.get_by_label("Password").fill("not-the-password")
        with page.expect_response("**/admin/login/") as answer:
            page.get_by_role("button", name="Log in").click()
    assert answer.value.status == 429
    assert page.get_by_role("heading", name="Sign-in paused").is_visible()
    assert "15 minutes" in page.locator("main").inner_text()
