"""The units list and a unit's page: wiring, bad input, drafts, queries."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.factories import (
    GrantFactory,
    InstituteFactory,
    OfficeFactory,
    PartnerFactory,
    PersonFactory,
    ProjectFactory,
    TestimonyFactory,
    UnitFactory,
    UnitPartnershipFactory,
)
from units.models import Unit

pytestmark = pytest.mark.django_db


def list_url(language="fr"):
    with translation.override(language):
        return reverse("units:list")


def detail_url(unit, language="fr"):
    with translation.override(language):
        return unit.get_absolute_url()


def map_data(response, map_id):
    """Return the JSON the page gives its map (written by json_script)."""
    html = response.content.decode()
    start = html.index(f'<script id="{map_id}" type="application/json">')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


# The list -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "heading"),
    [("fr", "Unités mixtes à l’étranger"), ("en", "Joint units abroad")],
)
def test_unit_list_shows_published_units_in_each_language(client, language, heading):
    UnitFactory(acronym="JRL", name_fr="Laboratoire de robotique", name_en="Robotics")
    UnitFactory(acronym="SECRET", publication_status="draft")

    response = client.get(list_url(language))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert heading in html
    assert "JRL" in html
    assert ("Laboratoire de robotique" if language == "fr" else "Robotics") in html
    assert "SECRET" not in html
    assert response.context["result_count"] == 1


def test_unit_list_url_is_under_each_language():
    assert list_url("fr") == "/fr/units/"
    assert list_url("en") == "/en/units/"


def test_unit_list_filters_by_country(client):
    UnitFactory(acronym="JRL", country="JP")
    UnitFactory(acronym="IMPA", country="BR")

    response = client.get(list_url(), {"country": "JP"})

    assert response.status_code == 200
    assert [unit.acronym for unit in response.context["object_list"]] == ["JRL"]
    assert '<option value="JP" selected>Japon (1)</option>' in response.content.decode()


def test_country_choices_count_within_the_other_filters_chosen(client):
    insb = InstituteFactory(code="INSB")
    UnitFactory.create_batch(2, country="JP")
    UnitFactory(country="US", lead_institute=insb)
    UnitFactory.create_batch(6, country="US")

    def options(**query):
        html = client.get(list_url("en"), query).content.decode()
        select = re.search(r'<select name="country".*?</select>', html, re.S).group()
        return re.findall(r">([^<]+ \(\d+\))</option>", select)

    assert options() == ["Japan (2)", "United States (7)"]
    # Counted over every unit, "Japan (2)" led to none, "United States (7)" to one.
    assert options(institute="INSB") == ["United States (1)"]
    assert options(institute="INSB", country="JP") == [
        "Japan (0)",
        "United States (1)",
    ]


def test_english_name_shown_in_french_is_marked_as_english(client):
    UnitFactory(name_fr="", name_en="Joint Robotics Laboratory")
    html = client.get(list_url("fr")).content.decode()
    assert '<p class="unit-card__name" lang="en">Joint Robotics Laboratory' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"country": "ZZ"}, "“ZZ” is not a country code"),
        ({"kind": "nope"}, "“nope” is not one of the choices for “Kind"),
        ({"institute": "nope"}, "“nope” is not one of the choices"),
        (
            {"ordering": "password"},
            "“password” is not one of the choices for “Sort by”",
        ),
        ({"page": "abc"}, "There is no page “abc”"),
        ({"page": "999"}, "There is no page “999”"),
    ],
)
def test_bad_filter_or_page_is_a_400_with_the_error(client, query, message):
    UnitFactory()
    with translation.override("en"):
        response = client.get(list_url("en"), query)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "There is no page “abc”: this list has only one page."),
        ("fr", "Il n’y a pas de page «\xa0abc\xa0»\xa0: cette liste n’a qu’une page."),
    ],
)
def test_a_page_of_a_one_page_list_says_there_is_one_page(client, language, message):
    # Not "pages run from 1 to 1"; still a 400.
    UnitFactory()
    response = client.get(list_url(language), {"page": "abc"})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_unknown_parameters_are_ignored(client):
    UnitFactory(acronym="JRL")
    response = client.get(list_url(), {"utm_source": "newsletter", "foo": "bar"})
    assert response.status_code == 200
    assert response.context["result_count"] == 1


def test_page_links_keep_the_filters(client):
    UnitFactory.create_batch(25, country="JP")
    UnitFactory(country="BR")

    response = client.get(list_url(), {"country": "JP", "ordering": "-year"})

    assert response.context["result_count"] == 25
    assert response.context["is_paginated"]
    html = response.content.decode()
    assert 'href="?country=JP&amp;ordering=-year&amp;page=2"' in html

    second = client.get(list_url(), {"country": "JP", "ordering": "-year", "page": 2})
    assert second.status_code == 200
    assert len(second.context["object_list"]) == 5
    # The first page by its one address, without "page=1".
    html = second.content.decode()
    assert 'href="?country=JP&amp;ordering=-year" rel="prev"' in html
    assert "page=1" not in html


def test_the_first_page_of_an_unfiltered_list_is_linked_by_the_lists_address(client):
    UnitFactory.create_batch(25, country="JP")

    html = client.get(list_url(), {"page": 2}).content.decode()

    assert f'href="{list_url()}" rel="prev"' in html
    assert "page=1" not in html


def test_map_shows_the_page_units_and_shades_every_country_of_the_results(client):
    UnitFactory.create_batch(22, country="JP")
    UnitFactory(acronym="ZZZ", country="BR", latitude=None, longitude=None)

    response = client.get(list_url("en"))

    data = map_data(response, "units-map")
    # Markers: the 20 units of the first page; shading: all 23 results.
    assert len(data["markers"]) == 20
    assert data["countries"] == {"JP": 22, "BR": 1}
    first = data["markers"][0]
    assert set(first) == {"lat", "lng", "title", "url"}
    assert first["url"].startswith("/en/units/")
    # The same numbers are in a table, for those who do not see the map.
    html = response.content.decode()
    caption = "Units by country, among the results"
    assert f'<caption id="units-by-country-caption">{caption}</caption>' in html
    assert '<th scope="row"><a href="?country=JP">Japan</a></th>' in html


def test_country_table_links_keep_the_other_filters(client):
    UnitFactory(country="JP")
    html = client.get(list_url(), {"region": "asia", "page": "1"}).content.decode()
    assert 'href="?region=asia&amp;country=JP"' in html


def test_no_result_says_so(client):
    UnitFactory(country="JP")
    response = client.get(list_url("en"), {"country": "DE"})
    assert response.status_code == 200
    assert "No unit matches these filters." in response.content.decode()


def list_queries(client, language: str, count: int) -> list[str]:
    for index in range(count):
        unit = UnitFactory(country=["JP", "BR", "DE"][index % 3])
        unit.secondary_institutes.add(InstituteFactory())
        UnitPartnershipFactory(unit=unit)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            list_url(language), {"status": "active", "ordering": "country"}
        )
    assert response.status_code == 200
    return [query["sql"] for query in queries]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_unit_list_query_count_does_not_grow_with_the_units(client, language):
    few = list_queries(client, language, 3)
    Unit.objects.all().delete()
    many = list_queries(client, language, 12)
    # 1 country choices (aggregate), 1 institute choices, 1 count, 1 page of units
    # (with their lead institute), 1 country counts of the results for the map.
    assert len(few) == len(many) == 5, many


# The detail page -----------------------------------------------------------------


@pytest.fixture
def unit():
    return UnitFactory(
        acronym="JRL",
        code="IRL 3218",
        predecessor_code="UMI 3218",
        name_fr="Laboratoire commun de robotique",
        name_en="Joint Robotics Laboratory",
        themes_fr="Robotique humanoïde\nInteraction humain-robot",
        themes_en="Humanoid robotics\nHuman-robot interaction",
        country="JP",
        website="https://jrl.example.org/",
        director=PersonFactory(
            first_name="Abderrahmane", last_name="Kheddar", orcid="0000-0001-9033-9742"
        ),
        lead_institute=InstituteFactory(code="INSIS", name_en="Engineering"),
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_unit_page_shows_what_is_known(client, unit, language):
    unit.secondary_institutes.add(InstituteFactory(code="INS2I"))
    response = client.get(detail_url(unit, language))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert "IRL 3218" in html and "UMI 3218" in html
    name = unit.name_fr if language == "fr" else unit.name_en
    assert f'<span class="subtitle">{name}</span>' in html
    assert ("Robotique humanoïde" if language == "fr" else "Humanoid robotics") in html
    assert "Abderrahmane Kheddar" in html
    assert 'href="https://orcid.org/0000-0001-9033-9742"' in html
    assert "INSIS" in html and "INS2I" in html
    assert 'href="https://jrl.example.org/"' in html
    assert ("Japon" if language == "fr" else "Japan") in html
    assert 'class="last-updated"' in html


@pytest.mark.parametrize(
    ("language", "place"),
    [
        ("fr", "Cambridge (Massachusetts), États-Unis"),
        ("en", "Cambridge (Massachusetts), United States"),
    ],
)
def test_unit_description_writes_city_then_country(client, language, place):
    # Not "Cambridge (Massachusetts) (États-Unis)".
    unit = UnitFactory(
        city_fr="Cambridge (Massachusetts)",
        city_en="Cambridge (Massachusetts)",
        country="US",
    )

    html = client.get(detail_url(unit, language)).content.decode()

    description = re.search(r'<meta name="description" content="([^"]*)"', html)[1]
    assert description.endswith(f", {place}.")


@pytest.mark.parametrize(
    ("language", "country"), [("fr", "Singapour"), ("en", "Singapore")]
)
def test_a_city_states_unit_names_it_once(client, language, country):
    # Not "Singapour (Singapour)", nor "Singapour, Singapour".
    unit = UnitFactory(city_fr="Singapour", city_en="Singapore", country="SG")

    html = client.get(detail_url(unit, language)).content.decode()
    listed = client.get(list_url(language)).content.decode()

    description = re.search(r'<meta name="description" content="([^"]*)"', html)[1]
    assert description.endswith(f", {country}.")
    assert f"{country}, {country}" not in html
    assert f"{country}</span>, {country}" not in listed
    assert f"<dd>{country}</dd>" in listed


@pytest.mark.parametrize(("language", "japan"), [("fr", "Japon"), ("en", "Japan")])
def test_unit_page_links_its_country(client, unit, language, japan):
    # As partner and office pages and the home page's cards do.
    html = client.get(detail_url(unit, language)).content.decode()

    assert f'<a href="/{language}/countries/JP/">{japan}</a></dd>' in html


def test_unit_page_names_the_offices_covering_its_country(client, unit):
    """A unit's page gives no contact of its own: the CNRS office covering its
    country (Tokyo's for a unit in Japan) is whom to ask; not a draft office, nor
    one covering other countries only."""
    tokyo = OfficeFactory(name_en="CNRS Office in Tokyo", countries=["JP", "KR"])
    OfficeFactory(name_en="CNRS Office in Beijing", country="CN", countries=["CN"])
    OfficeFactory(name_en="Draft office", publication_status="draft")
    html = client.get(detail_url(unit, "en")).content.decode()

    assert "<dt>CNRS office covering this country</dt>" in html
    assert f'<a href="{tokyo.get_absolute_url()}">CNRS Office in Tokyo</a>' in html
    assert "Beijing" not in html
    assert "Draft office" not in html


def test_unit_page_map_has_one_marker(client, unit):
    data = map_data(client.get(detail_url(unit)), "unit-map")
    assert data == {
        "markers": [
            {
                "lat": 35.6895,
                "lng": 139.6917,
                "title": "JRL",
                "url": "/fr/units/" + unit.slug + "/",
            }
        ],
        "countries": {"JP": 1},
    }


def test_unit_without_coordinates_has_no_map(client):
    unit = UnitFactory(latitude=None, longitude=None)
    html = client.get(detail_url(unit)).content.decode()
    assert "leaflet" not in html
    assert 'data-map="unit-map"' not in html


def test_unit_page_links_published_partners_only(client, unit):
    UnitPartnershipFactory(
        unit=unit,
        partner=PartnerFactory(name_fr="AIST", name_en="AIST", slug="aist"),
    )
    UnitPartnershipFactory(
        unit=unit,
        partner=PartnerFactory(
            name_fr="Brouillon",
            name_en="Draft partner",
            slug="draft",
            publication_status="draft",
        ),
        role="industrial",
    )
    html = client.get(detail_url(unit, "en")).content.decode()
    assert 'href="/en/partners/aist/"' in html
    assert "Host institution" in html
    assert "Draft partner" in html
    assert "/en/partners/draft/" not in html
    assert "Industrial partner" in html


def test_unit_page_lists_published_grants_projects_and_testimonies(client, unit):
    GrantFactory(unit=unit, acronym="HUMANOID")
    GrantFactory(unit=unit, acronym="DRAFTGRANT", publication_status="draft")
    ProjectFactory(acronym="TASCMAR").units.add(unit)
    ProjectFactory(acronym="DRAFTPROJECT", publication_status="draft").units.add(unit)
    TestimonyFactory(unit=unit, quote="Robots are great.", language="en")
    TestimonyFactory(unit=unit, quote="Pas encore.", publication_status="draft")

    html = client.get(detail_url(unit)).content.decode()

    assert "HUMANOID" in html and "DRAFTGRANT" not in html
    assert "TASCMAR" in html and "DRAFTPROJECT" not in html
    assert '<blockquote lang="en"><p>Robots are great.</p></blockquote>' in html
    assert "Pas encore." not in html


def test_unpublished_unit_is_a_404(client):
    unit = UnitFactory(publication_status="draft")
    assert client.get(detail_url(unit)).status_code == 404
    assert client.get(detail_url(unit, "en")).status_code == 404


def test_unknown_unit_is_a_404(client):
    assert client.get("/fr/units/no-such-unit/").status_code == 404


def test_staff_preview_a_draft_unit(admin_client):
    unit = UnitFactory(publication_status="draft")
    response = admin_client.get(detail_url(unit))
    assert response.status_code == 200
    assert "draft-banner" in response.content.decode()


def test_pages_shown_to_staff_are_kept_by_no_cache(admin_client, client):
    draft = UnitFactory(publication_status="draft")
    published = UnitFactory()

    # A record's page, where staff preview drafts (the lists show none).
    for response in (
        admin_client.get(detail_url(draft)),
        admin_client.get(detail_url(published)),
    ):
        assert response.status_code == 200
        assert "private" in response["Cache-Control"]
        assert "no-store" in response["Cache-Control"]
    # Visitors' pages are the page cache's to keep.
    assert "private" not in client.get(detail_url(published)).get("Cache-Control", "")


def unit_with(count: int, **fields):
    unit = UnitFactory(**fields)
    for _ in range(count):
        unit.secondary_institutes.add(InstituteFactory())
        UnitPartnershipFactory(unit=unit)
        GrantFactory(unit=unit)
        ProjectFactory().units.add(unit)
        TestimonyFactory(unit=unit)
    return unit


def test_unit_page_query_count_does_not_grow_with_its_relations(client):
    counts = []
    # The director's title at the unit is on the unit's row: no query more.
    bigger = unit_with(12, director_title_fr="Directeur par intérim")
    for unit in (unit_with(3), bigger):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail_url(unit)).status_code == 200
        counts.append(len(queries))
    # 1 unit with its lead institute and director, then one query each for the
    # secondary institutes, partnerships (with partners), grants (with laureates),
    # projects (with programmes) and testimonies (with people), and the offices
    # covering its country.
    assert counts == [7, 7]


@pytest.mark.parametrize("address", ["/fr/units/", "/fr/grants/", "/api/grants/"])
def test_a_search_s_queries_do_not_grow_with_its_words(client, settings, address):
    # Words held by no record: each was looked for among the people (directors,
    # laureates) in a query of its own, 29 queries for forty words.
    settings.PAGE_CACHE_SECONDS = 0
    UnitFactory.create_batch(3)
    GrantFactory.create_batch(3)
    words = [f"mot{letter}{letter}zq" for letter in "abcdefghijkl"]

    def queries(text: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address, {"q": text}).status_code == 200
        return len(captured)

    queries("motzzzq motyyyq")  # what every search reads once: choices, counts
    # From three words to eight, the lists also look for the records holding all
    # of them but one (``most_words``), in one query whatever their number.
    assert queries(" ".join(words[:3])) == queries(" ".join(words[3:11]))
    # Past eight, not: no more queries than three words.
    more = [f"mut{letter}{letter}zq" for letter in "abcdefghijkl"]
    assert queries(" ".join(more)) <= queries(" ".join(words[11:] + more[:2]))


def test_oldest_first_lists_the_units_of_no_known_year_last(client):
    UnitFactory(acronym="NOYEAR", creation_year=None)
    UnitFactory(acronym="OLDEST", creation_year=1995)
    html = client.get(list_url("en"), {"ordering": "year"}).content.decode()
    assert html.index("OLDEST") < html.index("NOYEAR")


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        # On the unit's own page, a title naming it repeats the page's heading.
        ("Director of the Joint Robotics Laboratory (JRL), Tsukuba", ""),
        # After the name and a comma, in lower case as a sentence writes it.
        (
            "Professor at the University of Tokyo",
            ", professor at the University of Tokyo",
        ),
        ("CNRS research director", ", CNRS research director"),
    ],
)
def test_the_director_row_gives_their_title_unless_it_names_the_unit(
    client, title, shown
):
    unit = UnitFactory(
        acronym="JRL",
        director=PersonFactory(
            first_name="Abderrahmane", last_name="Kheddar", title_en=title
        ),
    )
    assert text_of(director_row(client, unit)) == f"Abderrahmane Kheddar{shown}"


def director_row(client, unit, language="en") -> str:
    """Return the HTML of the director's row (its <dd>) on ``unit``'s page."""
    html = client.get(detail_url(unit, language)).content.decode()
    label = {"fr": "Direction", "en": "Director"}[language]
    [row] = re.findall(rf"<dt>{label}</dt>\s*<dd>(.*?)</dd>", html)
    return row


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


@pytest.fixture
def kheddar():
    """A person directing two units: his own title names one of them."""
    return PersonFactory(
        first_name="Abderrahmane",
        last_name="Kheddar",
        title_fr="Directeur de recherche CNRS, directeur du JRL",
        title_en="CNRS research director, director of the JRL",
    )


@pytest.mark.parametrize(
    ("language", "jrl_title", "link_title"),
    [
        ("fr", "directeur du laboratoire depuis 2008", "directeur par intérim"),
        ("en", "director of the laboratory since 2008", "interim director"),
    ],
)
def test_a_director_of_two_units_has_each_units_title_on_its_page(
    client, kheddar, language, jrl_title, link_title
):
    # Staff QA: one title per person showed "…, directeur du JRL" on LINK's page
    # too, and could not say since when he directs each.
    jrl = UnitFactory(
        acronym="JRL",
        director=kheddar,
        director_title_fr="Directeur du laboratoire depuis 2008",
        director_title_en="Director of the laboratory since 2008",
    )
    link = UnitFactory(
        acronym="LINK",
        director=kheddar,
        director_title_fr="Directeur par intérim",
        director_title_en="Interim director",
    )

    jrl_row = director_row(client, jrl, language)
    link_row = director_row(client, link, language)

    assert text_of(jrl_row) == f"Abderrahmane Kheddar, {jrl_title}"
    assert text_of(link_row) == f"Abderrahmane Kheddar, {link_title}"
    # In the page's language: no lang attribute.
    assert f"<span>{link_title}</span>" in link_row


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("fr", "directeur de recherche CNRS, directeur du JRL"),
        ("en", "CNRS research director, director of the JRL"),
    ],
)
def test_a_unit_without_a_title_of_its_own_gives_the_persons(
    client, kheddar, language, title
):
    UnitFactory(acronym="JRL", director=kheddar, director_title_fr="Directeur")
    cintra = UnitFactory(acronym="CINTRA", director=kheddar)

    assert text_of(director_row(client, cintra, language)) == (
        f"Abderrahmane Kheddar, {title}"
    )


def test_a_units_title_in_french_only_is_marked_french_on_the_english_page(
    client, kheddar
):
    unit = UnitFactory(
        director=kheddar,
        director_title_fr="Directeur par intérim",
        director_title_en="",
    )

    assert "<span>directeur par intérim</span>" in director_row(client, unit, "fr")
    english = director_row(client, unit, "en")
    assert '<span lang="fr">directeur par intérim</span>' in english
    # Not the person's own title, though it is in English.
    assert "research director" not in english


def test_a_units_own_title_naming_the_unit_is_shown_as_written(client, kheddar):
    # The person's title naming the unit is left out on its page (it repeats the
    # heading); the unit's own is written for this very page and shown whole: its
    # "since 2024" would go with it.
    unit = UnitFactory(
        acronym="JRL",
        director=kheddar,
        director_title_en="Director of the JRL since 2024",
    )

    assert text_of(director_row(client, unit)) == (
        "Abderrahmane Kheddar, director of the JRL since 2024"
    )


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "joint units of French research institutes abroad (Umifre)"),
        (
            "fr",
            "unités mixtes des instituts français de recherche à l’étranger (Umifre)",
        ),
    ],
)
def test_umifre_are_named_joint_units_of_the_institutes_abroad(client, language, words):
    # Not "French research institutes abroad": an Umifre is a joint unit of them.
    for path in (f"/{language}/", f"/{language}/units/"):
        html = " ".join(client.get(path).content.decode().split())
        assert words in html, path
        assert "and French research institutes abroad" not in html
        assert "et instituts français de recherche" not in html
        assert "et les instituts français de recherche" not in html


@pytest.mark.parametrize(
    ("language", "label", "heading", "statuses"),
    [
        ("en", "Map showing the location of JRL", "Testimonials", "All statuses"),
        (
            "fr",
            "Carte montrant l’emplacement de JRL",
            "Témoignages",
            "Tous les statuts",
        ),
    ],
)
def test_unit_pages_word_their_map_testimonials_and_status_filter_as_elsewhere(
    client, language, label, heading, statuses
):
    # "Map: where JRL is" beside "Map showing where the institution is";
    # "Testimonies"; the status filter's "Active and closed" where French said all.
    unit = UnitFactory(acronym="JRL", latitude=36, longitude=140)
    TestimonyFactory(unit=unit)
    with translation.override(language):
        address = unit.get_absolute_url()
    html = client.get(address).content.decode()
    assert f'aria-label="{label}"' in html
    assert f'<h2 id="testimonies">{heading}</h2>' in html
    listed = client.get(list_url(language)).content.decode()
    assert f'<option value="" selected>{statuses}</option>' in listed


@pytest.mark.parametrize(("language", "label"), [("fr", "Création"), ("en", "Created")])
def test_a_unit_page_names_its_founding_year(client, language, label):
    unit = UnitFactory(creation_year=2006)
    with translation.override(language):
        page = client.get(unit.get_absolute_url())
    assert f"<dt>{label}</dt><dd>2006</dd>" in page.content.decode()
