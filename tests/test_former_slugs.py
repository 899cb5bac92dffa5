"""A unit's, office's, programme's, grant's or project's slug changed by staff: the
old address leads to the page, and to the API record, permanently (as a partner's,
tests/partners/test_former_addresses.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.models import (
    FormerAddress,
    FormerSlug,
    Office,
    Partner,
    slug_in_other_case,
)
from partners.publication import PublicationStatus
from programmes.models import Grant, Programme, Project
from tests.admin_forms import admin_url, form_data
from tests.factories import (
    GrantFactory,
    InstituteFactory,
    OfficeFactory,
    PartnerFactory,
    ProgrammeFactory,
    ProjectFactory,
    UnitFactory,
)
from tests.partners.test_former_addresses import former_address_queries
from units.models import Unit

pytestmark = pytest.mark.django_db

# Each model with its factory, the path of its pages and of its API records.
PAGES = {
    "unit": (UnitFactory, "units", "units"),
    "office": (OfficeFactory, "offices", "offices"),
    "programme": (ProgrammeFactory, "programmes", "programmes"),
    "grant": (GrantFactory, "grants", "grants"),
    "project": (ProjectFactory, "projects", "projects"),
}


@pytest.fixture(params=PAGES)
def kind(request):
    return request.param


def moved(kind, old="old-address", new="new-address"):
    """A record of ``kind`` whose slug staff changed from ``old`` to ``new``."""
    factory = PAGES[kind][0]
    record = factory(slug=old)
    record = type(record).objects.get(pk=record.pk)  # as the admin reads it
    record.slug = new
    record.save()
    return record


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_old_address_leads_to_the_page(client, kind, language):
    moved(kind)
    path = PAGES[kind][1]

    response = client.get(f"/{language}/{path}/old-address/?from=newsletter")

    assert response.status_code == 301
    assert response["Location"] == (f"/{language}/{path}/new-address/?from=newsletter")
    assert client.get(response["Location"]).status_code == 200


def test_the_old_api_address_leads_to_the_record(client, kind):
    moved(kind)
    path = PAGES[kind][2]

    response = client.get(f"/api/{path}/old-address/?lang=en")

    assert response.status_code == 301
    assert response["Location"] == f"/api/{path}/new-address/?lang=en"
    assert client.get(response["Location"]).json()["slug"] == "new-address"


def test_an_unknown_address_is_still_not_found(client, kind):
    moved(kind)
    path = PAGES[kind][1]
    assert client.get(f"/en/{path}/never-was/").status_code == 404
    assert client.get(f"/api/{PAGES[kind][2]}/never-was/").status_code == 404


def test_given_back_its_old_slug_the_record_is_there_again(client, kind):
    record = moved(kind)
    path = PAGES[kind][1]

    record.slug = "old-address"
    record.save()

    assert client.get(f"/en/{path}/old-address/").status_code == 200
    assert client.get(f"/en/{path}/new-address/")["Location"] == (
        f"/en/{path}/old-address/"
    )
    assert record.former_slugs() == ["new-address"]


def test_a_record_changed_twice_keeps_both_addresses(client, kind):
    record = moved(kind, "first", "second")
    record.slug = "third"
    record.save()
    path = PAGES[kind][1]

    for old in ("first", "second"):
        assert client.get(f"/fr/{path}/{old}/")["Location"] == f"/fr/{path}/third/"
    assert record.former_slugs() == ["first", "second"]


def test_a_new_record_with_a_former_slug_takes_the_address(client, kind):
    record = moved(kind)
    newcomer = PAGES[kind][0](slug="old-address")
    path = PAGES[kind][1]

    assert client.get(f"/en/{path}/old-address/").context["object"] == newcomer
    assert client.get(f"/api/{PAGES[kind][2]}/old-address/").status_code == 200
    assert record.former_slugs() == []
    assert newcomer.former_slugs() == []


def test_a_draft_with_a_former_slug_leaves_it_leading_to_the_page(client, kind):
    """Until a record taking another's former slug is published, the address
    keeps leading to the page that had it, not to a 404."""
    record = moved(kind)
    factory, path, api_path = PAGES[kind]
    draft = factory(slug="old-address", publication_status=PublicationStatus.DRAFT)

    assert client.get(f"/en/{path}/old-address/")["Location"] == (
        f"/en/{path}/new-address/"
    )
    assert client.get(f"/api/{api_path}/old-address/").status_code == 301
    assert record.former_slugs() == ["old-address"]

    draft.publication_status = PublicationStatus.PUBLISHED
    draft.save()

    assert client.get(f"/en/{path}/old-address/").context["object"] == draft
    assert record.former_slugs() == []


def test_a_new_record_reads_and_writes_no_former_slug(kind):
    with CaptureQueriesContext(connection) as queries:
        PAGES[kind][0](slug="brand-new")
    table = FormerSlug._meta.db_table
    assert not [query for query in queries if table in query["sql"]]


def test_a_former_address_of_a_draft_is_not_found(client, kind):
    record = moved(kind)
    type(record).objects.filter(pk=record.pk).update(
        publication_status=PublicationStatus.DRAFT
    )
    assert client.get(f"/en/{PAGES[kind][1]}/old-address/").status_code == 404
    assert client.get(f"/api/{PAGES[kind][2]}/old-address/").status_code == 404


def test_kinds_of_records_do_not_share_former_addresses(client):
    moved("unit", "cnrs-tokyo", "irl-tokyo")
    assert client.get("/en/offices/cnrs-tokyo/").status_code == 404


def test_a_record_restored_from_its_history_has_its_former_addresses_back(client, kind):
    record = moved(kind)
    pk = record.pk
    record.delete()
    path = PAGES[kind][1]
    assert client.get(f"/en/{path}/old-address/").status_code == 404

    type(record).history.filter(id=pk, history_type="-").get().instance.save()

    assert client.get(f"/en/{path}/old-address/")["Location"] == (
        f"/en/{path}/new-address/"
    )


@pytest.mark.parametrize("factory", [UnitFactory, PartnerFactory])
def test_a_revert_to_an_older_slug_leaves_the_newer_one_leading_there(client, factory):
    """A version of the history is not read from the table: the record's row says
    which slug the revert leaves."""
    record = factory(slug="before")
    record = type(record).objects.get(pk=record.pk)
    record.slug = "after"
    record.save()
    first_version = record.history.earliest()

    first_version.instance.save()

    path = "units" if factory is UnitFactory else "partners"
    assert client.get(f"/en/{path}/before/").status_code == 200
    assert client.get(f"/en/{path}/after/")["Location"] == f"/en/{path}/before/"
    assert record.former_slugs() == ["after"]


@pytest.mark.parametrize(
    "model, factory",
    [
        (Unit, UnitFactory),
        (Office, OfficeFactory),
        (Programme, ProgrammeFactory),
        (Grant, GrantFactory),
        (Project, ProjectFactory),
    ],
)
def test_the_admin_shows_the_former_addresses_read_only(admin_client, model, factory):
    record = factory(slug="old-address")
    url = admin_url(model, "change", record.pk)
    data = form_data(admin_client.get(url))
    data["slug"] = "new-address"

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    html = admin_client.get(url).content.decode()
    assert "old-address" in html
    assert 'name="former_addresses"' not in html
    assert model.moved_from("old-address", model.objects.all()) == record


def test_a_partners_former_addresses_stay_its_own():
    """Merges fill a partner's former addresses: they stay in their own table."""
    partner = PartnerFactory(slug="cnrs-japan")
    partner = Partner.objects.get(pk=partner.pk)
    partner.slug = "cnrs-tokyo"
    partner.save()

    assert list(FormerAddress.objects.values_list("slug", flat=True)) == ["cnrs-japan"]
    assert not FormerSlug.objects.exists()


def former_slug_queries(client, address) -> tuple[int, int]:
    """Return how many queries ``address`` runs, and how many read former slugs."""
    return former_address_queries(client, address, FormerSlug)


def test_a_page_found_reads_no_former_slug_and_a_miss_one(client, kind, uncached):
    moved(kind)
    path = PAGES[kind][1]
    _, found_reads = former_slug_queries(client, f"/fr/{path}/new-address/")
    assert found_reads == 0
    unknown, unknown_reads = former_slug_queries(client, f"/fr/{path}/nope/")
    assert unknown_reads == 1
    redirected, redirected_reads = former_slug_queries(
        client, f"/fr/{path}/old-address/"
    )
    assert redirected_reads == 1
    assert redirected == unknown


def test_a_save_of_other_fields_leaves_the_addresses_alone(client):
    unit = UnitFactory(slug="kept")
    unit = Unit.objects.get(pk=unit.pk)
    unit.slug = "not-saved"
    unit.save(update_fields=["name_en"])

    assert client.get("/en/units/kept/").status_code == 200
    assert not FormerSlug.objects.exists()


# --- Addresses naming a record by an identifier, stable where slugs change


@pytest.mark.parametrize(
    "address",
    [
        "irl-3218",
        "umi-3218",
        "IRL3218",
        "umi_3218",
        "irl-03218",
        # The code as printed, with its space (QA46 B10): it was a 404.
        "IRL%203218",
        "UMI 3218",
        "IRL+3218",  # as some forms write the space
        "IRL%C2%A03218",  # a no-break space, copied from a page
    ],
)
def test_a_unit_s_code_in_an_address_leads_to_its_page(client, address):
    """An IRL keeps the number it had as a UMI: either names it."""
    UnitFactory(slug="jrl", code="UMI 3218")

    response = client.get(f"/en/units/{address}/", {"from": "lettre"})

    assert response.status_code == 301
    assert response["Location"] == "/en/units/jrl/?from=lettre"
    api = client.get(f"/api/units/{address}/", {"lang": "en"})
    assert (api.status_code, api["Location"]) == (301, "/api/units/jrl/?lang=en")


@pytest.mark.parametrize(
    "address", ["IRL%209999", "nothing%203218", "IRL%20x", "IRL%203218%20x"]
)
def test_an_address_with_a_space_naming_no_unit_is_not_found(client, address):
    UnitFactory(slug="jrl", code="UMI 3218")
    assert client.get(f"/en/units/{address}/").status_code == 404


def test_a_unit_s_former_code_in_an_address_leads_to_its_page(client):
    UnitFactory(slug="mse2", code="IRL 3466", predecessor_code="UMI 9999")
    assert client.get("/fr/units/umi-9999/")["Location"] == "/fr/units/mse2/"
    assert client.get("/fr/units/umifre-19/").status_code == 404


def test_an_umifre_s_code_in_an_address_leads_to_its_page(client):
    UnitFactory(slug="ifre", kind="umifre", code="UMIFRE 19")
    assert client.get("/fr/units/umifre-19/")["Location"] == "/fr/units/ifre/"


@pytest.mark.parametrize(
    ("factory", "fields", "address", "page"),
    [
        (PartnerFactory, {"ror_id": "042nb2s44"}, "partners/042nb2s44", "partners"),
        (PartnerFactory, {"pic": "999997930"}, "partners/999997930", "partners"),
        (ProjectFactory, {"cordis_id": "634674"}, "projects/634674", "projects"),
        (GrantFactory, {"cordis_id": "633152"}, "grants/633152", "grants"),
    ],
)
def test_an_identifier_in_an_address_leads_to_its_record_s_page(
    client, factory, fields, address, page
):
    factory(slug="its-page", **fields)

    assert client.get(f"/en/{address}/")["Location"] == f"/en/{page}/its-page/"
    assert client.get(f"/api/{address}/?lang=en")["Location"] == (
        f"/api/{page}/its-page/?lang=en"
    )


def test_a_draft_s_identifier_in_an_address_is_not_found(client):
    UnitFactory(code="IRL 3757", publication_status=PublicationStatus.DRAFT)
    PartnerFactory(ror_id="042nb2s44", publication_status=PublicationStatus.DRAFT)
    assert client.get("/en/units/irl-3757/").status_code == 404
    assert client.get("/en/partners/042nb2s44/").status_code == 404


def test_a_slug_shaped_as_an_identifier_is_the_record_s_own_page(client):
    UnitFactory(slug="irl-3757", code="IRL 1")
    UnitFactory(slug="other", code="IRL 3757")
    assert client.get("/en/units/irl-3757/").status_code == 200


def test_an_address_without_an_identifier_s_shape_reads_no_record_more(
    client, uncached
):
    UnitFactory(code="IRL 3757")
    with CaptureQueriesContext(connection) as plain:
        assert client.get("/en/units/nothing-here/").status_code == 404
    with CaptureQueriesContext(connection) as shaped:
        assert client.get("/en/units/irl-1234/").status_code == 404
    # The former slugs, then the codes: one query more.
    assert len(shaped) == len(plain) + 1
    # A code as printed, with its space (QA46 B10), reads as many: no slug in
    # another case (a slug has no space); another part with a space no more.
    with CaptureQueriesContext(connection) as printed:
        assert client.get("/en/units/IRL%201234/").status_code == 404
    assert len(printed) == len(shaped)
    with CaptureQueriesContext(connection) as spaced:
        assert client.get("/en/units/Nothing%201234/").status_code == 404
    assert len(spaced) <= len(plain)


# --- A slug given in another case: the acronym as printed (/units/JRL/)

CASED = {**PAGES, "partner": (PartnerFactory, "partners", "partners")}


@pytest.mark.parametrize("kind", CASED)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_slug_in_another_case_leads_to_the_page(client, kind, language):
    factory, path, api_path = CASED[kind]
    factory(slug="jrl")

    for asked in ("JRL", "Jrl"):
        response = client.get(f"/{language}/{path}/{asked}/?from=lettre")
        assert response.status_code == 301
        assert response["Location"] == f"/{language}/{path}/jrl/?from=lettre"
        response = client.get(f"/api/{api_path}/{asked}/?lang=en")
        assert response.status_code == 301
        assert response["Location"] == f"/api/{api_path}/jrl/?lang=en"
    assert client.get(f"/{language}/{path}/jrl/").status_code == 200


def test_an_institute_s_slug_in_capitals_leads_to_its_record(client):
    InstituteFactory(code="INSB", slug="insb")
    response = client.get("/api/institutes/INSB/")
    assert (response.status_code, response["Location"]) == (
        301,
        "/api/institutes/insb/",
    )


def test_slugs_differing_only_by_case_are_each_their_own_page(client):
    first, second = UnitFactory(slug="abc"), UnitFactory(slug="ABC")
    assert client.get("/en/units/abc/").context["object"] == first
    assert client.get("/en/units/ABC/").context["object"] == second
    # Another case leads to the slug in lower case, as the site makes them.
    assert client.get("/en/units/Abc/")["Location"] == "/en/units/abc/"


def test_a_slug_staff_typed_with_capitals_is_found_as_typed_only(client):
    UnitFactory(slug="JRL")
    assert client.get("/en/units/JRL/").status_code == 200
    assert client.get("/en/units/jrl/").status_code == 404
    assert client.get("/en/units/Jrl/").status_code == 404


def test_a_draft_s_slug_in_another_case_is_not_found(client):
    UnitFactory(slug="jrl", publication_status=PublicationStatus.DRAFT)
    assert client.get("/en/units/JRL/").status_code == 404
    assert client.get("/api/units/JRL/").status_code == 404


def test_a_slug_in_another_case_is_looked_for_after_the_slug_as_given(client, uncached):
    def queries(address, status) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == status
        return len(captured)

    UnitFactory(slug="jrl")
    UnitFactory(slug="ABC")
    # A page's own address, whatever its case, reads no other.
    assert queries("/en/units/ABC/", 200) == queries("/en/units/jrl/", 200)
    # The slug as given, its former slugs, then the slug in lower case and the
    # former slugs in lower case: two queries more, for a part holding capitals
    # only. A part in lower case that found nothing (a crawler's or a typo's
    # 404) reads no more than before.
    missed = queries("/en/units/nothing-here/", 404)
    assert queries("/en/units/NOTHING-HERE/", 404) == missed + 2
    assert queries("/en/units/JRL/", 301) == missed + 1


@pytest.mark.parametrize("kind", PAGES)
def test_a_former_slug_in_another_case_leads_to_the_page(client, kind):
    moved(kind)
    path, api_path = PAGES[kind][1:]
    # In one step, to the page's address now.
    response = client.get(f"/fr/{path}/Old-Address/?from=lettre")
    assert (response.status_code, response["Location"]) == (
        301,
        f"/fr/{path}/new-address/?from=lettre",
    )
    response = client.get(f"/api/{api_path}/OLD-ADDRESS/")
    assert (response.status_code, response["Location"]) == (
        301,
        f"/api/{api_path}/new-address/",
    )


@pytest.mark.parametrize("model", [Partner, Unit])
def test_a_slug_in_another_case_is_read_from_the_unique_index(model):
    # The slug compared as stored, which the unique index of slugs gives, on
    # both databases: a comparison ignoring case (iexact, a LIKE on SQLite;
    # UPPER(slug)) would need another index, which every write of a million
    # partners pays.
    with CaptureQueriesContext(connection) as captured:
        assert slug_in_other_case("MIT", model.objects.public()) is None
    (query,) = captured.captured_queries
    assert "\"slug\" = 'mit'" in query["sql"], query["sql"]
    assert "UPPER" not in query["sql"] and "LIKE" not in query["sql"]
    assert "ORDER BY" not in query["sql"]
    if connection.vendor == "sqlite":
        # PostgreSQL's planner, on a test's few rows, takes any index.
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
            result = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "unique_slug" in result or "autoindex" in result, result
