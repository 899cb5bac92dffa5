"""The confirmation pages of the publication actions in a real Chromium, in French
and English: reached from a list's "Go", clean for axe-core, answered with the
keyboard alone."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from partners.publication import PublicationStatus
from programmes.models import PLACEHOLDER_LAUREATE, Grant
from tests.admin_forms import admin_url
from tests.browser.conftest import focus_by_tabbing
from tests.factories import GrantFactory, PersonFactory

pytestmark = pytest.mark.browser

DRAFT = PublicationStatus.DRAFT


def choose_for_all(page, url: str, action: str) -> None:
    """Select every record of the list at ``url`` and run ``action`` ("Go")."""
    page.goto(url)
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").first.select_option(action)
    page.locator("button[name=index]").first.click()
    expect(page.locator("#content-main form input[name=post]")).to_have_count(1)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_publishing_is_confirmed_with_the_keyboard(staff_page, axe, language):
    ready = GrantFactory(publication_status=DRAFT)
    GrantFactory(publication_status=DRAFT, title_en="")
    held = GrantFactory(
        publication_status=DRAFT, laureate=PersonFactory(**PLACEHOLDER_LAUREATE)
    )
    GrantFactory()
    with translation.override(language):
        title = gettext("Publish the selection?")
        yes = gettext("Yes, publish")

    choose_for_all(staff_page, admin_url(Grant, "changelist"), "publish_selected")

    expect(staff_page.locator("#content h1")).to_have_text(title)
    expect(staff_page.locator("#content-main h2")).to_have_count(4)
    expect(staff_page.locator("#content-main li")).to_have_count(5)
    held_row = staff_page.locator("#content-main li", has_text=str(held))
    expect(held_row).to_contain_text("CORDIS")
    axe(staff_page)

    focus_by_tabbing(staff_page, f"input[type=submit][value={yes!r}]")
    staff_page.keyboard.press("Enter")

    expect(staff_page.locator("#result_list")).to_be_visible()
    assert Grant.objects.public().count() == 3
    assert Grant.objects.get(pk=ready.pk).is_published
    assert not Grant.objects.get(pk=held.pk).is_published


@pytest.mark.parametrize("language", ["fr", "en"])
def test_returning_to_draft_can_be_called_off_with_the_keyboard(
    staff_page, axe, language
):
    GrantFactory()
    GrantFactory(publication_status=DRAFT)
    # Sorted by the list's second column, descending: kept on the way back.
    changelist = admin_url(Grant, "changelist") + "?o=-2"
    with translation.override(language):
        title = gettext("Return the selection to draft?")
        back = gettext("No, take me back")

    choose_for_all(staff_page, changelist, "return_selected_to_draft")

    expect(staff_page.locator("#content h1")).to_have_text(title)
    expect(staff_page.locator("#content-main h2")).to_have_count(2)
    axe(staff_page)

    focus_by_tabbing(staff_page, "a.closelink")
    expect(staff_page.locator("a.closelink")).to_have_text(back)
    staff_page.keyboard.press("Enter")

    expect(staff_page.locator("#result_list")).to_be_visible()
    assert staff_page.url.endswith(changelist)
    assert Grant.objects.public().count() == 1
