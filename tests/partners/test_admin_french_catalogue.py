"""NEEDS THE CATALOGUE: the French of the ROR messages, read from ``locale/fr``.

These tests fail until ``locale/fr/LC_MESSAGES/django.po`` holds the translations of
``french_messages.FRENCH`` and is compiled. The other tests of these messages read
them from a catalogue of their own (test_admin_ror_import_language.py).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.models import Partner
from tests.admin_forms import admin_url, form_data
from tests.factories import PartnerFactory
from tests.partners.french_messages import NBSP
from tests.partners.test_admin_ror_import_language import REFUSED_FILES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "content", "french"),
    [(name, content, french) for name, content, _, french in REFUSED_FILES.values()],
    ids=REFUSED_FILES.keys(),
)
def test_the_french_admin_tells_why_a_ror_file_is_refused_in_french(
    admin_client, name, content, french
):
    response = admin_client.post(
        reverse("admin:partners_partner_import_ror"),
        {"file": SimpleUploadedFile(name, content)},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert response.status_code == 400
    (error,) = response.context["form"].errors["file"]
    assert error.startswith(f"Rien n’a été importé. {french}")


def test_the_french_partner_form_explains_the_ror_id_in_french(admin_client):
    partner = PartnerFactory(ror_id="")
    url = admin_url(Partner, "change", partner.pk)
    page = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="fr")

    response = admin_client.post(
        url,
        {**form_data(page), "ror_id": "https://ror.org/tokyo"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert page.context["adminform"].form.fields["ror_id"].help_text == (
        "Les neuf caractères qui suivent https://ror.org/, p. ex. 02feahw73, ou le "
        "lien entier."
    )
    assert response.context["adminform"].form.errors["ror_id"] == [
        f"«{NBSP}https://ror.org/tokyo{NBSP}» n’est pas un identifiant ROR{NBSP}: "
        "écrivez ses neuf caractères (02feahw73) ou collez son lien "
        "(https://ror.org/02feahw73)."
    ]
