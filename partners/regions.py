"""The continent of every country, for filters such as "units in Africa".

django-countries knows ISO 3166 codes and names but not continents. The table
follows the regions of the United Nations geoscheme (M49); Taiwan, which M49 leaves
out, is in Asia, and Antarctica belongs to no region.
"""

import functools

from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.demonyms import english_forms, french_forms
from partners.search import phrase_words


class Region(models.TextChoices):
    AFRICA = "africa", _("Africa")
    AMERICAS = "americas", _("Americas")
    ASIA = "asia", _("Asia")
    EUROPE = "europe", _("Europe")
    OCEANIA = "oceania", _("Oceania")


# The M49 subregions, by their countries' codes.
NORTHERN_AFRICA = "DZ EG EH LY MA SD TN"
EASTERN_AFRICA = "BI DJ ER ET IO KE KM MG MU MW MZ RE RW SC SO SS TF TZ UG YT ZM ZW"
MIDDLE_AFRICA = "AO CD CF CG CM GA GQ ST TD"
SOUTHERN_AFRICA = "BW LS NA SZ ZA"
WESTERN_AFRICA = "BF BJ CI CV GH GM GN GW LR ML MR NE NG SH SL SN TG"
CARIBBEAN = (
    "AG AI AW BB BL BQ BS CU CW DM DO GD GP HT JM KN KY LC MF MQ MS PR SX TC "
    "TT VC VG VI"
)
CENTRAL_AMERICA = "BZ CR GT HN MX NI PA SV"
SOUTH_AMERICA = "AR BO BR BV CL CO EC FK GF GS GY PE PY SR UY VE"
NORTHERN_AMERICA = "BM CA GL PM US"
CENTRAL_ASIA = "KG KZ TJ TM UZ"
EASTERN_ASIA = "CN HK JP KP KR MN MO TW"
SOUTH_EASTERN_ASIA = "BN ID KH LA MM MY PH SG TH TL VN"
SOUTHERN_ASIA = "AF BD BT IN IR LK MV NP PK"
WESTERN_ASIA = "AE AM AZ BH CY GE IL IQ JO KW LB OM PS QA SA SY TR YE"
EASTERN_EUROPE = "BG BY CZ HU MD PL RO RU SK UA"
NORTHERN_EUROPE = "AX DK EE FI FO GB GG IE IM IS JE LT LV NO SE SJ"
# Kosovo (XK, not yet in ISO 3166: settings.COUNTRIES_OVERRIDE) with it.
SOUTHERN_EUROPE = "AD AL BA ES GI GR HR IT ME MK MT PT RS SI SM VA XK"
WESTERN_EUROPE = "AT BE CH DE FR LI LU MC NL"
AUSTRALIA_NEW_ZEALAND = "AU CC CX HM NF NZ"
MELANESIA = "FJ NC PG SB VU"
MICRONESIA = "FM GU KI MH MP NR PW UM"
POLYNESIA = "AS CK NU PF PN TK TO TV WF WS"

_COUNTRIES_BY_REGION = {
    Region.AFRICA: (
        NORTHERN_AFRICA,
        EASTERN_AFRICA,
        MIDDLE_AFRICA,
        SOUTHERN_AFRICA,
        WESTERN_AFRICA,
    ),
    Region.AMERICAS: (CARIBBEAN, CENTRAL_AMERICA, SOUTH_AMERICA, NORTHERN_AMERICA),
    Region.ASIA: (
        CENTRAL_ASIA,
        EASTERN_ASIA,
        SOUTH_EASTERN_ASIA,
        SOUTHERN_ASIA,
        WESTERN_ASIA,
    ),
    Region.EUROPE: (EASTERN_EUROPE, NORTHERN_EUROPE, SOUTHERN_EUROPE, WESTERN_EUROPE),
    Region.OCEANIA: (AUSTRALIA_NEW_ZEALAND, MELANESIA, MICRONESIA, POLYNESIA),
}


def countries_in(region: str) -> list[str]:
    """Return the ISO 3166 alpha-2 codes of the countries of ``region``."""
    return " ".join(_COUNTRIES_BY_REGION[Region(region)]).split()


# What a search types to name a region, in French and English, with the words of
# its people ("africains", "Asian"), as ``DEMONYMS`` name countries: "partenaires
# en Asie", "universités sud-américaines", "Latin American partners". The
# subregions visitors name besides the continents; not "Amérique" alone, which
# often means the United States.
_REGION_WORDS = {
    " ".join(countries): words
    for countries, words in (
        (
            _COUNTRIES_BY_REGION[Region.AFRICA],
            ("Afrique", "Africa", *french_forms("africain"), *english_forms("African")),
        ),
        (_COUNTRIES_BY_REGION[Region.AMERICAS], ("Amériques", "Americas")),
        (
            _COUNTRIES_BY_REGION[Region.ASIA],
            ("Asie", "Asia", *french_forms("asiatique"), *english_forms("Asian")),
        ),
        (
            _COUNTRIES_BY_REGION[Region.EUROPE],
            ("Europe", *french_forms("européen"), *english_forms("European")),
        ),
        (
            _COUNTRIES_BY_REGION[Region.OCEANIA],
            (
                "Océanie",
                "Oceania",
                *french_forms("océanien"),
                *english_forms("Oceanian"),
            ),
        ),
        (
            (CARIBBEAN, CENTRAL_AMERICA, SOUTH_AMERICA),
            (
                "Amérique latine",
                "Latin America",
                *french_forms("latino-américain"),
                *english_forms("Latin American"),
            ),
        ),
        (
            (SOUTH_AMERICA,),
            (
                "Amérique du Sud",
                "South America",
                *french_forms("sud-américain"),
                *english_forms("South American"),
            ),
        ),
        (
            (NORTHERN_AMERICA, "MX"),
            (
                "Amérique du Nord",
                "North America",
                *french_forms("nord-américain"),
                *english_forms("North American"),
            ),
        ),
        (
            (CENTRAL_AMERICA,),
            (
                "Amérique centrale",
                "Central America",
                *english_forms("Central American"),
            ),
        ),
        (
            (SOUTH_EASTERN_ASIA,),
            ("Asie du Sud-Est", "South-East Asia", "Southeast Asia"),
        ),
    )
}


@functools.cache
def region_phrases() -> dict[tuple[str, ...], list[str]]:
    """Return the words naming a region as a search types them (``phrase_words``:
    ("amerique", "latine")), each with its countries' codes."""
    return {
        phrase_words(word): sorted(countries.split())
        for countries, words in _REGION_WORDS.items()
        for word in words
    }
