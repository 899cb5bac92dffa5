"""The public data API's endpoints of the programmes app: programmes, grants and
projects (the shared pieces are in partners/api.py)."""

from rest_framework import serializers

from partners.api import (
    PageField,
    PartnerLinkSerializer,
    PublicViewSet,
    PublishedSlugField,
    RecordSerializer,
    TranslatedField,
)
from programmes.filters import GrantFilterSet, ProjectFilterSet
from programmes.models import Grant, Programme, Project, ProjectParticipant
from units.api import PersonSerializer, UnitLinkSerializer


class ProgrammeSerializer(RecordSerializer):
    """A funding or cooperation programme."""

    page = PageField()
    name = TranslatedField()
    description = TranslatedField()
    parent = PublishedSlugField()

    class Meta:
        model = Programme
        fields = [
            "slug",
            "page",
            "name",
            "acronym",
            "kind",
            "parent",
            "former_name",
            "start_year",
            "end_year",
            "description",
            "website",
        ]


class ProgrammeViewSet(PublicViewSet):
    """The published programmes, by kind then name, as on /programmes/; on one page."""

    serializer_class = ProgrammeSerializer
    pagination_class = None
    filter_backends = []

    def list_queryset(self):
        return self.detail_queryset().in_kind_order()

    def detail_queryset(self):
        return Programme.objects.public().for_list()


class GrantSerializer(RecordSerializer):
    """An ERC or MSCA grant, with its laureate and joint unit."""

    page = PageField()
    programme = PublishedSlugField()
    title = TranslatedField()
    summary = TranslatedField()
    laureate = PersonSerializer(read_only=True)
    unit = UnitLinkSerializer(read_only=True, allow_null=True)
    institute = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = Grant
        fields = [
            "slug",
            "page",
            "scheme",
            "programme",
            "acronym",
            "title",
            "summary",
            "laureate",
            "host_laboratory",
            "unit",
            "institute",
            "panel",
            "call_year",
            "start_date",
            "end_date",
            "amount",
            "cordis_id",
        ]


class GrantViewSet(PublicViewSet):
    """ERC and MSCA grants, searched by scheme, call year, institute, panel,
    programme and text as on /grants/."""

    serializer_class = GrantSerializer
    filterset_class = GrantFilterSet

    def list_queryset(self):
        return Grant.objects.public().for_list()


class ProjectSerializer(RecordSerializer):
    """A collaborative project as the list gives it."""

    page = PageField()
    programme = PublishedSlugField()
    title = TranslatedField()
    summary = TranslatedField()

    class Meta:
        model = Project
        fields = [
            "slug",
            "page",
            "kind",
            "programme",
            "acronym",
            "title",
            "summary",
            "societal_challenge",
            "cnrs_role",
            "start_date",
            "end_date",
            "total_cost",
            "eu_contribution",
            "researcher_count",
            "country_count",
            "industrial_partner_count",
            "website",
            "cordis_id",
        ]


class ParticipantSerializer(RecordSerializer):
    """An institution taking part in a project, with its role and EU contribution."""

    partner = PartnerLinkSerializer(read_only=True)
    country = serializers.SerializerMethodField()

    class Meta:
        model = ProjectParticipant
        fields = ["partner", "role", "country", "eu_contribution"]

    def get_country(self, participation) -> str:
        """The country it takes part from: its own, else its institution's."""
        return participation.country.code or participation.partner.country.code


class ProjectDetailSerializer(ProjectSerializer):
    """A project with its participants and published joint units, as its page."""

    participants = ParticipantSerializer(
        source="participations", many=True, read_only=True
    )
    units = UnitLinkSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "participants", "units"]


class ProjectViewSet(PublicViewSet):
    """Projects, searched by kind, programme, societal challenge, participant's
    country, CNRS role and text as on /projects/."""

    filterset_class = ProjectFilterSet
    serializer_class = ProjectSerializer
    detail_serializer_class = ProjectDetailSerializer

    def list_queryset(self):
        return Project.objects.public().for_list()

    def detail_queryset(self):
        return Project.objects.public().for_public_detail()
