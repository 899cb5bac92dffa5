"""The public data API's endpoints of the units app: joint units and institutes
(the shared pieces are in partners/api.py)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from partners.api import (
    CountryCodeField,
    LabelledSlugRelatedField,
    PageField,
    PartnerLinkSerializer,
    PublicViewSet,
    PublishedSlugField,
    RecordSerializer,
    TranslatedField,
    choice_field,
    described,
)
from units.filters import UnitFilterSet
from units.models import (
    Institute,
    Person,
    Testimony,
    Unit,
    UnitPartnership,
    UnitStatus,
)


@extend_schema_serializer(description=_("One of the ten CNRS institutes."))
class InstituteSerializer(RecordSerializer):
    name = TranslatedField()

    class Meta:
        model = Institute
        fields = ["slug", "code", "name", "website"]


@described(
    _("The ten CNRS institutes, by code, on one page."),
    _("A CNRS institute."),
)
class InstituteViewSet(PublicViewSet):
    queryset = Institute.objects.order_by("code")
    serializer_class = InstituteSerializer
    pagination_class = None
    filter_backends = []


@extend_schema_serializer(
    description=_(
        "A person as the pages name them: a unit's director, a grant's laureate."
    )
)
class PersonSerializer(RecordSerializer):
    name = serializers.CharField(source="full_name", read_only=True)

    class Meta:
        model = Person
        fields = ["name", "orcid"]


@extend_schema_serializer(
    description=_("A joint unit named by another record: a grant's, a project's.")
)
class UnitLinkSerializer(RecordSerializer):
    slug = PublishedSlugField(source="*")
    name = TranslatedField()

    class Meta:
        model = Unit
        fields = ["slug", "code", "acronym", "name"]


@extend_schema_serializer(description=_("A joint unit as the list gives it."))
class UnitSerializer(RecordSerializer):
    page = PageField()
    name = TranslatedField()
    description = TranslatedField()
    themes = TranslatedField()
    city = TranslatedField()
    country = CountryCodeField()
    lead_institute = LabelledSlugRelatedField(slug_field="code", read_only=True)
    secondary_institutes = LabelledSlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    director = PersonSerializer(read_only=True, allow_null=True)
    director_title = TranslatedField(
        help_text=_(
            "The director’s title at this unit, in each language; empty where none "
            "is written (the unit’s page then gives the person’s own title)."
        )
    )
    status = choice_field(UnitStatus)

    class Meta:
        model = Unit
        fields = [
            "slug",
            "page",
            "code",
            "kind",
            "acronym",
            "name",
            "description",
            "themes",
            "city",
            "country",
            "latitude",
            "longitude",
            "lead_institute",
            "secondary_institutes",
            "director",
            "director_title",
            "creation_year",
            "closure_year",
            "status",
            "predecessor_code",
            "website",
        ]


@extend_schema_serializer(
    description=_("A partner institution of a unit, with its role in it.")
)
class UnitPartnershipSerializer(RecordSerializer):
    partner = PartnerLinkSerializer(read_only=True)

    class Meta:
        model = UnitPartnership
        fields = ["partner", "role"]


@extend_schema_serializer(description=_("A published grant or project of a unit."))
class GrantOrProjectSerializer(serializers.Serializer):
    """They belong to the programmes app, further up the layers: read as records with
    these fields, their models never imported (as ``for_public_page``)."""

    slug = serializers.CharField(read_only=True)
    acronym = serializers.CharField(read_only=True)
    title = TranslatedField()


@extend_schema_serializer(
    description=_("A quotation, in the language its author spoke it (language).")
)
class TestimonySerializer(RecordSerializer):
    person = serializers.CharField(source="person.full_name", read_only=True)
    role = TranslatedField()

    class Meta:
        model = Testimony
        fields = ["quote", "language", "person", "role"]


@extend_schema_serializer(
    description=_(
        "A joint unit with its partners and published records, as its page shows it."
    )
)
class UnitDetailSerializer(UnitSerializer):
    partners = UnitPartnershipSerializer(
        source="partnerships", many=True, read_only=True
    )
    grants = GrantOrProjectSerializer(source="public_grants", many=True, read_only=True)
    projects = GrantOrProjectSerializer(
        source="public_projects", many=True, read_only=True
    )
    testimonies = TestimonySerializer(
        source="public_testimonies", many=True, read_only=True
    )

    class Meta(UnitSerializer.Meta):
        fields = [
            *UnitSerializer.Meta.fields,
            "partners",
            "grants",
            "projects",
            "testimonies",
        ]


@described(
    _(
        "Joint units, filtered by kind, institute, country, continent, status and "
        "text as on the units page."
    ),
    _(
        "A joint unit with its partners, grants, projects and testimonies, as its "
        "page shows it."
    ),
)
class UnitViewSet(PublicViewSet):
    filterset_class = UnitFilterSet
    serializer_class = UnitSerializer
    detail_serializer_class = UnitDetailSerializer

    def list_queryset(self):
        return Unit.objects.public().for_api_list()

    def detail_queryset(self):
        return Unit.objects.for_public_page().public()
