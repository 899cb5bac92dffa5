"""The country selectors: counts per country, one country's records, code parsing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cnrs_intl.countries import (
    COUNTRY_PAGE_LIMIT,
    country_activity,
    country_from_code,
    country_pages,
    country_records,
    projects_in_country,
)
from partners.models import Partner
from tests.factories import (
    AgreementFactory,
    GrantFactory,
    OfficeFactory,
    PartnerFactory,
    ProjectFactory,
    ProjectParticipantFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def by_code(rows):
    return {row.code: row for row in rows}


@pytest.mark.parametrize("code", ["JP", "jp", "Jp"])
def test_country_from_code_accepts_either_case(code):
    assert country_from_code(code).code == "JP"


# Other letters upper-case to codes: "ß" to "SS", "ıt" to "IT", "ﬆ" to "ST", "ſe" to
# "SE".
@pytest.mark.parametrize(
    "code", ["ZZ", "", "J", "JPN", "392", "J1", "../", "ß", "ıt", "ﬆ", "ſe", " jp"]
)
def test_country_from_code_refuses_what_is_not_an_iso_alpha2_code(code):
    assert country_from_code(code) is None


def test_activity_counts_published_units_and_partners_per_country():
    UnitFactory.create_batch(2, country="JP")
    UnitFactory(country="SG")
    UnitFactory(country="BR", publication_status="draft")
    PartnerFactory.create_batch(3, country="JP")
    PartnerFactory(country="CL", publication_status="draft")

    rows = by_code(country_activity())

    assert set(rows) == {"JP", "SG"}
    assert (rows["JP"].units, rows["JP"].partners) == (2, 3)
    assert (rows["SG"].units, rows["SG"].partners) == (1, 0)
    assert rows["JP"].total == 5


def test_activity_counts_projects_by_the_participants_country():
    project = ProjectFactory()
    # The participant's own country wins over its institution's.
    ProjectParticipantFactory(project=project, partner=PartnerFactory(country="DE"))
    ProjectParticipantFactory(
        project=project, partner=PartnerFactory(country="DE"), country="IL"
    )
    ProjectParticipantFactory(project=project, partner=PartnerFactory(country="DE"))
    ProjectParticipantFactory(
        project=ProjectFactory(publication_status="draft"),
        partner=PartnerFactory(country="IT", publication_status="draft"),
    )

    rows = by_code(country_activity())

    assert rows["DE"].projects == 1  # one project, however many participants
    assert rows["IL"].projects == 1
    assert "IT" not in rows


def test_a_countrys_projects_are_those_its_activity_counts():
    # projects_in_country (two subqueries, for the indexes) and the activity's
    # counts (one expression: a participation's own country, else its
    # institution's) must agree, for every country.
    japan, germany, chile = (
        PartnerFactory(country=code) for code in ("JP", "DE", "CL")
    )
    for own, institution in [
        ("", japan),
        ("KR", japan),  # its own country wins
        ("", germany),
        ("JP", germany),
        ("CL", chile),
        ("", chile),
    ]:
        ProjectParticipantFactory(
            project=ProjectFactory(), partner=institution, country=own
        )
    shared = ProjectFactory()
    ProjectParticipantFactory(project=shared, partner=japan)
    ProjectParticipantFactory(project=shared, partner=germany, country="JP")
    rows = by_code(country_activity())
    for code in ("JP", "KR", "DE", "CL"):
        assert projects_in_country(code).count() == rows[code].projects, code
    assert rows["JP"].projects == 3  # the first, the fourth and the shared one
    assert list(projects_in_country("FR")) == []


def test_activity_counts_agreements_by_their_countries_and_their_partners():
    agreement = AgreementFactory(countries=["JP", "KR"])
    agreement.partners.add(PartnerFactory(country="JP"), PartnerFactory(country="TW"))
    AgreementFactory(countries=["MN"], publication_status="draft")

    rows = by_code(country_activity())

    assert rows["JP"].agreements == 1
    assert rows["KR"].agreements == 1
    assert rows["TW"].agreements == 1
    assert "MN" not in rows


def test_activity_names_the_offices_covering_each_country():
    tokyo = OfficeFactory(country="JP", countries=["JP", "KR"])
    OfficeFactory(country="JP", countries=["KR"], publication_status="draft")
    UnitFactory(country="KR")
    UnitFactory(country="DE")

    rows = by_code(country_activity())

    assert rows["JP"].offices == [tokyo]  # hosting it is covering it
    assert rows["JP"].hosted_offices == 1
    assert rows["KR"].offices == [tokyo]
    assert rows["DE"].offices == []


def test_a_country_an_office_covers_from_abroad_has_a_page_but_no_activity():
    tokyo = OfficeFactory(country="JP", countries=["KR", "TW"], city_en="Tokyo")
    OfficeFactory(country="BR", countries=["AR"], publication_status="draft")

    pages = by_code(country_pages())

    assert set(pages) == {"JP", "KR", "TW"}
    assert pages["KR"].offices == pages["KR"].covering_offices == [tokyo]
    assert (pages["KR"].total, pages["JP"].covering_offices) == (0, [])
    # "The CNRS works with researchers in N countries": not in Korea.
    assert set(by_code(country_activity())) == {"JP"}


def test_activity_is_sorted_by_the_country_name_in_the_active_language():
    for code in ["DE", "ES", "EG", "ZA"]:
        UnitFactory(country=code)
    with translation.override("fr"):
        assert [row.code for row in country_activity()] == ["ZA", "DE", "EG", "ES"]
    with translation.override("en"):
        assert [row.code for row in country_activity()] == ["EG", "DE", "ZA", "ES"]


def test_activity_is_in_the_order_the_country_filters_offer():
    """Case ignored, as in the filters: "Île de Man" before "Île Jan Mayen"
    (django-countries put the capital J first)."""
    for code in ["SJ", "IM", "HU"]:
        PartnerFactory(country=code)
    with translation.override("fr"):
        assert [row.code for row in country_activity()] == ["HU", "IM", "SJ"]


def test_activity_takes_a_fixed_number_of_queries():
    def queries():
        with CaptureQueriesContext(connection) as captured:
            country_activity()
        return len(captured)

    UnitFactory(country="JP")
    few = queries()
    for code in ["DE", "ES", "EG", "ZA", "BR", "CL", "AR"]:
        UnitFactory(country=code)
        PartnerFactory(country=code)
        OfficeFactory(country=code, countries=[code])
    assert queries() == few == 6


def test_activity_is_counted_once_for_both_languages_and_shares_the_partners():
    UnitFactory(country="JP")
    PartnerFactory(country="JP")
    with translation.override("fr"):
        with CaptureQueriesContext(connection) as french:
            country_activity()
    with translation.override("en"):
        with CaptureQueriesContext(connection) as english:
            rows = by_code(country_activity())
    assert len(french) == 6
    assert len(english) == 0  # only sorted again, by the English names
    assert (rows["JP"].units, rows["JP"].partners) == (1, 1)
    # The partners' count per country is the partner list's own, the list sorted
    # by country included.
    listed = Partner.objects.public().for_list().with_links().order_by_name()
    with CaptureQueriesContext(connection) as partner_list:
        assert Partner.objects.public_country_counts() == {"JP": 1}
        assert listed.cached_country_counts() == {"JP": 1}
    assert len(partner_list) == 0


def test_records_gather_one_country_and_published_records_only():
    unit = UnitFactory(country="JP")
    UnitFactory(country="JP", publication_status="draft")
    UnitFactory(country="KR")
    partner = PartnerFactory(country="JP")
    PartnerFactory(country="JP", publication_status="draft")
    PartnerFactory(country="KR")
    office = OfficeFactory(country="JP", countries=["JP"])
    OfficeFactory(country="SG", countries=["SG"])
    agreement = AgreementFactory(countries=["JP"], office=office)
    AgreementFactory(countries=["KR"], office=office)
    project = ProjectFactory()
    ProjectParticipantFactory(project=project, partner=partner)
    ProjectParticipantFactory(partner=PartnerFactory(country="KR"))
    grant = GrantFactory(unit=unit)
    GrantFactory(unit=UnitFactory(country="KR"))

    records = country_records(country_from_code("jp"))

    assert records.units == [unit]
    assert records.partners == [partner]
    assert records.partner_count == 1
    assert records.offices == records.hosted_offices == [office]
    assert records.agreements == [agreement]
    assert records.projects == [project]
    assert records.grants == [grant]
    assert records.has_activity


def test_records_find_agreements_through_their_partners():
    agreement = AgreementFactory(countries=[])
    agreement.partners.add(PartnerFactory(country="IL"))
    assert country_records(country_from_code("IL")).agreements == [agreement]


def test_records_list_the_first_partners_and_count_them_all():
    PartnerFactory.create_batch(COUNTRY_PAGE_LIMIT + 2, country="JP")
    records = country_records(country_from_code("JP"))
    assert len(records.partners) == COUNTRY_PAGE_LIMIT
    assert records.partner_count == COUNTRY_PAGE_LIMIT + 2


def test_records_read_the_countrys_projects_once_per_content_version():
    project = ProjectFactory(acronym="TASCMAR")
    ProjectParticipantFactory(project=project, partner=PartnerFactory(country="JP"))
    ProjectFactory(acronym="ELSEWHERE")
    country_records(country_from_code("JP"))
    with CaptureQueriesContext(connection) as queries:
        records = country_records(country_from_code("JP"))
    assert (records.projects, records.project_count) == ([project], 1)
    # The participants' countries are not worked out again: the page is read by ids
    # (the partners it lists are those in a project, among others, by their ids).
    assert not [
        q
        for q in queries.captured_queries
        if "participant" in q["sql"]
        and not q["sql"].startswith('SELECT "partners_partner"."id"')
    ]

    other = ProjectFactory(acronym="ANOTHER")
    ProjectParticipantFactory(project=other, country="JP")
    assert country_records(country_from_code("JP")).projects == [other, project]


def test_a_country_only_covered_by_an_office_has_no_activity():
    OfficeFactory(country="BR", countries=["BR", "CL"])
    records = country_records(country_from_code("CL"))
    assert not records.has_activity
    assert len(records.offices) == 1
    assert records.hosted_offices == []
