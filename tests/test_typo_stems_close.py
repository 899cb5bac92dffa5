"""A word mistyped ("Massachusets") that the records hold only in another form,
its stem or its singular ("Massachusetts", "massachuset"), finds close records,
not matches: the unit in Cambridge, Massachusetts was listed as a match above
MIT, a close record whose own name is the word meant. Found by a QA pass over
the demo's records. On SQLite and PostgreSQL alike."""

import pytest
from django.utils import translation

from cnrs_intl.search import global_search
from tests.factories import PartnerFactory, UnitFactory, UnitPartnershipFactory
from tests.search_groups import by_key
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def mse2():
    """The demo's <MSE>2: in Cambridge, Massachusetts, with the MIT."""
    unit = UnitFactory(
        acronym="<MSE>2",
        name_fr="Matériaux multi-échelles pour l’énergie",
        name_en="Multi-Scale Materials Science for Energy",
        city_fr="Cambridge (Massachusetts)",
        city_en="Cambridge, Massachusetts",
        description_fr="Une unité installée sur le campus du MIT à Cambridge "
        "(Massachusetts).",
        description_en="A unit on the MIT campus in Cambridge, Massachusetts.",
        country="US",
    )
    mit = PartnerFactory(
        name_fr="Massachusetts Institute of Technology",
        name_en="Massachusetts Institute of Technology",
        acronym="MIT",
        country="US",
        city="Cambridge",
    )
    UnitPartnershipFactory(unit=unit, partner=mit)
    return unit, mit


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_typos_stem_finds_close_records_named_first(mse2, language):
    # The unit holds "massachuset", the typo's stem, in its French texts: found
    # so, it is a close record, as MIT is, whose own name the suggestion is.
    unit, mit = mse2
    with translation.override(language):
        groups = global_search("Massachusets")
    keyed = by_key(groups)

    assert keyed["units"].records == [unit] and keyed["units"].near_misses
    assert keyed["partners"].records == [mit] and keyed["partners"].near_misses
    shown = [group.key for group in groups if group.records]
    assert shown.index("partners") < shown.index("units")


def test_the_search_page_counts_a_typos_stem_among_close_records(client, mse2):
    response = client.get("/en/search/", {"q": "Massachusets"})

    assert response.context["total"] == 0
    assert response.context["closest"] == 2
    assert response.context["suggestion"] == "Massachusetts"
    html = response.content.decode()
    assert "No exact match; 2 close matches" in html
    assert html.index("Massachusetts Institute") < html.index("Multi-Scale")


def test_the_word_typed_right_finds_both_as_matches(mse2):
    groups = by_key(global_search("Massachusetts"))

    assert not groups["units"].near_misses and groups["units"].records
    assert not groups["partners"].near_misses and groups["partners"].records


def test_a_word_the_texts_hold_as_typed_is_still_a_match():
    # "shales" is a word of the description: no typo, though close to "Thales".
    unit = UnitFactory(
        name_fr="Matériaux", name_en="", description_en="Cement and shales."
    )
    PartnerFactory(name_fr="Thales", name_en="", acronym="")

    groups = by_key(global_search("shales"))

    assert groups["units"].records == [unit] and not groups["units"].near_misses
    assert list(Unit.objects.public().search("shales")) == [unit]
