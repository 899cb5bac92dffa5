from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from django.views.i18n import set_language

from cnrs_intl import views
from cnrs_intl.sitemaps import SITEMAPS, section as sitemap_section
from partners.views import safe_only

# A 503 rather than a 500 when the database cannot be reached.
handler500 = "cnrs_intl.views.server_error"
# JSON for the JSON endpoints, Django's page elsewhere.
handler404 = "cnrs_intl.views.page_not_found"
handler400 = "cnrs_intl.views.bad_request"
handler403 = "cnrs_intl.views.permission_denied"

urlpatterns = [
    path("admin/", admin.site.urls),
    # The back-office's language, chosen by staff (its header's switch): the admin
    # has no /fr/ or /en/ of its own, and took the browser's language alone.
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", include(("cnrs_intl.api", "api"))),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    # An index of the sections, each paged (cnrs_intl/sitemaps.py). GET and HEAD
    # only, as every public page: Django's views answer any method.
    path(
        "sitemap.xml",
        safe_only(sitemaps.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<str:section>.xml",
        safe_only(sitemap_section),
        name="sitemap-section",
    ),
    path("", views.language_redirect, name="language-redirect"),
]

# Public pages, each under /fr/ and /en/. partners/ and offices/ come from the
# partners app; programmes/, grants/ and projects/ from the programmes app.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("countries/", views.country_list, name="country-list"),
    path("countries/<str:code>/", views.country_detail, name="country-detail"),
    path("search/", views.search, name="search"),
    path("data/", views.open_data, name="open-data"),
    # The address people guess for it, after the name the page goes by.
    path("open-data/", views.OpenDataRedirect.as_view()),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("legal/", views.legal_notice, name="legal-notice"),
    path("", include("partners.urls")),
    path("units/", include("units.urls")),
    path("", include("programmes.urls")),
    prefix_default_language=True,
)
