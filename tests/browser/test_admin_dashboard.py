"""The staff dashboard (the admin's home page) as drawn by Chromium."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import UnitFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 800])
def test_the_counts_column_headers_are_one_line_high(page, width):
    UnitFactory()
    User.objects.create_superuser("dashboard", password="dashboard-password")
    page.set_viewport_size({"width": width, "height": 900})
    # French: the longest headers ("Brouillons en attente").
    page.set_extra_http_headers({"Accept-Language": "fr"})
    log_in(page, "dashboard", "dashboard-password")

    page.goto("/admin/")

    headers = page.locator("#dashboard-counts thead th")
    expect(headers).to_have_count(3)
    # Django's dashboard.css gave them the row headers' width, 100 %: one letter
    # a line, 258 px high.
    for header in headers.all():
        assert header.bounding_box()["height"] < 40, header.text_content()
    # The row headers still take the room the numbers leave.
    row_header = page.locator("#dashboard-counts tbody th").first
    number = page.locator("#dashboard-counts tbody td").first
    assert row_header.bounding_box()["width"] > 2 * number.bounding_box()["width"]
