"""A grant belongs to the programme of its scheme: the ERC's or the MSCA's."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from programmes.models import GrantScheme, ProgrammeKind
from tests.admin_forms import admin_url, form_data
from tests.factories import GrantFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def erc():
    return ProgrammeFactory(slug="erc", acronym="ERC", kind=ProgrammeKind.EU_SCHEME)


@pytest.fixture
def msca():
    return ProgrammeFactory(slug="msca", acronym="MSCA", kind=ProgrammeKind.EU_SCHEME)


def msca_grant(**fields):
    return GrantFactory(scheme=GrantScheme.MSCA_PF, panel="", **fields)


def programme_error(grant) -> str:
    with pytest.raises(ValidationError) as refused:
        grant.full_clean()
    with translation.override("en"):
        return " ".join(refused.value.message_dict["programme"])


def test_an_msca_grant_is_refused_under_the_erc_programme(erc):
    grant = msca_grant(programme=erc)

    assert programme_error(grant) == (
        "Only ERC grants belong to the ERC programme: file this Marie "
        "Skłodowska-Curie grant under the MSCA programme."
    )


def test_an_erc_grant_is_refused_under_the_msca_programme(msca):
    grant = GrantFactory(scheme=GrantScheme.ERC_ADG, programme=msca)

    assert programme_error(grant) == (
        "Only Marie Skłodowska-Curie grants belong to the MSCA programme: file "
        "this ERC grant under the ERC programme."
    )


def test_a_grant_under_the_programme_of_its_scheme_is_valid(erc, msca):
    GrantFactory(scheme=GrantScheme.ERC_SYG, panel="", programme=erc).full_clean()
    msca_grant(programme=msca).full_clean()


def test_other_programmes_are_left_to_staff():
    # Grants imported before were filed under the framework programme.
    horizon_2020 = ProgrammeFactory(slug="horizon-2020")

    GrantFactory(programme=horizon_2020).full_clean()
    msca_grant(programme=horizon_2020).full_clean()


def test_the_admin_says_so_on_the_programme_field(admin_client, erc, msca):
    grant = msca_grant(programme=msca)
    url = admin_url(type(grant), "change", grant.pk)
    data = form_data(admin_client.get(url))

    response = admin_client.post(
        url, {**data, "programme": str(erc.pk)}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["programme"]
    assert error.startswith("Only ERC grants belong to the ERC programme")
    grant.refresh_from_db()
    assert grant.programme == msca
