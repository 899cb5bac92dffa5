"""A search of three words or more that nothing holds, not even nearly, and no
word of which looks misspelt, shows the records holding all its words but one
(``most_words``), on the pages' lists and the global search, on both databases;
the data API gives an empty list, as before."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

import partners.searchable
from cnrs_intl.search import global_search
from partners.caching import new_version
from partners.models import Partner
from partners.search import most_words_meant, most_words_search
from programmes.models import Grant, Project
from tests.factories import GrantFactory, PartnerFactory
from tests.plans import plan
from tests.search_groups import by_key
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uncached(uncached):
    """Each request builds its page: an identical one has no context."""


@pytest.fixture
def technical_universities():
    return {
        "munich": PartnerFactory(
            name_fr="Université technique de Munich",
            name_en="Technical University of Munich",
            original_name="Technische Universität München",
            acronym="TUM",
            city_fr="Munich",
            city_en="Munich",
            country="DE",
        ),
        "berlin": PartnerFactory(
            name_fr="Université technique de Berlin",
            name_en="Technical University of Berlin",
            original_name="Technische Universität Berlin",
            acronym="TUB",
            city_fr="Berlin",
            city_en="Berlin",
            country="DE",
        ),
        # Garching, a word of a partner's texts: no typo.
        "garching": PartnerFactory(
            name_fr="Institut Max Planck de physique des plasmas",
            name_en="Max Planck Institute for Plasma Physics",
            original_name="Max-Planck-Institut für Plasmaphysik",
            acronym="IPP",
            city_fr="Garching",
            city_en="Garching",
            country="DE",
        ),
    }


def listed(client, text, language="en", **filters):
    response = client.get(f"/{language}/partners/", {"q": text, **filters})
    assert response.status_code == 200
    return response


def text_of(response) -> str:
    return " ".join(response.content.decode().split())


# --- The partners list ----------------------------------------------------------------


def test_the_records_holding_all_words_but_one_are_listed(
    client, technical_universities
):
    response = listed(client, "Technical University of Munich Garching")
    assert list(response.context["object_list"]) == [technical_universities["munich"]]
    assert (
        response.context["most_words_of"] == "Technical University of Munich Garching"
    )
    assert response.context["words_left_out"] == ["Garching"]
    assert "near_misses_of" not in response.context
    assert (
        "No result holds every word of “Technical University of Munich Garching”. "
        "Results holding all of them but “Garching”:"
    ) in text_of(response)
    # Not exact results: the status and the title say so, as of near misses.
    assert "No exact match; 1 close match" in text_of(response)
    # The words held are marked; no spreadsheet, which the data API would leave
    # empty.
    assert "<mark>Technical</mark>" in response.content.decode()
    assert "spreadsheet_url" not in response.context


def test_each_record_may_lack_another_word(client, technical_universities):
    response = listed(client, "technical university munich berlin")
    assert set(response.context["object_list"]) == {
        technical_universities["munich"],
        technical_universities["berlin"],
    }
    assert response.context["words_left_out"] == ["munich", "berlin"]
    assert ("Results holding all of them but one, “munich” or “berlin”:") in text_of(
        response
    )


def test_the_records_holding_more_words_come_first_then_the_best_matches(
    client, technical_universities
):
    # Both lack "Garching"; the one whose name starts with the other words first,
    # as the search of those words ranks them.
    PartnerFactory(
        name_fr="Centre de Munich de l'université technique",
        name_en="Munich Centre of the Technical University",
        original_name="",
        acronym="",
        city_fr="Munich",
        city_en="Munich",
        country="DE",
    )
    order = list(
        listed(client, "Technical University of Munich Garching").context["object_list"]
    )
    assert order[0] == technical_universities["munich"]
    assert len(order) == 2


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "No result holds every word of “Technical University of Munich "
            "Garching”. Results holding all of them but “Garching”:",
        ),
        (
            "fr",
            "Aucun résultat ne contient tous les mots de « Technical University of "
            "Munich Garching ». Résultats contenant tous ces mots sauf "
            "« Garching » :",
        ),
    ],
)
def test_the_message_is_in_the_pages_language(
    client, technical_universities, language, message
):
    response = listed(client, "Technical University of Munich Garching", language)
    assert message in text_of(response)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "No result holds every word of “plasma fusion tokamak laser”. "
            "Results holding all of them but one:",
        ),
        (
            "fr",
            "Aucun résultat ne contient tous les mots de « plasma fusion tokamak "
            "laser ». Résultats contenant tous ces mots sauf un :",
        ),
    ],
)
def test_words_left_out_by_many_are_not_named(client, language, message):
    for name in (
        "Plasma Fusion Tokamak",
        "Plasma Fusion Laser",
        "Fusion Tokamak Laser",
    ):
        PartnerFactory(name_en=f"{name} Centre", name_fr="")
    response = listed(client, "plasma fusion tokamak laser", language)
    assert response.context["result_count"] == 3
    assert response.context["words_left_out"] == []
    assert message in text_of(response)


def test_not_when_a_record_holds_every_word(client, technical_universities):
    response = listed(client, "Technical University of Munich")
    assert list(response.context["object_list"]) == [technical_universities["munich"]]
    assert "most_words_of" not in response.context
    assert "Results holding" not in text_of(response)


@pytest.mark.parametrize("text", ["Munich Berlin", "of Munich and Berlin"])
def test_not_for_one_or_two_words_searched(client, technical_universities, text):
    # Stop words are not counted.
    response = listed(client, text)
    assert response.context["result_count"] == 0
    assert "most_words_of" not in response.context


def test_not_for_more_words_than_it_searches_at_most(client, technical_universities):
    text = "technical university munich berlin one two three four five"
    assert listed(client, text).context["result_count"] == 0


def test_near_misses_of_a_typo_come_first(client, technical_universities):
    # "Universty" is close to the partners' word: the near misses, holding a
    # correction of every word, are what was meant.
    response = listed(client, "Technical Universty of Munich")
    assert response.context["near_misses_of"] == "Technical Universty of Munich"
    assert "most_words_of" not in response.context
    assert technical_universities["munich"] in response.context["object_list"]


def test_within_the_other_filters(client, technical_universities):
    PartnerFactory(
        name_en="Technical University of Munich Berlin office",
        name_fr="",
        country="US",
        city_en="New York",
    )
    # In Germany, nothing holds every word: the records there holding most.
    response = listed(client, "technical university munich berlin", country="DE")
    assert set(response.context["object_list"]) == {
        technical_universities["munich"],
        technical_universities["berlin"],
    }
    assert response.context["result_count"] == 2
    assert response.context["most_words_of"]


def test_an_order_chosen_keeps_the_records(client, technical_universities):
    response = listed(client, "technical university munich berlin", ordering="city")
    assert list(response.context["object_list"]) == [
        technical_universities["berlin"],
        technical_universities["munich"],
    ]


def test_the_other_lists_show_them_too(client):
    grant = GrantFactory(
        acronym="PLASMUNICH",
        title_en="Technical plasma physics in Munich",
        title_fr="Physique technique des plasmas à Munich",
    )
    GrantFactory(acronym="WALL", title_en="The Berlin wall", title_fr="Le mur")
    with translation.override("en"):
        address = reverse("programmes:grant-list")
    response = client.get(address, {"q": "technical plasma munich berlin"})
    assert list(response.context["object_list"]) == [grant]
    assert response.context["words_left_out"] == ["berlin"]
    assert "Results holding all of them but “berlin”:" in text_of(response)


def test_the_data_api_gives_an_empty_list(client, technical_universities):
    response = client.get(
        "/api/partners/", {"q": "Technical University of Munich Garching"}
    )
    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert response.json()["near_misses"] is False


# --- The global search ----------------------------------------------------------------


def test_the_global_search_shows_them_under_its_message(client, technical_universities):
    grant = GrantFactory(
        acronym="PLASMUNICH",
        title_en="Technical plasma physics in Munich",
        title_fr="Physique technique des plasmas à Munich",
    )
    # Every word a word of the grants: no near miss of the others.
    GrantFactory(acronym="WALL", title_en="The Berlin wall", title_fr="Le mur")
    response = client.get("/en/search/", {"q": "technical plasma munich berlin"})
    assert response.status_code == 200
    groups = by_key(response.context["groups"])
    assert groups["grants"].records == [grant]
    assert groups["grants"].most_words
    assert response.context["total"] == 0
    assert response.context["closest"] == 1
    assert response.context["words_left_out"] == ["berlin"]
    page = text_of(response)
    assert (
        "No result holds every word of “technical plasma munich berlin”. "
        "Results holding all of them but “berlin”:"
    ) in page
    assert "Close matches: none contains" not in page


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Results holding all of them but one, “munich” or “berlin”:"),
        ("fr", "Résultats contenant tous ces mots sauf un, « munich » ou « berlin » :"),
    ],
)
def test_the_global_search_names_the_words_some_lack(
    client, technical_universities, language, message
):
    response = client.get(
        f"/{language}/search/", {"q": "technical university munich berlin"}
    )
    partners_group = by_key(response.context["groups"])["partners"]
    assert set(partners_group.records) == {
        technical_universities["munich"],
        technical_universities["berlin"],
    }
    assert partners_group.more_url.endswith("?q=technical+university+munich+berlin")
    assert message in text_of(response)


def test_the_global_search_shows_none_when_something_holds_every_word(
    client, technical_universities
):
    response = client.get("/en/search/", {"q": "Technical University of Munich"})
    assert response.context["total"] == 1
    assert "most_words_of" not in response.context
    assert not any(group.most_words for group in global_search("Munich Berlin"))


def test_the_global_search_does_not_for_two_words(client, technical_universities):
    response = client.get("/en/search/", {"q": "Munich Berlin"})
    assert response.context["total"] == response.context["closest"] == 0
    assert "most_words_of" not in response.context


# --- A word misspelt among them ---------------------------------------------------


@pytest.fixture
def japanese_universities():
    return {
        "tokyo": PartnerFactory(
            name_fr="Université de Tokyo",
            name_en="University of Tokyo",
            original_name="東京大学",
            acronym="UTOKYO",
            city_fr="Tokyo",
            city_en="Tokyo",
            country="JP",
        ),
        "kyoto": PartnerFactory(
            name_fr="Université de Kyoto",
            name_en="Kyoto University",
            original_name="京都大学",
            acronym="",
            city_fr="Kyoto",
            city_en="Kyoto",
            country="JP",
        ),
    }


TYPO_AND_ONE_WORD_MORE = "Universty of Tokyo Kyoto"


def test_a_word_misspelt_and_one_too_many_find_the_corrected_words_but_one(
    client, japanese_universities
):
    # Nothing holds the words as typed, nor as corrected ("University of
    # Tokyo Kyoto": no "Did you mean"), nor any close record; the corrected
    # words but one find the two universities.
    response = listed(client, TYPO_AND_ONE_WORD_MORE)
    assert set(response.context["object_list"]) == set(japanese_universities.values())
    assert response.context["most_words_of"] == TYPO_AND_ONE_WORD_MORE
    assert response.context["most_words_corrected"] == "University of Tokyo Kyoto"
    assert response.context["words_left_out"] == ["Tokyo", "Kyoto"]
    assert "suggestion" not in response.context
    assert (
        "No result holds every word of “Universty of Tokyo Kyoto”, nor of its "
        "correction “University of Tokyo Kyoto”. Results holding all the words of "
        "the correction but one, “Tokyo” or “Kyoto”:"
    ) in text_of(response)
    # The corrected words are marked.
    assert "<mark>University</mark>" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "No result holds every word of “Universty of Tokyo Kyoto”, nor of its "
            "correction “University of Tokyo Kyoto”. Results holding all the words "
            "of the correction but one, “Tokyo” or “Kyoto”:",
        ),
        (
            "fr",
            "Aucun résultat ne contient tous les mots de « Universty of Tokyo "
            "Kyoto », ni de sa correction « University of Tokyo Kyoto ». "
            "Résultats contenant tous les mots de la correction sauf un, "
            "« Tokyo » ou « Kyoto » :",
        ),
    ],
)
def test_the_global_search_names_the_correction_used(
    client, japanese_universities, language, message
):
    response = client.get(f"/{language}/search/", {"q": TYPO_AND_ONE_WORD_MORE})
    assert response.status_code == 200
    partners_group = by_key(response.context["groups"])["partners"]
    assert partners_group.most_words
    assert set(partners_group.records) == set(japanese_universities.values())
    assert partners_group.searched == "University of Tokyo Kyoto"
    assert response.context["most_words_corrected"] == "University of Tokyo Kyoto"
    assert response.context["suggestion"] is None
    assert message in text_of(response)


def test_the_correction_is_preferred_to_the_words_as_typed_but_the_slip(
    client, japanese_universities
):
    # The words as typed but "Universty" find a centre; as corrected, the
    # universities too: the word left out is one of the visitor's, not the slip.
    centre = PartnerFactory(
        name_fr="Centre d'échanges Tokyo-Kyoto",
        name_en="Tokyo Kyoto Exchange Centre",
        original_name="",
        acronym="",
        kind="research",
        country="JP",
    )
    response = listed(client, TYPO_AND_ONE_WORD_MORE)
    assert set(response.context["object_list"]) == {
        centre,
        *japanese_universities.values(),
    }
    assert response.context["most_words_corrected"] == "University of Tokyo Kyoto"


@pytest.mark.parametrize(
    ("found", "meant"),
    [
        # As typed, none: the correction's.
        ({"University of Tokyo Kyoto": ("universities", set())}, "universities"),
        # As typed, records none of which holds the slip: the correction's.
        (
            {
                "Universty of Tokyo Kyoto": ("a centre", {"universty"}),
                "University of Tokyo Kyoto": ("universities", set()),
            },
            "universities",
        ),
        # Records holding the word as typed: no slip ("shales", a word of a
        # unit's description, is no Thales).
        (
            {
                "Universty of Tokyo Kyoto": ("a centre", {"kyoto"}),
                "University of Tokyo Kyoto": ("universities", set()),
            },
            "a centre",
        ),
        # The correction's none: the words as typed.
        ({"Universty of Tokyo Kyoto": ("a centre", {"universty"})}, "a centre"),
        ({}, None),
    ],
)
def test_the_words_as_typed_unless_a_slip_is_held_by_none(found, meant):
    def most_words(text):
        return found.get(text)

    chosen = most_words_meant(
        "Universty of Tokyo Kyoto", ["University of Tokyo Kyoto"], most_words
    )
    assert (chosen[1] if chosen else None) == meant


# --- A country named among the words ---------------------------------------------


@pytest.fixture
def in_kyoto():
    return {
        "university": PartnerFactory(
            name_fr="Université de Kyoto",
            name_en="Kyoto University",
            original_name="京都大学",
            acronym="",
            kind="university",
            city_fr="Kyoto",
            city_en="Kyoto",
            country="JP",
        ),
        "robotics": PartnerFactory(
            name_fr="Bréchet Robotics",
            name_en="Bréchet Robotics",
            original_name="",
            acronym="",
            kind="company",
            city_fr="Kyoto",
            city_en="Kyoto",
            country="JP",
        ),
        # Two of the other words, in France: not in the country named.
        "lyon": PartnerFactory(
            name_fr="Université de robotique de Lyon",
            name_en="Lyon University of Robotics",
            original_name="",
            acronym="",
            kind="university",
            city_fr="Lyon",
            city_en="Lyon",
            country="FR",
        ),
    }


@pytest.mark.parametrize(
    "text", ["universite kyoto japon robotics", "Kyoto University robotics Japan"]
)
def test_a_country_named_is_a_filter_not_a_word_left_out(client, in_kyoto, text):
    # As the search takes it ("robotique japon": the records in Japan holding
    # "robotique"), the records in Japan holding the other words but one; no
    # text of theirs says "Japon", which, a word held, left them out.
    response = listed(client, text)
    assert set(response.context["object_list"]) == {
        in_kyoto["university"],
        in_kyoto["robotics"],
    }
    assert response.context["most_words_of"] == text
    # The country is never the word left out.
    assert len(response.context["words_left_out"]) == 2
    assert not {"japon", "Japan"} & set(response.context["words_left_out"])


def test_a_country_and_two_other_words_leave_one_of_them_out(in_kyoto):
    # Three words typed, the country one of them: the records in Japan holding
    # one of the two others; not the one in Lyon.
    records = Partner.objects.public().most_words("Lyon robotics Japan")
    assert list(records) == [in_kyoto["robotics"]]
    assert records.words_left_out("Lyon robotics Japan") == ["lyon"]
    # Two words typed, the country one of them: half the search.
    assert Partner.objects.public().most_words("robotics Japan") is None


def test_the_global_search_lists_the_country_and_the_records_there(client, in_kyoto):
    response = client.get("/en/search/", {"q": "universite kyoto japon robotics"})
    groups = by_key(response.context["groups"])
    assert [country.code for country in groups["countries"].records] == ["JP"]
    assert groups["partners"].most_words
    assert set(groups["partners"].records) == {
        in_kyoto["university"],
        in_kyoto["robotics"],
    }
    assert response.context["total"] == 1  # the country
    assert response.context["closest"] == 2
    assert (
        "No result holds every word of “universite kyoto japon robotics”. "
        "Results holding all of them but one, “universite” or “robotics”:"
    ) in text_of(response)
    assert groups["partners"].more_url.endswith("?q=universite+kyoto+japon+robotics")


def test_not_for_kinds_named_in_a_country(client, in_kyoto):
    # None there: the country is the answer, as the lists offer no records.
    PartnerFactory(
        name_fr="Institut des organisations de Kyoto",
        name_en="",
        kind="university",
        country="JP",
    )
    response = client.get(
        "/fr/search/", {"q": "organisations internationales au Japon"}
    )
    assert "most_words_of" not in response.context
    countries = by_key(response.context["groups"])["countries"]
    assert [country.code for country in countries.records] == ["JP"]


def test_records_in_no_country_hold_its_name_as_a_word():
    # Grants are in no country: as their search, a word their texts hold.
    grant = GrantFactory(
        acronym="ROBJAP",
        title_en="Robotics in Japan",
        title_fr="Robotique au Japon",
    )
    records = Grant.objects.public().most_words("kyoto robotics japan")
    assert list(records) == [grant]
    assert records.words_left_out("kyoto robotics japan") == ["kyoto"]


# --- What it costs --------------------------------------------------------------------


def test_the_condition_leaves_each_word_out_in_turn():
    conditions = [Q(pk=1), Q(pk=2), Q(pk=3)]
    assert most_words_search(conditions) == (
        (Q(pk=2) & Q(pk=3)) | (Q(pk=1) & Q(pk=3)) | (Q(pk=1) & Q(pk=2))
    )


def query_count(client, address, text) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address, {"q": text})
    assert response.status_code == 200
    return len(queries)


def more_rows(count):
    for number in range(count):
        # Each lacks "munich": found too.
        PartnerFactory(
            name_en=f"Technical University of Berlin campus {number}",
            name_fr="",
            city_en="Berlin",
            country="DE",
        )
        # Holding none of the words.
        PartnerFactory(name_en=f"Laboratory {number}", name_fr="", country="FR")
        GrantFactory()


@pytest.mark.parametrize("address", ["/en/partners/", "/en/search/"])
@pytest.mark.parametrize(
    "text",
    [
        "technical university munich berlin",  # the records holding most words
        "technical university of berlin",  # those holding every word
        # Those in the country named holding most words.
        "technical university munich berlin germany",
        # A slip: the corrected words but one.
        "technical universty munich berlin",
    ],
)
def test_the_query_count_does_not_grow_with_the_rows(
    client, technical_universities, address, text
):
    few = query_count(client, address, text)
    more_rows(25)  # more than a page of the list, past a group of the search
    assert query_count(client, address, text) == few


@pytest.mark.parametrize(
    ("address", "most"),
    [
        # The records and the words each holds, counted in one query; the
        # country counts of the list's choices.
        ("/en/partners/", 2),
        # The same per kind, then the records shown (units: their partners and
        # quoted people besides).
        ("/en/search/", 14),
    ],
)
def test_the_records_holding_most_words_cost_a_few_queries(
    client, technical_universities, monkeypatch, address, most
):
    more_rows(3)
    text = "technical university munich berlin"
    monkeypatch.setattr(partners.searchable, "MOST_WORDS_FROM", 99)
    without = query_count(client, address, text)
    monkeypatch.undo()
    new_version()  # every count read again
    monkeypatch.setattr(partners.searchable, "MOST_WORDS_FROM", 3)
    with_them = query_count(client, address, text)
    assert 0 < with_them - without <= most


@pytest.mark.postgresql
@pytest.mark.parametrize(
    ("model", "indexes"),
    [
        (Partner, ("partner_search_trgm",)),
        (Unit, ("unit_search_trgm", "unit_search_french", "unit_search_english")),
        (Grant, ("grant_search_trgm", "grant_search_french")),
        (Project, ("project_search_trgm", "project_search_english")),
    ],
)
def test_each_word_left_out_in_turn_is_found_through_the_indexes(model, indexes):
    if connection.vendor != "postgresql":
        pytest.skip("search indexes exist on PostgreSQL only")
    records = model.objects.all()
    words = records.words_held_apart("technical university of munich garching")
    assert words == ["technical", "university", "munich", "garching"]
    condition = most_words_search(records.word_conditions(words))
    result = plan(model.objects.filter(condition).order_by())
    for index in indexes:
        assert index in result, result
    assert "Seq Scan" not in result, result
