"""The read API's documentation page, as a developer reads it on a phone and a desktop."""

import pytest

pytestmark = pytest.mark.usefixtures("demo")


@pytest.mark.parametrize("width", [375, 1280])
def test_the_api_docs_read_well_and_pass_axe(page, axe_check, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/api/v1/docs/")
    assert page.locator("h1").inner_text() == "Exosite read API"
    assert page.get_by_role("heading", name="GET /api/v1/{kind}/", exact=True).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_check(page) == []
    page.get_by_role("link", name="Try it").first.click()
    assert '"kinds"' in page.content()
