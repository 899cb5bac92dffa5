"""The public data API: its address table (/api/…) and its OpenAPI description.

Each app declares its endpoints in its own api.py; the site gathers them here, as
it gathers their pages in urls.py.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import APIRootView, DefaultRouter

from partners.api import OfficeViewSet, PartnerViewSet, ReadOnlyApiMixin
from programmes.api import GrantViewSet, ProgrammeViewSet, ProjectViewSet
from units.api import InstituteViewSet, UnitViewSet


class ApiRootView(ReadOnlyApiMixin, APIRootView):
    """The endpoints of the API, by name."""


class SchemaView(ReadOnlyApiMixin, SpectacularAPIView):
    """The OpenAPI 3 description of the API: YAML, or JSON with ?format=json."""


router = DefaultRouter()
router.include_format_suffixes = False
router.APIRootView = ApiRootView
router.register("partners", PartnerViewSet, basename="partner")
router.register("offices", OfficeViewSet, basename="office")
router.register("units", UnitViewSet, basename="unit")
router.register("institutes", InstituteViewSet, basename="institute")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("grants", GrantViewSet, basename="grant")
router.register("projects", ProjectViewSet, basename="project")

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("", include(router.urls)),
]
