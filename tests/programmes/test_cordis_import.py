"""The CORDIS import: the service, the ``import_cordis`` command and the admin page.

``data/`` holds copies of the two shared CORDIS samples and files written for these
tests (see ``data/README.md``): ``project.csv`` adds a row per ERC and MSCA scheme to
the sample's rows, ``organization.csv`` says who takes part, and the malformed files
each break after good records.
"""

import datetime
import hashlib
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib import messages
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from partners.import_errors import listed_errors
from partners.models import Partner, PartnerKind
from partners.publication import PublicationStatus
from partners.roles import Role
from programmes import cordis
from programmes.cordis import (
    GRANT,
    PROJECT,
    UNKNOWN,
    Record,
    call_year,
    classify,
    read_records,
)
from programmes.models import (
    Grant,
    GrantScheme,
    ParticipantRole,
    Programme,
    ProgrammeKind,
    Project,
    ProjectParticipant,
    SocietalChallenge,
)
from programmes.services import (
    PLACEHOLDER_LAUREATE,
    CordisImportError,
    CordisImportErrors,
    import_cordis,
)
from tests.factories import (
    PartnerFactory,
    PersonFactory,
    ProgrammeFactory,
    ProjectFactory,
    ProjectParticipantFactory,
)
from units.models import Person

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data"
SAMPLE_PROJECTS = DATA / "cordis-project-sample.csv"
SAMPLE_PI = DATA / "cordis-h2020-erc-pi-sample.csv"
PROJECTS = DATA / "project.csv"
ORGANIZATIONS = DATA / "organization.csv"
IMPORT_URL = reverse("admin:programmes_project_import_cordis")
CNRS = "999997930"
MODELS = (Grant, Project, ProjectParticipant, Partner, Person, Programme)


def full_import(**options):
    return import_cordis(PROJECTS, ORGANIZATIONS, pi_file=SAMPLE_PI, **options)


def row_counts() -> dict[str, int]:
    """Rows of every model the import writes, and of their history."""
    counts = {model.__name__: model.objects.count() for model in MODELS}
    counts |= {f"{m.__name__} history": m.history.count() for m in MODELS}
    return counts


def nothing_written() -> bool:
    return not any(row_counts().values())


def participants(cordis_id: str) -> dict[str, tuple[str, Decimal | None]]:
    return {
        p.partner.pic: (p.role, p.eu_contribution)
        for p in ProjectParticipant.objects.filter(
            project__cordis_id=cordis_id
        ).select_related("partner")
    }


SHARED_DIGESTS = {
    "cordis-h2020-erc-pi-sample.csv": (
        "0f930a1a9e37e538df24d2a90732ad505c88699519665ef48fdb5ef03cf710cf"
    ),
    "cordis-project-sample.csv": (
        "803d74a2362affe915ff53b726145b8cdd807451d397c3e23a2a48b8774cdfae"
    ),
}


def test_the_copied_samples_match_the_shared_ones():
    # Beside the repository, the shared folder itself; elsewhere (a clone alone, as
    # in CI), the digests of its files when they were copied.
    shared = Path(__file__).resolve().parents[2] / ".." / "shared" / "formats"
    for copy in (SAMPLE_PROJECTS, SAMPLE_PI):
        if shared.is_dir():
            assert copy.read_bytes() == (shared / copy.name).read_bytes()
        assert (
            hashlib.sha256(copy.read_bytes()).hexdigest() == SHARED_DIGESTS[copy.name]
        )


# --- The shared sample ----------------------------------------------------------------


def test_the_shared_sample_gives_the_cnrs_grant_and_projects():
    report = import_cordis(SAMPLE_PROJECTS, ORGANIZATIONS)

    grant = Grant.objects.get()
    assert grant.cordis_id == "101103474"
    assert grant.acronym == "NEOPLASTICS"
    assert grant.scheme == GrantScheme.MSCA_PF
    # The programme of its scheme, created (a draft, as the import's records).
    assert grant.programme.slug == "msca"
    assert grant.programme.kind == ProgrammeKind.EU_SCHEME
    assert grant.programme.publication_status == PublicationStatus.DRAFT
    assert grant.call_year == 2022
    assert (grant.start_date, grant.end_date) == (
        datetime.date(2024, 6, 1),
        datetime.date(2026, 5, 31),
    )
    # The CNRS's own contribution, written 181152,96, rather than ecMaxContribution.
    assert grant.amount == Decimal("181152.96")
    assert grant.publication_status == PublicationStatus.DRAFT
    # The sample has no title column: the acronym stands in, in English only.
    assert grant.title_en == "NEOPLASTICS"
    assert not grant.title_fr
    projects = {p.acronym: p for p in Project.objects.all()}
    # CUBIC and EEN SACHSEN are not the CNRS's.
    assert sorted(projects) == ["BILASURF", "H2GLASS", "MatCHMaker"]
    assert projects["MatCHMaker"].cnrs_role == "coordinator"
    assert projects["BILASURF"].cnrs_role == "participant"
    assert projects["H2GLASS"].total_cost == Decimal("31862996")
    assert projects["H2GLASS"].eu_contribution == Decimal("23267442")
    # Projects, their framework programme.
    assert {project.programme.slug for project in projects.values()} == {
        "horizon-europe"
    }
    assert report.count(Grant, "created") == 1
    assert report.count(Project, "created") == 3
    # The CNRS's other projects in organization.csv are not in the sample.
    assert report.missing == 18
    assert not Partner.objects.filter(pic__in=["900000009", "900000010"]).exists()


# --- Grants ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cordis_id", "scheme", "year", "programme"),
    [
        ("633152", GrantScheme.ERC_STG, 2014, "erc"),
        ("633888", GrantScheme.ERC_POC, 2014, "erc"),
        # Horizon Europe: HORIZON-ERC, the grant type in the call only.
        ("101039101", GrantScheme.ERC_STG, 2021, "erc"),
        ("101088102", GrantScheme.ERC_COG, 2022, "erc"),
        ("101097103", GrantScheme.ERC_ADG, 2023, "erc"),
        ("101113104", GrantScheme.ERC_POC, 2023, "erc"),
        ("101118105", GrantScheme.ERC_SYG, 2023, "erc"),
        # The call H2020-MSCA-IF-2017 is of 2017, not of "H2020".
        ("795201", GrantScheme.MSCA_IF, 2017, "msca"),
        ("813302", GrantScheme.MSCA_ITN, 2018, "msca"),
        ("872403", GrantScheme.MSCA_RISE, 2019, "msca"),
        ("754504", GrantScheme.MSCA_COFUND, 2016, "msca"),
        ("101103474", GrantScheme.MSCA_PF, 2022, "msca"),
        ("101072605", GrantScheme.MSCA_DN, 2021, "msca"),
        ("101086706", GrantScheme.MSCA_SE, 2022, "msca"),
        ("101126807", GrantScheme.MSCA_COFUND, 2022, "msca"),
    ],
)
def test_erc_and_msca_projects_become_grants_with_scheme_and_call_year(
    cordis_id, scheme, year, programme
):
    full_import()

    grant = Grant.objects.get(cordis_id=cordis_id)
    assert (grant.scheme, grant.call_year, grant.programme.slug) == (
        scheme,
        year,
        programme,
    )
    assert not Project.objects.filter(cordis_id=cordis_id).exists()


def test_a_full_import_counts_what_it_did():
    report = full_import()

    assert report.count(Grant, "created") == Grant.objects.count() == 15
    assert report.count(Project, "created") == Project.objects.count() == 5
    # The ERC and the MSCA for the grants, Horizon 2020 and Europe for the projects.
    assert report.count(Programme, "created") == 4
    assert report.count(Partner, "created") == 7
    assert report.skipped == {"scheme MSCA-NIGHT": 1}
    assert report.missing == 1  # ABSENT, in organization.csv only
    assert report.laureates_to_complete == 13
    assert "15 grants and 5 projects created" in report.summary()


def test_grant_amount_is_the_cnrs_share_else_the_eu_maximum():
    full_import()

    amounts = dict(Grant.objects.values_list("acronym", "amount"))
    assert amounts["FELLOWSHIP"] == Decimal("185076.48")  # "185076,48"
    assert amounts["SYNERGIA"] == Decimal("2500000.50")  # of 9 million in all
    # GEOFLUIDS: the CNRS's ecContribution is empty.
    assert amounts["GEOFLUIDS"] == Decimal("1293750")


def test_grants_take_title_summary_and_dates_from_cordis():
    full_import()

    grant = Grant.objects.get(acronym="GEOFLUIDS")
    assert grant.title_en == "Geometric aspects of fluid dynamics (test row)"
    assert grant.summary_en == "An objective on one line."
    assert not grant.title_fr
    assert (grant.start_date, grant.end_date) == (
        datetime.date(2015, 5, 1),
        datetime.date(2020, 4, 30),
    )
    assert grant.slug == "geofluids"
    assert grant.panel == ""
    with translation.override("fr"):
        # The French page falls back to CORDIS's English.
        assert grant.title == "Geometric aspects of fluid dynamics (test row)"


def test_the_pi_file_names_the_erc_laureates_and_others_get_the_placeholder():
    full_import()

    laureates = {
        grant.acronym: (grant.laureate.first_name, grant.laureate.last_name)
        for grant in Grant.objects.select_related("laureate")
    }
    assert laureates["GEOFLUIDS"] == ("Alberto", "Enciso Carrasco")
    assert laureates["SPENmr"] == ("Lucio", "Frydman")
    placeholder = (
        PLACEHOLDER_LAUREATE["first_name"],
        PLACEHOLDER_LAUREATE["last_name"],
    )
    assert laureates["STARLIGHT"] == laureates["FELLOWSHIP"] == placeholder
    # One shared placeholder, saying in both languages what to do.
    person = Person.objects.get(**PLACEHOLDER_LAUREATE)
    assert person.grants.count() == 13
    assert "CORDIS" in person.title_fr and "CORDIS" in person.title_en


def test_without_pi_file_every_laureate_is_the_placeholder():
    report = import_cordis(PROJECTS, ORGANIZATIONS)

    assert report.laureates_to_complete == 15
    assert set(Grant.objects.values_list("laureate", flat=True)) == {
        Person.objects.get(**PLACEHOLDER_LAUREATE).pk
    }


def test_a_later_pi_file_replaces_the_placeholder_but_never_a_chosen_laureate():
    import_cordis(PROJECTS, ORGANIZATIONS)
    chosen = PersonFactory(first_name="Lucio", last_name="Frydman-Chosen")
    Grant.objects.filter(acronym="SPENmr").update(laureate=chosen)

    report = full_import()

    grants = {g.acronym: g for g in Grant.objects.select_related("laureate")}
    assert grants["GEOFLUIDS"].laureate.last_name == "Enciso Carrasco"
    assert grants["SPENmr"].laureate == chosen
    assert report.count(Grant, "updated") == 1
    assert report.laureates_to_complete == 13


def test_the_pi_hosted_by_the_participant_is_the_synergy_grant_laureate(tmp_path):
    pi_file = tmp_path / "erc-pi.csv"
    pi_file.write_text(
        "projectId;projectAcronym;fundingScheme;title;firstName;lastName;"
        "organisationId\n"
        "101118105;SYNERGIA;HORIZON-ERC-SYG;PROF;Ada;Elsewhere;900000003\n"
        f"101118105;SYNERGIA;HORIZON-ERC-SYG;DR;Irène;Hôte;{CNRS}\n"
        "101118105;SYNERGIA;HORIZON-ERC-SYG;DR;Bob;Later;900000003\n",
        encoding="utf-8",
    )

    import_cordis(PROJECTS, ORGANIZATIONS, pi_file=pi_file)

    laureate = Grant.objects.get(acronym="SYNERGIA").laureate
    assert (laureate.first_name, laureate.last_name) == ("Irène", "Hôte")


def test_grants_go_to_the_programme_of_their_scheme_projects_to_their_framework():
    erc = ProgrammeFactory(slug="erc", kind=ProgrammeKind.EU_SCHEME)

    report = full_import()

    # The ERC's is found; the MSCA's is created, as the framework programmes are.
    assert report.count(Programme, "created") == 3
    msca = Programme.objects.get(slug="msca")
    assert (msca.name_fr, msca.name_en, msca.acronym, msca.kind) == (
        "Actions Marie Skłodowska-Curie",
        "Marie Skłodowska-Curie Actions",
        "MSCA",
        ProgrammeKind.EU_SCHEME,
    )
    assert set(Grant.objects.erc().values_list("programme", flat=True)) == {erc.pk}
    assert set(Grant.objects.msca().values_list("programme", flat=True)) == {msca.pk}
    assert set(Project.objects.values_list("programme__slug", flat=True)) == {
        "horizon-2020",
        "horizon-europe",
    }


def test_a_grant_filed_under_its_framework_programme_moves_to_its_schemes():
    full_import()
    # As imports filed grants before: under Horizon 2020, which funds the ERC.
    horizon_2020 = Programme.objects.get(slug="horizon-2020")
    Grant.objects.filter(cordis_id="633152").update(programme=horizon_2020)

    report = full_import()

    assert Grant.objects.get(cordis_id="633152").programme.slug == "erc"
    assert report.count(Grant, "updated") == 1
    assert report.count(Programme, "created") == 0


def test_a_published_import_publishes_the_programmes_it_creates():
    full_import(publish=True)

    assert set(Programme.objects.public().values_list("slug", flat=True)) == {
        "erc",
        "msca",
        "horizon-2020",
        "horizon-europe",
    }


# --- Projects and their participants --------------------------------------------------


def test_projects_take_amounts_dates_texts_and_societal_challenge():
    full_import()

    tascmar = Project.objects.get(cordis_id="634674")
    assert tascmar.kind == "eu_project"
    assert tascmar.programme.slug == "horizon-2020"
    assert tascmar.cnrs_role == "coordinator"
    assert tascmar.societal_challenge == SocietalChallenge.BIOECONOMY
    assert tascmar.total_cost == Decimal("6954727.50")  # "6954727,5"
    assert tascmar.eu_contribution == Decimal("6707896.25")
    assert tascmar.start_date == datetime.date(2015, 4, 1)
    assert tascmar.title_en.startswith("Tools And Strategies")
    # A quoted objective over three lines, with semicolons and doubled quotes.
    assert tascmar.summary_en == (
        'Marine invertebrates; sponges and polyps, make "active" molecules.\n'
        "They are grown from the laboratory to industrial scale;\n"
        "without depleting natural habitats."
    )
    healthy = Project.objects.get(acronym="HEALTHY")
    assert healthy.societal_challenge == SocietalChallenge.HEALTH
    assert healthy.eu_contribution == Decimal("4999999.99")
    assert Project.objects.get(acronym="BILASURF").societal_challenge == ""


def test_participants_keep_their_role_and_contribution_without_the_cnrs():
    full_import()

    assert participants("101091687") == {  # MatCHMaker
        "900000003": (ParticipantRole.PARTICIPANT, Decimal("700000")),
        "900000007": (ParticipantRole.ASSOCIATED_PARTNER, None),
        "900000006": (ParticipantRole.THIRD_PARTY, Decimal("50000")),
    }
    # EXAMPLE GMBH's two rows in H2GLASS: the strongest role, the sum of shares.
    assert participants("101092153")["900000005"] == (
        ParticipantRole.COORDINATOR,
        Decimal("2010000"),
    )
    # BILASURF's rows are split around another project's, before the CNRS's row.
    assert participants("101091623") == {
        "900000001": (ParticipantRole.COORDINATOR, Decimal("1250000.50")),
        "900000002": (ParticipantRole.PARTICIPANT, Decimal("800000")),
    }
    assert not Partner.objects.filter(pic=CNRS).exists()


def test_new_partners_are_drafts_with_iso_countries_and_cordis_details():
    full_import()

    greek = Partner.objects.get(pic="900000001")
    assert greek.country == "GR"  # EL in CORDIS
    assert greek.kind == PartnerKind.RESEARCH_ORGANISATION
    # "HELLENIC EXAMPLE RESEARCH CENTRE" in CORDIS (test_cordis_names.py).
    assert greek.name_fr == greek.name_en == "Hellenic Example Research Centre"
    assert greek.acronym == "HERC"
    assert greek.city_fr == greek.city_en == "Athina"  # ATHINA in CORDIS
    assert (greek.latitude, greek.longitude) == (
        Decimal("37.983800"),
        Decimal("23.727500"),
    )
    assert greek.website == "https://www.example-research.gr"
    assert greek.publication_status == PublicationStatus.DRAFT
    british = Partner.objects.get(pic="900000002")
    assert british.country == "GB"  # UK in CORDIS
    assert british.name_en == "Example Coatings; Ltd"
    assert british.kind == PartnerKind.COMPANY
    german = Partner.objects.get(pic="900000005")
    assert german.website == ""  # "not a web address"
    assert german.latitude is None
    kinds = dict(Partner.objects.values_list("pic", "kind"))
    assert kinds["900000003"] == PartnerKind.UNIVERSITY
    assert kinds["900000006"] == PartnerKind.PUBLIC_BODY
    assert kinds["900000007"] == PartnerKind.OTHER


def test_a_partner_already_known_by_its_pic_is_linked_and_left_alone():
    known = PartnerFactory(pic="900000003", name_fr="Université d’exemple")

    report = full_import()

    known.refresh_from_db()
    assert known.name_fr == "Université d’exemple"
    assert known.publication_status == PublicationStatus.PUBLISHED
    assert Partner.objects.filter(pic="900000003").count() == 1
    assert ProjectParticipant.objects.filter(partner=known).count() == 2
    assert report.count(Partner, "created") == 6


# --- Running it again, publishing, updating -------------------------------------------


def test_running_it_again_changes_nothing():
    full_import()
    before = row_counts()
    stamps = {
        model: sorted(model.objects.values_list("pk", "updated"))
        for model in (Grant, Project, Partner)
    }

    report = full_import()

    assert not report.changed
    assert report.total("created") == report.total("updated") == 0
    assert report.count(Grant, "unchanged") == 15
    assert report.count(ProjectParticipant, "unchanged") == 10
    assert row_counts() == before
    for model, values in stamps.items():
        assert sorted(model.objects.values_list("pk", "updated")) == values


def test_a_project_whose_participants_changed_is_counted_as_updated():
    full_import()
    matchmaker = Project.objects.get(cordis_id="101091687")
    tascmar = Project.objects.get(cordis_id="634674")
    versions = {p.pk: p.history.count() for p in (matchmaker, tascmar)}
    lines = ORGANIZATIONS.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    # MatCHMaker: a participant takes the coordination from the CNRS; TASCMAR:
    # one joins it.
    changed = [
        line.replace(";participant;700000;", ";coordinator;700000;")
        if line.startswith("101091687;MatCHMaker;900000003;")
        else line.replace(";coordinator;", ";participant;")
        if line.startswith(f"101091687;MatCHMaker;{CNRS};")
        else line
        for line in lines
    ]
    joining = next(line for line in lines if ";900000007;" in line)
    changed.append(joining.replace("101091687;MatCHMaker;", "634674;TASCMAR;"))
    assert changed[:-1] != lines

    report = import_cordis(PROJECTS, io.StringIO("".join(changed)), pi_file=SAMPLE_PI)

    assert participants("101091687")["900000003"][0] == ParticipantRole.COORDINATOR
    matchmaker.refresh_from_db()
    assert matchmaker.cnrs_role == "participant"
    assert "900000007" in participants("634674")
    # Not "0 updated, 5 unchanged": each has a version for its participants.
    assert (report.count(Project, "updated"), report.count(Project, "unchanged")) == (
        2,
        3,
    )
    for project in (matchmaker, tascmar):
        assert project.history.count() == versions[project.pk] + 1


def test_publish_publishes_grants_and_projects_but_not_partners():
    full_import(publish=True)

    # Not the grants whose laureate CORDIS does not name: the public would read
    # "CORDIS (laureate to be completed)".
    placeholder = Person.objects.get(**PLACEHOLDER_LAUREATE)
    assert set(Grant.objects.drafts()) == set(placeholder.grants.all())
    assert Grant.objects.public().count() == 2  # GEOFLUIDS, SPENmr…
    assert not Project.objects.drafts().exists()
    assert not Partner.objects.public().exists()

    # Without --publish, an import never returns published records to draft.
    assert not full_import().changed
    assert Grant.objects.public().count() == 2


def test_publish_leaves_a_record_staff_put_back_to_draft_a_draft():
    full_import(publish=True)
    published = list(Grant.objects.public()) + list(Project.objects.public())
    for record in published:
        record.publication_status = PublicationStatus.DRAFT
        record.save()

    assert not full_import(publish=True).changed
    assert not Grant.objects.public().exists()
    assert not Project.objects.public().exists()


def test_an_existing_project_is_updated_and_keeps_what_staff_wrote():
    tascmar = ProjectFactory(
        cordis_id="634674",
        acronym="Tascmar",
        slug="tascmar",
        title_fr="Outils et stratégies",
        title_en="Tools and strategies",
        summary_en="A summary written by staff.",
        societal_challenge="",
    )

    report = full_import()

    tascmar.refresh_from_db()
    assert report.count(Project, "updated") == 1
    assert tascmar.acronym == "TASCMAR"
    assert tascmar.title_en.startswith("Tools And Strategies")
    assert tascmar.title_fr == "Outils et stratégies"
    assert tascmar.summary_en == "A summary written by staff."
    assert tascmar.societal_challenge == SocietalChallenge.BIOECONOMY
    assert tascmar.slug == "tascmar"
    assert tascmar.publication_status == PublicationStatus.PUBLISHED
    change = tascmar.history.first()
    assert change.history_change_reason == "CORDIS import"
    assert change.history_type == "~"


def test_a_new_record_whose_acronym_slug_is_taken_gets_its_cordis_id():
    ProjectFactory(slug="tascmar", cordis_id="")

    full_import()

    assert Project.objects.get(cordis_id="634674").slug == "tascmar-634674"


# --- Malformed files: a clear message, nothing written --------------------------------


@pytest.mark.parametrize(
    ("projects", "organizations", "line", "field"),
    [
        # The eighth record, after TASCMAR's of three text lines: line 9, as a
        # spreadsheet program shows the file (an editor shows line 11).
        ("project-bad-date.csv", "organization.csv", 9, "startDate"),
        ("project.csv", "organization-bad-amount.csv", 39, "ecContribution"),
        ("project-missing-column.csv", "organization.csv", 1, "ecMaxContribution"),
        ("project.csv", "organization-comma-separated.csv", 1, ""),
    ],
)
def test_a_malformed_file_is_named_with_line_and_field_and_nothing_is_written(
    projects, organizations, line, field
):
    with pytest.raises(CordisImportError) as caught:
        import_cordis(DATA / projects, DATA / organizations, pi_file=SAMPLE_PI)

    error = caught.value
    bad_file = projects if projects != "project.csv" else organizations
    assert (error.file, error.line, error.field) == (bad_file, line, field)
    assert str(error).startswith(f"{bad_file}, ")
    assert f" {line}" in str(error)
    assert field in str(error)
    assert nothing_written()


def test_a_bad_row_after_good_ones_leaves_the_database_as_it_was():
    full_import()
    before = row_counts()
    # The same files, but TASCMAR now ends before it starts: line 8, after grants
    # and projects the import has already updated.
    text = PROJECTS.read_text(encoding="utf-8")
    broken = text.replace(";2015-04-01;2019-09-30;", ";2015-04-01;2014-09-30;")
    broken = broken.replace("2024-06-01;2026-05-31", "2024-06-01;2026-06-30")

    with pytest.raises(CordisImportError) as caught:
        import_cordis(io.StringIO(broken), ORGANIZATIONS)

    assert (caught.value.line, caught.value.field) == (8, "endDate")
    assert row_counts() == before
    assert Grant.objects.get(acronym="NEOPLASTICS").end_date == datetime.date(
        2026, 5, 31
    )


# Every wrong line is named, the files refused whole


def with_lines(path: Path, *changes: tuple[int, str, str]) -> io.BytesIO:
    """``path`` with ``old`` replaced by ``new`` on each line ``number`` given (as an
    editor numbers them: the same as a spreadsheet program before TASCMAR)."""
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    for number, old, new in changes:
        assert old in lines[number - 1]
        lines[number - 1] = lines[number - 1].replace(old, new, 1)
    return io.BytesIO("".join(lines).encode())


# As QA found them named one at a time: BILASURF ends before it starts (line 3),
# MatCHMaker's start is written as in a French spreadsheet (line 4).
QA_PROJECTS = [
    (3, ";2023-01-01;2025-12-31;", ";2023-01-01;2022-12-31;"),
    (4, ";2022-12-01;", ";01/12/2022;"),
]
QA_PROJECT_ERRORS = [
    "project.csv, line 3, field “endDate”: the project ends before it starts.",
    "project.csv, line 4, field “startDate”: “01/12/2022” is not a date (YYYY-MM-DD).",
]
# A contribution in letters (line 3), a country that is none (line 4).
QA_ORGANIZATIONS = [
    (3, ";1250000,5;", ";abc;"),
    (4, ";CAMBRIDGE;UK;", ";CAMBRIDGE;ZZ;"),
]
QA_ORGANIZATION_ERRORS = [
    "organization.csv, line 3, field “ecContribution”: “abc” is not an amount.",
    "organization.csv, line 4, field “country”: “ZZ” is not a country code.",
]


@pytest.mark.parametrize(
    ("projects", "organizations", "messages"),
    [
        (QA_PROJECTS, [], QA_PROJECT_ERRORS),
        ([], QA_ORGANIZATIONS, QA_ORGANIZATION_ERRORS),
        # Both files: organization.csv's first, as it is read first.
        (QA_PROJECTS, QA_ORGANIZATIONS, QA_ORGANIZATION_ERRORS + QA_PROJECT_ERRORS),
    ],
)
def test_every_wrong_line_is_named_file_by_file_and_nothing_is_written(
    projects, organizations, messages
):
    with translation.override("en"), pytest.raises(CordisImportErrors) as caught:
        import_cordis(
            with_lines(PROJECTS, *projects),
            with_lines(ORGANIZATIONS, *organizations),
            pi_file=SAMPLE_PI,
        )

    assert [str(error) for error in caught.value.errors] == messages
    assert caught.value.more == 0
    assert nothing_written()


def test_a_wrong_line_after_good_ones_leaves_the_database_as_it_was():
    full_import()
    before = row_counts()

    with pytest.raises(CordisImportErrors):
        import_cordis(with_lines(PROJECTS, *QA_PROJECTS), ORGANIZATIONS)

    assert row_counts() == before
    assert Project.objects.get(acronym="BILASURF").end_date == datetime.date(
        2025, 12, 31
    )


def test_a_project_whose_participant_s_own_row_is_wrong_is_named_once():
    # NEOPLASTICS's only row is the CNRS's: its project is left out, not imported
    # without it.
    organizations = with_lines(ORGANIZATIONS, (2, ";181152,96;", ";-5;"))

    with translation.override("en"), pytest.raises(CordisImportErrors) as caught:
        import_cordis(with_lines(PROJECTS, QA_PROJECTS[1]), organizations)

    assert [str(error) for error in caught.value.errors] == [
        "organization.csv, line 2, field “ecContribution”: an amount cannot be "
        "negative.",
        QA_PROJECT_ERRORS[1],
    ]
    assert nothing_written()


def test_a_file_that_cannot_be_read_on_is_named_after_the_wrong_lines():
    with translation.override("en"), pytest.raises(CordisImportErrors) as caught:
        import_cordis(
            DATA / "project-missing-column.csv",
            with_lines(ORGANIZATIONS, *QA_ORGANIZATIONS),
        )

    assert [str(error) for error in caught.value.errors] == [
        *QA_ORGANIZATION_ERRORS,
        "project-missing-column.csv, line 1, field “ecMaxContribution”: this "
        "column is missing from the header.",
    ]
    assert nothing_written()


def test_the_list_stops_at_a_hundred_errors_and_counts_the_others():
    header = PROJECTS.read_text(encoding="utf-8").splitlines(keepends=True)[0]
    projects = io.StringIO(header + "101103474;TOO FEW\n" * 103)

    with translation.override("en"), pytest.raises(CordisImportErrors) as caught:
        import_cordis(projects, ORGANIZATIONS)

    refusal = caught.value
    assert (len(refusal.errors), refusal.more) == (100, 3)
    assert (refusal.errors[0].line, refusal.errors[-1].line) == (2, 101)
    assert listed_errors(refusal)[-1] == "… et 3 autres erreurs."
    assert nothing_written()


def test_one_wrong_line_is_refused_as_before():
    with pytest.raises(CordisImportError) as caught:
        import_cordis(with_lines(PROJECTS, QA_PROJECTS[0]), ORGANIZATIONS)

    assert not isinstance(caught.value, CordisImportErrors)
    assert (caught.value.line, caught.value.field) == (3, "endDate")


def organizations_with(old: str, new: str) -> io.BytesIO:
    text = ORGANIZATIONS.read_text(encoding="utf-8-sig")
    assert old in text
    return io.BytesIO(text.replace(old, new, 1).encode())


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        # One field too many: no column to blame, but the line is named.
        ("37.9838,23.7275", "37.9838;23.7275", ""),
        ("37.9838,23.7275", "north,east", "geolocation"),
        ("37.9838,23.7275", "97.9838,23.7275", "geolocation"),
        (";ATHINA;EL;", ";ATHINA;XX;", "country"),
        (
            "101091623;BILASURF;900000001",
            "101091623;BILASURF;90000001",
            "organisationID",
        ),
        (";181152,96;", ";-181152,96;", "ecContribution"),
    ],
)
def test_bad_participant_values_are_named(old, new, field):
    with pytest.raises(CordisImportError) as caught:
        import_cordis(PROJECTS, organizations_with(old, new))

    assert caught.value.field == field
    assert caught.value.file == "organization.csv"
    assert nothing_written()


def organizations_with_line(number: int, old: str, new: str) -> io.StringIO:
    """organization.csv with ``old`` replaced by ``new`` on line ``number`` only."""
    lines = ORGANIZATIONS.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    assert old in lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new)
    return io.StringIO("".join(lines))


@pytest.mark.parametrize("known", [True, False])
@pytest.mark.parametrize(
    ("line", "old", "new", "field"),
    [
        # HELLENIC EXAMPLE RESEARCH CENTRE's rows: its first, in BILASURF, and
        # its second, in TASCMAR, where a new partner was made of the first only.
        (3, "37.9838,23.7275", "999,999", "geolocation"),
        (18, "37.9838,23.7275", "999,999", "geolocation"),
        (3, "HELLENIC EXAMPLE RESEARCH CENTRE", "H" * 600, "name"),
        (18, "HELLENIC EXAMPLE RESEARCH CENTRE", "H" * 600, "name"),
    ],
)
def test_every_row_of_a_participant_is_checked_its_pic_known_or_new(
    known, line, old, new, field
):
    if known:
        # Known, it is left as it is: its rows were not read, and a bad one passed.
        PartnerFactory(pic="900000001")
    before = row_counts()

    with pytest.raises(CordisImportError) as caught:
        import_cordis(PROJECTS, organizations_with_line(line, old, new))

    error = caught.value
    assert (error.file, error.line, error.field) == ("organization.csv", line, field)
    assert row_counts() == before


def test_an_unclosed_quote_is_reported_at_the_line_it_opens():
    text = PROJECTS.read_text(encoding="utf-8")
    broken = text.replace(";Geometric aspects", ';"Geometric aspects')

    with pytest.raises(CordisImportError) as caught:
        import_cordis(io.StringIO(broken), ORGANIZATIONS)

    # GEOFLUIDS: line 9 (11 in an editor, after TASCMAR's three text lines).
    assert caught.value.line == 9
    assert nothing_written()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty"),
        ("id;acronym\n1;é\n".encode("latin-1"), "UTF-8"),
        # A ROR dump picked instead: "column id missing" sent staff to the header.
        (b'[\n  {"id": "https://ror.org/02bfwt286"}\n]\n', "is JSON, not one of"),
        (b'{"id": "https://ror.org/02bfwt286", "names": []}', "is JSON, not one of"),
    ],
)
def test_an_empty_or_non_utf8_file_is_refused(content, problem):
    with translation.override("en"), pytest.raises(CordisImportError) as caught:
        import_cordis(io.BytesIO(content), ORGANIZATIONS)

    assert problem in str(caught.value)
    assert caught.value.file == "project.csv"


def test_a_nul_character_is_refused_where_it_is():
    # PostgreSQL's text cannot hold it: the insert failed with a traceback.
    text = ORGANIZATIONS.read_text(encoding="utf-8")
    damaged = text.replace("UNIVERSIDAD DE EJEMPLO", "UNIVERSIDAD\x00DE EJEMPLO", 1)

    with translation.override("en"), pytest.raises(CordisImportError) as caught:
        import_cordis(PROJECTS, io.StringIO(damaged), "900000003")

    assert caught.value.field == "name"
    assert "NUL character" in str(caught.value)
    assert nothing_written()


def test_a_bad_participant_code_is_refused_before_reading():
    with pytest.raises(CordisImportError) as caught:
        import_cordis(PROJECTS, ORGANIZATIONS, "99999793")

    assert caught.value.field == "pic"


def test_another_participant_code_imports_its_projects():
    report = import_cordis(PROJECTS, ORGANIZATIONS, "900000003")

    # UNIVERSIDAD DE EJEMPLO coordinates GEOFLUIDS, SYNERGIA and TRAINNET and takes
    # part in MatCHMaker and H2GLASS.
    assert set(Grant.objects.values_list("acronym", flat=True)) == {
        "GEOFLUIDS",
        "SYNERGIA",
        "TRAINNET",
    }
    assert set(Project.objects.values_list("acronym", flat=True)) == {
        "MatCHMaker",
        "H2GLASS",
    }
    assert Partner.objects.filter(pic=CNRS).exists()
    assert not report.missing


# --- Reading and classifying ----------------------------------------------------------


@pytest.mark.parametrize(
    ("funding_scheme", "call", "expected"),
    [
        ("ERC-STG", "ERC-2014-STG", (GRANT, GrantScheme.ERC_STG)),
        ("ERC-COG", "ERC-2015-CoG", (GRANT, GrantScheme.ERC_COG)),
        ("ERC-ADG", "ERC-2016-ADG", (GRANT, GrantScheme.ERC_ADG)),
        ("ERC-SyG", "ERC-2019-SyG", (GRANT, GrantScheme.ERC_SYG)),
        ("ERC-POC-LS", "ERC-2020-POC-LS", (GRANT, GrantScheme.ERC_POC)),
        ("HORIZON-ERC", "ERC-2021-STG", (GRANT, GrantScheme.ERC_STG)),
        ("HORIZON-ERC", "ERC-2022-COG", (GRANT, GrantScheme.ERC_COG)),
        ("HORIZON-ERC", "ERC-2023-ADG", (GRANT, GrantScheme.ERC_ADG)),
        ("HORIZON-ERC-POC", "ERC-2023-POC", (GRANT, GrantScheme.ERC_POC)),
        ("HORIZON-ERC-SYG", "ERC-2023-SyG", (GRANT, GrantScheme.ERC_SYG)),
        ("HORIZON-ERC", "ERC-2023-CSA", (UNKNOWN, None)),
        ("MSCA-IF-EF-ST", "H2020-MSCA-IF-2017", (GRANT, GrantScheme.MSCA_IF)),
        ("MSCA-IF-GF", "H2020-MSCA-IF-2019", (GRANT, GrantScheme.MSCA_IF)),
        ("HORIZON-TMA-MSCA-PF-EF", "", (GRANT, GrantScheme.MSCA_PF)),
        ("HORIZON-TMA-MSCA-PF-GF", "", (GRANT, GrantScheme.MSCA_PF)),
        ("MSCA-ITN-ETN", "", (GRANT, GrantScheme.MSCA_ITN)),
        ("MSCA-ITN-EID", "", (GRANT, GrantScheme.MSCA_ITN)),
        ("MSCA-ITN-EJD", "", (GRANT, GrantScheme.MSCA_ITN)),
        ("HORIZON-TMA-MSCA-DN", "", (GRANT, GrantScheme.MSCA_DN)),
        ("HORIZON-TMA-MSCA-DN-ID", "", (GRANT, GrantScheme.MSCA_DN)),
        ("HORIZON-TMA-MSCA-DN-JD", "", (GRANT, GrantScheme.MSCA_DN)),
        ("MSCA-RISE", "", (GRANT, GrantScheme.MSCA_RISE)),
        ("HORIZON-TMA-MSCA-SE", "", (GRANT, GrantScheme.MSCA_SE)),
        ("MSCA-COFUND-DP", "", (GRANT, GrantScheme.MSCA_COFUND)),
        ("MSCA-COFUND-FP", "", (GRANT, GrantScheme.MSCA_COFUND)),
        ("HORIZON-TMA-MSCA-Cofund-D", "", (GRANT, GrantScheme.MSCA_COFUND)),
        ("HORIZON-TMA-MSCA-Cofund-P", "", (GRANT, GrantScheme.MSCA_COFUND)),
        ("MSCA-NIGHT", "H2020-MSCA-NIGHT-2018", (UNKNOWN, None)),
        ("RIA", "H2020-BG-2014-2", (PROJECT, None)),
        ("HORIZON-JU-RIA", "HORIZON-JU-CBE-2022", (PROJECT, None)),
        ("CSA", "", (PROJECT, None)),
    ],
)
def test_funding_schemes_are_classified(funding_scheme, call, expected):
    assert classify(funding_scheme, call, call) == expected


@pytest.mark.parametrize(
    ("master_call", "signed", "start", "year"),
    [
        ("H2020-MSCA-IF-2017", "2018-03-05", "", 2017),
        ("ERC-2021-STG", "", "", 2021),
        ("H2020-EEN-SGA4", "2019-12-06", "2020-01-01", 2019),
        ("", "", "2020-01-01", 2020),
        ("", "", "", None),
    ],
)
def test_the_call_year_comes_from_the_call_else_the_dates(
    master_call, signed, start, year
):
    record = Record(
        "project.csv",
        2,
        {"masterCall": master_call, "ecSignatureDate": signed, "startDate": start},
    )

    assert call_year(record) == year


def test_records_carry_their_line_as_a_spreadsheet_program_shows_it():
    # A record of two text lines is one line, a blank one an empty line.
    text = 'a;b\n1;"two\nlines"\n\n3;x\n'

    records = list(read_records(io.StringIO(text), name="t.csv", required=("a", "b")))

    assert [(r.line, r["a"], r["b"]) for r in records] == [
        (2, "1", "two\nlines"),
        (4, "3", "x"),
    ]


def test_uploads_and_binary_files_are_read_like_paths():
    projects = SimpleUploadedFile("project.csv", PROJECTS.read_bytes())
    with ORGANIZATIONS.open("rb") as organizations:
        report = import_cordis(projects, organizations)
        assert not organizations.closed

    assert report.count(Grant, "created") == 15


# --- New partners' websites -----------------------------------------------------------


def organizations_with_greek_website(website: str) -> io.BytesIO:
    """organization.csv with the Greek partner's website, on both its rows."""
    text = ORGANIZATIONS.read_text(encoding="utf-8-sig")
    return io.BytesIO(
        text.replace(";www.example-research.gr;", f";{website};").encode()
    )


@pytest.mark.parametrize(
    "website",
    ["ftp://ftp.example-research.gr/", "ftps://ftp.example-research.gr/"],
)
def test_a_website_not_in_http_or_https_is_left_out_and_reported(website):
    with translation.override("en"):
        report = import_cordis(PROJECTS, organizations_with_greek_website(website))

    assert Partner.objects.get(pic="900000001").website == ""
    assert report.websites_left_out == [
        f"organization.csv, line 3: {website}",
        "organization.csv, line 12: not a web address",  # EXAMPLE GMBH
    ]
    assert (
        f"website left out (not an http or https address): organization.csv, "
        f"line 3: {website}"
    ) in report.lines()
    assert Project.objects.count() == 5  # the rest of the file is imported


@pytest.mark.parametrize(
    ("website", "stored"),
    [
        ("https://www.example-research.gr/en", "https://www.example-research.gr/en"),
        ("http://example-research.gr", "http://example-research.gr"),
        ("ftp.example-research.gr", "https://ftp.example-research.gr"),
    ],
)
def test_an_http_or_https_website_is_kept(website, stored):
    report = import_cordis(PROJECTS, organizations_with_greek_website(website))

    assert Partner.objects.get(pic="900000001").website == stored
    assert len(report.websites_left_out) == 1  # EXAMPLE GMBH's


# --- The command ----------------------------------------------------------------------


def test_the_command_imports_and_prints_counts():
    out = io.StringIO()

    call_command(
        "import_cordis",
        "--projects",
        str(PROJECTS),
        "--organizations",
        str(ORGANIZATIONS),
        "--pi",
        str(SAMPLE_PI),
        "--publish",
        stdout=out,
    )

    assert "15 grants and 5 projects created" in out.getvalue()
    assert "programmes.ProjectParticipant: 10 created" in out.getvalue()
    # Those whose laureate the PI file names: the others wait for theirs.
    assert Grant.objects.public().count() == 2
    assert Grant.objects.get(acronym="GEOFLUIDS").laureate.last_name == (
        "Enciso Carrasco"
    )


def test_the_command_with_another_pic():
    out = io.StringIO()

    call_command(
        "import_cordis",
        projects=str(PROJECTS),
        organizations=str(ORGANIZATIONS),
        pic="900000003",
        stdout=out,
    )

    assert Grant.objects.count() == 3


@pytest.mark.parametrize(
    ("projects", "message"),
    [
        ("project-bad-date.csv", "project-bad-date.csv, "),
        ("no-such-file.csv", "no-such-file.csv"),
    ],
)
def test_the_command_fails_loudly_and_writes_nothing(projects, message):
    with translation.override("en"), pytest.raises(CommandError) as caught:
        call_command(
            "import_cordis",
            projects=str(DATA / projects),
            organizations=str(ORGANIZATIONS),
            stdout=io.StringIO(),
        )

    assert message in str(caught.value)
    assert "Nothing was imported" in str(caught.value)
    assert nothing_written()


def test_the_command_names_every_wrong_line_and_writes_nothing(tmp_path):
    projects = tmp_path / "project.csv"
    projects.write_bytes(with_lines(PROJECTS, *QA_PROJECTS).getvalue())

    with translation.override("fr"), pytest.raises(CommandError) as caught:
        call_command(
            "import_cordis",
            projects=str(projects),
            organizations=str(ORGANIZATIONS),
            stdout=io.StringIO(),
        )

    assert str(caught.value) == "\n  ".join(
        ["Nothing was imported. 2 errors were found:", *QA_PROJECT_ERRORS]
    )
    assert nothing_written()


def test_the_command_speaks_english_whatever_the_site_s_language():
    with translation.override("fr"), pytest.raises(CommandError) as caught:
        call_command(
            "import_cordis",
            projects=str(DATA / "project-bad-date.csv"),
            organizations=str(ORGANIZATIONS),
            stdout=io.StringIO(),
        )

    assert str(caught.value).startswith("Nothing was imported. project-bad-date.csv, ")
    assert "line " in str(caught.value)
    assert "ligne" not in str(caught.value)


# --- The admin page -------------------------------------------------------------------


def staff_with(*codenames) -> User:
    user = User.objects.create_user("staff", password="pw", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="programmes", codename__in=codenames
        )
    )
    return user


IMPORT_PERMISSIONS = ("add_grant", "change_grant", "add_project", "change_project")


def upload(projects_path=PROJECTS, **fields):
    """Return the admin form's data: the two files and the CNRS's PIC, unless given."""
    data = {
        "projects": SimpleUploadedFile(projects_path.name, projects_path.read_bytes()),
        "organizations": SimpleUploadedFile(
            ORGANIZATIONS.name, ORGANIZATIONS.read_bytes()
        ),
        "pic": CNRS,
    }
    return data | fields


@pytest.mark.parametrize("model", ["grant", "project"])
def test_both_changelists_offer_the_import_to_those_allowed(client, model):
    changelist = reverse(f"admin:programmes_{model}_changelist")
    client.force_login(staff_with(*IMPORT_PERMISSIONS, "view_grant", "view_project"))

    assert IMPORT_URL in client.get(changelist).content.decode()

    client.force_login(staff_with_only_view())
    assert IMPORT_URL not in client.get(changelist).content.decode()


def staff_with_only_view() -> User:
    user = User.objects.create_user("reader", password="pw", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_grant", "view_project"])
    )
    return user


def test_the_upload_page_shows_the_form(admin_client):
    response = admin_client.get(IMPORT_URL)

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.fields) == {
        "projects",
        "organizations",
        "investigators",
        "pic",
        "publish",
    }
    assert form["pic"].value() == CNRS


@pytest.mark.parametrize(
    "codenames",
    [
        (),
        ("view_grant", "view_project"),
        ("add_grant", "change_grant", "change_project"),  # cannot add projects
    ],
)
def test_the_upload_page_refuses_staff_without_add_and_change(client, codenames):
    client.force_login(staff_with(*codenames))

    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, upload()).status_code == 403
    assert nothing_written()


def test_staff_who_may_not_publish_import_drafts_only(client):
    client.force_login(staff_with(*IMPORT_PERMISSIONS))

    response = client.get(IMPORT_URL)
    assert "publish" not in response.context["form"].fields

    response = client.post(IMPORT_URL, upload(publish="on"))
    assert response.status_code == 302
    assert Grant.objects.count() == 15
    assert not Grant.objects.public().exists()


def test_an_upload_imports_and_reports_the_counts(admin_client, admin_user, settings):
    # Uploads this large go to temporary files, as the real CORDIS files would.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = admin_client.post(
        IMPORT_URL,
        upload(investigators=SimpleUploadedFile("pi.csv", SAMPLE_PI.read_bytes())),
        follow=True,
    )

    assert response.redirect_chain == [
        (reverse("admin:programmes_project_changelist"), 302)
    ]
    message = str(next(iter(response.context["messages"])))
    assert "15" in message and "5" in message
    assert Grant.objects.count() == 15
    assert Grant.objects.get(acronym="SPENmr").laureate.last_name == "Frydman"
    # The history says who imported.
    assert Grant.history.filter(history_user=admin_user).count() == 15


def test_an_upload_warns_of_the_websites_left_out(admin_client):
    response = admin_client.post(IMPORT_URL, upload(), follow=True)

    warnings = [
        str(message)
        for message in response.context["messages"]
        if message.level == messages.WARNING
    ]
    # EXAMPLE GMBH's "not a web address", named by its file and line.
    assert len(warnings) == 1
    assert "organization.csv" in warnings[0]
    assert ": not a web address" in warnings[0]
    assert Partner.objects.get(pic="900000005").website == ""


def test_an_upload_from_the_grant_list_returns_there(admin_client):
    response = admin_client.post(f"{IMPORT_URL}?from=grant", upload(publish="on"))

    assert response.status_code == 302
    assert response.url == reverse("admin:programmes_grant_changelist")
    # Without the PI file, every laureate is to complete: none is published.
    assert Grant.objects.count() == 15
    assert not Grant.objects.public().exists()


def test_a_bad_upload_is_answered_400_with_the_message_and_nothing_is_written(
    admin_client,
):
    response = admin_client.post(IMPORT_URL, upload(DATA / "project-bad-date.csv"))

    assert response.status_code == 400
    errors = response.context["form"].non_field_errors()
    assert "project-bad-date.csv" in errors[0]
    assert "9" in errors[0] and "startDate" in errors[0]
    assert "project-bad-date.csv" in response.content.decode()
    assert nothing_written()


def qa_upload() -> dict:
    return upload(
        projects=SimpleUploadedFile(
            "project.csv", with_lines(PROJECTS, *QA_PROJECTS).getvalue()
        ),
        organizations=SimpleUploadedFile(
            "organization.csv", with_lines(ORGANIZATIONS, *QA_ORGANIZATIONS).getvalue()
        ),
    )


def test_a_bad_upload_lists_every_wrong_line_in_english(admin_client):
    response = admin_client.post(
        IMPORT_URL, qa_upload(), headers={"accept-language": "en"}
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Nothing was imported. 4 errors were found:"
    ]
    messages = QA_ORGANIZATION_ERRORS + QA_PROJECT_ERRORS
    assert response.context["import_errors"] == messages
    page = " ".join(response.content.decode().split()).replace("> <", "><")
    listed = "".join(f"<li>{escape(message)}</li>" for message in messages)
    assert f'<ul class="errorlist import-errors" id="import_errors">{listed}' in page
    assert nothing_written()


def test_a_bad_upload_lists_every_wrong_line_in_french(admin_client):
    response = admin_client.post(
        IMPORT_URL, qa_upload(), headers={"accept-language": "fr"}
    )

    assert response.status_code == 400
    assert "Rien n’a été importé. 4 erreurs relevées\xa0:" in (
        response.content.decode()
    )
    assert response.context["import_errors"][0] == (
        "organization.csv, ligne 3, champ «\xa0ecContribution\xa0»\xa0: «\xa0abc\xa0» "
        "n’est pas un montant."
    )
    assert nothing_written()


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"pic": "12345"}, "pic"), ({"projects": ""}, "projects")],
)
def test_an_incomplete_form_is_answered_400(admin_client, fields, field):
    response = admin_client.post(IMPORT_URL, upload(**fields))

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert nothing_written()


# --- Contributors change drafts only --------------------------------------------------


@pytest.fixture
def contributor():
    user = User.objects.create_user("contributor", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=Role.CONTRIBUTOR.value))
    return User.objects.get(pk=user.pk)  # fresh permission caches


def test_a_contributor_creates_drafts_and_updates_drafts(contributor):
    tascmar = ProjectFactory(
        cordis_id="634674", acronym="Tascmar", publication_status="draft"
    )

    report = full_import(user=contributor)

    tascmar.refresh_from_db()
    assert tascmar.acronym == "TASCMAR"
    assert report.count(Project, "updated") == 1
    assert not Grant.objects.public().exists()
    assert not Project.objects.public().exists()


def test_a_contributor_import_changing_a_published_project_writes_nothing(
    contributor,
):
    tascmar = ProjectFactory(cordis_id="634674", acronym="Tascmar")
    before = row_counts()

    with translation.override("en"), pytest.raises(CordisImportError) as caught:
        full_import(user=contributor)

    assert str(caught.value) == (
        "project.csv: the import would change 1 published record: project Tascmar "
        "(634674). You may change drafts only: ask an editor to import these files."
    )
    assert row_counts() == before
    tascmar.refresh_from_db()
    assert (tascmar.acronym, tascmar.is_published) == ("Tascmar", True)


def test_a_contributor_may_not_change_a_published_grant(contributor):
    full_import(publish=True)
    grant = Grant.objects.get(acronym="GEOFLUIDS")  # its laureate named: published
    Grant.objects.filter(pk=grant.pk).update(amount=1)

    with pytest.raises(CordisImportError, match=r"GEOFLUIDS \(633152\)"):
        full_import(user=contributor)

    grant.refresh_from_db()
    assert grant.amount == 1


def test_a_contributor_may_not_change_the_participants_of_a_published_project(
    contributor,
):
    full_import(publish=True)
    ProjectParticipant.objects.filter(project__cordis_id="634674").first().delete()
    before = row_counts()

    with pytest.raises(CordisImportError, match=r"TASCMAR \(634674\)"):
        full_import(user=contributor)

    assert row_counts() == before


def without_participant(pic: str) -> io.StringIO:
    """organization.csv without the rows of participant ``pic``."""
    lines = ORGANIZATIONS.read_text(encoding="utf-8").splitlines(keepends=True)
    return io.StringIO("".join(line for line in lines if f";{pic};" not in line))


def test_a_participant_cordis_no_longer_lists_leaves_its_project(admin_user):
    full_import(publish=True)
    matchmaker = Project.objects.get(cordis_id="101091687")
    versions = matchmaker.history.count()

    with translation.override("en"):
        report = import_cordis(
            PROJECTS,
            without_participant("900000007"),
            pi_file=SAMPLE_PI,
            user=admin_user,
        )

    assert set(participants("101091687")) == {"900000003", "900000006"}
    assert report.count(ProjectParticipant, "removed") == 1
    assert report.changed
    assert "1 participants CORDIS no longer lists removed" in report.summary()
    # One version of the project, by the importer, without the participant.
    assert matchmaker.history.count() == versions + 1
    latest = matchmaker.history.latest()
    assert latest.history_user == admin_user
    # The partner itself stays: it may take part in other projects.
    assert Partner.objects.filter(pic="900000007").exists()


def test_an_upload_says_how_many_participants_left(admin_client):
    admin_client.post(IMPORT_URL, upload())
    organizations = without_participant("900000007").getvalue().encode()
    data = upload(organizations=SimpleUploadedFile("organization.csv", organizations))

    response = admin_client.post(IMPORT_URL, data, follow=True)

    infos = [str(m) for m in response.context["messages"] if m.level == messages.INFO]
    assert infos in (
        ["1 participant CORDIS no longer lists was removed from its project."],
        ["1 participant que CORDIS ne liste plus a été retiré de son projet."],
    )


def test_participants_staff_added_by_hand_stay(admin_user):
    full_import()
    matchmaker = Project.objects.get(cordis_id="101091687")
    by_hand = ProjectParticipantFactory(project=matchmaker)

    report = full_import()

    assert matchmaker.participations.filter(pk=by_hand.pk).exists()
    assert not report.changed


def test_participants_imported_before_the_flag_are_marked_then_followed():
    # Rows imported before participants were marked as CORDIS's: the next import
    # marks those it lists, without a version; the one after follows them.
    full_import()
    ProjectParticipant.objects.update(from_cordis=False)
    before = row_counts()

    assert not full_import().changed
    assert row_counts() == before
    assert not ProjectParticipant.objects.filter(from_cordis=False).exists()

    import_cordis(PROJECTS, without_participant("900000007"), pi_file=SAMPLE_PI)
    assert "900000007" not in participants("101091687")


def with_ended_participation(
    project_id: str, pic: str, flags: str = "true;"
) -> io.StringIO:
    """organization.csv where ``pic``'s participation in the project has ended.

    ``flags`` replaces the last two columns, endOfParticipation and active.
    """
    lines = ORGANIZATIONS.read_text(encoding="utf-8").splitlines(keepends=True)
    changed = []
    for line in lines:
        if line.startswith(f"{project_id};") and f";{pic};" in line:
            assert line.endswith(";false;\n")
            line = line.removesuffix("false;\n") + flags + "\n"
        changed.append(line)
    assert changed != lines
    return io.StringIO("".join(changed))


@pytest.mark.parametrize("flags", ["true;", "TRUE;", "false;false", ";false"])
def test_a_participant_that_left_is_not_listed(flags):
    import_cordis(PROJECTS, with_ended_participation("101091687", "900000007", flags))

    assert set(participants("101091687")) == {"900000003", "900000006"}
    # A participant that left one project is not a partner for that alone.
    assert not Partner.objects.filter(pic="900000007").exists()


def test_a_participant_that_left_since_the_last_import_is_removed(admin_user):
    full_import(publish=True)

    report = import_cordis(
        PROJECTS,
        with_ended_participation("101091687", "900000007"),
        pi_file=SAMPLE_PI,
        user=admin_user,
    )

    assert set(participants("101091687")) == {"900000003", "900000006"}
    assert report.count(ProjectParticipant, "removed") == 1


def test_a_participant_with_one_row_still_active_stays():
    # EXAMPLE GMBH is H2GLASS's coordinator and one of its third parties.
    organizations = with_ended_participation("101092153", "900000005")
    text = organizations.getvalue()
    first_ended = text.index(";900000005;")
    line_end = text.index("\n", first_ended)
    assert text[:line_end].endswith(";true;")
    text = text[: line_end - len("true;")] + "false;" + text[line_end:]

    import_cordis(PROJECTS, io.StringIO(text))

    assert participants("101092153")["900000005"] == (
        ParticipantRole.COORDINATOR,
        Decimal("2010000.00"),
    )


def test_a_grant_whose_host_the_participant_no_longer_is_is_skipped():
    organizations = with_ended_participation("101103474", CNRS)

    report = import_cordis(PROJECTS, organizations)

    assert not Grant.objects.filter(cordis_id="101103474").exists()
    assert report.skipped["participation ended"] == 1
    assert report.participation_ended == []


def test_a_record_imported_before_the_participation_ended_is_named_and_kept(
    admin_client,
):
    full_import(publish=True)
    before = row_counts()
    organizations = with_ended_participation("634674", CNRS).getvalue().encode()
    data = upload(organizations=SimpleUploadedFile("organization.csv", organizations))

    response = admin_client.post(IMPORT_URL, data, follow=True)

    warnings = [
        str(m) for m in response.context["messages"] if m.level == messages.WARNING
    ]
    assert warnings in (
        [
            "CORDIS says the participation in 1 record imported before has ended. "
            "It was left as it is, for you to keep or unpublish: TASCMAR "
            "(project 634674)."
        ],
        [
            "CORDIS indique que la participation à 1\xa0fiche importée auparavant a "
            "pris fin. Elle a été laissée telle quelle, à conserver ou dépublier\xa0: "
            "TASCMAR (projet 634674)."
        ],
    )
    assert row_counts() == before
    assert Project.objects.get(cordis_id="634674").is_published


def test_a_participation_flag_that_is_neither_true_nor_false_is_refused():
    organizations = with_ended_participation("101091687", "900000007", "maybe;")

    with pytest.raises(CordisImportError) as caught:
        import_cordis(PROJECTS, organizations)

    assert (caught.value.file, caught.value.field) == (
        "organization.csv",
        "endOfParticipation",
    )
    assert "maybe" in caught.value.problem
    assert nothing_written()


def test_a_contributor_may_not_remove_the_participants_of_a_published_project(
    contributor,
):
    full_import(publish=True)
    before = row_counts()

    with pytest.raises(CordisImportError, match=r"MatCHMaker \(101091687\)"):
        import_cordis(
            PROJECTS,
            without_participant("900000007"),
            pi_file=SAMPLE_PI,
            user=contributor,
        )

    assert row_counts() == before


def test_a_contributor_may_import_files_that_change_no_published_record(contributor):
    full_import(publish=True)

    report = full_import(user=contributor)

    assert not report.changed


def test_the_refusal_names_the_first_few_published_records(contributor):
    full_import(publish=True)
    # As if staff had chosen every laureate and published the grants.
    Grant.objects.update(amount=1, publication_status=PublicationStatus.PUBLISHED)

    with translation.override("en"), pytest.raises(CordisImportError) as caught:
        full_import(user=contributor)

    message = str(caught.value)
    assert message.startswith("project.csv: the import would change 15 published ")
    assert message.count("grant ") == 5
    assert "; …. You may change drafts only" in message
    assert not Grant.objects.exclude(amount=1).exists()


def test_an_editor_updates_published_records():
    editor = User.objects.create_user("editor", is_staff=True)
    editor.groups.add(Group.objects.get(name=Role.EDITOR.value))
    ProjectFactory(cordis_id="634674", acronym="Tascmar")

    report = full_import(user=User.objects.get(pk=editor.pk))

    assert report.count(Project, "updated") == 1
    assert Project.objects.get(cordis_id="634674").acronym == "TASCMAR"


def test_the_upload_page_refuses_a_contributor_s_change_to_a_published_project(
    client, contributor
):
    ProjectFactory(cordis_id="634674", acronym="Tascmar")
    before = row_counts()
    client.force_login(contributor)

    response = client.post(IMPORT_URL, upload())

    assert response.status_code == 400
    (error,) = response.context["form"].non_field_errors()
    assert "Tascmar (634674)" in error
    assert row_counts() == before


# --- Values the models cannot hold, projects listed twice -----------------------------


def projects_with(old: str, new: str) -> io.BytesIO:
    text = PROJECTS.read_text(encoding="utf-8-sig")
    assert old in text
    return io.BytesIO(text.replace(old, new, 1).encode())


@pytest.mark.parametrize(
    ("acronym", "line"),
    [("NEOPLASTICS", 2), ("TASCMAR", 8)],  # a grant, a project
)
def test_an_acronym_too_long_is_refused_not_clipped(acronym, line):
    projects = projects_with(f";{acronym};", f";{'X' * 100_000};")

    with pytest.raises(CordisImportError) as caught:
        import_cordis(projects, ORGANIZATIONS)

    assert (caught.value.line, caught.value.field) == (line, "acronym")
    assert "100" in caught.value.problem
    assert len(str(caught.value)) < 200
    assert nothing_written()


def test_an_acronym_of_100_characters_is_kept_whole():
    import_cordis(projects_with(";TASCMAR;", f";{'T' * 100};"), ORGANIZATIONS)

    assert Project.objects.get(cordis_id="634674").acronym == "T" * 100


TASCMAR_TITLE = (
    "Tools And Strategies to access to original bioactive compounds from "
    "Cultivation of MARine invertebrates and associated symbionts"
)
TOO_LONG_TITLE = "T" * 501


@pytest.mark.parametrize(
    ("old", "new", "line", "subject"),
    [
        # A grant whose title is empty in the file, a project with one.
        (
            ";NEOPLASTICS;SIGNED;;",
            f";NEOPLASTICS;SIGNED;{TOO_LONG_TITLE};",
            2,
            "grant 101103474",
        ),
        (f";{TASCMAR_TITLE};", f";{TOO_LONG_TITLE};", 8, "project 634674"),
    ],
    ids=["grant", "project"],
)
def test_a_title_too_long_is_refused_not_clipped(old, new, line, subject):
    with translation.override("en"), pytest.raises(CordisImportError) as caught:
        import_cordis(projects_with(old, new), ORGANIZATIONS)

    error = caught.value
    assert (error.line, error.subject, error.field) == (line, subject, "title")
    assert "500" in error.problem
    assert f"line {line}, {subject}, field “title”" in str(error)
    assert nothing_written()


def test_a_title_of_500_characters_is_kept_whole():
    import_cordis(projects_with(f";{TASCMAR_TITLE};", f";{'T' * 500};"), ORGANIZATIONS)

    assert Project.objects.get(cordis_id="634674").title_en == "T" * 500


# A partner's details come from its first row: HERC's is BILASURF's, line 3.


def test_a_short_name_of_50_characters_is_the_acronym():
    import_cordis(PROJECTS, organizations_with(";HERC;", f";{'H' * 50};"))

    assert Partner.objects.get(pic="900000001").acronym == "H" * 50


def test_a_short_name_too_long_for_an_acronym_is_kept_as_the_original_name():
    name = "Hellenic Example Research Centre for Marine and Coastal Studies"
    assert len(name) > 50

    import_cordis(PROJECTS, organizations_with(";HERC;", f";{name};"))

    greek = Partner.objects.get(pic="900000001")
    assert (greek.acronym, greek.original_name) == ("", name)


def test_a_short_name_repeating_a_long_legal_name_is_not_copied():
    name = "HELLENIC EXAMPLE RESEARCH CENTRE FOR MARINE AND COASTAL STUDIES"
    organizations = organizations_with(
        ";HELLENIC EXAMPLE RESEARCH CENTRE;HERC;", f";{name};{name.title()};"
    )

    import_cordis(PROJECTS, organizations)

    greek = Partner.objects.get(pic="900000001")
    assert (greek.name_en, greek.acronym, greek.original_name) == (
        "Hellenic Example Research Centre for Marine and Coastal Studies",
        "",
        "",
    )


def test_a_short_name_too_long_for_the_original_name_is_refused():
    organizations = organizations_with(";HERC;", f";{'H' * 256};")

    with translation.override("en"), pytest.raises(CordisImportError) as caught:
        import_cordis(PROJECTS, organizations)

    error = caught.value
    assert (error.file, error.line, error.field) == ("organization.csv", 3, "shortName")
    assert error.subject == "partner institution 900000001"
    assert "255" in error.problem
    assert nothing_written()


def test_a_web_address_too_long_is_refused_not_dropped():
    url = f"www.example-research.gr/{'a' * 500}"
    organizations = organizations_with(";www.example-research.gr;", f";{url};")

    with pytest.raises(CordisImportError) as caught:
        import_cordis(PROJECTS, organizations)

    error = caught.value
    assert (error.line, error.field) == (3, "organizationURL")
    assert "500" in error.problem
    assert nothing_written()


def test_a_project_listed_twice_is_refused():
    text = PROJECTS.read_text(encoding="utf-8-sig")
    neoplastics = text.splitlines()[1]
    projects = io.BytesIO(f"{text.rstrip()}\n{neoplastics}\n".encode())

    with translation.override("en"), pytest.raises(CordisImportError) as caught:
        import_cordis(projects, ORGANIZATIONS)

    # NEOPLASTICS again, on the last line: 25 (27 in an editor).
    assert (caught.value.field, caught.value.line) == ("id", 25)
    assert caught.value.problem == "the same project id as line 2."
    assert nothing_written()


def test_an_error_says_where_it_lies_with_french_typography():
    error = CordisImportError("valeur absente", file="project.csv", line=4, field="id")

    with translation.override("en"):
        assert str(
            CordisImportError("missing value", file="project.csv", line=4, field="id")
        ) == ("project.csv, line 4, field “id”: missing value")
    # Translated when raised: French puts a no-break space before the colon.
    assert str(error) == (
        "project.csv, ligne 4, champ «\u00a0id\u00a0»\u00a0: valeur absente"
    )


@pytest.mark.parametrize(
    ("parse", "column"),
    [
        (cordis.parse_cordis_id, "projectID"),
        (cordis.parse_pic, "organisationID"),
        (cordis.parse_country, "country"),
    ],
)
def test_an_empty_required_field_is_said_to_be_empty(parse, column):
    # Not "“” is not a participant code": no value to quote.
    record = cordis.Record("organization.csv", 3, {column: ""})
    with translation.override("en"), pytest.raises(CordisImportError) as caught:
        parse(record, column)
    assert str(caught.value) == (
        f"organization.csv, line 3, field “{column}”: this field is empty."
    )


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("fr", "CORDIS (lauréat ou lauréate à compléter)"),
        ("en", "CORDIS (laureate to be completed)"),
    ],
)
def test_the_placeholder_laureate_is_named_in_the_admins_language(
    admin_client, language, name
):
    # Stored in English (no migration of the data): shown in the page's language.
    full_import()
    placeholder = Person.objects.get(**PLACEHOLDER_LAUREATE)
    with translation.override(language):
        assert str(placeholder) == name

    changelist = admin_client.get(
        reverse("admin:programmes_grant_changelist"), HTTP_ACCEPT_LANGUAGE=language
    )

    assert f'<td class="field-laureate nowrap">{name}</td>' in changelist.text


@pytest.mark.parametrize(
    "projects, organizations, bad_file, looks_like",
    [
        # The participants file is read first.
        ("organization.csv", "project.csv", "project.csv", "project.csv"),
        ("project.csv", SAMPLE_PI.name, SAMPLE_PI.name, "erc-pi.csv"),
    ],
)
def test_a_file_given_for_another_is_recognised_by_its_columns(
    projects, organizations, bad_file, looks_like
):
    source = {"organization.csv": ORGANIZATIONS, "project.csv": PROJECTS}
    with pytest.raises(CordisImportError) as caught, translation.override("fr"):
        import_cordis(
            source.get(projects, DATA / projects),
            source.get(organizations, DATA / organizations),
            pi_file=SAMPLE_PI,
        )

    error = caught.value
    assert (error.file, error.line, error.field) == (bad_file, 1, "")
    assert (
        f"ce fichier a les colonnes de {looks_like}, non celles du fichier attendu "
        "ici\xa0: les fichiers sont-ils inversés\xa0?" in str(error)
    )
    assert nothing_written()


def test_the_import_s_message_links_to_what_it_created_and_updated(admin_client):
    response = admin_client.post(
        IMPORT_URL, upload(), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    message = str(next(iter(response.context["messages"])))
    links = dict(
        (text, address.replace("&amp;", "&"))
        for address, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', message)
    )
    created_grants = links["15 grants created"]
    created_projects = links["5 projects created"]
    assert created_grants.startswith(reverse("admin:programmes_grant_changelist"))
    # Every version the import wrote has its moment: the lists hold them all.
    listed = admin_client.get(created_grants).context["cl"]
    assert set(listed.queryset) == set(Grant.objects.all())
    listed = admin_client.get(created_projects).context["cl"]
    assert set(listed.queryset) == set(Project.objects.all())

    changed = Grant.objects.get(acronym="SPENmr")
    Grant.objects.filter(pk=changed.pk).update(end_date=datetime.date(2030, 1, 1))
    response = admin_client.post(
        IMPORT_URL, upload(), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    message = str(next(iter(response.context["messages"])))
    [(address, text)] = re.findall(r'<a href="([^"]+)">([^<]+)</a>', message)
    assert text == "1 grant updated"
    listed = admin_client.get(address.replace("&amp;", "&")).context["cl"]
    assert list(listed.queryset) == [changed]
    assert "0 grants created" in message and "0 projects updated" in message


def test_the_import_s_message_is_french_with_its_links(admin_client):
    response = admin_client.post(
        IMPORT_URL, upload(), follow=True, HTTP_ACCEPT_LANGUAGE="fr"
    )
    message = str(next(iter(response.context["messages"])))
    assert message.startswith("Import CORDIS\u00a0: <a href=")
    assert ">15 financements créés</a>, <a href=" in message
    assert ">5 projets créés</a>, 0 financement mis à jour" in message
