"""A partner's former addresses: those of the partners merged into it and its own
before its slug changed lead to its page, and to its API record, permanently."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.models import FormerAddress, Partner
from partners.publication import PublicationStatus
from partners.services import merge_partners
from tests.admin_forms import admin_url, form_data
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged():
    """Two duplicates of the University of Tokyo merged into the one kept."""
    kept = PartnerFactory(slug="universite-de-tokyo", ror_id="", pic="")
    first = PartnerFactory(slug="univ-tokyo", ror_id="", pic="")
    second = PartnerFactory(slug="utokyo", ror_id="", pic="")
    merge_partners(kept, [first, second])
    return kept


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("old", ["univ-tokyo", "utokyo"])
def test_a_merged_partners_page_redirects_to_the_kept_ones(
    client, merged, language, old
):
    response = client.get(f"/{language}/partners/{old}/")

    assert response.status_code == 301
    assert response["Location"] == f"/{language}/partners/universite-de-tokyo/"
    assert client.get(response["Location"]).status_code == 200


def test_a_merged_partners_api_record_redirects_to_the_kept_ones(client, merged):
    response = client.get("/api/partners/utokyo/?lang=en")

    assert response.status_code == 301
    assert response["Location"] == "/api/partners/universite-de-tokyo/?lang=en"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.get(response["Location"]).json()["slug"] == "universite-de-tokyo"


def test_the_admin_shows_the_former_addresses_read_only(admin_client, merged):
    response = admin_client.get(admin_url(Partner, "change", merged.pk))
    html = response.content.decode()
    assert "univ-tokyo, utokyo" in html
    assert 'name="former_addresses"' not in html


def test_a_merge_of_the_kept_partner_carries_its_former_addresses(client, merged):
    final = PartnerFactory(slug="the-university-of-tokyo", ror_id="", pic="")
    merge_partners(final, [merged])

    for old in ("univ-tokyo", "utokyo", "universite-de-tokyo"):
        response = client.get(f"/fr/partners/{old}/")
        assert response["Location"] == "/fr/partners/the-university-of-tokyo/"
    assert set(final.former_addresses.values_list("slug", flat=True)) == {
        "univ-tokyo",
        "utokyo",
        "universite-de-tokyo",
    }


def test_a_merged_partner_restored_from_its_history_has_its_address_back(
    client, merged
):
    duplicate_pk = Partner.history.get(slug="utokyo", history_type="-").id
    Partner.history.get(id=duplicate_pk, history_type="-").instance.save()

    assert client.get("/fr/partners/utokyo/").status_code == 200
    assert merged.former_slugs() == ["univ-tokyo"]
    # Deleted again, its address leads to the partner it was merged into, as
    # before it was restored.
    Partner.objects.get(pk=duplicate_pk).delete()
    assert client.get("/fr/partners/utokyo/")["Location"] == (
        "/fr/partners/universite-de-tokyo/"
    )
    # The other duplicate's still leads to the kept partner.
    assert client.get("/fr/partners/univ-tokyo/").status_code == 301


def test_a_changed_slug_leaves_a_redirection_from_the_old_one(client):
    partner = PartnerFactory(slug="cnrs-japan")
    partner = Partner.objects.get(pk=partner.pk)  # as the admin reads it
    partner.slug = "cnrs-tokyo"
    partner.save()

    response = client.get("/en/partners/cnrs-japan/")
    assert response.status_code == 301
    assert response["Location"] == "/en/partners/cnrs-tokyo/"

    # Given back its old slug: the new one now leads there, no loop.
    partner.slug = "cnrs-japan"
    partner.save()
    assert client.get("/en/partners/cnrs-japan/").status_code == 200
    assert client.get("/en/partners/cnrs-tokyo/")["Location"] == (
        "/en/partners/cnrs-japan/"
    )
    assert partner.former_slugs() == ["cnrs-tokyo"]


def test_a_slug_changed_in_the_admin_redirects(admin_client, client):
    partner = PartnerFactory(slug="old-slug")
    url = admin_url(Partner, "change", partner.pk)
    data = form_data(admin_client.get(url))
    data["slug"] = "new-slug"

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert client.get("/fr/partners/old-slug/")["Location"] == (
        "/fr/partners/new-slug/"
    )


def test_a_former_address_of_a_draft_is_not_found(client, merged):
    Partner.objects.filter(pk=merged.pk).update(
        publication_status=PublicationStatus.DRAFT
    )
    assert client.get("/fr/partners/utokyo/").status_code == 404
    assert client.get("/api/partners/utokyo/").status_code == 404


def former_address_queries(client, address, model=FormerAddress) -> tuple[int, int]:
    """Return how many queries ``address`` runs, and how many read ``model``'s table."""
    with CaptureQueriesContext(connection) as queries:
        client.get(address)
    table = model._meta.db_table
    return len(queries), sum(table in query["sql"] for query in queries)


def test_a_page_found_reads_no_former_address_and_a_miss_one(client, merged, uncached):
    found, found_reads = former_address_queries(
        client, "/fr/partners/universite-de-tokyo/"
    )
    assert found_reads == 0
    unknown, unknown_reads = former_address_queries(client, "/fr/partners/nope/")
    assert unknown_reads == 1
    moved, moved_reads = former_address_queries(client, "/fr/partners/utokyo/")
    assert moved_reads == 1
    assert moved == unknown
    api_unknown, api_reads = former_address_queries(client, "/api/partners/nope/")
    assert api_reads == 1


def test_a_draft_partner_with_a_former_address_leaves_it_leading_to_the_page(
    client, merged
):
    """An import or staff creating a draft at a merged partner's address: the
    address leads to the kept partner's page until the draft is published."""
    draft = PartnerFactory(slug="utokyo", publication_status=PublicationStatus.DRAFT)

    assert client.get("/fr/partners/utokyo/")["Location"] == (
        "/fr/partners/universite-de-tokyo/"
    )
    assert merged.former_slugs() == ["univ-tokyo", "utokyo"]

    draft.publication_status = PublicationStatus.PUBLISHED
    draft.save()

    assert client.get("/fr/partners/utokyo/").context["object"] == draft
    assert merged.former_slugs() == ["univ-tokyo"]


def test_a_new_partner_reads_and_writes_no_former_address():
    with CaptureQueriesContext(connection) as queries:
        PartnerFactory(slug="brand-new")
    table = FormerAddress._meta.db_table
    assert not [query for query in queries if table in query["sql"]]
