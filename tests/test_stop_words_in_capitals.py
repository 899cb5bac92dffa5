"""A stop word typed in capitals ("DE", "THE", "WHO"), alone or with other stop
words, is a code: it finds the records that have it for their code or start their
code with it ("WHO", "UN-Habitat"), not the stop word inside their texts, and is
refused as the stop word typed in lower case when no record has it for one
(``common_words_only`` in partners/search.py, ``coded`` in partners/searchable.py,
``searchable_words`` in partners/filters.py): on every list, the data API, the
global search and the partners' autocomplete alike. A word with a capital first
("Est", "Ma") or an accent ("Lê") stays a name, searched as any word, and so do
the stop words that are acronyms in any case ("EU", "AI", "IT")."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cnrs_intl.search import global_search
from partners.models import Partner
from partners.search import common_words_only
from partners.searchable import compares_by_code_point
from tests.factories import (
    GrantFactory,
    OfficeFactory,
    PartnerFactory,
    ProjectFactory,
    UnitFactory,
)
from tests.plans import plan
from tests.search_groups import by_key

pytestmark = pytest.mark.django_db

LISTS = ["/fr/partners/", "/fr/units/", "/fr/grants/", "/fr/projects/"]
API = ["/api/partners/", "/api/units/", "/api/grants/", "/api/projects/"]


@pytest.fixture
def texts():
    """Records whose texts hold "de", "des", "la", "the", "of", "who"."""
    return {
        "tokyo": PartnerFactory(
            name_fr="Université de Tokyo",
            name_en="The University of Tokyo",
            acronym="UTOKYO",
        ),
        "desy": PartnerFactory(
            name_fr="Synchrotron allemand", name_en="German synchrotron", acronym="DESY"
        ),
        "unit": UnitFactory(
            name_fr="Laboratoire de la mer", name_en="Laboratory of the sea"
        ),
        "grant": GrantFactory(
            title_fr="Les origines de la vie",
            title_en="The origins of life, who we are",
        ),
        "project": ProjectFactory(
            title_fr="L’océan et le climat des îles",
            title_en="The ocean and the climate",
        ),
        "office": OfficeFactory(
            name_fr="Bureau du CNRS à Bruxelles, antenne auprès de l’Union européenne",
            name_en="CNRS Brussels Office, branch at the European Union",
        ),
    }


@pytest.fixture
def coded():
    return {
        "who": PartnerFactory(
            name_en="World Health Organization",
            name_fr="Organisation mondiale de la santé",
            acronym="WHO",
        ),
        "whole": PartnerFactory(
            name_en="Whole Earth Institute", name_fr="", acronym="WEI"
        ),
        "un": PartnerFactory(
            name_en="United Nations", name_fr="Nations unies", acronym="UN"
        ),
        "habitat": PartnerFactory(
            name_en="United Nations Human Settlements Programme",
            name_fr="Programme des Nations unies pour les établissements humains",
            acronym="UN-Habitat",
        ),
        "unesco": PartnerFactory(
            name_en="United Nations Educational, Scientific and Cultural Organization",
            name_fr="Organisation des Nations unies pour l’éducation, la science et "
            "la culture",
            acronym="UNESCO",
        ),
        # A grant whose acronym is a French stop word in capitals.
        "des": GrantFactory(
            acronym="DES", title_en="Dark energy survey", title_fr="Énergie noire"
        ),
    }


@pytest.mark.parametrize(
    ("text", "common"),
    [
        ("DE", True),
        ("THE", True),
        ("OF", True),
        ("LA", True),
        ("DE LA", True),
        ("WHO", True),
        ("UN", True),
        ("the WHO", True),
        # Names: a capital first, an accent the stop word lacks.
        ("De", False),
        ("Est", False),
        ("Ma", False),
        ("LÊ", False),
        ("DÉ", False),
        # Acronyms in any case, words of their own, initials joined by a mark.
        ("EU", False),
        ("AI", False),
        ("IT", False),
        ("OR", False),
        ("AT&T", False),
        ("DE GAULLE", False),
    ],
)
def test_stop_words_in_capitals_are_stop_words_alone(text, common):
    assert common_words_only(text) is common


@pytest.mark.parametrize("text", ["DE", "THE", "OF", "LA", "DE LA", "DES"])
@pytest.mark.parametrize("path", ["/fr/search/", *LISTS])
def test_a_stop_word_in_capitals_no_record_has_for_a_code_is_refused(
    client, texts, path, text
):
    lower = client.get(path, {"q": text.lower()})
    response = client.get(path, {"q": text})
    assert lower.status_code == 400
    message = response.content.decode()
    assert f"«\u00a0{text}\u00a0»" in message
    if path == "/fr/search/" and text in ("DE", "LA"):
        # Germany's and Laos's codes too, where nothing is published: the global
        # search says so (tests/cnrs_intl/test_search.py), not "too common".
        assert response.status_code == 200
        assert "est le code du pays" in message
        assert "trop courant" not in message
        return
    assert response.status_code == 400
    assert "trop courant" in message


@pytest.mark.parametrize("path", API)
def test_the_api_refuses_them_as_the_lists(client, texts, path):
    for text in ("DE", "the", "OF"):
        response = client.get(path, {"q": text})
        assert response.status_code == 400, (path, text)
        assert text in str(response.json()), response.json()


def test_a_stop_word_in_capitals_finds_the_records_coded_so_alone(client, texts, coded):
    groups = by_key(global_search("WHO"))
    # Not "Whole Earth Institute", nor the grant whose title says "who".
    assert groups["partners"].records == [coded["who"]]
    assert "grants" not in groups or not groups["grants"].total
    response = client.get("/en/partners/", {"q": "WHO"})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [coded["who"]]
    # Another list searches it as the global search does: none of its
    # records has it for a code, none holding "who" is listed.
    response = client.get("/en/grants/", {"q": "WHO"})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []
    assert "near_misses_of" not in response.context
    answered = client.get("/api/partners/", {"q": "WHO"}).json()
    assert [partner["acronym"] for partner in answered["results"]] == ["WHO"]


def test_a_code_starting_with_it_is_found_too(client, texts, coded):
    # "UN-Habitat" starts with the code "UN"; "UNESCO" and "United Nations"
    # hold "un" as letters or a word's start only.
    response = client.get("/en/partners/", {"q": "UN"})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [coded["un"], coded["habitat"]]
    groups = by_key(global_search("UN"))
    assert groups["partners"].records == [coded["un"], coded["habitat"]]
    # The same in lower case, a stop word typed as such.
    assert by_key(global_search("un"))["partners"].records == [
        coded["un"],
        coded["habitat"],
    ]


def test_a_grant_coded_by_a_stop_word_is_found_by_it(client, texts, coded):
    response = client.get("/fr/grants/", {"q": "DES"})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [coded["des"]]
    groups = by_key(global_search("DES"))
    assert groups["grants"].records == [coded["des"]]
    # Not the project whose title says "des", nor any partner.
    assert "projects" not in groups or not groups["projects"].total
    assert "partners" not in groups or not groups["partners"].total
    answered = client.get("/api/grants/", {"q": "DES"}).json()
    assert [grant["acronym"] for grant in answered["results"]] == ["DES"]
    # The projects list searches it too, and finds no project coded so.
    response = client.get("/fr/projects/", {"q": "DES"})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []


def test_the_autocomplete_suggests_no_name_merely_holding_them(client, texts, coded):
    delft = PartnerFactory(name_fr="Delft University of Technology", name_en="")
    for text in ("DE", "de"):
        answered = client.get("/fr/partners/names.json", {"q": text}).json()
        # A name starting so, as it is typed; not "Université de Tokyo".
        assert [row["name"] for row in answered["results"]] == [delft.name_fr], text
        assert not answered["close"]
    answered = client.get("/fr/partners/names.json", {"q": "WHO"}).json()
    names = [row["name"] for row in answered["results"]]
    assert names[0] == "Whole Earth Institute"  # a name starting so
    assert coded["who"].name_fr in names
    assert texts["tokyo"].name_fr not in names


@pytest.mark.parametrize(
    ("text", "key", "found"),
    [
        ("Est", "partners", "est"),
        ("EU", "offices", "office"),
        ("AI", "partners", "aist"),
    ],
)
def test_names_and_acronyms_of_any_case_are_searched_as_before(
    client, texts, text, key, found
):
    named = {
        "est": PartnerFactory(name_fr="Université Paris-Est", name_en=""),
        "aist": PartnerFactory(
            name_en="National Institute of Advanced Industrial Science",
            name_fr="",
            acronym="AIST",
        ),
        "office": texts["office"],
    }
    response = client.get("/fr/search/", {"q": text})
    assert response.status_code == 200
    assert named[found] in by_key(response.context["groups"])[key].records


def test_a_code_in_capitals_costs_the_queries_of_one_in_lower_case(
    client, texts, coded
):
    counts = {}
    for text in ("who", "WHO"):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/fr/search/", {"q": text}).status_code == 200
        counts[text] = len(queries)
    assert counts["WHO"] == counts["who"]


@pytest.mark.postgresql
def test_the_codes_starting_so_are_read_from_the_acronyms_index(coded):
    if connection.vendor != "postgresql" or not compares_by_code_point("default"):
        pytest.skip("the plan is PostgreSQL's, under code point order")
    # A LIKE is read from no index under the "C.UTF-8" collation: one in an OR
    # with the codes typed whole read every partner.
    result = plan(Partner.objects.all().coded("UN").order_by())
    assert "partner_acronym_upper" in result, result
    assert "Seq Scan" not in result, result
