from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.encoding import escape_uri_path
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from partners.addresses import with_query


def alternates(request):
    """Give every page the same page's address in each language (switcher, hreflang)
    and without a language (``x-default``, as the sitemap names it).

    Computed when a template reads it: the admin's pages do not.
    """
    languages = SimpleLazyObject(lambda: _alternates(request))
    return {
        "alternate_languages": languages,
        "alternate_default": SimpleLazyObject(lambda: _default(request, languages)),
    }


def _default(request, languages) -> str:
    """The address without a language, which sends visitors to their own: the
    default language's with its prefix dropped, as Django's sitemaps write it."""
    prefix = f"/{settings.LANGUAGE_CODE}/"
    url = next(
        lang["url"] for lang in languages if lang["code"] == settings.LANGUAGE_CODE
    )
    return request.build_absolute_uri(url.replace(prefix, "/", 1))


def _alternates(request):
    current = translation.get_language()
    languages = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            label = translation.gettext(name)
        here = with_query(escape_uri_path(request.path), request)
        url = translate_url(here, code)
        if url == here and code != current:
            url = _unresolved_in(request, code)
        languages.append(
            {
                "code": code,
                "name": label,
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
                "is_current": code == current,
            }
        )
    return languages


def _unresolved_in(request, code: str) -> str:
    """The address of a page no URL pattern answers (a 404), "/fr/nope/", in the
    language ``code``: the same address under that language's prefix, "/en/nope/",
    its query kept, where the visitor is told so and offered the same search in
    that language (QA46 B7). Without a language's prefix (an address outside the
    pages, "/nope/"), that language's home page."""
    language = translation.get_language_from_path(request.path)
    if language is None:
        with translation.override(code):
            return reverse("home")
    rest = request.path.removeprefix(f"/{language}")
    return with_query(escape_uri_path(f"/{code}{rest}"), request)


# The main menu: (section's list page, the pages that belong to it, label).
MENU = (
    ("home", {"home"}, _("Home")),
    ("units:list", {"units:list", "units:detail"}, _("Units")),
    ("partners:list", {"partners:list", "partners:detail"}, _("Partners")),
    ("country-list", {"country-list", "country-detail"}, _("Countries")),
    (
        "partners:office-list",
        {"partners:office-list", "partners:office-detail"},
        _("Offices"),
    ),
    (
        "programmes:grant-list",
        {"programmes:grant-list", "programmes:grant-detail"},
        _("Grants"),
    ),
    (
        "programmes:project-list",
        {"programmes:project-list", "programmes:project-detail"},
        _("Projects"),
    ),
    ("programmes:list", {"programmes:list", "programmes:detail"}, _("Programmes")),
)


def navigation(request):
    """Give every page the main menu, with the current section marked, and a
    record's page the way up to its section (``breadcrumbs``).

    Each item's ``aria_current`` is "page" on the section's list page itself, "true"
    on the other pages of the section (a record's page), and "" elsewhere.
    ``breadcrumbs``: on a record's page, the home page and its section's list,
    each ``{"url", "label"}`` (base.html adds the page itself); elsewhere none.
    Computed when a template reads them: the admin's pages do not.
    """
    return {
        "menu": SimpleLazyObject(lambda: _menu(request)),
        "breadcrumbs": SimpleLazyObject(lambda: _breadcrumbs(request)),
    }


def _breadcrumbs(request) -> list[dict]:
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else None
    home_name, _pages, home_label = MENU[0]
    for name, pages, label in MENU[1:]:
        if current in pages and current != name:
            return [
                {"url": reverse(home_name), "label": home_label},
                {"url": reverse(name), "label": label},
            ]
    return []


def _menu(request):
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else None
    return [
        {
            "url": reverse(name),
            "label": label,
            "aria_current": _aria_current(current, name, pages),
        }
        for name, pages, label in MENU
    ]


def _aria_current(current: str | None, list_page: str, pages: set[str]) -> str:
    if current == list_page:
        return "page"
    if current in pages:
        return "true"
    return ""
