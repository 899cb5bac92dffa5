"""The anonymous page cache: public pages served from the cache, per language.

Visitors without a session cookie all see the same page for a given address (the
language is in the path: /fr/…, /en/…), so the whole response is cached under its
address and served before sessions, authentication or the view are reached. Staff
have a session cookie: they always get fresh pages, drafts and previews included.

Entries carry the content version they were built from (partners/caching.py): any
change to public content makes them stale at once, in every process sharing the
cache. ``PAGE_CACHE_SECONDS`` bounds their age anyway (pages that depend on the date,
such as "ends within 90 days"); 0 turns the page cache off.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from partners.caching import VERSION_KEY, new_version

# Paths never cached: the back-office, health probes and anything with side effects.
EXCLUDED_PREFIXES = ("/admin/", "/healthz", "/readyz", "/static/")
# Response headers not replayed from the cache.
UNCACHED_HEADERS = frozenset({"set-cookie", "x-page-cache"})


def page_key(request) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return "page:" + hashlib.sha256(address.encode()).hexdigest()


def is_cacheable_request(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(EXCLUDED_PREFIXES)
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


class PageCacheMiddleware:
    """Serve anonymous GETs of public pages from the cache (header X-Page-Cache)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        key = page_key(request)
        # The version and the page in one round trip to the cache.
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY) or new_version()
        entry = found.get(key)
        if entry is not None and entry[0] == version:
            return self.replay(entry)
        response = self.get_response(request)
        if is_cacheable_response(response):
            # Under the version read before the page was built: if content changed
            # meanwhile, the entry is stale from the start.
            cache.set(key, self.record(version, response), settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def record(version, response):
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in UNCACHED_HEADERS
        ]
        return (version, response.status_code, headers, response.content)

    @staticmethod
    def replay(entry):
        _version, status, headers, content = entry
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response
