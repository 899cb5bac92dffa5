"""A confirmed import refuses to write over what colleagues saved since its preview.

The preview reads each row's record; the confirmation, in one transaction, finds
every one of them as it was read (partners.resources.SpreadsheetResource) or writes
nothing, naming the records changed, created or deleted meanwhile, by whom and when.
"""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from partners.models import Partner, PreviewedImport
from programmes.models import Grant, Project
from tests.admin_forms import admin_url, form_data
from tests.factories import (
    GrantFactory,
    PartnerFactory,
    ProjectFactory,
    UnitFactory,
)
from tests.test_spreadsheets import (
    DATA,
    confirm,
    csv_rows,
    export,
    japan_in_partners_csv,  # noqa: F401  (the fixture "japan")
    preview,
    to_csv,
    totals,
)
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague():
    """Alice Martin, who edits records in the admin while the import waits."""
    user = User.objects.create_superuser(
        "alice", password="x", first_name="Alice", last_name="Martin"
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def importer(admin_client):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return admin_client


def edit(client, record, **changes):
    """Save ``changes`` to ``record`` through its change form, as staff do."""
    url = admin_url(type(record), "change", record.pk)
    response = client.post(url, {**form_data(client.get(url)), **changes})
    assert response.status_code == 302, response.context["adminform"].form.errors


def one_line(response) -> str:
    """The page's text with its line breaks and indents as single spaces (its
    no-break spaces kept)."""
    return re.sub(r"[ \t\r\n]+", " ", response.content.decode())


def refused(response, model=Partner) -> str:
    """The page refusing a confirmation: what it says, in one line."""
    assert response.status_code == 400
    page = one_line(response)
    assert "Nothing was imported." in page
    assert "Upload the file again for a fresh preview" in page
    assert admin_url(model, "import") in page
    return page


def partners_file() -> bytes:
    return (DATA / "partners.csv").read_bytes()


def test_a_record_changed_since_the_preview_refuses_the_import(
    importer, colleague, japan
):
    kyoto = japan[1]
    response = preview(importer, Partner, partners_file(), "p.csv")
    assert totals(response) == {"new": 1, "update": 1, "skip": 1}
    edit(colleague, kyoto, city_fr="Kyōto", website="https://www.kyoto-u.ac.jp/")
    history = Partner.history.count()

    page = refused(confirm(importer, Partner, response))

    assert "[kyoto-university]: changed by Alice Martin on" in page
    assert "Kyoto University (KyotoU) [kyoto-university]" in page
    # Nothing written: the colleague's version stays, the new row is not created.
    kyoto.refresh_from_db()
    assert (kyoto.city_fr, kyoto.city_en) == ("Kyōto", "Kyoto")
    assert kyoto.website == "https://www.kyoto-u.ac.jp/"
    assert not Partner.objects.filter(slug="university-of-tokyo").exists()
    assert Partner.history.count() == history
    # The preview is gone with the refusal: the file is to be uploaded again.
    assert not PreviewedImport.objects.exists()


def test_a_record_created_since_its_row_was_previewed_as_new_refuses_the_import(
    importer, colleague, japan
):
    response = preview(importer, Partner, partners_file(), "p.csv")
    created = colleague.post(
        admin_url(Partner, "add"),
        {
            **form_data(colleague.get(admin_url(Partner, "add"))),
            "slug": "university-of-tokyo",
            "name_fr": "Université de Tokyo (Todai)",
            "name_en": "The University of Tokyo",
            "kind": "university",
            "country": "JP",
            "city_fr": "Tokyo",
            "city_en": "Tokyo",
        },
    )
    assert created.status_code == 302, created.context["adminform"].form.errors

    page = refused(confirm(importer, Partner, response))

    assert (
        "The University of Tokyo [university-of-tokyo]: created by Alice Martin "
        "on" in page
    )
    tokyo = Partner.objects.get(slug="university-of-tokyo")
    assert tokyo.name_en == "The University of Tokyo"
    assert tokyo.history.count() == 1


def test_a_row_previewed_as_unchanged_whose_record_changed_refuses_the_import(
    importer, colleague, japan
):
    # The file's RIKEN row is its record as it was: imported, it would put back
    # the acronym the colleague has just changed.
    riken = japan[0]
    response = preview(importer, Partner, partners_file(), "p.csv")
    edit(colleague, riken, acronym="RIKEN-J")

    page = refused(confirm(importer, Partner, response))

    assert "RIKEN (RIKEN-J) [riken]: changed by Alice Martin on" in page
    riken.refresh_from_db()
    assert riken.acronym == "RIKEN-J"


def test_a_record_deleted_since_the_preview_refuses_the_import(
    importer, colleague, japan
):
    kyoto = japan[1]
    response = preview(importer, Partner, partners_file(), "p.csv")
    url = admin_url(Partner, "delete", kyoto.pk)
    assert colleague.post(url, {"post": "yes"}).status_code == 302

    page = refused(confirm(importer, Partner, response))

    assert "Kyoto University (KyotoU) [kyoto-university]: deleted by" in page
    assert "deleted by Alice Martin on" in page
    assert not Partner.objects.filter(slug="kyoto-university").exists()
    assert not Partner.objects.filter(slug="university-of-tokyo").exists()


def test_a_change_without_a_known_author_is_named_with_its_date(importer, japan):
    kyoto = japan[1]
    response = preview(importer, Partner, partners_file(), "p.csv")
    kyoto.city_fr = "Kyōto"
    kyoto.save()  # a script's, with no user

    page = refused(confirm(importer, Partner, response))

    assert "Kyoto University (KyotoU) [kyoto-university]: changed on" in page


def test_the_refusal_is_in_french(admin_client, colleague, japan):
    response = preview(admin_client, Partner, partners_file(), "p.csv")
    edit(colleague, japan[1], city_fr="Kyōto")

    response = confirm(admin_client, Partner, response)

    assert response.status_code == 400
    page = one_line(response)
    assert "Rien n’a été importé." in page
    assert (
        "Université de Kyoto (KyotoU) [kyoto-university]\xa0: fiche modifiée par "
        "Alice Martin le" in page
    )


def test_records_unchanged_since_the_preview_import(importer, colleague, japan):
    # A colleague's change to a record the file does not hold is no reason.
    other = PartnerFactory()
    response = preview(importer, Partner, partners_file(), "p.csv")
    edit(colleague, other, acronym="OTHER")

    response = confirm(importer, Partner, response)

    assert response.status_code == 302
    assert response["Location"] == admin_url(Partner, "changelist")
    assert Partner.objects.get(slug="kyoto-university").city_en == "Kyoto (Japan)"


@pytest.mark.parametrize(
    "model, factory, column",
    [
        (Unit, UnitFactory, "acronym"),
        (Grant, GrantFactory, "acronym"),
        (Project, ProjectFactory, "acronym"),
        (Partner, PartnerFactory, "acronym"),
    ],
)
def test_every_import_refuses_records_changed_since_its_preview(
    importer, colleague, model, factory, column
):
    changed, other = factory(), factory()
    rows = csv_rows(export(importer, model))
    for row in rows:
        if row["slug"] == changed.slug:
            row[column] = "FILE"
    response = preview(importer, model, to_csv(rows), "records.csv")
    assert totals(response) == {"update": 1, "skip": 1}
    edit(colleague, other, **{column: "COLLEAGUE"})

    page = refused(confirm(importer, model, response), model)

    assert f"[{other.slug}]: changed by Alice Martin on" in page
    changed.refresh_from_db()
    other.refresh_from_db()
    assert getattr(changed, column) != "FILE"
    assert getattr(other, column) == "COLLEAGUE"
