"""Middleware of the whole site that no app owns."""

import functools
import json
from urllib.parse import unquote_plus

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.core.signals import got_request_exception
from django.http import HttpResponseBadRequest, JsonResponse, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from cnrs_intl.page_cache import is_anonymous_public_read
from partners import replicas


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, which gives the back-office's addresses its own
    policy (``ADMIN_CONTENT_SECURITY_POLICY``), the rest the site's
    (``CONTENT_SECURITY_POLICY``).

    By address rather than by decorating the admin's views: its 404s and the 400
    of a host not served get it too. A view's own (django-csp's ``csp`` decorator)
    still wins; ``csp_update`` and ``csp_replace`` change the admin's.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if (
            not report_only
            and parts.config is None
            and request.path.startswith(admin_prefix())
        ):
            parts.config = default_config(
                settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
            )
        return parts


@functools.cache
def admin_prefix() -> str:
    return reverse("admin:index")


@functools.cache
def api_prefix() -> str:
    return reverse("api:api-root")


def answers_json(request) -> bool:
    """Whether the address is one of the JSON endpoints (/api/…, ….json), whose
    errors are JSON too: a client reading JSON gets no HTML page."""
    return request.path.endswith(".json") or request.path.startswith(api_prefix())


class ApiMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, but every answer of the data API (/api/…) takes
    its language from its address and carries the CORS header.

    The language is the one ``lang`` names, else the site's default, never the
    browser's: answers are cached by address, so an answer depends on its address
    only, its errors too (a 404, a NUL refused), and says so (no ``Vary:
    Accept-Language``, which would make shared caches keep a copy per browser
    language). Any site's JavaScript may read them, errors and redirections
    included: nothing is written and no cookie is read. A permanent redirection
    is JSON too, naming the new address (``moved``).
    """

    def process_request(self, request):
        if not request.path.startswith(api_prefix()):
            super().process_request(request)
            if not translation.get_language_from_path(request.path_info):
                # An address without a language (/, a shared link's /partners/…),
                # which Django redirects to request.LANGUAGE_CODE's.
                translation.activate(visitor_language(request))
                request.LANGUAGE_CODE = translation.get_language()
            return None
        asked = request.GET.get("lang")
        language = asked if asked in dict(settings.LANGUAGES) else None
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if not request.path.startswith(api_prefix()):
            return super().process_response(request, response)
        if response.status_code in MOVED_STATUSES and not response.streaming:
            moved(request, response)
        response["Access-Control-Allow-Origin"] = "*"
        # A list's pages named beside a CSV file's records (PublicPagination).
        response["Access-Control-Expose-Headers"] = "Link, X-Total-Count, X-Near-Misses"
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


# Permanent redirections: a record's former address or identifier, a country's
# other code, a missing final slash (CommonMiddleware).
MOVED_STATUSES = (301, 308)


def moved(request, response) -> None:
    """Give an API's permanent redirection a JSON body naming the new address,
    ``{"detail", "location"}``, where Django's is an empty HTML page: a client
    reading JSON, or a person reading the answer, learns the address to use."""
    location = request.build_absolute_uri(response["Location"])
    response.content = json.dumps(
        {
            "detail": _("This is now at %(location)s: use that address from now on.")
            % {"location": location},
            "location": location,
        },
        ensure_ascii=False,
    ).encode()
    response["Content-Type"] = "application/json"
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))


def visitor_language(request) -> str:
    """The language to send a visitor to from an address without one: the one
    their language cookie or browser names, else English when the browser names
    only languages the site is not written in (a researcher reading German or
    Japanese more likely reads English than French), else French (crawlers and
    tools that name none)."""
    language = translation.get_language_from_request(request)
    if language != settings.LANGUAGE_CODE or request.COOKIES.get(
        settings.LANGUAGE_COOKIE_NAME
    ):
        return language
    named = [
        code.split("-")[0]
        for code, _quality in parse_accept_lang_header(
            request.headers.get("Accept-Language", "")
        )
        if code != "*"
    ]
    if named and settings.LANGUAGE_CODE not in named:
        return "en"
    return language


def json_error(request, message: str, status: int) -> JsonResponse:
    """An error of a JSON endpoint: ``{"detail"}`` in the API, as Django REST
    framework writes its own, ``{"error"}`` at the site's own ….json addresses."""
    in_api = request.path.startswith(api_prefix())
    response = JsonResponse({"detail" if in_api else "error": message}, status=status)
    if in_api:
        # Also when the error was raised before ApiMiddleware could add it (a
        # request Django could not read): other sites' scripts read the message.
        response["Access-Control-Allow-Origin"] = "*"
    return response


# What newsletters, social networks and ads add to the links they carry; no page
# reads them. Some are unique to each click (fbclid, gclid, msclkid).
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "twclid",
        "li_fat_id",
        "igshid",
        "yclid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "_ga",
        "_gl",
    }
)
TRACKING_PREFIXES = ("utm_",)


def is_tracking_parameter(name: str) -> bool:
    name = unquote_plus(name).lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


class TrackingParametersMiddleware:
    """Leave the tracking parameters of shared links (utm_*, fbclid…) out of requests.

    Each made another address of the same page: a unit page shared on a social
    network, whose every click carries its own ``fbclid``, missed the page cache on
    every visit and filled it with copies; and the pages that repeat their address
    (the language switcher, the pages of a list) handed one visitor's click id on
    to the next. The query string is rewritten before the page cache and the views
    read it; the back-office's is left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if query and not request.path.startswith(admin_prefix()):
            # Split as written, so that the parameters kept stay byte for byte.
            pairs = query.split("&")
            kept = [
                pair
                for pair in pairs
                if not is_tracking_parameter(pair.partition("=")[0])
            ]
            if len(kept) < len(pairs):
                request.META["QUERY_STRING"] = "&".join(kept)
                request.GET = QueryDict(
                    request.META["QUERY_STRING"], encoding=request.encoding
                )
        return self.get_response(request)


class RejectNulCharactersMiddleware:
    """Answer 400 to an address whose query string holds a NUL character (%00).

    PostgreSQL refuses NUL in text, so any search or filter given one failed with a
    500; forms refuse it already, but the JSON endpoints and the admin's searches
    do not go through a form. Nothing legitimate sends one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            message = _("The address holds a NUL character (%00), which is not text.")
            if answers_json(request):
                return json_error(request, message, 400)
            return HttpResponseBadRequest(
                message, content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """Give the 405 of a page outside the admin a short page in the visitor's language.

    Public pages answer GET and HEAD only (``safe_only``, RequireSafeMixin), and
    Django answers other methods with an empty body; the Allow header stays. The
    JSON endpoints get ``{"error"}``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code != 405
            or response.streaming
            or response.content
            or request.path.startswith(admin_prefix())
        ):
            return response
        message = _(
            "This address only answers GET requests: it can be read, but accepts "
            "nothing sent to it."
        )
        if answers_json(request):
            page = json_error(request, message, 405)
        else:
            page = render(request, "405.html", {"message": message}, status=405)
        page["Allow"] = response["Allow"]
        return page


class ReplicaReadsMiddleware:
    """Let anonymous visitors' public pages read from a replica (partners/replicas.py).

    Outside the page cache's middleware, so that the page cache knows, when it
    stores a page, what the page was read from. A request a replica failed (it went
    down, or cancelled a query) is served again, once, from the primary.
    """

    def __init__(self, get_response):
        if not replicas.configured_replicas():
            raise MiddlewareNotUsed
        self.get_response = get_response
        got_request_exception.connect(
            replicas.note_replica_failure, dispatch_uid="note_replica_failure"
        )

    def __call__(self, request):
        if not is_anonymous_public_read(request):
            return self.get_response(request)
        with replicas.replica_reads() as reads:
            response = self.get_response(request)
            if reads.failed:
                reads.read_primary()
                response = self.get_response(request)
            return response
