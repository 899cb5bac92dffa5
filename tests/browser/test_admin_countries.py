"""The countries an office covers or an agreement concerns, chosen in the admin.

A plain multiple select kept only the country clicked (staff QA: one click on
"Groenland" dropped the 48 countries of the Pretoria office, saved unnoticed); the
admin's two lists add and remove one country at a time.
"""

import re

import pytest
from playwright.sync_api import expect

from partners.models import Office
from tests.admin_forms import admin_url
from tests.factories import OfficeFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("language", "kenya", "choose"),
    [("fr", "Kenya", "Choisir"), ("en", "Kenya", "Choose")],
)
def test_a_country_added_to_an_office_keeps_the_others(
    staff_page, axe, language, kenya, choose
):
    office = OfficeFactory(countries=["ZA", "BW", "NA"])
    staff_page.goto(admin_url(Office, "change", office.pk))
    chosen = staff_page.locator("#id_countries_to")
    expect(chosen.locator("option")).to_have_count(3)
    axe(staff_page)

    staff_page.locator("#id_countries_from").select_option(label=kenya)
    add = staff_page.locator(".selector-add")
    expect(add).to_have_accessible_name(re.compile(f"^{choose}"))
    add.click()
    expect(chosen.locator("option")).to_have_count(4)
    staff_page.locator("[name=_save]").click()
    expect(staff_page.locator(".messagelist .success")).to_be_visible()

    office.refresh_from_db()
    assert sorted(country.code for country in office.countries) == [
        "BW",
        "KE",
        "NA",
        "ZA",
    ]
