"""The public pages under their Content Security Policy, in a real Chromium.

The policy (cnrs_intl.middleware) allows the site's own files only, nothing inline:
a page that needed more (Leaflet's markers and popups, the autocomplete's list, a
script or a style attribute in a template) would break with it. Each page here is
walked through what runs scripts, and no violation may be reported.
"""

import pytest
from playwright.sync_api import expect

from tests.factories import OfficeFactory, PartnerFactory, UnitFactory

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
        assert response.headers["content-security-policy"].startswith(
            "default-src 'self'"
        )
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
