"""End-to-end walks in a real Chromium: a visitor's and an editor's.

- A visitor, in English, goes from the home page to the partners of Japan, opens a
  partner, then its unit, and switches the unit's page to French.
- An editor logs in to the admin, creates a unit with French and English text, adds a
  host partner through the autocomplete, saves it as a draft (hidden from the public,
  shown to staff with a banner), publishes it and sees it on the public site.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from partners.publication import PublicationStatus
from partners.roles import Role
from tests.browser.conftest import focus_by_tabbing, guarded_page
from tests.factories import (
    InstituteFactory,
    PartnerFactory,
    UnitFactory,
    UnitPartnershipFactory,
)
from units.models import PartnerRole, Unit

pytestmark = pytest.mark.browser


# The visitor's walk ---------------------------------------------------------------


@pytest.fixture
def japanese_unit():
    tokyo = PartnerFactory(
        name_fr="Université de Tokyo",
        name_en="University of Tokyo",
        acronym="UTokyo",
        slug="university-of-tokyo",
        country="JP",
    )
    unit = UnitFactory(
        acronym="JFLI",
        slug="jfli",
        name_fr="Laboratoire franco-japonais d'informatique",
        name_en="Japanese-French Laboratory for Informatics",
        country="JP",
    )
    UnitPartnershipFactory(unit=unit, partner=tokyo, role=PartnerRole.HOST)
    PartnerFactory(
        name_fr="Université de São Paulo",
        name_en="University of São Paulo",
        slug="usp",
        country="BR",
        city_fr="São Paulo",
        city_en="São Paulo",
    )
    return unit


def test_visitor_walk(page, axe, external_requests, japanese_unit):
    unit = japanese_unit

    # Home, in English.
    response = page.goto("/en/")
    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "en")
    axe(page)

    # The main menu leads to the partners.
    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_role("link", name="Partners", exact=True).click()
    expect(page).to_have_url(re.compile(r"/en/partners/$"))
    expect(page.locator(".partner-card")).to_have_count(2)
    axe(page)

    # Choose Japan and submit, with the keyboard alone.
    focus_by_tabbing(page, "#id_country")
    page.keyboard.type("Japan")  # a closed <select> selects as one types
    expect(page.locator("#id_country")).to_have_value("JP")
    focus_by_tabbing(page, "form[role=search] button[type=submit]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/en/partners/\?(.*&)?country=JP(&|$)"))
    cards = page.locator(".partner-card")
    expect(cards).to_have_count(1)
    expect(cards).to_contain_text("University of Tokyo")
    expect(page.get_by_text("University of São Paulo")).to_have_count(0)
    axe(page)

    # Open the partner.
    cards.get_by_role("link", name=re.compile("University of Tokyo")).click()
    expect(page).to_have_url(re.compile(r"/en/partners/university-of-tokyo/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("University of Tokyo")
    axe(page)

    # Follow the link to its unit.
    page.get_by_role("link", name="JFLI", exact=True).click()
    expect(page).to_have_url(re.compile(r"/en/units/jfli/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(unit.name_en)
    expect(heading).not_to_contain_text(unit.name_fr)
    axe(page)

    # Switch to French: the same unit, in French.
    switcher = page.get_by_role("navigation", name="Language")
    switcher.get_by_role("link", name="Français").click()
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/fr/units/jfli/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    heading = page.get_by_role("heading", level=1)
    expect(heading.locator(".subtitle")).to_have_text(unit.name_fr)
    expect(heading).not_to_contain_text(unit.name_en)
    axe(page)

    assert external_requests == []


# The editor's walk ----------------------------------------------------------------

EDITOR_PASSWORD = "A-long-enough-passphrase-2025"


@pytest.fixture
def editor():
    user = User.objects.create_user(
        "editor", "editor@example.org", EDITOR_PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=Role.EDITOR.value))
    return user


@pytest.fixture
def anonymous_page(browser, live_server, external_requests):
    """A second browser context, never logged in, guarded like ``page``."""
    with guarded_page(browser, live_server.url, external_requests) as anonymous:
        yield anonymous


def pick_autocomplete(page, container, text, option_text):
    """Open the select2 widget in ``container``, type ``text``, pick ``option_text``.

    Opening the widget fetches every choice and typing fetches the matching ones:
    wait for the answer to what was typed, then choose with the keyboard (Enter
    takes the highlighted option of the list select2 shows last, whereas a click
    could land on an option of the first list just as it is replaced).
    """
    container.locator(".select2-selection").click()
    search = page.locator(".select2-container--open .select2-search__field")
    expect(search).to_be_focused()

    def answers_the_search(response):
        parts = urlsplit(response.url)
        return parts.path.endswith("/admin/autocomplete/") and parse_qs(
            parts.query
        ).get("term") == [text]

    with page.expect_response(answers_the_search) as answer:
        search.fill(text)
    assert answer.value.ok
    results = page.locator(".select2-container--open .select2-results__option")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text(option_text)
    expect(
        page.locator(".select2-container--open .select2-results__option--highlighted")
    ).to_contain_text(option_text)
    search.press("Enter")
    expect(page.locator(".select2-container--open")).to_have_count(0)
    expect(container.locator(".select2-selection__rendered")).to_contain_text(
        option_text
    )


def fill_translated(page, field, french, english):
    """Fill ``field_fr`` in the French tab and ``field_en`` in the English tab."""
    page.locator(f"[aria-controls='tab_id_{field}_fr'] > a").click()
    page.locator(f"#id_{field}_fr").fill(french)
    english_tab = page.locator(f"[aria-controls='tab_id_{field}_en'] > a")
    # Named by the language, in the admin's (admin-translation-switch.js).
    expect(english_tab).to_have_text(re.compile("English|Anglais", re.I))
    english_tab.click()
    english_input = page.locator(f"#id_{field}_en")
    expect(english_input).to_be_visible()
    english_input.fill(english)


def test_editor_creates_translates_and_publishes_a_unit(
    page, anonymous_page, external_requests, editor
):
    institute = InstituteFactory(
        code="INS2I", name_fr="Institut des sciences de l'information"
    )
    partner = PartnerFactory(
        name_fr="Université Zéphyrine de Kyoto",
        name_en="Zephyrine University of Kyoto",
        acronym="ZUK",
        slug="zephyrine-university",
        country="JP",
    )
    name_fr = "Laboratoire international des nuages"
    name_en = "International Laboratory of Clouds"

    # Log in with the admin's form.
    page.goto("/admin/login/")
    page.locator("#id_username").fill("editor")
    page.locator("#id_password").fill(EDITOR_PASSWORD)
    page.locator("#login-form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    # Create the unit.
    page.goto("/admin/units/unit/add/")
    expect(page.locator("#unit_form")).to_be_visible()
    # modeltranslation builds its language tabs once the page has loaded.
    expect(page.locator("[aria-controls='tab_id_name_en'] > a")).to_be_visible()
    page.locator("#id_kind").select_option("irl")
    page.locator("#id_code").fill("IRL 9999")
    page.locator("#id_acronym").fill("NUAGES")
    # Leaving the acronym fills the slug in (prepopulated_fields); let it do so
    # first, or its update would race with the typing below.
    page.locator("#id_acronym").press("Tab")
    expect(page.locator("#id_slug")).to_have_value("nuages")
    page.locator("#id_slug").fill("nuages")
    fill_translated(page, "name", name_fr, name_en)
    fill_translated(page, "city", "Kyoto", "Kyoto")
    page.locator("#id_country").select_option("JP")
    pick_autocomplete(
        page, page.locator(".field-lead_institute"), "INS2", institute.code
    )

    page.locator("#partnerships-group .add-row a").click()
    row = page.locator("#partnerships-group tr.form-row.dynamic-partnerships").first
    expect(row).to_be_visible()
    pick_autocomplete(page, row.locator("td.field-partner"), "Zéphyr", partner.name_en)
    row.locator("select[name$='-role']").select_option("host")

    # Save as a draft, with "Save", not "Save and publish".
    expect(page.locator("input[name=_publish]")).to_be_visible()
    page.locator("input[name=_save]").click()
    expect(page).to_have_url(re.compile(r"/admin/units/unit/(\?.*)?$"))
    expect(page.locator(".messagelist .success")).to_be_visible()

    unit = Unit.objects.get(slug="nuages")
    assert unit.publication_status == PublicationStatus.DRAFT
    assert (unit.kind, unit.code, unit.acronym) == ("irl", "IRL 9999", "NUAGES")
    assert (unit.name_fr, unit.name_en) == (name_fr, name_en)
    assert (unit.city_fr, unit.city_en) == ("Kyoto", "Kyoto")
    assert unit.country.code == "JP"
    assert unit.lead_institute == institute
    assert list(unit.partnerships.values_list("partner", "role")) == [
        (partner.pk, PartnerRole.HOST)
    ]

    # A draft: not found by visitors, shown to staff with a banner.
    for language in ("fr", "en"):
        response = anonymous_page.goto(f"/{language}/units/nuages/")
        assert response is not None and response.status == 404
    response = page.goto("/en/units/nuages/")
    assert response is not None and response.status == 200
    expect(page.locator(".draft-banner")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name_en)

    # Publish it from its change page.
    page.goto(f"/admin/units/unit/{unit.pk}/change/")
    page.locator("input[name=_publish]").click()
    # Saved, and said to be published (not only "changed").
    expect(page.locator(".messagelist .success")).to_have_count(2)
    published = re.compile("Fiche publiée|Record published")
    expect(page.locator(".messagelist .success").last).to_have_text(published)
    unit.refresh_from_db()
    assert unit.publication_status == PublicationStatus.PUBLISHED

    # Visitors now see it, in French and in English, with its host partner.
    for language, name in (("fr", name_fr), ("en", name_en)):
        response = anonymous_page.goto(f"/{language}/units/nuages/")
        assert response is not None and response.status == 200
        expect(anonymous_page.locator("html")).to_have_attribute("lang", language)
        heading = anonymous_page.get_by_role("heading", level=1)
        expect(heading).to_contain_text("NUAGES")
        expect(heading.locator(".subtitle")).to_have_text(name)
        expect(anonymous_page.locator(".draft-banner")).to_have_count(0)
        expect(
            anonymous_page.get_by_role(
                "link", name=partner.name_en if language == "en" else partner.name_fr
            )
        ).to_be_visible()

    assert external_requests == []
