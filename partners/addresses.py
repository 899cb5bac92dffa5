"""Addresses of records' pages, without resolving the URL patterns for each record;
and a page's address with the query string it was asked with.

A list page links each of its rows to its record: with ``reverse()`` at about 30 µs a
call, the 150 units of the home page (each with its country) spent a tenth of the
page's time there. The address of a view is the same for every record but for one
path segment: it is reversed once per view, language and URL configuration, with a
placeholder where that segment goes, then filled in.
"""

import functools
import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation

# Never a slug the site makes (they are lower case), but one Django's slug and str
# converters accept, so that reverse() builds the address around it.
PLACEHOLDER = "PLACEHOLDER0SEGMENT"
# What the slug converter accepts: anything else goes through reverse(), which
# raises NoReverseMatch as it always did.
SEGMENT = re.compile(r"[-a-zA-Z0-9_]+")


@functools.lru_cache(maxsize=512)
def _address_pattern(view_name, argument, language, prefix, urlconf):
    with translation.override(language):
        return reverse(view_name, urlconf=urlconf, kwargs={argument: PLACEHOLDER})


def detail_url(view_name: str, argument: str, value: str) -> str:
    """Return ``reverse(view_name, kwargs={argument: value})``, faster.

    For views whose address takes one path segment (a slug, a country code).
    """
    if not SEGMENT.fullmatch(value or ""):
        return reverse(view_name, kwargs={argument: value})
    pattern = _address_pattern(
        view_name,
        argument,
        translation.get_language(),
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
    )
    return pattern.replace(PLACEHOLDER, value)


def with_query(path: str, request) -> str:
    """Return ``path`` followed by the query string of ``request``, as Django read it.

    Rebuilt from ``request.GET``, repeated parameters kept: the raw QUERY_STRING
    holds the bytes as the WSGI server decoded them (latin-1), so "Pékin" typed in
    the address bar came back as "P%C3%83%C2%A9kin".
    """
    query = request.GET.urlencode()
    return f"{path}?{query}" if query else path
