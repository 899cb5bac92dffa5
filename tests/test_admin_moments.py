"""The admin writes the moments of versions to the second, as the history pages do,
in each language's format: on the dashboard's last changes and on the deleted
records pages too (the ``moment`` filter, ``shown_moment`` in partners/history.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from partners.models import Partner
from programmes.models import Grant
from tests.admin_forms import admin_url
from tests.factories import GrantFactory, PartnerFactory

pytestmark = pytest.mark.django_db

# 05:19:41 in Paris; a version of the same minute, 20 seconds before.
SAVED = datetime.datetime(2026, 12, 6, 4, 19, 41, tzinfo=datetime.UTC)
WRITTEN = {
    "fr": "6 décembre 2026 05:19:41",
    "en": "6 December 2026, 05:19:41",
}
SAME_MINUTE = {
    "fr": "6 décembre 2026 05:19:21",
    "en": "6 December 2026, 05:19:21",
}


def dated(version, moment):
    type(version).objects.filter(pk=version.pk).update(history_date=moment)


def page(client, url, language) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_dashboards_last_changes_are_dated_to_the_second(admin_client, language):
    partner = PartnerFactory(name_fr="Université de Tokyo")
    dated(partner.history.get(), SAVED)
    other = PartnerFactory(name_fr="Université de Kyoto")
    dated(other.history.get(), SAVED - datetime.timedelta(seconds=20))

    html = page(admin_client, reverse("admin:index"), language)

    changes = html[html.index('id="dashboard-changes"') :]
    assert escape(WRITTEN[language]) in changes
    assert escape(SAME_MINUTE[language]) in changes
    # As the record's history page writes it.
    history = page(admin_client, admin_url(Partner, "history", partner.pk), language)
    assert escape(WRITTEN[language]) in history


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_deleted_records_are_dated_to_the_second(admin_client, language):
    partner = PartnerFactory(name_fr="Université de Tokyo")
    pk = partner.pk
    partner.delete()
    deletion = Partner.history.get(id=pk, history_type="-")
    dated(deletion, SAVED)

    html = page(admin_client, reverse("admin:partners_partner_deleted"), language)

    table = html[html.index('id="deleted-records"') :]
    assert escape(WRITTEN[language]) in table
    history = page(admin_client, admin_url(Partner, "history", pk), language)
    assert escape(WRITTEN[language]) in history


@pytest.mark.parametrize(
    ("language", "written"),
    [("fr", "1er mars 2026 10:00:05"), ("en", "1 March 2026, 10:00:05")],
)
def test_a_moment_on_the_first_of_a_month_is_written_as_the_public_pages(
    admin_client, language, written
):
    partner = PartnerFactory()
    version = Partner.history.get(id=partner.pk)
    dated(version, datetime.datetime(2026, 3, 1, 9, 0, 5, tzinfo=datetime.UTC))

    history = page(admin_client, admin_url(Partner, "history", partner.pk), language)

    assert f"<td>{written}</td>" in history


@pytest.mark.parametrize(
    ("language", "created", "updated", "acronym"),
    [
        # Not "Date de création", beside a unit's "Année de création".
        ("fr", "Fiche créée le", "Dernière mise à jour", "Sigle du projet"),
        ("en", "Record created", "Last updated", "Project acronym"),
    ],
)
def test_a_records_moments_are_named_apart_from_a_founding_year(
    admin_client, language, created, updated, acronym
):
    grant = GrantFactory()
    Grant.objects.filter(pk=grant.pk).update(
        created=datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)
    )

    form = page(admin_client, admin_url(Grant, "change", grant.pk), language)

    colon = "\u00a0:" if language == "fr" else ":"
    first = "1er mars 2026 10:00" if language == "fr" else "1 March 2026, 10:00"
    assert f"<label>{created}{colon}</label>" in form
    assert f'<div class="readonly">{first}</div>' in form
    assert f'<label class="inline">{updated}{colon}</label>' in form
    assert f">{acronym}{colon}</label>" in form
