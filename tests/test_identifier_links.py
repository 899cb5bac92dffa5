"""The change forms' ORCID and CORDIS ids take the id or its link, and keep the id,
as the partner form's ROR id does (tests/partners/test_admin_ror_id_field.py).

Their columns hold the id alone: a pasted link was refused for its length.
"""

import pytest

from programmes.models import Grant, Project
from tests.admin_forms import admin_url, form_data
from tests.factories import GrantFactory, PersonFactory, ProjectFactory
from units.models import Person

pytestmark = pytest.mark.django_db

ORCID = "0000-0002-1825-0097"
CORDIS_ID = "101001234"


def post(client, record, field, value):
    url = admin_url(type(record), "change", record.pk)
    data = form_data(client.get(url))
    return client.post(url, {**data, field: value}, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def records():
    return {
        "orcid": PersonFactory(orcid=""),
        "grant": GrantFactory(cordis_id=""),
        "project": ProjectFactory(cordis_id=""),
    }


@pytest.mark.parametrize(
    ("record", "field", "link", "identifier"),
    [
        ("orcid", "orcid", f"https://orcid.org/{ORCID}", ORCID),
        ("orcid", "orcid", f" http://orcid.org/{ORCID}/ ", ORCID),
        ("orcid", "orcid", ORCID, ORCID),
        (
            "grant",
            "cordis_id",
            f"https://cordis.europa.eu/project/id/{CORDIS_ID}",
            CORDIS_ID,
        ),
        ("grant", "cordis_id", f"cordis.europa.eu/project/id/{CORDIS_ID}/", CORDIS_ID),
        (
            "project",
            "cordis_id",
            f"https://cordis.europa.eu/project/id/{CORDIS_ID}",
            CORDIS_ID,
        ),
        ("project", "cordis_id", CORDIS_ID, CORDIS_ID),
    ],
)
def test_a_pasted_link_is_saved_as_the_id(
    admin_client, records, record, field, link, identifier
):
    response = post(admin_client, records[record], field, link)

    assert response.status_code == 302
    records[record].refresh_from_db()
    assert getattr(records[record], field) == identifier


@pytest.mark.parametrize(
    ("model", "field"),
    [(Person, "orcid"), (Grant, "cordis_id"), (Project, "cordis_id")],
)
def test_the_input_takes_a_whole_link(admin_client, records, model, field):
    record = next(record for record in records.values() if type(record) is model)
    page = admin_client.get(
        admin_url(model, "change", record.pk), HTTP_ACCEPT_LANGUAGE="en"
    )

    form_field = page.context["adminform"].form.fields[field]
    assert form_field.max_length == 64
    assert "maxlength" not in form_field.widget.attrs
    assert form_field.help_text.endswith("or the whole link.")


@pytest.mark.parametrize(
    ("record", "field", "value", "message"),
    [
        (
            "orcid",
            "orcid",
            "https://orcid.org/0000-0002-1825",
            "“https://orcid.org/0000-0002-1825” is not an ORCID iD: write its "
            "sixteen characters (0000-0002-1825-0097) or paste its link "
            "(https://orcid.org/0000-0002-1825-0097).",
        ),
        (
            "grant",
            "cordis_id",
            "https://example.org/project/id/101001234",
            "“https://example.org/project/id/101001234” is not a CORDIS project id: "
            "write its number (101001234) or paste its page's link "
            "(https://cordis.europa.eu/project/id/101001234).",
        ),
    ],
)
def test_a_value_that_is_no_id_is_a_field_error(
    admin_client, records, record, field, value, message
):
    response = post(admin_client, records[record], field, value)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    records[record].refresh_from_db()
    assert getattr(records[record], field) == ""


def test_a_pasted_orcid_still_has_its_check_digit_checked(admin_client, records):
    response = post(
        admin_client, records["orcid"], "orcid", "https://orcid.org/0000-0002-1825-0098"
    )

    assert response.status_code == 200
    assert "check digit" in str(response.context["adminform"].form.errors["orcid"])
