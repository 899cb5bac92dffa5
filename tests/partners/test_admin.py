import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from partners.admin import PartnerAdmin
from partners.models import Agreement, Partner
from partners.publication import PublicationStatus
from programmes.models import Grant
from tests.admin_forms import admin_url, autocomplete, form_data, search
from tests.factories import AgreementFactory, OfficeFactory, PartnerFactory
from units.models import Person, Unit

pytestmark = pytest.mark.django_db

PARTNER_CHANGELIST = reverse("admin:partners_partner_changelist")


@pytest.fixture
def tokyo():
    return PartnerFactory(
        name_fr="Université de Tokyo",
        name_en="University of Tokyo",
        acronym="UTokyo",
        slug="universite-de-tokyo",
    )


@pytest.mark.parametrize("term", ["Université de Tokyo", "University of Tokyo"])
def test_partner_search_finds_name_in_either_language(admin_client, tokyo, term):
    PartnerFactory(
        name_fr="Université de Kyoto",
        name_en="Kyoto University",
        city_fr="Kyoto",
        city_en="Kyoto",
    )

    response = admin_client.get(PARTNER_CHANGELIST, {"q": term})

    assert list(response.context["cl"].result_list) == [tokyo]


def test_partner_search_finds_english_name_while_admin_speaks_english(
    admin_client, tokyo
):
    response = admin_client.get(
        PARTNER_CHANGELIST, {"q": "Université"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert list(response.context["cl"].result_list) == [tokyo]


def test_partner_autocomplete_finds_english_name(admin_client, tokyo):
    """The agreement form's partner picker searches both languages too."""
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "partners",
            "model_name": "agreement",
            "field_name": "partners",
            "term": "University of",
        },
    )

    assert response.status_code == 200
    assert [result["id"] for result in response.json()["results"]] == [str(tokyo.pk)]


@pytest.mark.parametrize(
    "model", [Partner, Agreement, Grant, Unit, Person], ids=lambda m: m.__name__
)
def test_a_search_too_long_is_refused_with_a_message(admin_client, model):
    # 500 words: SQLite's "Expression tree is too large", a 500.
    response = admin_client.get(
        admin_url(model, "changelist"), {"q": " ".join(["a"] * 500)}
    )

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []
    (message,) = [str(m) for m in response.context["messages"]]
    assert "200" in message and "999" in message


def test_a_picker_given_a_search_too_long_suggests_nothing(admin_client, tokyo):
    assert autocomplete(admin_client, Agreement, "partners", "Tokyo") == [tokyo.pk]

    ids = autocomplete(admin_client, Agreement, "partners", "Tokyo " * 60)

    assert ids == []
    assert not list(
        admin_client.get(admin_url(Partner, "changelist")).context["messages"]
    )


def test_agreement_search_finds_partner_name(admin_client, tokyo):
    agreement = AgreementFactory()
    agreement.partners.add(tokyo)
    AgreementFactory()

    response = admin_client.get(
        reverse("admin:partners_agreement_changelist"), {"q": "University of Tokyo"}
    )

    assert list(response.context["cl"].result_list) == [agreement]


def test_agreement_search_lists_once_an_agreement_two_partners_match(admin_client):
    agreement = AgreementFactory(title_fr="Accord-cadre")
    agreement.partners.add(
        PartnerFactory(name_fr="Université de Tokyo"),
        PartnerFactory(name_fr="Université de Kyoto"),
    )
    AgreementFactory(title_fr="Autre accord")

    assert search(admin_client, Agreement, "universite") == [agreement]
    assert search(admin_client, Agreement, "Kyotto") == [agreement]


def test_agreement_changelist_drills_down_by_signature_year(admin_client):
    AgreementFactory()

    response = admin_client.get(
        reverse("admin:partners_agreement_changelist"), {"signed_on__year": "2020"}
    )

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


@pytest.mark.parametrize(
    "query",
    [
        {"signed_on__year": "9999"},
        {"signed_on__year": "9999", "signed_on__month": "12"},
        {"signed_on__year": "9999", "signed_on__month": "12", "signed_on__day": "31"},
        {"signed_on__year": "9" * 20},
        {"signed_on__year": "2024", "signed_on__month": "9" * 20},
    ],
)
def test_a_signature_date_past_the_calendar_sends_back_to_the_list(admin_client, query):
    # Django's date hierarchy computed the end of these outside its own check: a 500.
    response = admin_client.get(reverse("admin:partners_agreement_changelist"), query)

    assert response.status_code == 302
    assert response.url.endswith("?e=1")


TOO_BIG = "9" * 25  # past any id column, and past SQLite's integers


@pytest.mark.parametrize(
    "changelist, query",
    [
        ("admin:partners_agreement_changelist", {"office": TOO_BIG}),
        ("admin:partners_agreement_changelist", {"office__exact": TOO_BIG}),
        ("admin:partners_agreement_changelist", {"office__in": f"1,{TOO_BIG}"}),
        ("admin:units_unit_changelist", {"lead_institute": TOO_BIG}),
        ("admin:programmes_grant_changelist", {"institute__exact": TOO_BIG}),
        ("admin:cnrs_intl_staffprofile_changelist", {"institutes": TOO_BIG}),
        ("admin:partners_agreement_changelist", {"office": "tokyo"}),
    ],
)
def test_a_relation_filtered_by_no_record_id_sends_back_to_the_list(
    admin_client, changelist, query
):
    # Django checks the range of an integer column's lookups, not a relation's:
    # SQLite failed on the number (OverflowError, a 500).
    response = admin_client.get(reverse(changelist), query)

    assert response.status_code == 302
    assert response.url.endswith("?e=1")
    page = admin_client.get(response.url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert (
        "The filters or the page number in the address were not understood: the "
        "whole list is shown, from its first page." in page.content.decode()
    )


def test_a_page_past_the_last_sends_back_to_the_first_saying_why(
    admin_client, monkeypatch
):
    monkeypatch.setattr(PartnerAdmin, "list_per_page", 1)
    PartnerFactory()
    PartnerFactory()

    response = admin_client.get(
        reverse("admin:partners_partner_changelist"),
        {"p": "9999"},
        HTTP_ACCEPT_LANGUAGE="fr",
        follow=True,
    )

    assert response.redirect_chain[-1][0].endswith("?e=1")
    assert (
        "Les filtres ou le numéro de page de l’adresse n’ont pas été compris\u00a0: "
        "toute la liste est affichée, depuis sa première page."
        in response.content.decode()
    )


def test_a_relation_filtered_by_a_record_id_filters_the_list(admin_client):
    tokyo, paris = OfficeFactory(slug="tokyo"), OfficeFactory(slug="paris")
    kept = AgreementFactory(office=tokyo)
    AgreementFactory(office=paris)

    for query in ({"office": tokyo.pk}, {"office__in": f"{tokyo.pk},99"}):
        response = admin_client.get(
            reverse("admin:partners_agreement_changelist"), query
        )
        assert response.status_code == 200
        assert list(response.context["cl"].result_list) == [kept]
        assert "not understood" not in response.content.decode()


def test_partner_changelist_filters_by_country_among_used_countries(admin_client):
    tokyo = PartnerFactory(country="JP")
    PartnerFactory(country="BR")

    response = admin_client.get(PARTNER_CHANGELIST, {"country": "JP"})

    assert list(response.context["cl"].result_list) == [tokyo]
    content = response.content.decode()
    assert "Brésil" in content
    assert "Allemagne" not in content


def test_publish_action_publishes_selected_records_only(admin_client):
    chosen = PartnerFactory(publication_status=PublicationStatus.DRAFT)
    other = PartnerFactory(publication_status=PublicationStatus.DRAFT)

    response = admin_client.post(
        PARTNER_CHANGELIST,
        {"action": "publish_selected", "_selected_action": [chosen.pk], "post": "yes"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "1 record published." in [str(m) for m in response.context["messages"]]
    assert Partner.objects.get(pk=chosen.pk).is_published
    assert not Partner.objects.get(pk=other.pk).is_published


def test_publish_action_keeps_each_change_in_the_history(admin_client, admin_user):
    chosen = PartnerFactory(publication_status=PublicationStatus.DRAFT)

    admin_client.post(
        PARTNER_CHANGELIST,
        {"action": "publish_selected", "_selected_action": [chosen.pk], "post": "yes"},
    )

    latest = chosen.history.first()
    assert chosen.history.count() == 2
    assert latest.publication_status == PublicationStatus.PUBLISHED
    assert latest.history_user == admin_user
    assert latest.history_change_reason


def test_publish_action_skips_records_already_published(admin_client):
    published = AgreementFactory()

    admin_client.post(
        reverse("admin:partners_agreement_changelist"),
        {
            "action": "publish_selected",
            "_selected_action": [published.pk],
            "post": "yes",
        },
    )

    assert published.history.count() == 1
    assert Agreement.objects.get(pk=published.pk).is_published


def test_partner_change_page_links_to_its_public_page(admin_client, tokyo):
    content_type = ContentType.objects.get_for_model(Partner)
    view_on_site = reverse("admin:view_on_site", args=(content_type.pk, tokyo.pk))

    page = admin_client.get(reverse("admin:partners_partner_change", args=(tokyo.pk,)))
    response = admin_client.get(view_on_site)

    assert view_on_site in page.content.decode()
    assert response.status_code == 302
    assert response["Location"].endswith(tokyo.get_absolute_url())


def test_office_change_page_links_to_its_public_page(admin_client):
    office = OfficeFactory()

    page = admin_client.get(reverse("admin:partners_office_change", args=(office.pk,)))

    assert 'class="viewsitelink"' in page.content.decode()


def test_agreement_change_page_has_no_public_page_link(admin_client):
    agreement = AgreementFactory()

    page = admin_client.get(
        reverse("admin:partners_agreement_change", args=(agreement.pk,))
    )

    assert 'class="viewsitelink"' not in page.content.decode()


def test_a_bad_autocomplete_value_is_a_form_error(admin_client):
    partner = PartnerFactory()
    url = admin_url(Partner, "change", partner.pk)
    data = form_data(admin_client.get(url))

    for bad in ("abc", "1.5", "9" * 30):
        response = admin_client.post(url, {**data, "parent": bad})

        assert response.status_code == 200
        assert "parent" in response.context["adminform"].form.errors


def test_the_partner_list_is_not_sorted_by_the_columns_its_filters_narrow(
    admin_client,
):
    # At a million partners each of these sorts read and sorted them all (up to
    # 0.5 s), to group what the filters narrow.
    PartnerFactory(name_fr="Beta", name_en="Beta", status="closed")
    PartnerFactory(name_fr="Alpha", name_en="Alpha", status="active")
    changelist = reverse("admin:partners_partner_changelist")

    page = admin_client.get(changelist, HTTP_ACCEPT_LANGUAGE="en")
    sortable = {
        header["text"]: header["sortable"] for header in page.context["result_headers"]
    }
    assert all(sortable[name] for name in ("name", "acronym", "country", "city"))
    assert sortable["last updated"]
    unsorted = ("kind", "parent institution", "status", "publication status")
    assert not any(sortable[name] for name in unsorted), sortable
    # Asked by the address (an old bookmark), the list keeps its own order.
    columns = [
        getattr(column, "__name__", column)
        for column in page.context["cl"].list_display
    ]
    for order in (f"{columns.index('status')}", f"-{columns.index('status')}"):
        sorted_page = admin_client.get(changelist, {"o": order})
        assert sorted_page.status_code == 200
        names = [partner.name for partner in sorted_page.context["cl"].result_list]
        assert names == ["Alpha", "Beta"], order


@pytest.mark.parametrize(
    "term",
    [
        "042nb2s44",
        "https://ror.org/042nb2s44",
        "ror.org/042nb2s44/",
        " http://ror.org/042nb2s44 ",
    ],
)
def test_a_ror_id_pasted_as_its_link_finds_its_partner(admin_client, term):
    # Its link found nothing: its words were looked for in the names.
    mit = PartnerFactory(ror_id="042nb2s44", name_en="Massachusetts Institute")
    PartnerFactory(name_en="Ror University")
    assert search(admin_client, Partner, term) == [mit]
    assert autocomplete(admin_client, Agreement, "partners", term) == [mit.pk]


def test_a_name_typed_with_two_spaces_is_kept_with_one(admin_client):
    # "Qa  doublon" was not grouped with "QA Doublon" among the possible duplicates.
    partner = PartnerFactory()
    url = admin_url(Partner, "change", partner.pk)
    data = {**form_data(admin_client.get(url)), "name_fr": "Qa  doublon   du Japon"}
    assert admin_client.post(url, data).status_code == 302
    partner.refresh_from_db()
    assert partner.name_fr == "Qa doublon du Japon"
