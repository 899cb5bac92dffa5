"""Stop words typed alone ("the", "de la"): too common to search by, the global
search and the lists refuse them with a message (400, as a text too short), unless
they are a record's code ("who"); mixed with other words a record need not hold
them ("à Nairobi" finds what "Nairobi" finds). A word typed with a capital
letter first or an accent is a name ("Est", "Lê"), and "EU", "AI" are acronyms,
searched as any word; other stop words in capitals are codes, as "who" is
("WHO"). (``common_words_only`` and ``searched_words`` in partners/search.py,
``found`` and ``coded_anywhere`` in partners/searchable.py, ``searchable_words``
in partners/filters.py), on both databases."""

import re

import pytest
from django.db import connection

from cnrs_intl.search import global_search
from partners.models import Office, Partner
from partners.search import common_words_only, searched_words, text_search
from programmes.models import Project
from tests.factories import (
    GrantFactory,
    OfficeFactory,
    PartnerFactory,
    PersonFactory,
    ProjectFactory,
    UnitFactory,
)
from tests.plans import plan
from tests.search_groups import by_key

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "common"),
    [
        ("the", True),
        ("of the", True),
        ("le", True),
        ("de la", True),
        ("and", True),
        ("aux", True),
        ("les", True),
        ("été", True),
        ("ete", True),  # typed without its accent
        ("d'un", True),
        ("«the»", True),
        ("que fait", True),  # the words of a question
        ("l'", False),  # a letter: refused as one (``enough_letters``)
        ("M I T", False),  # a code typed apart
        ("w h o", False),
        ("%m%i%t", False),  # initials
        ("e.u.", False),  # dotted: an acronym
        # In capitals, a code: found where a record has it, refused elsewhere
        # (tests/test_stop_words_in_capitals.py).
        ("WHO", True),
        ("UN", True),
        # A capital letter first: a name; an acronym in any case.
        ("The", False),
        ("Le", False),
        ("EU", False),
        ("AI", False),
        ("IT", False),
        ("Est", False),
        ("Ma", False),
        ("He", False),
        ("AT&T", False),
        ("Don", False),
        ("Will", False),
        ("Most", False),
        ("Can", False),
        # An accent the stop word lacks: a name.
        ("Lê", False),
        ("lê", False),
        # Acronyms whatever their case, and words of their own.
        ("ai", False),
        ("eu", False),
        ("it", False),
        ("ours", False),
        ("the lab", False),
        ("laboratoire de la mer", False),
        ("", False),
        ("--", False),
    ],
)
def test_stop_words_alone_are_told_apart(text, common):
    assert common_words_only(text) is common


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("à Nairobi", ["nairobi"]),
        ("in Tokyo", ["tokyo"]),
        ("the university of Tokyo", ["university", "tokyo"]),
        ("The University of Tokyo", ["university", "tokyo"]),
        ("universités à Kyoto", ["universites", "kyoto"]),
        ("que fait le CNRS au Japon", ["cnrs", "japon"]),
        ("What does the CNRS do in Japan", ["cnrs", "japan"]),
        # Acronyms are searched: in capitals, or of ``ACRONYM_STOP_WORDS``.
        ("EU projects", ["eu", "projects"]),
        ("the WHO", ["who"]),
        ("ai research", ["ai", "research"]),
        # Letters joined by an ampersand are one word, a name.
        ("AT&T", ["at&t"]),
        ("Lê Van", ["le", "van"]),
        # Stop words alone are what is searched.
        ("The", ["the"]),
        ("of the", ["of", "the"]),
    ],
)
def test_stop_words_beside_others_are_not_required(text, words):
    assert searched_words(text) == words


@pytest.fixture
def records():
    OfficeFactory(
        name_en="CNRS Brussels Office, branch at the European Union",
        name_fr="Bureau du CNRS à Bruxelles, antenne auprès de l’Union européenne",
    )
    PartnerFactory(name_en="The University of Tokyo", name_fr="Université de Tokyo")
    UnitFactory(name_en="Laboratory of the sea", name_fr="Laboratoire de la mer")
    GrantFactory(title_en="The origins of life", title_fr="Les origines de la vie")
    ProjectFactory(
        title_en="The ocean and the climate", title_fr="L’océan et le climat"
    )


@pytest.mark.parametrize(
    ("language", "text", "message"),
    [
        (
            "en",
            "the",
            "“the” is too common a word to search by: add a more specific word.",
        ),
        (
            "en",
            "of the",
            "“of the” are too common words to search by: add a more specific word.",
        ),
        (
            "fr",
            "de la",
            "«\u00a0de la\u00a0» sont des mots trop courants pour une recherche\u00a0: "
            "ajoutez un mot plus précis.",
        ),
        (
            "fr",
            "le",
            "«\u00a0le\u00a0» est un mot trop courant pour une recherche\u00a0: "
            "ajoutez un mot plus précis.",
        ),
        # Two words: an article elided is one.
        (
            "fr",
            "d'un",
            "«\u00a0d&#x27;un\u00a0» sont des mots trop courants pour une "
            "recherche\u00a0: ajoutez un mot plus précis.",
        ),
        # The quotes typed are not repeated inside the message's own.
        (
            "en",
            "«the»",
            "“the” is too common a word to search by: add a more specific word.",
        ),
        (
            "en",
            "“of the”",
            "“of the” are too common words to search by: add a more specific word.",
        ),
        (
            "fr",
            "« les »",
            "«\u00a0les\u00a0» est un mot trop courant pour une recherche\u00a0: "
            "ajoutez un mot plus précis.",
        ),
    ],
)
def test_the_global_search_refuses_stop_words_alone(
    client, records, language, text, message
):
    response = client.get(f"/{language}/search/", {"q": text})
    assert response.status_code == 400
    html = response.content.decode()
    # Written once: under the field, which names it as its description.
    assert html.count(message) == 1
    assert re.search(r'<ul class="errorlist" id="id_q_error"><li>[^<]*</li></ul>', html)
    assert 'aria-describedby="id_q_helptext id_q_error"' in html
    # The alert sums it up, as the lists' does; not as the rule of a text too short.
    alert = re.search(r'<div class="form-errors" role="alert">(.*?)</div>', html)[1]
    assert "try again" in alert or "réessayez" in alert
    assert "2 letters" not in html and "2 lettres" not in html
    assert response.context["groups"] is None


@pytest.mark.parametrize("text", ["a", "a%"])
def test_a_text_too_short_is_told_once(client, text):
    # "Type between 2 and 200 characters, at least 2 of them letters or digits."
    # above "Type at least 2 letters or digits." said it twice.
    response = client.get("/en/search/", {"q": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("2 letters") == 1
    assert re.search(
        r'<ul class="errorlist" id="id_q_error"><li>Type at least 2 letters or '
        r"digits\.</li></ul>",
        html,
    )
    alert = re.search(r'<div class="form-errors" role="alert">(.*?)</div>', html)[1]
    assert "The search is not valid; correct it and try again." in alert


@pytest.mark.parametrize(
    "path", ["/en/partners/", "/en/units/", "/en/grants/", "/en/projects/"]
)
@pytest.mark.parametrize("text", ["the", "and", "de la", "aux", "les"])
def test_the_lists_refuse_stop_words_alone(client, records, path, text):
    response = client.get(path, {"q": text})
    assert response.status_code == 400
    assert "too common" in response.content.decode()


def test_the_lists_say_it_in_french(client, records):
    response = client.get("/fr/units/", {"q": "le"})
    assert response.status_code == 400
    assert "«\u00a0le\u00a0» est un mot trop courant" in response.content.decode()


def test_the_data_api_refuses_them_too(client, records):
    response = client.get("/api/partners/", {"q": "the", "lang": "en"})
    assert response.status_code == 400
    assert "too common" in response.content.decode()


def test_stop_words_alone_find_nothing_in_the_search_itself(records):
    # Nor near misses: "the" is close to "thea" and "theory".
    for text in ("the", "of the", "de la", "and"):
        groups = global_search(text)
        assert not any(group.total for group in groups), text
        records_, near_misses = Partner.objects.public().search_or_near_misses(text)
        assert not records_.exists() and not near_misses


@pytest.fixture
def named():
    """Records whose names, acronyms or people a word of the stop lists names."""
    return {
        "brussels": OfficeFactory(
            name_en="CNRS Brussels Office, branch at the European Union",
            name_fr="Bureau du CNRS à Bruxelles, antenne auprès de l’Union européenne",
            city_en="Brussels",
            city_fr="Bruxelles",
            country="BE",
        ),
        "aist": PartnerFactory(
            name_en="National Institute of Advanced Industrial Science and Technology",
            name_fr="Institut national des sciences et technologies industrielles",
            acronym="AIST",
            city_en="Tsukuba",
            city_fr="Tsukuba",
        ),
        "paris_est": PartnerFactory(
            name_en="Paris-Est University",
            name_fr="Université Paris-Est",
            acronym="UPE",
            country="FR",
            city_en="Paris",
            city_fr="Paris",
        ),
        "le": GrantFactory(
            acronym="MEKONG",
            title_en="Rivers of Asia",
            title_fr="Fleuves d’Asie",
            laureate=PersonFactory(first_name="Thanh", last_name="Lê"),
        ),
        "ma": GrantFactory(
            acronym="SILK",
            title_en="Silk roads",
            title_fr="Routes de la soie",
            laureate=PersonFactory(first_name="Ying", last_name="Ma"),
        ),
        "ours": ProjectFactory(
            acronym="POLAR",
            title_fr="L’ours polaire et la banquise",
            title_en="The polar bear and the sea ice",
        ),
    }


@pytest.mark.parametrize(
    ("text", "key", "found"),
    [
        # Before any stop word was refused, as now: the words start words of
        # the names.
        ("EU", "offices", "brussels"),
        ("AI", "partners", "aist"),
        ("ai", "partners", "aist"),
        ("Est", "partners", "paris_est"),
        ("Lê", "grants", "le"),
        ("Ma", "grants", "ma"),
        ("ours", "projects", "ours"),
    ],
)
def test_names_and_acronyms_among_stop_words_are_searched(
    client, named, text, key, found
):
    response = client.get("/fr/search/", {"q": text})
    assert response.status_code == 200
    assert named[found] in by_key(response.context["groups"])[key].records


def test_a_name_typed_with_a_capital_is_searched_on_the_lists(client, named):
    response = client.get("/en/partners/", {"q": "Est"})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [named["paris_est"]]
    response = client.get("/en/grants/", {"q": "Lê"})
    assert response.status_code == 200
    assert named["le"] in response.context["object_list"]
    assert client.get("/api/partners/", {"q": "AI"}).status_code == 200


@pytest.fixture
def coded():
    return {
        "who": PartnerFactory(
            name_en="World Health Organization",
            name_fr="Organisation mondiale de la santé",
            acronym="WHO",
            country="CH",
            city_en="Geneva",
            city_fr="Genève",
        ),
        # Holds "who" at the start of a word.
        "whole": PartnerFactory(
            name_en="Whole Earth Institute", name_fr="", acronym="WEI", country="US"
        ),
        "eu": PartnerFactory(
            name_en="European Union",
            name_fr="Union européenne",
            acronym="EU",
            country="BE",
            city_en="Brussels",
            city_fr="Bruxelles",
        ),
        "un": PartnerFactory(
            name_en="United Nations",
            name_fr="Organisation des Nations unies",
            acronym="UN",
            country="US",
            city_en="New York",
            city_fr="New York",
        ),
    }


def test_a_stop_word_that_is_a_code_is_found_by_it(client, coded):
    # Typed as a stop word, in lower case: the record whose code it is, alone.
    response = client.get("/en/partners/", {"q": "who"})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [coded["who"]]
    # In capitals, a code: the same record alone, not those holding "who"
    # (tests/test_stop_words_in_capitals.py).
    response = client.get("/en/search/", {"q": "WHO"})
    assert response.status_code == 200
    assert by_key(response.context["groups"])["partners"].records == [coded["who"]]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("the WHO", "who"),
        ("W.H.O.", "who"),
        ("W H O", "who"),
        ("the who", "who"),
        ("w.h.o.", "who"),
        ("E.U.", "eu"),
        ("E U", "eu"),
        ("the EU", "eu"),
        ("l'EU", "eu"),
        ("l’eu", "eu"),
        ("U.N.", "un"),
        ("the UN", "un"),
        ("the un", "un"),
        ("un", "un"),
    ],
)
def test_a_code_is_found_as_people_write_it(client, coded, text, key):
    response = client.get("/en/search/", {"q": text})
    assert response.status_code == 200
    assert by_key(response.context["groups"])["partners"].records[0] == coded[key]
    response = client.get("/en/partners/", {"q": text})
    assert response.status_code == 200
    assert response.context["object_list"][0] == coded[key]


@pytest.mark.parametrize("path", ["/en/units/", "/en/grants/", "/api/projects/"])
def test_the_lists_search_a_code_of_any_record_as_the_global_search(
    client, coded, records, path
):
    # "un" is a partner's code: the global search finds it, the other lists
    # search it too (none of their records has it), instead of refusing it.
    assert by_key(global_search("un"))["partners"].total == 1
    for text in ("un", "the un", "UN", "who"):
        assert client.get(path, {"q": text}).status_code == 200, text
    # Stop words no record has for a code are refused there too.
    assert client.get(path, {"q": "the"}).status_code == 400


def test_stop_words_mixed_with_other_words_are_searched(client, records):
    response = client.get("/en/search/", {"q": "the Brussels office"})
    assert response.status_code == 200
    assert by_key(response.context["groups"])["offices"].total == 1
    response = client.get("/fr/units/", {"q": "laboratoire de la mer"})
    assert response.status_code == 200
    assert response.context["result_count"] == 1
    response = client.get("/en/partners/", {"q": "the university of tokyo"})
    assert response.status_code == 200
    assert response.context["result_count"] == 1


@pytest.fixture
def cities():
    nairobi = [
        PartnerFactory(
            name_fr="Université de Nairobi",
            name_en="University of Nairobi",
            country="KE",
            city_fr="Nairobi",
            city_en="Nairobi",
        ),
        PartnerFactory(
            name_fr="Kenya Medical Research Institute",
            name_en="Kenya Medical Research Institute",
            country="KE",
            city_fr="Nairobi",
            city_en="Nairobi",
        ),
        # Holds words starting with "a": "à Nairobi" found it alone.
        PartnerFactory(
            name_fr="Académie africaine des sciences",
            name_en="African Academy of Sciences",
            acronym="AAS",
            kind="research_organisation",
            country="KE",
            city_fr="Nairobi",
            city_en="Nairobi",
        ),
    ]
    tokyo = [
        PartnerFactory(
            name_fr="Université de Tokyo",
            name_en="University of Tokyo",
            acronym="UTokyo",
            city_fr="Tokyo",
            city_en="Tokyo",
        ),
        PartnerFactory(
            name_fr="Institut de technologie de Tokyo",
            name_en="Tokyo Institute of Technology",
            acronym="Tokyo Tech",
            kind="research_organisation",
            city_fr="Tokyo",
            city_en="Tokyo",
        ),
        PartnerFactory(
            name_fr="Université Keio",
            name_en="Keio University",
            acronym="",
            city_fr="Tokyo",
            city_en="Tokyo",
        ),
        # Holds "the", "of" and "a": the words typed around "Tokyo" found it alone.
        PartnerFactory(
            name_fr="Université Aoyama Gakuin",
            name_en="The Aoyama Gakuin University of Tokyo",
            acronym="AGU",
            city_fr="Tokyo",
            city_en="Tokyo",
        ),
    ]
    tsukuba = UnitFactory(
        name_fr="Laboratoire franco-japonais de matériaux",
        name_en="Franco-Japanese materials laboratory",
        acronym="NIMS-LAB",
        city_fr="Tsukuba",
        city_en="Tsukuba",
    )
    return {"nairobi": nairobi, "tokyo": tokyo, "tsukuba": tsukuba}


def listed(client, path, text):
    response = client.get(path, {"q": text})
    assert response.status_code == 200, text
    return list(response.context["object_list"])


@pytest.mark.parametrize(
    ("path", "text", "without"),
    [
        ("/fr/partners/", "à Nairobi", "Nairobi"),
        ("/fr/partners/", "à Tokyo", "Tokyo"),
        ("/en/partners/", "in Tokyo", "Tokyo"),
        ("/fr/partners/", "universités à Tokyo", "universités Tokyo"),
        ("/en/partners/", "the university of Tokyo", "university Tokyo"),
        ("/en/partners/", "university of Tokyo", "university Tokyo"),
        ("/fr/units/", "à Tsukuba", "Tsukuba"),
        ("/api/partners/", "à Nairobi", "Nairobi"),
    ],
)
def test_stop_words_beside_a_word_do_not_narrow_the_results(
    client, cities, path, text, without
):
    if path.startswith("/api/"):
        count = client.get(path, {"q": text}).json()["count"]
        assert count == client.get(path, {"q": without}).json()["count"] == 3
        return
    found = listed(client, path, text)
    assert found
    assert sorted(found, key=str) == sorted(listed(client, path, without), key=str)


def test_the_names_starting_with_the_words_after_the_stop_words_come_first(
    client, cities
):
    tokyo = cities["tokyo"]
    assert listed(client, "/en/partners/", "the university of Tokyo")[0] == tokyo[0]
    assert listed(client, "/en/partners/", "in Tokyo")[0] == tokyo[1]
    groups = by_key(global_search("à Tsukuba"))
    assert groups["units"].records == [cities["tsukuba"]]


def test_an_acronym_among_the_words_is_still_required(client, cities):
    eu = PartnerFactory(
        name_en="European Union research office",
        name_fr="Bureau de recherche de l’Union européenne",
        acronym="EU",
        city_en="Tokyo",
    )
    assert listed(client, "/en/partners/", "EU Tokyo") == [eu]
    assert listed(client, "/en/partners/", "eu Tokyo") == [eu]


def test_a_question_finds_what_its_words_name(client):
    unit = UnitFactory(
        name_fr="Laboratoire franco-japonais d’informatique",
        name_en="Japanese-French Laboratory for Informatics",
        acronym="JFLI",
        description_fr="Un laboratoire du CNRS et de ses partenaires au Japon.",
        description_en="A laboratory of the CNRS and its partners in Japan.",
    )
    french = by_key(global_search("que fait le CNRS au Japon"))
    english = by_key(global_search("What does the CNRS do in Japan"))
    assert french["units"].records == english["units"].records == [unit]


def test_the_admin_still_searches_them(records):
    # Staff look for what records hold (``staff_search``).
    found, near_misses = Office.objects.staff_search("the")
    assert found.count() == 1 and not near_misses


@pytest.mark.postgresql
@pytest.mark.parametrize(
    ("model", "index"),
    [(Partner, "partner_search_trgm"), (Project, "project_search_french")],
)
def test_stop_words_beside_a_word_add_no_condition_to_the_indexed_search(model, index):
    # Required, "à" was a pattern each match was tested against ("a" starting
    # a word), and PostgreSQL's full-text query held "fait".
    fields = model.objects.none()
    condition = text_search(
        "que fait le CNRS à Tokyo", fields.text_fields, fields.document_fields
    )
    alone = text_search("CNRS Tokyo", fields.text_fields, fields.document_fields)
    records = model.objects.filter(condition).order_by()
    sql, params = records.query.sql_with_params()
    expected = model.objects.filter(alone).order_by().query.sql_with_params()
    assert (sql, params) == expected
    assert "(^|[^a-z0-9])a'" not in sql and "fait" not in str(params), (sql, params)
    assert index in plan(records)


@pytest.mark.postgresql
def test_the_names_after_the_stop_words_are_ranked_among_the_matches_found(cities):
    # The rank of the names starting with "university of tokyo" is computed for
    # the matches the trigram index found, then sorted (as every rank).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE partners_partner")
    records = Partner.objects.matching("the university of tokyo")
    result = plan(
        records.best_matches_first("the university of tokyo")[:20], ordered=True
    )
    assert "Sort" in result.split("\n")[1], result
    assert "partner_search_trgm" in result, result
