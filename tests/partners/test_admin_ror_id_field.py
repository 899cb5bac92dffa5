"""The partner form's ROR id takes the id or its link, and keeps the id.

The column holds nine characters, and its input's maxlength cut a pasted
https://ror.org/02feahw73 to "https://r" (inputs have no maxlength now).
"""

import pytest

from partners.models import Partner
from tests.admin_forms import admin_url, form_data
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner():
    return PartnerFactory(ror_id="")


def post_ror_id(client, partner, value):
    url = admin_url(Partner, "change", partner.pk)
    data = form_data(client.get(url))
    return client.post(url, {**data, "ror_id": value}, HTTP_ACCEPT_LANGUAGE="en")


def test_the_input_takes_a_whole_link(admin_client, partner):
    page = admin_client.get(
        admin_url(Partner, "change", partner.pk), HTTP_ACCEPT_LANGUAGE="en"
    )

    field = page.context["adminform"].form.fields["ror_id"]
    # The form takes a link (64 characters), and the input sets no limit the
    # browser would cut a paste to.
    assert field.max_length == 64
    assert 'name="ror_id" class="vTextField"' in page.text
    assert "maxlength" not in field.widget.attrs
    assert field.help_text.endswith("or the whole link.")


@pytest.mark.parametrize(
    "link",
    [
        "https://ror.org/02feahw73",
        "https://ror.org/02feahw73/",
        "http://ror.org/02feahw73",
        "ror.org/02feahw73",
        " https://ror.org/02feahw73/ ",
    ],
)
def test_a_ror_link_is_saved_as_the_id(admin_client, partner, link):
    response = post_ror_id(admin_client, partner, link)

    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.ror_id == "02feahw73"


@pytest.mark.parametrize(
    "value",
    [
        "https://ror.org/tokyo",
        "https://example.org/02feahw73",
        "https://ror.org/02feahw73/more",
        "02feahw7",
    ],
)
def test_a_value_that_is_no_ror_id_is_a_field_error(admin_client, partner, value):
    response = post_ror_id(admin_client, partner, value)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["ror_id"] == [
        f"“{value.strip()}” is not a ROR id: write its nine characters (02feahw73) "
        "or paste its link (https://ror.org/02feahw73)."
    ]
    partner.refresh_from_db()
    assert partner.ror_id == ""
