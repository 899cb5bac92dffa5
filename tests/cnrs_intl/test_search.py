import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cnrs_intl.search import RESULTS_PER_KIND, global_search, written_anywhere
from partners.country_names import countries_listed
from partners.models import Partner
from partners.search import text_search
from programmes.models import Grant, Project
from tests.factories import (
    GrantFactory,
    InstituteFactory,
    OfficeFactory,
    PartnerFactory,
    PersonFactory,
    ProgrammeFactory,
    ProjectFactory,
    TestimonyFactory,
    UnitFactory,
)
from tests.search_groups import by_key

pytestmark = pytest.mark.django_db


def test_accents_and_languages_are_forgiven():
    usp = PartnerFactory(
        name_fr="Université de São Paulo", name_en="University of São Paulo"
    )
    PartnerFactory(name_fr="Université de Tokyo", name_en="University of Tokyo")
    for text in ("Universite de Sao Paulo", "university sao paulo", "SÃO PAULO"):
        assert by_key(global_search(text))["partners"].records == [usp]


def test_an_acronym_typed_starts_a_word_instead_of_being_any_part_of_one():
    ens = PartnerFactory(name_fr="École normale supérieure de Lyon", acronym="ENS")
    hyphenated = PartnerFactory(name_fr="ENS-Lyon", name_en="", acronym="")
    mit = PartnerFactory(
        name_fr="Massachusetts Institute of Technology", name_en="", acronym="MIT"
    )
    PartnerFactory(name_fr="Académie des sciences", name_en="", acronym="")
    PartnerFactory(name_fr="Smithsonian Institution", name_en="", acronym="")
    erc_unit = UnitFactory(acronym="ERC-LAB", name_fr="Laboratoire ERC")
    UnitFactory(acronym="LRC", name_fr="Laboratoire de recherche commun")
    beijing = PartnerFactory(name_fr="北京大学", name_en="", acronym="")

    def found(text, key="partners"):
        return set(by_key(global_search(text))[key].records)

    assert found("ens") == {ens, hyphenated}
    assert found("MIT") == {mit}
    assert found("erc", "units") == {erc_unit}
    # Four letters and more may be part of a word, as before ("cien" in "sciences"),
    # and scripts written without spaces are searched inside their names.
    assert len(found("cien")) == 1
    assert found("大学") == {beijing}


def test_saint_and_st_find_each_other():
    andrews = PartnerFactory(name_fr="University of St Andrews", name_en="")
    stanford = PartnerFactory(name_fr="Stanford University Andrews Hall", name_en="")
    petersburg = PartnerFactory(
        name_fr="Saint Petersburg State University", name_en="", acronym="SPbU"
    )

    def found(text):
        return set(by_key(global_search(text))["partners"].records)

    # "st" may be the start of a word being typed ("stanford").
    assert found("St Andrews") == found("st. andrews") == {andrews, stanford}
    assert found("Saint Andrews") == {andrews}
    assert found("st petersburg") == found("saint petersburg") == {petersburg}


def test_saint_typed_in_full_takes_st_as_a_whole_word_only():
    louis = PartnerFactory(name_fr="Washington University in St. Louis", name_en="")
    PartnerFactory(name_fr="Strasbourg Louis Pasteur", name_en="")
    etienne = PartnerFactory(name_fr="Université Jean Monnet Saint-Étienne")
    assert by_key(global_search("saint louis"))["partners"].records == [louis]
    assert by_key(global_search("st etienne"))["partners"].records == [etienne]


def test_a_country_named_in_full_is_found_by_its_abbreviation():
    UnitFactory(country="LC", city_fr="Castries", city_en="Castries")
    countries = by_key(global_search("St Lucia"))["countries"]
    assert [country.code for country in countries.records] == ["LC"]


def test_words_joined_by_a_hyphen_or_an_apostrophe_are_found_apart_too():
    hyphenated = PartnerFactory(name_fr="Université Paris-Saclay", name_en="")
    spaced = PartnerFactory(name_fr="Institut Paris Saclay", name_en="")
    orsay = PartnerFactory(name_fr="Observatoire d’Orsay", name_en="")

    def found(text):
        return set(by_key(global_search(text))["partners"].records)

    assert found("paris-saclay") == found("Paris Saclay") == {hyphenated, spaced}
    assert found("d'orsay") == found("d orsay") == {orsay}


def test_punctuation_alone_finds_nothing_in_the_text_search_itself():
    PartnerFactory(name_fr="Observatoire d’Orsay", name_en="")
    fields = Partner.objects.none().text_fields
    assert not Partner.objects.filter(text_search("'", fields)).exists()
    assert Partner.objects.filter(text_search("", fields)).count() == 1


def test_each_word_may_be_in_the_names_or_in_the_long_texts():
    jfli = UnitFactory(
        acronym="JFLI",
        name_fr="Laboratoire franco-japonais",
        description_fr="Recherche en informatique et en robotique.",
    )
    takuvik = UnitFactory(
        acronym="TAKUVIK",
        name_fr="Takuvik",
        name_en="Takuvik",
        description_fr="Étude du climat de l'Arctique.",
    )

    def found(text):
        return by_key(global_search(text))["units"].records

    assert found("JFLI informatique") == [jfli]
    assert found("japonais robotique") == [jfli]
    # Stop words ("de", "l'") need not be held: full-text search leaves them out.
    assert found("takuvik climat de l'arctique") == [takuvik]
    assert found("climat de l'arctique") == [takuvik]
    # Every word is held somewhere, or the record is only a near miss.
    assert by_key(global_search("jfli climat"))["units"].near_misses


def test_a_grant_is_found_by_its_laureates_name_and_a_word_of_its_own():
    grant = GrantFactory(
        acronym="QMAT",
        title_fr="Matière quantique",
        title_en="Quantum matter",
        laureate=PersonFactory(first_name="Ada", last_name="Lovelace"),
    )
    GrantFactory(title_en="Quantum optics", laureate=PersonFactory())

    assert by_key(global_search("lovelace quantum"))["grants"].records == [grant]
    assert by_key(global_search("Ada Lovelace"))["grants"].records == [grant]


def test_a_unit_is_found_by_its_directors_name(client):
    jrl = UnitFactory(
        acronym="JRL",
        name_fr="Laboratoire de robotique",
        name_en="Joint Robotics Laboratory",
        director=PersonFactory(first_name="Abderrahmane", last_name="Kheddar"),
    )
    UnitFactory(acronym="LINK", director=PersonFactory(last_name="Dupont"))

    assert by_key(global_search("Kheddar"))["units"].records == [jrl]
    assert by_key(global_search("kheddar robotique"))["units"].records == [jrl]
    listed = client.get("/fr/units/", {"q": "Abderrahmane Kheddar"})
    assert [unit.acronym for unit in listed.context["object_list"]] == ["JRL"]


@pytest.mark.parametrize(
    ("language", "place"), [("fr", "Singapour"), ("en", "Singapore")]
)
def test_a_city_states_unit_names_it_once_among_the_results(client, language, place):
    # "CINTRA · UMI 3288 · Singapour, Singapour", as the units list does not.
    UnitFactory(
        acronym="CINTRA",
        code="UMI 3288",
        city_fr="Singapour",
        city_en="Singapore",
        country="SG",
    )
    PartnerFactory(
        name_en="Nanyang Technological University",
        country="SG",
        city_fr="Singapour",
        city_en="Singapore",
    )

    html = client.get(f"/{language}/search/", {"q": "cintra"}).content.decode()
    partners = client.get(f"/{language}/partners/", {"country": "SG"})

    assert f"UMI 3288 · {place}</span>" in html
    assert f"{place}, {place}" not in html
    assert f"{place}, {place}" not in partners.content.decode()


def test_a_partner_found_by_its_city_shows_it_among_the_results(client):
    # QA: "tokyo" listed "Wójcik University" with nothing saying why; its city did.
    PartnerFactory(
        name_en="Wójcik University", city_fr="Tokyo", city_en="Tokyo", country="JP"
    )
    PartnerFactory(name_en="Monash University", city_en="Singapore", country="SG")

    html = client.get("/en/search/", {"q": "tokyo"}).content.decode()

    assert "University · <span><mark>Tokyo</mark></span>, Japan</span>" in html


def test_words_in_the_name_and_the_description_find_the_record_as_words_together():
    # Full-text search reads the names with the long texts: a record holding the
    # words apart is found with those holding them together.
    together = UnitFactory(
        acronym="AAA", name_fr="Laboratoire A", description_fr="Robotique au Japon."
    )
    apart = UnitFactory(
        acronym="BBB", name_fr="Laboratoire du Japon", description_fr="Robotique."
    )
    UnitFactory(acronym="CCC", name_fr="Laboratoire C", description_fr="Robotique.")
    assert set(by_key(global_search("robotique japon"))["units"].records) == {
        together,
        apart,
    }


def test_words_apart_are_searched_only_when_no_record_holds_them_together():
    # The tier costs a check of each word in each row the indexes give: a record
    # holding the whole text in one of its documents is enough.
    one_language = UnitFactory(
        acronym="AAA", name_fr="Laboratoire A", description_fr="Robotique, Kyushu."
    )
    two_languages = UnitFactory(
        acronym="BBB",
        name_fr="Laboratoire B",
        description_fr="Robotique.",
        description_en="In Kyushu.",
    )
    assert by_key(global_search("robotique kyushu"))["units"].records == [one_language]
    one_language.delete()
    assert by_key(global_search("robotique kyushu"))["units"].records == [two_languages]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("the university of pennsylvania", "University of Pennsylvania"),
        ("le MIT", "Massachusetts Institute of Technology"),
        ("la Sorbonne", "Sorbonne Université"),
    ],
)
def test_articles_no_name_holds_are_left_out_when_nothing_is_found(text, name):
    # "the" and "le" are in no name: every word typed held, nothing was found but
    # near misses, and the global search listed only a unit mentioning the MIT.
    partner = PartnerFactory(name_en=name, name_fr="", acronym="MIT", city_en="")
    UnitFactory(
        acronym="MSE2",
        name_en="Multi-scale materials",
        description_en="With the MIT and the University of Pennsylvania.",
    )
    records, near_misses = Partner.objects.public().search_or_near_misses(text)
    assert not near_misses and list(records) == [partner]
    assert by_key(global_search(text))["partners"].records == [partner]


def test_a_stop_word_a_name_holds_is_not_required_but_ranks_it_first():
    # Required, "the" hid the Francis Crick Centre (``searched_words``).
    held = PartnerFactory(name_en="The Francis Crick Institute", name_fr="")
    other = PartnerFactory(name_en="Francis Crick Centre", name_fr="")
    found = Partner.objects.public().search("the francis crick")
    assert list(found.best_matches_first("the francis crick")) == [held, other]


def test_short_words_of_long_texts_are_whole_words_on_either_database():
    # PostgreSQL's full-text search matches words ("ens" is not "ensemble"); the
    # SQLite fallback does as it does.
    ensemble = UnitFactory(
        acronym="AAA", name_fr="Laboratoire A", description_fr="Un ensemble d'équipes."
    )
    ens = UnitFactory(
        acronym="BBB", name_fr="Laboratoire B", description_fr="Fondé avec l'ENS."
    )
    assert by_key(global_search("ens"))["units"].records == [ens]
    assert by_key(global_search("ensemble"))["units"].records == [ensemble]


def test_long_texts_are_stemmed_on_either_database():
    # The demo's SQLite stems as PostgreSQL's French and English configurations:
    # another form of a word finds it, a part of one does not.
    arctic = GrantFactory(
        title_fr="Glaces", title_en="Ice", summary_fr="Les climats passés de l’Arctique"
    )
    researchers = ProjectFactory(
        title_fr="Terrain", title_en="Fieldwork", summary_en="Researchers measuring ice"
    )
    assert list(Grant.objects.matching("climat arctiques")) == [arctic]
    assert list(Project.objects.matching("researcher measured")) == [researchers]
    assert not Grant.objects.matching("clim").exists()
    # Stop words are left out of what is typed, as PostgreSQL's plainto_tsquery does.
    assert list(Grant.objects.matching("les climats du")) == [arctic]


def test_a_french_spelling_finds_the_name_the_record_holds_among_many_close_words():
    # The record says "Universidade"; "universite" is closer to "universitet",
    # "universita", "university"… than to it. Those closest corrections find
    # nothing together with "sao paulo": more are tried.
    usp = PartnerFactory(name_fr="Universidade de São Paulo", name_en="", acronym="")
    for name in (
        "Université de Tokyo",
        "Universität Wien",
        "Università di Bologna",
        "University of Oslo",
        "Universitet Uppsala",
        "Universiteit Leiden",
        "Universidad de Chile",
        "Institut universitaire de France",
    ):
        PartnerFactory(name_fr=name, name_en="", acronym="")
    found = by_key(global_search("Universite de Sao Paulo"))["partners"].records
    # On both databases: SQLite corrects the words too (no "Université de Tokyo").
    assert found == [usp]


def test_every_public_kind_is_searched_and_drafts_are_not():
    UnitFactory(acronym="JRL", name_en="Joint Robotics Laboratory")
    PartnerFactory(name_fr="Robotics Institute", acronym="RI")
    OfficeFactory(role_en="Supports robotics cooperation in Japan.")
    GrantFactory(title_en="Humanoid robotics", laureate=PersonFactory())
    ProjectFactory(title_en="Robotics for the sea")
    UnitFactory(name_en="Robotics draft", publication_status="draft")
    groups = by_key(global_search("robotics"))
    assert {key: group.total for key, group in groups.items()} == {
        "countries": 0,
        "programmes": 0,
        "institutes": 0,
        "units": 1,
        "partners": 1,
        "offices": 1,
        "grants": 1,
        "projects": 1,
        "testimonies": 0,  # found by their person's name
    }


def test_exact_acronym_then_names_starting_with_the_words_come_first():
    later = UnitFactory(acronym="ZZZ", name_fr="Un laboratoire de robotique")
    starts = UnitFactory(acronym="YYY", name_fr="Robotique et vision")
    exact = UnitFactory(acronym="ROBOTIQUE", name_fr="Laboratoire Robotique")
    assert by_key(global_search("robotique"))["units"].records == [exact, starts, later]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_search_page_lists_groups_with_links_to_the_filtered_lists(client, language):
    for index in range(12):
        PartnerFactory(name_fr=f"Université {index}", name_en=f"University {index}")
    response = client.get(f"/{language}/search/?q=univ")
    assert response.status_code == 200
    assert response.context["total"] == 12
    html = response.content.decode()
    assert f"/{language}/partners/?q=univ" in html


@pytest.mark.parametrize("query", ["", "?q=", "?q=%20%20", "?utm_source=x"])
def test_search_page_without_a_query_shows_the_form(client, query):
    # "?q=": the header's search box sent empty.
    response = client.get("/fr/search/" + query)
    assert response.status_code == 200
    assert response.context["groups"] is None
    assert 'role="alert"' not in response.content.decode()


@pytest.mark.parametrize(
    "query", ["?q=x", "?q=" + "a" * 201, "?q=a%25", "?q=%27", "?q=--"]
)
def test_too_short_or_too_long_a_query_is_a_400(client, query):
    response = client.get("/en/search/" + query)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_unknown_parameters_are_ignored(client):
    assert client.get("/en/search/?q=lab&utm_source=x").status_code == 200


def populate(rows):
    for index in range(rows):
        UnitFactory(name_fr=f"Laboratoire {index}")
        PartnerFactory(name_fr=f"Laboratoire partenaire {index}")
        GrantFactory(title_fr=f"Laboratoire financé {index}")
        ProjectFactory(title_fr=f"Laboratoire projet {index}")


@pytest.mark.parametrize(
    ("text", "suggested"),
    [("laboratoire", None), ("laboratiore partenaier", "laboratoire partenaire")],
)
def test_search_query_count_does_not_grow_with_the_data(client, text, suggested):
    def queries():
        with CaptureQueriesContext(connection) as context:
            response = client.get("/fr/search/", {"q": text})
            assert response.status_code == 200
        assert response.context["suggestion"] == suggested
        return len(context)

    populate(3)
    few = queries()
    populate(RESULTS_PER_KIND)  # past what each group shows
    assert queries() == few


def test_matches_are_counted_once_not_tested_with_exists():
    # Under EXISTS (LIMIT 1) PostgreSQL scanned every grant for a word none holds;
    # the count it uses instead serves the group's total too, and is cached.
    GrantFactory(title_en="Humanoid robotics")
    with CaptureQueriesContext(connection) as first:
        assert by_key(global_search("robotics"))["grants"].total == 1
    assert not [q for q in first.captured_queries if 'SELECT 1 AS "a"' in q["sql"]]
    grant_counts = [
        q["sql"]
        for q in first.captured_queries
        if "COUNT(" in q["sql"] and "programmes_grant" in q["sql"]
    ]
    assert len(grant_counts) == 1
    with CaptureQueriesContext(connection) as second:
        global_search("robotics")
    assert not [q for q in second.captured_queries if "COUNT(" in q["sql"]]


@pytest.mark.parametrize(
    ("language", "link"),
    [
        ("en", "See all 11 results in ERC and MSCA grants"),
        ("fr", "Voir les 11 résultats parmi les financements ERC et MSCA"),
    ],
)
def test_the_link_to_more_results_keeps_the_acronyms(client, language, link):
    for _number in range(11):
        GrantFactory(title_en="Humanoid robotics", title_fr="Robotique humanoïde")
    response = client.get(f"/{language}/search/", {"q": "robotics"})
    assert link in " ".join(response.content.decode().split())


@pytest.mark.parametrize("query", ["", "?q=tokyo", "?q=x"])
def test_browsers_keep_no_copy_of_the_search_page_as_of_any_public_page(client, query):
    # A copy kept an hour (max-age=3600) hid what staff published meanwhile; the
    # page cache keeps the page on the server, until content changes.
    PartnerFactory(name_fr="Université de Tokyo")
    response = client.get("/fr/search/" + query)
    assert response.status_code == (400 if query == "?q=x" else 200)
    other = client.get("/fr/partners/")
    for header in ("Cache-Control", "Expires", "Vary"):
        assert response.get(header) == other.get(header), header
    assert "Cache-Control" not in response


def test_a_record_published_is_found_at_once(client):
    assert client.get("/fr/search/", {"q": "pasteur"}).context["total"] == 0
    PartnerFactory(name_fr="Institut Pasteur")
    assert client.get("/fr/search/", {"q": "pasteur"}).context["total"] == 1


def test_search_page_groups_its_counts_by_thousands(client):
    # In bulk: a thousand saves one by one would take seconds.
    Partner.objects.bulk_create(PartnerFactory.build_batch(1001))
    french = client.get("/fr/search/", {"q": "université"}).text
    assert re.search(r'role="status">\s*1\xa0001 résultats\s*</p>', french)
    assert "(1\xa0001)" in french
    assert "Voir les 1\xa0001 résultats parmi les établissements partenaires" in french
    english = client.get("/en/search/", {"q": "university"}).text
    assert re.search(r'role="status">\s*1,001 results\s*</p>', english)
    assert "(1,001)" in english
    assert "See all 1,001 results in partner institutions" in english
    # The count, a number, still chooses the plural.
    PartnerFactory(name_fr="Institut Pasteur", name_en="Pasteur Institute")
    one = client.get("/fr/search/", {"q": "pasteur"}).text
    assert re.search(r'role="status">\s*1 résultat\s*</p>', one)


@pytest.mark.parametrize(
    ("language", "notice", "count"),
    [
        (
            "fr",
            "Fiches proches\xa0: aucune ne contient tous les mots de «\xa0tokio\xa0».",
            "Pas de résultat exact\xa0; 2 fiches proches",
        ),
        (
            "en",
            "Close matches: none contains every word of “tokio”.",
            "No exact match; 2 close matches",
        ),
    ],
)
def test_search_page_says_once_that_it_shows_near_misses_only(
    client, language, notice, count
):
    tokyo = PartnerFactory(name_fr="Université de Tokyo", name_en="University of Tokyo")
    OfficeFactory(name_fr="Bureau du CNRS à Tokyo", name_en="CNRS Office in Tokyo")
    response = client.get(f"/{language}/search/", {"q": "tokio"})
    # No kind holds the word typed: the partners group is the closest ones.
    groups = by_key(response.context["groups"])
    assert groups["units"].total == 0
    assert (groups["partners"].records, groups["partners"].near_misses) == (
        [tokyo],
        True,
    )
    assert groups["offices"].near_misses
    html = response.text
    # Once above the groups, not once a group: four times the same sentence for
    # "singapre" read as noise.
    assert html.count(notice) == 1
    # Closest ones are not results, and not "nothing" either: "0 results" then a
    # group of one read as a contradiction.
    assert re.search(rf'role="status">\s*{count}\s*</p>', html)
    assert html.index(notice) < html.index('id="search-partners"')
    assert "Nothing matches" not in html and "Aucun résultat" not in html


def test_no_closest_records_beside_records_holding_the_words(client):
    """A unit named Tokio is found: the partners near "tokio" are not offered
    beside it, nor a unit near "United States" beside the country and the
    records there."""
    PartnerFactory(name_fr="Université de Tokyo", name_en="University of Tokyo")
    UnitFactory(acronym="TOKIO", name_fr="Laboratoire Tokio", name_en="Tokio Lab")
    response = client.get("/en/search/", {"q": "tokio"})
    groups = by_key(response.context["groups"])
    assert (groups["units"].total, groups["units"].near_misses) == (1, False)
    assert (groups["partners"].total, groups["partners"].records) == (0, [])
    assert response.context["total"] == 1
    assert "Close matches:" not in response.text

    UnitFactory(
        acronym="CNRS-IMPA", name_en="Unité mixte internationale IMPA", country="BR"
    )
    mit = PartnerFactory(name_en="Massachusetts Institute of Technology", country="US")
    response = client.get("/en/search/", {"q": "United States"})
    groups = by_key(response.context["groups"])
    assert [country.code for country in groups["countries"].records] == ["US"]
    assert groups["partners"].records == [mit]  # in the United States
    assert not any(group.near_misses for group in groups.values())


@pytest.mark.parametrize(
    ("language", "status"),
    [("en", "1 result · 1 close match"), ("fr", "1 résultat · 1 fiche proche")],
)
def test_search_page_counts_close_records_apart_from_results(client, language, status):
    # A project's summary holds "institue" inside "instituées"; no name holds
    # "institue", a letter from the Institute of Photonics' name: the partner is
    # offered as close, beside the project. "1 result" stood above two groups.
    # (Its stem alone, "institutions", finds close records: test_loose_matches.)
    ProjectFactory(
        title_fr="Lumière",
        title_en="Light",
        summary_fr="Avec les commissions instituées par l’Union.",
        summary_en="",
    )
    PartnerFactory(name_en="Institute of Photonics", name_fr="", acronym="")
    response = client.get(f"/{language}/search/", {"q": "institue"})
    groups = by_key(response.context["groups"])
    assert groups["projects"].total == 1 and not groups["projects"].near_misses
    assert groups["partners"].near_misses and groups["partners"].total == 1
    assert re.search(rf'role="status">\s*{status}\s*</p>', response.text)


def test_search_page_gives_no_notice_without_near_misses(client):
    PartnerFactory(name_fr="Université de Tokyo", name_en="University of Tokyo")
    for text in ("tokyo", "zzyzx"):
        html = client.get("/fr/search/", {"q": text}).text
        assert "Aucun enregistrement ne contient tous les mots" not in html


# Countries and programmes --------------------------------------------------------


@pytest.fixture
def china_and_usa():
    UnitFactory(acronym="E2P2L", country="CN", city_fr="Shanghai", city_en="Shanghai")
    PartnerFactory(country="CN")
    PartnerFactory(country="US")
    PartnerFactory(country="US")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Chine", "CN"),
        ("china", "CN"),
        ("CHNIE", "CN"),  # one slip
        ("États-Unis", "US"),
        ("etats unis", "US"),
        ("États-Unis d'Amérique", "US"),  # shown with ’ in French
        ("États-Unis d’Amérique", "US"),
        ("United States", "US"),
        ("united", "US"),
    ],
)
def test_a_country_is_found_by_its_name_in_either_language(china_and_usa, text, code):
    countries = by_key(global_search(text))["countries"]

    assert [country.code for country in countries.records] == [code]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("JP", ["JP"]),  # found nothing
        ("BR", ["BR", "BN"]),  # Brazil, then Brunei (covered) by its first letters
        ("CN", ["CN"]),
        ("MX", []),  # where the CNRS works only ("PE": a panel, or Peru)
        ("AI", []),  # artificial intelligence, no Anguilla
        ("jp", []),  # in lower case no code ("de", "in" are words)
        ("ZZ", []),  # no country's code
    ],
)
def test_a_country_s_code_typed_in_capitals_names_it_first(text, codes):
    PartnerFactory(country="JP")
    PartnerFactory(country="BR")
    PartnerFactory(country="CN")
    OfficeFactory(country="SG", countries=["SG", "BN"])

    countries = by_key(global_search(text))["countries"]

    assert [country.code for country in countries.records][: len(codes)] == codes
    if not codes:
        assert countries.total == 0


@pytest.mark.parametrize(
    ("text", "code"),
    [("DE", "DE"), ("IN", "IN"), ("AT", "AT"), ("ES", "ES"), ("NO", "NO")],
)
def test_a_code_that_is_a_stop_word_names_its_country_typed_in_capitals(
    client, text, code
):
    # Germany, India, Austria, Spain, Norway: stop words in capitals ("DE",
    # "IN"), refused as too common before their country was looked for.
    PartnerFactory(country=code)
    response = client.get("/en/search/", {"q": text})
    assert response.status_code == 200
    countries = by_key(response.context["groups"])["countries"]
    assert [country.code for country in countries.records] == [code]
    # In lower case, words: refused as too common, as on the lists.
    assert client.get("/en/search/", {"q": text.lower()}).status_code == 400
    assert client.get("/en/partners/", {"q": text}).status_code == 400


@pytest.mark.parametrize(
    ("language", "text", "message"),
    [
        (
            "en",
            "DE",
            "“DE” is the code of Germany: nothing is published about this country yet.",
        ),
        (
            "fr",
            "DE",
            "«\u00a0DE\u00a0» est le code du pays Allemagne\u00a0: aucune fiche "
            "n’est encore publiée sur ce pays.",
        ),
        (
            "en",
            "NO",
            "“NO” is the code of Norway: nothing is published about this country yet.",
        ),
    ],
)
def test_a_code_that_is_a_stop_word_says_where_the_cnrs_has_nothing(
    client, language, text, message
):
    # No record in Germany: "a word too common" was true of "de", and
    # misleading for Germany's code.
    PartnerFactory(country="JP")
    response = client.get(f"/{language}/search/", {"q": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'<a href="/{language}/countries/">' in html
    assert "too common" not in html and "trop courant" not in html
    assert response.context["groups"] == []
    assert not response.context["form"].errors
    # In lower case, the stop word it is, refused.
    response = client.get(f"/{language}/search/", {"q": text.lower()})
    assert response.status_code == 400


def test_a_code_of_an_empty_country_that_is_a_records_code_finds_it(client):
    # "DE", no German record, but a partner's acronym: it is found, as before.
    coded = PartnerFactory(country="JP", acronym="DE", name_en="Deep Earth")
    response = client.get("/en/search/", {"q": "DE"})
    assert response.status_code == 200
    assert "nothing is published about this country" not in response.text
    assert by_key(response.context["groups"])["partners"].records == [coded]


@pytest.mark.parametrize("text", ["US", "UK", "uk", "GB"])
def test_the_us_and_the_uk_are_named_by_their_short_names(client, text):
    # "US" is the United States' code and short name; "UK", the United
    # Kingdom's short name (its code is GB), names it in any case, as "USA":
    # no word of either language.
    PartnerFactory(country="US")
    PartnerFactory(country="GB")
    code = "US" if text == "US" else "GB"
    response = client.get("/en/search/", {"q": text})
    assert response.status_code == 200
    countries = by_key(response.context["groups"])["countries"]
    assert [country.code for country in countries.records][:1] == [code]


def test_a_short_word_of_a_name_is_no_slip_of_a_longer_word_typed():
    # "univ", the start of "université", named the United Kingdom ("Royaume-Uni").
    PartnerFactory(country="GB", name_fr="Université d'Oxford", name_en="")
    PartnerFactory(country="JP")
    assert by_key(global_search("univ"))["countries"].total == 0
    assert [c.code for c in by_key(global_search("japn"))["countries"].records] == [
        "JP"
    ]


def test_a_country_where_the_cnrs_has_nothing_public_is_found_and_says_so(
    china_and_usa,
):
    # Its page says so; its slips were offered instead ("Amérique" for Mexico).
    PartnerFactory(country="BE", publication_status="draft")

    countries = by_key(global_search("Belgique"))["countries"]

    assert [(c.code, c.summary) for c in countries.records] == [
        ("BE", "rien de publié pour l’instant")
    ]
    assert by_key(global_search("Belgiqe"))["countries"].total == 0


def test_a_country_named_among_words_no_record_holds_is_found(china_and_usa):
    # Nothing in China holds "observatoire": the country's page, not near misses
    # (tests/test_country_among_words.py: the records there holding the others).
    groups = by_key(global_search("Observatoire de Chine"))

    assert [country.code for country in groups["countries"].records] == ["CN"]
    assert not any(group.near_misses for group in groups.values())


@pytest.mark.parametrize(
    ("language", "text", "name", "summary"),
    [
        ("fr", "corée", "Corée du Sud", "couvert par le bureau du CNRS à Tokyo"),
        ("en", "korea", "South Korea", "covered by the CNRS office in Tokyo"),
    ],
)
def test_a_country_an_office_covers_from_abroad_is_found_and_says_by_which(
    client, language, text, name, summary
):
    # Korea has no record of its own: its page names the office to ask.
    OfficeFactory(country="JP", countries=["KR"], city_fr="Tokyo", city_en="Tokyo")

    html = client.get(f"/{language}/search/", {"q": text}).text

    link = re.search(rf'<a href="/{language}/countries/KR/">(.*?)</a>', html)
    assert link and re.sub("</?mark>", "", link[1]) == name
    assert summary in html


@pytest.mark.parametrize(
    ("language", "name", "summary"),
    [
        # The word typed is marked in the name shown, which holds it in French.
        ("fr", "<mark>Chine</mark>", "1 unité mixte · 1 établissement partenaire"),
        ("en", "China", "1 joint unit · 1 partner institution"),
    ],
)
def test_the_search_page_links_a_country_found_to_its_page(
    client, china_and_usa, language, name, summary
):
    html = client.get(f"/{language}/search/?q=chine").content.decode()

    assert f'<a href="/{language}/countries/CN/">{name}</a>' in html
    assert summary in html


@pytest.fixture
def programmes():
    return {
        "msca": ProgrammeFactory(
            name_fr="Actions Marie Skłodowska-Curie",
            name_en="Marie Skłodowska-Curie Actions",
            acronym="MSCA",
            kind="eu_scheme",
        ),
        "erc": ProgrammeFactory(
            name_fr="Conseil européen de la recherche",
            name_en="European Research Council",
            acronym="ERC",
            kind="eu_scheme",
        ),
        "h2020": ProgrammeFactory(
            name_fr="Horizon 2020", name_en="Horizon 2020", acronym="H2020"
        ),
        "irn": ProgrammeFactory(
            name_fr="International Research Network",
            name_en="International Research Network",
            acronym="IRN",
            former_name="GDRI",
            kind="cnrs_tool",
        ),
        "draft": ProgrammeFactory(
            name_fr="Brouillon Marie", acronym="DRAFT", publication_status="draft"
        ),
    }


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("MSCA", ["msca"]),
        ("marie curie", ["msca"]),
        ("Sklodowska", ["msca"]),
        ("erc", ["erc"]),
        ("recherche européenne", ["erc"]),
        ("asie", []),
        ("conseil europeen", ["erc"]),
        ("H2020", ["h2020"]),
        ("horizon 2020", ["h2020"]),
        ("horizn", ["h2020"]),  # one slip
        ("GDRI", ["irn"]),
        ("brouillon", []),
    ],
)
def test_a_programme_is_found_by_its_names_acronym_or_former_name(
    programmes, text, found
):
    records = by_key(global_search(text))["programmes"].records

    assert records == [programmes[key] for key in found]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("text", ["Marie Curie Actions", "actions marie curie"])
def test_a_programme_is_found_by_its_former_name_in_either_language(text, language):
    msca = ProgrammeFactory(
        name_fr="Actions Marie Skłodowska-Curie",
        name_en="Marie Skłodowska-Curie Actions",
        acronym="MSCA",
        former_name_fr="Actions Marie Curie",
        former_name_en="Marie Curie Actions",
    )

    with translation.override(language):
        records = by_key(global_search(text))["programmes"].records

    assert records == [msca]


def test_a_programme_named_exactly_comes_before_those_starting_so(programmes):
    ProgrammeFactory(name_fr="Marie Curie Alumni", name_en="", acronym="MCA")
    exact = ProgrammeFactory(name_fr="Marie Curie", name_en="", acronym="MC")

    records = by_key(global_search("marie curie"))["programmes"].records

    assert records[0] == exact
    assert len(records) == 3


def test_the_search_page_links_a_programme_found_to_its_page(client, programmes):
    html = client.get("/en/search/?q=gdri").content.decode()

    irn = programmes["irn"]
    assert f'<a href="{irn.get_absolute_url()}">' in html
    assert "formerly <mark>GDRI</mark>" in html  # the name typed, marked


@pytest.mark.parametrize(
    ("text", "codes"),
    [("INSB", ["INSB"]), ("insb", ["INSB"]), ("biologie", ["INSB"]), ("physique", [])],
)
def test_an_institute_is_found_by_its_code_or_name(text, codes):
    InstituteFactory(
        code="INSB", name_fr="Institut des sciences biologiques", name_en="Biology"
    )
    InstituteFactory(code="INC", name_fr="Institut de chimie", name_en="Chemistry")
    found = by_key(global_search(text))["institutes"].records
    assert [institute.code for institute in found] == codes


def test_the_kind_whose_best_match_is_best_comes_first(client):
    # The groups came in one order whatever the text: a unit whose description
    # names the MIT came before the MIT itself, its acronym typed.
    mit = PartnerFactory(
        name_en="Massachusetts Institute of Technology", name_fr="", acronym="MIT"
    )
    UnitFactory(
        acronym="MSE2", name_en="Materials", name_fr="", description_en="With the MIT."
    )
    keys = [group.key for group in global_search("mit") if group.total]
    assert keys == ["partners", "units"]
    assert by_key(global_search("mit"))["partners"].records == [mit]
    # As many matches, the units first, as always.
    UnitFactory(acronym="MITO", name_en="Mitochondria")
    keys = [group.key for group in global_search("mit") if group.total]
    assert keys == ["partners", "units"]
    PartnerFactory(name_en="Laboratory", acronym="LAB", name_fr="")
    UnitFactory(acronym="LABO", name_en="Laboratory of optics", name_fr="")
    keys = [group.key for group in global_search("laboratory") if group.total]
    assert keys == ["units", "partners"]
    html = client.get("/en/search/", {"q": "mit"}).text
    assert html.index('id="search-partners"') < html.index('id="search-units"')


def test_a_kind_nearly_named_is_a_near_miss(client, programmes):
    # "japn", "horizn": counted as results, a misspelt word went without notice or
    # suggestion, and the search said "1 result" above what it meant.
    UnitFactory(acronym="JFLI", country="JP", name_en="Informatics", city_en="Tokyo")
    # The close records are what the words meant find: Japan, and the unit in
    # Japan ("japan" finds it, ``global_search``).
    for text, key, meant, status in (
        ("japn", "countries", "japan", "2 close matches"),
        ("Skłodowksa", "programmes", "Skłodowska", "1 close match"),
    ):
        response = client.get("/en/search/", {"q": text})
        assert response.context["suggestion"] == meant, text
        group = by_key(response.context["groups"])[key]
        assert group.total == 1 and group.near_misses, text
        assert response.context["total"] == 0, text
        assert re.search(
            rf'role="status">\s*No exact match; {status}\s*</p>', response.text
        ), text
        assert "<mark>" not in response.text
    # As close to "japon" as to "japan": the page's language chooses.
    assert client.get("/fr/search/", {"q": "japn"}).context["suggestion"] == "japon"


def test_a_kind_nearly_named_is_not_offered_beside_matches():
    # "l'université": the universities are found; the INSU, "de l'Univers", is
    # only nearly named.
    InstituteFactory(
        code="INSU",
        name_fr="Institut national des sciences de l’Univers",
        name_en="Earth sciences and astronomy",
    )
    university = PartnerFactory(name_fr="Université de Tokyo", name_en="")
    groups = by_key(global_search("l'université"))
    assert groups["partners"].records == [university]
    assert groups["institutes"].total == 0


@pytest.mark.parametrize(
    ("language", "units", "grants"),
    [
        ("fr", "Unités mixtes de l’INSB", "Financements de l’INSB"),
        ("en", "Joint units of the INSB", "Grants of the INSB"),
    ],
)
def test_the_search_page_leads_from_an_institute_to_its_units_and_grants(
    client, language, units, grants
):
    InstituteFactory(code="INSB", name_fr="Institut des sciences biologiques")
    # A unit near "insb" is not offered beside the institute found.
    UnitFactory(acronym="INSA")
    html = client.get(f"/{language}/search/", {"q": "insb"}).content.decode()
    assert f'<a href="/{language}/units/?institute=INSB">{units}</a>' in html
    assert f'<a href="/{language}/grants/?institute=INSB">{grants}</a>' in html
    assert "INSA" not in html


@pytest.mark.parametrize("path", ["units", "partners", "grants", "projects"])
@pytest.mark.parametrize("text", ["'", "a", "a%", " x "])
def test_a_list_refuses_a_text_of_fewer_than_two_letters(client, path, text):
    # As the global search does. One letter starts a word of most records (a
    # count and a sort of most of a million partners); punctuation holds none.
    UnitFactory(name_fr="Laboratoire d'optique")
    PartnerFactory(name_fr="Université d'Osaka")

    response = client.get(f"/en/{path}/", {"q": text})

    assert response.status_code == 400
    assert "Type at least 2 letters or digits." in response.text
    assert re.search(r"<title>\s*Error:", response.text)


def suggestion(client, text, language="en"):
    response = client.get(f"/{language}/search/", {"q": text})
    assert response.status_code == 200
    return response.context["suggestion"], response.content.decode()


def test_a_mistyped_search_suggests_the_known_words_likely_meant(client):
    # Known words of partners' names, units' names, grants' and projects' titles
    # and countries' names, the closest of them all: the link finds them as typed.
    PartnerFactory(name_fr="Laboratoire de Singapour", name_en="", acronym="")
    UnitFactory(name_fr="Unité de robotique", name_en="", acronym="JRL", code="")
    GrantFactory(title_fr="Turbulence aux interfaces", title_en="", acronym="TURB")
    ProjectFactory(title_fr="Protéines membranaires", title_en="", acronym="PROT")
    # What the last suggestion finds ("au", a stop word no name holds, left out):
    # a suggestion finding nothing is not made.
    PartnerFactory(name_fr="Institut de robotique du Japon", name_en="", acronym="")
    PartnerFactory(name_en="Massachusetts Institute of Technology", name_fr="")
    for typed, meant in [
        # Its two doubled letters typed once each: one letter in five is missing.
        ("masachusets", "massachusetts"),
        ("laboratoir singapur", "laboratoire singapour"),
        ("robotiqe", "robotique"),
        ("turbulemce", "turbulence"),
        # Written as the title does (the tables of known words keep them folded).
        ("protienes membranaires", "protéines membranaires"),
        # A country's name too; written as typed, capitals kept.
        ("Robotiqe au Jappon", "Robotique au Japon"),
    ]:
        suggested, html = suggestion(client, typed)
        assert suggested == meant, typed
        assert f'href="/en/search/?{urlencode({"q": meant})}"' in html
        found, _html = suggestion(client, meant)
        assert found is None


def test_a_suggestion_is_the_word_fewest_letters_away(client):
    # "Allemange", two letters swapped, suggested "Allemand" (two changes away: a
    # demonym, known for searches of nationalities), which shares more trigrams.
    PartnerFactory(name_fr="Université de Heidelberg", name_en="", country="DE")

    suggested, html = suggestion(client, "Allemange", "fr")

    assert suggested == "Allemagne"
    assert "Vouliez-vous dire" in html


def test_a_suggestion_keeps_the_words_as_typed_but_those_corrected(client):
    # "universite de pennsylvanie" dropped the accent and the capitals typed.
    PartnerFactory(name_fr="Université de Pennsylvanie", name_en="", acronym="UPENN")
    for typed, meant in [
        ("Université de Pensylvanie", "Université de Pennsylvanie"),
        # Where it was typed, the signs between words kept.
        ("l’Université de pensylvanie", "l’Université de pennsylvanie"),
        ("UPEN PENSYLVANIE", "UPENN PENNSYLVANIE"),
    ]:
        assert suggestion(client, typed, "fr")[0] == meant, typed


@pytest.mark.parametrize(
    "typed, meant",
    [
        # The word tables keep words folded: the records say how they are written.
        ("unversite de pensylvanie", "université de pennsylvanie"),
        ("Unversité de Pensylvanie", "Université de Pennsylvanie"),
        ("Shanghaï chmie", "Shanghaï chimie"),  # a unit's words
        ("Bourguigon", "Bourguignon"),  # a director's name
        ("crns", "CNRS"),  # an acronym keeps its capitals
        ("corre du sud", "corée du sud"),  # a country's name
        ("procédés éco-eficaces", "procédés éco-efficaces"),
    ],
)
def test_a_suggestion_writes_the_corrections_as_the_records_do(client, typed, meant):
    PartnerFactory(name_fr="Université de Pennsylvanie", name_en="", acronym="")
    PartnerFactory(
        name_fr="Centre national de la recherche", name_en="", acronym="CNRS"
    )
    PartnerFactory(name_fr="Université nationale de Séoul", name_en="", country="KR")
    UnitFactory(
        name_fr="Laboratoire de chimie",
        name_en="Procédés éco-efficaces",
        city_fr="Shanghaï",
        director=PersonFactory(first_name="Jean", last_name="Bourguignon"),
    )

    assert suggestion(client, typed, "fr")[0] == meant


def test_no_suggestion_when_no_known_word_is_a_slip_of_the_typed_one(client):
    PartnerFactory(name_fr="Institut de l’océan", name_en="", acronym="")
    # "ocean", the closest known word by trigrams, is no slip of "oceanographie".
    assert suggestion(client, "oceanographie")[0] is None
    assert suggestion(client, "xqzjv")[0] is None
    PartnerFactory(name_fr="Institut océanographique", name_en="", acronym="")
    assert suggestion(client, "oceanographie")[0] == "océanographique"


def test_no_suggestion_when_some_record_holds_the_words(client):
    PartnerFactory(name_fr="Institut océanographique", name_en="", acronym="")
    GrantFactory(title_fr="Photosynthèse", title_en="", summary_fr="Les océans")
    # Found as typed: in a name, a country's name, a summary.
    for typed in ("oceanographique", "japon", "oceans"):
        assert suggestion(client, typed)[0] is None, typed


def test_the_suggestion_is_said_in_french_with_its_punctuation(client):
    PartnerFactory(name_fr="Laboratoire de Singapour", name_en="", acronym="")
    _suggested, html = suggestion(client, "laboratoir singapur", "fr")
    assert (
        'Vouliez-vous dire <a href="/fr/search/?q=laboratoire+singapour">'
        "laboratoire singapour</a>\u00a0?"
    ) in html


def test_a_list_suggests_its_own_known_words_keeping_its_filters(client):
    PartnerFactory(name_fr="Laboratoire de Singapour", country="SG", acronym="")
    GrantFactory(title_fr="Turbulence aux interfaces", title_en="", acronym="TURB")
    response = client.get(
        "/en/partners/", {"q": "laboratoir singapur", "country": "SG", "page": "1"}
    )
    assert response.context["suggestion"] == "laboratoire singapour"
    html = response.content.decode()
    assert (
        'Did you mean <a href="/en/partners/?q=laboratoire+singapour&amp;country=SG">'
        "laboratoire singapour</a>?"
    ) in html
    # Each list from its own words: no grant is titled so.
    assert "suggestion" not in client.get("/en/grants/", {"q": "laboratoir"}).context
    grants = client.get("/en/grants/", {"q": "turbulemce"})
    assert grants.context["suggestion"] == "turbulence"
    # Found as typed: nothing to suggest.
    found = client.get("/en/partners/", {"q": "laboratoire singapour"})
    assert "suggestion" not in found.context


def test_a_list_suggests_only_words_it_then_finds(client):
    PartnerFactory(name_fr="Laboratoire de Singapour", country="SG", acronym="")
    PartnerFactory(name_fr="Université de Singapour", country="SG", acronym="")
    PartnerFactory(name_fr="Universidade de São Paulo", country="BR", acronym="")

    def suggested(**query):
        response = client.get("/en/partners/", query)
        assert response.status_code == 200
        return response.context.get("suggestion")

    # Found in another country only: the list kept to Brazil would show nothing.
    assert suggested(q="laboratoir singapur", country="SG") == "laboratoire singapour"
    assert suggested(q="laboratoir singapur", country="BR") is None
    # No known word is a slip of "xqzjv": left as typed, it would find nothing.
    assert suggested(q="xqzjv singapur") is None
    # Words apart, one in the name, one in the city, are found too.
    PartnerFactory(
        name_fr="Institut Pasteur", city_fr="Singapour", city_en="Singapore", acronym=""
    )
    assert suggested(q="pasteor singapur") == "pasteur singapour"


def test_the_programmes_and_institutes_words_are_known_words(client, programmes):
    # "marie curie" is the MSCA's name, not misspelt words: no suggestion, and no
    # near misses of other kinds beside the programme ("Tascmar" for "marie").
    ProjectFactory(acronym="TASCMAR", title_en="Marine molecules", title_fr="")
    response = client.get("/en/search/", {"q": "marie curie"})
    groups = by_key(response.context["groups"])
    assert groups["programmes"].total == 1 and not groups["programmes"].near_misses
    assert groups["projects"].total == 0
    assert response.context["suggestion"] is None
    # A programme's name misspelt is offered as its name.
    assert suggestion(client, "horizn")[0] == "horizon"


def test_a_lists_suggestion_writes_the_corrections_as_the_records_do(client):
    PartnerFactory(name_fr="Université de Pennsylvanie", name_en="", acronym="")

    response = client.get("/fr/partners/", {"q": "unversité de pensylvanie"})

    assert response.context["suggestion"] == "université de pennsylvanie"


def test_near_misses_leave_out_the_stop_words_no_name_holds():
    # "laboratoir robotiqe" found the JRL, "laboratoire de robotiqe" nothing: the
    # corrected words must all be held, and its name holds no "de".
    jrl = UnitFactory(
        name_fr="Laboratoire commun robotique", name_en="", acronym="JRL", code=""
    )

    units = by_key(global_search("laboratoire de robotiqe"))["units"]

    assert units.near_misses
    assert units.records == [jrl]


def test_a_suggestion_writes_a_countrys_other_name_as_it_is_written():
    # "Tchéquie" is no django-countries name (OTHER_NAMES): a suggestion of it
    # read "tchequie".
    assert written_anywhere({"tchequie": None, "japon": None}) == {
        "tchequie": "tchéquie",
        "japon": "japon",
    }


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_name_typed_in_either_language_is_the_best_match(client, language):
    # "Aix-Marseille Université" typed on the English pages starts the partner's
    # French name: it leads, before a unit whose description names it.
    amu = PartnerFactory(
        name_fr="Aix-Marseille Université",
        name_en="Aix-Marseille University",
        acronym="AMU",
    )
    UnitFactory(
        acronym="MSE2",
        name_fr="Matériaux",
        name_en="Materials",
        description_fr="Avec Aix-Marseille Université.",
        description_en="With Aix-Marseille Université.",
    )
    with translation.override(language):
        groups = global_search("Aix-Marseille Université")

    assert groups[0].key == "countries"  # the kinds named lead, empty
    kinds = [group.key for group in groups if group.records]
    assert kinds[:2] == ["partners", "units"]
    assert groups[[group.key for group in groups].index("partners")].records == [amu]


def test_the_close_records_are_those_the_words_meant_find(client):
    # "Avilla": the suggestion is Artur Ávila, quoted by the CNRS-IMPA; Tel Aviv
    # University, close to the letters typed, is no longer offered beside it.
    unit = UnitFactory(acronym="CNRS-IMPA", name_fr="Unité CNRS-IMPA", name_en="")
    avila = PersonFactory(first_name="Artur", last_name="Ávila")
    testimony = TestimonyFactory(unit=unit, person=avila)
    PartnerFactory(name_fr="", name_en="Tel Aviv University")

    response = client.get("/en/search/", {"q": "Avilla"})

    assert response.context["suggestion"] == "Ávila"
    groups = [group for group in response.context["groups"] if group.total]
    assert [(group.key, group.records, group.near_misses) for group in groups] == [
        ("testimonies", [testimony], True),  # his own words
        ("units", [unit], True),
    ]


# --- A kind of record named, of which none is published ----------------------------


@pytest.mark.parametrize(
    ("language", "text", "message"),
    [
        (
            "fr",
            "umifre",
            "Aucune fiche du type «\xa0Unité mixte des instituts français de "
            "recherche à l’étranger (Umifre)\xa0» n’est encore publiée.",
        ),
        (
            "en",
            "french research institutes abroad",
            "No record of the kind “Joint unit of French research institutes abroad "
            "(Umifre)” is published yet.",
        ),
        (
            "en",
            "international organisations",
            "No record of the kind “International organisation” is published yet.",
        ),
    ],
)
def test_a_kind_named_of_which_none_is_published_says_so(
    client, language, text, message
):
    # The IRLs' names hold "international" and their codes "UMI": offered as close
    # records of "umifre", every one of them was noise.
    UnitFactory(name_en="International Joint Laboratory", code="UMI 3466")
    PartnerFactory(name_en="Tokyo International University")
    response = client.get(f"/{language}/search/", {"q": text})
    assert response.status_code == 200
    assert response.context["closest"] == 0
    assert response.context["total"] == 0
    html = response.text
    assert message in html
    assert "Try another spelling" not in html and "autre orthographe" not in html


def test_a_kind_named_finds_its_records():
    irl = UnitFactory(kind="irl", name_en="Joint Robotics Laboratory", code="UMI 3218")
    umifre = UnitFactory(kind="umifre", name_en="Maison française d'Oxford", code="")
    with translation.override("en"):
        assert by_key(global_search("umifre"))["units"].records == [umifre]
        assert by_key(global_search("IRLs"))["units"].records == [irl]
        assert by_key(global_search("institut français de recherche à l'étranger"))[
            "units"
        ].records == [umifre]


# --- Several countries named ------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["japan brazil", "Japon et Brésil", "japan and brazil", "brazil, japan"]
)
def test_countries_named_one_after_another_are_each_found(text):
    UnitFactory(country="JP")
    UnitFactory(country="BR", city_fr="Rio", city_en="Rio")
    with translation.override("en"):
        countries = by_key(global_search(text))["countries"]
    # Brazil was dropped: the first country named, the other searched in it.
    assert sorted(country.code for country in countries.records) == ["BR", "JP"]


@pytest.mark.parametrize("text", ["japan", "robotics japan", "japan brazil robotics"])
def test_other_words_beside_countries_name_no_list_of_them(text):
    assert countries_listed(text) == []


def test_a_suggestion_is_offered_beside_matches_holding_a_word_by_its_stem_alone(
    client,
):
    # "institue" is stemmed "institu", as "institutions" in an office's role:
    # the office is found, but no text holds "institue": a close record too.
    OfficeFactory(role_fr="Suit les institutions européennes.", role_en="")
    PartnerFactory(name_fr="", name_en="Institute of Physics", acronym="")
    groups = by_key(global_search("institue"))
    assert groups["offices"].total == 1 and groups["offices"].near_misses
    assert groups["partners"].near_misses
    assert suggestion(client, "institue")[0] == "institute"


def test_no_suggestion_nor_near_misses_beside_a_match_holding_the_word_typed(client):
    # "shales" is a word of the unit's description, and one letter from "Thales".
    unit = UnitFactory(description_en="Gas in shales.", description_fr="")
    PartnerFactory(name_fr="Thales", name_en="Thales", acronym="")
    groups = by_key(global_search("shales"))
    assert groups["units"].records == [unit]
    assert not groups["partners"].records
    assert suggestion(client, "shales")[0] is None
