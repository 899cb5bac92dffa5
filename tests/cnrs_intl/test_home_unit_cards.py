"""home_unit_cards (cnrs_intl/templatetags/cnrs_intl.py) writes what the home
page's template loop wrote for its units."""

import pytest
from django.template import engines
from django.utils import translation

from cnrs_intl.templatetags.cnrs_intl import home_unit_cards
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

# home.html's loop before the tag wrote its cards.
TEMPLATE_LOOP = (
    "{% load cnrs_intl %}"
    '{% for unit in units %}<li class="card"{% place_data unit %}>'
    '<h4 class="card__title"><a href="{{ unit.get_absolute_url }}" '
    "data-marker-title>{{ unit.acronym }}</a></h4>\n"
    '      <p data-marker-title{% fallback_lang unit "name" %}>{{ unit.name }}</p>\n'
    '      <p class="card__meta">{% if unit.city_beside_country %}<span'
    '{% fallback_lang unit "city" %}>{{ unit.city }}</span>, {% endif %}'
    '<a href="{{ unit.country.code|country_url }}">{{ unit.country.name }}</a>'
    "{% if unit.code %} · {{ unit.code }}{% endif %}</p></li>\n    {% endfor %}"
)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_cards_are_those_the_template_wrote(language):
    units = [
        UnitFactory(acronym="<MSE>2", name_en="", city_fr="Montréal", city_en=""),
        # A city-state: its city is not written beside the country.
        UnitFactory(country="SG", city_fr="Singapour", city_en="Singapore"),
        UnitFactory(
            code="",
            latitude=None,
            longitude=None,
            name_fr="Tom & Jerry",
            name_en="Tom & Jerry",
        ),
    ]
    with translation.override(language):
        expected = engines["django"].from_string(TEMPLATE_LOOP).render({"units": units})
        cards = home_unit_cards(units)

    assert cards == expected
    assert "&lt;MSE&gt;2" in cards
    assert "Tom &amp; Jerry" in cards
    assert cards.count("<li ") == 3
