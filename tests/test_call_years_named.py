"""A call year named in a search finds that year's grants, whatever their texts
say: "lauréats ERC mathématiques depuis 2015" ("2015", "depuis 2015", "since
2015": ``call_year_phrases`` in programmes/models.py). On both databases."""

import pytest

from cnrs_intl.search import global_search
from programmes.models import Grant, GrantScheme
from tests.factories import GrantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def grants():
    return {
        year: GrantFactory(
            call_year=year,
            panel="PE1",
            title_fr=f"Géométrie {year - 2000}",
            title_en=f"Geometry {year - 2000}",
        )
        for year in (2012, 2015, 2019)
    }


def test_a_year_named_finds_that_years_grants(grants):
    assert list(Grant.objects.public().search("2015")) == [grants[2015]]


@pytest.mark.parametrize(
    "text",
    ["depuis 2015", "since 2015", "à partir de 2015", "lauréats depuis 2015"],
)
def test_since_a_year_finds_that_years_grants_and_the_later_ones(grants, text):
    assert set(Grant.objects.public().search(text)) == {grants[2015], grants[2019]}


def test_after_a_year_finds_the_later_ones(grants):
    assert list(Grant.objects.public().search("après 2015")) == [grants[2019]]


def test_a_year_a_scheme_and_a_panel_named_are_all_required(grants):
    GrantFactory(call_year=2016, panel="SH6", title_en="Archaeology")
    advanced = GrantFactory(
        call_year=2016, panel="PE1", scheme=GrantScheme.ERC_ADG, title_en="Topology"
    )

    found = Grant.objects.public().search("ERC advanced mathematics since 2015")
    assert list(found) == [advanced]
    found = Grant.objects.public().search("lauréats ERC mathématiques depuis 2015")
    assert set(found) == {grants[2015], grants[2019], advanced}


def test_a_year_with_other_words_finds_its_grants_holding_them(grants):
    assert list(Grant.objects.public().search("géométrie 2019")) == [grants[2019]]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_grants_list_and_the_global_search_list_the_years_grants(
    client, grants, language
):
    response = client.get(f"/{language}/grants/", {"q": "depuis 2015"})
    assert set(response.context["object_list"]) == {grants[2015], grants[2019]}

    groups = {group.key: group for group in global_search("ERC 2019")}
    assert groups["grants"].records == [grants[2019]]
