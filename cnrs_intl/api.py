"""The public data API: its address table (/api/…) and its OpenAPI description.

Each app declares its endpoints in its own api.py; the site gathers them here, as
it gathers their pages in urls.py.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from partners.api import OfficeViewSet, PartnerViewSet

router = DefaultRouter()
router.include_format_suffixes = False
router.register("partners", PartnerViewSet, basename="partner")
router.register("offices", OfficeViewSet, basename="office")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("", include(router.urls)),
]
