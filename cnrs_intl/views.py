import logging
import re
import sqlite3
import sys

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import (
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _, gettext_lazy, pgettext_lazy
from django.views.csrf import csrf_failure as djangos_csrf_failure
from django.views.decorators.cache import never_cache
from django.views.defaults import (
    bad_request as djangos_bad_request,
    permission_denied as djangos_permission_denied,
    server_error as djangos_server_error,
)
from django.views.generic import RedirectView
from django_countries.fields import Country

from cnrs_intl.countries import (
    HOME_COUNTRY,
    countries_abroad,
    country_activity,
    country_asked,
    country_records,
    not_a_country,
    outline_names,
)
from cnrs_intl.forms import SearchForm
from cnrs_intl.middleware import answers_json, json_error
from cnrs_intl.models import KeyFigure, SiteInformation
from cnrs_intl.search import (
    did_you_mean,
    global_search,
    kinds_named,
    most_words_groups,
    records_found,
    suggestions_anywhere,
    unpublished_country_coded,
)
from partners.addresses import with_query
from partners.caching import cached_count
from partners.filters import PartnerFilterSet
from partners.models import Office, Partner
from partners.search import common_words_only, searched_words, typed_words
from partners.structured_data import CNRS, SCHEMA_ORG
from partners.views import (
    RecordPageView,
    RequireSafeMixin,
    map_data,
    named_left_out,
    safe_only,
)
from programmes.filters import GrantFilterSet, ProjectFilterSet
from programmes.models import Grant
from units.filters import UnitFilterSet
from units.models import Testimony, Unit

logger = logging.getLogger(__name__)

# The CNRS has about a hundred joint units abroad; generated data sets have thousands.
# Past this many, the home page maps and lists the first ones and links to them all:
# each unit costs half a kilobyte of page (300 made a 140 KB page).
HOME_UNIT_LIMIT = 150


@safe_only
def home(request):
    """Show what the CNRS does abroad at a glance.

    Context: ``counts`` (published units: active, and all those listed;
    partners, countries where the CNRS works, offices, grants),
    ``key_figures``, ``units``, ``offices``, ``testimonies``, ``map_data`` (the
    offices as markers, the countries shaded by activity; the map reads the units'
    markers from their list) and ``structured_data`` (the site and its search).
    """
    # Shown on the map and listed: a few hundred units at most, whatever the table.
    units = list(Unit.objects.public().for_list()[:HOME_UNIT_LIMIT])
    offices = list(Office.objects.public())
    activity = country_activity()
    counts = {
        # The units at work: a journalist quotes it as "the CNRS has N joint units
        # abroad". The list below shows the closed ones too, said so.
        "units": cached_count(Unit.objects.public().active()),
        "listed_units": sum(row.units for row in activity),
        "partners": Partner.objects.public_count(),
        # The CNRS abroad: France, listed for its partners, is not among them.
        "countries": countries_abroad(activity),
        "offices": len(offices),
        "grants": cached_count(Grant.objects.public()),
    }
    return render(
        request,
        "cnrs_intl/home.html",
        {
            "counts": counts,
            "key_figures": KeyFigure.objects.public(),
            "units": units,
            "offices": offices,
            "testimonies": Testimony.objects.public().for_list(),
            # The units' markers are read from their list (components/map.html's
            # markers_from): written again as JSON they were a third of the page.
            "map_data": {
                **map_data(offices),
                "countries": {row.code: row.total for row in activity},
            },
            "structured_data": site_description(request),
        },
    )


def site_description(request) -> dict:
    """The site as schema.org describes it: the CNRS's, in the page's language,
    searched at /xx/search/ (a search engine may offer its own box for it)."""
    search = request.build_absolute_uri(reverse("search"))
    return {
        "@context": SCHEMA_ORG,
        "@type": "WebSite",
        "name": _("CNRS international cooperation"),
        "url": request.build_absolute_uri(reverse("home")),
        "inLanguage": translation.get_language(),
        "publisher": CNRS,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": f"{search}?q={{search_term_string}}",
            },
            "query-input": "required name=search_term_string",
        },
    }


@safe_only
def country_list(request):
    """List the countries where the CNRS works, on a shaded map and in a table.

    Context: ``countries`` (``CountryActivity`` rows sorted by name in the active
    language), ``countries_abroad`` (the count of those where the CNRS works now,
    France aside: ``CountryActivity.is_current``), ``past_countries_listed``
    (whether countries abroad where it does not are listed too),
    ``home_country_listed`` (whether France is among them) and ``map_data``
    (each country's activity, to shade it, and the names of the others, which the
    map shows when hovered: the table names those with activity and links their
    pages).
    """
    activity = country_activity()
    shades = {row.code: row.total for row in activity}
    return render(
        request,
        "cnrs_intl/country_list.html",
        {
            "countries": activity,
            "countries_abroad": countries_abroad(activity),
            "past_countries_listed": any(
                not row.is_current and row.code != HOME_COUNTRY for row in activity
            ),
            "home_country_listed": any(row.code == HOME_COUNTRY for row in activity),
            "map_data": {"countries": shades, "names": outline_names(shades)},
        },
    )


# The lists of the data API (cnrs_intl/api.py), as the open data page presents them:
# (label, API route name, page's URL name, the filters its FilterSet reads). Labels
# head their rows: the page titles ("page title"), where a model's plural name, said
# in a sentence, is lower case in French.
API_LISTS = [
    (
        gettext_lazy("Partner institutions"),
        "partner",
        "partners:list",
        PartnerFilterSet,
    ),
    (gettext_lazy("Joint units"), "unit", "units:list", UnitFilterSet),
    (pgettext_lazy("page title", "CNRS institutes"), "institute", None, None),
    (
        pgettext_lazy("page title", "CNRS offices abroad"),
        "office",
        "partners:office-list",
        None,
    ),
    (gettext_lazy("Programmes"), "programme", "programmes:list", None),
    (
        pgettext_lazy("page title", "ERC and MSCA grants"),
        "grant",
        "programmes:grant-list",
        GrantFilterSet,
    ),
    (gettext_lazy("Projects"), "project", "programmes:project-list", ProjectFilterSet),
    (gettext_lazy("Countries"), "country", "country-list", None),
    (gettext_lazy("Key figures"), "key-figure", "home", None),
]


@safe_only
def open_data(request):
    """Present the data API to people: its lists, their filters, how it answers.

    Its addresses in the page's language: ``?lang=en`` on the English page, for
    English messages and sorts by name (French, the API's default, needs none).

    Context: ``endpoints`` (label, API address, page, filters), ``example`` (a
    record's address), ``schema`` (the OpenAPI description's address) and
    ``site_information`` (the data's licence; None until staff enter it).
    """
    language = request.LANGUAGE_CODE
    lang = "" if language == settings.LANGUAGE_CODE else f"?lang={language}"
    endpoints = [
        {
            "label": label,
            "address": reverse(f"api:{route}-list") + lang,
            "page": reverse(page) if page else "",
            "filters": list(filterset.base_filters) if filterset else [],
        }
        for label, route, page, filterset in API_LISTS
    ]
    return render(
        request,
        "cnrs_intl/open_data.html",
        {
            "endpoints": endpoints,
            "example": reverse("api:partner-list") + "<slug>/" + lang,
            # Its labels in the page's language.
            "schema": f"{reverse('api:schema')}?lang={request.LANGUAGE_CODE}",
            "site_information": SiteInformation.objects.current(),
        },
    )


@safe_only
def accessibility(request):
    """State how accessible the site is: the statement the RGAA asks for.

    Context: ``site_information`` (its contact, the statement's date and the audit,
    if any; None until staff enter it).
    """
    return render(
        request,
        "cnrs_intl/accessibility.html",
        {"site_information": SiteInformation.objects.current()},
    )


@safe_only
def legal_notice(request):
    """Say who publishes and hosts the site, how to reach them, what becomes of
    visitors' data and how the content may be reused: the legal notice French law
    asks of every website.

    Context: ``site_information`` (None until staff enter it: the page then names
    the DERCI alone).
    """
    return render(
        request,
        "cnrs_intl/legal_notice.html",
        {"site_information": SiteInformation.objects.current()},
    )


@safe_only
def country_detail(request, code):
    """Show everything the CNRS does in the country of ISO code ``code``.

    An unknown code answers 404 with a message; a code not in capitals ("jp"), a
    three-letter or numeric ISO code ("BRA", "076") or a country's name in either
    language ("bresil", "united-kingdom": ``country_named_whole``), also written
    joined ("hongkong": ``country_named_joined``), redirects (301) to the page of
    its code, its query string kept: one address per country, in the links to the
    page in the other language too. A real country with no published record answers
    200, says so and names the office covering it if any: the address stays valid
    when the first record comes, and the page is kept out of search engines
    (noindex) and of the sitemap meanwhile.

    Context: ``country``, ``records`` (``CountryRecords``), ``map_data`` (the
    offices it hosts as markers, the map reading the units' from their list; the
    country, which the map sets apart and frames) and ``canonical_url`` (the
    page's address without its query string).
    """
    country = country_asked(code)
    if country is None:
        return not_found(request, not_a_country(code))
    if code != country.code:
        address = reverse("country-detail", kwargs={"code": country.code})
        return HttpResponsePermanentRedirect(with_query(address, request))
    records = country_records(country)
    return render(
        request,
        "cnrs_intl/country_detail.html",
        {
            "country": country,
            "records": records,
            "map_data": {
                **map_data(records.hosted_offices),
                "focus": [country.code],
            },
            "canonical_url": request.build_absolute_uri(request.path),
        },
    )


# No Cache-Control, as on every other public page: the page cache serves it until
# content changes, whereas a browser keeping it would show a record published by
# staff only once its copy expired.
@safe_only
def search(request):
    """Search every public kind of record at once (units, partners, offices, grants…).

    Context: ``form`` and, once a query is given, ``groups`` (cnrs_intl.search),
    ``total``, and ``suggestion`` (with its ``suggestion_url``), the text likely
    meant when nothing holds its words; ``several_words`` typed. A query too short
    or too long answers 400 with the form's error, as does one of stop words alone
    ("the", "de la") or of two single letters ("a b") that is no record's code
    ("who", "E U": ``searchable_words``). A country's code that is a stop word,
    typed alone in capitals ("DE"), names the country; where nothing is published
    about it, ``unpublished_country`` says so, no group searched.
    """
    # Only "q" submits the form: links from newsletters add parameters of their own
    # (utm_source…) that must still lead to the empty search page, as must the
    # header's box sent empty.
    typed = request.GET.get("q", "").strip()
    form = SearchForm(request.GET if typed else None)
    # A page per text typed: out of search engines' results (robots.txt keeps
    # crawlers out; this, those that came by a link), its links followed.
    context = {"form": form, "groups": None, "total": 0, "robots": "noindex, follow"}
    if not form.is_bound:
        return render(request, "cnrs_intl/search.html", context)
    if not form.is_valid():
        return render(request, "cnrs_intl/search.html", context, status=400)
    text = form.cleaned_data["q"]
    if code := unpublished_country_coded(text):
        # "DE" alone, Germany's code and a stop word, where nothing is published
        # about Germany: said so, rather than "a word too common" or close records.
        context.update(groups=[], unpublished_country=Country(code))
        return render(request, "cnrs_intl/search.html", context)
    groups = global_search(text)
    suggestion = did_you_mean(text, groups)
    context.update(
        groups=groups,
        # The closest records, shown when nothing matched, are no results.
        total=sum(group.total for group in groups if not group.near_misses),
        closest=sum(group.total for group in groups if group.near_misses),
        suggestion=suggestion,
        suggestion_url=suggestion and f"{request.path}?{urlencode({'q': suggestion})}",
        # "Fewer words" is no advice for one word.
        several_words=len(typed_words(text)) > 1,
    )
    if not context["total"] and not context["closest"]:
        # Nor another spelling, for a kind of record rightly named ("umifre").
        context["kinds_named"] = kinds_named(text)
    if not (
        records_found(groups)
        or context["closest"]
        or context.get("kinds_named")
        or suggestion
    ):
        # Nothing holds every word, nor nearly, and none looks misspelt: the
        # records holding all of them but one ("Technical University of Munich
        # Garching"), counted as close records; after the country named among
        # the words, when nothing there held the others ("universite kyoto
        # japon robotics": Japan, then the records there holding most words).
        # A word misspelt, whose correction found nothing either: the
        # corrected words but one ("Universty of Tokyo Kyoto").
        meant = [] if common_words_only(text) else suggestions_anywhere(text)
        most, left_out, searched = most_words_groups(text, meant)
        if most:
            countries = [group for group in groups if group.key == "countries"]
            context.update(
                groups=[group for group in countries if group.total] + most,
                closest=sum(group.total for group in most),
                most_words_of=text,
                most_words_corrected=searched if searched != text else "",
                words_left_out=named_left_out(
                    searched, left_out, searched_words(searched)
                ),
            )
    return render(request, "cnrs_intl/search.html", context)


@safe_only
def robots_txt(request):
    """Let crawlers in everywhere but the admin, the API and the search in each
    language (a page per text anyone may type), and point them to the sitemap."""
    searches = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            searches += [reverse("search"), reverse("partners:autocomplete")]
    text = render_to_string(
        "robots.txt",
        {
            "sitemap_url": request.build_absolute_uri(reverse("sitemap")),
            "searches": searches,
        },
    )
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@safe_only
def favicon(request):
    """Send a browser asking for /favicon.ico to the site's icon.

    Pages name it (``<link rel="icon">``); browsers still ask for /favicon.ico where
    no page does (a JSON answer, the sitemap). To its name without the hash that
    production adds: a permanent redirect outlives the icon's next change.
    """
    return HttpResponsePermanentRedirect(f"{settings.STATIC_URL}favicon.svg")


@safe_only
def language_redirect(request):
    """Send a visitor of ``/`` to the home page in their language
    (``visitor_language``, which the locale middleware chose)."""
    return HttpResponseRedirect(f"/{request.LANGUAGE_CODE}/")


@safe_only
@never_cache
def healthz(request):
    """Answer that the process is up, without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


# How long a visitor or crawler is asked to wait when the database cannot be reached.
RETRY_AFTER_SECONDS = 60

# SQLite raises OperationalError for a missing table or column and a malformed
# statement too: bugs, to be seen as 500s. Only these say the file is busy or away.
SQLITE_OUTAGES = (
    "database is locked",
    "database table is locked",
    "unable to open database file",
    "disk i/o error",
    "database or disk is full",
)


def is_outage(error) -> bool:
    """Whether ``error`` says the database cannot serve now, not that code is wrong."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    if isinstance(error.__cause__, sqlite3.OperationalError):
        return str(error.__cause__).lower().startswith(SQLITE_OUTAGES)
    # PostgreSQL's: connection lost or refused, statement cancelled, server
    # shutting down, too many clients. A missing table is a ProgrammingError there.
    return True


def server_error(request):
    """Django's 500 page, or a 503 asking to come back when the error is the
    database's (unreachable, restarting, too slow): an outage, not a broken page.

    Crawlers keep the pages they know through a 503 and come back after
    ``Retry-After``; monitoring tells the two apart. Like the 500 page, it reads
    no database and no context (templates/503.html).
    """
    outage = is_outage(sys.exc_info()[1])
    if answers_json(request):
        if outage:
            message = _("The service is unavailable for a moment: try again shortly.")
        else:
            message = _("Something went wrong on our side; it has been logged.")
        response = json_error(request, message, 503 if outage else 500)
    elif outage:
        response = HttpResponse(render_to_string("503.html"), status=503)
    else:
        return djangos_server_error(request)
    if outage:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def page_not_found(request, exception):
    """The 404 page, offering to search for the words of the address (a unit's
    page asked for by its code, "/en/units/umi-2924/"; a link from an older
    site), or for the JSON endpoints a JSON message.

    Context: ``address_search`` (the search page's address for those words,
    "" when the address has none) and ``address_words``.
    """
    if answers_json(request):
        return json_error(request, _("There is nothing at this address."), 404)
    return not_found(request, record_page=record_page_above(request))


def not_found(request, message: str = "", record_page: dict | None = None):
    """Render the 404 page, with ``message`` saying why if given, and
    ``record_page`` (``record_page_above``) offered if given."""
    words = address_words(request.path)
    context = {
        "message": message,
        "record_page": record_page,
        "address_words": words,
        "address_search": (
            f"{reverse('search')}?{urlencode({'q': words})}" if words else ""
        ),
    }
    return render(request, "404.html", context, status=404)


# How many parts of an address not found are looked at for a record's page
# above it: a record's page is three deep ("/fr/units/jrl/").
RECORD_PAGE_DEPTH = 6


def record_page_above(request) -> dict | None:
    """Return the page of the record an address no page answers goes on from
    ("/fr/units/jrl/extra/": JRL's), as ``{"url", "name"}``, or None: the
    visitor wanted that record more likely than a search for "extra" (QA46 S10).

    Offered on the 404 page rather than redirected to: the address is not the
    record's (a link to a page of an older site, "/units/jrl/members/", is no
    page of JRL's here), a redirection would make any text after a slug an
    address of the record, and the 404 keeps the broken link visible in the
    logs. The nearest page above the address decides; one query for a record's
    (none for a country's), none for any other address.
    """
    parts = [part for part in request.path.split("/") if part][:RECORD_PAGE_DEPTH]
    for end in range(len(parts) - 1, 1, -1):
        try:
            match = resolve("/" + "/".join(parts[:end]) + "/")
        except Resolver404:
            continue
        return _record_page(request, match)
    return None


def _record_page(request, match) -> dict | None:
    if match.view_name == "country-detail":
        country = country_asked(match.kwargs["code"])
        if country is None:
            return None
        url = reverse("country-detail", kwargs={"code": country.code})
        return {"url": url, "name": country.name}
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not issubclass(view_class, RecordPageView):
        return None
    # Its queryset as its page reads it: published records, and drafts for staff
    # who may preview them. The record alone: its name.
    view = view_class()
    view.setup(request, *match.args, **match.kwargs)
    record = (
        view.get_queryset()
        .select_related(None)
        .prefetch_related(None)
        .filter(slug=match.kwargs[view.slug_url_kwarg])
        .order_by()
        .first()
    )
    if record is None:
        return None
    return {"url": record.get_absolute_url(), "name": str(record)}


# A page's file name in an older site's address ("international.html").
_PAGE_SUFFIX = re.compile(r"\.(s?html?|php|aspx?|jsp)$", re.IGNORECASE)
_WORD_SEPARATORS = re.compile(r"[\s\-_+.,;:]+")
ADDRESS_WORDS_MAX_LENGTH = 100


def address_words(path: str) -> str:
    """Return the words of the last part of ``path`` ("umi 2924" for
    "/en/units/umi-2924/"), or "" when they are too few to search for (shorter
    than the search's two characters, no letter nor digit)."""
    parts = [part for part in path.split("/") if part]
    if not parts:
        return ""
    last = _PAGE_SUFFIX.sub("", parts[-1])  # request.path is decoded already
    last = "".join(character for character in last if character.isprintable())
    words = _WORD_SEPARATORS.sub(" ", last)[:ADDRESS_WORDS_MAX_LENGTH].strip()
    if len(words) < 2 or not any(character.isalnum() for character in words):
        return ""
    if words in (code for code, _name in settings.LANGUAGES):
        return ""  # "/en/" itself is no page that could be missing
    return words


def bad_request(request, exception):
    """Django's 400 page, or for the JSON endpoints a JSON message.

    Django answers 400 itself to what it cannot read (more parameters than
    DATA_UPLOAD_MAX_NUMBER_FIELDS, an unknown host): an API client got the site's
    HTML page.
    """
    if answers_json(request):
        message = _(
            "The request could not be read: it may hold too many parameters or "
            "too much data."
        )
        return json_error(request, message, 400)
    return djangos_bad_request(request, exception)


def permission_denied(request, exception):
    """Django's 403 page, or for the JSON endpoints a JSON message."""
    if answers_json(request):
        return json_error(request, _("This address may not be read."), 403)
    return djangos_permission_denied(request, exception)


def csrf_failure(request, reason=""):
    """Django's page of a request refused for its missing security token, or for
    the JSON endpoints a JSON message (CSRF_FAILURE_VIEW)."""
    if answers_json(request):
        message = _("The request was sent without its security token.")
        return json_error(request, message, 403)
    return djangos_csrf_failure(request, reason)


@safe_only
@never_cache
def readyz(request):
    """Answer 200 when the database answers, 503 otherwise.

    The shared cache is reported, not required: without it pages are built for
    each request (cnrs_intl/redis_cache.py), slower but right.
    """
    is_reachable = getattr(cache, "is_reachable", None)
    status = {
        "cache": "ok" if is_reachable is None or is_reachable() else "unavailable"
    }
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any database failure means "not ready"
        # Logged, not answered: the error names the database's host and port, and
        # the proxy may let anyone ask.
        logger.warning("/readyz: the database does not answer: %s", error)
        return JsonResponse({"database": "unavailable", **status}, status=503)
    return JsonResponse({"database": "ok", **status})


class OpenDataRedirect(RequireSafeMixin, RedirectView):
    """/fr/open-data/, the address people guess for the open data page: there,
    its query kept."""

    pattern_name = "open-data"
    permanent = True
    query_string = True
