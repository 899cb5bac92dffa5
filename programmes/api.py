"""The public data API's endpoints of the programmes app: programmes, grants and
projects (the shared pieces are in partners/api.py)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from partners.api import (
    CountryCodeField,
    CountryCodesField,
    LabelledPublishedSlugField,
    LabelledSlugRelatedField,
    PageField,
    PartnerLinkSerializer,
    PublicViewSet,
    RecordSerializer,
    TranslatedField,
    described,
)
from programmes.filters import GrantFilterSet, ProjectFilterSet
from programmes.models import Grant, Programme, Project, ProjectParticipant
from units.api import PersonSerializer, UnitLinkSerializer


@extend_schema_serializer(description=_("A funding or cooperation programme."))
class ProgrammeSerializer(RecordSerializer):
    page = PageField()
    name = TranslatedField()
    description = TranslatedField()
    former_name = TranslatedField()
    parent = LabelledPublishedSlugField()

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


@described(
    _("The programmes, by kind, start year and name, on one page."),
    _("A funding or cooperation programme."),
)
class ProgrammeViewSet(PublicViewSet):
    serializer_class = ProgrammeSerializer
    pagination_class = None
    filter_backends = []

    def list_queryset(self):
        return self.detail_queryset().in_kind_order()

    def detail_queryset(self):
        return Programme.objects.public().for_list()


@extend_schema_serializer(
    description=_("An ERC or MSCA grant, with its laureate and joint unit.")
)
class GrantSerializer(RecordSerializer):
    page = PageField()
    programme = LabelledPublishedSlugField()
    title = TranslatedField()
    summary = TranslatedField()
    laureate = PersonSerializer(read_only=True)
    unit = UnitLinkSerializer(read_only=True, allow_null=True)
    # What the grants page filters by ("Country of the joint unit").
    country = CountryCodeField(
        source="unit.country",
        allow_null=True,
        help_text=_("The country of its joint unit; null for a grant without one."),
    )
    institute = LabelledSlugRelatedField(
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
            "country",
            "institute",
            "panel",
            "call_year",
            "start_date",
            "end_date",
            "amount",
            "cordis_id",
        ]


@described(
    _(
        "ERC and MSCA grants, filtered by scheme, call year, institute, panel, "
        "programme and text as on the grants page."
    ),
    _("An ERC or MSCA grant with its laureate and joint unit."),
)
class GrantViewSet(PublicViewSet):
    serializer_class = GrantSerializer
    filterset_class = GrantFilterSet

    def list_queryset(self):
        return Grant.objects.public().for_list()


@extend_schema_serializer(
    description=_("A collaborative project as the list gives it.")
)
class ProjectSerializer(RecordSerializer):
    page = PageField()
    programme = LabelledPublishedSlugField()
    title = TranslatedField()
    summary = TranslatedField()
    # What the projects page filters by ("Participant's country").
    participant_countries = CountryCodesField(
        help_text=_(
            "The countries its listed participants take part from (each one's "
            "own, else its institution's); country_count may count more."
        )
    )

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
            "participant_countries",
            "industrial_partner_count",
            "website",
            "cordis_id",
        ]


@extend_schema_serializer(
    description=_(
        "An institution taking part in a project, with its role and EU contribution."
    )
)
class ParticipantSerializer(RecordSerializer):
    partner = PartnerLinkSerializer(read_only=True)
    country = serializers.SerializerMethodField(
        help_text=_("The country it takes part from: its own, else its institution's.")
    )

    class Meta:
        model = ProjectParticipant
        fields = ["partner", "role", "country", "eu_contribution"]

    def get_country(self, participation) -> str:
        return participation.country.code or participation.partner.country.code


@extend_schema_serializer(
    description=_(
        "A project with its participants and published joint units, as its page."
    )
)
class ProjectDetailSerializer(ProjectSerializer):
    participants = ParticipantSerializer(
        source="participations", many=True, read_only=True
    )
    units = UnitLinkSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "participants", "units"]


@described(
    _(
        "Projects, filtered by kind, programme, societal challenge, participant's "
        "country, CNRS role, year and text, and sorted, as on the projects page."
    ),
    _("A project with its participants and joint units, as its page shows it."),
)
class ProjectViewSet(PublicViewSet):
    filterset_class = ProjectFilterSet
    serializer_class = ProjectSerializer
    detail_serializer_class = ProjectDetailSerializer

    def list_queryset(self):
        return Project.objects.public().for_api_list()

    def detail_queryset(self):
        return Project.objects.public().for_public_detail()
