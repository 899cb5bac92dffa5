"""The continent of every country, for filters such as "units in Africa".

django-countries knows ISO 3166 codes and names but not continents. The table
follows the regions of the United Nations geoscheme (M49); Taiwan, which M49 leaves
out, is in Asia, and Antarctica belongs to no region.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    AFRICA = "africa", _("Africa")
    AMERICAS = "americas", _("Americas")
    ASIA = "asia", _("Asia")
    EUROPE = "europe", _("Europe")
    OCEANIA = "oceania", _("Oceania")


_COUNTRIES_BY_REGION = {
    Region.AFRICA: (
        # Northern Africa
        "DZ EG EH LY MA SD TN "
        # Eastern Africa
        "BI DJ ER ET IO KE KM MG MU MW MZ RE RW SC SO SS TF TZ UG YT ZM ZW "
        # Middle Africa
        "AO CD CF CG CM GA GQ ST TD "
        # Southern Africa
        "BW LS NA SZ ZA "
        # Western Africa
        "BF BJ CI CV GH GM GN GW LR ML MR NE NG SH SL SN TG"
    ),
    Region.AMERICAS: (
        # Caribbean
        "AG AI AW BB BL BQ BS CU CW DM DO GD GP HT JM KN KY LC MF MQ MS PR SX TC "
        "TT VC VG VI "
        # Central America
        "BZ CR GT HN MX NI PA SV "
        # South America
        "AR BO BR BV CL CO EC FK GF GS GY PE PY SR UY VE "
        # Northern America
        "BM CA GL PM US"
    ),
    Region.ASIA: (
        # Central Asia
        "KG KZ TJ TM UZ "
        # Eastern Asia
        "CN HK JP KP KR MN MO TW "
        # South-eastern Asia
        "BN ID KH LA MM MY PH SG TH TL VN "
        # Southern Asia
        "AF BD BT IN IR LK MV NP PK "
        # Western Asia
        "AE AM AZ BH CY GE IL IQ JO KW LB OM PS QA SA SY TR YE"
    ),
    Region.EUROPE: (
        # Eastern Europe
        "BG BY CZ HU MD PL RO RU SK UA "
        # Northern Europe
        "AX DK EE FI FO GB GG IE IM IS JE LT LV NO SE SJ "
        # Southern Europe
        "AD AL BA ES GI GR HR IT ME MK MT PT RS SI SM VA "
        # Kosovo (XK, not yet in ISO 3166: settings.COUNTRIES_OVERRIDE)
        "XK "
        # Western Europe
        "AT BE CH DE FR LI LU MC NL"
    ),
    Region.OCEANIA: (
        # Australia and New Zealand
        "AU CC CX HM NF NZ "
        # Melanesia
        "FJ NC PG SB VU "
        # Micronesia
        "FM GU KI MH MP NR PW UM "
        # Polynesia
        "AS CK NU PF PN TK TO TV WF WS"
    ),
}


def countries_in(region: str) -> list[str]:
    """Return the ISO 3166 alpha-2 codes of the countries of ``region``."""
    return _COUNTRIES_BY_REGION[Region(region)].split()
