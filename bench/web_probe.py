"""The Django side of bench/web.py, run in its own process with the server's settings.

    .venv/bin/python bench/web_probe.py prepare HOST
    .venv/bin/python bench/web_probe.py queries HOST < urls.json

``prepare`` picks the concrete addresses to measure from the data in the database (a
country with partners, a city for the text searches, a unit, the hashed name of the
site's stylesheet), creates a superuser and a session for the admin changelists, and
counts the data set. ``queries`` requests each address of a JSON list six times with
Django's test client, as wrk does (same Host, ``X-Forwarded-Proto: https``, the
session cookie for the admin), counts the SQL queries of a warm request and times the
five after the first (their median): a request alone, with no other to share the
machine with.
Both print one JSON document on stdout; the environment (DJANGO_ENV=production, the
database, Redis, the page cache setting) is bench/web.py's.
"""

import json
import os
import secrets
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnrs_intl.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(host: str) -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.utils import translation

    from partners.models import Partner
    from programmes.models import Grant, Project
    from units.models import Unit

    translation.activate("fr")
    partners = Partner.objects.public()

    # Partners by country: Brazil, or the country with the most partners.
    country = "BR"
    if not partners.filter(country=country).exists():
        top = (
            partners.values("country")
            .annotate(n=Count("pk"))
            .order_by("-n", "country")
            .first()
        )
        if top is None:
            raise SystemExit("web_probe: no published partner; generate data first")
        country = top["country"]
    # The text searches: the most common city of that country's partners.
    city = (
        partners.filter(country=country)
        .exclude(city="")
        .values("city")
        .annotate(n=Count("pk"))
        .order_by("-n", "city")
        .first()
    )
    if city is None:
        raise SystemExit(f"web_probe: no partner of {country} has a city")
    word = city["city"]
    unit = Unit.objects.public().order_by("pk").first()
    if unit is None:
        raise SystemExit("web_probe: no published unit; generate data first")

    # An admin session, as a staff member's browser holds it.
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(
        username="web-bench", defaults={"email": "web-bench@example.org"}
    )
    user.is_staff = user.is_superuser = user.is_active = True
    user.set_password(secrets.token_urlsafe(24))
    user.save()
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value

    def count(queryset):
        return {"total": queryset.count(), "public": queryset.public().count()}

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
    return {
        "urls": {
            "healthz": "/healthz",
            "static": staticfiles_storage.url("css/site.css"),
            "offices": "/fr/offices/",
            "home": "/fr/",
            "partners_country": f"/fr/partners/?{urlencode({'country': country})}",
            "partners_search": f"/fr/partners/?{urlencode({'q': word})}",
            "unit": unit.get_absolute_url(),
            "country": f"/fr/countries/{country}/",
            "grants": "/fr/grants/",
            "search": f"/fr/search/?{urlencode({'q': word})}",
            "api_partners": f"/api/partners/?{urlencode({'country': country})}",
            "api_unit": f"/api/units/{unit.slug}/",
            "admin_partners": "/admin/partners/partner/",
            "admin_grants": "/admin/programmes/grant/",
            "admin_projects": "/admin/programmes/project/",
        },
        "session_cookie": f"{settings.SESSION_COOKIE_NAME}={session}",
        "search_word": word,
        "country": country,
        "data": {
            "partners": count(Partner.objects.all()),
            "units": count(Unit.objects.all()),
            "grants": count(Grant.objects.all()),
            "projects": count(Project.objects.all()),
        },
        "postgresql": server_version.split()[0],
        "shared_buffers": shared_buffers,
    }


# Requests timed alone a page, after a first: one alone varied by half on a busy
# machine (156 ms for the global search where the same code took 93-290 ms).
ALONE_REPEAT = 5


def queries(host: str, pages: dict[str, dict]) -> dict[str, dict]:
    """Return the SQL queries of a request of each page (not its first) and the
    median time of ``ALONE_REPEAT`` requests after the first."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    results = {}
    for name, page in pages.items():
        headers = {"host": host, "x-forwarded-proto": "https"}
        if page.get("cookie"):
            headers["cookie"] = page["cookie"]
        client = Client(headers=headers)
        times = []
        for attempt in ("cold", *["warm"] * ALONE_REPEAT):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(page["url"])
                elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(
                    f"web_probe: {page['url']} answered {response.status_code} "
                    f"to the test client ({attempt})"
                )
            if attempt == "warm":
                times.append(elapsed)
        results[name] = {
            "queries": len(captured),
            "ms": statistics.median(times) * 1000,
        }
    return results


def main() -> None:
    if len(sys.argv) != 3 or sys.argv[1] not in {"prepare", "queries"}:
        raise SystemExit(__doc__)
    setup()
    command, host = sys.argv[1:]
    if command == "prepare":
        result = prepare(host)
    else:
        result = queries(host, json.load(sys.stdin))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
