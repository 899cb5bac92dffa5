"""What people type that is not quite what records say: French elisions, two letters
swapped, a code without its space, punctuation round a word; the same on SQLite and
PostgreSQL. Found by a QA pass over the demo's records (2026-12-05)."""

import pytest

from cnrs_intl.search import global_search, suggested_anywhere
from partners.models import Partner
from partners.search import found_spans, is_slip, swapped_letters, typed_words
from tests.factories import PartnerFactory, UnitFactory
from tests.search_groups import by_key
from units.models import Unit

pytestmark = pytest.mark.django_db


def test_a_french_elision_is_no_word_to_look_for():
    typed = typed_words("L'Université de Tel-Aviv")
    assert typed == ["universite", "de", "tel", "aviv"]
    assert typed_words("d’Alembert") == ["alembert"]
    assert typed_words("Côte d'Ivoire") == ["cote", "ivoire"]
    # Not an elision: a letter alone, or one in the middle of a word.
    assert typed_words("O'Higgins") == ["o", "higgins"]
    assert typed_words("vitamin d") == ["vitamin", "d"]


@pytest.mark.parametrize(
    "typed", ["L'Université de Tel-Aviv", "l’université tel aviv", "L’UNIVERSITE"]
)
def test_a_name_typed_with_its_article_is_found(client, typed):
    tau = PartnerFactory(
        name_fr="Université de Tel-Aviv", name_en="Tel Aviv University"
    )
    PartnerFactory(
        name_fr="Institut Pasteur", name_en="", acronym="", kind="research_organisation"
    )
    assert list(Partner.objects.public().search(typed)) == [tau]
    assert by_key(global_search(typed))["partners"].records == [tau]
    names = client.get("/fr/partners/names.json", {"q": typed}).json()["results"]
    assert [name["url"] for name in names] == [f"/fr/partners/{tau.slug}/"]


def test_two_letters_swapped_are_a_slip():
    assert swapped_letters("crns") == ["rcns", "cnrs", "crsn"]
    assert swapped_letters("too") == ["oto"]  # "oo" swapped is the same word
    assert is_slip("crns", "cnrs") and is_slip("tahles", "thales")
    assert not is_slip("cnrs", "scrn")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("Tahles", "Thales"), ("NUT", "NTU"), ("AITS", "AIST"), ("Naynang", "Nanyang")],
)
def test_a_partner_typed_with_two_letters_swapped_is_offered(client, typed, meant):
    # Trigrams forgive a swap least: "nut" and "ntu" share none.
    PartnerFactory(name_fr="Thales", name_en="", acronym="")
    PartnerFactory(
        name_fr="Université technologique de Nanyang",
        name_en="Nanyang Technological University",
        acronym="NTU",
    )
    PartnerFactory(
        name_fr="Institut national des sciences et technologies industrielles avancées",
        name_en="",
        acronym="AIST",
    )
    wanted = Partner.objects.public().search(meant).get()
    records, near_misses = Partner.objects.public().search_or_near_misses(typed)
    assert near_misses
    assert list(records)[0] == wanted
    response = client.get("/fr/partners/", {"q": typed})
    assert response.context["suggestion"] == meant
    assert suggested_anywhere(typed) == meant


def test_a_unit_acronym_with_two_letters_swapped_is_offered():
    impa = UnitFactory(acronym="IMPA", name_fr="Institut de mathématiques", name_en="")
    UnitFactory(acronym="MPI", name_fr="Laboratoire de physique", name_en="")
    records, near_misses = Unit.objects.public().search_or_near_misses("IPMA")
    assert near_misses
    assert list(records) == [impa]


@pytest.mark.parametrize("typed", ["UMI2924", "umi2924", "UMI 2924", "umi-2924"])
def test_a_unit_code_typed_without_its_space_is_found(typed):
    impa = UnitFactory(code="UMI 2924", acronym="IMPA")
    UnitFactory(code="UMI 2925", acronym="OTHER")
    assert list(Unit.objects.public().search(typed)) == [impa]
    assert by_key(global_search(typed))["units"].records == [impa]


def test_other_letters_glued_to_digits_are_found_glued_only():
    printing = PartnerFactory(name_fr="Centre 3D printing", name_en="", acronym="")
    horizon = PartnerFactory(name_fr="Bureau H2020", name_en="", acronym="")
    PartnerFactory(name_fr="Collège 2 de Lyon", name_en="", acronym="")
    assert list(Partner.objects.public().search("3D")) == [printing]
    assert list(Partner.objects.public().search("h2020")) == [horizon]
    # Not "co" and "2" apart.
    assert list(Partner.objects.public().search("co2")) == []


@pytest.mark.parametrize("typed", ["MSE2", "mse2", "MSE 2", "<MSE>2"])
def test_letters_and_digits_typed_together_find_a_text_writing_them_apart(typed):
    # The demo's unit "<MSE>2" was found by "mse" and "mse 2", not by "MSE2".
    # No English names: the factory's ("International laboratory 27") hold a
    # word starting with "2" when its sequence is in the twenties.
    mse2 = UnitFactory(acronym="<MSE>2", name_fr="Matériaux et structures", name_en="")
    UnitFactory(acronym="MSE", name_fr="Mer et sédiments", name_en="")
    assert list(Unit.objects.public().search(typed)) == [mse2]
    assert by_key(global_search(typed))["units"].records == [mse2]


def test_letters_and_digits_typed_together_are_found_together_first():
    glued = PartnerFactory(name_fr="Projet ABC2", name_en="", acronym="")
    PartnerFactory(name_fr="ABC de la chimie 2", name_en="", acronym="")
    assert list(Partner.objects.public().search("abc2")) == [glued]


def test_a_code_found_glued_is_marked_apart():
    assert found_spans("UMI 2924", "umi2924") == [(0, 3), (4, 8)]
    assert found_spans("IRL 2924", "umi 2924") == [(0, 3), (4, 8)]


@pytest.mark.parametrize(
    "typed", ["CNRS-Solvay", "CNRS–Solvay", "«Solvay»", "(solvay, cnrs)"]
)
def test_punctuation_round_words_of_a_description_changes_nothing(typed):
    # PostgreSQL's parser keeps "cnrs-solvay" and "«solvay»" whole, words the
    # descriptions had to hold as typed; SQLite found them apart.
    apart = UnitFactory(
        name_fr="Laboratoire des matériaux",
        name_en="",
        acronym="E2P2L",
        description_fr="Un laboratoire du CNRS et de Solvay à Shanghai.",
        description_en="",
    )
    found = list(Unit.objects.public().search(typed))
    assert found == [apart]


def test_a_suggestion_is_not_a_word_much_shorter_or_longer(client):
    PartnerFactory(name_fr="Institut de robotique", name_en="Robotics Institute")
    PartnerFactory(name_fr="Lents", name_en="", acronym="")
    # "robots" is no slip of "robotics", "talents" none of "lents".
    assert suggested_anywhere("robots") is None
    assert suggested_anywhere("talents") is None
    assert suggested_anywhere("robotcs") == "robotics"


def test_the_global_search_offers_near_misses_beside_a_match_of_a_misspelt_word():
    # A unit in Cambridge, Massachusetts holds the misspelt word's stem alone:
    # a close record, as MIT, the partner meant, one of the closest partners.
    UnitFactory(
        name_fr="Laboratoire de l'énergie",
        name_en="",
        acronym="MSE",
        city_fr="Cambridge",
        description_fr="Un laboratoire au Massachusetts.",
        description_en="",
    )
    mit = PartnerFactory(
        name_fr="Institut de technologie du Massachusetts",
        name_en="Massachusetts Institute of Technology",
        acronym="MIT",
    )
    groups = by_key(global_search("Massachusets"))
    assert groups["units"].total == 1 and groups["units"].near_misses
    assert groups["partners"].near_misses
    assert groups["partners"].records == [mit]
    # Words typed right: no near misses beside what they find.
    PartnerFactory(name_fr="Université du Texas", name_en="", acronym="")
    groups = by_key(global_search("Massachusetts"))
    assert groups["partners"].records == [mit]
    assert not groups["partners"].near_misses
    assert by_key(global_search("Texas"))["units"].records == []


@pytest.mark.parametrize("typed", ["IRL 2924", "irl2924", "UMI 2924", "umi"])
def test_a_unit_is_found_by_its_code_as_umi_or_as_irl(typed):
    impa = UnitFactory(code="UMI 2924", acronym="IMPA")
    UnitFactory(code="IRL 2925", acronym="OTHER", name_fr="Laboratoire Irlande")
    found = list(Unit.objects.public().search(typed))
    assert impa in found
    assert by_key(global_search(typed))["units"].records[0] == impa


def test_irl_typed_still_starts_words_but_umi_for_it_is_a_whole_word():
    irlande = PartnerFactory(name_fr="Université d'Irlande", name_en="", acronym="")
    PartnerFactory(name_fr="Université d'Umina", name_en="", acronym="")
    assert list(Partner.objects.public().search("irl")) == [irlande]
