"""The anonymous page cache: per language, no cookie, invalidated by any change."""

import io
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from csp.decorators import csp_update
from django.core.cache import cache
from django.db import OperationalError, connection
from django.db.models import Count
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cnrs_intl.middleware import ContentSecurityPolicyMiddleware
from cnrs_intl.page_cache import PageCacheMiddleware, RecentPages
from partners import caching
from partners.caching import VERSION_KEY, cached_by_content, content_version
from partners.models import Partner
from partners.services import import_ror, merge_partners
from partners.views import PartnerListView
from tests.factories import (
    GrantFactory,
    OfficeFactory,
    PartnerFactory,
    ProjectFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def public_urls():
    partner = PartnerFactory(name_fr="Université de Tokyo", name_en="Univ. of Tokyo")
    unit = UnitFactory()
    grant = GrantFactory()
    project = ProjectFactory()
    office = OfficeFactory()
    paths = [
        "/fr/",
        "/fr/units/",
        unit.get_absolute_url(),
        "/fr/partners/",
        "/fr/partners/?country=JP",
        partner.get_absolute_url(),
        "/fr/offices/",
        office.get_absolute_url(),
        "/fr/countries/",
        "/fr/countries/JP/",
        "/fr/grants/",
        grant.get_absolute_url(),
        "/fr/projects/",
        project.get_absolute_url(),
        "/fr/programmes/",
        "/fr/search/?q=tokyo",
    ]
    return paths + [path.replace("/fr/", "/en/", 1) for path in paths]


def test_public_pages_set_no_cookie_and_are_served_from_the_cache(client):
    for path in public_urls():
        first = client.get(path)
        assert first.status_code == 200, path
        assert not first.cookies, (path, first.cookies)
        assert "Set-Cookie" not in first, path
        assert first["X-Page-Cache"] == "miss", path
        with CaptureQueriesContext(connection) as queries:
            second = client.get(path)
        assert second["X-Page-Cache"] == "hit", path
        assert len(queries) == 0, path
        assert second.content == first.content, path
        assert second["Content-Type"] == first["Content-Type"]


def test_each_language_has_its_own_page(client):
    PartnerFactory(
        name_fr="Université de Kyoto", name_en="Kyoto University", country="JP"
    )
    assert "Université de Kyoto" in client.get("/fr/partners/").text
    english = client.get("/en/partners/")
    assert english["X-Page-Cache"] == "miss"
    assert "Kyoto University" in english.text
    assert "Kyoto University" in client.get("/en/partners/").text


def test_a_saved_record_shows_at_once(client):
    partner = PartnerFactory(name_fr="Université de Kyoto")
    client.get("/fr/partners/")
    assert client.get("/fr/partners/")["X-Page-Cache"] == "hit"
    partner.name_fr = "Université impériale de Kyoto"
    partner.save()
    response = client.get("/fr/partners/")
    assert response["X-Page-Cache"] == "miss"
    assert "Université impériale de Kyoto" in response.text


def test_a_deleted_record_disappears_at_once(client):
    partner = PartnerFactory(name_fr="Université de Kyoto")
    assert "Université de Kyoto" in client.get("/fr/partners/").text
    partner.delete()
    assert "Université de Kyoto" not in client.get("/fr/partners/").text


def test_a_changed_relation_shows_at_once(client):
    unit = UnitFactory()
    partner = PartnerFactory(name_fr="Université de Kyoto")
    client.get(unit.get_absolute_url())
    unit.partners.add(partner, through_defaults={"role": "host"})
    assert "Université de Kyoto" in client.get(unit.get_absolute_url()).text


def test_a_merge_invalidates_the_pages(client):
    kept = PartnerFactory(name_fr="Université de Kyoto")
    duplicate = PartnerFactory(name_fr="Univ. Kyoto (doublon)")
    assert "doublon" in client.get("/fr/partners/").text
    merge_partners(kept, [duplicate])
    assert "doublon" not in client.get("/fr/partners/").text


def test_an_import_invalidates_the_pages(client):
    assert "Universidade de São Paulo" not in client.get("/fr/partners/").text
    record = {
        "id": "https://ror.org/036rp1748",
        "names": [
            {"value": "Universidade de São Paulo", "types": ["ror_display"]},
        ],
        "locations": [
            {
                "geonames_details": {
                    "country_code": "BR",
                    "name": "São Paulo",
                    "lat": -23.5,
                    "lng": -46.6,
                }
            }
        ],
        "types": ["education"],
        "status": "active",
    }
    import_ror(io.BytesIO(json.dumps([record]).encode()), publish=True)
    assert "Universidade de São Paulo" in client.get("/fr/partners/").text


def test_staff_never_get_cached_pages(client, admin_user):
    client.get("/fr/partners/")
    draft = PartnerFactory(name_fr="Brouillon de Kyoto", publication_status="draft")
    client.force_login(admin_user)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "X-Page-Cache" not in response


def test_errors_are_not_cached(client):
    first = client.get("/fr/partners/?country=ZZ")
    assert first.status_code == 400
    assert "X-Page-Cache" not in first
    assert "X-Page-Cache" not in client.get("/fr/partners/?country=ZZ")


def test_the_back_office_and_probes_are_never_cached(client):
    assert "X-Page-Cache" not in client.get("/healthz")
    assert "X-Page-Cache" not in client.get("/admin/login/")


def test_the_page_cache_can_be_turned_off(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/fr/")
    assert "X-Page-Cache" not in client.get("/fr/")


def test_a_shared_links_tracking_parameters_make_no_other_page(client):
    # Every click on a link shared on a social network has its own fbclid.
    PartnerFactory.create_batch(21, country="JP")
    tokyo = PartnerFactory(name_fr="Université de Tokyo", country="JP")
    PartnerFactory(name_fr="Université de São Paulo", country="BR")
    first = client.get(
        "/fr/partners/?country=JP&utm_source=lettre&UTM_Medium=email&fbclid=IwAR0a"
    )
    assert first["X-Page-Cache"] == "miss"
    assert [p.country.code for p in first.context["object_list"]] == ["JP"] * 20
    html = first.content.decode()
    # Its links (languages, pages) carry the filters, not one visitor's click id.
    assert "?country=JP&amp;page=2" in html
    assert "fbclid" not in html and "utm_" not in html.lower()
    for address in [
        "/fr/partners/?country=JP&fbclid=IwAR9z",
        "/fr/partners/?gclid=Cj0K&country=JP",
        "/fr/partners/?country=JP",
    ]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        assert response["X-Page-Cache"] == "hit", address
        assert len(queries) == 0
    # Parameters a page reads are kept as written.
    searched = client.get("/fr/partners/?q=S%C3%A3o+Paulo&utm_campaign=x")
    assert searched.context["searched"] == "São Paulo"
    assert tokyo not in searched.context["object_list"]


def test_the_same_parameters_in_another_order_are_the_same_page(client):
    PartnerFactory.create_batch(3, country="JP", kind="university")
    PartnerFactory(country="BR", kind="university")
    first = client.get("/fr/partners/?country=JP&kind=university&ordering=name")
    assert first["X-Page-Cache"] == "miss"
    assert len(first.context["object_list"]) == 3
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/fr/partners/?ordering=name&kind=university&country=JP")
    assert again["X-Page-Cache"] == "hit"
    assert len(queries) == 0
    # A name given twice with two values asks for nothing a page answers: refused
    # (tests/test_repeated_parameters.py), and no refusal is kept in the cache.
    for address in ["/fr/search/?q=tokyo&q=lyon", "/fr/search/?q=lyon&q=tokyo"]:
        for _ in range(2):
            refused = client.get(address)
            assert refused.status_code == 400
            assert "X-Page-Cache" not in refused


def test_the_back_office_keeps_its_query_strings_whole(admin_client):
    response = admin_client.get("/admin/partners/partner/?utm_source=x")
    # The admin refuses a parameter it does not know (?e=1), as it should.
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_a_head_request_is_answered_from_the_cache(client):
    client.get("/fr/")
    response = client.head("/fr/")
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"


def test_aggregates_are_cached_until_content_changes():
    calls = []

    def build():
        calls.append(1)
        return len(calls)

    assert cached_by_content("test-aggregate", build) == 1
    assert cached_by_content("test-aggregate", build) == 1
    version = content_version()
    PartnerFactory()
    assert content_version() != version
    assert cached_by_content("test-aggregate", build) == 2


@pytest.fixture
def compiled(monkeypatch) -> list[str]:
    """The prefixes of the keys compiled from querysets' SQL (``query_key``), in
    turn."""
    prefixes = []
    query_key = caching.query_key
    monkeypatch.setattr(
        caching,
        "query_key",
        lambda prefix, queryset: prefixes.append(prefix) or query_key(prefix, queryset),
    )
    return prefixes


def test_a_querysets_count_compiles_its_sql_once(compiled):
    """A search counts its matches twice (matches or near misses, then how many):
    the second count reuses the first's key; a queryset changed since is a clone,
    keyed anew."""
    PartnerFactory(name_fr="Université de Kyoto", country="JP")
    PartnerFactory(name_fr="Université d’Osaka", country="JP")
    japanese = Partner.objects.public().filter(country="JP").order_by("name_fr")
    assert caching.cached_count(japanese) == 2
    assert caching.cached_count(japanese) == 2
    assert len(compiled) == 1
    kyoto = japanese.filter(name_fr__contains="Kyoto")
    assert caching.cached_count(kyoto) == 1
    assert caching.cached_count(japanese[:1]) == 1  # a slice keeps its limit
    assert len(compiled) == 3
    assert caching.cached_count(Partner.objects.none()) == 0


def test_a_count_is_keyed_by_the_rows_counted_not_the_columns_shown():
    """A list's columns (its rows' counts of links) compile for nothing: the key
    is the same without them, and the count read from it the same."""
    PartnerFactory(name_fr="Université de Kyoto", country="JP")
    PartnerFactory(name_fr="Université d’Osaka", country="JP")
    PartnerFactory(name_fr="Université de Lyon", country="FR")
    japanese = Partner.objects.public().filter(country="JP")
    shown = japanese.for_list().with_links().order_by_name()

    assert caching.count_key(shown) == caching.count_key(japanese)
    assert caching.count_key(japanese) != caching.count_key(
        Partner.objects.public().filter(country="FR")
    )
    assert caching.cached_count(shown) == 2
    assert caching.cached_count(japanese.filter(name_fr__contains="Kyoto")) == 1


def test_a_distinct_or_grouped_count_is_keyed_by_its_columns():
    """Distinct rows of some columns are not as many as the rows: those keys
    keep the columns (``count_key``)."""
    PartnerFactory(name_fr="Université de Kyoto", country="JP")
    PartnerFactory(name_fr="Université d’Osaka", country="JP")
    PartnerFactory(name_fr="Université de Lyon", country="FR")
    partners = Partner.objects.public().order_by()
    countries = partners.values("country").distinct()
    grouped = partners.values("country").annotate(total=Count("pk"))

    keys = {caching.count_key(query) for query in (partners, countries, grouped)}
    assert len(keys) == 3
    assert caching.cached_count(partners) == 3
    assert caching.cached_count(countries) == 2
    assert caching.cached_count(grouped) == 2


def japanese_by_name():
    return Partner.objects.public().filter(country="JP").order_by("name")


def test_a_functions_rows_compile_once_per_language_read_again_after_a_change(
    compiled,
):
    PartnerFactory(
        name_fr="Université de Kyoto", name_en="Kyoto University", country="JP"
    )
    caching._rows_key.cache_clear()

    def names():
        return [partner.name for partner in caching.cached_rows_of(japanese_by_name)]

    with translation.override("fr"):
        assert names() == ["Université de Kyoto"]
        PartnerFactory(
            name_fr="Institut de Tokyo", name_en="Tokyo Institute", country="JP"
        )
        assert names() == ["Institut de Tokyo", "Université de Kyoto"]
    with translation.override("en"):
        # Sorted by the English names: the same function, another SQL.
        assert names() == ["Kyoto University", "Tokyo Institute"]
        assert names() == ["Kyoto University", "Tokyo Institute"]
    assert compiled == ["rows", "rows"]


def test_an_aggregate_is_built_by_one_request_while_the_others_wait_for_it():
    # Right after a change, every visitor of the moment counted the million
    # partners at once.
    started, calls = threading.Event(), []

    def build():
        calls.append(1)
        started.set()
        time.sleep(0.3)
        return "counted"

    with ThreadPoolExecutor(6) as pool:
        first = pool.submit(cached_by_content, "test-herd", build)
        started.wait(5)
        others = [pool.submit(cached_by_content, "test-herd", build) for _ in range(5)]
        values = [first.result(), *(other.result() for other in others)]

    assert values == ["counted"] * 6
    assert len(calls) == 1


def test_when_the_request_building_an_aggregate_fails_the_others_build_it():
    started, calls = threading.Event(), []

    def failing():
        started.set()
        time.sleep(0.2)
        raise RuntimeError("the database went away")

    def build():
        calls.append(1)
        return "counted"

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(cached_by_content, "test-herd-failed", failing)
        started.wait(5)
        other = pool.submit(cached_by_content, "test-herd-failed", build)
        with pytest.raises(RuntimeError):
            first.result()
        assert other.result() == "counted"
    # Not kept waiting until the lock expired: it stopped when the lock went.
    assert len(calls) == 1
    assert cached_by_content("test-herd-failed", build) == "counted"


def test_a_request_waits_for_another_building_an_aggregate_only_so_long(
    monkeypatch,
):
    monkeypatch.setattr(caching, "BUILD_WAIT_SECONDS", 0.1)
    version = content_version()
    cache.add(f"building:{version}:test-stuck", True, 60)  # a builder that hangs
    looked = []
    get_many = cache.get_many
    monkeypatch.setattr(
        cache, "get_many", lambda keys: looked.append(keys) or get_many(keys)
    )

    assert cached_by_content("test-stuck", lambda: "built here") == "built here"
    assert len(looked) > 1  # it waited, looking for the value, then built it
    assert cached_by_content("test-stuck", lambda: "built again") == "built here"


def slow_view(content, status=200, seconds=0.3):
    """A view taking ``seconds``; it records each path it renders and sets the
    event when it starts."""
    started, rendered = threading.Event(), []

    def view(request):
        rendered.append(request.path)
        started.set()
        time.sleep(seconds)
        return HttpResponse(content, status=status)

    return view, started, rendered


def test_a_page_is_rendered_by_one_request_while_the_others_wait_for_it(rf):
    # Right after a change every visitor of the moment rendered the page.
    view, started, rendered = slow_view("the home page")
    middleware = PageCacheMiddleware(view)

    def visit(_):
        response = middleware(rf.get("/fr/"))
        return response.status_code, response.content, response["X-Page-Cache"]

    with ThreadPoolExecutor(6) as pool:
        first = pool.submit(visit, None)
        started.wait(5)
        others = list(pool.map(visit, range(5)))

    assert first.result() == (200, b"the home page", "miss")
    assert others == [(200, b"the home page", "hit")] * 5
    assert rendered == ["/fr/"]


def test_a_page_not_cached_is_rendered_by_each_request_after_the_first(rf):
    # A 404 is not cached: the others render it once the first is done.
    view, started, rendered = slow_view("not here", status=404, seconds=0.2)
    middleware = PageCacheMiddleware(view)
    with ThreadPoolExecutor(3) as pool:
        first = pool.submit(middleware, rf.get("/fr/nowhere/"))
        started.wait(5)
        others = list(pool.map(middleware, [rf.get("/fr/nowhere/")] * 2))

    assert [r.status_code for r in [first.result(), *others]] == [404] * 3
    assert len(rendered) == 3


def test_a_lost_version_is_recreated():
    cache.clear()
    assert content_version() == content_version()


def spy_on_shared_cache(monkeypatch) -> list:
    asked = []
    shared_get = cache.get

    def spy(key, *args, **kwargs):
        asked.append(key)
        return shared_get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", spy)
    return asked


def test_a_hit_reads_only_the_content_version_from_the_shared_cache(
    client, monkeypatch, settings
):
    settings.PAGE_CACHE_VERSION_SECONDS = 0
    client.get("/fr/")
    asked = spy_on_shared_cache(monkeypatch)
    assert client.get("/fr/")["X-Page-Cache"] == "hit"
    assert asked == [VERSION_KEY]


def test_a_hit_reads_the_content_version_at_most_once_a_second(client, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(caching.time, "monotonic", lambda: now[0])
    client.get("/fr/")
    asked = spy_on_shared_cache(monkeypatch)
    assert client.get("/fr/")["X-Page-Cache"] == "hit"
    assert asked == []
    now[0] += 1
    assert client.get("/fr/")["X-Page-Cache"] == "hit"
    assert asked == [VERSION_KEY]


def test_another_servers_change_reaches_this_one_within_a_second(client, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(caching.time, "monotonic", lambda: now[0])
    assert client.get("/fr/")["X-Page-Cache"] == "miss"
    # What new_version() does in another process: only the shared cache changes.
    cache.set(VERSION_KEY, "changed-by-another-server", timeout=None)
    now[0] += 0.5
    assert client.get("/fr/")["X-Page-Cache"] == "hit"
    now[0] += 0.5
    assert client.get("/fr/")["X-Page-Cache"] == "miss"
    assert client.get("/fr/")["X-Page-Cache"] == "hit"


def test_this_servers_own_change_shows_at_once(client, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(caching.time, "monotonic", lambda: now[0])
    client.get("/fr/units/")
    UnitFactory(acronym="NEWLAB")
    served = client.get("/fr/units/")
    assert served["X-Page-Cache"] == "miss"
    assert "NEWLAB" in served.text


def test_a_page_built_by_another_server_is_served_from_the_shared_cache():
    first_server, second_server = Client(), Client()
    built = first_server.get("/fr/")
    assert built["X-Page-Cache"] == "miss"
    served = second_server.get("/fr/")
    assert served["X-Page-Cache"] == "hit"
    assert served.content == built.content


def test_a_change_made_through_another_server_reaches_every_server():
    partner = PartnerFactory(name_fr="Université de Kyoto")
    servers = [Client(), Client()]
    for server in servers:
        server.get("/fr/partners/")
        assert server.get("/fr/partners/")["X-Page-Cache"] == "hit"
    partner.name_fr = "Université impériale de Kyoto"
    partner.save()
    rebuilt, shared = (server.get("/fr/partners/") for server in servers)
    assert rebuilt["X-Page-Cache"] == "miss"
    assert shared["X-Page-Cache"] == "hit"  # the page the first one rebuilt
    assert "Université impériale de Kyoto" in shared.text


def entry(version, content, built=None):
    return (version, 200, [], content, time.time() if built is None else built)


def test_recent_pages_keep_the_last_used_within_their_bytes():
    recent = RecentPages(max_bytes=10)
    recent.put("a", entry("v1", b"aaaa"))
    recent.put("b", entry("v1", b"bbbb"))
    assert recent.get("a", "v1", max_age=60) is not None  # "b" is now the oldest
    recent.put("c", entry("v1", b"cccc"))
    assert recent.get("b", "v1", max_age=60) is None
    assert recent.get("a", "v1", max_age=60)[3] == b"aaaa"
    assert recent.get("c", "v1", max_age=60)[3] == b"cccc"
    assert recent.size == 8
    recent.put("huge", entry("v1", b"x" * 11))
    assert recent.get("huge", "v1", max_age=60) is None
    assert recent.size == 8


def test_recent_pages_serve_only_their_version_and_not_past_their_age():
    recent = RecentPages(max_bytes=100)
    recent.put("page", entry("v1", b"old"))
    assert recent.get("page", "v2", max_age=60) is None
    recent.put("page", entry("v2", b"new", built=time.time() - 61))
    assert recent.get("page", "v2", max_age=60) is None
    # Kept while it lasts, for a database that cannot be reached (latest()).
    assert recent.latest("page", max_age=120)[3] == b"new"
    assert recent.latest("page", max_age=60) is None
    assert recent.latest("other", max_age=120) is None


def database_away(monkeypatch, error=OperationalError):
    """Make the partner list fail as when PostgreSQL cannot be reached."""

    def unreachable(*args, **kwargs):
        raise error("connection to server failed: Connection refused")

    monkeypatch.setattr(PartnerListView, "get", unreachable)
    return Client(raise_request_exception=False)


def test_while_the_database_is_away_the_last_page_cached_is_served(client, monkeypatch):
    PartnerFactory(name_fr="Université de Tokyo")
    cached = client.get("/fr/partners/")
    PartnerFactory(name_fr="Université de Kyoto")  # a new version: the page is stale
    visitor = database_away(monkeypatch)
    served = visitor.get("/fr/partners/")
    assert served.status_code == 200
    assert served["X-Page-Cache"] == "stale"
    assert served.content == cached.content
    # Never cached: the 503, asking to come back.
    never = visitor.get("/en/partners/")
    assert never.status_code == 503
    assert never["Retry-After"] == "60"


def test_another_servers_page_is_served_while_the_database_is_away(client, monkeypatch):
    cached = client.get("/fr/partners/")
    PartnerFactory()
    monkeypatch.setattr(PageCacheMiddleware, "__init__", fresh_recent_pages)
    served = database_away(monkeypatch).get("/fr/partners/")
    assert served["X-Page-Cache"] == "stale"
    assert served.content == cached.content


def fresh_recent_pages(self, get_response):
    """A server that has not served the page itself: only the shared cache has it."""
    self.get_response = get_response
    self.recent = RecentPages(1024 * 1024)


def test_a_page_older_than_the_stale_limit_is_not_served(client, monkeypatch, settings):
    client.get("/fr/partners/")
    PartnerFactory()
    settings.PAGE_CACHE_STALE_SECONDS = 60
    later = time.time() + 61
    monkeypatch.setattr("cnrs_intl.page_cache.time.time", lambda: later)
    assert database_away(monkeypatch).get("/fr/partners/").status_code == 503


def test_no_stale_page_when_turned_off_or_for_another_error(
    client, monkeypatch, settings
):
    client.get("/fr/partners/")
    PartnerFactory()
    assert (
        database_away(monkeypatch, ValueError).get("/fr/partners/").status_code == 500
    )
    settings.PAGE_CACHE_STALE_SECONDS = 0
    assert database_away(monkeypatch).get("/fr/partners/").status_code == 503


def with_nonce(request):
    # A view writing the nonce of an inline script (django-csp's request.csp_nonce).
    return HttpResponse(f'<script nonce="{request.csp_nonce}">go()</script>')


@csp_update({"img-src": ["https://tiles.example"]})
def with_own_policy(request):
    return HttpResponse("a page drawing tiles from elsewhere")


@pytest.mark.parametrize("view", [with_nonce, with_own_policy])
def test_a_page_with_a_policy_of_its_own_is_not_cached(rf, view):
    """Replayed from the cache, a page is a new response: its decorator's policy
    and its nonce were lost, and its scripts blocked from the second visit on."""
    middleware = ContentSecurityPolicyMiddleware(PageCacheMiddleware(view))

    first, second = middleware(rf.get("/fr/")), middleware(rf.get("/fr/"))

    assert "X-Page-Cache" not in first and "X-Page-Cache" not in second
    if view is with_own_policy:
        assert "https://tiles.example" in second["Content-Security-Policy"]
    else:  # each visit its own nonce (were a policy to name it, as NONCE does)
        assert first.content != second.content


def test_a_page_with_the_site_s_policy_is_cached(rf):
    middleware = ContentSecurityPolicyMiddleware(
        PageCacheMiddleware(lambda request: HttpResponse("the home page"))
    )
    assert middleware(rf.get("/fr/"))["X-Page-Cache"] == "miss"
    assert middleware(rf.get("/fr/"))["X-Page-Cache"] == "hit"
