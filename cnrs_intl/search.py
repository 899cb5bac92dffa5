"""The global search: one query string, the matching records of every public kind.

Each kind is searched with its QuerySet's ``search()`` (both languages, accents and
case ignored), best matches first (``best_matches_first``: an exact acronym, then a name
starting with the words typed). Two queries per kind, whatever the size of the tables.

Countries, programmes and institutes come first: a visitor typing "Chine", "MSCA" or
"INSB" is after the country's or the programme's page, or the institute's units and
grants. They are few (the countries where the CNRS works, a few dozen programmes, ten
institutes), so they are matched here in Python, by the same folding of accents and
case, each typed word starting a word of the name (or nearly: one slip in a word of
four letters or more).
"""

import functools
import hashlib
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import connections
from django.db.models import F, Model
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import (
    get_language,
    gettext_lazy as _,
    ngettext,
    pgettext_lazy,
)
from django_countries.fields import Country

from cnrs_intl.countries import country_pages
from partners.addresses import detail_url
from partners.caching import cached_by_content, cached_count, cached_rows
from partners.country_names import (
    OTHER_NAMES,
    countries_listed,
    countries_named,
    country_among_words,
    country_code_typed,
    country_named_whole,
    names_in,
)
from partners.demonyms import demonyms
from partners.models import Office, Partner
from partners.pagination import rows_between
from partners.search import (
    DOCUMENT_WORDS,
    SEARCH_WORDS,
    STOP_WORDS_FOLDED,
    SUGGESTED_WORDS,
    best_named,
    code_shapes,
    code_typed_apart,
    common_words_only,
    correctable,
    corrected_words,
    fold,
    found_spans,
    known_among,
    most_words_meant,
    phrases_among,
    singular_forms,
    suggested_texts,
    typed_words,
    word_sequence,
    writings_in,
)
from partners.searchable import (
    NAMED_ELSEWHERE,
    coded_anywhere,
    known_anywhere,
    writings_from,
)
from programmes.models import Grant, Programme, Project
from units.models import Institute, Testimony, Unit

RESULTS_PER_KIND = 10
# A group of near misses ranks after every group of matches (``best_match_rank``).
NEAR_MISSES = NAMED_ELSEWHERE + 1


@dataclass
class SearchGroup:
    key: str
    label: str
    records: list
    total: int
    more_url: str | None
    # The list's name inside a sentence ("See all 12 results in ERC and MSCA grants"):
    # lower-casing the heading would lower the acronyms too.
    more_label: str = ""
    # No record of the kind held every word: ``records`` are the closest ones.
    near_misses: bool = False
    # The text whose words the records hold, marked where shown; none for near misses.
    searched: str = ""
    # The best match, when ``records`` come in another order (a kind named
    # alone, listed as its list is: ``listed_as_kind_named``), or None.
    leader: object = None
    # The words name another kind alone: ``records`` are those whose names hold
    # them (``found_by_names``), which their list, searching every text, outnumbers.
    names_only: bool = False
    # No record of any kind held every word, nor nearly: ``records`` hold all
    # of them but one (``most_words_groups``).
    most_words: bool = False

    @property
    def has_more(self) -> bool:
        return self.total > len(self.records)


# (key, label, queryset builder, list URL name or None, the list's name inside a
# sentence). Each kind's best matches come first (``best_matches_first``).
# The labels are headings: their "page title" context gives them a capitalised French
# translation, apart from the lower-case one of the same words inside sentences or as
# a model's verbose name.
KINDS = (
    (
        "units",
        _("Joint units"),
        lambda: (
            Unit.objects.public().for_list().with_quoted_people().with_public_partners()
        ),
        "units:list",
        _("joint units"),
    ),
    (
        "partners",
        _("Partner institutions"),
        lambda: Partner.objects.public(),
        "partners:list",
        _("partner institutions"),
    ),
    (
        "offices",
        pgettext_lazy("page title", "CNRS offices abroad"),
        lambda: Office.objects.public(),
        None,
        "",
    ),
    (
        "grants",
        pgettext_lazy("page title", "ERC and MSCA grants"),
        lambda: Grant.objects.public().for_list(),
        "programmes:grant-list",
        _("ERC and MSCA grants"),
    ),
    (
        "projects",
        _("Projects"),
        lambda: Project.objects.public().for_list(),
        "programmes:project-list",
        _("projects"),
    ),
)


@dataclass
class CountryResult:
    """A country the search found: its page, and what the CNRS has there."""

    code: str
    name: str
    summary: str

    def get_absolute_url(self) -> str:
        return detail_url("country-detail", "code", self.code)


def country_summary(row) -> str:
    """Say what the CNRS has in a country: "2 joint units · 14 partner institutions
    · 1 CNRS office"."""
    parts = [
        (
            row.units,
            ngettext("%(count)s joint unit", "%(count)s joint units", row.units),
        ),
        (
            row.partners,
            ngettext(
                "%(count)s partner institution",
                "%(count)s partner institutions",
                row.partners,
            ),
        ),
        (
            row.projects,
            ngettext("%(count)s project", "%(count)s projects", row.projects),
        ),
        (
            row.agreements,
            ngettext("%(count)s agreement", "%(count)s agreements", row.agreements),
        ),
        # A country where the CNRS has an office only said nothing.
        (
            row.hosted_offices,
            ngettext(
                "%(count)s CNRS office", "%(count)s CNRS offices", row.hosted_offices
            ),
        ),
    ]
    counted = [
        text % {"count": number_format(count, force_grouping=True)}
        for count, text in parts
        if count
    ]
    # Korea, covered from Tokyo, said nothing: the office is where to ask.
    covering = [office.city for office in row.covering_offices]
    if covering:
        counted.append(
            ngettext(
                "covered by the CNRS office in %(cities)s",
                "covered by the CNRS offices in %(cities)s",
                len(covering),
            )
            % {"cities": ", ".join(covering)}
        )
    return " · ".join(counted)


def matching_countries(text: str, slips: bool = True) -> list[CountryResult]:
    """Return the countries where the CNRS works named by ``text``, in either language.

    Best first, then by name in the active language. ``slips``: also those it
    nearly names ("japn"), as for programmes and institutes.
    """
    if names_kinds_only(text):
        # "french research institutes abroad": the Umifre, not France.
        return []
    rows = {row.code: row for row in country_pages()}
    # "São": the word of São Paulo, where records hold it, not the start of
    # "saoudite" (``words_of_their_own``).
    alias = Partner.objects.all().db
    codes = countries_named(
        text,
        within=rows,
        slips=slips,
        known=lambda words: known_anywhere(words, alias),
    )
    if (typed := country_code_typed(text)) in rows:
        # "JP", "CN": the country whose code it is, first ("JP" found nothing,
        # "BR" Brazil, Brunei and Bruxelles by their first letters). Only where
        # the CNRS works: "PE" and "LS" are ERC panels, Peru and Lesotho else.
        return country_results([typed], rows) + country_results(
            [code for code in codes if code != typed], rows
        )
    if not codes and (listed := countries_listed(text)):
        # "japan brazil", "Japon et Brésil": each, Brazil was dropped.
        return country_results([code for code in listed if code in rows], rows) + [
            nothing_published(code) for code in listed if code not in rows
        ]
    if not codes and (code := country_named_whole(text)):
        # "Mexique": its page says that nothing is published about it yet. Its
        # slips were offered instead ("Amérique": the United States).
        if code not in rows:
            return [nothing_published(code)]
        codes = [code]  # "japonais": the words of its people (``DEMONYMS``)
    return country_results(codes, rows)


def country_coded(text: str) -> str | None:
    """Return the country whose ISO code ``text`` is, typed alone in capitals,
    where the CNRS works ("JP", "DE": ``country_code_typed``), or None.

    Asked before the words are refused as too common: "DE", "IN", "AT", "ES",
    "NO" are stop words in lower case, refused alone ("de", "in"); typed in
    capitals, Germany, India, Austria, Spain, Norway. The countries' activity
    is read (cached) only for two capitals."""
    code = country_code_typed(text)
    if code is None:
        return None
    return code if any(row.code == code for row in country_pages()) else None


def unpublished_country_coded(text: str) -> str | None:
    """Return the country whose ISO code ``text`` is, typed alone in capitals, a
    stop word ("DE", "IN", "AT", "ES", "NO": ``country_code_typed``), when
    nothing is published about that country and no record has the code for its
    own (``coded_anywhere``); else None.

    What the search then answers: that nothing is published there ("DE" on a
    site with no German record), where "a word too common" was true of "de"
    and misleading for Germany's code."""
    code = country_code_typed(text)
    if code is None or not common_words_only(text) or country_coded(text):
        return None
    return None if coded_anywhere(text) else code


def nothing_published(code: str) -> CountryResult:
    """Return the country ``code`` as a result where nothing is published."""
    return CountryResult(code, Country(code).name, _("nothing published yet"))


def country_results(codes: list[str], rows: dict) -> list[CountryResult]:
    """Return the countries ``codes`` as results, from their activity ``rows``."""
    return [
        CountryResult(code, rows[code].name, country_summary(rows[code]))
        for code in codes
    ]


def country_searched_in(text: str, found: dict) -> list[CountryResult]:
    """Return the country named among the words of ``text`` when the records
    found (``found``: each kind's ``found(text)``) are found only in it
    ("robotique japon": the JRL, in Japan, holds "robotique"), or nothing.

    Not when a record holds every word: "Jordan Smith", a laureate, is no search
    in Jordan. When no record is found at all, or the other words only name kinds
    of records ("labs in japan"), the country named ("universities in India": its
    page names the office to ask), rather than near misses.
    """
    if names_kinds_only(text):
        return []  # "french research institutes abroad" (``matching_countries``)
    named = country_among_words(text)
    if all(matches is None for matches in found.values()) or (
        named and names_kinds_only(named[1])
    ):
        # Or a kind named in it: "labs in japan", "partenaires en Corée".
        code = named[0] if named else None
    else:
        searched = [
            queryset().searched_in_country(text)
            for key, _label, queryset, *_ in KINDS
            if found[key] is not None
        ]
        # A kind found no other way (grants, in no country, hold every word).
        if None in searched:
            return []
        code = searched[0][0]
    if code is None:
        return []
    rows = {row.code: row for row in country_pages()}
    if code not in rows:
        # "physique Allemagne": that nothing is published there is the answer.
        return [nothing_published(code)]
    return country_results([code], rows)


def matching_programmes(text: str, slips: bool = True) -> list[Programme]:
    """Return the public programmes whose names, acronym or former name ``text`` gives.

    Best first, then in the programmes' order (kind, then name). One query.
    """
    programmes = list(Programme.objects.public().in_kind_order())
    return named_by_any(text, programmes, programme_names, slips)


def named_by_any(text: str, candidates, names, slips: bool) -> list:
    """Return the ``candidates`` that ``text`` names (``best_named``, words in
    another form too: "biology" names the Institute of Biological Sciences), or
    else that it names in other words: without the words naming kinds of records
    ("ERC grants", "programme Horizon 2020", "unités INC"), or its codes in
    another shape ("Horizon2020")."""
    for typed in dict.fromkeys([text, without_kind_words(text), *code_shapes(text)]):
        if typed.strip() and (
            found := best_named(typed, candidates, names, slips, stems=True)
        ):
            return found
    return []


# Words naming the programmes and institutes themselves, beside their names.
NAMED_KIND_WORDS = frozenset(
    {
        ("programme",),
        ("programmes",),
        ("program",),
        ("programs",),
        ("institut",),
        ("instituts",),
        ("institute",),
        ("institutes",),
    }
)


def without_kind_words(text: str) -> str:
    """Return the words of ``text`` but those naming a kind of records whole
    ("grants", "unités", "programme", "institute": not "ERC", which names a
    programme too) and its stop words, or ``text`` itself when none does."""
    words = word_sequence(text)
    named, left = phrases_among(
        words, NAMED_KIND_WORDS | kind_phrases_anywhere(whole_kinds=True)
    )
    if not named:
        return text
    return " ".join(words[i] for i in left if words[i] not in STOP_WORDS_FOLDED)


def programme_names(programme: Programme) -> list[str]:
    """The names a programme is searched by: both languages', its acronym, its
    former name in both languages ("Marie Curie Actions" on a French page)."""
    return [
        programme.name_fr,
        programme.name_en,
        programme.acronym,
        programme.former_name_fr,
        programme.former_name_en,
    ]


def matching_institutes(text: str, slips: bool = True) -> list[Institute]:
    """Return the CNRS institutes whose names or code ``text`` gives ("INSB",
    "biologie"), best first, then by code. Read once per content version."""
    institutes = cached_rows(Institute.objects.order_by("code"))
    return named_by_any(text, institutes, institute_names, slips)


def institute_names(institute: Institute) -> list[str]:
    """The names an institute is searched by: both languages', its code."""
    return [institute.name_fr, institute.name_en, institute.code]


def matching_testimonies(text: str, slips: bool = True) -> list[Testimony]:
    """Return the published testimonies of the person ``text`` names ("Antoine
    Petit", "Kheddar"), best first, then in the home page's order. Read once per
    content version: they are a few dozen, and the home page shows them all."""
    testimonies = cached_rows(Testimony.objects.public().for_list())
    # Names are no words: "Petti" has the stem of "Petit" but is another name.
    return best_named(text, testimonies, testimony_names, slips)


def testimony_names(testimony: Testimony) -> list[str]:
    """The names a testimony is searched by: its person's."""
    return [testimony.person.full_name]


# The kinds matched by their names in Python, few: (key, label, matching function).
NAMED_KINDS = (
    ("countries", _("Countries"), matching_countries),
    ("programmes", _("Programmes"), matching_programmes),
    # Researchers look for their institute's units and grants: the lists
    # filtered by it.
    (
        "institutes",
        pgettext_lazy("page title", "CNRS institutes"),
        matching_institutes,
    ),
    # Quoted on the home page or a unit's, the CNRS's officers among them, whom
    # no other record names ("Antoine Petit").
    ("testimonies", _("Testimonials"), matching_testimonies),
)


def suggested_anywhere(text: str) -> str | None:
    """Return ``text`` with each word replaced by its closest known word, or None:
    the first of ``suggestions_anywhere``."""
    suggestions = suggestions_anywhere(text)
    return suggestions[0] if suggestions else None


def suggestions_anywhere(text: str) -> list[str]:
    """Return ``text`` with each word replaced by its closest known word, likeliest
    first (``partners.search.suggested_texts``), or none.

    The known words are those of the names of partners and units, the acronyms
    and titles of grants and projects, the names of people (directors, laureates:
    ``SEARCH_WORDS``), the long texts of units, grants, projects and offices
    (descriptions, themes, summaries, roles: ``DOCUMENT_WORDS``), the names of
    the countries, programmes and institutes, the closest of them all
    (``partners.search.suggested_texts``); of words as close, a short text's.
    """
    connection = connections[Partner.objects.all().db]

    def suggest():
        # Most searches are typed right: the words are looked up first, by the
        # tables' keys, and the closest of a million partners' words read only
        # when one is known nowhere.
        words = [word for word in typed_words(text) if correctable(word)]
        # A plural is known by its singular ("universities", "bureaux"), as the
        # search finds it (``singular_words``).
        plurals = {word: singular_forms(word) for word in words}
        asked = words + [form for forms in plurals.values() for form in forms]
        known = known_among(asked, SEARCH_WORDS.values(), connection)
        more_known = (
            country_words(get_language())
            + named_words()
            + [fold(word) for word in kind_words()]
        )
        known |= set(more_known)

        def all_known() -> bool:
            return all(
                word in known or known.intersection(plurals[word]) for word in words
            )

        if all_known():
            return []
        # A word of the long texts typed right is no slip either ("robotique",
        # a theme), asked only then: a search of names reads them no more.
        known |= known_among(asked, DOCUMENT_WORDS.values(), connection)
        if all_known():
            return []
        return suggested_texts(
            text,
            SUGGESTED_WORDS,
            connection,
            more_known=more_known,
            writings=written_anywhere,
        )

    # Asked by the global search, then by "Did you mean": once per content version
    # and language (the page's country names first).
    key = f"suggestions:{get_language()}:" + hashlib.sha256(text.encode()).hexdigest()
    return cached_by_content(key, suggest)


def names_kinds_only(text: str) -> bool:
    """Tell whether the words of ``text`` but its stop words all name kinds of
    records ("labs", "partenaires et bureaux": ``kind_words``)."""
    words = word_sequence(text)
    named, left = phrases_among(words, kind_phrases_anywhere())
    return bool(named) and all(words[i] in STOP_WORDS_FOLDED for i in left)


@functools.cache
def kind_phrases_anywhere(whole_kinds: bool = False) -> frozenset[tuple[str, ...]]:
    """Return the phrases naming a kind of record, any model's (``kind_words``,
    as typed); ``whole_kinds``: only those naming every record of their kind
    ("grants", "unités"; not "ERC", which names a programme too)."""
    return frozenset(
        phrase
        for _key, _label, queryset, *_rest in KINDS
        for phrase, lookups in queryset().folded_kind_words().items()
        if not (whole_kinds and lookups)
    )


@functools.cache
def kind_words() -> list[str]:
    """The words naming a kind of record that the search understands
    ("partenaires", "bureaux", "organismes" and "recherche": ``kind_words`` of
    each kind's QuerySet)."""
    words = {
        word
        for _key, _label, queryset, *_ in KINDS
        for phrase in queryset().kind_words
        for word in phrase.split()
    }
    return sorted(words)  # as written: "établissements"


@functools.cache
def country_words(language: str = "fr") -> list[str]:
    """The words of the countries' names in French and English, folded: those of
    ``language`` first, each part in alphabetical order."""
    words: dict[str, None] = {}
    for names in country_name_parts(language):
        part = {
            word for name in names for word in typed_words(name) if correctable(word)
        }
        words.update(dict.fromkeys(sorted(part)))
    return list(words)


def country_name_parts(language: str) -> tuple[list[str], list[str]]:
    """The countries' names in ``language``, then in the other language,
    ``OTHER_NAMES`` and the words of their people (``demonyms``): those the
    search and the suggestions know."""
    other = "en" if language == "fr" else "fr"
    return list(names_in(language).values()), [
        *names_in(other).values(),
        *(name for names in OTHER_NAMES.values() for name in names),
        *(word for words in demonyms().values() for word in words),
    ]


def named_words() -> list[str]:
    """The words of the programmes' and institutes' names, acronyms and codes,
    folded: known words too ("marie curie" is the MSCA's, no misspelt "marine";
    "horizn" a slip of "horizon"). Read once per content version."""

    def read():
        return sorted(
            {
                word
                for name in named_names()
                for word in typed_words(name)
                if correctable(word)
            }
        )

    return cached_by_content("named-words", read)


def named_texts() -> list[tuple[str | None, str]]:
    """The programmes' and institutes' names, each with its language, and their
    acronyms and codes (in none)."""
    names = [
        *(
            pair
            for programme in Programme.objects.public()
            for pair in zip(
                ("fr", "en", None, "fr", "en"), programme_names(programme), strict=True
            )
        ),
        *(
            pair
            for institute in cached_rows(Institute.objects.order_by("code"))
            for pair in zip(("fr", "en", None), institute_names(institute), strict=True)
        ),
    ]
    return [(language, name) for language, name in names if name]


def named_names() -> list[str]:
    """The programmes' and institutes' names, acronyms and codes."""
    names = [
        name
        for programme in Programme.objects.public()
        for name in programme_names(programme)
    ]
    names += [
        name
        for institute in cached_rows(Institute.objects.order_by("code"))
        for name in institute_names(institute)
    ]
    return [name for name in names if name]


def written_anywhere(corrections: dict[str, str | None]) -> dict[str, str]:
    """Return how the records write ``corrections``, folded words each with the
    table of known words it is from, or None: the names of the countries,
    programmes and institutes, the words naming kinds of records
    (``writings_from``, ``writings_in``)."""
    named = [word for word, table in corrections.items() if table is None]
    # Each with its language, where it has one: "institut" is the French word.
    countries = [
        *((code, name) for code in ("fr", "en") for name in names_in(code).values()),
        *country_name_parts("fr")[1],
    ]
    found = writings_in([*countries, *named_texts(), *kind_words()], named)
    sources = {}
    for _key, _label, queryset, *_rest in KINDS:
        sources |= queryset().word_sources()
    return found | writings_from(corrections, sources)


def did_you_mean(text: str, groups: list[SearchGroup]) -> str | None:
    """Return what ``text`` likely meant when no kind of record holds its words,
    or when its matches hold the words misspelt only in another form.

    A word known nowhere (in no name, title, acronym nor person's name:
    ``suggestions_anywhere`` corrects no other) is found, when found, in the
    long texts, by its stem: "institue" is stemmed "institu", as "institutions"
    in two offices' texts, and "environement" "environ", as "environnement".
    Those matches then hold no word as typed, and what was meant is offered
    beside them. Not when a match shown holds a word corrected as typed: the
    word is the texts' own ("photosynthèse", or "shales" in a unit's
    description, a slip of "Thales"). Only words that find something: people's
    names are known words, and someone quoted in a testimony of no unit, or a
    draft one ("patick": "patrick"), is no unit's director, quoted person nor
    any laureate.
    """
    matched = [group for group in groups if group.total and not group.near_misses]
    shown = [record for group in matched for record in group.records]
    # The likeliest that finds something: "Institue de chimie" is "Institut de
    # chimie", then "Institute de chimie" were it to find nothing. None that
    # names a match shown ("Compas": the unit COMPASS, ``named_by``).
    return next(
        (
            suggestion
            for suggestion in suggestions_anywhere(text)
            if not held_as_typed(shown, text, suggestion)
            and not named_by(shown, suggestion)
            and finds_anything(suggestion)
        ),
        None,
    )


def held_as_typed(records, text: str, suggestion: str) -> bool:
    """Tell whether a text of one of ``records`` (its names, its description…:
    every text field read) holds a word of ``text`` that ``suggestion``
    corrects, whole or in the singular ("shales": "shale"), not only a word the
    search finds it in by its stem or its start ("institue": "institutions",
    "massachusets": "Massachusetts")."""
    corrected = corrected_words(text, suggestion)
    wanted = corrected | {form for word in corrected for form in singular_forms(word)}
    return any(wanted.intersection(typed_words(value)) for value in texts_of(records))


def named_by(records, suggestion: str) -> bool:
    """Tell whether one of ``records`` is named ``suggestion`` as a whole (its
    acronym, its name: a text of its own, folded): "Compas" finds the unit
    COMPASS, which "Did you mean COMPASS?" would only offer again."""
    wanted = typed_words(suggestion)
    return any(typed_words(value) == wanted for value in texts_of(records))


def texts_of(records):
    """Yield the texts of ``records`` read from the database, and their names."""
    for record in records:
        for value in getattr(record, "__dict__", {}).values():
            if isinstance(value, str):
                yield value
        yield str(record)


def typed_within(records, words: set[str]) -> bool:
    """Tell whether one of ``records`` holds each of ``words`` (folded) as typed,
    as a word or inside one ("univ" in "Université"), in its texts or those of
    the records read with it (a unit's partners, director and quoted people, a
    grant's laureate): found by them as typed, not only in another form, its
    stem or its singular ("massachusets": "Massachusetts", "institue":
    "institutions"). Nothing read again: the texts are those shown."""
    return any(
        all(word in texts for word in words)
        for texts in (
            " ".join(fold(text) for text in [str(record), *loaded_texts(record)])
            for record in records
        )
    )


def loaded_texts(record, depth: int = 2):
    """Yield the texts of ``record`` and of the records read with it, ``depth``
    relations away at most: those joined (``select_related``) or prefetched
    into a list (a unit's ``public_partnerships``, each with its partner).
    Their fields only: a related record's ``str()`` may read others."""
    for value in vars(record).values():
        if isinstance(value, str):
            yield value
        elif depth and isinstance(value, list):
            for item in value:
                if isinstance(item, Model):
                    yield from loaded_texts(item, depth - 1)
    if depth and (state := getattr(record, "_state", None)) is not None:
        for related in state.fields_cache.values():
            if isinstance(related, Model):
                yield from loaded_texts(related, depth - 1)


def finds_anything(text: str) -> bool:
    """Tell whether the global search of ``text`` has a match, not a near miss.

    Its counts are those the search of ``text`` reads then, from the cache.
    """
    return any(
        matching(code_typed_apart(text) or text, slips=False)
        for _key, _label, matching in NAMED_KINDS
    ) or any(queryset().finds(text) for _key, _label, queryset, *_ in KINDS)


def global_search(text: str) -> list[SearchGroup]:
    """Return, for each public kind, its best matches for ``text`` and their number;
    for a kind without any, its closest records (``near_misses``) when no kind has
    any or a word typed looks misspelt (``suggested_anywhere`` corrects it)."""
    # Countries, programmes and institutes nearly named ("japn", "horizn") are
    # near misses too: counted as results, they left a misspelt word without
    # notice nor suggestion.
    # "C N R S": a code typed letter by letter names no country by its letters.
    names = code_typed_apart(text) or text
    named = {key: matching(names, slips=False) for key, _, matching in NAMED_KINDS}
    # Words naming a kind and nothing else ("projects", "laboratoires"): the
    # records of that kind, and of the other kinds those whose names hold the
    # words. Their long texts' matches came first and were noise: every grant
    # whose summary says "project" (0.3 s at 100,000 grants), the Washington
    # office whose role says "United States" for "units".
    naming = kinds_naming(text)
    found = {
        key: (
            queryset().found(text)
            if not naming or key in naming
            else queryset().found_by_names(text)
        )
        for key, _, queryset, *_ in KINDS
    }
    if not named["countries"]:
        # "robotique japon": Japan, where the units found are, leads.
        named["countries"] = country_searched_in(text, found)
    # The closest records of a kind are offered when no kind holds the words, or
    # when a word typed is known nowhere and close to a known one: beside matches
    # of words rightly typed they were noise ("United States" offered a unit in
    # Brazil); beside what a misspelt word happened to find, they are what was
    # meant ("Massachusets": MIT, beside a unit in Cambridge, Massachusetts,
    # found by the word's stem).
    # Stop words alone ("the") are no misspelling, of "thea" nor any word.
    suggestions = [] if common_words_only(text) else suggestions_anywhere(text)
    # Each kind's matches, best first: those of a word misspelt hold it in
    # another form alone ("institue": "institutions", by its stem); one that
    # holds it as typed says it is the texts' word ("shales" in a unit's
    # description), and its slip ("Thales") is no suggestion, nor its near
    # misses noise beside it (``held_as_typed``).
    shown = {
        key: best_records(matches, text)
        for key, matches in found.items()
        if matches is not None
    }
    matched = [
        *(record for records in named.values() for record in records),
        *(record for _total, records, _leader in shown.values() for record in records),
    ]
    suggestions = [
        suggestion
        for suggestion in suggestions
        if not held_as_typed(matched, text, suggestion)
        and not named_by(matched, suggestion)
    ]
    suggestion = suggestions[0] if suggestions else None
    # A word typed that no record holds, close to one that some do (a slip:
    # ``suggestions_anywhere``): a kind none of whose matches shown holds it as
    # typed, even inside a word ("univ"), found them by another form of it
    # alone, its stem or its singular ("Massachusets": the unit in Cambridge,
    # Massachusetts, by the stem "massachuset"). Close records, as the other
    # kinds' are (MIT, whose own name is the word meant), not matches ranked
    # above them.
    slipped = (
        {
            key
            for key, (_total, records, _leader) in shown.items()
            if not typed_within(records, corrected_words(text, suggestion))
        }
        if suggestion
        else set()
    )
    # Nor when the words name a kind of record, of which none is published
    # ("umifre", "organisations internationales"): the units holding
    # "international" are not what was meant.
    offer_closest = not (
        any(named.values())
        or any(matches is not None for matches in found.values())
        or kinds_named(text)
    ) or bool(suggestion)
    # The closest records are those the words likely meant find, when they find
    # some: "Avilla" offered Tel Aviv University, "Artur Ávila" finds the unit
    # that quotes him. Else each kind's near misses. The likeliest suggestion
    # that finds some (``suggestions_anywhere``).
    corrected, by_suggestion = {}, False
    for suggestion in suggestions if offer_closest else []:
        corrected = {
            key: queryset().found(suggestion)
            for key, _label, queryset, *_ in KINDS
            if found[key] is None
        }
        by_suggestion = any(matches is not None for matches in corrected.values())
        if by_suggestion:
            break
    groups = []
    for key, label, matching in NAMED_KINDS:
        records, near_misses = named[key], False
        if not records and offer_closest:
            records, near_misses = matching(names), True
        groups.append(
            SearchGroup(
                key,
                label,
                records[:RESULTS_PER_KIND],
                len(records),
                None,
                near_misses=near_misses,
                searched="" if near_misses else text,
            )
        )
    for key, label, queryset, list_url, more in KINDS:
        matches, near_misses = found[key], False
        if key in slipped:
            near_misses = True
        elif matches is None and by_suggestion:
            matches, near_misses = corrected[key], True
        elif matches is None and offer_closest:
            matches, near_misses = queryset().search_or_near_misses(text)
        if key in shown:
            total, records, leader = shown[key]
        else:
            total, records, leader = best_records(matches, text, near_misses)
        groups.append(
            SearchGroup(
                key,
                label,
                records,
                total,
                list_searched(list_url, text),
                more,
                near_misses,
                searched="" if near_misses else text,
                leader=leader,
                names_only=bool(naming) and key not in naming and not near_misses,
            )
        )
    # The kinds whose best match is best first ("mit": the MIT, its acronym,
    # before a unit whose description names it), near misses last; the kinds
    # matched by their names lead, then the kinds the words name.
    named_groups, kinds = groups[: len(NAMED_KINDS)], groups[len(NAMED_KINDS) :]
    return named_groups + sorted(
        kinds,
        key=lambda group: (
            not (group.key in naming and group.records),
            *best_match_rank(group, suggestion or ""),
        ),
    )


def list_searched(list_url: str | None, text: str) -> str | None:
    """Return the address of the list ``list_url`` (a URL name) searched for
    ``text``, where a kind's "see all" leads; None for a kind without a list."""
    return f"{reverse(list_url)}?{urlencode({'q': text})}" if list_url else None


def records_found(groups: list[SearchGroup]) -> int:
    """Return how many records ``groups`` found holding the words searched: not
    near misses, nor the country named among words that nothing there holds
    (``country_searched_in``: "universite kyoto japon robotics" lists Japan),
    which the records holding most words follow (``most_words_groups``). A
    country named whole ("Japon") finds its records besides."""
    return sum(
        group.total
        for group in groups
        if not group.near_misses and group.key != "countries"
    )


def most_words_groups(
    text: str, suggestions: list[str] = ()
) -> tuple[list[SearchGroup], set[str], str]:
    """Return the groups of the records of each kind holding every word of
    ``text`` but one (``most_words``), the kinds whose best match is best
    first, the words (folded) that some of them lack, and the text whose words
    they hold: ``text``, or the first of ``suggestions`` (its words likely
    meant, none of which finds anything) when a word they correct is held by
    none of those records, a slip ("Universty of Tokyo Kyoto": "University of
    Tokyo Kyoto", ``most_words_meant``).

    What the search page shows when no record of any kind holds every word,
    nor nearly, and no word looks misspelt: "Technical University of Munich
    Garching" finds the TUM. A query at most per kind and text tried for the
    records and the words they hold (``words_held_counts``), then the rows
    shown, of the text chosen only.

    None for kinds of records named in a country ("organisations
    internationales au Japon"): the country is the answer
    (``country_searched_in``), as the lists offer no records then.
    """
    if (named := country_among_words(text)) and names_kinds_only(named[1]):
        return [], set(), text
    meant = most_words_meant(text, list(suggestions), most_words_of_kinds)
    if meant is None:
        return [], set(), text
    searched, found = meant
    groups, left_out = [], set()
    for (key, label, _queryset, list_url, more), records in found:
        left_out.update(records.words_left_out(searched))
        best = records.most_words_first(searched)
        groups.append(
            SearchGroup(
                key,
                label,
                list(
                    rows_between(
                        best.annotate(match_rank=F("_best_match")),
                        0,
                        RESULTS_PER_KIND,
                    )
                ),
                cached_count(records),
                list_searched(list_url, text),
                more,
                searched=searched,
                most_words=True,
            )
        )
    return sorted(groups, key=best_match_rank), left_out, searched


def most_words_of_kinds(text: str):
    """Return the records of each kind (``KINDS``) holding every word of
    ``text`` but one, each with its kind, and the words (folded) none of them
    holds; None when no kind has any. One query per kind at most."""
    found, held_by_none = [], None
    for kind in KINDS:
        _key, _label, queryset, *_rest = kind
        records = queryset().most_words(text)
        if records is None:
            continue
        found.append((kind, records))
        unheld = records.words_held_by_none(text)
        held_by_none = unheld if held_by_none is None else held_by_none & unheld
    return (found, held_by_none) if found else None


def best_records(
    matches, text: str, near_misses: bool = False
) -> tuple[int, list, object]:
    """Return the number of ``matches`` (or None: none), the first of them best
    first (``best_matches_first``), as a group of the global search shows them,
    and their best match when they are shown in another order (a kind named
    alone, in its list's order: ``SearchGroup.leader``), else None."""
    total = cached_count(matches) if matches is not None else 0
    if not total:
        return total, [], None
    best = matches.best_matches_first(text, near_misses)
    leader = None
    if not near_misses:
        best = best.annotate(match_rank=F("_best_match"))
        if (ranked := getattr(best.query, "best_ranked", None)) is not None:
            leader = ranked.annotate(match_rank=F("_best_match")).first()
    # Their cards' related records joined to ten rows, not to every match sorted
    # ("projects": the 100,000 grants, each with its laureate, unit and
    # institute, 0.4 s).
    return total, list(rows_between(best, 0, RESULTS_PER_KIND)), leader


def kinds_naming(text: str) -> set[str]:
    """Return the keys of the kinds (``KINDS``) the words of ``text`` name, and
    nothing else ("projets", "IRL", "universités"; not "universités au Japon")."""
    return {
        key
        for key, _label, queryset, *_rest in KINDS
        if queryset().names_kind_only(text)
    }


def kinds_named(text: str) -> list[str]:
    """Return the names of the kinds of record the words of ``text`` name, and
    nothing else ("umifre": the French research institutes abroad; "partenaires":
    the partner institutions), as the lists' kind filters show them."""
    names = []
    for _key, label, queryset, *_rest in KINDS:
        records = queryset()
        filters = records.kind_filters(text, ("kind",))
        if filters is None:
            continue
        if kind := filters.get("kind"):
            choices = dict(records.model._meta.get_field("kind").flatchoices)
            names.append(str(choices.get(kind, kind)))
        else:
            names.append(str(label))
    return names


def best_match_rank(group: SearchGroup, meant: str = "") -> tuple[int, int]:
    """Rank a group by its best match, its first record unless shown in another
    order (``SearchGroup.leader``) (``best_matches_first``'s rank: 0 for a
    code typed whole, 1 for a name starting with the words typed, 2 with the words
    after the stop words typed first, 3 for names holding them, 4 for a record
    found otherwise, by its description); 5 for near misses, 6 for no record.
    Then whether the record's own name or codes hold the words (for near misses,
    those ``meant``, the suggestion they are found by): "Marseille" found
    Aix-Marseille Université by its name, the unit <MSE>2 by its partner's, and
    listed the unit first."""
    if not group.records:
        return NEAR_MISSES + 1, 0
    record = group.leader or group.records[0]
    if group.near_misses:
        return NEAR_MISSES, 0 if meant and names_hold(record, meant) else 1
    return record.match_rank, 0 if names_hold(record, group.searched) else 1


def names_hold(record, text: str) -> bool:
    """Tell whether the name, title or codes ``record`` shows hold words of
    ``text`` (``found_spans``, as they are marked)."""
    shown = (
        getattr(record, field, "") for field in ("name", "title", "acronym", "code")
    )
    return any(found_spans(str(value), text) for value in shown if value)
