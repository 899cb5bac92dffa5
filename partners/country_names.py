"""Country names in the active language, from a table made once per language.

django-countries translates a name on each call, about 70 µs: a list page names a
country on every card, and the offices list a hundred of them.
"""

import functools

from django.conf import settings
from django.utils import translation
from django_countries import Countries, countries, fields

from partners.search import best_named, fold


@functools.lru_cache(maxsize=len(settings.LANGUAGES) + 1)
def names_in(language: str) -> dict[str, str]:
    """Return every country's name in ``language``, by its two-letter code."""
    with translation.override(language):
        return {code: str(name) for code, name in countries}


def countries_named(text: str, within=None, slips: bool = True) -> list[str]:
    """Return the codes of the countries ``text`` names, in French or English.

    Best first (``best_named``), then in the order of ``within``, the codes to look
    among (every country by default). ``slips``: also those it nearly names
    ("japn").
    """
    french, english = names_in("fr"), names_in("en")
    return best_named(
        text,
        within if within is not None else french,
        lambda code: [french.get(code), english.get(code), *ABBREVIATED.get(code, ())],
        slips,
    )


# Countries as people write them short. Not the ISO codes, nor the French "EAU" of
# the Émirats arabes unis: "de", "in" and "eau" are words.
ABBREVIATED = {
    "US": ("USA", "US"),
    "GB": ("UK",),
    "AE": ("UAE",),
}


def country_name(code: str) -> str:
    """Return the name of the country ``code`` in the active language."""
    return country_names().get(code) or str(countries.name(code))


def country_names() -> dict[str, str]:
    """Return every country's name in the active language, by code.

    For a list of countries: the active language is looked up once (7 µs each
    time, through asgiref's context-local storage), not once per country.
    """
    return names_in(_active_language())


@functools.lru_cache(maxsize=len(settings.LANGUAGES) + 1)
def codes_by_name(language: str) -> tuple[str, ...]:
    """Return every country's code sorted by its name in ``language``, accents and
    case ignored."""
    names = names_in(language)
    return tuple(sorted(names, key=lambda code: fold(names[code])))


def in_name_order(codes) -> list[str]:
    """Return the country codes ``codes`` sorted by name in the active language.

    From the order made once per language (``codes_by_name``): a filter of 200
    countries folded and sorted their names on each request.
    """
    codes = set(codes)
    ordered = [code for code in codes_by_name(_active_language()) if code in codes]
    if len(ordered) < len(codes):  # codes django-countries does not name, last
        ordered += sorted(codes.difference(ordered))
    return ordered


def country_list(codes) -> str:
    """Return the countries ``codes`` by name, in name order, in the active
    language: "Corée du Sud, Japon"."""
    return ", ".join(country_name(code) for code in in_name_order(codes))


class NamedCountries(Countries):
    """The countries of django-countries, named from ``names_in``'s table.

    The models' country fields (``CountryField`` below) use it, so that
    ``record.country.name`` in a template is a look-up in a dict.
    """

    def name(self, code) -> str:
        found = country_names().get(code) if isinstance(code, str) else None
        return found if found is not None else super().name(code)

    def __bool__(self) -> bool:
        # Country.countries asks "custom_countries or countries" on every name:
        # django-countries' answer walks the language's whole list.
        return True

    def alpha2(self, code) -> str:
        # Each Country a field returns asks for it: a known code is its own.
        if isinstance(code, str) and code in country_names():
            return code
        return super().alpha2(code)


def _active_language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


class CountryField(fields.CountryField):
    """django-countries' field, its countries named by ``NamedCountries``.

    Its migrations are those of django-countries' field: how a country is named is
    Python's business, not the database's.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("countries", NamedCountries)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        if kwargs.get("countries") is NamedCountries:
            del kwargs["countries"]
        return name, "django_countries.fields.CountryField", args, kwargs
