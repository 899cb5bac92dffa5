"""The JSON autocomplete of partner names (partners/api.py)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from partners.filters import TEXT_MAX_LENGTH
from partners.models import Partner
from partners.publication import PublicationStatus
from partners.search import read_within
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def url(language="fr"):
    with translation.override(language):
        return reverse("partners:autocomplete")


def suggest(client, text, language="fr"):
    response = client.get(url(language), {"q": text})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


@pytest.fixture
def sao_paulo():
    return PartnerFactory(
        name_fr="Université de São Paulo",
        name_en="University of São Paulo",
        original_name="Universidade de São Paulo",
        acronym="USP",
        slug="usp",
        country="BR",
        city_fr="São Paulo",
        city_en="São Paulo",
    )


def test_autocomplete_is_under_the_language_prefix():
    assert url("fr") == "/fr/partners/names.json"
    assert url("en") == "/en/partners/names.json"


@pytest.mark.parametrize(
    "language, name, country, address",
    [
        ("fr", "Université de São Paulo", "Brésil", "/fr/partners/usp/"),
        ("en", "University of São Paulo", "Brazil", "/en/partners/usp/"),
    ],
)
def test_suggestions_are_in_the_active_language(
    client, sao_paulo, language, name, country, address
):
    data = suggest(client, "usp", language)

    assert data == {
        "query": "usp",
        "results": [
            {
                "name": name,
                "name_marks": [],  # "usp" is the acronym's
                "lang": language,
                "acronym": "USP",
                "city": "São Paulo",
                "country": country,
                "country_code": "BR",
                "url": address,
            }
        ],
        "close": False,
    }


def test_the_words_typed_are_marked_in_javascripts_positions(client):
    PartnerFactory(name_fr="𝔸 Universidade de São Paulo", name_en="")
    (result,) = suggest(client, "sao paulo")["results"]
    # "𝔸" is one character in Python, two UTF-16 units in JavaScript.
    assert result["name_marks"] == [[19, 22], [23, 28]]
    name = result["name"].encode("utf-16-le")
    assert [
        name[start * 2 : end * 2].decode("utf-16-le")
        for start, end in result["name_marks"]
    ] == ["São", "Paulo"]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_either_language_name_finds_the_partner(client, sao_paulo, language):
    for text in ("Université de São", "University of São"):
        results = suggest(client, text, language)["results"]
        assert [result["url"] for result in results] == [f"/{language}/partners/usp/"]


def test_accents_and_case_are_ignored(client, sao_paulo):
    # "Sao Paulo" is also the city: "universidade" makes it the original name.
    results = suggest(client, "universidade de sao PAULO")["results"]

    assert [result["name"] for result in results] == ["Université de São Paulo"]


def test_a_name_missing_in_english_falls_back_to_french_and_says_so(client):
    PartnerFactory(name_fr="Institut Pasteur de Montevideo", name_en="", slug="ipmont")

    (result,) = suggest(client, "pasteur", "en")["results"]

    assert result["name"] == "Institut Pasteur de Montevideo"
    assert result["lang"] == "fr"


def test_drafts_are_never_suggested(client, sao_paulo):
    PartnerFactory(
        name_fr="Université d’État de São Paulo",
        slug="unesp",
        publication_status=PublicationStatus.DRAFT,
    )

    results = suggest(client, "sao paulo")["results"]

    assert [result["url"] for result in results] == ["/fr/partners/usp/"]


def test_at_most_ten_suggestions_sorted_by_name(client):
    for number in range(12):
        PartnerFactory(name_fr=f"Université de Kyoto {number:02}", country="JP")

    results = suggest(client, "kyoto")["results"]

    assert [result["name"] for result in results] == [
        f"Université de Kyoto {number:02}" for number in range(10)
    ]


@pytest.mark.parametrize("text", ["", " ", "u", "  s  ", "u.", "s'", "(u)", "<b>"])
def test_fewer_than_two_letters_or_digits_suggest_nothing(
    client, sao_paulo, text, django_assert_num_queries
):
    with django_assert_num_queries(0):
        data = suggest(client, text)

    assert data == {"query": text.strip(), "results": [], "close": False}


def test_two_characters_are_enough(client, sao_paulo):
    assert len(suggest(client, "us")["results"]) == 1


def test_text_as_long_as_the_list_takes_is_searched(client, sao_paulo):
    # 101 to 200 characters, which the partners list searches, were refused.
    assert suggest(client, "x" * TEXT_MAX_LENGTH)["results"] == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_text_longer_than_the_list_takes_is_refused(client, language):
    response = client.get(url(language), {"q": "x" * (TEXT_MAX_LENGTH + 1)})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert str(TEXT_MAX_LENGTH) in error


def test_missing_q_is_refused_with_a_message(client):
    response = client.get(url(), {"country": "BR"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "q" in response.json()["error"]


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_only_get_and_head_are_allowed(client, sao_paulo, method):
    response = getattr(client, method)(url() + "?q=usp")

    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD"}


def test_head_is_allowed(client, sao_paulo):
    assert client.head(url(), {"q": "usp"}).status_code == 200


def test_answer_may_be_cached_by_anyone_and_sets_no_cookie(client, sao_paulo):
    response = client.get(url(), {"q": "usp"})

    assert "Set-Cookie" not in response.headers
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert directives == {"public", "max-age=60"}


def test_query_count_does_not_grow_with_the_partners(client):
    # From an empty cache each time: search() counts the matches once per
    # content version, and a second search would find the count cached.
    def queries_for(text):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            data = suggest(client, text)
        return len(queries), len(data["results"])

    PartnerFactory.create_batch(3, name_fr="Université de Nagoya", country="JP")
    few = queries_for("nagoya")
    PartnerFactory.create_batch(27, name_fr="Université de Nagoya", country="JP")
    many = queries_for("nagoya univ")

    # The names starting with the text (one query), then the matches read along the
    # name index (one query, and on PostgreSQL the savepoint and time limit around
    # it), and nothing per suggestion: names, country names and addresses come
    # from the same rows.
    assert few == (many[0], 3)
    assert many[1] == 10
    assert many[0] == (6 if connection.vendor == "postgresql" else 2)
    # Ten names starting with the text: nothing else is read.
    assert queries_for("universite de nag") == (1, 10)


def test_names_starting_with_the_text_come_first_then_the_others_by_name(client):
    inside = PartnerFactory(name_fr="Académie des sciences de Kyoto", city_fr="")
    later = PartnerFactory(name_fr="Kyoto Sangyo", city_fr="")
    first = PartnerFactory(name_fr="Kyōto daigaku", city_fr="")
    results = suggest(client, "kyoto")["results"]
    assert [result["name"] for result in results] == [
        first.name_fr,
        later.name_fr,
        inside.name_fr,
    ]


def test_a_mistyped_word_suggests_the_names_starting_with_its_correction(client):
    usp = PartnerFactory(
        name_fr="Université de São Paulo", name_en="University of São Paulo"
    )
    PartnerFactory(name_fr="Institut universitaire de France", name_en="")
    # No name holds "univresity"; corrected, it begins the English name only.
    results = suggest(client, "univresity")["results"]
    assert [result["name"] for result in results][0] == usp.name_fr
    assert [
        result["name"] for result in suggest(client, "Universte de Sao")["results"]
    ] == [usp.name_fr]


def test_a_mistyped_word_suggests_after_the_names_starting_so_those_holding_it(
    client,
):
    # The partners list finds the four; the suggestions left the last out.
    for name in (
        "Université de Pennsylvanie",
        "Université de Tel-Aviv",
        "Aix-Marseille Université",
    ):
        PartnerFactory(name_fr=name, name_en="", city_fr="", city_en="")

    results = [result["name"] for result in suggest(client, "universty")["results"]]

    assert results == [
        "Université de Pennsylvanie",
        "Université de Tel-Aviv",
        "Aix-Marseille Université",
    ]


@pytest.mark.parametrize("along_names", [True, False])
def test_a_mistyped_word_inside_names_suggests_the_names_holding_its_corrections(
    client, monkeypatch, along_names
):
    """Its likeliest correction's names first, by name, then the next one's."""
    for name in ("Zeta Polytechnic", "Institut de technologie", "Kyoto Sangyo"):
        PartnerFactory(name_fr=name, name_en="", city_fr="", city_en="")
    if not along_names:  # given up: sorted once found
        monkeypatch.setattr("partners.models.read_within", lambda queryset, ms: None)
    results = [result["name"] for result in suggest(client, "technolgie")["results"]]
    assert results[0] == "Institut de technologie"  # "technologie", the closest
    assert "Kyoto Sangyo" not in results  # it holds no correction


def test_a_text_inside_names_is_suggested_alike_along_the_names_or_counted(
    client, monkeypatch
):
    """Read along the name index first; given up (too slow), counted and sorted."""
    for name in ("Polytechnique de Turin", "Institut de technologie", "Zeta Tech"):
        PartnerFactory(name_fr=name, city_fr="")
    along_names = [result["name"] for result in suggest(client, "tech")["results"]]
    cache.clear()
    monkeypatch.setattr("partners.models.read_within", lambda queryset, ms: None)
    counted = [result["name"] for result in suggest(client, "tech")["results"]]
    assert (
        along_names
        == counted
        == [
            "Institut de technologie",
            "Polytechnique de Turin",
            "Zeta Tech",
        ]
    )


@pytest.mark.postgresql
def test_a_read_over_its_time_is_given_up_and_leaves_the_transaction_usable():
    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's")
    PartnerFactory(name_fr="Université de Tartu")
    slow = Partner.objects.annotate(waited=RawSQL("pg_sleep(0.3)", []))
    assert read_within(slow, 50) is None
    assert read_within(Partner.objects.all(), 50) is not None
    with connection.cursor() as cursor:  # the test's own transaction, unharmed
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
    assert Partner.objects.count() == 1


def test_what_the_words_name_is_suggested_when_no_name_holds_them(client):
    # "universités au Japon": the universities in Japan (``found``), though no
    # name holds "universités" nor "Japon".
    nagoya = PartnerFactory(
        name_fr="Université de Nagoya", country="JP", kind="university"
    )
    PartnerFactory(name_fr="Université de Lyon", country="FR", kind="university")
    PartnerFactory(name_fr="Toyota", country="JP", kind="company")

    data = suggest(client, "universités au Japon")

    assert [result["url"] for result in data["results"]] == [nagoya.get_absolute_url()]
    assert data["close"] is False


@pytest.mark.parametrize("text", ["univresity of sao paulo", "universités de tokyo"])
def test_close_names_are_said_to_be_close(client, sao_paulo, text):
    # No name holds every word: the names suggested are close ones, and the
    # field says so (static/js/autocomplete.js), never as if they held them.
    PartnerFactory(
        name_fr="Université de Lyon",
        country="FR",
        city_fr="Lyon",
        city_en="Lyon",
        kind="university",
    )

    data = suggest(client, text)

    assert data["results"]
    assert data["close"] is True


def test_names_holding_the_words_are_not_close(client, sao_paulo):
    assert suggest(client, "paulo")["close"] is False
    assert suggest(client, "xqzjvw") == {
        "query": "xqzjvw",
        "results": [],
        "close": False,
    }


@pytest.mark.parametrize(
    ("language", "country"), [("fr", "Singapour"), ("en", "Singapore")]
)
def test_a_city_states_suggestion_names_it_once(client, language, country):
    PartnerFactory(
        name_fr="Université nationale de Singapour",
        name_en="National University of Singapore",
        acronym="NUS",
        city_fr="Singapour",
        city_en="Singapore",
        country="SG",
    )

    [result] = suggest(client, "nus", language)["results"]

    # The page shows "city, country": "Singapore, Singapore" said it twice.
    assert (result["city"], result["country"]) == ("", country)
