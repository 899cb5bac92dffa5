"""Every public page type on a 375-pixel-wide phone: nothing wider than the screen."""

import pytest
from django.utils import translation

from tests.factories import (
    GrantFactory,
    OfficeFactory,
    PartnerFactory,
    ProjectParticipantFactory,
    TestimonyFactory,
    UnitFactory,
    UnitPartnershipFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def records():
    partnership = UnitPartnershipFactory(
        unit=UnitFactory(name_en="A joint laboratory with a rather long English name"),
        partner=PartnerFactory(
            name_en="An institution whose name is long enough to wrap on a phone"
        ),
    )
    participation = ProjectParticipantFactory(partner=partnership.partner)
    grant = GrantFactory(unit=partnership.unit)
    TestimonyFactory(unit=partnership.unit)
    return {
        "unit": partnership.unit,
        "partner": partnership.partner,
        "office": OfficeFactory(),
        "grant": grant,
        "project": participation.project,
        "programme": grant.programme,
    }


def pages(records):
    with translation.override("en"):
        return [
            "/en/",
            "/en/units/",
            records["unit"].get_absolute_url(),
            "/en/partners/?country=JP",
            records["partner"].get_absolute_url(),
            "/en/countries/",
            "/en/countries/JP/",
            "/en/offices/",
            records["office"].get_absolute_url(),
            "/en/grants/",
            records["grant"].get_absolute_url(),
            "/en/projects/",
            records["project"].get_absolute_url(),
            "/en/programmes/",
            records["programme"].get_absolute_url(),
            "/en/search/?q=univ",
        ]


def test_no_page_is_wider_than_a_phone(browser, live_server, transactional_db, records):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 800}
    )
    page = context.new_page()
    too_wide = []
    try:
        for address in pages(records):
            response = page.goto(address)
            assert response is not None and response.status == 200, address
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 375:
                too_wide.append((address, width))
    finally:
        context.close()
    assert too_wide == []
