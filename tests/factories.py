"""factory_boy factories, one per model, with both languages filled."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import User

from cnrs_intl.models import (
    SITE_INFORMATION_ID,
    KeyFigure,
    SiteInformation,
    StaffProfile,
)
from partners.models import Agreement, AgreementKind, Office, Partner, PartnerKind
from partners.publication import PublicationStatus
from programmes.models import (
    CnrsRole,
    Grant,
    GrantScheme,
    Programme,
    ProgrammeKind,
    Project,
    ProjectKind,
    ProjectParticipant,
)
from units.models import (
    Institute,
    PartnerRole,
    Person,
    Testimony,
    Unit,
    UnitKind,
    UnitPartnership,
)


class PublishedFactory(factory.django.DjangoModelFactory):
    publication_status = PublicationStatus.PUBLISHED

    class Meta:
        abstract = True


class PartnerFactory(PublishedFactory):
    name_fr = factory.Sequence(lambda n: f"Université numéro {n}")
    name_en = factory.Sequence(lambda n: f"University number {n}")
    acronym = factory.Sequence(lambda n: f"U{n}")
    slug = factory.Sequence(lambda n: f"university-{n}")
    kind = PartnerKind.UNIVERSITY
    country = "JP"
    city_fr = "Tokyo"
    city_en = "Tokyo"

    class Meta:
        model = Partner


class OfficeFactory(PublishedFactory):
    name_fr = factory.Sequence(lambda n: f"Bureau du CNRS numéro {n}")
    name_en = factory.Sequence(lambda n: f"CNRS office number {n}")
    slug = factory.Sequence(lambda n: f"office-{n}")
    city_fr = "Tokyo"
    city_en = "Tokyo"
    country = "JP"
    countries = ["JP", "KR"]
    role_fr = "Suit la coopération avec le Japon et la Corée."
    role_en = "Follows cooperation with Japan and Korea."

    class Meta:
        model = Office


class AgreementFactory(PublishedFactory):
    title_fr = factory.Sequence(lambda n: f"Accord-cadre {n}")
    title_en = factory.Sequence(lambda n: f"Framework agreement {n}")
    slug = factory.Sequence(lambda n: f"agreement-{n}")
    kind = AgreementKind.FRAMEWORK
    countries = ["JP"]
    signed_on = datetime.date(2020, 1, 15)
    office = factory.SubFactory(OfficeFactory)

    class Meta:
        model = Agreement


class InstituteFactory(factory.django.DjangoModelFactory):
    code = factory.Sequence(lambda n: f"INS{n}")
    name_fr = factory.Sequence(lambda n: f"Institut {n}")
    name_en = factory.Sequence(lambda n: f"Institute {n}")
    slug = factory.Sequence(lambda n: f"ins{n}")

    class Meta:
        model = Institute
        django_get_or_create = ("code",)


class PersonFactory(factory.django.DjangoModelFactory):
    first_name = factory.Sequence(lambda n: f"Marie{n}")
    last_name = factory.Sequence(lambda n: f"Curie{n}")
    title_fr = "Directrice de recherche"
    title_en = "Research director"

    class Meta:
        model = Person


class UnitFactory(PublishedFactory):
    kind = UnitKind.IRL
    # Five digits: the codes tests write (IRL 3218, IRL 3757) never come up. An
    # Umifre's reads "UMIFRE n" (unit_umifre_code).
    code = factory.LazyAttributeSequence(
        lambda unit, n: (
            f"{'UMIFRE' if unit.kind == UnitKind.UMIFRE else 'IRL'} {10000 + n}"
        )
    )
    acronym = factory.Sequence(lambda n: f"LAB{n}")
    slug = factory.Sequence(lambda n: f"lab-{n}")
    name_fr = factory.Sequence(lambda n: f"Laboratoire international {n}")
    name_en = factory.Sequence(lambda n: f"International laboratory {n}")
    description_fr = "Un laboratoire commun."
    description_en = "A joint laboratory."
    city_fr = "Tokyo"
    city_en = "Tokyo"
    country = "JP"
    latitude = Decimal("35.689500")
    longitude = Decimal("139.691700")
    lead_institute = factory.SubFactory(InstituteFactory)
    director = factory.SubFactory(PersonFactory)
    creation_year = 2010

    class Meta:
        model = Unit


class UnitPartnershipFactory(factory.django.DjangoModelFactory):
    unit = factory.SubFactory(UnitFactory)
    partner = factory.SubFactory(PartnerFactory)
    role = PartnerRole.HOST

    class Meta:
        model = UnitPartnership


class TestimonyFactory(PublishedFactory):
    quote = "La recherche est de niveau mondial ou elle n'existe pas."
    language = "fr"
    person = factory.SubFactory(PersonFactory)
    role_fr = "Directeur de laboratoire"
    role_en = "Laboratory director"

    class Meta:
        model = Testimony


class ProgrammeFactory(PublishedFactory):
    name_fr = factory.Sequence(lambda n: f"Programme {n}")
    name_en = factory.Sequence(lambda n: f"Programme {n}")
    acronym = factory.Sequence(lambda n: f"P{n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    kind = ProgrammeKind.FRAMEWORK
    start_year = 2014
    end_year = 2020

    class Meta:
        model = Programme


class GrantFactory(PublishedFactory):
    scheme = GrantScheme.ERC_STG
    # A funding scheme, the ERC's: a framework programme's grants are those of its
    # calls' years (Programme.grant_calls), whichever scheme they belong to.
    programme = factory.SubFactory(
        ProgrammeFactory, kind=ProgrammeKind.EU_SCHEME, start_year=2007, end_year=None
    )
    acronym = factory.Sequence(lambda n: f"GRANT{n}")
    slug = factory.Sequence(lambda n: f"grant-{n}")
    title_fr = factory.Sequence(lambda n: f"Projet financé {n}")
    title_en = factory.Sequence(lambda n: f"Funded project {n}")
    laureate = factory.SubFactory(PersonFactory)
    institute = factory.SubFactory(InstituteFactory)
    panel = "PE1"
    call_year = 2016
    start_date = datetime.date(2017, 1, 1)
    end_date = datetime.date(2021, 12, 31)
    amount = Decimal("1500000.00")

    class Meta:
        model = Grant


class ProjectFactory(PublishedFactory):
    kind = ProjectKind.EU_PROJECT
    programme = factory.SubFactory(ProgrammeFactory)
    acronym = factory.Sequence(lambda n: f"PROJ{n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    title_fr = factory.Sequence(lambda n: f"Projet collaboratif {n}")
    title_en = factory.Sequence(lambda n: f"Collaborative project {n}")
    cnrs_role = CnrsRole.COORDINATOR
    start_date = datetime.date(2015, 4, 1)
    end_date = datetime.date(2019, 3, 31)
    eu_contribution = Decimal("6700000.00")

    class Meta:
        model = Project


class ProjectParticipantFactory(factory.django.DjangoModelFactory):
    project = factory.SubFactory(ProjectFactory)
    partner = factory.SubFactory(PartnerFactory)

    class Meta:
        model = ProjectParticipant


class KeyFigureFactory(PublishedFactory):
    value = Decimal("60")
    suffix = "%"
    label_fr = "des publications ont au moins un co-auteur étranger"
    label_en = "of publications have at least one foreign co-author"
    year = 2016
    order = factory.Sequence(int)

    class Meta:
        model = KeyFigure


class SiteInformationFactory(factory.django.DjangoModelFactory):
    """The site's one record: made once, found again by later calls."""

    id = SITE_INFORMATION_ID
    publisher_name_fr = "Centre national de la recherche scientifique (CNRS)"
    publisher_name_en = "French National Centre for Scientific Research (CNRS)"
    publisher_address = "3 rue Michel-Ange\n75794 Paris cedex 16\nFrance"
    publication_director_fr = "Président-directeur général du CNRS"
    publication_director_en = "Chairman and CEO of the CNRS"
    contact_email = "derci-site@example.org"
    host_name_fr = "Hébergeur d’essai"
    host_name_en = "Test host"
    host_address = "1 quai de l’Essai\n69000 Lyon\nFrance"
    accessibility_statement_date = datetime.date(2026, 12, 1)

    class Meta:
        model = SiteInformation
        django_get_or_create = ("id",)


class StaffUserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True

    class Meta:
        model = User


class StaffProfileFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(StaffUserFactory)

    class Meta:
        model = StaffProfile
