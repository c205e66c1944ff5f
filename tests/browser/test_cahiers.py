"""A published cahier in Chromium on a 360 px phone: read without sideways scrolling, charts drawn, nothing fetched
from another host; its PDF link answers a PDF."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_a_cahier_reads_on_a_phone_with_its_charts_and_contents(demo_server, page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{demo_server.url}/cahiers/")
    page.click("a:has-text('Agir avec les personnes')")
    page.wait_for_selector("nav.toc")
    entries = page.locator("nav.toc li a")
    assert entries.count() >= 5
    target = entries.nth(1).get_attribute("href")
    entries.nth(1).click()
    assert page.url.endswith(target)
    assert page.locator(f"{target}").is_visible()
    assert page.locator("svg.chart").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert "2012-001X" in page.inner_text("main")
    response = page.request.get(page.get_attribute("a:has-text('Télécharger le PDF')", "href")
                                .replace("/cahiers", f"{demo_server.url}/cahiers", 1))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert page.hosts == {"127.0.0.1"}
