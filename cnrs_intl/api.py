"""The public data API: its address table (/api/…), its OpenAPI description, and
what gathers several apps (countries), as the site's own pages do.

Each app declares its endpoints in its own api.py; the site gathers them here, as
it gathers their pages in urls.py.
"""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from drf_spectacular.views import SpectacularAPIView
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.routers import APIRootView, DefaultRouter

from cnrs_intl.countries import (
    CountryActivity,
    country_activity,
    country_asked,
    country_pages,
    not_a_country,
)
from cnrs_intl.models import KeyFigure
from partners.addresses import with_query
from partners.api import (
    LANG_PARAMETER,
    TRANSLATED_SCHEMA,
    LanguageMixin,
    OfficeViewSet,
    PageField,
    PartnerViewSet,
    ReadOnlyApiMixin,
    RecordSerializer,
    TranslatedField,
    described,
)
from partners.country_names import names_in
from programmes.api import GrantViewSet, ProgrammeViewSet, ProjectViewSet
from units.api import InstituteViewSet, UnitViewSet

LANGUAGE_CODES = settings.MODELTRANSLATION_LANGUAGES


@extend_schema_serializer(
    description=gettext_lazy(
        "A country and the number of its published records of each kind, as the "
        "countries page counts them (0 when it has none)."
    )
)
class CountrySerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.SerializerMethodField()
    page = PageField()
    units = serializers.IntegerField(
        read_only=True,
        help_text=gettext_lazy("Its published joint units, the closed ones included."),
    )
    closed_units = serializers.IntegerField(
        read_only=True,
        help_text=gettext_lazy("Of its joint units, those closed."),
    )
    partners = serializers.IntegerField(read_only=True)
    projects = serializers.IntegerField(read_only=True)
    agreements = serializers.IntegerField(read_only=True)
    hosted_offices = serializers.IntegerField(read_only=True)
    offices = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The slugs of the published offices covering it, hosted or not."
        )
    )

    @extend_schema_field(TRANSLATED_SCHEMA)
    def get_name(self, row) -> dict:
        return {code: names_in(code)[row.code] for code in LANGUAGE_CODES}

    def get_offices(self, row) -> list[str]:
        return [office.slug for office in row.offices]


@extend_schema(parameters=[LANG_PARAMETER])
@described(
    gettext_lazy(
        "The countries where the CNRS has published records, by name, with their "
        "counts."
    ),
    gettext_lazy(
        "A country by its ISO 3166 code, as its page shows it: a country with no "
        "published record has counts of 0 (and the offices covering it, if any)."
    ),
    lookup=OpenApiParameter(
        "code",
        str,
        OpenApiParameter.PATH,
        description=gettext_lazy(
            "The country's two-letter ISO 3166 code, in capitals (JP); another "
            "case, code or name redirects to it."
        ),
    ),
)
class CountryViewSet(LanguageMixin, ReadOnlyApiMixin, viewsets.ViewSet):
    serializer_class = CountrySerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    # Its 404 in the OpenAPI description (partners.openapi.PublicApiSchema).
    not_found_description = gettext_lazy("This is no country's code or name.")

    def list(self, request):
        return self.answer(country_activity(), many=True)

    def retrieve(self, request, code=None):
        country = country_asked(code)
        if country is None:
            raise NotFound(not_a_country(code, "api:country-detail"))
        if code != country.code:
            # As the country's page (views.country_detail): its code not in
            # capitals ("jp"), another code or a name ("UK", "EL", "BRA",
            # "bresil") redirects to the country's one address, the query kept.
            address = reverse("api:country-detail", kwargs={"code": country.code})
            return HttpResponsePermanentRedirect(with_query(address, request))
        # As the country's page: a real country is there, its counts 0 until its
        # first record is published, and the offices covering it named meanwhile.
        row = next(
            (row for row in country_pages() if row.code == country.code),
            CountryActivity(country.code),
        )
        return self.answer(row)

    def answer(self, rows, many=False) -> Response:
        context = {"request": self.request}
        return Response(self.serializer_class(rows, many=many, context=context).data)


@extend_schema_serializer(
    description=gettext_lazy("An institutional number with its label, year and source.")
)
class KeyFigureSerializer(RecordSerializer):
    value = serializers.DecimalField(
        max_digits=14, decimal_places=2, source="number", read_only=True
    )
    label = TranslatedField()
    source = TranslatedField()

    class Meta:
        model = KeyFigure
        fields = ["approximation", "value", "suffix", "label", "year", "source"]


@extend_schema(parameters=[LANG_PARAMETER])
@described(
    gettext_lazy("The CNRS's key figures, in the home page's order, on one page.")
)
class KeyFigureViewSet(
    LanguageMixin, ReadOnlyApiMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    queryset = KeyFigure.objects.public()
    serializer_class = KeyFigureSerializer
    pagination_class = None
    filter_backends = []


class ApiRootView(LanguageMixin, ReadOnlyApiMixin, APIRootView):
    """The endpoints of the API, by name, then its documentation for people (the
    open data page, in the language of ``lang``) and its OpenAPI description;
    these two in the Link header too (RFC 8631's service-doc, service-desc)."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # The description's labels in the language asked, as the messages here.
        schema = reverse("api:schema")
        if language := request.query_params.get("lang"):
            schema = f"{schema}?lang={language}"
        described = {
            "documentation": request.build_absolute_uri(reverse("open-data")),
            "schema": request.build_absolute_uri(schema),
        }
        response.data.update(described)
        response["Link"] = (
            f'<{described["documentation"]}>; rel="service-doc", '
            f'<{described["schema"]}>; rel="service-desc"'
        )
        return response


@extend_schema(parameters=[LANG_PARAMETER])
class SchemaView(LanguageMixin, ReadOnlyApiMixin, SpectacularAPIView):
    """The OpenAPI 3 description of the API: JSON, or YAML with ?format=yaml; its
    labels in the language of ``lang``, the site's default without it."""

    # JSON first: the default, and the format of its errors, as the API's.
    renderer_classes = [OpenApiJsonRenderer, OpenApiYamlRenderer]


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
router.register("countries", CountryViewSet, basename="country")
router.register("key-figures", KeyFigureViewSet, basename="key-figure")

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("", include(router.urls)),
]
