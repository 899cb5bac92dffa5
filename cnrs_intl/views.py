from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache

from cnrs_intl.models import KeyFigure
from partners.models import Office, Partner
from programmes.models import Grant
from units.models import Testimony, Unit


def home(request):
    """Show what the CNRS does abroad at a glance.

    Context: ``counts`` (published units, partners, countries, offices, grants),
    ``key_figures``, ``units``, ``offices`` and ``testimonies``.
    """
    units = Unit.objects.public().for_list()
    counts = {
        "units": units.count(),
        "partners": Partner.objects.public().count(),
        "countries": units.values("country").distinct().count(),
        "offices": Office.objects.public().count(),
        "grants": Grant.objects.public().count(),
    }
    return render(
        request,
        "cnrs_intl/home.html",
        {
            "counts": counts,
            "key_figures": KeyFigure.objects.public(),
            "units": units,
            "offices": Office.objects.public(),
            "testimonies": Testimony.objects.public().for_list(),
        },
    )


def language_redirect(request):
    """Send a visitor of ``/`` to the home page in their browser's language."""
    language = translation.get_language_from_request(request)
    return HttpResponseRedirect(f"/{language}/")


@never_cache
def healthz(request):
    """Answer that the process is up, without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request):
    """Answer 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any database failure means "not ready"
        return JsonResponse(
            {"database": "unavailable", "error": str(error)}, status=503
        )
    return JsonResponse({"database": "ok"})
