"""A filter of one value, or the page, given twice with different values
("?country=JP&country=FR") is refused with a message (400), on the lists' pages and
the data API, rather than read as the last value (``repeated`` in
partners/filters.py). The same value twice asks for nothing ambiguous and is taken;
unknown parameters stay ignored, repeated or not; a filter of several values takes
them all."""

import re

import django_filters
import pytest
from django import forms
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from partners.filters import PublicFilterForm
from partners.models import Partner
from programmes.models import GrantScheme
from tests.api_client import get
from tests.factories import GrantFactory, PartnerFactory, UnitFactory
from tests.test_public_filters import PUBLIC_FILTERSETS

pytestmark = pytest.mark.django_db

ENGLISH = "Only one value at a time: {count} values given for “{name}”."
FRENCH = (
    "Une seule valeur à la fois\u00a0: {count} valeurs données pour "
    "«\u00a0{name}\u00a0»."
)


def url(name, language="en"):
    with translation.override(language):
        return reverse(name)


def field_errors(html: str, name: str) -> str:
    """Return the error list the page shows on the filter ``name``."""
    found = re.search(rf'<ul class="errorlist" id="id_{name}_error">.*?</ul>', html)
    return found.group() if found else ""


@pytest.fixture
def japan_and_france():
    PartnerFactory(name_fr="Université de Tokyo", country="JP")
    PartnerFactory(name_fr="Université de Lyon", country="FR")
    UnitFactory(acronym="JFLI", country="JP")
    UnitFactory(acronym="LIA", country="FR")
    GrantFactory(scheme=GrantScheme.ERC_STG)
    GrantFactory(scheme=GrantScheme.ERC_COG)


@pytest.mark.parametrize(
    ("name", "parameter", "values", "label"),
    [
        ("partners:list", "country", ["JP", "FR"], "Country"),
        ("partners:list", "ordering", ["name", "city"], "Sort by"),
        ("units:list", "country", ["JP", "FR"], "Country"),
        ("units:list", "q", ["tokyo", "lyon"], "Search"),
        ("programmes:grant-list", "scheme", ["erc_stg", "erc_cog"], "Scheme"),
        ("programmes:project-list", "country", ["JP", "FR"], "Participant’s country"),
    ],
)
def test_a_list_refuses_a_filter_given_twice(
    client, japan_and_france, name, parameter, values, label
):
    # France's partners were listed, with no word of Japan.
    response = client.get(url(name), {parameter: values})

    assert response.status_code == 400
    html = response.content.decode()
    # Named as the form labels it, not by the parameter ("“country” is given…").
    message = escape(ENGLISH.format(name=label, count=2))
    assert message in field_errors(html, parameter)
    assert "Some filters are not valid" in html
    assert not response.context["object_list"]


def test_the_refusal_counts_the_values_and_speaks_french(client, japan_and_france):
    response = client.get(url("partners:list", "fr"), {"country": ["JP", "FR", "JP"]})

    assert response.status_code == 400
    message = FRENCH.format(name="Pays", count=3)
    assert message in field_errors(response.content.decode(), "country")


@pytest.mark.parametrize("values", [["JP", "JP"], ["JP", "jp"]])
def test_a_value_given_twice_the_same_is_taken(client, japan_and_france, values):
    # In any case: the filters read "jp" as "JP".
    response = client.get(url("partners:list"), {"country": values})

    assert response.status_code == 200
    assert [partner.country for partner in response.context["object_list"]] == ["JP"]


def test_an_unknown_parameter_given_twice_is_still_ignored(client, japan_and_france):
    response = client.get(url("units:list"), {"utm_source": ["a", "b"]})

    assert response.status_code == 200
    assert len(response.context["object_list"]) == 2


def test_a_list_refuses_a_page_given_twice(client):
    PartnerFactory.create_batch(21)
    response = client.get(url("partners:list"), {"page": ["2", "1"]})

    assert response.status_code == 400
    assert ENGLISH.format(name="page", count=2) in response.content.decode()
    assert response.context["page_obj"].number == 1
    assert client.get(url("partners:list"), {"page": ["2", "2"]}).status_code == 200


@pytest.mark.parametrize(
    ("address", "parameter", "values"),
    [
        ("/api/partners/", "country", ["JP", "FR"]),
        ("/api/partners/", "q", ["tokyo", "lyon"]),
        ("/api/units/", "ordering", ["name", "-year"]),
        ("/api/grants/", "scheme", ["erc_stg", "erc_cog"]),
        ("/api/partners/", "page", ["1", "2"]),
        ("/api/units/", "page_size", ["10", "20"]),
        # Answered as the last one asked (CSV).
        ("/api/partners/", "format", ["json", "csv"]),
    ],
)
def test_the_api_refuses_a_parameter_given_twice(
    client, japan_and_france, address, parameter, values
):
    answer = get(client, address, {parameter: values}, status=400)

    assert answer == {parameter: [FRENCH.format(name=parameter, count=2)]}
    english = get(client, address, {parameter: values, "lang": "en"}, status=400)
    assert english == {parameter: [ENGLISH.format(name=parameter, count=2)]}


def test_the_api_refuses_two_languages(client, japan_and_france):
    # The answer's messages and sorts by name were in the last one's language.
    answer = get(client, "/api/partners/", {"lang": ["fr", "en"]}, status=400)

    assert answer == {"lang": [ENGLISH.format(name="lang", count=2)]}


def test_the_api_takes_a_value_given_twice_the_same(client, japan_and_france):
    answer = get(client, "/api/partners/", {"country": ["JP", "JP"]})
    assert [partner["country"] for partner in answer["results"]] == ["JP"]
    response = client.get("/api/partners/", {"format": ["csv", "csv"]})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


def test_the_api_still_ignores_an_unknown_parameter_given_twice(
    client, japan_and_france
):
    answer = get(client, "/api/grants/", {"utm_source": ["a", "b"]})
    assert answer["count"] == 2


@pytest.mark.parametrize("filterset_class", PUBLIC_FILTERSETS)
def test_every_filter_of_one_value_is_refused_given_twice(filterset_class):
    for name in filterset_class.base_filters:
        with translation.override("en"):
            filterset = filterset_class(QueryDict(f"{name}=a&{name}=b"))
            assert not filterset.is_valid()
            # The last value, checked alone, was picked by no one: only the
            # repeat is said.
            label = filterset.form.fields[name].label
            assert filterset.errors == {name: [ENGLISH.format(name=label, count=2)]}


KINDS = [("university", "University"), ("company", "Company")]


class SeveralKindsFilterSet(django_filters.FilterSet):
    """Filters of several values on the public lists' form: none has one yet."""

    kinds = django_filters.MultipleChoiceFilter(field_name="kind", choices=KINDS)
    ticked = django_filters.MultipleChoiceFilter(
        field_name="kind", choices=KINDS, widget=forms.CheckboxSelectMultiple
    )
    listed = django_filters.MultipleChoiceFilter(
        field_name="kind", choices=KINDS, widget=django_filters.widgets.QueryArrayWidget
    )
    country = django_filters.CharFilter()

    class Meta:
        model = Partner
        fields = []
        form = PublicFilterForm


def test_a_filter_of_several_values_takes_them_all():
    query = (
        "kinds=university&kinds=company&ticked=university&ticked=company"
        "&listed=university&listed=company"
    )
    filterset = SeveralKindsFilterSet(QueryDict(f"{query}&country=JP"))

    assert filterset.is_valid(), filterset.errors
    for name in ("kinds", "ticked", "listed"):
        # In no set order from a QueryArrayWidget (a set of the values).
        assert sorted(filterset.form.cleaned_data[name]) == ["company", "university"]
    with translation.override("en"):
        refused = SeveralKindsFilterSet(QueryDict(f"{query}&country=JP&country=FR"))
        assert refused.errors == {"country": [ENGLISH.format(name="Country", count=2)]}


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", ENGLISH.format(count=2, name="Search")),
        ("fr", FRENCH.format(count=2, name="Rechercher")),
    ],
)
def test_the_global_search_refuses_two_different_texts(client, language, message):
    # It searched the last one alone, where the lists refuse the two.
    UnitFactory(name_en="Tokyo laboratory", name_fr="Laboratoire de Tokyo")

    response = client.get(url("search", language), {"q": ["tokyo", "kyoto"]})

    assert response.status_code == 400
    assert escape(message) in response.content.decode()


def test_the_global_search_takes_the_same_text_twice(client):
    UnitFactory(name_en="Tokyo laboratory", name_fr="Laboratoire de Tokyo")

    response = client.get(url("search"), {"q": ["tokyo", "Tokyo"]})

    assert response.status_code == 200
    assert response.context["total"] == 1
