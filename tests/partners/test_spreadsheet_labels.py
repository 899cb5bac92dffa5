"""The data API's spreadsheets as people read them (partners.api.spreadsheet_fields,
partners/csv_renderer.py): each coded value ("JP", "active", "msca_dn") with its
label beside it, in the language of ``lang`` (a list page's links give its own),
and a workbook's dates typed as dates; the JSON keeps its fields as they were."""

import csv
import datetime
import html
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from partners.api import LABEL_SUFFIX
from partners.models import PartnerKind
from programmes.models import CnrsRole, GrantScheme, ProjectKind, SocietalChallenge
from tests.api_client import API_LISTS
from tests.factories import (
    AgreementFactory,
    GrantFactory,
    InstituteFactory,
    OfficeFactory,
    PartnerFactory,
    ProgrammeFactory,
    ProjectFactory,
    ProjectParticipantFactory,
    UnitFactory,
)
from units.models import UnitStatus

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx"]


def read(response) -> tuple[list[str], list[dict]]:
    """Return the header and the rows (by column) of a CSV file or a workbook."""
    assert response.status_code == 200, response.content
    if response["Content-Type"].startswith("text/csv"):
        text = response.content.decode("utf-8").removeprefix("\ufeff")
        lines = list(csv.reader(io.StringIO(text)))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        lines = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = lines[0]
    return header, [dict(zip(header, line, strict=True)) for line in lines[1:]]


def make_coded_records() -> None:
    """A record of each list whose codes a person would have to look up."""
    insis = InstituteFactory(
        code="INSIS",
        name_fr="Institut des sciences de l’ingénierie et des systèmes",
        name_en="Institute for Engineering and Systems Sciences",
    )
    inc = InstituteFactory(
        code="INC", name_fr="Institut de chimie", name_en="Institute of Chemistry"
    )
    jrl = UnitFactory(
        slug="jrl",
        country="JP",
        lead_institute=insis,
        status=UnitStatus.CLOSED,
        closure_year=2020,
    )
    jrl.secondary_institutes.add(inc)
    usp = PartnerFactory(
        slug="usp", country="BR", kind=PartnerKind.RESEARCH_ORGANISATION
    )
    AgreementFactory(signed_on=datetime.date(2021, 3, 4)).partners.add(usp)
    erc = ProgrammeFactory(
        slug="erc",
        name_fr="Conseil européen de la recherche",
        name_en="European Research Council",
    )
    ProgrammeFactory(slug="erc-poc", parent=erc)
    GrantFactory(
        slug="robot",
        scheme=GrantScheme.MSCA_DN,
        programme=erc,
        institute=inc,
        # An MSCA grant has no ERC panel: no code, no label.
        panel="",
        unit=jrl,
        start_date=datetime.date(2023, 9, 1),
        end_date=None,
    )
    tascmar = ProjectFactory(
        slug="tascmar",
        kind=ProjectKind.IRP,
        programme=ProgrammeFactory(
            slug="irp",
            name_fr="Projets de recherche internationaux",
            name_en="International Research Projects",
        ),
        societal_challenge=SocietalChallenge.ENERGY,
        cnrs_role=CnrsRole.PARTICIPANT,
        start_date=datetime.date(2015, 4, 1),
    )
    # Taking part from its institution's country, and from its own.
    ProjectParticipantFactory(project=tascmar, partner=usp)
    ProjectParticipantFactory(project=tascmar, country="KR")
    OfficeFactory(slug="tokyo", country="JP", countries=["JP", "KR"])


@pytest.fixture
def coded():
    make_coded_records()


UNIT_LABELS = {
    "kind": (
        "irl",
        "Laboratoire de recherche international (IRL, anciennement UMI)",
        "International Research Laboratory (IRL, formerly UMI)",
    ),
    "country": ("JP", "Japon", "Japan"),
    "lead_institute": (
        "INSIS",
        "Institut des sciences de l’ingénierie et des systèmes",
        "Institute for Engineering and Systems Sciences",
    ),
    "secondary_institutes": ("INC", "Institut de chimie", "Institute of Chemistry"),
    "status": ("closed", "Fermée", "Closed"),
}
PARTNER_LABELS = {
    "kind": (
        "research_organisation",
        "Organisme de recherche",
        "Research organisation",
    ),
    "status": ("active", "En activité", "Active"),
    "country": ("BR", "Brésil", "Brazil"),
}
ERC = ("erc", "Conseil européen de la recherche", "European Research Council")
# Each list's record: its coded columns, each with its code and its labels in
# French and in English; a record read alone as its list gives it.
LABELLED = {
    "/api/units/": ("jrl", UNIT_LABELS),
    "/api/units/jrl/": ("jrl", UNIT_LABELS),
    "/api/partners/": ("usp", PARTNER_LABELS),
    "/api/partners/usp/": ("usp", PARTNER_LABELS),
    "/api/grants/": (
        "robot",
        {
            "scheme": (
                "msca_dn",
                "Réseau doctoral MSCA (DN)",
                "MSCA Doctoral Network (DN)",
            ),
            "programme": ERC,
            "institute": ("INC", "Institut de chimie", "Institute of Chemistry"),
            "panel": ("", "", ""),
            # Its joint unit's, which the grants page filters by.
            "country": ("JP", "Japon", "Japan"),
        },
    ),
    "/api/projects/": (
        "tascmar",
        {
            "participant_countries": (
                "BR; KR",
                "Brésil; Corée du Sud",
                "Brazil; South Korea",
            ),
            "kind": (
                "irp",
                "Projet de recherche international (IRP)",
                "International Research Project (IRP)",
            ),
            "programme": (
                "irp",
                "Projets de recherche internationaux",
                "International Research Projects",
            ),
            "societal_challenge": (
                "energy",
                "Énergies sûres, propres et efficaces",
                "Secure, clean and efficient energy",
            ),
            "cnrs_role": ("participant", "Participant", "Participant"),
        },
    ),
    "/api/offices/": (
        "tokyo",
        {
            "kind": ("office", "Bureau à l’étranger", "Office abroad"),
            "country": ("JP", "Japon", "Japan"),
            # The countries covered in one cell, each named in its code's place.
            "countries": ("JP; KR", "Japon; Corée du Sud", "Japan; South Korea"),
        },
    ),
    "/api/programmes/": ("erc-poc", {"parent": ERC}),
}
LABELLED["/api/grants/robot/"] = LABELLED["/api/grants/"]
LABELLED["/api/projects/tascmar/"] = LABELLED["/api/projects/"]


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("address", LABELLED)
def test_each_code_has_its_label_beside_it_in_the_language_asked(
    client, coded, address, language, file_format
):
    slug, labelled = LABELLED[address]

    header, rows = read(client.get(address, {"format": file_format, "lang": language}))

    [row] = [row for row in rows if row["slug"] == slug]
    for column, (code, french, english) in labelled.items():
        label = f"{column}{LABEL_SUFFIX}"
        assert header.index(label) == header.index(column) + 1, label
        # An empty cell of a workbook is read as None.
        assert (row[column] or "") == code, column
        assert (row[label] or "") == (french if language == "fr" else english)


@pytest.mark.parametrize(
    ("page", "column", "french", "english"),
    [
        ("units", "country_label", "Japon", "Japan"),
        ("partners", "kind_label", "Organisme de recherche", "Research organisation"),
        (
            "grants",
            "scheme_label",
            "Réseau doctoral MSCA (DN)",
            "MSCA Doctoral Network (DN)",
        ),
        ("projects", "cnrs_role_label", "Participant", "Participant"),
    ],
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_list_page_s_files_are_labelled_in_its_language(
    client, coded, page, column, french, english, language
):
    content = client.get(f"/{language}/{page}/").content.decode()

    for file_format in FORMATS:
        [link] = re.findall(rf'<a href="([^"]*format={file_format}[^"]*)"', content)
        _header, rows = read(client.get(html.unescape(link)))
        assert rows[0][column] == (french if language == "fr" else english)


def test_a_workbook_s_dates_are_dates_and_a_csv_file_s_iso_8601(client, coded):
    for address, column, day in [
        ("/api/grants/", "start_date", datetime.date(2023, 9, 1)),
        ("/api/projects/", "start_date", datetime.date(2015, 4, 1)),
        ("/api/projects/", "end_date", datetime.date(2019, 3, 31)),
    ]:
        response = client.get(address, {"format": "xlsx"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        header = [cell.value for cell in sheet[1]]
        cell = sheet.cell(row=2, column=header.index(column) + 1)
        assert cell.is_date, (address, column)
        assert cell.number_format == "yyyy-mm-dd"
        assert cell.value == datetime.datetime.combine(day, datetime.time())
        [row] = read(client.get(address, {"format": "csv"}))[1]
        assert row[column] == day.isoformat()

    [grant] = read(client.get("/api/grants/", {"format": "xlsx"}))[1]
    # No date, an empty cell; an amount stays a number.
    assert grant["end_date"] is None
    assert grant["amount"] == 1_500_000
    # A date in a linked record written in one cell is written as the JSON does.
    [usp] = read(client.get("/api/partners/usp/", {"format": "xlsx"}))[1]
    agreement = json.loads(usp["agreements"])
    assert agreement["signed_on"] == "2021-03-04"
    assert (agreement["kind"], agreement["kind_label"]) == ("framework", "Accord-cadre")


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("address", API_LISTS)
def test_the_columns_are_the_same_in_both_languages_with_or_without_records(
    client, uncached, address, file_format
):
    def header(language: str) -> list[str]:
        return read(client.get(address, {"format": file_format, "lang": language}))[0]

    empty = header("fr")
    assert header("en") == empty
    make_coded_records()
    assert header("fr") == header("en") == empty
    assert len(set(empty)) == len(empty)
    for place, name in enumerate(empty):
        if name.endswith(LABEL_SUFFIX):
            assert empty[place - 1] == name.removesuffix(LABEL_SUFFIX)


def test_the_json_gives_its_codes_without_labels_and_its_dates_as_texts(client, coded):
    for address in API_LISTS:
        answer = client.get(address, {"lang": "en"}).json()
        for record in answer["results"] if isinstance(answer, dict) else answer:
            assert not [key for key in record if key.endswith(LABEL_SUFFIX)], address
    robot = client.get("/api/grants/robot/").json()
    assert robot["scheme"] == "msca_dn"
    assert robot["start_date"] == "2023-09-01"


def queries_of(client, address, query) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address, query).status_code == 200
    return len(captured)


def make_more_records() -> None:
    """Records of each list with links of their own: a label read from the
    database would be a query per record."""
    for unit in UnitFactory.create_batch(4, country="BR"):
        unit.secondary_institutes.add(InstituteFactory())
    GrantFactory.create_batch(4)
    ProjectFactory.create_batch(4)
    PartnerFactory.create_batch(4, country="KR")
    OfficeFactory.create_batch(4, countries=["FR", "DE"])
    for parent in ProgrammeFactory.create_batch(4):
        ProgrammeFactory(parent=parent)


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize(
    "address",
    [
        "/api/units/",
        "/api/partners/",
        "/api/grants/",
        "/api/projects/",
        "/api/offices/",
        "/api/programmes/",
    ],
)
def test_labels_read_no_query_of_their_own(
    client, uncached, coded, address, file_format
):
    asked = {"format": file_format, "lang": "en"}
    few = queries_of(client, address, asked)
    make_more_records()

    # The labels come from the records read, the choices and the country names'
    # table.
    assert queries_of(client, address, asked) == few
