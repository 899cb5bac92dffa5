"""The anonymous page cache: public pages served from the cache, per language.

Visitors without a session cookie all see the same page for a given address (the
language is in the path: /fr/…, /en/…), so the whole response is cached under its
address and served before sessions, authentication or the view are reached. Staff
have a session cookie: they always get fresh pages, drafts and previews included.

Entries carry the content version they were built from (partners/caching.py): any
change to public content makes them stale at once, in every process sharing the
cache. ``PAGE_CACHE_SECONDS`` bounds their age anyway (pages that depend on the date,
such as "ends within 90 days"); 0 turns the page cache off.

Each process also keeps the pages it served last (``RecentPages``): a hit then reads
only the version from the shared cache, a few bytes, instead of the whole page, which
made the heaviest pages (60-70 KB) a quarter slower to serve than the others. And it
reads that version at most once every ``PAGE_CACHE_VERSION_SECONDS`` (1 s): the round
trip to Redis was 40 % of a hit's time. A change made through another app server
thus reaches this one's visitors within that second; staff, who have a session,
always see their changes at once.

While the database cannot be reached, a page not cached for the current version
would be the 503 page (cnrs_intl/views.py): the last page cached for its address is
served instead if it is not older than ``PAGE_CACHE_STALE_SECONDS`` (a day),
whatever version it was built from (header ``X-Page-Cache: stale``). No content
can change while the database is away; the page is at most as old as the last
change made before.
"""

import hashlib
import threading
import time
import weakref
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.encoding import escape_uri_path, iri_to_uri

from partners.caching import built_once, recent_content_version
from partners.replicas import fresh_for

# Paths never cached: the back-office, health probes and anything with side effects.
EXCLUDED_PREFIXES = ("/admin/", "/healthz", "/readyz", "/static/")
# Response headers not replayed from the cache.
UNCACHED_HEADERS = frozenset({"set-cookie", "x-page-cache"})


def page_key(request) -> str:
    """The cache key of a page: its address, the query's parameters in name order.

    "?country=BR&ordering=name" and "?ordering=name&country=BR" are one page (a
    view reads its parameters by name), so one entry. The values of a repeated
    name keep their order, and every parameter is kept as written.
    """
    query = request.META.get("QUERY_STRING", "")
    parameters = sorted(query.split("&"), key=lambda pair: pair.partition("=")[0])
    # As get_full_path() writes the path and query.
    path, query = escape_uri_path(request.path), iri_to_uri("&".join(parameters))
    address = f"{request.scheme}://{request.get_host()}{path}?{query}"
    return "page:" + hashlib.sha256(address.encode()).hexdigest()


def is_anonymous_public_read(request) -> bool:
    """A GET or HEAD of a public page without a session: every visitor sees the same."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(EXCLUDED_PREFIXES)
    )


# Public, but each a megabyte or so and asked for once a day by each crawler: they
# would push many pages out of the cache for one later hit.
UNCACHED_PREFIXES = ("/sitemap-",)


def is_cacheable_request(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and is_anonymous_public_read(request)
        and not request.path.startswith(UNCACHED_PREFIXES)
    )


# What django-csp's decorators leave on a response for its middleware, outside
# this one: a page replayed from the cache is a new response without them.
OWN_POLICY_ATTRIBUTES = tuple(
    f"_csp_{kind}{report}"
    for kind in ("exempt", "update", "replace", "config")
    for report in ("", "_ro")
)


def sets_its_own_policy(request, response) -> bool:
    """Tell whether the page has a Content Security Policy of its own: a view's
    django-csp decorator, or a nonce it used (``request.csp_nonce``). Replayed,
    the page would get the site's policy, or a header without its nonce: its
    scripts blocked from the second visit on. Such a page is not cached."""
    return getattr(request, "_csp_nonce", None) is not None or any(
        hasattr(response, name) for name in OWN_POLICY_ATTRIBUTES
    )


def is_cacheable_response(response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
        and "no-cache" not in cache_control
    )


# Every RecentPages of the process, for forget_recent_pages().
_every_recent_pages = weakref.WeakSet()


def forget_recent_pages() -> None:
    """Empty every process-local page store (tests: a live server's outlives a test)."""
    for recent in list(_every_recent_pages):
        recent.clear()


class RecentPages:
    """The pages this process served last, least recently used dropped first.

    Bounded by the bytes of the pages kept. An entry is used only under the content
    version it was built from, read from the shared cache on each request: a change
    seen by any process makes it stale here too; and only as long as the shared
    cache would keep it (``PAGE_CACHE_SECONDS`` from when the page was built).
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self.entries = OrderedDict()
        self.lock = threading.Lock()  # gthread workers serve requests in threads
        _every_recent_pages.add(self)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0

    def get(self, key, version, max_age: int):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or entry[0] != version:
                return None
            if entry[4] + max_age < time.time():
                return None  # kept for latest() while it lasts
            self.entries.move_to_end(key)
            return entry

    def latest(self, key, max_age: int):
        """Return the page kept for ``key``, whatever its version, if built within
        ``max_age`` seconds."""
        with self.lock:
            entry = self.entries.get(key)
        if entry is None or entry[4] + max_age < time.time():
            return None
        return entry

    def put(self, key, entry) -> None:
        size = len(entry[3])
        if size > self.max_bytes:
            return
        with self.lock:
            previous = self.entries.pop(key, None)
            if previous is not None:
                self.size -= len(previous[3])
            self.entries[key] = entry
            self.size += size
            while self.size > self.max_bytes:
                _key, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped[3])


class PageCacheMiddleware:
    """Serve anonymous GETs of public pages from the cache (header X-Page-Cache)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.recent = RecentPages(settings.PAGE_CACHE_LOCAL_BYTES)

    def __call__(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        key = page_key(request)
        version = recent_content_version(settings.PAGE_CACHE_VERSION_SECONDS)
        entry = self.recent.get(key, version, settings.PAGE_CACHE_SECONDS)
        if entry is None:
            entry = cache.get(key)
            if entry is not None and len(entry) == 5 and entry[0] == version:
                self.recent.put(key, entry)
            else:
                entry = None
        if entry is not None:
            return self.replay(entry)
        if not fresh_for(version):
            # Not cached at all if the page would be read from a replica that has
            # not yet replayed that version.
            return self.or_stale(key, self.get_response(request))
        # Built by one request at a time: right after a change every visitor of a
        # page rendered it; the others wait for its entry (as cached_by_content).
        with built_once(key, version) as built:
            if built is not None and len(built) == 5:
                self.recent.put(key, built)
                return self.replay(built)
            response = self.get_response(request)
            if is_cacheable_response(response) and not sets_its_own_policy(
                request, response
            ):
                # Under the version read before the page was built: if content
                # changed meanwhile, the entry is stale from the start.
                entry = self.record(version, response)
                cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
                self.recent.put(key, entry)
                response["X-Page-Cache"] = "miss"
        return self.or_stale(key, response)

    def or_stale(self, key, response):
        """Return ``response``, or for the 503 of a database that cannot be reached
        the last page cached for ``key`` (``PAGE_CACHE_STALE_SECONDS``)."""
        max_age = settings.PAGE_CACHE_STALE_SECONDS
        if response.status_code != 503 or not max_age:
            return response
        entry = self.recent.latest(key, max_age)
        if entry is None:
            entry = cache.get(key)  # another server's, within PAGE_CACHE_SECONDS
            if entry is None or len(entry) != 5 or entry[4] + max_age < time.time():
                return response
        return self.replay(entry, "stale")

    @staticmethod
    def record(version, response):
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in UNCACHED_HEADERS
        ]
        # Wall-clock time: the entry may be read by another server.
        built = time.time()
        return (version, response.status_code, headers, response.content, built)

    @staticmethod
    def replay(entry, how="hit"):
        _version, status, headers, content, _built = entry
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response["X-Page-Cache"] = how
        return response
