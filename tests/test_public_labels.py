"""Public pages in their language, and when they find nothing: labels, lists, maps.

Headings and labels whose English is also a lower-case model name (or a lower-case
phrase) carry a translation context; the tests compare them with ``pgettext`` so that
they check the capitalised French once the catalogue holds it.
"""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy as _, pgettext

from programmes.filters import StableOrderingFilter
from tests.factories import (
    GrantFactory,
    OfficeFactory,
    PartnerFactory,
    ProjectFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def collapse(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def texts(html: str, pattern: str) -> list[str]:
    """Return the stripped texts that ``pattern``'s group captures in ``html``."""
    return [text.strip() for text in re.findall(pattern, collapse(html))]


def label_of(html: str, field: str) -> str:
    return texts(html, rf'<label for="id_{field}">([^<]*)</label>')[0]


def in_language(language, function, *args):
    with translation.override(language):
        return function(*args)


# --- Sort labels in the language of the page ------------------------------------------


@pytest.mark.parametrize("built_in", ["fr", "en"])
def test_descending_sort_labels_follow_the_language_shown_not_the_one_built_in(
    built_in,
):
    with translation.override(built_in):
        ordering = StableOrderingFilter(
            fields=(("call_year", "year"),), field_labels={"call_year": _("Call year")}
        )
    labels = dict(ordering.extra["choices"])
    assert in_language("en", str, labels["-year"]) == "Call year (descending)"
    assert in_language("fr", str, labels["-year"]) == "Année de l’appel (décroissant)"
    assert in_language("en", str, labels["year"]) == "Call year"


def test_grant_list_sort_options_are_in_the_language_of_each_page(client):
    GrantFactory()
    options = r'<option value="-[a-z]+">([^<]*)</option>'
    english = texts(client.get("/en/grants/").text, options)
    french = texts(client.get("/fr/grants/").text, options)
    # Not "Call year (descending)": the list's own order, "Latest calls first".
    assert english == ["Acronym (descending)", "Laureate (descending)"]
    assert french == [
        "Sigle (décroissant)",
        "Lauréat ou lauréate (décroissant)",
    ]


# --- Lists that find nothing: the message, near misses, the empty state ---------------


NOTHING_FOUND = [
    ("units", "No unit matches these filters."),
    ("partners", "No partner institution matches these filters."),
    ("grants", "No grant matches these filters."),
    ("projects", "No project matches these filters."),
]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("path", "message"), NOTHING_FOUND)
def test_a_search_without_near_misses_says_only_that_nothing_matches(
    client, language, path, message
):
    UnitFactory(name_fr="Laboratoire de glaciologie")
    PartnerFactory(name_fr="Université de glaciologie")
    GrantFactory(title_fr="Étude des glaciers")
    ProjectFactory(title_fr="Glaciers du monde")

    response = client.get(f"/{language}/{path}/", {"q": "zzzzqq"})

    html = collapse(response.text)
    assert response.status_code == 200
    assert response.context["result_count"] == 0
    assert 'class="near-misses"' not in html
    with translation.override(language):
        assert gettext(message) in html
        assert "No record holds every word" not in html
        assert "Aucun enregistrement ne contient" not in html


def test_near_misses_are_still_announced_when_there_are_some(client):
    PartnerFactory(
        name_fr="Université de São Paulo",
        original_name="Universidade de São Paulo",
        acronym="USP",
    )
    response = client.get("/fr/partners/", {"q": "Universidade de Sao Paolo"})
    assert response.context["result_count"] == 1
    assert 'class="near-misses"' in response.text


def test_partner_list_without_a_match_says_so_and_links_to_every_partner(client):
    PartnerFactory(name_fr="Université de Tokyo", country="JP")

    response = client.get("/fr/partners/", {"q": "zzzzqq"})

    empty_states = texts(response.text, r'<p class="empty-state">(.*?)</p>')
    assert empty_states == [
        gettext("No partner institution matches these filters.")
        + f' <a href="/fr/partners/">{gettext("See every partner institution")}</a>'
    ]


def test_partner_list_without_any_partner_says_none_is_published(client):
    PartnerFactory(publication_status="draft")
    response = client.get("/fr/partners/")
    empty_states = texts(response.text, r'<p class="empty-state">(.*?)</p>')
    assert empty_states == [gettext("No partner institution has been published yet.")]


def test_unit_list_says_none_is_published_rather_than_none_matches(client):
    UnitFactory(publication_status="draft")
    response = client.get("/fr/units/")
    empty_states = texts(response.text, r'<p class="empty-state">(.*?)</p>')
    assert empty_states == [gettext("No joint unit has been published yet.")]
    response = client.get("/fr/units/", {"q": "zzzzqq"})
    empty_states = texts(response.text, r'<p class="empty-state">(.*?)</p>')
    assert empty_states == [
        gettext("No unit matches these filters.")
        + f' <a href="/fr/units/">{gettext("See every unit")}</a>'
    ]


def test_partner_list_with_results_has_no_empty_state(client):
    PartnerFactory(name_fr="Université de Tokyo")
    response = client.get("/fr/partners/", {"q": "Tokyo"})
    assert response.context["result_count"] == 1
    assert "empty-state" not in response.text


# --- French headings and labels start with a capital ----------------------------------


def test_grant_list_title_heading_and_panel_label_are_capitalised(client):
    GrantFactory()
    html = client.get("/fr/grants/").text
    title = pgettext("page title", "ERC and MSCA grants")
    panel = pgettext("label", "ERC panel")
    assert title[0].isupper() and panel[0].isupper()
    assert texts(html, r"<title>(.*?) – CNRS</title>") == [title]
    assert texts(html, r"<h1>(.*?)</h1>") == [title]
    assert label_of(html, "panel") == f"{panel} :"
    assert f'<th role="columnheader" scope="col">{panel}</th>' in html
    assert "panel ERC :" not in html


def test_unit_list_institute_label_is_capitalised(client):
    UnitFactory()
    label = label_of(client.get("/fr/units/").text, "institute")
    assert label == f"{pgettext('label', 'CNRS institute')} :"
    assert label != "institut du CNRS :"


def test_home_page_offices_heading_and_grants_link_are_capitalised(client):
    OfficeFactory()
    html = client.get("/fr/").text
    assert texts(html, r'<h3 id="offices-title">(.*?)</h3>') == [
        "Bureaux du CNRS à l’étranger"
    ]
    grants_link = texts(html, r'<a href="/fr/grants/">([^<]*)</a> <span')
    assert grants_link == [pgettext("page title", "ERC and MSCA grants")]
    assert "financements ERC et MSCA<" not in html


def test_partner_page_ror_term_is_capitalised(client):
    partner = PartnerFactory(ror_id="05a0dhs15")
    html = client.get(partner.get_absolute_url()).text
    term = pgettext("label", "ROR id")
    assert term[0].isupper()
    assert f"<dt>{term}</dt>" in html
    assert "identifiant ROR" not in html


def test_grant_page_panel_term_is_capitalised(client):
    grant = GrantFactory(panel="PE1")
    html = client.get(grant.get_absolute_url()).text
    assert f"<dt>{pgettext('label', 'ERC panel')}</dt>" in html
    assert "<dt>panel ERC</dt>" not in html


def test_unit_page_grants_heading_is_capitalised(client):
    unit = UnitFactory()
    GrantFactory(unit=unit)
    html = client.get(unit.get_absolute_url()).text
    assert f"<h2>{pgettext('page title', 'ERC and MSCA grants')}</h2>" in html
    assert "<h2>financements ERC et MSCA</h2>" not in html


def test_search_page_group_headings_are_capitalised(client):
    OfficeFactory(name_fr="Bureau du CNRS à Tokyo")
    GrantFactory(title_fr="Étude des glaciers de Tokyo", acronym="TOKYOICE")
    html = client.get("/fr/search/", {"q": "Tokyo"}).text
    headings = texts(html, r'<h2 id="search-[a-z]+">(.*?) <span')
    assert pgettext("page title", "CNRS offices abroad") in headings
    assert pgettext("page title", "ERC and MSCA grants") in headings
    assert all(heading[0].isupper() for heading in headings)


# --- The map's zoom buttons in the page's language ------------------------------------


@pytest.mark.parametrize("language", ["fr", "en"])
def test_maps_carry_the_zoom_button_titles_in_the_page_language(client, language):
    UnitFactory()
    html = client.get(f"/{language}/units/").text
    with translation.override(language):
        zoom_in, zoom_out = gettext("Zoom in"), gettext("Zoom out")
    assert f'data-zoom-in="{zoom_in}"' in html
    assert f'data-zoom-out="{zoom_out}"' in html


# --- Tracking parameters on the search page: the empty form, a 400 if q is bad --------


@pytest.mark.parametrize("query", [{}, {"q": ""}])
def test_search_page_with_only_tracking_parameters_shows_the_empty_form(client, query):
    # An empty q: the header's search box sent empty, nothing typed.
    response = client.get("/fr/search/", {**query, "utm_source": "newsletter"})
    assert response.status_code == 200
    assert response.context["groups"] is None
    assert not response.context["form"].is_bound
    assert 'role="alert"' not in response.text
    assert "Ce champ est obligatoire" not in response.text


@pytest.mark.parametrize("query", ["a" * 201, "x", "a%", "'-"])
def test_search_page_answers_400_to_a_query_given_but_invalid(client, query):
    response = client.get("/fr/search/", {"q": query, "utm_source": "newsletter"})
    assert response.status_code == 400
    assert "La recherche n’est pas valide\u00a0; corrigez-la et réessayez." in (
        response.text
    )
    # The field's own error, as the lists word it, not Django's count of characters.
    errors = response.context["form"].errors["q"]
    if len(query) > 200:
        assert "200" in errors[0], errors
    else:
        assert errors == ["Saisissez au moins 2 lettres ou chiffres."], errors


# The CNRS's instruments in French: French words, the official acronyms (IRL, IRP,
# IRN, IEA, Umifre), as the ERC is "Conseil européen de la recherche (ERC)". The
# unit kind read "International Research Laboratory (IRL, anciennement UMI)" beside
# the programme "Laboratoire de recherche international (IRL)", and the projects'
# intro "International Research Networks (IRN)" above a column of "Réseau de
# recherche international (IRN)"; a grant was a "bourse" here, a "financement" there.
ENGLISH_NAMES = re.compile(r"International (Research|Emerging)", re.IGNORECASE)


def test_french_pages_name_the_cnrs_instruments_in_french(client):
    unit = UnitFactory(kind="irl")
    ProjectFactory(kind="irn")
    pages = ["/fr/", "/fr/units/", unit.get_absolute_url(), "/fr/projects/"]
    for page in pages:
        html = collapse(client.get(page).content.decode())
        assert not ENGLISH_NAMES.search(html), (page, ENGLISH_NAMES.search(html))
    with translation.override("fr"):
        assert unit.get_kind_display() == (
            "Laboratoire de recherche international (IRL, anciennement UMI)"
        )
    projects = collapse(client.get("/fr/projects/").content.decode())
    assert "réseaux de recherche internationaux (IRN)" in projects
    assert "Réseau de recherche international (IRN)" in projects


def test_french_pages_call_a_grant_a_financement(client):
    html = collapse(client.get("/fr/data/").content.decode())
    main = html[html.index("<main") :]
    assert "bourse" not in main.lower()
    assert "programmes, financements, projets" in main
    with translation.override("fr"):
        assert gettext("Only ERC grants have a panel.") == (
            "Seuls les financements ERC relèvent d’un panel."
        )


def test_a_choice_is_shown_by_its_label_in_the_language_of_the_page():
    """``get_FOO_display()`` reads labels made once per language
    (``ChoiceLabelsMixin``): each language its own, and a value among no
    choices (written before they changed) shown as it is."""
    unit = UnitFactory(status="closed")
    partnership = unit.partnerships.create(partner=PartnerFactory(), role="host")

    # Each language in turn: the labels made for one are not the other's.
    assert in_language("fr", unit.get_status_display) == "Fermée"
    assert in_language("en", unit.get_status_display) == "Closed"
    assert in_language("fr", unit.get_status_display) == "Fermée"
    assert in_language("en", partnership.get_role_display) == "Host institution"
    unit.status = "dissolved"
    assert unit.get_status_display() == "dissolved"
