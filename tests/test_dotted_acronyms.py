"""Acronyms typed with dots ("U.S.", "E.N.S."): one word, as typed without them, and
still found in texts that write them dotted (``undotted``, ``dotted_letters_apart``
in partners/search.py, ``found`` in partners/searchable.py), on both databases."""

import pytest

from cnrs_intl.search import global_search
from partners.country_names import country_among_words
from partners.models import Office, Partner
from partners.search import dotted_acronyms, undotted, word_sequence
from tests.factories import OfficeFactory, PartnerFactory, UnitFactory


@pytest.mark.parametrize(
    "text, words",
    [
        ("U.S. office", ["us", "office"]),
        ("u.s.a", ["usa"]),
        ("E.N.S. de Lyon", ["ens", "de", "lyon"]),
        ("l’É.N.S.", ["ens"]),
        # Not letters alone between dots: an initial, an abbreviation, a number.
        ("J. Lefebvre", ["j", "lefebvre"]),
        ("St. Louis", ["st", "louis"]),
        ("cnrs.fr", ["cnrs", "fr"]),
        ("version 2.0", ["version", "2", "0"]),
    ],
)
def test_a_dotted_acronym_is_one_word(text, words):
    assert word_sequence(text) == words


def test_dotted_acronyms_are_written_in_capitals_or_as_texts_write_them():
    assert undotted("the u.s. and the E.U.") == "the US and the EU"
    assert dotted_acronyms("U.S. Geological Survey") == (["u.s"], "  Geological Survey")
    assert dotted_acronyms("J. Lefebvre") == ([], "J. Lefebvre")


def test_a_dotted_acronym_names_its_country_in_any_case():
    assert country_among_words("U.S. office") == ("US", "office")
    assert country_among_words("u.s. office") == ("US", "office")
    # Without dots, "us" in lower case is the pronoun ("contact us").
    assert country_among_words("contact us office") is None


@pytest.fixture
def offices():
    roles = {"role_fr": "Suit la coopération.", "role_en": "Follows cooperation."}
    return {
        "washington": OfficeFactory(
            name_fr="Bureau du CNRS à Washington",
            name_en="CNRS Washington Office",
            country="US",
            countries=["US", "CA"],
            **roles,
        ),
        # Its "Union" and "Science" start with the "U" and the "S" of "U.S.".
        "brussels": OfficeFactory(
            name_fr="Bureau du CNRS à Bruxelles, Union européenne",
            name_en="CNRS Brussels Office, European Union",
            country="BE",
            countries=[],
            role_fr="Suit la science européenne.",
            role_en="Follows European science.",
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["U.S. office", "u.s. office", "US office"])
def test_an_office_in_the_us_is_found_by_the_dotted_acronym(offices, text):
    assert list(Office.objects.public().search(text)) == [offices["washington"]]


@pytest.mark.django_db
def test_the_global_search_names_the_country_of_a_dotted_acronym(offices):
    groups = {group.key: group for group in global_search("U.S. office")}

    assert [country.code for country in groups["countries"].records] == ["US"]
    assert groups["offices"].records == [offices["washington"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text", ["U.S. Geological Survey", "US Geological Survey", "u.s. geological"]
)
def test_a_name_written_dotted_is_found_with_or_without_the_dots(text):
    survey = PartnerFactory(name_en="U.S. Geological Survey", name_fr="", country="US")
    PartnerFactory(name_en="Geological Survey of Japan", name_fr="", country="JP")

    assert list(Partner.objects.public().search(text)) == [survey]


@pytest.mark.django_db
def test_a_name_written_dotted_is_found_outside_its_country_too():
    # No country named: the acronym as the name writes it.
    survey = PartnerFactory(name_en="E.N.S. Alumni Survey", name_fr="", country="JP")
    PartnerFactory(name_en="Emerging Nano Sciences Alumni", name_fr="", country="JP")

    assert list(Partner.objects.public().search("E.N.S. alumni")) == [survey]
    assert list(Partner.objects.public().search("e.n.s.")) == [survey]


@pytest.mark.django_db
def test_a_dotted_acronym_no_text_holds_finds_no_word_starting_with_its_letters(
    offices,
):
    # "U.S.": the US, no record holds "US" nor "U.S.", though "Union" and
    # "Science" start with its letters: the records in the US only.
    assert Office.objects.public().found("U.S.", countries=False) is None
    groups = {group.key: group for group in global_search("U.S.")}
    assert [country.code for country in groups["countries"].records] == ["US"]
    assert groups["offices"].records == [offices["washington"]]


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["M.I.T.", "le MIT", "MIT"])
def test_an_acronym_typed_dotted_or_with_an_article_is_the_best_match(text):
    # A unit whose description names the MIT came first.
    mit = PartnerFactory(
        name_en="Massachusetts Institute of Technology", name_fr="", acronym="MIT"
    )
    UnitFactory(
        acronym="MSE2",
        name_fr="Énergie",
        name_en="",
        description_fr="Un laboratoire au MIT.",
        description_en="",
    )

    groups = [group for group in global_search(text) if group.records]

    assert groups[0].key == "partners" and groups[0].records == [mit]
