"""The key figures' admin search finds a figure by its value, written as the list
shows it in the staff's language or plainly (``KeyFigureAdmin.exact_condition``)."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.utils import translation

from cnrs_intl.admin import typed_value
from cnrs_intl.models import KeyFigure
from tests.admin_forms import admin_url
from tests.factories import KeyFigureFactory

pytestmark = pytest.mark.django_db

NNBSP = "\u202f"


@pytest.fixture
def figures():
    return {
        "1200": KeyFigureFactory(
            value=Decimal("1200"), suffix="", label_fr="bourses ERC"
        ),
        "120": KeyFigureFactory(
            value=Decimal("120"), suffix="", label_fr="pays partenaires"
        ),
        "12000": KeyFigureFactory(
            value=Decimal("12000"), suffix="", label_fr="missions"
        ),
        "4.5%": KeyFigureFactory(
            value=Decimal("4.5"), suffix="%", label_fr="du budget"
        ),
        "4.5": KeyFigureFactory(
            value=Decimal("4.5"), suffix="", label_fr="millions d’euros"
        ),
    }


def listed(client, text, language="fr"):
    response = client.get(
        admin_url(KeyFigure, "changelist"), {"q": text}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    notes = [str(message) for message in get_messages(response.wsgi_request)]
    return set(response.context["cl"].result_list), notes


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "1200"),
        ("fr", "1 200"),
        ("fr", f"1{NNBSP}200"),  # as the French list writes it
        ("fr", " 1200,00 "),
        ("en", "1200"),
        ("en", "1,200"),  # as the English list writes it
        ("en", "1 200"),
        ("en", "1200.0"),
    ],
)
def test_a_key_figure_is_found_by_its_value(admin_client, figures, language, text):
    assert listed(admin_client, text, language) == ({figures["1200"]}, [])


@pytest.mark.parametrize(
    ("language", "text", "found"),
    [
        ("fr", "4,5", {"4.5%", "4.5"}),
        ("fr", "4,5 %", {"4.5%"}),
        ("fr", "4.5%", {"4.5%"}),
        ("en", "4.5", {"4.5%", "4.5"}),
        ("en", "4.5%", {"4.5%"}),
        # "1,2" is 1.2 in English as in French: grouping takes three digits.
        ("en", "1,2", set()),
        ("fr", "1,200", set()),  # 1.2 in French
    ],
)
def test_decimals_and_a_suffix_are_read_in_the_staffs_language(
    admin_client, figures, language, text, found
):
    assert listed(admin_client, text, language)[0] == {figures[k] for k in found}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_each_figure_is_found_by_its_value_as_the_list_shows_it(
    admin_client, figures, language
):
    for figure in figures.values():
        with translation.override(language):
            shown = figure.localized_value
        assert figure in listed(admin_client, shown, language)[0], shown


@pytest.mark.parametrize(
    "text",
    ["9" * 40, "1200.001", "-1200", "1e3", "12,3456", "1 2 0 0 €"],
)
def test_a_number_no_figure_can_hold_finds_nothing_without_an_error(
    admin_client, figures, text
):
    assert listed(admin_client, text)[0] == set()


def test_words_are_still_searched_in_the_labels(admin_client, figures):
    assert listed(admin_client, "pays partenaires") == ({figures["120"]}, [])
    assert listed(admin_client, "2016") == (set(), [])


def test_a_value_found_lists_no_near_misses(admin_client, figures):
    KeyFigureFactory(value=Decimal("7"), label_fr="120 pays, 1201 accords")

    found, notes = listed(admin_client, "1200")

    assert (found, notes) == ({figures["1200"]}, [])


def test_typed_values_keep_to_the_columns_places():
    with translation.override("en"):
        assert typed_value("1,200.50") == (Decimal("1200.50"), "")
        assert typed_value("60 000 %") == (Decimal("60000.00"), "%")
        assert typed_value("1,200.505") is None
        assert typed_value("1" * 13) is None  # 14 digits, 2 of them decimals
        assert typed_value("publications") is None
