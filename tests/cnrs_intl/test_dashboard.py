import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cnrs_intl import dashboard
from partners.models import Partner
from programmes.models import Grant, Project
from tests.factories import (
    AgreementFactory,
    GrantFactory,
    PartnerFactory,
    PersonFactory,
    TestimonyFactory,
    UnitFactory,
)
from tests.plans import plan
from units.models import Person, Unit

pytestmark = pytest.mark.django_db


def test_counts_say_how_many_records_and_drafts_each_model_has():
    UnitFactory()
    UnitFactory(publication_status="draft")
    counts = {count.model.__name__: count for count in dashboard.model_counts()}
    assert (counts["Unit"].total, counts["Unit"].drafts) == (2, 1)
    assert counts["Institute"].drafts is None  # no publication status


def test_grants_and_agreements_ending_in_the_next_90_days():
    today = timezone.localdate()
    soon = GrantFactory(
        start_date=today - datetime.timedelta(days=900),
        end_date=today + datetime.timedelta(days=30),
    )
    GrantFactory(
        start_date=today - datetime.timedelta(days=900),
        end_date=today + datetime.timedelta(days=200),
    )
    ending = AgreementFactory(
        signed_on=today - datetime.timedelta(days=900),
        ends_on=today + datetime.timedelta(days=89),
    )
    AgreementFactory(signed_on=today - datetime.timedelta(days=900), ends_on=None)
    grants, agreements = dashboard.ending_soon(today)
    assert grants == [soon]
    assert agreements == [ending]


def test_records_missing_a_language_are_listed():
    UnitFactory(name_fr="Laboratoire", name_en="Laboratory")
    gap = UnitFactory(name_fr="Laboratoire sans traduction", name_en="")
    PartnerFactory(name_fr="", name_en="English only")
    gaps = {entry["model"]: entry for entry in dashboard.missing_translations()}
    assert gaps[Unit]["count"] == 1
    assert gaps[Unit]["examples"][0][0] == str(gap)
    assert gaps[Partner]["count"] == 1


def test_partners_whose_names_differ_by_accents_in_one_country_are_flagged():
    a = PartnerFactory(name_fr="Université de São Paulo", country="BR")
    b = PartnerFactory(name_fr="Universite de Sao Paulo", country="BR")
    PartnerFactory(name_fr="Université de São Paulo", country="PT")
    PartnerFactory(name_fr="Another one", country="BR")
    [group] = dashboard.possible_duplicate_partners()
    assert (group.country, group.count, group.shown, group.more) == ("BR", 2, [a, b], 0)
    assert group.merge_ids == f"{a.pk},{b.pk}"


def test_duplicates_are_found_again_after_a_while_or_once_one_is_gone():
    a = PartnerFactory(name_fr="Université de Lund", country="SE")
    b = PartnerFactory(name_fr="Universite de Lund", country="SE")
    assert [group.partners for group in dashboard.recent_duplicate_partners()] == [
        [a, b]
    ]
    c = PartnerFactory(name_fr="Institut Pasteur", country="SE")
    d = PartnerFactory(name_fr="Institut Pasteur", country="SE")
    # Kept (grouping a million partners takes seconds): the new pair waits.
    assert len(dashboard.recent_duplicate_partners()) == 1
    b.delete()  # as a merge does
    assert [group.partners for group in dashboard.recent_duplicate_partners()] == [
        [c, d]
    ]


def test_a_large_group_of_duplicates_names_a_few_and_links_to_the_rest(admin_client):
    """Thousands of partners may share a name (generated data, a bad import)."""
    twelve = [
        PartnerFactory(name_fr="Université de Lund", country="SE") for _ in range(12)
    ]
    PartnerFactory(name_fr="Institut Pasteur", country="SE")
    PartnerFactory(name_fr="Institut Pasteur", country="SE")

    lund, pasteur = dashboard.possible_duplicate_partners()
    assert lund.count == 12 and lund.shown == twelve[:5] and lund.more == 7
    assert lund.merge_ids is None  # too many to merge at once
    assert lund.list_url == (
        "/admin/partners/partner/?country=SE&q=Universit%C3%A9+de+Lund"
    )
    assert pasteur.merge_ids is not None

    page = admin_client.get(reverse("admin:index")).text
    assert "et 7 autres" in page
    assert page.count("Fusionner") == 1  # Institut Pasteur's only
    changelist = admin_client.get(lund.list_url)
    assert changelist.context["cl"].result_count == 12


def test_last_changes_name_their_author(admin_client, admin_user):
    partner = PartnerFactory(name_fr="Avant")
    admin_client.post(
        reverse("admin:partners_partner_change", args=[partner.pk]),
        {
            **{
                field: getattr(partner, field)
                for field in ("name_fr", "name_en", "slug", "kind", "status")
            },
            "name_fr": "Après",
            "country": "JP",
            "publication_status": "published",
            # The version the form was opened on (partners.admin.ConcurrentChangeForm).
            "opened_version": partner.updated.isoformat(),
        },
    )
    latest = dashboard.recent_changes()[0]
    assert Partner.objects.get(pk=partner.pk).name_fr == "Après"
    assert latest.history_user == admin_user


def populate(rows):
    today = timezone.localdate()
    for index in range(rows):
        UnitFactory(name_en="")
        PartnerFactory(name_fr=f"Doublon {index}", country="BR")
        PartnerFactory(name_fr=f"Doublon {index}", country="BR")
        GrantFactory(
            start_date=today - datetime.timedelta(days=900),
            end_date=today + datetime.timedelta(days=10),
        )


GAP_INDEXED = [Partner, Person, Grant, Project]


@pytest.mark.parametrize("model", GAP_INDEXED)
def test_the_indexes_of_records_missing_a_language_hold_the_dashboards_condition(
    model,
):
    # PostgreSQL uses a partial index only for a query holding its condition: one
    # built with other fields, or in another order, would never be read.
    [index] = [i for i in model._meta.indexes if i.name.endswith("translation_gap")]
    assert index.condition == dashboard._translation_gap(model)


@pytest.mark.postgresql
@pytest.mark.parametrize("model", GAP_INDEXED)
def test_records_missing_a_language_are_read_from_their_index(model):
    # After each change the dashboard counted and listed them by reading every row
    # (a million partners: 0.3-0.5 s).
    rows = model._default_manager.filter(dashboard._translation_gap(model))
    index = f"{model._meta.model_name}_translation_gap"
    assert index in plan(rows.order_by("-pk")[:5])
    assert index in plan(rows.order_by())


@pytest.mark.postgresql
def test_grants_ending_soon_are_read_from_their_index():
    today = timezone.localdate()
    grants = Grant.objects.filter(
        end_date__range=(today, today + datetime.timedelta(days=90))
    ).order_by("end_date")[:20]
    assert "grant_end_date" in plan(grants)


def test_dashboard_query_count_does_not_grow_with_the_data(admin_client):
    def queries():
        cache.clear()  # each time from nothing, the duplicates included
        with CaptureQueriesContext(connection) as context:
            assert admin_client.get(reverse("admin:index")).status_code == 200
        return len(context)

    populate(3)
    few = queries()
    populate(27)
    assert queries() == few


def test_last_changes_name_the_record_without_the_history_date(admin_client):
    testimony = TestimonyFactory(
        person=PersonFactory(first_name="Patrick", last_name="Nédellec"),
        quote="Avec 440 lauréats, le CNRS est la première institution.",
    )

    latest = dashboard.recent_changes()[0]
    html = admin_client.get(reverse("admin:index")).content.decode()

    assert latest.label == str(testimony)
    changes = html[html.index('id="dashboard-changes"') :]
    assert "Patrick Nédellec: Avec 440 lauréats" in changes
    assert " as of " not in changes


def test_last_changes_name_a_record_whose_related_record_is_gone(admin_client):
    testimony = TestimonyFactory()
    person, pk = testimony.person, testimony.pk
    testimony.delete()
    person.delete()

    response = admin_client.get(reverse("admin:index"))

    assert response.status_code == 200
    labels = [entry.label for entry in response.context["recent_changes"]]
    assert f"Témoignage #{pk}" in labels


def test_last_changes_read_the_people_quoted_with_their_testimonies():
    def queries():
        with CaptureQueriesContext(connection) as context:
            dashboard.recent_changes()
        return len(context)

    TestimonyFactory()
    one = queries()
    for _ in range(5):
        TestimonyFactory()
    assert queries() == one
