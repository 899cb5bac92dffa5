"""Spreadsheet import and export (django-import-export) through the admin.

The import previews the file (a dry run that writes nothing), tells new, changed and
unchanged rows apart with each row's errors, and writes every row or none; exports
hold both languages and escape formulas; roles decide who imports and what is
exported. Sample files are in tests/data/spreadsheets/.
"""

import codecs
import csv
import datetime
import io
import tempfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django import forms
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.text import capfirst
from pytest_django.asserts import assertInHTML

from cnrs_intl.models import StaffProfile
from partners import spreadsheets
from partners.caching import content_version
from partners.models import Partner, PreviewedImport
from partners.publication import PublicationStatus
from partners.resources import PartnerResource, escape_formula, unescape_formula
from partners.roles import Role
from programmes.models import Grant, Project
from tests.admin_forms import admin_url, form_data
from tests.factories import (
    GrantFactory,
    InstituteFactory,
    PartnerFactory,
    PersonFactory,
    ProgrammeFactory,
    ProjectFactory,
    UnitFactory,
)
from units.models import Unit

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "spreadsheets"
CSV, XLSX = "0", "1"  # the formats' indexes in the admin's forms
PUBLISHED, DRAFT = PublicationStatus.PUBLISHED, PublicationStatus.DRAFT


# Helpers ---------------------------------------------------------------------------


def staff(role: Role, name: str | None = None, institutes=()) -> User:
    user = User.objects.create_user(name or role.value, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role.value))
    if institutes:
        StaffProfile.objects.create(user=user).institutes.set(institutes)
    return user


def login(client, user):
    client.force_login(user)
    return client


def preview(client, model, content: bytes, name: str, file_format: str = CSV):
    """Upload a file to the import page: the dry run and its preview."""
    upload = SimpleUploadedFile(name, content)
    return client.post(
        admin_url(model, "import"),
        {"resource": "0", "format": file_format, "import_file": upload},
    )


def confirm(client, model, response):
    """Confirm the import previewed in ``response``."""
    form = response.context["confirm_form"]
    return client.post(admin_url(model, "process_import"), form.initial)


def totals(response) -> dict:
    result = response.context["result"]
    return {kind: count for kind, count in result.totals.items() if count}


def export(client, model, file_format: str = CSV, query: str = "") -> bytes:
    """Export every column of the list (with its filters in ``query``)."""
    url = admin_url(model, "export") + query
    form = client.get(url).context["form"]
    data = {
        name: "on"
        for name, field in form.fields.items()
        if isinstance(field, forms.BooleanField) and field.initial
    }
    response = client.post(url, {**data, "resource": "0", "format": file_format})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return (
        b"".join(response.streaming_content)
        if response.streaming
        else (response.content)
    )


def csv_rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(content: bytes) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def to_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def to_xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(name="japan")
def japan_in_partners_csv():
    """The two partners of partners.csv already recorded: RIKEN as in the file,
    Kyoto University with another English city."""
    riken = PartnerFactory(
        slug="riken",
        name_fr="RIKEN",
        name_en="RIKEN",
        acronym="RIKEN",
        kind="research_organisation",
        city_fr="Wakō",
        city_en="Wako",
        ror_id="01sjwvz98",
    )
    kyoto = PartnerFactory(
        slug="kyoto-university",
        name_fr="Université de Kyoto",
        name_en="Kyoto University",
        acronym="KyotoU",
        city_fr="Kyoto",
        city_en="Kyoto",
        ror_id="02kpeqv85",
    )
    return riken, kyoto


# The preview and the import -------------------------------------------------------


def test_csv_preview_counts_new_changed_unchanged_rows_and_writes_nothing(
    admin_client, japan
):
    response = preview(
        admin_client, Partner, (DATA / "partners.csv").read_bytes(), "p.csv"
    )

    assert response.status_code == 200
    assert totals(response) == {"new": 1, "update": 1, "skip": 1}
    summary = " ".join(response.content.decode().split())
    assert "1 nouvelle ligne, 1 modifiée, 1 inchangée." in summary
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    again = preview(admin_client, Partner, (DATA / "partners.csv").read_bytes(), "p")
    assert "1 new row, 1 changed, 1 unchanged." in " ".join(
        again.content.decode().split()
    )
    assert response.context["confirm_form"] is not None
    # The dry run wrote nothing, history included.
    assert not Partner.objects.filter(slug="university-of-tokyo").exists()
    assert Partner.objects.get(slug="kyoto-university").city_en == "Kyoto"
    assert Partner.history.count() == 2


def test_confirming_writes_the_rows_with_their_history(admin_client, admin_user, japan):
    response = preview(
        admin_client, Partner, (DATA / "partners.csv").read_bytes(), "p.csv"
    )
    response = confirm(admin_client, Partner, response)

    assert response.status_code == 302
    assert response["Location"] == admin_url(Partner, "changelist")
    tokyo = Partner.objects.get(slug="university-of-tokyo")
    assert (tokyo.name_fr, tokyo.name_en) == (
        "Université de Tokyo",
        "University of Tokyo",
    )
    assert tokyo.ror_id == "057zh3y96"
    assert tokyo.publication_status == PUBLISHED  # an administrator may publish
    kyoto = Partner.objects.get(slug="kyoto-university")
    assert (kyoto.city_fr, kyoto.city_en) == ("Kyoto", "Kyoto (Japan)")
    # One history entry per written row, by the importing user; none for RIKEN.
    entries = Partner.history.filter(history_user=admin_user)
    assert sorted(entries.values_list("slug", "history_type")) == [
        ("kyoto-university", "~"),
        ("university-of-tokyo", "+"),
    ]
    assert set(entries.values_list("history_change_reason", flat=True)) == {
        "Spreadsheet import"
    }
    assert entries.get(slug="kyoto-university").city_en == "Kyoto (Japan)"
    # The preview's words, in French: not django-import-export's "1 nouveaux, …".
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Importation terminée\xa0: 1 nouvelle ligne, 1 modifiée, 1 inchangée."
    ]


def test_an_xlsx_file_imports_like_a_csv_file(admin_client, japan):
    parent = japan[0]  # any parent will do
    content = to_xlsx(
        [
            [
                "slug",
                "name_fr",
                "name_en",
                "kind",
                "country",
                "city_fr",
                "latitude",
                "longitude",
                "established",
                "parent",
            ],
            [
                "osaka-university",
                "Université d'Osaka",
                "Osaka University",
                "university",
                "jp",
                "Osaka",
                34.8225,
                135.5244,
                1931,
                parent.slug,
            ],
        ]
    )

    response = preview(admin_client, Partner, content, "partners.xlsx", XLSX)
    assert totals(response) == {"new": 1}
    confirm(admin_client, Partner, response)

    osaka = Partner.objects.get(slug="osaka-university")
    assert (osaka.name_fr, osaka.name_en) == ("Université d'Osaka", "Osaka University")
    assert osaka.country.code == "JP"
    assert osaka.latitude == Decimal("34.8225")
    assert osaka.established == 1931
    assert osaka.parent == parent
    assert not osaka.city_en  # a column left out is left alone


def test_a_file_with_an_invalid_row_shows_its_error_and_writes_nothing(
    admin_client, japan
):
    content = (DATA / "partners_bad_ror_id.csv").read_bytes()
    response = preview(admin_client, Partner, content, "bad.csv")

    assert response.status_code == 200
    result = response.context["result"]
    assert result.has_validation_errors()
    assert "confirm_form" not in response.context  # no way to write it
    [invalid] = result.invalid_rows
    assert invalid.number == 3  # the second row, under the header: line 3
    page = response.content.decode()
    assert "Un identifiant ROR compte 9 caractères" in page  # the constraint's message
    assert not Partner.objects.filter(slug="osaka-university").exists()


def test_a_grant_with_a_negative_amount_is_refused_with_the_whole_file(admin_client):
    ProgrammeFactory(slug="horizon-2020")
    InstituteFactory(code="INP")
    PersonFactory(orcid="0000-0002-1825-0097")

    content = (DATA / "grants_negative_amount.csv").read_bytes()
    response = preview(admin_client, Grant, content, "grants.csv")

    result = response.context["result"]
    assert [row.number for row in result.invalid_rows] == [3]
    assert "amount" in result.invalid_rows[0].field_specific_errors or (
        result.invalid_rows[0].non_field_specific_errors
    )
    assert "confirm_form" not in response.context
    assert not Grant.objects.exists()


def test_a_file_without_the_slug_column_is_refused_with_a_message(admin_client):
    # A CORDIS file has no slug.
    content = b"id,acronym,title\n101001234,TASCMAR,Tools and strategies\n"
    response = preview(admin_client, Partner, content, "partners.csv")
    page = response.content.decode()
    assert (
        "The file has no “slug” column" in page
        or "pas de colonne «\xa0slug\xa0»" in page
    )
    assert "Traceback" not in page and "site-packages" not in page
    assert "confirm_form" not in response.context
    assert not Partner.objects.exists()


def refusal(response) -> str:
    """The import form's error on its file, the preview not made."""
    assert response.status_code == 200
    assert "result" not in response.context and "confirm_form" not in response.context
    assert not PreviewedImport.objects.exists()
    [error] = response.context["form"].errors["import_file"]
    assert escape(error) in response.content.decode()  # shown beside the file
    return error


@pytest.mark.parametrize("limit, kept", [(3, True), (2, False)])
def test_a_csv_file_of_more_rows_than_the_limit_is_refused_before_its_preview(
    admin_client, settings, limit, kept
):
    # partners.csv holds three rows under its header, one with a quoted line break.
    settings.SPREADSHEET_MAX_ROWS = limit
    rows = csv_rows((DATA / "partners.csv").read_bytes())
    rows[0]["city_en"] = "Tokyo\n(Hongo campus)"

    response = preview(admin_client, Partner, to_csv(rows), "p.csv")

    if kept:
        assert response.context["confirm_form"] is not None
    else:
        assert refusal(response) in {
            "The file has 3 rows: a spreadsheet may have 2 rows at most. Split it "
            "into several files.",
            "Le fichier a 3 lignes\xa0: un tableau en a 2 au plus. Divisez-le en "
            "plusieurs fichiers.",
        }


def test_a_csv_files_blank_lines_do_not_count_toward_the_limit(admin_client, settings):
    # Three rows under the header, and blank lines among them and after them.
    content = to_csv(csv_rows((DATA / "partners.csv").read_bytes()))
    lines = content.splitlines(keepends=True)
    content = b"".join([*lines[:2], b"\r\n", *lines[2:], b",,,\r\n", b"\r\n"])
    settings.SPREADSHEET_MAX_ROWS = 2

    error = refusal(preview(admin_client, Partner, content, "p.csv"))

    assert error.startswith(("The file has 3 rows:", "Le fichier a 3 lignes\xa0:"))
    settings.SPREADSHEET_MAX_ROWS = 3
    response = preview(admin_client, Partner, content, "p.csv")
    assert response.context["confirm_form"] is not None


def test_an_xlsx_file_of_more_rows_than_the_limit_is_refused(admin_client, settings):
    settings.SPREADSHEET_MAX_ROWS = 1_000
    content = to_xlsx([["slug", "name_fr"], *([f"p{i}", "P"] for i in range(1_001))])

    response = preview(admin_client, Partner, content, "p.xlsx", XLSX)

    # 1,001 in English, 1 001 in French (a non-breaking space).
    error = refusal(response).replace(",", " ").replace("\xa0", " ")
    assert "1 001" in error and "1 000" in error


def test_a_file_larger_than_the_limit_is_refused_unread(admin_client, settings):
    settings.SPREADSHEET_MAX_BYTES = 100
    content = (DATA / "partners.csv").read_bytes()
    assert len(content) > 100

    response = preview(admin_client, Partner, content, "p.csv")

    error = refusal(response)
    assert "100" in error and "Split it" in error or "Divisez-le" in error


@pytest.mark.parametrize(
    "content, file_format, message",
    [
        # django-import-export said "'BadZipFile' encountered while trying to read…".
        (
            b"slug,name_fr\nriken,RIKEN\n",
            XLSX,
            ("cannot be read as XLSX", "lu en XLSX"),
        ),
        (
            # UTF-8 damaged, as two files pasted together: read as Windows-1252,
            # its UTF-8 accents would be garbled.
            "slug,city_fr\nriken,Wakō\n".encode() + "ecole,Créteil\n".encode("cp1252"),
            CSV,
            ("neither UTF-8 nor Windows-1252", "ni en UTF-8 ni en Windows-1252"),
        ),
        (
            b'slug,name_fr\nriken,"' + b"x" * 140_000 + b'"\n',
            CSV,
            ("longer than 128 KB", "dépasse 128 Ko"),
        ),
    ],
)
def test_an_unreadable_file_is_explained_and_not_kept(
    admin_client, settings, content, file_format, message
):
    settings.SPREADSHEET_MAX_BYTES = 1024 * 1024

    response = preview(admin_client, Partner, content, "p", file_format)

    assert response.status_code == 200
    [error] = response.context["form"].errors["import_file"]
    assert message[0] in error or message[1] in error  # the admin's language
    assert "encountered" not in response.content.decode()
    assert not PreviewedImport.objects.exists()


def test_a_nul_character_is_a_row_error(admin_client, japan):
    # PostgreSQL's text cannot hold it: the lookup of the row's slug failed.
    content = b"slug,name_fr,name_en\nriken,RI\x00KEN,RIKEN\n"

    response = preview(admin_client, Partner, content, "p.csv")

    result = response.context["result"]
    [(line, [error])] = result.row_errors()
    assert line == 2
    assert str(error.error) in (
        "The “name_fr” cell holds a NUL character (\\x00), which is not text.",
        "La cellule «\xa0name_fr\xa0» contient un caractère NUL (\\x00), qui n’est pas "
        "du texte.",
    )
    assert "confirm_form" not in response.context
    assert Partner.objects.get(slug="riken").name_fr == "RIKEN"


def test_a_preview_with_errors_keeps_no_file(admin_client, japan):
    content = (DATA / "partners_bad_ror_id.csv").read_bytes()

    response = preview(admin_client, Partner, content, "bad.csv")

    assert response.context["result"].has_validation_errors()
    assert not PreviewedImport.objects.exists()


def test_a_slug_on_two_rows_refuses_the_whole_file(admin_client):
    rows = csv_rows((DATA / "partners.csv").read_bytes())
    rows.append({**rows[0], "name_en": "Another University of Tokyo"})
    response = preview(admin_client, Partner, to_csv(rows), "partners.csv")
    page = response.content.decode()
    assert "university-of-tokyo" in page
    assert "confirm_form" not in response.context
    assert "Traceback" not in page
    assert not Partner.objects.exists()


@pytest.mark.parametrize(
    "link",
    ["https://ror.org/035t8zc32", "https://ror.org/035t8zc32/", "ror.org/035t8zc32"],
)
def test_a_ror_id_may_be_given_as_its_url(admin_client, link):
    # As the partner form takes it: with a final slash too.
    row = {"slug": "osaka", "name_fr": "Osaka", "kind": "university", "country": "JP"}
    row["ror_id"] = link

    confirm(
        admin_client, Partner, preview(admin_client, Partner, to_csv([row]), "p.csv")
    )

    assert Partner.objects.get(slug="osaka").ror_id == "035t8zc32"


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (
            "country",
            "Japon",
            "«\xa0Japon\xa0» n’est pas un code de pays\xa0: utilisez deux lettres, "
            "comme JP.",
        ),
        (
            "kind",
            "castle",
            "«\xa0castle\xa0» n’est pas l’une des valeurs de cette colonne\xa0: "
            "university, research_organisation, company, funding_agency, "
            "public_body, international_organisation, other.",
        ),
    ],
)
def test_a_value_not_among_a_column_s_is_named_as_typed(
    admin_client, column, value, message
):
    row = {"slug": "osaka-university", "name_fr": "Université d'Osaka"}
    row |= {"kind": "university", "country": "JP", column: value}

    response = preview(admin_client, Partner, to_csv([row]), "bad.csv")

    # Not Django's « 'JAPON' », its quotes doubled and the text upper-cased.
    [invalid] = response.context["result"].invalid_rows
    assert invalid.field_specific_errors[column] == [message]


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("ror_id", "not-a-ror"),  # a database constraint
        ("kind", "castle"),  # an unknown choice
        ("country", "ZZ"),  # an unknown country
        ("parent", "no-such-partner"),  # an unknown related record
        ("latitude", "north"),  # not a number
        ("slug", ""),  # no natural key
    ],
)
def test_each_kind_of_bad_value_is_a_row_error(admin_client, column, value):
    row = {
        "slug": "osaka-university",
        "name_fr": "Université d'Osaka",
        "kind": "university",
        "country": "JP",
        "ror_id": "035t8zc32",
        "parent": "",
        "latitude": "34.8",
        column: value,
    }
    response = preview(admin_client, Partner, to_csv([row]), "bad.csv")

    assert response.status_code == 200
    assert response.context["result"].has_validation_errors()
    assert not Partner.objects.exists()


@pytest.mark.parametrize(
    ("model", "factory"),
    [(Partner, PartnerFactory), (Unit, UnitFactory), (Project, ProjectFactory)],
)
@pytest.mark.parametrize("website", ["ftp://ftp.example.org/", "javascript:alert(1)"])
def test_a_website_not_in_http_or_https_is_a_row_error(
    admin_client, model, factory, website
):
    record = factory(website="https://www.example.org/")
    rows = csv_rows(export(admin_client, model))
    rows[0]["website"] = website

    response = preview(admin_client, model, to_csv(rows), "file.csv")

    [invalid] = response.context["result"].invalid_rows
    assert invalid.number == 2
    # The scheme is named, whichever language the message is in.
    assert "http:// " in invalid.field_specific_errors["website"][-1]
    assert "https://" in invalid.field_specific_errors["website"][-1]
    assert "confirm_form" not in response.context
    record.refresh_from_db()
    assert record.website == "https://www.example.org/"


def test_grant_dates_must_be_in_order(admin_client):
    grant = GrantFactory()
    rows = csv_rows(export(admin_client, Grant))
    rows[0]["end_date"] = "2001-01-01"

    response = preview(admin_client, Grant, to_csv(rows), "grants.csv")

    assert response.context["result"].has_validation_errors()
    grant.refresh_from_db()
    assert grant.end_date == datetime.date(2021, 12, 31)


def test_a_grants_call_year_is_not_after_its_start(admin_client):
    grant = GrantFactory(call_year=2016, start_date=datetime.date(2017, 1, 1))
    rows = csv_rows(export(admin_client, Grant))
    rows[0]["call_year"] = "2018"

    response = preview(admin_client, Grant, to_csv(rows), "grants.csv")

    [invalid] = response.context["result"].invalid_rows
    assert invalid.field_specific_errors["call_year"]
    grant.refresh_from_db()
    assert grant.call_year == 2016


def test_a_row_made_invalid_between_preview_and_confirmation_writes_nothing(
    admin_client, japan
):
    response = preview(
        admin_client, Partner, (DATA / "partners.csv").read_bytes(), "p.csv"
    )
    # Meanwhile someone records another partner with the new one's ROR id.
    PartnerFactory(ror_id="057zh3y96")

    response = confirm(admin_client, Partner, response)

    assert response.status_code == 302
    assert response["Location"] == admin_url(Partner, "import")
    assert not Partner.objects.filter(slug="university-of-tokyo").exists()
    assert Partner.objects.get(slug="kyoto-university").city_en == "Kyoto"


@pytest.mark.parametrize("at_once", [False, True])
def test_an_import_confirmed_twice_is_refused_the_second_time(
    admin_client, japan, monkeypatch, at_once
):
    # The confirmed import removes the file previewed: a second confirmation (the
    # button pressed twice, or the page sent again) found no file, a 500. At once,
    # both found the file kept, and the first took it.
    response = preview(
        admin_client, Partner, (DATA / "partners.csv").read_bytes(), "p.csv"
    )
    if at_once:
        monkeypatch.setattr(spreadsheets, "is_kept", lambda name: True)
    assert confirm(admin_client, Partner, response).status_code == 302
    history = Partner.history.count()

    again = admin_client.post(
        admin_url(Partner, "process_import"),
        response.context["confirm_form"].initial,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert again.status_code == 400
    page = again.content.decode()
    assert "Nothing was imported. The file previewed is no longer kept" in page
    assert admin_url(Partner, "import") in page
    assert Partner.history.count() == history


def test_any_server_may_confirm_the_preview_another_made(
    admin_client, japan, tmp_path, monkeypatch
):
    # Each app server has its own temporary folder; the preview is in the database.
    response = preview(
        admin_client, Partner, (DATA / "partners.csv").read_bytes(), "p.csv"
    )
    name = response.context["confirm_form"].initial["import_file_name"]
    assert (
        bytes(PreviewedImport.objects.get(name=name).content)
        == (DATA / "partners.csv").read_bytes()
    )
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    assert confirm(admin_client, Partner, response).status_code == 302

    assert Partner.objects.filter(slug="university-of-tokyo").exists()
    assert not PreviewedImport.objects.exists()
    assert not list(tmp_path.iterdir())


def test_a_preview_leaves_the_cached_pages_alone_and_the_import_does_not(
    admin_client, japan
):
    # The dry run saves rows then rolls them back: it took a new content version,
    # and every cached page was built again.
    version = content_version()

    response = preview(
        admin_client, Partner, (DATA / "partners.csv").read_bytes(), "p.csv"
    )
    assert totals(response) == {"new": 1, "update": 1, "skip": 1}
    assert content_version() == version

    confirm(admin_client, Partner, response)
    assert content_version() != version


def test_keeping_a_file_leaves_the_cached_pages_alone():
    # It is no public content.
    version = content_version()
    spreadsheets.DatabaseStorage().save(b"slug\n")
    spreadsheets.take(PreviewedImport.objects.get().name)
    assert content_version() == version


def test_a_preview_left_a_day_unconfirmed_is_removed_by_the_next(admin_client, japan):
    content = (DATA / "partners.csv").read_bytes()
    old = preview(admin_client, Partner, content, "p.csv")
    PreviewedImport.objects.update(
        created=timezone.now() - datetime.timedelta(days=1, minutes=1)
    )
    recent = preview(admin_client, Partner, content, "p.csv")

    assert confirm(admin_client, Partner, old).status_code == 400
    assert PreviewedImport.objects.count() == 1
    assert confirm(admin_client, Partner, recent).status_code == 302


@pytest.mark.parametrize("file_format", ["2", "-1", "abc", "9" * 5000])
def test_a_confirmation_in_a_format_not_offered_is_refused(
    admin_client, japan, file_format
):
    response = preview(
        admin_client, Partner, (DATA / "partners.csv").read_bytes(), "p.csv"
    )
    data = {**response.context["confirm_form"].initial, "format": file_format}

    refused = admin_client.post(
        admin_url(Partner, "process_import"), data, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert refused.status_code == 400
    assert "This file format is not one of those offered." in refused.content.decode()
    assert not Partner.objects.filter(slug="university-of-tokyo").exists()
    # The file is kept: the confirmation as previewed still imports it.
    assert confirm(admin_client, Partner, response).status_code == 302
    assert Partner.objects.filter(slug="university-of-tokyo").exists()


# Exports ---------------------------------------------------------------------------


def test_exports_hold_both_languages_and_escape_formulas(admin_client):
    PartnerFactory(
        slug="evil",
        name_fr='=HYPERLINK("http://evil.example","cliquez")',
        name_en="+cmd|' /C calc'!A0",
        acronym="@SUM(1+1)",
        city_fr="Tōkyō",
        city_en="-2+3",
        latitude=Decimal("-33.868800"),
        established=1877,
    )

    for rows in (
        csv_rows(export(admin_client, Partner, CSV)),
        xlsx_rows(export(admin_client, Partner, XLSX)),
    ):
        [row] = rows
        assert row["name_fr"] == '\'=HYPERLINK("http://evil.example","cliquez")'
        assert row["name_en"] == "'+cmd|' /C calc'!A0"
        assert row["acronym"] == "'@SUM(1+1)"
        assert row["city_fr"] == "Tōkyō"
        assert row["city_en"] == "'-2+3"
        # Numbers are not text: a negative latitude stays a number, with a dot.
        assert row["latitude"] == "-33.868800"
        assert row["established"] == "1877"
        assert row["longitude"] in ("", None)
        assert "None" not in row.values()


def test_a_csv_export_opens_with_a_byte_order_mark_and_imports_unchanged(
    admin_client,
):
    # Excel reads a CSV without one in the machine's code page: "UniversitÃ©".
    PartnerFactory(name_fr="Université d’État de Tōkyō")
    content = export(admin_client, Partner, CSV)

    assert content.startswith(codecs.BOM_UTF8)
    assert csv_rows(content)[0]["name_fr"] == "Université d’État de Tōkyō"
    assert totals(preview(admin_client, Partner, content, "partners.csv")) == {
        "skip": 1
    }


def test_an_escaped_export_imports_unchanged(admin_client):
    PartnerFactory(name_fr="=1+1", name_en="-minus", acronym="@at")
    content = export(admin_client, Partner, CSV)

    response = preview(admin_client, Partner, content, "partners.csv")

    assert totals(response) == {"skip": 1}
    assert unescape_formula(escape_formula("=1+1")) == "=1+1"


def test_a_number_written_with_fewer_places_than_stored_is_unchanged(admin_client):
    partner = PartnerFactory(latitude=Decimal("48.85"), longitude=Decimal("2.35"))
    [row] = csv_rows(export(admin_client, Partner))
    assert row["latitude"] == "48.850000"
    row.update(latitude="48.85", longitude="2,35")

    response = preview(admin_client, Partner, to_csv([row]), "partners.csv")

    assert totals(response) == {"skip": 1}
    # Nothing struck through: 48.85 is the stored 48.850000.
    assert "<del" not in response.content.decode()

    # More places than the column keeps are refused, never rounded away.
    row.update(latitude="48.8500001")
    response = preview(admin_client, Partner, to_csv([row]), "partners.csv")
    result = response.context["result"]
    assert result.has_validation_errors()
    assert "latitude" in result.invalid_rows[0].field_specific_errors
    partner.refresh_from_db()
    assert partner.latitude == Decimal("48.850000")


def test_the_preview_names_each_column_as_in_the_file_and_its_field(admin_client):
    PartnerFactory()
    content = export(admin_client, Partner)
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = preview(admin_client, Partner, content, "partners.csv")

    html = response.content.decode()
    assert '<th scope="col">Name [fr] <code>name_fr</code></th>' in html
    assert '<th scope="col">ROR id <code>ror_id</code></th>' in html
    assert '<th scope="col">Parent institution <code>parent</code></th>' in html
    # A column named as its field is named once.
    assert '<th scope="col">latitude</th>' in html


def export_labels(client, model) -> dict[str, str]:
    """Return the export page's column boxes: their labels by the file's column."""
    form = client.get(admin_url(model, "export")).context["form"]
    [resource] = form.resources
    prefix = f"{resource.__name__.lower()}_"
    return {
        resource.fields[name.removeprefix(prefix)].column_name: str(field.label)
        for name, field in form.fields.items()
        if isinstance(field, forms.BooleanField)
    }


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    "model", [Partner, Unit, Grant, Project], ids=lambda model: model.__name__
)
def test_the_export_names_each_column_by_its_field_in_the_admins_language(
    admin_client, model, language
):
    # django-import-export named them after the attribute, in English whatever the
    # language: "Name Fr", "Ror Id", "Cnrs Role", "Publication Status".
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language

    labels = export_labels(admin_client, model)

    with translation.override(language):
        assert labels == {
            column: capfirst(model._meta.get_field(column).verbose_name)
            for column in labels
        }


def test_the_export_names_translated_fields_as_the_change_form_does(admin_client):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    partner_labels = export_labels(admin_client, Partner)
    project_labels = export_labels(admin_client, Project)

    assert partner_labels["name_fr"] == "Name [fr]"
    assert partner_labels["ror_id"] == "ROR id"
    assert partner_labels["parent"] == "Parent institution"
    assert project_labels["cnrs_role"] == "CNRS role"
    assert project_labels["eu_contribution"] == "EU contribution (€)"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_numbers_and_dates_do_not_depend_on_the_language(admin_client, language):
    grant = GrantFactory(amount=Decimal("1499999.50"))
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language

    [row] = csv_rows(export(admin_client, Grant))

    assert (row["amount"], row["start_date"]) == ("1499999.50", "2017-01-01")
    # A comma works as well as a dot, and a French date as well as an ISO one.
    row.update(amount="1 499 999,50", start_date="01/01/2017")
    response = preview(admin_client, Grant, to_csv([row]), "grants.csv")
    assert totals(response) == {"skip": 1}
    grant.refresh_from_db()
    assert grant.amount == Decimal("1499999.50")


# Round trips: an export imports back unchanged ------------------------------------


@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_units_grants_projects_and_partners_round_trip(admin_client, file_format):
    parent = PartnerFactory(slug="parent")
    PartnerFactory(parent=parent, latitude=Decimal("48.85"), longitude=Decimal("2.35"))
    UnitFactory(
        director__orcid="0000-0002-1825-0097",
        director_title_fr="Directeur depuis 2008",
        director_title_en="Director since 2008",
    )
    UnitFactory(director=None, closure_year=2020, themes_fr="Un\nDeux")
    # Missing translations.
    UnitFactory(publication_status=DRAFT, name_en=None, director_title_fr="Directeur")
    GrantFactory()  # a laureate without ORCID: named by first and last name
    GrantFactory(laureate__orcid="0000-0001-5109-3700", panel="", scheme="msca_pf")
    ProjectFactory(total_cost=Decimal("12345678.90"), researcher_count=12)
    ProjectFactory(start_date=None, end_date=None, eu_contribution=None)

    for model, count in ((Partner, 2), (Unit, 3), (Grant, 2), (Project, 2)):
        content = export(admin_client, model, file_format)
        name = f"{model._meta.model_name}s.{'xlsx' if file_format == XLSX else 'csv'}"
        response = preview(admin_client, model, content, name, file_format)
        assert totals(response) == {"skip": count}, (model, response.context["result"])


def test_a_units_director_title_is_a_column_in_each_language(admin_client, admin_user):
    unit = UnitFactory(director_title_fr="Directeur par intérim", director_title_en="")
    [row] = csv_rows(export(admin_client, Unit))
    assert row["director_title_fr"] == "Directeur par intérim"
    assert row["director_title_en"] == ""
    row["director_title_en"] = "Interim director"

    response = preview(admin_client, Unit, to_csv([row]), "units.csv")
    assert totals(response) == {"update": 1}
    confirm(admin_client, Unit, response)

    unit.refresh_from_db()
    assert unit.director_title_fr == "Directeur par intérim"
    assert unit.director_title_en == "Interim director"
    version = unit.history.filter(history_user=admin_user).get()
    assert version.director_title_en == "Interim director"


def test_a_new_director_keeping_the_former_ones_title_is_noted_in_the_preview(
    admin_client,
):
    kept = UnitFactory(
        director__orcid="0000-0002-1825-0097",
        director_title_fr="Directeur par intérim",
        director_title_en="Interim director",
    )
    retitled = UnitFactory(director_title_fr="Directrice", director_title_en="")
    untitled = UnitFactory(director_title_fr="", director_title_en="")
    newcomer = PersonFactory(first_name="Marie", last_name="Curie")
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    rows = {row["slug"]: row for row in csv_rows(export(admin_client, Unit))}
    for unit in (kept, retitled, untitled):
        rows[unit.slug]["director"] = "Marie Curie"
    rows[retitled.slug]["director_title_fr"] = "Directrice depuis 2026"
    lines = {slug: line for line, slug in enumerate(rows, start=2)}

    response = preview(admin_client, Unit, to_csv(list(rows.values())), "u.csv")

    assert totals(response) == {"update": 3}
    # Only the unit whose title stays that of its former director: the one whose
    # title changes with it, and the one with none (the person's own), are right.
    [(line, note)] = response.context["result"].notes
    assert line == lines[kept.slug]
    assert "“Interim director” to Marie Curie" in note
    assert "director_title_fr, director_title_en" in note
    assertInHTML(
        f"<li class='warning'>Line {line}: {escape(note)}</li>",
        response.content.decode(),
    )
    # A warning, not an error: the import goes through.
    confirm(admin_client, Unit, response)
    kept.refresh_from_db()
    assert kept.director == newcomer
    assert kept.director_title_fr == "Directeur par intérim"


def test_a_preview_notes_nothing_when_the_director_stays(admin_client):
    UnitFactory(director_title_fr="Directeur par intérim")
    [row] = csv_rows(export(admin_client, Unit))
    row["name_en"] += " (renamed)"
    response = preview(admin_client, Unit, to_csv([row]), "u.csv")
    assert totals(response) == {"update": 1}
    assert response.context["result"].notes == []
    assert "To check before confirming" not in response.content.decode()


def test_a_preview_note_is_in_french_in_the_french_admin(admin_client):
    UnitFactory(director_title_fr="Directeur par intérim")
    PersonFactory(first_name="Marie", last_name="Curie")
    [row] = csv_rows(export(admin_client, Unit))
    row["director"] = "Marie Curie"
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    response = preview(admin_client, Unit, to_csv([row]), "u.csv")
    page = response.content.decode()
    assert "À vérifier avant de confirmer" in page
    assert "Ligne 2\u00a0: La direction change, pas son titre" in page


@pytest.mark.parametrize("line_break", ["\r\n", "\r"])
def test_a_text_whose_line_breaks_are_cr_lf_or_cr_is_unchanged(
    admin_client, line_break
):
    unit = UnitFactory(themes_en="Innovative materials\nKey structures")
    [row] = csv_rows(export(admin_client, Unit))
    row["themes_en"] = row["themes_en"].replace("\n", line_break)
    assert line_break in to_csv([row]).decode()  # quoted as it is

    response = preview(admin_client, Unit, to_csv([row]), "units.csv")
    assert totals(response) == {"skip": 1}

    # Changed, the text is stored with LF line breaks, as the change forms store it.
    row["themes_en"] += f"{line_break}Optics"
    confirm(admin_client, Unit, preview(admin_client, Unit, to_csv([row]), "u.csv"))
    unit.refresh_from_db()
    assert unit.themes_en == "Innovative materials\nKey structures\nOptics"


def test_a_laureate_is_found_by_orcid_or_by_a_name_only_one_person_bears(admin_client):
    ProgrammeFactory(slug="horizon-2020")
    InstituteFactory(code="INP")
    PersonFactory(first_name="Ada", last_name="Lovelace")
    PersonFactory(first_name="Jean", last_name="Martin")
    PersonFactory(first_name="Jean", last_name="Martin")
    rows = csv_rows((DATA / "grants_negative_amount.csv").read_bytes())[:1]

    rows[0]["laureate"] = "ada  LOVELACE"
    response = preview(admin_client, Grant, to_csv(rows), "grants.csv")
    assert totals(response) == {"new": 1}

    rows[0]["laureate"] = "Jean Martin"
    response = preview(admin_client, Grant, to_csv(rows), "grants.csv")
    [invalid] = response.context["result"].invalid_rows
    assert "ORCID" in str(invalid.error_dict)

    rows[0]["laureate"] = "0000-0002-1825-0097"  # nobody has this ORCID
    response = preview(admin_client, Grant, to_csv(rows), "grants.csv")
    assert response.context["result"].has_validation_errors()


def test_a_grant_whose_laureate_has_two_spaces_in_a_name_imports_unchanged(
    admin_client,
):
    # Recorded "Jean  Luc" (before the form collapsed spaces): its export, read with
    # its spaces collapsed, named no one, and the whole file was refused.
    laureate = PersonFactory(first_name="Jean  Luc", last_name="Picard", orcid="")
    GrantFactory(laureate=laureate)
    exported = export(admin_client, Grant)
    response = preview(admin_client, Grant, exported, "grants.csv")
    assert totals(response) == {"skip": 1}


def test_the_person_form_collapses_the_spaces_of_a_name(admin_client):
    person = PersonFactory()
    url = admin_url(type(person), "change", person.pk)
    data = {**form_data(admin_client.get(url)), "first_name": " Jean  Luc "}
    assert admin_client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.first_name == "Jean Luc"


# Roles ------------------------------------------------------------------------------


def test_a_reader_may_export_but_not_import(client):
    login(client, staff(Role.READER))
    PartnerFactory()

    assert client.get(admin_url(Partner, "import")).status_code == 403
    upload = SimpleUploadedFile("p.csv", (DATA / "partners.csv").read_bytes())
    response = client.post(
        admin_url(Partner, "import"),
        {"resource": "0", "format": CSV, "import_file": upload},
    )
    assert response.status_code == 403
    response = client.post(
        admin_url(Partner, "process_import"),
        {"import_file_name": "x", "original_file_name": "p.csv", "format": CSV},
    )
    assert response.status_code == 403
    assert not Partner.objects.filter(slug="riken").exists()
    page = client.get(admin_url(Partner, "changelist")).content.decode()
    assert admin_url(Partner, "import") not in page
    assert admin_url(Partner, "export") in page
    assert len(csv_rows(export(client, Partner))) == 1


@pytest.mark.parametrize(
    ("role", "model"),
    [
        (Role.OFFICE_STAFF, Partner),  # may change partners, not add them
        (Role.INSTITUTE_ADVISER, Unit),
        (Role.INSTITUTE_ADVISER, Grant),
    ],
)
def test_who_may_change_but_not_add_may_not_import(client, role, model):
    login(client, staff(role))
    assert client.get(admin_url(model, "import")).status_code == 403


@pytest.mark.parametrize("role", [Role.EDITOR, Role.CONTRIBUTOR])
@pytest.mark.parametrize("model", [Partner, Unit, Grant, Project])
def test_editors_and_contributors_may_import(client, role, model):
    login(client, staff(role))
    assert client.get(admin_url(model, "import")).status_code == 200


def test_a_contributors_import_creates_drafts_and_leaves_statuses_alone(client, japan):
    riken, kyoto = japan
    kyoto.publication_status = DRAFT
    kyoto.save()
    login(client, staff(Role.CONTRIBUTOR))

    response = preview(client, Partner, (DATA / "partners.csv").read_bytes(), "p.csv")
    assert totals(response) == {"new": 1, "update": 1, "skip": 1}
    confirm(client, Partner, response)

    # The file says "published" for all three.
    assert Partner.objects.get(slug="university-of-tokyo").publication_status == DRAFT
    kyoto.refresh_from_db()
    assert (kyoto.city_en, kyoto.publication_status) == ("Kyoto (Japan)", DRAFT)
    riken.refresh_from_db()
    assert riken.publication_status == PUBLISHED


def test_a_contributor_may_not_change_a_published_record_by_import(client, japan):
    riken, kyoto = japan  # both published
    login(client, staff(Role.CONTRIBUTOR))

    response = preview(client, Partner, (DATA / "partners.csv").read_bytes(), "p.csv")

    result = response.context["result"]
    [invalid] = result.invalid_rows
    assert invalid.number == 3  # Kyoto University, changed; RIKEN is unchanged
    assert "confirm_form" not in response.context
    kyoto.refresh_from_db()
    assert kyoto.city_en == "Kyoto"


def test_an_editors_import_sets_the_status_from_the_file(client, japan):
    riken, _kyoto = japan
    login(client, staff(Role.EDITOR))
    rows = csv_rows((DATA / "partners.csv").read_bytes())
    rows[2]["publication_status"] = DRAFT  # RIKEN back to draft

    response = preview(client, Partner, to_csv(rows), "p.csv")
    confirm(client, Partner, response)

    assert (
        Partner.objects.get(slug="university-of-tokyo").publication_status == PUBLISHED
    )
    riken.refresh_from_db()
    assert riken.publication_status == DRAFT


def test_an_advisers_export_holds_the_grants_of_their_institutes_only(client):
    insmi, inp = InstituteFactory(code="INSMI"), InstituteFactory(code="INP")
    mine = GrantFactory(institute=insmi)
    GrantFactory(institute=inp)
    login(client, staff(Role.INSTITUTE_ADVISER, institutes=[insmi]))

    rows = csv_rows(export(client, Grant))

    assert [row["slug"] for row in rows] == [mine.slug]
    assert [row["institute"] for row in rows] == ["INSMI"]


def test_an_export_keeps_the_lists_filters(admin_client):
    PartnerFactory(country="JP", slug="in-japan")
    PartnerFactory(country="BR", slug="in-brazil")

    rows = csv_rows(export(admin_client, Partner, query="?country=BR"))

    assert [row["slug"] for row in rows] == ["in-brazil"]


def test_a_resource_without_a_user_creates_drafts():
    dataset = PartnerResource().export(Partner.objects.none())
    dataset.append(
        [
            "p",
            "P",
            "",
            "",
            "",
            "",
            "university",
            "JP",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "active",
            "",
            "",
            PUBLISHED,
        ]
    )
    result = PartnerResource().import_data(dataset, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert Partner.objects.get(slug="p").publication_status == DRAFT


# Changelist buttons -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "own_button"),
    [
        (Partner, "partners_partner_import_ror"),
        (Grant, "programmes_project_import_cordis"),
        (Project, "programmes_project_import_cordis"),
        (Unit, None),
    ],
)
def test_the_changelist_shows_every_button(admin_client, model, own_button):
    page = admin_client.get(admin_url(model, "changelist")).content.decode()

    assert admin_url(model, "import") in page
    assert admin_url(model, "export") in page
    assert admin_url(model, "add") in page
    assert admin_url(model, "deleted") in page
    if own_button:
        assert reverse(f"admin:{own_button}") in page


def test_buttons_need_no_add_permission(client):
    """Office staff change partners without adding them: they still see their
    buttons (the deleted records, the export) but not the import."""
    login(client, staff(Role.OFFICE_STAFF))

    page = client.get(admin_url(Partner, "changelist")).content.decode()

    assert admin_url(Partner, "deleted") in page
    assert admin_url(Partner, "export") in page
    assert admin_url(Partner, "import") not in page
    assert admin_url(Partner, "add") not in page


def test_a_grants_host_unit_is_exported_and_imported_by_its_slug(admin_client):
    # The export left out the joint unit hosting each grant.
    jrl, mse = UnitFactory(slug="jrl"), UnitFactory(slug="mse")
    grant = GrantFactory(unit=jrl)
    [row] = csv_rows(export(admin_client, Grant))
    assert row["unit"] == "jrl"

    row["unit"] = "mse"
    confirm(admin_client, Grant, preview(admin_client, Grant, to_csv([row]), "g.csv"))
    grant.refresh_from_db()
    assert grant.unit == mse

    row["unit"] = "nowhere"
    response = preview(admin_client, Grant, to_csv([row]), "g.csv")
    assert response.context["result"].has_validation_errors()


def test_a_laureate_s_orcid_and_a_cordis_id_may_be_given_as_their_links(admin_client):
    # As the admin's fields take them (tests/test_identifier_links.py).
    ProgrammeFactory(slug="horizon-2020")
    InstituteFactory(code="INP")
    ada = PersonFactory(orcid="0000-0002-1825-0097")
    rows = csv_rows((DATA / "grants_negative_amount.csv").read_bytes())[:1]
    rows[0]["laureate"] = "https://orcid.org/0000-0002-1825-0097"
    rows[0]["cordis_id"] = "https://cordis.europa.eu/project/id/101001234/"
    rows[0]["amount"] = "1500000"

    confirm(admin_client, Grant, preview(admin_client, Grant, to_csv(rows), "g.csv"))

    grant = Grant.objects.get()
    assert (grant.laureate, grant.cordis_id) == (ada, "101001234")


@pytest.mark.parametrize(
    "content, file_format",
    [
        ("code,name_fr\nIRL 3757,Unité\n".encode() + "Wakô\n".encode("cp1252"), CSV),
        (b"code,name_fr\nIRL 3757,JRL\n", XLSX),  # text declared as XLSX
    ],
)
def test_an_unreadable_file_leaves_the_fields_the_import_reads_listed(
    admin_client, content, file_format
):
    form_page = admin_client.get(admin_url(Unit, "import"))
    [(_, fields)] = form_page.context["fields_list"]
    assert "code" in fields

    response = preview(admin_client, Unit, content, "units", file_format)

    assert response.context["form"].errors["import_file"]
    assert response.context["fields_list"] == form_page.context["fields_list"]
    assertInHTML(
        f"<code>{', '.join(fields)}</code>", response.content.decode(), count=1
    )


# Errors named by the file's columns ------------------------------------------------


EMPTIED = {
    # A new unit: without the code of the one exported.
    Unit: {
        "code": "",
        "name_fr": "",
        "name_en": "",
        "city_fr": "",
        "lead_institute": "",
    },
    Grant: {"title_fr": "", "title_en": "", "programme": "", "laureate": ""},
    Project: {"title_fr": "", "title_en": "", "programme": ""},
    Partner: {"name_fr": "", "name_en": ""},
}
# What the rows are told, in French (the admin's language by default).
TOLD = {
    Unit: {
        "name_fr": ["Ce champ ne peut pas être vide."],
        "city_fr": ["Ce champ ne peut pas être vide."],
        "lead_institute": ["Indiquez le sigle d’un institut (INC, INSIS…)."],
    },
    Grant: {
        "title_fr": ["Ce champ ne peut pas être vide."],
        "programme": [
            "Indiquez l’identifiant d’URL d’un programme (horizon-2020, erc…)."
        ],
        "laureate": [
            "Indiquez l’ORCID du lauréat ou de la lauréate, ou ses prénom et nom "
            "tels qu’ils sont enregistrés."
        ],
    },
    Project: {
        "title_fr": ["Ce champ ne peut pas être vide."],
        "programme": [
            "Indiquez l’identifiant d’URL d’un programme (horizon-2020, erc…)."
        ],
    },
    Partner: {"name_fr": ["Ce champ ne peut pas être vide."]},
}


@pytest.mark.parametrize(
    ("model", "factory"),
    [
        (Unit, UnitFactory),
        (Grant, GrantFactory),
        (Project, ProjectFactory),
        (Partner, PartnerFactory),
    ],
)
def test_a_rows_errors_are_on_the_files_columns_and_say_what_to_write(
    admin_client, model, factory
):
    # Not on "name" and "city", which the file has not (modeltranslation checks the
    # translated field under its own name), nor "This field cannot be null".
    factory()
    [row] = csv_rows(export(admin_client, model))
    row = {**row, "slug": "new-record", **EMPTIED[model]}

    response = preview(admin_client, model, to_csv([row]), "faulty.csv")

    [invalid] = response.context["result"].invalid_rows
    assert invalid.field_specific_errors == TOLD[model]
