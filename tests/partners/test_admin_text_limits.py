"""A text longer than its column is refused whole, not cut by the browser.

Django's inputs carry ``maxlength``: a browser cuts a pasted text to it without
a word (a 300-letter name saved as its first 255). The admin's inputs have none;
the form says how long the text is and may be, and keeps it to be shortened.
"""

import re

import pytest

from partners.models import Partner
from programmes.models import Project
from tests.admin_forms import admin_url, form_data
from tests.factories import PartnerFactory, ProjectFactory, UnitFactory
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "make",
    [PartnerFactory, UnitFactory, ProjectFactory],
    ids=["partner", "unit", "project"],
)
def test_no_input_of_a_change_form_has_a_maxlength(admin_client, make):
    record = make()
    page = admin_client.get(admin_url(type(record), "change", record.pk))

    assert page.status_code == 200
    inputs = re.findall(r"<input[^>]*>", page.text)
    assert any('name="acronym"' in tag for tag in inputs)
    assert not [tag for tag in inputs if "maxlength" in tag]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_name_too_long_is_refused_whole_with_its_length(admin_client, language):
    partner = PartnerFactory(name="Université de Kyoto")
    url = admin_url(Partner, "change", partner.pk)
    too_long = "Université " + "x" * 289  # 300 characters, the column 255

    response = admin_client.post(
        url,
        {**form_data(admin_client.get(url)), "name_en": too_long},
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    message = {
        "en": "Ensure this value has at most 255 characters (it has 300).",
        "fr": "Assurez-vous que cette valeur comporte au plus 255 caractères "
        "(actuellement 300).",
    }[language]
    assert form.errors["name_en"] == [message]
    # Given back whole, to be shortened.
    assert f'value="{too_long}"' in response.text
    partner.refresh_from_db()
    assert partner.name_en != too_long


def test_inline_rows_have_no_maxlength_either(admin_client):
    unit = UnitFactory()
    page = admin_client.get(admin_url(Unit, "change", unit.pk))
    project = ProjectFactory()
    project_page = admin_client.get(admin_url(Project, "change", project.pk))

    for text in (page.text, project_page.text):
        rows = re.findall(
            r'<input[^>]*name="[a-z_]+-(?:\d+|__prefix__)-[^"]*"[^>]*>', text
        )
        assert rows
        assert not [tag for tag in rows if "maxlength" in tag]
