"""Country names in the active language, from a table made once per language.

django-countries translates a name on each call, about 70 µs: a list page names a
country on every card, and the offices list a hundred of them.
"""

import functools
import re

from django.conf import settings
from django.utils import translation
from django_countries import Countries, countries, fields

from partners.demonyms import demonyms
from partners.endonyms import ENDONYMS
from partners.regions import region_phrases
from partners.search import (
    ACRONYM_STOP_WORDS,
    STOP_WORDS_FOLDED,
    best_named,
    fold,
    phrase_words,
    typed_words,
    without_stop_words,
    word_sequence,
    written_words,
)


@functools.lru_cache(maxsize=len(settings.LANGUAGES) + 1)
def names_in(language: str) -> dict[str, str]:
    """Return every country's name in ``language``, by its two-letter code."""
    with translation.override(language):
        return {code: str(name) for code, name in countries}


def countries_named(
    text: str, within=None, slips: bool = True, known=None
) -> list[str]:
    """Return the codes of the countries ``text`` names, in French or English.

    Best first (``best_named``), then in the order of ``within``, the codes to look
    among (every country by default). ``slips``: also those it nearly names
    ("japn"). Else the stop words typed left out ("au japon", "in japan"; not
    first: the "s" of "U.S." is one).

    A word typed starts a word of the names ("allem": Allemagne), unless it is
    a word of its own (``words_of_their_own``), which names by a whole word:
    "sao" names Sao Tomé-et-Principe, not Arabie saoudite, "niger" Niger, not
    Nigeria. ``known``: a function returning those of some words that the
    records hold, words of their own too ("sao" of São Paulo).
    """
    french, english = names_in("fr"), names_in("en")

    def named(typed: str) -> list[str]:
        return best_named(
            typed,
            within if within is not None else french,
            lambda code: [
                french.get(code),
                english.get(code),
                *OTHER_NAMES.get(code, ()),
            ],
            slips,
            whole=words_of_their_own(typed, known),
        )

    found = named(text)
    if not found and (kept := without_stop_words(text)) != text:
        return named(kept)
    return found


def words_of_their_own(text: str, known=None) -> frozenset[str]:
    """Return the words of ``text`` (folded) that are words of their own, not
    the start of a longer one: those of the countries' names and of their
    people (``country_name_words``), and, asked of ``known`` (a function
    returning those of some words the records hold), the others that start a
    word of a name. A search is typed whole: "São" is the word of São Paulo,
    not the start of "saoudite"."""
    typed = typed_words(text)
    own = country_name_words()
    whole = {word for word in typed if word in own}
    starting = [
        word for word in typed if word not in whole and _starts_a_name_word(word)
    ]
    if starting and known is not None:
        whole |= set(known(starting))
    return frozenset(whole)


@functools.cache
def country_name_words() -> frozenset[str]:
    """Return the words of every country's names, French, English and others
    (``OTHER_NAMES``), and of its people (``demonyms``), folded."""
    names = [
        *names_in("fr").values(),
        *names_in("en").values(),
        *(name for names in OTHER_NAMES.values() for name in names),
        *(word for words in demonyms().values() for word in words),
    ]
    return frozenset(word for name in names for word in typed_words(name))


@functools.lru_cache(maxsize=4096)
def _starts_a_name_word(typed: str) -> bool:
    """Tell whether ``typed`` starts a longer word of the countries' names."""
    return any(
        word.startswith(typed) and word != typed for word in country_name_words()
    )


def country_code_typed(text: str) -> str | None:
    """Return the country whose ISO code ``text`` is, typed in capitals ("JP",
    "CN"), or None. In lower case it is no code: "de", "in", "eau" are words;
    nor an acronym the search takes as such ("AI" is no Anguilla, "IT" no
    Italy: ``ACRONYM_STOP_WORDS``)."""
    code = text.strip()
    if (
        len(code) == 2
        and code.isascii()
        and code.isalpha()
        and code.isupper()
        and code.lower() not in ACRONYM_STOP_WORDS
    ):
        return code if code in names_in("en") else None
    return None


def countries_listed(text: str) -> list[str]:
    """Return the countries ``text`` names one after another, nothing else but stop
    words between them ("japan brazil", "Japon et Brésil"), in the order typed;
    none for one country or other words."""
    codes, rest = [], text
    while named := country_among_words(rest):
        code, rest = named
        codes.append(code)
    if not codes or not (last := country_named_whole(rest)):
        return []
    return list(dict.fromkeys([*codes, last]))


@functools.lru_cache(maxsize=4096)
def country_among_words(text: str) -> tuple[str, str] | None:
    """Return the country named among the words of ``text`` and its other words
    ("robotique japon": "JP", "robotique"), or None.

    A country's name in French or English, or another (``OTHER_NAMES``), typed whole
    and beside words that are not all stop words: a name alone is what
    ``countries_named`` answers. Stop words are left out of both ("etats unis d
    amerique", "united states america"). The longest name typed wins ("guinee
    equatoriale" is not Guinea), and a name two countries share ("Saint-Martin")
    names none. "US" is the country only typed in capitals ("contact us"). The
    other words are as written, but the stop words around them ("Université du
    Japon": "Université").

    Kept per text: a global search asks it a dozen times of its text.
    """
    # Every word, repeated ones too: "university of the united states of america".
    typed = word_sequence(text)
    written = written_words(text)
    # The positions of the words that are no stop words, where names are looked for.
    kept = [i for i, word in enumerate(typed) if word not in STOP_WORDS_FOLDED]
    words = [typed[i] for i in kept]
    runs = _country_word_runs()
    longest = _longest_country_run()
    # Words of no country's name inside a longer one ("Latin American").
    taken = _within_other_names(words)
    for length in range(min(longest, len(words) - 1), 0, -1):
        for start in range(len(words) - length + 1):
            run = tuple(words[start : start + length])
            if not (code := runs.get(run)) or run == ("us",) and written["us"] != "US":
                continue
            if taken.intersection(range(start, start + length)):
                continue
            # The other words, inner stop words kept ("university of tokyo
            # japan"), the name's left out ("united states of america").
            first, last = kept[start], kept[start + length - 1]
            others = _trimmed(typed[:first] + typed[last + 1 :])
            # Words a list accepts searched (``enough_letters``): not "x japon".
            if len("".join(others)) > 1:
                return code, " ".join(written.get(word, word) for word in others)
    return None


# Words every record of the site is about: "CNRS Japan" names Japan whole.
SITE_WORDS = frozenset({"cnrs"})


def country_named_whole(text: str) -> str | None:
    """Return the country ``text`` names, whole and nothing else, in French,
    English or another name (``OTHER_NAMES``), its stop words and the site's
    own (``SITE_WORDS``) left out ("le Mexique", "CNRS Japan"), or None. One
    lookup: the global search asks it of every text."""
    words = tuple(
        word
        for word in word_sequence(text)
        if word not in STOP_WORDS_FOLDED and word not in SITE_WORDS
    )
    if words == ("us",) and written_words(text).get("us") != "US":
        return None
    return _country_word_runs().get(words)


def _within_other_names(words: list[str]) -> set[int]:
    """Return the positions of ``words`` (folded, stop words left out) inside a
    name that holds a country's word but names no country (``NOT_COUNTRIES``):
    "latin american", "indian ocean", "british columbia"."""
    taken: set[int] = set()
    for start in range(len(words)):
        for name in _NOT_COUNTRY_RUNS:
            if tuple(words[start : start + len(name)]) == name:
                taken.update(range(start, start + len(name)))
    return taken


def _trimmed(words: list[str]) -> list[str]:
    """Return ``words`` without the stop words at either end."""
    kept = [i for i, word in enumerate(words) if word not in STOP_WORDS_FOLDED]
    return words[kept[0] : kept[-1] + 1] if kept else []


@functools.cache
def _country_word_runs() -> dict[tuple[str, ...], str]:
    """Every country's names as words, folded (``word_sequence``), stop words left
    out: its French and English names, without what follows a comma or a
    parenthesis ("Bahamas (The)", "Réunion, La"), its other ones, and the words of
    its people and things (``DEMONYMS``: "japonais"). Names two countries share
    are left out."""
    french, english = names_in("fr"), names_in("en")
    people = demonyms()
    runs: dict[tuple[str, ...], str | None] = {}
    for code in french:
        names = [french[code], english.get(code, ""), *OTHER_NAMES.get(code, ())]
        names += [re.split(r"[,(]", name)[0] for name in names]
        # "japonaises", "Brazilian": the country too, typed whole only.
        names += people.get(code, ())
        for name in filter(None, names):
            words = phrase_words(name)
            if words:
                runs[words] = code if runs.get(words, code) == code else None
    return {words: code for words, code in runs.items() if code}


def country_named_joined(text: str) -> str | None:
    """Return the country whose name of several words ``text`` writes joined,
    without its spaces or hyphens ("hongkong", "coreedusud", "etatsunis": accents
    and case ignored), or None. For an address, where a visitor leaves them out
    (/fr/countries/hongkong/); not for a search, where "newyork" names no country.
    """
    return _countries_by_joined_name().get("".join(word_sequence(text)))


@functools.cache
def _countries_by_joined_name() -> dict[str, str]:
    """Every country's names of two words or more (as ``_country_word_runs``, not
    its people's words), joined, with their stop words ("coreedusud") and without
    ("coreesud"). Names two countries share are left out."""
    french, english = names_in("fr"), names_in("en")
    joined: dict[str, str | None] = {}
    for code in french:
        names = [french[code], english.get(code, ""), *OTHER_NAMES.get(code, ())]
        names += [re.split(r"[,(]", name)[0] for name in names]
        for name in filter(None, names):
            words = word_sequence(name)
            if len(words) < 2:
                continue
            kept = [word for word in words if word not in STOP_WORDS_FOLDED]
            for key in {"".join(words), "".join(kept)}:
                joined[key] = code if joined.get(key, code) == code else None
    return {key: code for key, code in joined.items() if code}


@functools.cache
def _longest_country_run() -> int:
    """Return the number of words of the longest of ``_country_word_runs``."""
    return max(len(run) for run in _country_word_runs())


# The EU (CORDIS) writes EL for Greece and UK for the United Kingdom; ISO 3166 has GR
# and GB. Codes, not names: "el" is a word.
EU_COUNTRY_CODES = {"EL": "GR", "UK": "GB"}


# Countries as people write them short, or by a name other than django-countries'.
# Not the ISO codes, nor the French "EAU" of the Émirats arabes unis: "de", "in" and
# "eau" are words.
OTHER_NAMES = {
    # Their full names, which django-countries gives and the site no longer shows.
    "US": ("USA", "US", "États-Unis d’Amérique", "United States of America"),
    # The nations of the United Kingdom: their universities are British partners.
    "GB": (
        "UK",
        "Great Britain",
        "Grande-Bretagne",
        "Britain",
        "England",
        "Angleterre",
        "Scotland",
        "Écosse",
        "Wales",
        "Pays de Galles",
        "Northern Ireland",
        "Irlande du Nord",
    ),
    "AE": ("UAE",),
    "TR": ("Turkey",),
    "CZ": ("Czech Republic", "Tchéquie"),
    "NL": ("Holland", "Hollande"),
    "MU": ("Île Maurice",),
    "CD": ("RDC", "DRC"),
    # Former or common names.
    "CI": ("Ivory Coast",),
    "SZ": ("Swaziland", "Eswatini (République d’)"),
    "MM": ("Burma", "Myanmar"),
    "MK": ("Macedonia", "Macédoine", "République de Macédoine du Nord"),
    "CV": ("Cape Verde",),
    "TL": ("East Timor", "Timor Oriental"),
    "VA": ("Vatican", "Holy See"),
    "RU": ("Russian Federation", "Fédération de Russie"),
    # The Korea the CNRS works with: "universite coree" is no search in North Korea.
    "KR": ("Corée", "Korea"),
    # django-countries' spellings the site writes otherwise (COUNTRIES_OVERRIDE;
    # MK's and TL's are above): still found.
    "BS": ("Bahamas (The)",),
    "BZ": ("Bélize",),
    "FM": ("Micronésie (États Fédérés de)",),
    "GT": ("Guatémala",),
    "PS": ("Palestine, État de",),
    "RE": ("Réunion, La",),
    "SA": ("Arabie Saoudite",),
    "TT": ("Trinidad et Tobago",),
    "WF": ("Wallis et Futuna",),
    "SB": ("Salomon",),
}
# And the countries' names in their own languages ("Deutschland", "日本").
OTHER_NAMES = {
    code: (*OTHER_NAMES.get(code, ()), *ENDONYMS.get(code, ()))
    for code in {**OTHER_NAMES, **ENDONYMS}
}


# Names holding a country's name or the word of its people that name no country:
# oceans, a Canadian province, American states; and the regions a search names
# ("Latin American", "sud-américains": ``region_phrases``).
NOT_COUNTRIES = (
    "Indian Ocean",
    "océan Indien",
    "British Columbia",
    "Colombie-Britannique",
    "New England",
    "Nouvelle-Angleterre",
    "New Mexico",
    "Nouveau-Mexique",
    "New Jersey",
    "West Indies",
    "Indes occidentales",
)
_NOT_COUNTRY_RUNS = (
    *(phrase_words(name) for name in NOT_COUNTRIES),
    *region_phrases(),
)


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
