import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import translation

from partners.models import Office, Partner, latest_plausible_year
from partners.publication import PublishableModel
from programmes.models import Grant
from tests.admin_forms import form_data
from tests.factories import AgreementFactory, OfficeFactory, PartnerFactory
from units.models import Unit

pytestmark = pytest.mark.django_db


def assert_rejected_by_database(factory, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**fields)


@pytest.mark.parametrize(
    "ror_id", ["2feahw73", "02feahw7", "02feahi73", "12feahw73", "02FEAHW73"]
)
def test_database_rejects_malformed_ror_id(ror_id):
    assert_rejected_by_database(PartnerFactory, ror_id=ror_id)


def test_well_formed_ror_id_is_stored_with_its_url():
    partner = PartnerFactory(ror_id="042nb2s44")
    assert partner.ror_url == "https://ror.org/042nb2s44"


def test_ror_id_is_unique_but_may_be_left_empty():
    PartnerFactory(ror_id="042nb2s44")
    assert_rejected_by_database(PartnerFactory, ror_id="042nb2s44")
    PartnerFactory(ror_id="")
    PartnerFactory(ror_id="")
    assert Partner.objects.filter(ror_id="").count() == 2


def test_pic_is_nine_digits_and_unique():
    assert_rejected_by_database(PartnerFactory, pic="12345")
    PartnerFactory(pic="999997930")
    assert_rejected_by_database(PartnerFactory, pic="999997930")


def test_partner_cannot_be_its_own_parent():
    partner = PartnerFactory()
    partner.parent = partner
    with pytest.raises(IntegrityError), transaction.atomic():
        partner.save()


@pytest.mark.parametrize(
    "fields", [{"latitude": 91}, {"latitude": -90.5}, {"longitude": 180.5}]
)
def test_coordinates_stay_on_the_globe(fields):
    assert_rejected_by_database(PartnerFactory, **fields)


def test_model_validation_explains_a_malformed_ror_id():
    partner = PartnerFactory.build(ror_id="not-a-ror", slug="new-partner")
    with pytest.raises(ValidationError) as error:
        partner.full_clean()
    assert "ROR" in str(error.value)


def test_agreement_cannot_end_before_its_signature():
    assert_rejected_by_database(
        AgreementFactory,
        signed_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2019, 12, 31),
    )


def test_slugs_are_unique():
    PartnerFactory(slug="mit")
    assert_rejected_by_database(PartnerFactory, slug="mit")


def test_offices_covering_a_country_include_host_and_covered_countries():
    tokyo = OfficeFactory(country="JP", countries=["JP", "KR", "TW"])
    OfficeFactory(country="SG", countries=["SG", "MY"])
    assert list(Office.objects.covering("KR")) == [tokyo]
    assert list(Office.objects.covering("JP")) == [tokyo]
    assert not Office.objects.covering("FR").exists()


def test_public_hides_drafts():
    published = PartnerFactory()
    PartnerFactory(publication_status="draft")
    assert list(Partner.objects.public()) == [published]


def test_kind_country_and_slug_are_indexed_without_a_like_twin():
    """db_index on a CharField, or unique=True, adds a LIKE index on PostgreSQL:
    none is wanted here."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, Partner._meta.db_table
        )
    indexed = [tuple(details["columns"]) for details in constraints.values()]
    # PostgreSQL indexes the kind with the name as shown in each language
    # (migration 0031, generated columns the introspection leaves out); SQLite not.
    assert indexed.count(("kind",)) == 0
    # Of every partner (the admin's filter), and of the published ones alone
    # (counted per country): no LIKE twin of either.
    country_indexes = {
        name
        for name, details in constraints.items()
        if details["columns"] == ["country"]
    }
    assert country_indexes == {"partner_country", "partner_public_country"}
    slug_indexes = {
        name for name, details in constraints.items() if details["columns"] == ["slug"]
    }
    assert slug_indexes == {"partner_unique_slug"}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s "
                "AND indexdef LIKE '%%pattern_ops%%'",
                [Partner._meta.db_table],
            )
            like_indexes = [name for (name,) in cursor.fetchall()]
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s "
                "AND indexdef LIKE '%%(kind, %%'",
                [Partner._meta.db_table],
            )
            kind_indexes = sorted(name for (name,) in cursor.fetchall())
        assert kind_indexes == ["partner_kind_name_en", "partner_kind_name_fr"]
        # Nor of the publication status (PublishableModel.Meta's index).
        assert like_indexes == []


def indexes_of(table: str, columns: list[str]) -> list[str]:
    """The names of the indexes of ``table`` on ``columns`` alone, partial or not."""
    if connection.vendor == "sqlite":
        # Django's introspection cannot read the units table's generated columns.
        with connection.cursor() as cursor:
            names = [row[1] for row in cursor.execute(f'PRAGMA index_list("{table}")')]
            return [
                name
                for name in names
                if [row[2] for row in cursor.execute(f'PRAGMA index_info("{name}")')]
                == columns
            ]
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [
        name
        for name, details in constraints.items()
        if details["columns"] == columns and details["index"]
    ]


def publishable_models():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, PublishableModel) and not model._meta.proxy
    ]


@pytest.mark.parametrize(
    ("model", "columns"),
    [
        *((model, ["publication_status"]) for model in publishable_models()),
        (Unit, ["country"]),
        (Grant, ["scheme"]),
        (Grant, ["panel"]),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else "-".join(value),
)
def test_the_columns_of_statuses_and_codes_have_one_index_and_no_like_twin(
    model, columns
):
    table = model._meta.db_table
    indexes = indexes_of(table, columns)
    assert len(indexes) == 1, indexes
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s "
                "AND indexdef LIKE %s",
                [table, f"%({columns[0]} %pattern_ops)%"],
            )
            assert cursor.fetchall() == []


# Parent institutions never loop


def test_a_parent_chain_without_a_loop_is_valid():
    grandparent = PartnerFactory()
    parent = PartnerFactory(parent=grandparent)
    child = PartnerFactory(parent=parent)

    child.full_clean()
    assert child.parent_loop() == []


def test_a_partner_cannot_be_the_parent_of_its_own_parent():
    first = PartnerFactory()
    second = PartnerFactory(parent=first)
    first.parent = second

    with pytest.raises(ValidationError) as error:
        first.full_clean()

    chain = f"{first} → {second} → {first}"  # named when validated, in French
    with translation.override("en"):
        (message,) = error.value.message_dict["parent"]
    assert message == f"The parent institutions would form a loop: {chain}."


def test_a_longer_loop_is_found_too():
    first = PartnerFactory()
    second = PartnerFactory(parent=first)
    third = PartnerFactory(parent=second)
    first.parent = third

    assert first.parent_loop() == [first, third, second, first]
    with pytest.raises(ValidationError, match="boucle"):
        first.full_clean()


def test_model_validation_refuses_a_partner_as_its_own_parent():
    partner = PartnerFactory()
    partner.parent = partner

    with pytest.raises(ValidationError) as error:
        partner.full_clean()

    with translation.override("en"):
        assert error.value.message_dict["parent"] == [
            "An institution cannot be its own parent."
        ]


def test_a_loop_higher_up_ends_the_walk():
    """Rows written before the rule may loop: checking another partner still ends."""
    first, second = PartnerFactory(), PartnerFactory()
    Partner.objects.filter(pk=first.pk).update(parent=second)
    Partner.objects.filter(pk=second.pk).update(parent=first)
    child = PartnerFactory.build(parent=first, slug="child")

    assert child.parent_loop() == []


def partner_form(admin_client, partner) -> tuple[str, dict]:
    url = reverse("admin:partners_partner_change", args=(partner.pk,))
    return url, form_data(admin_client.get(url))


def test_the_admin_refuses_a_parent_that_would_loop(admin_client):
    first = PartnerFactory()
    second = PartnerFactory(parent=first)
    url, data = partner_form(admin_client, first)

    response = admin_client.post(url, {**data, "parent": str(second.pk)})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["parent"]
    assert str(second) in errors[0] and "→" in errors[0]
    first.refresh_from_db()
    assert first.parent is None


def test_the_admin_refuses_a_partner_as_its_own_parent(admin_client):
    partner = PartnerFactory()
    url, data = partner_form(admin_client, partner)

    response = admin_client.post(url, {**data, "parent": str(partner.pk)})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["parent"]
    partner.refresh_from_db()
    assert partner.parent is None


def test_the_admin_saves_a_parent_that_does_not_loop(admin_client):
    first, second = PartnerFactory(), PartnerFactory()
    url, data = partner_form(admin_client, first)

    response = admin_client.post(url, {**data, "parent": str(second.pk)})

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.parent == second


# Websites a public page may link to; office opening years


@pytest.mark.parametrize(
    "website",
    ["javascript:alert(1)", "ftp://ftp.example.org/", "data:text/html,x", "//x.org"],
)
def test_model_validation_refuses_a_website_that_is_not_http(website):
    partner = PartnerFactory.build(website=website, slug="new-partner")

    with pytest.raises(ValidationError) as error:
        partner.full_clean()

    assert "website" in error.value.message_dict


def test_the_admin_refuses_a_javascript_website(admin_client):
    partner = PartnerFactory()
    url, data = partner_form(admin_client, partner)

    response = admin_client.post(url, {**data, "website": "javascript:alert(1)"})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["website"]


@pytest.mark.parametrize(
    ("website", "link"),
    [
        ("https://www.u-tokyo.ac.jp/", "https://www.u-tokyo.ac.jp/"),
        ("HTTP://WWW.U-TOKYO.AC.JP", "HTTP://WWW.U-TOKYO.AC.JP"),
        ("javascript:alert(1)", ""),
        (" javascript:alert(1)", ""),
        ("ftp://ftp.example.org/", ""),
        ("", ""),
    ],
)
def test_website_link_is_the_website_in_http_or_https_only(website, link):
    assert PartnerFactory.build(website=website).website_link == link


@pytest.mark.parametrize("year", [99_999_999, 2100])
def test_the_admin_refuses_an_office_opening_year_far_ahead(admin_client, year):
    office = OfficeFactory(opening_year=2010)
    url = reverse("admin:partners_office_change", args=(office.pk,))
    data = form_data(admin_client.get(url))

    response = admin_client.post(url, {**data, "opening_year": str(year)})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["opening_year"]
    office.refresh_from_db()
    assert office.opening_year == 2010


def test_an_office_may_open_this_year_or_in_a_few_years():
    next_years = latest_plausible_year()
    OfficeFactory.build(opening_year=next_years, slug="new-office").full_clean()
    with pytest.raises(ValidationError, match=str(next_years)):
        OfficeFactory.build(opening_year=next_years + 1, slug="o").full_clean()


@pytest.mark.parametrize("tag", ["pt", "ja", "zh-Hant", "pt-BR", "haw"])
def test_the_language_of_an_original_name_takes_language_codes(tag):
    PartnerFactory.build(original_name_language=tag).full_clean(
        exclude=["slug", "parent"]
    )


@pytest.mark.parametrize("tag", ["Japanese", "j", "ja_JP", "ja-", '"><script>'])
def test_the_language_of_an_original_name_refuses_other_text(tag):
    partner = PartnerFactory.build(original_name_language=tag)
    with pytest.raises(ValidationError) as error:
        partner.full_clean(exclude=["slug", "parent"])
    assert "original_name_language" in error.value.message_dict


def test_a_country_is_covered_by_one_office():
    OfficeFactory(name_en="CNRS Tokyo Office", country="JP", countries=["JP", "KR"])
    beijing = OfficeFactory.build(country="CN", countries=["MN", "KR", "JP"])
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        beijing.full_clean(exclude=["slug"])
    assert refused.value.message_dict["countries"] == [
        f"{name} is already covered by CNRS Tokyo Office: remove it from this list, "
        "or from that office first."
        for name in ["Japan", "South Korea"]
    ]
    beijing.countries = ["MN"]
    beijing.full_clean(exclude=["slug"])


def test_a_host_country_another_office_covers_is_refused():
    OfficeFactory(name_en="CNRS Tokyo Office", country="JP", countries=["KR"])
    seoul = OfficeFactory.build(country="KR", countries=[])
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        seoul.full_clean(exclude=["slug"])
    assert refused.value.message_dict["country"] == [
        "South Korea is already covered by CNRS Tokyo Office: remove it from that "
        "office's countries first."
    ]


def test_an_office_saved_again_does_not_cover_its_own_countries_twice():
    tokyo = OfficeFactory(country="JP", countries=["JP", "KR"])
    tokyo.full_clean()
