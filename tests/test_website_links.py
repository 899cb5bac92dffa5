"""Every website is http or https, and public pages link to no other address.

Offices, institutes, units, programmes and projects follow the partners' rule
(tests/partners/test_website_links.py): the field refuses another scheme, and a
page shows a stored one, written before the rule or by update(), as no link.
"""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.factories import (
    InstituteFactory,
    OfficeFactory,
    PartnerFactory,
    ProgrammeFactory,
    ProjectFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

WITH_WEBSITE = [
    PartnerFactory,
    OfficeFactory,
    InstituteFactory,
    UnitFactory,
    ProgrammeFactory,
    ProjectFactory,
]
WITH_PAGE = [OfficeFactory, UnitFactory, ProgrammeFactory, ProjectFactory]
NOT_WEB_ADDRESSES = [
    "ftp://ftp.example.org/",
    "ftps://ftp.example.org/",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
]


@pytest.mark.parametrize("factory", WITH_WEBSITE)
@pytest.mark.parametrize("website", NOT_WEB_ADDRESSES)
def test_model_validation_refuses_a_website_that_is_not_http(factory, website):
    record = factory()
    record.website = website

    with pytest.raises(ValidationError) as error:
        record.full_clean()

    assert list(error.value.error_dict) == ["website"]
    assert {refusal.code for refusal in error.value.error_dict["website"]} == {
        "invalid"
    }
    # One message: URLField's own validator said "Enter a valid URL." before it
    # of a malformed address (two messages for one cell of a spreadsheet).
    with translation.override("en"):
        assert error.value.message_dict["website"] == [
            "Enter a web address starting with http:// or https://."
        ]


@pytest.mark.parametrize("factory", WITH_WEBSITE)
def test_a_well_formed_ftp_website_gets_the_scheme_message_alone(factory):
    record = factory()
    record.website = "ftp://ftp.example.org/"

    with pytest.raises(ValidationError) as error:
        record.full_clean()

    with translation.override("en"):
        assert error.value.message_dict == {
            "website": ["Enter a web address starting with http:// or https://."]
        }


@pytest.mark.parametrize("factory", WITH_WEBSITE)
@pytest.mark.parametrize("website", ["https://www.example.org/a?b=1", "http://x.org"])
def test_model_validation_accepts_an_http_or_https_website(factory, website):
    record = factory()
    record.website = website

    record.full_clean()


def page_of(client, record) -> str:
    response = client.get(record.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("factory", WITH_PAGE)
def test_the_page_links_to_an_https_website(client, factory):
    record = factory(website="https://www.example.org/lab/")

    link = '<a class="url" href="https://www.example.org/lab/">'
    assert link in page_of(client, record)


@pytest.mark.parametrize("factory", WITH_PAGE)
@pytest.mark.parametrize("website", [*NOT_WEB_ADDRESSES, " javascript:alert(1)"])
def test_the_page_never_links_to_another_scheme(client, factory, website):
    record = factory()
    # As an old row may hold it: update() skips validation.
    type(record).objects.filter(pk=record.pk).update(website=website)

    html = page_of(client, record)

    assert "ftp.example.org" not in html
    assert "alert(1)" not in html
    assert 'href="data:' not in html


def test_an_office_with_only_an_ftp_website_shows_no_contact_section(client):
    office = OfficeFactory(address="", email="", phone="")
    type(office).objects.filter(pk=office.pk).update(website="ftp://ftp.example.org/")

    assert 'id="contact-title"' not in page_of(client, office)


@pytest.mark.parametrize("factory", WITH_WEBSITE)
@pytest.mark.parametrize(
    ("website", "link"),
    [
        ("https://www.example.org/", "https://www.example.org/"),
        ("HTTP://WWW.EXAMPLE.ORG", "HTTP://WWW.EXAMPLE.ORG"),
        ("ftp://ftp.example.org/", ""),
        ("javascript:alert(1)", ""),
        ("", ""),
    ],
)
def test_website_link_is_the_website_in_http_or_https_only(factory, website, link):
    assert factory.build(website=website).website_link == link
