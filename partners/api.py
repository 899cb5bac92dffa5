"""JSON endpoints of the partners app for the site's own pages."""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import get_language, gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from partners.filters import TEXT_MAX_LENGTH
from partners.models import Partner
from partners.search import found_spans

AUTOCOMPLETE_MIN_LENGTH = 2
# As long as the partners list's text field: a name it takes is suggested for too.
AUTOCOMPLETE_MAX_LENGTH = TEXT_MAX_LENGTH
AUTOCOMPLETE_LIMIT = 10


@require_safe
@cache_control(public=True, max_age=60)
def partner_autocomplete(request):
    """Suggest published partners whose name, acronym or city holds ``q``.

    Answer ``{"query", "results"}``: at most ten partners, names starting with ``q``
    first (``PartnerQuerySet.suggested``), named in the active language; fewer than
    two characters suggest nothing. A missing or over-long ``q`` gets a 400 with
    ``{"error"}``.
    """
    if "q" not in request.GET:
        return JsonResponse(
            {"error": _("Give the text to search for in the “q” parameter.")},
            status=400,
        )
    query = request.GET["q"].strip()
    if len(query) > AUTOCOMPLETE_MAX_LENGTH:
        message = _("The search text is too long: %(max)s characters at most.") % {
            "max": AUTOCOMPLETE_MAX_LENGTH
        }
        return JsonResponse({"error": message}, status=400)
    partners = []
    if len(query) >= AUTOCOMPLETE_MIN_LENGTH:
        partners = Partner.objects.public().suggested(query, AUTOCOMPLETE_LIMIT)
    return JsonResponse(
        {
            "query": query,
            "results": [suggestion(partner, query) for partner in partners],
        }
    )


def suggestion(partner: Partner, query: str) -> dict:
    """Return what the autocomplete shows of ``partner``, in the active language.

    ``name_marks``: where the name holds the words of ``query``, as [start, end]
    offsets in UTF-16 code units, JavaScript's string positions.
    """
    return {
        "name": partner.name,
        "name_marks": utf16_spans(partner.name, found_spans(partner.name, query)),
        "lang": shown_language(partner, "name"),
        "acronym": partner.acronym,
        "city": partner.city,
        "country": str(partner.country.name),
        "country_code": partner.country.code,
        "url": partner.get_absolute_url(),
    }


def shown_language(record, field_name: str) -> str:
    """Return the language ``record.field_name`` is shown in (it may fall back)."""
    current = get_language()
    if getattr(record, f"{field_name}_{current}", None):
        return current
    for code, _name in settings.LANGUAGES:
        if getattr(record, f"{field_name}_{code}", None):
            return code
    return current


def utf16_spans(text: str, spans: list[tuple[int, int]]) -> list[list[int]]:
    """Return ``spans`` of ``text`` (Python's character offsets) in UTF-16 units."""

    def units(end: int) -> int:
        return len(text[:end].encode("utf-16-le")) // 2

    return [[units(start), units(end)] for start, end in spans]
