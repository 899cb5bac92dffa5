"""What a list's search does: the search methods of every public record's QuerySet.

``SearchableQuerySet`` finds, ranks and corrects records from the text a visitor
typed, with the folded texts, full-text documents and known words of
partners/search.py; each model's QuerySet says what its records are searched by
(``text_fields``, ``code_fields``, ``kind_words``...). ``PublishableQuerySet``
(partners/publication.py) builds on it.
"""

import functools
import hashlib
import heapq
import operator
import re
from collections import defaultdict
from collections.abc import Callable
from functools import reduce

from django.apps import apps
from django.conf import settings
from django.db import connections, models
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Length, Upper
from django.db.models.lookups import (
    Contains,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
)
from django.utils.translation import get_language

from partners.caching import cached_by_content, cached_count, count_key, remember
from partners.country_names import (
    countries_named,
    country_among_words,
    country_named_whole,
)
from partners.regions import region_phrases
from partners.search import (
    CORRECTIONS_PER_WORD,
    DOCUMENT_WORDS,
    MORE_CORRECTIONS_PER_WORD,
    MOST_WORDS_AT_MOST,
    MOST_WORDS_FROM,
    PREFIX_MIN_LENGTH,
    SEARCH_WORDS,
    STOP_WORDS_FOLDED,
    FullTextPrefix,
    MatchesPattern,
    NotFromIndex,
    SearchText,
    WordSimilarity,
    after_stop_words,
    code_forms,
    code_shapes,
    code_typed_apart,
    common_words_only,
    corrected_closeness,
    corrected_search,
    corrected_texts,
    corrections,
    document,
    dotted_acronyms,
    dotted_search,
    fold,
    full_text,
    holds,
    holds_no_word,
    known_among,
    most_words_meant,
    most_words_search,
    phrase_words,
    phrases_among,
    read_within,
    searched_words,
    shown_text,
    singular_forms,
    singular_words,
    suggested_texts,
    text_search,
    typed_words,
    typo_search,
    undotted,
    without_stop_words,
    word_conditions,
    word_pattern,
    word_sequence,
    words_apart_search,
    words_as_typed,
    words_held_apart,
    writings_in,
    written_pattern,
    written_words,
)

_PER_MODEL: dict[tuple[str, type[models.Model]], object] = {}


def per_model(method):
    """Cache a QuerySet method's answer, which depends on the code alone, per
    model and method. Not per class: modeltranslation makes a new QuerySet
    class for each QuerySet, and a cache per class grew at each request."""

    @functools.wraps(method)
    def cached(self):
        key = (method.__qualname__, self.model)
        if key not in _PER_MODEL:
            _PER_MODEL[key] = method(self)
        return _PER_MODEL[key]

    return cached


def coded_anywhere(text: str) -> bool:
    """Tell whether some published record has ``text`` for a code (``coded``), of
    any kind a search finds by its codes (``searched_by_codes``): stop words
    alone are searched where they are one ("who", "un"), on every list and the
    global search alike."""
    return any(
        model._default_manager.public().coded(text) is not None
        for model in searched_by_codes()
    )


@functools.cache
def searched_by_codes() -> tuple[type[models.Model], ...]:
    """Return the models whose records a search finds by their texts and their
    codes (partners, units, grants, projects): those of ``SearchableQuerySet``
    with ``text_fields`` and ``code_fields``, read from the app registry, since
    the apps to the right of this one cannot be imported here."""
    searched = []
    for model in apps.get_models():
        records = model._default_manager.all()
        if (
            isinstance(records, SearchableQuerySet)
            and records.text_fields
            and records.code_fields
        ):
            searched.append(model)
    return tuple(searched)


# What ends a code's first word ("UN-Habitat", "WHO Europe", "DE/FR"): a code
# typed is found where it starts a longer one so (``coded``).
CODE_WORD_ENDS = (" ", "-", "/")

# The countries a list searched for a text offers as its country filter at most
# (``country_offers``: "guinée" names four).
COUNTRIES_OFFERED = 3
# How many related records (people) a search follows: enough for any name.
RELATED_MATCHES = 500
# How many near misses may be ranked by the similarity of the whole text typed
# (pg_trgm's word_similarity: about 7 µs a record at a million partners).
SIMILARITY_RANKED_AT_MOST = 5000


# Builders of the public records of every kind the site searches, as its global
# search lists them: registered by it (cnrs_intl, the app that knows every other)
# once the apps are ready, so that a list asks other kinds' records
# (``country_offers``) without this base layer importing the apps built on it.
SEARCHED_KINDS: list[Callable[[], "SearchableQuerySet"]] = []


def found_by_any_kind(text: str) -> bool:
    """Tell whether records of some kind the site searches hold the words of
    ``text`` ("finance" in a unit's description). Their counts, cached."""
    return any(records().finds(text) for records in SEARCHED_KINDS)


class SearchableQuerySet(models.QuerySet):
    """Search methods shared by the QuerySets of the records the site searches."""

    # What free-text search looks in (partners/search.py): the short texts, every
    # language column named; the long texts by PostgreSQL text search configuration;
    # a related record's short texts, as (foreign key, its fields). Each model's
    # search indexes follow these lists.
    text_fields: tuple[str, ...] = ()
    document_fields: dict[str, tuple[str, ...]] = {}
    related_text_fields: tuple[str, tuple[str, ...]] | None = None
    # What a search's best match is judged by (``best_matches_first``): the
    # translated name or title that lists show, and the codes typed whole.
    title_field = "name"
    # Short texts that name no record but a place (cities): the records found
    # through them alone rank after those whose names hold the words
    # (``_named_rank``), as records found by a description do.
    place_fields: tuple[str, ...] = ()
    # Reverse relations tying a record to the CNRS's work (a partner's unit
    # partnerships and project participations): of the records whose code is
    # the words typed ("MIT"), those with one come first (``best_matches_first``).
    work_relations: tuple[str, ...] = ()
    code_fields: tuple[str, ...] = ("acronym",)
    # The country the records are in, for a search naming one among its words
    # (``found``); None: they are in none.
    country_field: str | None = None
    # Whether the records found by their texts and those of a country are united
    # as two subqueries (``with_matches``): when the country is one.
    united_by_subqueries = False
    # Words naming the records' kind, or some of them ("partenaires", "companies",
    # "organismes de recherche"), as written, and the filter each stands for ({}:
    # every record): a search holding them finds those records too (``found``).
    kind_words: dict[str, dict] = {}
    # Identifiers a search finds their record by, typed whole ("634674", a CORDIS
    # id): each field, with the pattern of its values (its unique index serves).
    identifier_patterns: dict[str, str] = {}
    # Whether a kind or a region named alone has its best matches read rank by
    # rank from the indexes of the titles and codes (``BestMatchTiers``): where
    # those indexes exist and such matches are many (partners).
    best_matches_by_tiers = False
    # Whether a kind named alone ("MSCA", "ERC 2015", "projets"), when no match's
    # code is the words nor its title starts with them, lists its matches in the
    # list's own order (the model's), read from that order's index, rather than
    # ranked and sorted by title (``listed_as_kind_named``).
    kind_alone_in_list_order = False

    def search(self, text: str):
        """Return the records matching ``text``, or else its near misses (typos).

        Both languages are searched whatever the active one, ignoring accents and
        case. Deciding between the two costs one COUNT, cached (see below).
        """
        return self.search_or_near_misses(text)[0]

    def matching(self, text: str, whole_words: bool = False):
        """Return the records holding every word of ``text`` (no near misses).

        A text of punctuation only ("'", "-") holds no word: it matches nothing, on
        every list alike (it was the records holding that sign in their short texts,
        or a full-text search of nothing). ``whole_words``: each word whole, not
        inside another (``holds``), in the related records' names too.
        """
        if holds_no_word(text):
            return self.none()
        condition = text_search(
            text, self.text_fields, self.document_fields, whole_words
        )
        if self.related_text_fields and text.strip():
            condition |= self.related_condition(text, whole_words)
        if (identified := self.identifier_condition(text)) is not None:
            condition |= identified
        if (related := self.related_identifier_condition(text)) is not None:
            condition |= related
        return self.filter(condition)

    def identifier_condition(self, text: str) -> Q | None:
        """Return the condition of the records one of whose identifiers
        (``identifier_patterns``) is ``text``, or None: it is none."""
        typed = self.bare_identifier(text)
        conditions = [
            Q(**{field: typed})
            for field, pattern in self.identifier_patterns.items()
            if re.match(pattern, typed)
        ]
        return reduce(operator.or_, conditions) if conditions else None

    @staticmethod
    def bare_identifier(text: str) -> str:
        """Return the identifier ``text`` may be, as the records write it."""
        return text.strip()

    def related_identifier(self, text: str) -> dict[str, str]:
        """Return the lookups of the related records (``related_text_fields``:
        a grant's laureate, a unit's director) one of whose identifiers (that
        model's ``identifier_patterns``: a person's ORCID iD) ``text`` is, typed
        bare or as its link; empty when it is none."""
        if not self.related_text_fields:
            return {}
        related = self._related()[2]
        patterns = getattr(related, "identifier_patterns", {})
        if not patterns:
            return {}
        typed = related.bare_identifier(text)
        return {
            field: typed
            for field, pattern in patterns.items()
            if re.match(pattern, typed)
        }

    def related_identifier_condition(self, text: str) -> Q | None:
        """Return the condition of the records whose related record has ``text``
        for an identifier (``related_identifier``: the grants of the laureate
        whose ORCID iD it is), or None: it is none.

        The related ids are read first, from that table's unique index, once
        per content version, as ``related_condition`` reads those of a name."""
        lookups = self.related_identifier(text)
        if not lookups:
            return None
        related = self._related()[2]
        ids = cached_by_content(
            related_key(
                related,
                ["identifier", *(f"{f}={v}" for f, v in sorted(lookups.items()))],
            ),
            lambda: list(
                related._default_manager.filter(
                    reduce(operator.or_, (Q(**{f: v}) for f, v in lookups.items()))
                )
                .order_by()
                .values_list("pk", flat=True)[:RELATED_MATCHES]
            ),
        )
        return self.related_to(ids) if ids else Q(pk__in=[])

    def identified_by(self, address_part: str):
        """Return the one record whose identifier the last part of a page's
        address is (``address_identifier_condition``: /en/partners/042nb2s44/, a
        ROR id), or None. One query, when the part has an identifier's shape."""
        condition = self.address_identifier_condition(address_part)
        if condition is None:
            return None
        # Its address only: not what its page reads.
        records = self.select_related(None).prefetch_related(None).filter(condition)
        found = list(records.only("slug")[:2])
        return found[0] if len(found) == 1 else None

    def address_identifier_condition(self, address_part: str) -> Q | None:
        """Return the condition of the records an address names by one of their
        identifiers, or None: the identifiers the search finds them by."""
        return self.identifier_condition(address_part)

    def search_or_near_misses(self, text: str):
        """Return ``(records, near_misses)``: near_misses says no record matched.

        None, and no near misses, when ``text`` only names kinds of records or a
        country (``names_kinds_or_country_only``): "universités japonaises" with
        no university in Japan offered Tel Aviv University, close to the letters;
        nor for stop words alone, nor a person's identifier nobody has.
        """
        found = self.found(text)
        if found is not None:
            return found, False
        # Nor for stop words alone: "the" is close to "thea" and "theory"; nor
        # for a person's ORCID iD nobody has: its digits are close to others'.
        if (
            self.names_kinds_or_country_only(text)
            or common_words_only(text)
            or self.related_identifier(text)
        ):
            return self.none(), False
        return self.filter(self.near_miss_condition(text)), True

    def staff_search(self, text: str):
        """Return ``(records, near_misses)`` for the admin's search boxes: the
        records holding the words, in any shape ("MSE2", "E2 P2L", "le MIT"), but
        not those a word names without holding it (a kind, a country: staff look
        for records by what they hold, and "universités" listed MIT); else the
        near misses, which the admin says are close records; else, none being
        close, those of the words likely meant, as the public search suggests them
        ("telaviv": "tel aviv")."""
        found = self.found(text, countries=False, kinds=False, common_words=True)
        if found is not None:
            return found, False
        near = self.filter(self.near_miss_condition(text))
        if not cached_count(near):
            for meant in self.suggested_texts(text):
                found = self.found(
                    meant, countries=False, kinds=False, common_words=True
                )
                if found is not None:
                    return found, True
        return near, True

    def names_kinds_or_country_only(self, text: str) -> bool:
        """Tell whether the words of ``text`` but its stop words only name kinds
        of these records, a country, or both ("international organisations",
        "Mexique", "universités japonaises")."""
        if self.names_kind_only(text) or country_named_whole(text):
            return True
        named = country_among_words(text)
        return named is not None and self.names_kind_only(named[1])

    def finds(self, text: str) -> bool:
        """Tell whether some record holds every word of ``text``, in one of its
        texts or across them: what a search shows as matches, not near misses.

        The counts are those a search of ``text`` then reads from the cache.
        """
        return not holds_no_word(text) and self.found(text) is not None

    def found(
        self,
        text: str,
        countries: bool = True,
        apart: bool = True,
        kinds: bool = True,
        common_words: bool = False,
    ):
        """Return the records holding every word of ``text`` in one of their texts,
        else those holding each in one or another; None when none does.

        Stop words alone, typed as such ("the", "de la", "who": ``common_words_only``)
        find only the records whose code they are ("WHO", "UN", ``coded``), unless
        ``common_words``: then they are searched as any word (the admin's search,
        where staff look for what records hold). Beside other words, a record need
        not hold them (``searched_words``).

        ``countries``: a text naming a country whole ("japon") also finds the
        records in that country; else, when ``text`` names a country among other
        words, the records in that country holding the others
        (``country_among_words``). ``apart``: else, those holding apart what was
        typed together ("MSE2", "U.S."). ``kinds``: a word naming a kind of
        record also finds every record of it (``kind_words``, ``kind_phrases``).
        """
        # "the" started a word of most texts ("the Brussels office"), "de" of
        # most French names: words the search pages refuse as too common, unless
        # a code ("who", the World Health Organization's).
        if not common_words and common_words_only(text):
            return self.coded(text)
        # "C N R S", "M I T": a code typed letter by letter, not letters each
        # starting a word of most records (a pattern per row: 8 s for the grants).
        # A code, whatever its letters: "w h o" is searched as "who".
        if apart and (whole := code_typed_apart(text)):
            return self.found(
                whole, countries, apart=False, kinds=kinds, common_words=True
            )
        code = country_named_whole(text) if countries else None
        # A country named is a word whole: "chine" found the grants on machine
        # learning and those of laureates named Chinedu.
        matches = self.matching(text, whole_words=code is not None)
        # "japon": the units in Japan, not only those whose texts say "Japon" (the
        # JRL's description did, LINK's did not: "Japan" found LINK alone).
        if code and (condition := self.country_condition(code)) is not None:
            matches = self.with_matches(matches, self.filter(condition))
        # "universités", "labs in japan": every record of the kind a word names
        # (``kind_words``), as every record of a country named: MIT is a
        # university its name does not say.
        if kinds and (kind := self.kind_named(text)) is not None:
            condition, others = kind
            of_kind = self.filter(condition)
            if others:
                of_kind = of_kind.found(others, countries=countries, apart=apart)
            if of_kind is not None and not (condition or others):
                # "projets", "grants": every record, those holding the word
                # among them. United, each page read the matches again (every
                # project's summary says "project": 50 ms, twice).
                matches = of_kind
            elif of_kind is not None:
                matches = self.with_matches(matches, of_kind)
        # A count, not EXISTS: under LIMIT 1 PostgreSQL expects a match within the
        # first rows and scans the whole table when there is none (5 s for a word
        # absent from 100,000 grants); counting goes through the indexes, and the
        # list or search page then reads the same count from the cache.
        if holds_no_word(text) or not text.strip() or cached_count(matches):
            return matches
        spread_condition = self.words_apart_condition(text)
        if spread_condition is not None and cached_count(
            spread := self.filter(spread_condition)
        ):
            return spread
        # "the university of pennsylvania", "le mit": articles and other stop
        # words that no name holds ("University of Pennsylvania", "MIT").
        kept = without_stop_words(text)
        if (
            kept != text
            and (found := self.found(kept, countries=False, apart=apart, kinds=kinds))
            is not None
        ):
            return found
        # "robotique au japon": no unit holds "Japon", the one in Japan holds
        # "robotique". Before the digits: "tokyo 2" is rather a "2" in Tokyo.
        if (
            countries
            and (named := country_among_words(text))
            and (condition := self.country_condition(named[0])) is not None
            and (
                found := self.filter(condition).found(
                    named[1], countries=False, apart=apart
                )
            )
            is not None
        ):
            return found
        # "universités au japon": the names say "Université".
        singulars = singular_words(text, self.known_words_among())
        if (
            singulars != text
            and (
                found := self.found(
                    singulars, countries=False, apart=apart, kinds=kinds
                )
            )
            is not None
        ):
            return found
        if not apart:
            return None
        # "MSE2" for the unit "<MSE>2", "E2-P2L" and "E2 P2L" for "E2P2L": codes
        # typed in another shape (tried last: "abc2" is rather "abc2" than an
        # "abc" and a "2" anywhere). Each shape searched without trying shapes
        # again: nested, a text of codes took seconds.
        for shape in code_shapes(text):
            if (
                found := self.found(shape, countries, apart=False, kinds=kinds)
            ) is not None:
                return found
        # "math", "nanotech": the start of a word of the long texts.
        if (started := self.prefix_condition(text)) is not None and cached_count(
            starting := self.filter(started)
        ):
            return starting
        # "U.S." is the word "us" (``word_sequence``); a text may write it dotted.
        acronyms, others = dotted_acronyms(text)
        if acronyms:
            dotted = self.filter(dotted_search(acronyms, self.text_fields))
            if typed_words(others):
                dotted = dotted.matching(others)
            if cached_count(dotted):
                return dotted
        return None

    def coded(self, text: str):
        """Return the records one of whose codes (``code_fields``: an acronym) is
        ``text``, case ignored, in one of the forms a code is typed ("W.H.O.",
        "W H O", "the WHO", "l'EU": ``code_forms``), or starts with it as a word
        ("UN" starts "UN-Habitat", not "UNESCO": ``CODE_WORD_ENDS``); None when
        none does. Counted once per content version, by the codes' indexes."""
        if not self.code_fields:
            return None
        condition = reduce(
            operator.or_,
            (
                self._any_code("iexact", form) | self._code_starting(form)
                # Once each, case ignored: "UN" as typed and as its words, "un".
                for form in {form.upper(): form for form in code_forms(text)}.values()
            ),
        )
        records = self.filter(condition)
        return records if cached_count(records) else None

    def found_by_names(self, text: str):
        """Return the records whose own short texts (``text_fields``: names,
        acronyms, codes, titles, cities) hold every word of ``text``, or None when
        none does: not their long texts, nor their related records' names.

        What the global search shows of a kind when the words name another kind
        alone ("projects": the grants whose titles say so, not every grant whose
        summary says "project"). Counted once per content version.
        """
        if holds_no_word(text) or common_words_only(text):
            return None
        records = self.filter(text_search(text, self.text_fields))
        if cached_count(records):
            return records
        # "laboratories": the names say "Laboratory" (as ``found``).
        singulars = singular_words(text, self.known_words_among())
        if singulars == text:
            return None
        records = self.filter(text_search(singulars, self.text_fields))
        return records if cached_count(records) else None

    @per_model
    def folded_kind_words(self) -> dict[tuple[str, ...], dict]:
        """Return ``kind_words`` as the words typed are (``word_sequence``), stop
        words left out: ("organismes", "recherche").

        Cached per model: the words are the code's, and every search asks.

        A phrase its stop words shorten takes no other phrase's key: "msca se"
        (the Staff Exchanges) is ("msca",) without "se", a French stop word, and
        made "msca" name the Staff Exchanges alone.
        """
        whole, shortened = {}, {}
        for words, lookups in self.kind_words.items():
            phrase = phrase_words(words)
            kept = whole if len(phrase) == len(word_sequence(words)) else shortened
            kept.setdefault(phrase, lookups)
        return shortened | whole

    def kind_phrases(self) -> dict[tuple[str, ...], dict | Q]:
        """Return the phrases naming kinds of these records, as typed, with the
        filter (lookups, or a condition) each stands for: the regions of the
        world their countries are in (``region_phrases``), ``folded_kind_words``,
        and what a model adds."""
        return {**self.region_conditions(), **self.folded_kind_words()}

    @per_model
    def region_conditions(self) -> dict[tuple[str, ...], dict | Q]:
        """Return the words naming a region ("Asie", "Latin American"), each
        with the filter of the records in its countries; none for records in
        no country (``country_field``).

        Cached per model, as ``folded_kind_words``: a search asks 30 times.
        """
        if self.country_field is None:
            return {}
        return {
            phrase: {f"{self.country_field}__in": countries}
            for phrase, countries in region_phrases().items()
        }

    def with_matches(self, matches, others):
        """Return ``matches`` (records found by their texts) and ``others`` (those
        in a country named, of a kind named), one QuerySet.

        Only ``others`` when no text holds the words (their count is cached): in
        one OR, PostgreSQL read the text vector of every grant the trigrams of
        "erc" gave, to find none (750 ms). Projects, in a country through a
        subquery, take their matches as one too: in one OR with it, their text
        vectors were all read again (850 ms for Japan, 20 ms so).
        """
        if not cached_count(matches):
            return others
        if self.united_by_subqueries:
            return self.filter(
                Q(pk__in=matches.values("pk")) | Q(pk__in=others.values("pk"))
            )
        return matches | others

    def kind_named(self, text: str) -> tuple[Q, str] | None:
        """Return the condition of the records of the kind words of ``text`` name
        (``kind_words``) and its other words, "" when only stop words are left;
        None when no word names a kind."""
        kinds = self.kind_phrases()
        words = word_sequence(text)
        named, left = phrases_among(words, kinds)
        if not named:
            return None
        condition = reduce(
            operator.and_,
            (
                kinds[phrase] if isinstance(kinds[phrase], Q) else Q(**kinds[phrase])
                for phrase in named
            ),
        )
        others = [words[i] for i in left]
        if all(word in STOP_WORDS_FOLDED for word in others):
            return condition, ""
        written = written_words(text)
        return condition, " ".join(written.get(word, word) for word in others)

    def names_kind_only(self, text: str) -> bool:
        """Tell whether the words of ``text`` but its stop words all name a kind
        of these records ("entreprises", "partenaires au": ``kind_named``)."""
        kind = self.kind_named(text)
        return kind is not None and not kind[1]

    def kind_filters(self, text: str, filter_names) -> dict[str, str] | None:
        """Return the list filters (among ``filter_names``) standing for ``text``
        when its words only name a kind of record ("partenaires": ``{}``,
        "entreprises": ``{"kind": "company"}``), else None: no word names a kind,
        other words are left, or a list has no filter for the kind."""
        if not self.names_kind_only(text):
            return None
        filters = {}
        kinds = self.kind_phrases()
        named = phrases_among(word_sequence(text), kinds)[0]
        if not named:
            return None  # a kind named otherwise (an institute by a word of its name)
        for phrase in named:
            if isinstance(kinds[phrase], Q):
                return None
            for name, value in kinds[phrase].items():
                if name not in filter_names or not isinstance(value, str):
                    return None
                filters[name] = value
        return filters

    def country_offers(
        self, text: str, within, filter_names
    ) -> list[tuple[str, dict[str, str]]]:
        """Return the countries (among ``within``, the codes of the countries the
        records are in) that a list searched for ``text`` offers as its country
        filter, each with the list's filters then: names hold no country, the
        country filter does.

        - A country named whole ("japon", or "Mexique" with no record there:
          none, and no slip of it, "Amérique"): it alone.
        - Words naming a kind only ("unités"): none, they are no slip of "United
          States".
        - Else the countries ``text`` names or nearly names ("japn"), at most
          ``COUNTRIES_OFFERED``, when it may be one misspelt: not when records
          hold the words as typed, nor when every word typed is a word of some
          record's names or titles (``words_known_anywhere``), or records of
          another kind hold them (``found_by_any_kind``): the
          words are the records', "marine" no slip of San Marino, "finance" of
          Finland.
        - Else a country named among other words, when no record holds them all
          (``searched_in_country``): with the other words when records there hold
          them ("robotique japon", as ``found`` shows them), with the list's own
          filters when the words name a kind ("entreprises au Brésil":
          ``kind=company``), else alone ("xyzzy japon": never an empty list).
        """
        if whole := country_named_whole(text):
            named = [whole] if whole in within else []
        elif self.names_kind_only(text):
            named = []
        # Asked only of a country nearly named: most texts name none, and
        # asking every kind's records cost a dozen counts.
        elif (named := countries_named(text, within=within)) and (
            self.finds(text)
            or words_known_anywhere(text, self.db)
            or found_by_any_kind(text)
        ):
            named = []
        if named:
            return [(code, {"country": code}) for code in named[:COUNTRIES_OFFERED]]
        among = self.searched_in_country(text)
        if among is None and (named_among := country_among_words(text)):
            # "projets en Israël": a record there holds "Israël"; the offer leads
            # to all of them.
            among = named_among if self.names_kind_only(named_among[1]) else None
        if not among or among[0] not in within:
            return []
        code, others = among
        # Counted as the search counted them (``found``): read from the cache.
        there = self.filter(self.country_condition(code))
        if (kind_filters := self.kind_filters(others, filter_names)) is not None:
            if cached_count(there.filter(self.kind_named(others)[0])):
                return [(code, {**kind_filters, "country": code})]
            return [(code, {"country": code})]
        if there.found(others, countries=False) is None:
            return [(code, {"country": code})]
        return [(code, {"q": others, "country": code})]

    def searched_in_country(self, text: str) -> tuple[str, str] | None:
        """Return the country named among the words of ``text`` and its other
        words when ``found`` would look for them in it: no record holds every
        word ("Jordan Lefebvre", a director, is no search in Jordan; nor the "U"
        and "S" of "U.S. office" apart), and the records are in countries. None
        else. The counts are read from the cache.
        """
        named = country_among_words(text)
        if (
            not named
            or self.country_condition(named[0]) is None
            or self.found(text, countries=False, apart=False) is not None
        ):
            return None
        return named

    def country_condition(self, country_code: str) -> Q | None:
        """Return the condition of the records in the country ``country_code``
        (``country_field``), or None: the records are in no country."""
        if self.country_field is None:
            return None
        return Q(**{self.country_field: country_code})

    def words_apart_condition(self, text: str) -> Q | None:
        """Return the condition of the records holding each word of ``text`` in
        one or another of their texts, or None (``words_apart_search``)."""
        return words_apart_search(
            text,
            self.text_fields,
            self.document_fields or {},
            self.related_conditions if self.related_text_fields else None,
        )

    def most_words(self, text: str):
        """Return the records holding every word of ``text`` but one, or None: it
        has fewer words than ``MOST_WORDS_FROM`` or more than
        ``MOST_WORDS_AT_MOST`` (``words_held_apart``: stop words not counted),
        or no record holds that many.

        What a search shows when nothing holds every word, not even nearly
        (``search_or_near_misses``), and no word typed looks misspelt: "Technical
        University of Munich Garching" finds the TUM, whose texts do not say
        Garching. Each word is held as a search of words apart holds it, in any
        of the records' texts (``word_conditions``), each word left out in turn
        (``most_words_search``). Counted once per content version, with the
        records holding each word (``words_held_counts``): one query.

        A country named among the words ("universite kyoto japon robotics") is
        a filter, as the search takes it (``found``): the records in that
        country holding every other word but one (``most_words_scope``). It
        counts as a word typed, never left out ("robotics tokyo japan": the
        records in Japan holding "robotics" or "tokyo").
        """
        if not self.searches_most_words(text):
            return None
        scope, searched = self.most_words_scope(text)
        words = self.words_held_apart(searched)
        records = scope.filter(most_words_search(self.word_conditions(words)))
        return records if records.words_held_counts(text)[0] else None

    def searches_most_words(self, text: str) -> bool:
        """Tell whether a search of ``text`` that nothing holds looks for the
        records holding all its words but one (``most_words``): it has from
        ``MOST_WORDS_FROM`` to ``MOST_WORDS_AT_MOST`` words, stop words not
        counted, a country named among them counted. No query."""
        searched = self.most_words_searched(text)
        words = self.words_held_apart(searched)
        typed = len(words) + (searched != text)
        return bool(words) and MOST_WORDS_FROM <= typed <= MOST_WORDS_AT_MOST

    def most_words_or_corrected(self, text: str, suggestions: list[str]):
        """Return the records holding all the words of ``text`` but one, or of
        the first of ``suggestions`` (corrections of its words, none finding
        anything) when none of those holds a word it corrects, a slip
        (``most_words_meant``), with the text whose words they hold; or None."""

        def most(searched: str):
            records = self.most_words(searched)
            if records is None:
                return None
            return records, records.words_held_by_none(searched)

        meant = most_words_meant(text, suggestions, most)
        return None if meant is None else (meant[1], meant[0])

    def most_words_scope(self, text: str):
        """Return the records a search of ``text`` holding most of its words looks
        among, and the text of the words they hold: the records in the country
        named among the words (``country_among_words``) and the other words,
        where these records are in countries (``country_condition``: not grants);
        else these records and ``text``."""
        named = country_among_words(text)
        if named and (condition := self.country_condition(named[0])) is not None:
            return self.filter(condition), named[1]
        return self, text

    def most_words_searched(self, text: str) -> str:
        """Return the text of the words the records holding most words of
        ``text`` hold, a country named among them aside (``most_words_scope``)."""
        return self.most_words_scope(text)[1]

    def words_held_apart(self, text: str) -> list[str]:
        """Return the words of ``text`` (folded) a record holds apart
        (``words_held_apart``): its searched words but the stop words of the
        long texts' languages."""
        return words_held_apart(text, self.document_fields or {})

    def word_conditions(self, words: list[str]) -> list[Q]:
        """Return the condition of the records holding each of ``words`` in one
        of their texts or their related records' names (``word_conditions``)."""
        return word_conditions(
            words,
            self.text_fields,
            self.document_fields or {},
            self.related_conditions if self.related_text_fields else None,
        )

    def words_held_counts(self, text: str) -> tuple[int, list[int]]:
        """Return how many these records are, and how many of them hold each
        word of ``text`` (``words_held_apart``; a country named among them
        aside: ``most_words_searched``), in one query once per content version;
        their count is then the one ``cached_count`` reads.

        Kept on these records too: asked again for the same text (the words
        none holds, those some lack, their order), the cache's key is not
        compiled again (SQL naming every word once per word left out)."""
        known = self.__dict__.setdefault("_words_held", {})
        if text in known:
            return known[text]
        words = self.words_held_apart(self.most_words_searched(text))
        counted = self.order_by()
        key = count_key(self)
        if key is None:
            return 0, [0] * len(words)
        conditions = self.word_conditions(words)
        digest = hashlib.sha256(" ".join(words).encode()).hexdigest()

        def read():
            held = counted.aggregate(
                _total=Count("pk"),
                **{
                    f"_held_{number}": Count("pk", filter=condition)
                    for number, condition in enumerate(conditions)
                },
            )
            return held["_total"], [held[f"_held_{n}"] for n in range(len(words))]

        total, held = cached_by_content(f"words-held:{key}:{digest}", read)
        remember(key, total)
        known[text] = total, held
        return total, held

    def words_left_out(self, text: str) -> list[str]:
        """Return the words of ``text`` (folded, ``words_held_apart``) that some
        of these records do not hold: those left out of what they hold
        (``most_words``). Read from ``words_held_counts``."""
        total, held = self.words_held_counts(text)
        words = self.words_held_apart(self.most_words_searched(text))
        return [word for word, count in zip(words, held, strict=True) if count < total]

    def words_held_by_none(self, text: str) -> set[str]:
        """Return the words of ``text`` (folded, ``words_held_apart``) that none
        of these records holds: a slip, when a suggestion corrects it
        (``most_words_meant``). Read from ``words_held_counts``."""
        _total, held = self.words_held_counts(text)
        words = self.words_held_apart(self.most_words_searched(text))
        return {word for word, count in zip(words, held, strict=True) if not count}

    def most_words_first(self, text: str):
        """Sort the records holding most words of ``text`` (``most_words``): those
        holding more first, then as ``best_matches_first`` ranks the words they
        all hold, the text typed without those some lack ("Technical University
        of Munich" for "Technical University of Munich Garching": a name starting
        with it first)."""
        words = self.words_held_apart(self.most_words_searched(text))
        left_out = set(self.words_left_out(text))
        kept = " ".join(
            word for word in words_as_typed(text) if fold(word) not in left_out
        )
        ranked = self.best_matches_first(kept if self.words_held_apart(kept) else text)
        held = reduce(
            operator.add,
            (
                Case(
                    When(condition, then=Value(1)),
                    default=Value(0),
                    output_field=models.IntegerField(),
                )
                for condition in self.word_conditions(words)
            ),
        )
        return ranked.alias(_words_held=held).order_by(
            F("_words_held").desc(), *ranked.query.order_by
        )

    def prefix_condition(self, text: str) -> Q | None:
        """Return the condition of the records whose texts, short and long, hold
        words starting with the words of ``text`` (``FullTextPrefix``), or None:
        no long texts, or no word long enough to be a start."""
        words = typed_words(without_stop_words(text))
        if not self.document_fields or not any(
            len(word) >= PREFIX_MIN_LENGTH for word in words
        ):
            return None
        return reduce(
            operator.or_,
            (
                full_text(
                    document(self.text_fields, fields), text, config, FullTextPrefix
                )
                for config, fields in self.document_fields.items()
            ),
        )

    def near_miss_condition(self, text: str) -> Q:
        """Return the condition of the records whose short texts nearly hold ``text``.

        Tables with known words (partners, units, grants, projects) correct each
        typed word against them first (``corrected_search``): comparing the whole
        text with every row's took 3 s at a million partners, 0.3 s at 100,000
        grants. On SQLite too, so that the demo finds what production would.
        Offices, a few dozen, compare the whole text.

        Stop words are left out, as by ``found``: "laboratoire de robotiqe" found
        nothing where "laboratoir robotiqe" found the JRL, whose name has no "de".
        """
        text = without_stop_words(text)
        if words_table := self._search_words_table():
            # The few closest corrections of each word, unless they find nothing:
            # then more ("universite" finds the Universidade de São Paulo only as
            # its eighth). Counted once per content version, the count a list shows.
            connection = connections[self.db]
            fields = self.text_fields
            closest = corrected_search(text, fields, words_table, connection)
            closest |= self.related_near_miss_condition(text, CORRECTIONS_PER_WORD)
            if cached_count(self.filter(closest)):
                return closest
            more = MORE_CORRECTIONS_PER_WORD
            return corrected_search(
                text, fields, words_table, connection, more
            ) | self.related_near_miss_condition(text, more)
        return typo_search(text, self.text_fields)

    def related_near_misses(self, text: str, per_word: int) -> list[tuple[int, float]]:
        """Return the related records (people) whose names nearly hold ``text``, as
        (pk, closeness), closest first: a typo in a director's or a laureate's name.

        Each typed word is corrected against the people's words, its ``per_word``
        closest (``corrected_search``), and every one must be: "marine" is close to
        "Marie", but "marine biolgy" is nobody's name. At most ``RELATED_MATCHES``,
        read once per content version.
        """
        if not self.related_text_fields:
            return []
        relation, fields, related = self._related()
        table = SEARCH_WORDS[related._meta.db_table]
        connection = connections[self.db]

        def read():
            condition = corrected_search(
                text, fields, table, connection, per_word, every_word=True
            )
            closeness = corrected_closeness(
                text, fields, table, connection, whole_words=True
            )
            return list(
                related._default_manager.filter(condition)
                .annotate(closeness=closeness)
                .order_by("-closeness", "pk")
                .values_list("pk", "closeness")[:RELATED_MATCHES]
            )

        typed = hashlib.sha256(fold(text).encode()).hexdigest()
        key = f"related-near-misses:{table}:{per_word}:{typed}"
        return cached_by_content(key, read)

    def related_near_miss_condition(self, text: str, per_word: int) -> Q:
        """Match the records whose related record nearly holds ``text``
        (``related_near_misses``); no record when there is no relation."""
        if people := self.related_near_misses(text, per_word):
            return self.related_to([pk for pk, _closeness in people])
        return Q(pk__in=[])

    def related_closeness(self, text: str):
        """Return how close each record's related record is to ``text``: the
        closeness of its name to the words typed (``related_near_misses``), else 0.

        Whichever number of corrections found them (``near_miss_condition``).
        """
        closeness: dict[int, float] = {}
        for per_word in (CORRECTIONS_PER_WORD, MORE_CORRECTIONS_PER_WORD):
            for pk, score in self.related_near_misses(text, per_word):
                closeness[pk] = max(score, closeness.get(pk, 0.0))
        if not closeness:
            return Value(0.0)
        by_score = defaultdict(list)
        for pk, score in closeness.items():
            by_score[score].append(pk)
        return Case(
            *(
                When(self.related_to(pks), then=Value(score))
                for score, pks in sorted(by_score.items(), reverse=True)
            ),
            default=Value(0.0),
            output_field=FloatField(),
        )

    def closest_first(self, text: str):
        """Sort the near misses of ``text`` closest first, then the shortest texts.

        Tables with known words rank by the corrections each record holds
        (``corrected_closeness``), then, among equals and only when there are few
        enough to afford it, by a name starting with the likeliest correction
        ("washingtn": Washington Photonics before a university in Washington),
        a name holding it where texts name places (``place_fields``: "tokio", a
        university named for Tokyo before one in Tokyo), and the similarity of
        the whole text typed: computing that for the 390,000 near
        misses of "universte" took 3 s (the names, 50 ms more). Of records as
        close, the one holding least besides is likeliest the one meant.
        """
        short = SearchText(*self.text_fields)
        similarity = WordSimilarity(text, short)
        words_table = self._search_words_table()
        if not words_table:
            ranked = self.alias(closeness=similarity)
            return ranked.order_by("-closeness", Length(short), "pk")
        connection = connections[self.db]
        closeness = corrected_closeness(text, self.text_fields, words_table, connection)
        if self.related_text_fields:
            # A director's or laureate's name mistyped ranks as a name would.
            closeness = closeness + self.related_closeness(text)
        # An alias, not an annotation: the list's count, keyed by its SELECT, is
        # then the one counted to find these near misses (``cached_count``).
        ranked = self.alias(closeness=closeness)
        if cached_count(self) > SIMILARITY_RANKED_AT_MOST:
            ordered = ranked.order_by("-closeness", Length(short), "pk")
            # One word mistyped ("universte"): its near misses, many, are read
            # closeness by closeness (``NearMissTiers``).
            close = [
                found
                for found in corrections(
                    typed_words(text), words_table, connection
                ).values()
                if found
            ]
            if len(close) == 1 and not self.related_text_fields:
                order = tuple(ordered.query.order_by)
                tiers = NearMissTiers.of(close[0], short, order)
                ordered.query.best_match_tiers = tiers
            return ordered
        named = Value(1)
        if likeliest := self.corrected_texts(text)[:1]:
            ranked = ranked.alias(_shown_title=shown_text(self.title_field))
            # Then, where some texts name places (a partner's city), the names
            # holding it: "tokio" found a university in Tokyo, shorter, before
            # the one named for Tokyo.
            held = []
            if self.place_fields and (words := searched_words(likeliest[0])):
                held.append(When(self._names_hold(words), then=Value(1)))
            named = Case(
                When(_shown_title__startswith=likeliest[0], then=Value(0)),
                *held,
                default=Value(2),
                output_field=models.IntegerField(),
            )
        return ranked.alias(_named=named).order_by(
            "-closeness", "_named", similarity.desc(), Length(short), "pk"
        )

    def best_matches_first(self, text: str, near_misses: bool = False):
        """Sort the matches of ``text``: a code typed whole (an acronym) first, then
        the names starting with the words typed (and the codes starting with a
        word typed alone), then with the words after the stop words typed first,
        then by name as shown.

        Near misses (no record held every word) come closest first. The global
        search's groups and the lists searched share this order, so that a list
        opened from a group goes on where the group stopped. The first key is
        computed, so a search's matches are found first and only they are sorted
        (as ``sorted_once_found``).
        """
        if near_misses:
            return self.closest_first(text)
        # "C N R S" was searched as "CNRS" (``found``): its letters apart, each a
        # word the names start with, cost a pattern per match (4 s for the
        # 100,000 grants).
        text = code_typed_apart(text) or text
        typed = text.strip()
        # Its words as typed_words splits them: "laboratoire  des", "« laboratoire »"
        # and "l'université" start names as "laboratoire des", "laboratoire" and
        # "universite" do.
        words = typed_words(text)
        # The name as shown, or in another language: "Aix-Marseille Université"
        # typed on the English pages starts the partner "Aix-Marseille University".
        # Both are stored columns where names are many (``STORED_SHOWN_TEXT``):
        # computed, for the 350,000 matches of "universite", they cost seconds.
        titles = {"_shown_title": shown_text(self.title_field)} | {
            f"_title_{code}": shown_text(self.title_field, code)
            for code, _name in settings.LANGUAGES
            if code != get_language()
        }
        starts = reduce(operator.or_, (starting_with(title, words) for title in titles))
        if named := country_among_words(text):
            # "universite japon" found the universities in Japan (``found``).
            others = " ".join(typed_words(named[1]))
            starts |= Q(_shown_title__startswith=others)
        exact = self._any_code("iexact", typed)
        # "le MIT", "M.I.T.", "the UN", "l'EU": the acronym is typed whole too.
        others = {without_stop_words(typed), undotted(typed), *code_forms(typed)}
        for code in others - {typed}:
            exact |= self._any_code("iexact", code)
        if len(words) == 1:
            # "cnrs" starts the acronym "CNRS-IMPA": sorted after the units whose
            # descriptions mention the CNRS, it came last.
            starts |= self._any_code("istartswith", typed)
        tiered = (
            self.best_matches_by_tiers
            and words
            and not named
            and self.names_kind_only(text)
        )
        # "the university of tokyo", "à Tokyo": the names starting with the words
        # after the stop words typed first ("University of Tokyo", "Tokyo Tech")
        # come next, before those holding the words elsewhere: a record need not
        # hold those stop words (``searched_words``). Not where a kind named alone
        # is read rank by rank (``BestMatchTiers``), which has no such rank.
        after_stops, first = [], exact | starts
        if not tiered and words != (leading := after_stop_words(text)):
            started = reduce(
                operator.or_, (starting_with(title, leading) for title in titles)
            )
            after_stops.append(When(started, then=Value(STARTING_AFTER_STOP_WORDS)))
            first |= started
        rank = Case(
            When(exact, then=Value(0)),
            When(starts, then=Value(1)),
            *after_stops,
            *([] if tiered else self._named_rank(named[1] if named else text)),
            default=Value(NAMED_ELSEWHERE if self.ranks_names_apart() else NAMED),
            output_field=models.IntegerField(),
        )
        ranked = self.alias(**titles).alias(_best_match=rank)
        if (
            self.kind_alone_in_list_order
            and words
            and not named
            and (listed := self.listed_as_kind_named(text, ranked, first)) is not None
        ):
            return listed
        # "chine", "universités japonaises": the records of a country named (of a
        # kind there), where no name starts with the words, all rank alike.
        # Sorted by name alone, a country's first partners are read from its
        # name index instead of ranking every one (China's 44,000: 100 ms at a
        # million). Not a kind named alone: whether a name starts with
        # "université" was asked of 350,000 partners (570 ms).
        if (
            (country_named_whole(text) or country_among_words(text))
            and self.names_kinds_or_country_only(text)
            and not cached_count(ranked.filter(exact | starts))
        ):
            return ranked.order_by("_shown_title", "pk")
        if self.work_relations and not tiered:
            # "MIT": seven partners have the acronym; the Massachusetts Institute
            # of Technology, which the CNRS works with, came last by name. Asked
            # of the codes typed whole alone (a CASE within: few rows), in the
            # one query sorting the matches.
            unlinked = Case(
                When(
                    exact,
                    then=Case(
                        When(self._works_with_cnrs(), then=Value(0)), default=Value(1)
                    ),
                ),
                default=Value(0),
                output_field=models.IntegerField(),
            )
            return ranked.alias(_unlinked=unlinked).order_by(
                "_best_match", "_unlinked", *BEST_MATCH_ORDER[1:]
            )
        ordered = ranked.order_by(*BEST_MATCH_ORDER)
        if tiered:
            # Kept by the query's clones (filters added after), read by
            # ``tiered_ids`` if the order is still this one.
            ordered.query.best_match_tiers = BestMatchTiers(
                exact,
                words,
                list(titles),
                self._code_starts(typed) if len(words) == 1 else None,
            )
        return ordered

    def _works_with_cnrs(self) -> Q:
        """Return the condition of the records one of ``work_relations`` holds
        (a partner in a unit, in a project), each an EXISTS on its foreign key's
        index."""
        conditions = []
        for name in self.work_relations:
            relation = self.model._meta.get_field(name)
            rows = relation.related_model._base_manager.filter(
                **{relation.field.name: OuterRef("pk")}
            )
            conditions.append(Q(Exists(rows)))
        return reduce(operator.or_, conditions)

    def listed_as_kind_named(self, text: str, ranked, first: Q):
        """Return the matches of ``text``, a kind named alone, in the list's own
        order (``kind_alone_in_list_order``), or None: it names more than a kind,
        or a match ranks first (``first``: its code is the words typed, its title
        starts with them), as ``best_matches_first`` ranks them (``ranked``).

        Ranked, each of the 40,110 MSCA grants had its rank computed before a
        sort by title (0.2 s; 0.3 s for the 59,890 ERC grants), where the list's
        order reads a page from its index, as ``?family=msca`` does (the latest
        calls first). The matches holding the words in their titles ("ATOMSCAPE"
        holds "msca") no longer come first: the kind named finds them all alike.
        What ranked first holds the words in its short texts: counted among those
        (the trigram index), once per content version.
        """
        if not self.names_kind_only(text):
            return None
        words = searched_words(text)
        if not words:
            return None
        short = SearchText(*self.text_fields)
        held = reduce(operator.and_, (holds(short, word) for word in words))
        if cached_count(ranked.filter(held).filter(first)):
            return None
        default = NAMED_ELSEWHERE if self.long_texts_searched() else NAMED
        listed = self.alias(
            _best_match=Value(default, output_field=models.IntegerField())
        ).order_by(*self.model._meta.ordering, "pk")
        # The global search ranks a kind's group by its best match, as before:
        # the first of those holding the words, few (``best_ranked``).
        listed.query.best_ranked = ranked.filter(held).order_by(*BEST_MATCH_ORDER)
        return listed

    def long_texts_searched(self) -> bool:
        """Tell whether a search finds these records by more than their short
        texts: their descriptions or summaries, their related people's names."""
        return bool(self.document_fields or self.related_text_fields)

    def ranks_names_apart(self) -> bool:
        """Tell whether the records whose names hold the words typed rank before
        the others found (``_named_rank``): found by long texts or by places."""
        return self.long_texts_searched() or bool(self.place_fields)

    def _named_rank(self, text: str) -> list[When]:
        """Return the rank of the records whose short texts (names, acronyms,
        codes, cities) hold every word of ``text`` but its stop words
        (``NAMED``), where others are found by their long texts: "materials"
        found E2P2L by its description, listed before the units named for
        materials. Where records are found by their short texts alone, but some
        name a place (``place_fields``: the partners' cities), the names (as
        shown in each language), original names and acronyms alone must hold
        the words: "Geneve" found a centre in Genève, listed before the
        universities named for Geneva (``_names_hold``). None for records
        searched by their names alone.

        Words naming a region or a kind ("materials Asia", "materials labs",
        "laboratoires de matériaux") are left out, as a country named is: they
        find records by their countries or kinds, which no name need hold.
        """
        if not self.ranks_names_apart():
            return []
        if (kind := self.kind_named(text)) is not None and kind[1]:
            text = kind[1]
        words = searched_words(text)
        if not words:
            return []
        if not self.long_texts_searched():
            held = self._names_hold(words)
        else:
            short = SearchText(*self.text_fields)
            held = reduce(operator.and_, (holds(short, word) for word in words))
        return [When(held, then=Value(NAMED))]

    def _names_hold(self, words: list[str]) -> Q:
        """Return the condition of the records whose short texts but their places
        (``place_fields``) hold every one of ``words``: each name as shown in
        each language (the columns PostgreSQL stores, ``STORED_SHOWN_TEXT``),
        the other texts (original name, acronym) as written, case ignored.

        None is folded for each match: folding the names cost 180 ms for 5,000
        units (tests/test_best_match.py). The original name and acronym are
        matched by a pattern of each letter with its accents instead
        (``written_pattern``: "geneve" finds "Genève").
        """
        translated = {
            f"{self.title_field}_{code}" for code, _name in settings.LANGUAGES
        }
        names = [shown_text(self.title_field, code) for code, _ in settings.LANGUAGES]
        others = [
            field
            for field in self.text_fields
            if field not in translated and field not in self.place_fields
        ]

        def held(word: str) -> Q:
            condition = reduce(operator.or_, (holds(name, word) for name in names))
            # At a word's start, as ``holds`` seeks a short word.
            written = written_pattern(word, start=word_pattern(word) is not None)
            for field in others:
                condition |= Q(**{f"{field}__iregex": written})
            return condition

        return reduce(operator.and_, (held(word) for word in words))

    def tiered_ids(self, low: int, high: int) -> list | None:
        """Return the ids of the rows ``[low:high]`` in the best match order,
        read rank by rank (``BestMatchTiers``; near misses closeness by
        closeness, ``NearMissTiers``), or None when not so ordered or the
        matches are too few to gain by it (one sort is then cheap)."""
        tiers = getattr(self.query, "best_match_tiers", None)
        if (
            tiers is None
            or tuple(self.query.order_by) != tiers.order
            or not tiers.readable(self.db)
            or (count := cached_count(self)) < tiers.fewest
            or (tiers.deepest is not None and high > tiers.deepest)
        ):
            return None
        return tiers.ids(self, min(high, count))[low:high]

    def _code_starts(self, typed: str) -> Q:
        """Return the condition of the records one of whose codes starts with
        ``typed``, case ignored, with the range of its index
        (``partner_acronym_upper``) when ``typed`` upper-cases letter for letter
        as PostgreSQL does ("ß" is "SS" in Python alone)."""
        upper = typed.upper()
        ranged = len(upper) == len(typed) and upper.lower() == typed.lower()
        condition = Q(pk__in=[])
        for field in self.code_fields:
            starts = Q(**{f"{field}__istartswith": typed})
            if ranged:
                following = upper[:-1] + chr(ord(upper[-1]) + 1)
                starts &= Q(GreaterThanOrEqual(Upper(field), upper)) & Q(
                    LessThan(Upper(field), following)
                )
            condition |= starts
        return condition

    def _code_starting(self, typed: str) -> Q:
        """Match the records one of whose codes (``code_fields``) starts with
        ``typed`` as its first word ("UN-Habitat", "WHO Europe":
        ``CODE_WORD_ENDS``), case ignored.

        On PostgreSQL under code point order, also as a range of the codes
        upper-cased, which their index (partners') is read by: a LIKE is read
        from it only under the "C" collation, not "C.UTF-8", and in one OR with
        the codes typed whole it made the count read every partner."""
        ranged = connections[self.db].vendor == "postgresql" and compares_by_code_point(
            self.db
        )
        conditions = []
        for field in self.code_fields:
            for end in CODE_WORD_ENDS:
                prefix = typed + end
                condition = Q(**{f"{field}__istartswith": prefix})
                if ranged and prefix.isascii():
                    start = prefix.upper()
                    following = start[:-1] + chr(ord(start[-1]) + 1)
                    condition &= Q(GreaterThanOrEqual(Upper(field), start)) & Q(
                        LessThan(Upper(field), following)
                    )
                conditions.append(condition)
        return reduce(operator.or_, conditions, Q(pk__in=[]))

    def _any_code(self, lookup: str, typed: str) -> Q:
        """Match the records one of whose codes (``code_fields``) answers
        ``lookup`` for ``typed``; none without codes."""
        return reduce(
            operator.or_,
            (Q(**{f"{field}__{lookup}": typed}) for field in self.code_fields),
            Q(pk__in=[]),
        )

    def corrected_texts(self, text: str) -> list[str]:
        """Return what ``text`` most likely meant, its words corrected, likeliest first.

        Its first word's twenty closest known words in turn ("universite" is only
        the eighth for "univresity"). Empty when no word changes, or the model
        keeps no known words.
        """
        if words_table := self._search_words_table():
            connection = connections[self.db]
            return corrected_texts(
                text, words_table, connection, MORE_CORRECTIONS_PER_WORD
            )
        return []

    def suggested_texts(self, text: str) -> list[str]:
        """Return the words ``text`` likely meant, each a slip of a word typed, from
        this model's known words, short texts' and long texts', and its related
        records' (a unit's director, a grant's laureate: "khedar", "kheddar"),
        likeliest first; none when no word changes or it keeps none.

        Of words as close, a short text's (a name, what is most typed) rather
        than a long text's: the long texts' tables are asked last."""
        if self._search_words_table():
            long_text_words = DOCUMENT_WORDS.values()
            return suggested_texts(
                text,
                sorted(self.word_sources(), key=lambda table: table in long_text_words),
                connections[self.db],
                writings=self.writings,
            )
        return []

    def writings(self, corrections: dict[str, str | None]) -> dict[str, str]:
        """Return how these records' texts, or their related records' names,
        write ``corrections``, folded words each with the table of known words it
        is from (``suggested_texts``): "universite": "université"."""
        return writings_from(corrections, self.word_sources())

    def word_sources(self) -> dict[str, tuple[models.QuerySet, tuple[str, ...]]]:
        """Return the records whose words each table of known words keeps, and
        their fields: these records' short texts, their long texts
        (``DOCUMENT_WORDS``), their related people's names."""
        sources = {}
        if words_table := self._search_words_table():
            sources[words_table] = (self, self.text_fields)
        if documents_table := DOCUMENT_WORDS.get(self.model._meta.db_table):
            sources[documents_table] = (self, self.long_text_fields())
        if self.related_text_fields:
            _relation, fields, related = self._related()
            table = SEARCH_WORDS[related._meta.db_table]
            sources[table] = (related._default_manager.all(), fields)
        return sources

    def long_text_fields(self) -> tuple[str, ...]:
        """Return the long texts' fields, every language's (``document_fields``)."""
        return tuple(
            field for fields in self.document_fields.values() for field in fields
        )

    def long_texts_holding(self, word: str) -> Q:
        """Match the records whose long texts hold ``word`` (folded) as a word or
        inside one, in either language: found by their stem through the full-text
        indexes, then read for the word itself (a LIKE alone read every summary)."""
        return reduce(
            operator.or_,
            (
                full_text(document(self.text_fields, fields), word, config)
                & Q(Contains(SearchText(*fields), word))
                for config, fields in self.document_fields.items()
            ),
            Q(pk__in=[]),
        )

    def known_words_among(self):
        """Return the function telling which of some words the records' texts hold
        as words (their table of known words), or None: the model has none.

        Read once per content version: a search that finds nothing asks it at
        each step, and many words end in "s" ("robotics", "paris").
        """
        if (table := self._search_words_table()) is None:
            return None
        connection = connections[self.db]

        def known(words: list[str]) -> set[str]:
            asked = sorted(set(words))
            digest = hashlib.sha256(" ".join(asked).encode()).hexdigest()
            return set(
                cached_by_content(
                    f"known-words:{table}:{digest}",
                    lambda: sorted(known_among(asked, [table], connection)),
                )
            )

        return known

    def _search_words_table(self) -> str | None:
        """Return the table of this model's known words, where typos are corrected.

        PostgreSQL's; on SQLite ``corrections()`` finds the same words in Python.
        """
        return SEARCH_WORDS.get(self.model._meta.db_table)

    def _related(self) -> tuple[str, tuple[str, ...], type[models.Model]]:
        """Return the relation searched (``related_text_fields``): the foreign
        key, the related record's short texts, and its model."""
        relation, fields = self.related_text_fields
        return relation, fields, self.model._meta.get_field(relation).related_model

    def related_condition(self, text: str, whole_words: bool = False) -> Q:
        """Match the records whose related record (a laureate) matches ``text``
        (``whole_words``: as ``text_search``).

        The related ids are read first, from that table's own index: an OR across
        a join would make PostgreSQL read every row of this table. Once per
        content version: a search asks again for each way it tries the words.
        """
        _relation, fields, related = self._related()
        ids = cached_by_content(
            related_key(related, [text, "whole" if whole_words else "within"]),
            lambda: list(
                related._default_manager.filter(
                    text_search(text, fields, whole_words=whole_words)
                )
                .order_by()
                .values_list("pk", flat=True)[:RELATED_MATCHES]
            ),
        )
        return self.related_to(ids) if ids else Q(pk__in=[])

    def related_to(self, ids: list[int]) -> Q:
        """Match the records whose related record (``related_text_fields``) is
        one of ``ids``: how a name found finds them."""
        relation, _fields = self.related_text_fields
        return Q(**{f"{relation}__in": ids})

    def related_conditions(self, words: list[str]) -> dict[str, Q]:
        """Return ``related_condition(word)`` of each word, reading the related
        records that match any of them in one query, each marked with the words
        it matches: a query a word made a search's queries grow with its words
        (29 for forty words, 0.3 s)."""
        _relation, fields, related = self._related()
        conditions = [text_search(word, fields) for word in words]
        marks = {
            f"holds_{number}": Case(
                When(condition, then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
            for number, condition in enumerate(conditions)
        }

        def read():
            rows = (
                related._default_manager.filter(reduce(operator.or_, conditions))
                .annotate(**marks)
                .order_by()
                .values_list("pk", *marks)[: RELATED_MATCHES * len(words)]
            )
            ids: list[list[int]] = [[] for _word in words]
            for pk, *held_by_word in rows:
                for number, held in enumerate(held_by_word):
                    if held and len(ids[number]) < RELATED_MATCHES:
                        ids[number].append(pk)
            return ids

        ids = cached_by_content(related_key(related, ["apart", *words]), read)
        return {
            word: self.related_to(found) if found else Q(pk__in=[])
            for word, found in zip(words, ids, strict=True)
        }


def starting_with(title: str, words: list[str]) -> Q:
    """Return the condition of the records whose ``title`` (an alias, folded)
    starts with ``words`` (folded), typed apart by spaces or by any punctuation:
    "aix marseille" starts "Aix-Marseille Université", "franco bresilien"
    "Franco-Brésilien…".

    The pattern is only tried where the words typed so far are followed by a sign
    other than a space: tried on the 210,000 names starting with "universite" for
    "universite de", it cost 70 ms at a million partners.
    """
    condition = Q(**{f"{title}__startswith": " ".join(words)})
    if len(words) < 2:
        return condition
    glued = reduce(
        operator.or_,
        (
            Q(**{f"{title}__startswith": so_far})
            & ~Q(**{f"{title}__startswith": f"{so_far} "})
            for so_far in (" ".join(words[:n]) for n in range(1, len(words)))
        ),
    )
    apart = r"\W+".join(words)
    return condition | glued & Q(MatchesPattern(F(title), f"^{apart}"))


# The order of a search's best matches (``best_matches_first``).
BEST_MATCH_ORDER = ("_best_match", "_shown_title", "pk")
# The ranks of its matches after a code typed whole (0) and a name starting with
# the words (1): the names starting with the words typed after the stop words
# typed first ("the university of tokyo": "University of Tokyo"), the names
# holding the words, then the records found otherwise (by a description, a
# summary, a director's name; a partner by its city alone).
STARTING_AFTER_STOP_WORDS = 2
NAMED = 3
NAMED_ELSEWHERE = 4

# Matches this many or more are read rank by rank (``tiered_ids``): fewer are
# sorted in one query at little cost, and the walk of a name index finds sparse
# matches slowly.
TIERED_MATCHES = 10_000


class BestMatchTiers:
    """The best match order of a kind or region named alone, read rank by rank.

    Ranked in one query, each match of "universite" (the 400,000 universities and
    the partners whose names hold the word) had its rank computed and was sorted:
    0.4 s at a million partners. Read rank by rank, each from an index in that
    order: the codes typed whole (an index of the codes); the names starting with
    the words, in the language shown (a range of its name index, in order) and in
    another or by a code (ranges of their indexes, then sorted, few); then the
    others, walking the name index, which a kind or region named alone finds
    often. Only where the database compares texts by code point, as the ranges
    of a prefix need (``compares_by_code_point``).
    """

    order = BEST_MATCH_ORDER
    deepest = None  # any page

    @property
    def fewest(self) -> int:
        """How many matches at least are read rank by rank."""
        return TIERED_MATCHES

    def __init__(self, exact: Q, words: list[str], titles: list[str], code_starts):
        self.exact = exact
        self.words = words
        self.titles = titles  # the shown title's alias first
        self.code_starts = code_starts

    @staticmethod
    def readable(alias: str) -> bool:
        """Tell whether database ``alias`` reads the prefixes' ranges in order."""
        return compares_by_code_point(alias)

    def ids(self, rows, count: int) -> list:
        """Return the ids of the first ``count`` rows of ``rows`` in order."""
        shown, *others = self.titles
        prefix = self.words[0]
        starts = [starting_with(title, self.words) for title in self.titles]
        own = starts[0] & prefix_range(shown, prefix)
        other = reduce(
            operator.or_,
            (
                condition & prefix_range(title, prefix)
                for title, condition in zip(others, starts[1:], strict=True)
            ),
            Q(pk__in=[]),
        )
        any_start = reduce(operator.or_, starts)
        if self.code_starts is not None:
            other |= self.code_starts
            any_start |= self.code_starts
        # Few, found through their indexes, then sorted: walking the name index
        # in order, PostgreSQL tested each of the million partners (2.5 s).
        ids = self._read(rows.filter(self.exact), count, walk=False)
        if len(ids) < count:
            not_exact = rows.exclude(self.exact)
            ids += [
                pk
                for _title, pk in heapq.merge(
                    self._read(not_exact.filter(own), count - len(ids), titled=True),
                    self._read(
                        not_exact.filter(other).exclude(starts[0]),
                        count - len(ids),
                        titled=True,
                        walk=False,
                    ),
                )
            ][: count - len(ids)]
        if len(ids) < count:
            ids += self._read(
                rows.exclude(self.exact).exclude(any_start), count - len(ids)
            )
        return ids

    @staticmethod
    def _read(rows, count: int, titled: bool = False, walk: bool = True) -> list:
        """The first ``count`` of ``rows`` by shown title: their ids, or (title,
        id) pairs to merge. ``walk``: read in the order of the name index, else
        found first and sorted (``NotFromIndex``)."""
        title = F("_shown_title") if walk else NotFromIndex(F("_shown_title"))
        ordered = rows.order_by(title.asc(), "pk")
        if titled:
            return list(
                ordered.annotate(_title=F("_shown_title")).values_list("_title", "pk")[
                    :count
                ]
            )
        return list(ordered.values_list("pk", flat=True)[:count])


# Near misses this many or more are read closeness by closeness
# (``NearMissTiers``): fewer are sorted in a quarter second, and may be sparse
# among the shortest texts ("laboratiore": none of its 38,584 among the 590,000
# shortest, 1.4 s to walk to the first).
NEAR_MISSES_TIERED = 100_000
# The rows that far in at most are read closeness by closeness: a page further
# on walks hundreds of thousands of rows (the end of "universte"'s first tier,
# 352,254 rows in: 4 s where one query takes 3), sorted in one query as before.
NEAR_MISSES_WALKED_AT_MOST = 10_000
# The longest search text the index of their lengths holds (partners 0027),
# in letters: four bytes each at most, under the 2,704 of an index entry.
LENGTH_INDEXED = 600
# How long the walk of the index of the texts' lengths may take for one
# closeness before its near misses are found and sorted instead: a page of the
# first one of "universte" takes 10 to 40 ms, its 300th 55 ms, of "instituet"
# 150 ms (no name holding "institute" is among the 162,000 shortest).
NEAR_MISSES_WALKED_FOR_MS = 250


class NearMissTiers:
    """The near misses of one word mistyped, read closeness by closeness.

    Ranked in one query, each near miss of "universte" (the 390,000 partners
    holding "universite", "university" and their like) had its closeness
    computed (the correction it holds first, of twenty) and was sorted by it
    and by the length of its texts: 1.6 s at a million partners. Its rows
    come in tiers, one per closeness, each ordered by that length then id:
    the closest first, walking an index of the texts' lengths (partners
    0026), which the records holding the likeliest correction fill fast.
    Only where near misses are many (``NEAR_MISSES_TIERED``); a tier that the
    walk fills slowly (few records hold its corrections, or only long texts)
    is found through the trigram index and sorted instead.
    """

    @property
    def fewest(self) -> int:
        """How many near misses at least are read closeness by closeness."""
        return NEAR_MISSES_TIERED

    @property
    def deepest(self) -> int:
        """How far in at most rows are read closeness by closeness."""
        return NEAR_MISSES_WALKED_AT_MOST

    def __init__(self, tiers: list[Q], length, order: tuple):
        self.tiers = tiers  # the condition of each closeness, closest first
        self.length = length  # the length of the searched text
        self.order = order

    @staticmethod
    def readable(alias: str) -> bool:
        """Tell whether database ``alias`` reads the tiers: any, in any order."""
        return True

    @classmethod
    def of(cls, corrections: list[tuple[str, float]], short, order: tuple):
        """Return the tiers of the near misses ranked by ``corrections`` of one
        word (closest first, as ``corrected_closeness`` tests them) held in
        ``short``, in the ``order`` they are sorted by."""
        by_score: dict[float, list[str]] = {}
        for word, score in corrections:
            by_score.setdefault(score, []).append(word)
        tiers = [
            reduce(operator.or_, (holds(short, word) for word in words))
            for _score, words in sorted(by_score.items(), reverse=True)
        ]
        return cls(tiers, Length(short), order)

    def ids(self, rows, count: int) -> list:
        """Return the ids of the first ``count`` rows of ``rows`` in order."""
        ids, closer = [], None
        for held in self.tiers:
            if len(ids) >= count:
                break
            tier = rows.filter(held) if closer is None else rows.filter(held & ~closer)
            ids += self._read(tier, count - len(ids))
            closer = held if closer is None else closer | held
        return ids

    def _read(self, rows, count: int) -> list:
        """The ids of the first ``count`` of ``rows``, shortest texts first:
        those the index holds (``LENGTH_INDEXED``) walked, then the longer
        ones, sorted (none, or hardly)."""
        walked = read_within(self.walked(rows, count), NEAR_MISSES_WALKED_FOR_MS)
        # Found through the trigram index then sorted: an order no index gives.
        length = ExpressionWrapper(self.length + 0, output_field=models.IntegerField())
        if walked is None:
            return list(self._ids(rows, count, length))
        if len(walked) < count:
            longer = rows.exclude(self.indexed())
            walked += self._ids(longer, count - len(walked), length)
        return walked

    def walked(self, rows, count: int):
        """Return the ids of the first ``count`` of ``rows`` that the index of
        lengths holds, in its order: its walk."""
        return self._ids(rows.filter(self.indexed()), count, self.length)

    def indexed(self) -> Q:
        """The texts the index of lengths holds (``LENGTH_INDEXED``)."""
        return Q(LessThanOrEqual(self.length, LENGTH_INDEXED))

    @staticmethod
    def _ids(rows, count: int, length):
        return rows.order_by(length, "pk").values_list("pk", flat=True)[:count]


def prefix_range(title: str, prefix: str) -> Q:
    """Return the condition of the ``title`` values starting with ``prefix`` as a
    range of its index: under code point order, ``[prefix, next)``, where next
    is the prefix with its last character the next one."""
    following = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(**{f"{title}__gte": prefix, f"{title}__lt": following})


# The collations that order texts by code point (PostgreSQL's C locales).
CODE_POINT_COLLATIONS = frozenset({"C", "POSIX", "C.UTF-8", "C.utf8", "ucs_basic"})
_compares_by_code_point: dict[str, bool] = {}


def compares_by_code_point(alias: str) -> bool:
    """Tell whether database ``alias`` sorts texts by code point: SQLite's BINARY
    does, PostgreSQL under a C locale (the README's); others may sort a prefix's
    texts apart (``prefix_range``). Asked once per process and database."""
    if alias not in _compares_by_code_point:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            _compares_by_code_point[alias] = connection.vendor == "sqlite"
        else:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT datcollate FROM pg_database "
                    "WHERE datname = current_database()"
                )
                (collation,) = cursor.fetchone()
            _compares_by_code_point[alias] = collation in CODE_POINT_COLLATIONS
    return _compares_by_code_point[alias]


def related_key(related, texts: list[str]) -> str:
    """The cache key of the ids of ``related``'s records matching ``texts``."""
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()
    return f"related:{related._meta.db_table}:{digest}"


# Rows read to find how words are written: the first holding a word may hold it as
# the start of a longer one ("universite" in "universites").
WRITINGS_READ = 20


def words_known_anywhere(text: str, alias: str) -> bool:
    """Tell whether every word of ``text`` but its stop words is a word of some
    record's short texts, any kind's (the tables of known words: ``known_among``),
    as typed or in the singular. Read once per content version."""
    words = [word for word in typed_words(text) if word not in STOP_WORDS_FOLDED]
    if not words:
        return False
    asked = {*words, *(form for word in words for form in singular_forms(word))}
    known = known_anywhere(asked, alias)
    return all(
        word in known or known.intersection(singular_forms(word)) for word in words
    )


def known_anywhere(words, alias: str) -> set[str]:
    """Return those of ``words`` (folded) that are words of some record's short
    texts, any kind's (the tables of known words: ``known_among``), as typed.
    Read once per content version."""
    asked = sorted(set(words))
    connection = connections[alias]
    digest = hashlib.sha256(" ".join(asked).encode()).hexdigest()
    return set(
        cached_by_content(
            f"known-anywhere:{digest}",
            lambda: sorted(known_among(asked, SEARCH_WORDS.values(), connection)),
        )
    )


def writings_from(corrections: dict[str, str | None], sources: dict) -> dict[str, str]:
    """Return how the records write ``corrections``, folded words each with the
    table of known words it is from: from a few records of that table's source
    (``sources``: table -> (records, fields)) holding it (``writings_in``).

    Only where the word is known: the rows holding a word are read under a LIMIT,
    which reads the whole table when none does.
    """
    found: dict[str, str] = {}
    for table, (records, fields) in sources.items():
        words = [word for word, source in corrections.items() if source == table]
        long_texts = table in DOCUMENT_WORDS.values()
        found |= writings_in(texts_holding(records, fields, words, long_texts), words)
    return found


def texts_holding(
    queryset, fields, words, long_texts: bool = False
) -> list[tuple[str | None, str]]:
    """Return the ``fields`` of a few of ``queryset``'s records holding one of
    ``words``, one text after the other, each with its language: a translated
    field's ("name_en": "en"), None for the others (an acronym, an original name).
    ``long_texts``: the fields are the records' long texts, found through their
    full-text indexes (``long_texts_holding``)."""
    if not words:
        return []
    if long_texts:
        holding = reduce(operator.or_, map(queryset.long_texts_holding, words))
    else:
        holding = reduce(operator.or_, (text_search(word, fields) for word in words))
    rows = queryset.filter(holding).order_by().values_list(*fields)
    languages = [field_language(field) for field in fields]
    return [
        (language, value)
        for row in rows[:WRITINGS_READ]
        for language, value in zip(languages, row, strict=True)
        if value
    ]


def field_language(field: str) -> str | None:
    """Return the language of a translated field ("title_fr": "fr"), else None."""
    code = field.rpartition("_")[2]
    return code if code in dict(settings.LANGUAGES) else None
