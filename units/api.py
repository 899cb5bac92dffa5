"""The public data API's endpoints of the units app: joint units and institutes
(the shared pieces are in partners/api.py)."""

from rest_framework import serializers

from partners.api import (
    CountryCodeField,
    PageField,
    PartnerLinkSerializer,
    PublicViewSet,
    PublishedSlugField,
    RecordSerializer,
    TranslatedField,
    choice_field,
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


class InstituteSerializer(RecordSerializer):
    """One of the ten CNRS institutes."""

    name = TranslatedField()

    class Meta:
        model = Institute
        fields = ["slug", "code", "name", "website"]


class InstituteViewSet(PublicViewSet):
    """The ten CNRS institutes, by code, on one page."""

    queryset = Institute.objects.order_by("code")
    serializer_class = InstituteSerializer
    pagination_class = None
    filter_backends = []


class PersonSerializer(RecordSerializer):
    """A person as the pages name them: a unit's director, a grant's laureate."""

    name = serializers.CharField(source="full_name", read_only=True)

    class Meta:
        model = Person
        fields = ["name", "orcid"]


class UnitLinkSerializer(RecordSerializer):
    """A joint unit named by another record: a grant's, a project's."""

    slug = PublishedSlugField(source="*")
    name = TranslatedField()

    class Meta:
        model = Unit
        fields = ["slug", "code", "acronym", "name"]


class UnitSerializer(RecordSerializer):
    """A joint unit as the list gives it."""

    page = PageField()
    name = TranslatedField()
    description = TranslatedField()
    themes = TranslatedField()
    city = TranslatedField()
    country = CountryCodeField()
    lead_institute = serializers.SlugRelatedField(slug_field="code", read_only=True)
    secondary_institutes = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    director = PersonSerializer(read_only=True, allow_null=True)
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
            "creation_year",
            "closure_year",
            "status",
            "predecessor_code",
            "website",
        ]


class UnitPartnershipSerializer(RecordSerializer):
    """A partner institution of a unit, with its role in it."""

    partner = PartnerLinkSerializer(read_only=True)

    class Meta:
        model = UnitPartnership
        fields = ["partner", "role"]


class GrantOrProjectSerializer(serializers.Serializer):
    """A published grant or project of a unit.

    They belong to the programmes app, further up the layers: read as records with
    these fields, their models never imported (as ``for_public_page``).
    """

    slug = serializers.CharField(read_only=True)
    acronym = serializers.CharField(read_only=True)
    title = TranslatedField()


class TestimonySerializer(RecordSerializer):
    """A quotation, in the language its author spoke it (``language``)."""

    person = serializers.CharField(source="person.full_name", read_only=True)
    role = TranslatedField()

    class Meta:
        model = Testimony
        fields = ["quote", "language", "person", "role"]


class UnitDetailSerializer(UnitSerializer):
    """A joint unit with its partners and published records, as its page shows it."""

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


class UnitViewSet(PublicViewSet):
    """Joint units, searched by kind, institute, country, continent, status and text
    as on /units/."""

    filterset_class = UnitFilterSet
    serializer_class = UnitSerializer
    detail_serializer_class = UnitDetailSerializer

    def list_queryset(self):
        return Unit.objects.public().for_api_list()

    def detail_queryset(self):
        return Unit.objects.for_public_page().public()
