"""An agreement's dates on the pages that list it (a country's, a partner's, an
office's): "until" an end to come, "ended on" one past, in both languages; those in
force listed first."""

import datetime

import pytest

from partners.models import Agreement
from tests.factories import AgreementFactory, OfficeFactory, PartnerFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 6)


@pytest.fixture
def on_2026_12_06(monkeypatch):
    monkeypatch.setattr(
        "partners.models.timezone.localdate", lambda: datetime.date(2026, 12, 6)
    )


@pytest.mark.parametrize(
    ("ends_on", "ended"),
    [
        (None, False),
        (datetime.date(2030, 1, 14), False),
        (TODAY, False),  # in force until the day ends
        (datetime.date(2026, 12, 5), True),
    ],
)
def test_an_agreement_has_ended_once_its_end_date_has_passed(
    on_2026_12_06, ends_on, ended
):
    agreement = Agreement(signed_on=datetime.date(2020, 1, 15), ends_on=ends_on)
    assert agreement.has_ended is ended


@pytest.fixture
def agreements():
    """An agreement in force and one ended, of a Japanese partner and an office."""
    office = OfficeFactory(slug="tokyo", country="JP", countries=["JP"])
    partner = PartnerFactory(slug="utokyo", country="JP")
    for title, signed_on, ends_on in (
        ("Current", datetime.date(2012, 1, 15), datetime.date(2030, 1, 14)),
        ("Former", datetime.date(2014, 7, 1), datetime.date(2019, 6, 30)),
    ):
        agreement = AgreementFactory(
            title_en=title,
            title_fr=title,
            countries=["JP"],
            office=office,
            signed_on=signed_on,
            ends_on=ends_on,
        )
        agreement.partners.add(partner)


@pytest.mark.parametrize(
    "address",
    [
        "/{language}/countries/JP/",
        "/{language}/partners/utokyo/",
        "/{language}/offices/tokyo/",
    ],
)
@pytest.mark.parametrize(
    ("language", "until", "ended"),
    [
        ("en", "until 14 January 2030", "ended on 30 June 2019"),
        ("fr", "jusqu’au 14 janvier 2030", "terminé le 30 juin 2019"),
    ],
)
def test_pages_say_whether_an_agreement_is_in_force(
    client, agreements, address, language, until, ended
):
    response = client.get(address.format(language=language))

    assert response.status_code == 200
    html = response.content.decode().replace("\u00a0", " ")
    assert until in html
    assert ended in html
    assert "until 30 June 2019" not in html
    assert "jusqu’au 30 juin 2019" not in html
    # In force first, though signed after the one ended.
    assert html.index(until) < html.index(ended)
