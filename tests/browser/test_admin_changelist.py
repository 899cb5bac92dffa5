"""The back-office's changelists as drawn by Chromium: the title and its buttons."""

import pytest
from django.contrib.auth.models import User

from tests.browser.conftest import log_in
from tests.factories import PartnerFactory

pytestmark = pytest.mark.browser


TEXT_BOX = """element => {
    const range = document.createRange();
    range.selectNodeContents(element);
    const box = range.getBoundingClientRect();
    return {x: box.x, y: box.y, width: box.width, height: box.height};
}"""


def overlap(box: dict, other: dict) -> bool:
    return not (
        box["x"] + box["width"] <= other["x"]
        or other["x"] + other["width"] <= box["x"]
        or box["y"] + box["height"] <= other["y"]
        or other["y"] + other["height"] <= box["y"]
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_buttons_never_cover_the_title(page, language):
    # Five buttons (import, export, ROR, add, deleted records) beside the longest
    # title: Django's negative margin laid them over it at 1,024-1,440 px.
    PartnerFactory()
    User.objects.create_superuser("lists", password="lists-password")
    page.set_extra_http_headers({"Accept-Language": language})
    log_in(page, "lists", "lists-password")

    for width in (1024, 1280, 1440, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/admin/partners/partner/")

        # The title's text, not its box (a block as wide as the page, in Django's).
        title = page.locator("#content h1").evaluate(TEXT_BOX)
        buttons = page.locator(".object-tools li")
        assert buttons.count() == 5
        for button in buttons.all():
            assert not overlap(button.bounding_box(), title), (width, button)
        if width == 1920:  # room for both: one row, as Django draws it
            assert buttons.first.bounding_box()["y"] < title["y"] + title["height"]
