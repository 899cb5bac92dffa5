"""Grants, projects and programmes pages in a real Chromium: axe, keyboard, map."""

import re
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from programmes.models import GrantScheme
from tests.browser.conftest import focus_by_tabbing
from tests.factories import (
    GrantFactory,
    InstituteFactory,
    PartnerFactory,
    PersonFactory,
    ProgrammeFactory,
    ProjectFactory,
    ProjectParticipantFactory,
    UnitFactory,
)

pytestmark = pytest.mark.browser

LANGUAGES = ["fr", "en"]


def heading_before(page, selector: str) -> str | None:
    """The text of the last h2 before the element ``selector`` finds, which
    heading navigation leads to it by."""
    return page.evaluate(
        """(selector) => {
            const target = document.querySelector(selector);
            const before = [...document.querySelectorAll("h2")].filter(
                (heading) => heading.compareDocumentPosition(target)
                    & Node.DOCUMENT_POSITION_FOLLOWING
            );
            return before.length ? before[before.length - 1].textContent.trim() : null;
        }""",
        selector,
    )


@pytest.fixture
def horizon():
    return ProgrammeFactory(
        name_fr="Horizon 2020",
        name_en="Horizon 2020",
        acronym="H2020",
        slug="horizon-2020",
        description_fr="Programme-cadre de l’Union européenne de 2014 à 2020.",
        description_en="The European Union’s framework programme for 2014–2020.",
    )


@pytest.fixture
def grants(horizon):
    insu = InstituteFactory(
        code="INSU", name_fr="Institut national des sciences de l'Univers"
    )
    GrantFactory(
        acronym="ICECUBE",
        slug="icecube",
        title_fr="Étude des glaciers alpins",
        title_en="Alpine glacier dynamics",
        laureate=PersonFactory(
            first_name="Hélène", last_name="Lefèvre", orcid="0000-0002-1825-0097"
        ),
        programme=horizon,
        institute=insu,
        unit=UnitFactory(acronym="JFLI"),
        call_year=2016,
        cordis_id="101001234",
    )
    GrantFactory(
        acronym="QUANTUM",
        slug="quantum",
        title_fr="",  # shown in English, marked lang="en", on the French page
        title_en="Quantum materials",
        programme=horizon,
        scheme=GrantScheme.ERC_ADG,
        panel="PE3",
        call_year=2018,
    )
    GrantFactory(
        acronym="MOBILE",
        slug="mobile",
        programme=horizon,
        scheme=GrantScheme.MSCA_PF,
        panel="",
        call_year=2018,
    )


@pytest.fixture
def tascmar(horizon):
    project = ProjectFactory(
        acronym="Tascmar",
        slug="tascmar",
        programme=horizon,
        title_fr="Composés bioactifs d’invertébrés marins",
        title_en="Bioactive compounds from marine invertebrates",
        summary_fr="Cultiver éponges et polypes pour leurs molécules.",
        summary_en="Growing sponges and polyps for their molecules.",
        societal_challenge="bioeconomy",
        researcher_count=110,
        country_count=8,
        industrial_partner_count=6,
        cordis_id="634674",
    )
    ProjectParticipantFactory(
        project=project,
        partner=PartnerFactory(
            name_fr="Université de Tel-Aviv",
            name_en="Tel Aviv University",
            country="IL",
            latitude=Decimal("32.113300"),
            longitude=Decimal("34.804400"),
        ),
    )
    ProjectParticipantFactory(
        project=project,
        partner=PartnerFactory(
            name_fr="Université de Bergen",
            name_en="",  # shown in French, marked lang="fr", on the English page
            country="NO",
            latitude=Decimal("60.388000"),
            longitude=Decimal("5.323000"),
        ),
        role="associated_partner",
    )
    project.units.add(UnitFactory(acronym="MARBEC"))
    # Both run in 2018; by acronym NETWORK comes first, Tascmar starts earlier
    # (the factory's 2015–2019).
    ProjectFactory(
        acronym="NETWORK",
        kind="irn",
        start_date=date(2018, 1, 1),
        end_date=date(2022, 12, 31),
        programme=ProgrammeFactory(
            name_fr="Réseau de recherche international",
            name_en="International Research Network",
            acronym="IRN",
            slug="irn",
            kind="cnrs_tool",
            former_name="GDRI",
        ),
    )
    return project


def assert_page_basics(page, response, language):
    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert page.title().strip(), "the page has no <title>"
    expect(page.get_by_role("heading", level=1)).to_have_count(1)


@pytest.mark.parametrize("language", LANGUAGES)
def test_grant_list_has_no_accessibility_violation(
    page, axe, external_requests, grants, language
):
    response = page.goto(f"/{language}/grants/")

    assert_page_basics(page, response, language)
    expect(page.locator(".result-count")).to_contain_text("3")
    # 2017, without grants, drawn empty between 2016 and 2018 (QA47 26).
    expect(page.locator(".year-chart__bar")).to_have_count(3)
    chart_table = page.locator(".year-chart__table tbody tr")
    expect(chart_table).to_have_text(
        [
            re.compile(r"2016\s*1"),
            re.compile(r"2017\s*0"),
            re.compile(r"2018\s*2"),
        ]
    )
    # The count and downloads right under "Results", after the chart's heading
    # (QA47 24): jumping to "Results" skipped them.
    results = {"fr": "Résultats", "en": "Results"}[language]
    assert heading_before(page, ".result-count") == results
    assert heading_before(page, ".spreadsheet-link") == results
    assert (
        heading_before(page, ".year-chart__layout")
        == (
            {"fr": "Financements par année d’appel", "en": "Grants per call year"}[
                language
            ]
        )
    )
    axe(page)
    assert external_requests == []


def test_the_year_chart_s_table_is_read_not_shown_under_it_on_a_phone(page, grants):
    # At 375 px the table repeated the drawing's figures under it and pushed the
    # results two screens down; screen readers still read it (the drawing is
    # hidden from them), and a wide window shows both side by side.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/en/grants/")
    expect(page.locator(".year-chart__bar")).to_have_count(3)
    expect(page.get_by_role("table", name="Grants per call year")).to_be_attached()
    figures = page.locator(".year-chart__figures")
    assert figures.bounding_box()["height"] <= 1
    page.set_viewport_size({"width": 1280, "height": 800})
    assert figures.bounding_box()["height"] > 50


def test_filter_grants_by_year_with_the_keyboard_only(page, grants):
    page.goto("/en/grants/")
    expect(page.locator(".result-count")).to_have_text("3 results")

    focus_by_tabbing(page, "#id_year")
    year = page.locator("#id_year")
    expect(year).to_be_focused()

    # Typing picks an option of a closed select, as a keyboard user does.
    page.keyboard.type("2018")
    expect(year).to_have_value("2018")

    focus_by_tabbing(page, "form.filters button[type=submit]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"[?&]year=2018(&|$)"))
    expect(page.locator(".result-count")).to_have_text("2 results")
    table = page.get_by_role("table", name="Grants", exact=True)
    expect(table).to_contain_text("QUANTUM")
    expect(table).not_to_contain_text("ICECUBE")
    # The chart follows the filters.
    expect(page.locator(".year-chart__table tbody tr")).to_have_count(1)
    expect(page.locator("#id_year")).to_have_value("2018")


def test_filter_grants_since_a_year_with_the_keyboard_only(page, grants):
    page.goto("/en/grants/")

    focus_by_tabbing(page, "#id_since")
    page.keyboard.type("2017")
    expect(page.locator("#id_since")).to_have_value("2017")
    focus_by_tabbing(page, "form.filters button[type=submit]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"[?&]since=2017(&|$)"))
    expect(page.locator(".result-count")).to_have_text("2 results")
    table = page.get_by_role("table", name="Grants", exact=True)
    expect(table).not_to_contain_text("ICECUBE")


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The first call year (2018) comes after the last (2016)."),
        ("fr", "La première année d’appel (2018) vient après la dernière (2016)."),
    ],
)
def test_a_span_of_years_running_backwards_is_said_in_the_form(
    page, axe, grants, language, message
):
    response = page.goto(f"/{language}/grants/?since=2018&until=2016")

    assert response is not None and response.status == 400
    expect(page.locator("form.filters [role=alert]")).to_contain_text(message)
    # Each year's select is described by it: its accessible description.
    for field in ("#id_since", "#id_until"):
        expect(page.locator(field)).to_have_attribute("aria-invalid", "true")
        expect(page.locator(field)).to_have_accessible_description(message)
    axe(page)


def test_invalid_year_shows_the_error_in_the_form(page, axe, grants):
    response = page.goto("/en/grants/?year=abc")

    assert response is not None and response.status == 400
    expect(page.locator("form.filters .errorlist")).to_contain_text("abc")
    axe(page)


def test_empty_grant_list_reads_well(page, axe):
    response = page.goto("/en/grants/")

    assert response is not None and response.status == 200
    expect(page.locator(".empty-state")).to_have_text(
        "No grant has been published yet."
    )
    axe(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_grant_page_has_no_accessibility_violation(
    page, axe, external_requests, grants, language
):
    response = page.goto(f"/{language}/grants/icecube/")

    assert_page_basics(page, response, language)
    expect(page.get_by_role("heading", level=1)).to_contain_text("ICECUBE")
    expect(
        page.locator('a[href="https://orcid.org/0000-0002-1825-0097"]')
    ).to_be_visible()
    # Its joint unit's country (QA47 28), leading to the country's page.
    japan = {"fr": "Japon", "en": "Japan"}[language]
    expect(page.get_by_role("link", name=japan, exact=True)).to_have_attribute(
        "href", f"/{language}/countries/JP/"
    )
    # Read "ICECUBE: Alpine glacier dynamics", not run together (QA47 25).
    title = {"fr": "Étude des glaciers alpins", "en": "Alpine glacier dynamics"}
    expect(page.get_by_role("heading", level=1)).to_have_accessible_name(
        re.compile(rf"^ICECUBE\s*: {title[language]}$")
    )
    axe(page)
    assert external_requests == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_project_list_has_no_accessibility_violation(
    page, axe, external_requests, tascmar, language
):
    response = page.goto(f"/{language}/projects/")

    assert_page_basics(page, response, language)
    expect(page.locator(".result-count")).to_contain_text("2")
    # Under a heading, as every list's results (QA47 24): there was none.
    results = {"fr": "Résultats", "en": "Results"}[language]
    assert heading_before(page, ".result-count") == results
    assert heading_before(page, "table.data-table") == results
    axe(page)
    assert external_requests == []


def test_filter_projects_by_country_with_the_keyboard(page, tascmar):
    page.goto("/en/projects/")

    focus_by_tabbing(page, "#id_country")
    page.keyboard.type("Israel")
    expect(page.locator("#id_country")).to_have_value("IL")
    focus_by_tabbing(page, "form.filters button[type=submit]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"[?&]country=IL(&|$)"))
    expect(page.locator(".result-count")).to_have_text("1 result")


@pytest.mark.parametrize(
    ("language", "typed", "arrows_down"),
    # "Débuts anciens d’abord": the "é" a French keyboard types is not a key
    # Chromium's test keyboard has; "D", then the option after "Débuts récents".
    [("en", "Earliest start first", 0), ("fr", "D", 1)],
)
def test_sort_projects_and_pick_a_year_with_the_keyboard_only(
    page, axe, tascmar, language, typed, arrows_down
):
    page.goto(f"/{language}/projects/")
    rows = page.get_by_role("table").locator("tbody th a")
    expect(rows).to_have_text(["NETWORK", "Tascmar"])

    # Typing picks an option of a closed select, as a keyboard user does.
    focus_by_tabbing(page, "#id_year")
    page.keyboard.type("2016")
    expect(page.locator("#id_year")).to_have_value("2016")
    page.keyboard.press("Tab")
    expect(page.locator("#id_ordering")).to_be_focused()
    page.keyboard.type(typed)
    for _ in range(arrows_down):
        page.keyboard.press("ArrowDown")
    expect(page.locator("#id_ordering")).to_have_value("start")
    focus_by_tabbing(page, "form.filters button[type=submit]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"\?(.+&)?year=2016&ordering=start$"))
    expect(rows).to_have_text(["Tascmar"])
    expect(page.locator("#id_year")).to_have_value("2016")
    expect(page.locator("#id_ordering")).to_have_value("start")

    # Another year, the order kept: both run in 2018, the earliest start first.
    focus_by_tabbing(page, "#id_year")
    page.keyboard.type("2018")
    focus_by_tabbing(page, "form.filters button[type=submit]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"year=2018&ordering=start$"))
    expect(rows).to_have_text(["Tascmar", "NETWORK"])
    axe(page)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "There is no year “1999” to choose: projects run from 2015 to 2022."),
        (
            "fr",
            "Il n’y a pas d’année «\u00a01999\u00a0» à choisir\u00a0: les projets "
            "vont de 2015 à 2022.",
        ),
    ],
)
def test_a_year_projects_do_not_run_in_is_said_in_the_form(
    page, axe, tascmar, language, message
):
    response = page.goto(f"/{language}/projects/?year=1999")

    assert response is not None and response.status == 400
    expect(page.locator("#id_year_error")).to_have_text(message)
    expect(page.locator("#id_year")).to_have_accessible_description(message)
    axe(page)


@pytest.mark.parametrize(
    ("language", "text", "link"),
    [
        ("fr", "invertébrés marins Israël", "Filtrer par pays\u00a0: Israël"),
        ("en", "marine invertebrates israel", "Filter by country: Israel"),
    ],
)
def test_a_country_named_among_other_words_offers_the_projects_there(
    page, axe, tascmar, language, text, link
):
    # Tascmar's participants include Tel Aviv University: a project is in its
    # participants' countries.
    page.goto(f"/{language}/projects/?{urlencode({'q': text})}")

    expect(page.locator(".result-count")).to_contain_text("1")
    offer = page.get_by_role("link", name=link)
    axe(page)
    offer.focus()
    page.keyboard.press("Enter")

    others = text.rsplit(" ", 1)[0]
    expect(page).to_have_url(
        re.compile(rf"\?{re.escape(urlencode({'q': others}))}&country=IL$")
    )
    expect(page.locator("#id_country")).to_have_value("IL")
    expect(page.get_by_role("link", name="Tascmar")).to_be_visible()


@pytest.mark.parametrize(
    ("language", "participant"),
    [("fr", "Université de Tel-Aviv"), ("en", "Tel Aviv University")],
)
def test_project_page_with_its_map_has_no_accessibility_violation(
    page, axe, external_requests, tascmar, language, participant
):
    response = page.goto(f"/{language}/projects/tascmar/")

    assert_page_basics(page, response, language)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tascmar")
    expect(page.locator("#participants")).to_contain_text(participant)
    markers = page.locator("#participants-map-map .leaflet-marker-icon")
    expect(markers).to_have_count(2)
    axe(page)
    assert external_requests == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_programme_list_has_no_accessibility_violation(
    page, axe, external_requests, grants, tascmar, language
):
    response = page.goto(f"/{language}/programmes/")

    assert_page_basics(page, response, language)
    expect(page.locator("main h2")).to_have_count(2)
    axe(page)
    assert external_requests == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_programme_page_has_no_accessibility_violation(
    page, axe, external_requests, grants, tascmar, language
):
    response = page.goto(f"/{language}/programmes/horizon-2020/")

    assert_page_basics(page, response, language)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Horizon 2020")
    expect(page.locator("main")).to_contain_text("ICECUBE")
    expect(page.locator("main")).to_contain_text("Tascmar")
    axe(page)
    assert external_requests == []


def test_programme_page_leads_to_its_filtered_projects(page, tascmar):
    page.goto("/en/programmes/horizon-2020/")

    page.get_by_role("link", name="All H2020 projects").click()

    expect(page).to_have_url(re.compile(r"/en/projects/\?programme=horizon-2020$"))
    expect(page.locator(".result-count")).to_have_text("1 result")
    expect(page.locator("#id_programme")).to_have_value("horizon-2020")


@pytest.fixture
def irl():
    programme = ProgrammeFactory(
        name_fr="Laboratoire de recherche international",
        name_en="International Research Laboratory",
        acronym="IRL",
        slug="irl",
        kind="cnrs_tool",
        former_name="UMI",
        start_year=None,
        end_year=None,
    )
    UnitFactory(acronym="JRL", kind="irl", city_fr="Tsukuba", city_en="Tsukuba")
    UnitFactory(acronym="CINTRA", kind="irl", city_fr="Singapour", city_en="Singapore")
    UnitFactory(acronym="IFRE", kind="umifre")
    return programme


@pytest.mark.parametrize(
    ("language", "link"),
    [
        ("fr", "Tous les laboratoires de recherche internationaux (IRL)"),
        ("en", "All International Research Laboratories (IRL)"),
    ],
)
def test_the_irl_programme_page_leads_to_its_units_by_keyboard(
    page, axe, external_requests, irl, language, link
):
    response = page.goto(f"/{language}/programmes/irl/")

    assert_page_basics(page, response, language)
    expect(page.locator("#units-title + p + ul li")).to_have_count(2)
    axe(page)
    focus_by_tabbing(page, f'a[href="/{language}/units/?kind=irl"]')
    expect(page.locator(":focus")).to_have_text(link)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/{language}/units/\?kind=irl$"))
    expect(page.locator(".result-count")).to_contain_text("2")
    assert external_requests == []


@pytest.mark.parametrize(
    "path", ["/en/grants/", "/fr/projects/", "/fr/projects/tascmar/", "/en/programmes/"]
)
def test_pages_fit_a_phone_screen(page, grants, tascmar, path):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(path)

    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"
