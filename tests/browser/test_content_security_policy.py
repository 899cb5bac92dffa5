"""The public pages and the admin under their Content Security Policies, in Chromium.

The policy (CONTENT_SECURITY_POLICY in cnrs_intl/settings.py) allows the site's own
files only, nothing inline: a page that needed more (Leaflet's markers and popups,
the autocomplete's list, a script or a style attribute in a template) would break
with it. Each page here is walked through what runs scripts, and no violation may
be reported.
"""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from partners.models import Partner
from programmes.models import Project
from tests.admin_forms import admin_url
from tests.browser.conftest import log_in
from tests.content_security import ADMIN_POLICY, SITE_POLICY, directives
from tests.factories import (
    OfficeFactory,
    PartnerFactory,
    UnitFactory,
    UnitPartnershipFactory,
)
from units.models import Unit

pytestmark = pytest.mark.browser

# Collects the violations the browser reports, from before the page's scripts run.
LISTEN = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    [event.violatedDirective, event.blockedURI, event.sourceFile].join(" ")
  );
});
"""


@pytest.fixture
def world():
    tokyo = PartnerFactory(
        name_fr="Université de Tokyo",
        name_en="University of Tokyo",
        slug="university-of-tokyo",
        country="JP",
        latitude="35.7126",
        longitude="139.7620",
    )
    unit = UnitFactory(slug="jfli", country="JP")
    unit.partners.add(tokyo, through_defaults={"role": "host"})
    OfficeFactory(country="JP", latitude="35.6812", longitude="139.7671")
    return unit


def violations(page) -> list[str]:
    return page.evaluate("window.cspViolations")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_pages_that_run_scripts_need_nothing_the_policy_forbids(
    page, world, language
):
    page.add_init_script(LISTEN)
    for path in ("", "units/", "units/jfli/", "countries/JP/", "offices/"):
        response = page.goto(f"/{language}/{path}")
        assert directives(response.headers["content-security-policy"]) == SITE_POLICY
        # A marker's popup: Leaflet writes its content and position.
        marker = page.locator(".leaflet-marker-icon").first
        expect(marker).to_be_visible()
        marker.focus()  # markers on one spot overlap: a click hits the top one
        page.keyboard.press("Enter")
        expect(page.locator(".leaflet-popup")).to_be_visible()
        assert violations(page) == [], path

    page.goto(f"/{language}/partners/")
    page.locator("#id_q").fill("univ")
    expect(page.locator("[role=option]").first).to_be_visible()
    page.keyboard.press("ArrowDown")
    assert violations(page) == []


def test_an_inline_script_would_be_refused(page, world):
    page.add_init_script(LISTEN)
    page.goto("/fr/")

    ran = page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.injected = true;";
          document.body.append(script);
          return window.injected === true;
        }"""
    )

    assert not ran
    assert any(v.startswith("script-src") for v in violations(page))


def test_the_sites_icon_loads_under_the_policy(page):
    # /favicon.ico was a 404 on every visit, the only error in the console.
    page.add_init_script(LISTEN)
    errors = []
    page.on("response", lambda answer: answer.status >= 400 and errors.append(answer))
    page.on(
        "console", lambda message: message.type == "error" and errors.append(message)
    )
    page.goto("/fr/")

    width = page.evaluate(
        """() => new Promise((resolve) => {
          const icon = new Image();
          icon.onload = () => resolve(icon.naturalWidth);
          icon.onerror = () => resolve(0);
          icon.src = document.querySelector("link[rel=icon]").href;
        })"""
    )
    # Asked outside the page: Chromium's fetch() of /favicon.ico fails under the
    # request routing of the page fixture.
    answer = page.request.get("/favicon.ico")

    assert width > 0
    assert answer.ok
    assert answer.headers["content-type"] == "image/svg+xml"
    assert violations(page) == []
    assert errors == []


# The back office --------------------------------------------------------------


@pytest.fixture
def staff_page(page):
    User.objects.create_superuser("policy", password="policy-password")
    page.add_init_script(LISTEN)
    log_in(page, "policy", "policy-password")
    return page


def test_the_admin_runs_its_scripts_under_its_own_policy(staff_page):
    unit = UnitFactory()
    UnitPartnershipFactory(unit=unit)
    partner = PartnerFactory()
    for url in (
        "/admin/",
        admin_url(Partner, "changelist"),
        admin_url(Partner, "change", partner.pk),
        admin_url(Partner, "history", partner.pk),
        admin_url(Partner, "import"),
        admin_url(Unit, "add"),
        admin_url(Project, "add"),
        "/admin/auth/group/add/",
        admin_url(Unit, "delete", unit.pk),
    ):
        response = staff_page.goto(url)
        assert directives(response.headers["content-security-policy"]) == ADMIN_POLICY
        expect(staff_page.locator("#content h1")).to_be_visible()
        assert violations(staff_page) == [], url

    # What runs when used: an inline table's row added, its picker asking the
    # server, the language tabs.
    staff_page.goto(admin_url(Unit, "change", unit.pk))
    rows = staff_page.locator("#partnerships-group tr.form-row:not(.empty-form)")
    count = rows.count()
    staff_page.locator("#partnerships-group .add-row a").click()
    expect(rows).to_have_count(count + 1)
    rows.last.locator(".select2-selection").first.click()
    expect(staff_page.locator(".select2-results__option").first).to_be_visible()
    staff_page.keyboard.press("Escape")
    staff_page.locator("li[aria-controls=tab_id_name_en] a").click()
    expect(staff_page.locator("#id_name_en")).to_be_visible()
    assert violations(staff_page) == []


def test_the_exports_select_all_box_runs_by_its_hash(staff_page):
    # django-import-export's one inline event handler, allowed by its hash only.
    staff_page.goto(admin_url(Partner, "export"))
    columns = staff_page.locator(
        ".selectable-field-export-row:visible input[type=checkbox]"
    )
    expect(columns.first).to_be_checked()

    staff_page.locator("input.select-toggle").click()
    expect(
        staff_page.locator(".selectable-field-export-row input:checked")
    ).to_have_count(0)
    staff_page.locator("input.select-toggle").click()
    expect(columns.first).to_be_checked()
    assert violations(staff_page) == []
