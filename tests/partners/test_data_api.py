"""The public data API's partner and office endpoints, and what every endpoint shares:
published records only, texts in both languages, the pages' filters, pages, errors.
"""

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from partners.api import PartnerViewSet, PublicPagination
from partners.models import PartnerKind
from partners.publication import PublicationStatus
from partners.views import CachedCountPaginator
from tests.api_client import get, links
from tests.factories import (
    AgreementFactory,
    OfficeFactory,
    PartnerFactory,
    ProjectFactory,
    ProjectParticipantFactory,
    UnitFactory,
    UnitPartnershipFactory,
)

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT


def api(client, address, status=200, **query):
    return get(client, address, query, status)


def slugs(answer) -> list[str]:
    return [record["slug"] for record in answer["results"]]


@pytest.fixture
def tokyo():
    return PartnerFactory(
        name_fr="Université de Tokyo",
        name_en="University of Tokyo",
        original_name="東京大学",
        original_name_language="ja",
        acronym="UTokyo",
        slug="utokyo",
        country="JP",
        city_fr="Tokyo",
        city_en="Tokyo",
        ror_id="057zh3y96",
    )


@pytest.fixture
def sao_paulo():
    return PartnerFactory(
        name_fr="Université de São Paulo",
        name_en="University of São Paulo",
        original_name="Universidade de São Paulo",
        acronym="USP",
        slug="usp",
        country="BR",
        city_fr="São Paulo",
        city_en="São Paulo",
    )


def test_the_root_lists_the_endpoints(client):
    answer = api(client, "/api/")
    assert answer["partners"] == "http://testserver/api/partners/"
    assert answer["offices"] == "http://testserver/api/offices/"


@pytest.mark.parametrize(
    ("query", "page", "schema"),
    [
        ({}, "/fr/data/", "/api/schema/"),
        ({"lang": "fr"}, "/fr/data/", "/api/schema/?lang=fr"),
        ({"lang": "en"}, "/en/data/", "/api/schema/?lang=en"),
    ],
)
def test_the_root_links_to_the_documentation_in_lang_and_the_description(
    client, query, page, schema
):
    response = client.get("/api/", query, HTTP_ACCEPT_LANGUAGE="en")
    answer = response.json()

    assert answer["documentation"] == f"http://testserver{page}"
    assert answer["schema"] == f"http://testserver{schema}"
    assert links(response) == {
        "service-doc": answer["documentation"],
        "service-desc": answer["schema"],
    }
    assert client.get(answer["documentation"]).status_code == 200
    assert client.get(answer["schema"]).status_code == 200
    api(client, "/api/", status=400, lang="de")


def test_partners_are_listed_with_their_texts_in_both_languages(client, tokyo):
    answer = api(client, "/api/partners/")
    assert answer["count"] == 1
    assert answer["near_misses"] is False
    assert answer["next"] is answer["previous"] is None
    (partner,) = answer["results"]
    assert partner["slug"] == "utokyo"
    assert partner["name"] == {"fr": "Université de Tokyo", "en": "University of Tokyo"}
    assert partner["original_name"] == "東京大学"
    assert partner["original_name_language"] == "ja"
    assert partner["country"] == "JP"
    assert partner["kind"] == PartnerKind.UNIVERSITY
    assert partner["ror_id"] == "057zh3y96"
    assert partner["page"] == {
        "fr": "http://testserver/fr/partners/utokyo/",
        "en": "http://testserver/en/partners/utokyo/",
    }


def test_a_text_not_yet_translated_is_empty_in_that_language(client):
    PartnerFactory(slug="fr-only", name_fr="Institut sans nom anglais", name_en="")
    (partner,) = api(client, "/api/partners/")["results"]
    assert partner["name"] == {"fr": "Institut sans nom anglais", "en": ""}


def test_drafts_are_neither_listed_nor_given(client, tokyo):
    PartnerFactory(slug="draft", publication_status=DRAFT)
    assert slugs(api(client, "/api/partners/")) == ["utokyo"]
    answer = api(client, "/api/partners/draft/", status=404)
    assert set(answer) == {"detail"}


def test_the_links_of_a_partner_are_counted_published_only(client, tokyo):
    UnitPartnershipFactory(partner=tokyo, unit=UnitFactory())
    UnitPartnershipFactory(partner=tokyo, unit=UnitFactory(publication_status=DRAFT))
    AgreementFactory().partners.add(tokyo)
    ProjectParticipantFactory(partner=tokyo, project=ProjectFactory())
    (partner,) = api(client, "/api/partners/")["results"]
    assert (
        partner["unit_count"],
        partner["agreement_count"],
        partner["project_count"],
    ) == (1, 1, 1)


def test_the_partners_page_filters_apply(client, tokyo, sao_paulo):
    PartnerFactory(slug="company", country="JP", kind=PartnerKind.COMPANY)
    assert slugs(api(client, "/api/partners/", country="BR")) == ["usp"]
    assert slugs(api(client, "/api/partners/", country="jp", kind="company")) == [
        "company"
    ]
    # Accents and case ignored, as on the page.
    answer = api(client, "/api/partners/", q="universidade de sao paulo")
    assert slugs(answer) == ["usp"]
    assert answer["near_misses"] is False


def test_a_typo_gives_the_closest_partners_and_says_so(client, tokyo, sao_paulo):
    answer = api(client, "/api/partners/", q="Universty of Tokio")
    assert answer["near_misses"] is True
    assert slugs(answer)[0] == "utokyo"


def test_nothing_close_is_no_near_miss(client, tokyo, sao_paulo):
    answer = api(client, "/api/partners/", q="xqzvwk")
    assert (answer["count"], answer["results"], answer["near_misses"]) == (0, [], False)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"country": "ZZ"}, "country", "n’est pas un code de pays"),
        ({"kind": "castle"}, "kind", "castle"),
        ({"q": "x" * 201}, "q", "200"),
        ({"ordering": "size"}, "ordering", "size"),
    ],
)
def test_an_invalid_filter_is_refused_with_its_message(client, query, field, message):
    answer = api(client, "/api/partners/", status=400, **query)
    assert list(answer) == [field]
    assert message in answer[field][0]


def test_messages_follow_lang_and_the_default_is_french(client):
    french = api(client, "/api/partners/", status=400, country="ZZ")
    english = api(client, "/api/partners/", status=400, country="ZZ", lang="en")
    assert french["country"][0].startswith("«\u00a0ZZ\u00a0» n’est pas un code")
    assert english["country"][0].startswith("“ZZ” is not a country code")


def test_lang_chooses_the_language_of_the_sort_by_name(client):
    PartnerFactory(slug="a", name_fr="Académie des sciences", name_en="Z Academy")
    PartnerFactory(slug="z", name_fr="Zentrum", name_en="A Centre")
    assert slugs(api(client, "/api/partners/")) == ["a", "z"]
    assert slugs(api(client, "/api/partners/", lang="en")) == ["z", "a"]


def test_an_unknown_language_is_refused(client):
    answer = api(client, "/api/partners/", status=400, lang="de")
    assert list(answer) == ["lang"]


def test_partners_are_paged(client):
    PartnerFactory.create_batch(5)
    first = api(client, "/api/partners/", page_size=2)
    assert first["count"] == 5
    assert len(first["results"]) == 2
    assert first["next"] == "http://testserver/api/partners/?page=2&page_size=2"
    last = api(client, "/api/partners/", page_size=2, page=3)
    assert len(last["results"]) == 1
    assert last["next"] is None
    every = slugs(first) + slugs(api(client, first["next"])) + slugs(last)
    assert len(set(every)) == 5


def test_the_link_header_names_the_first_previous_next_and_last_pages(client):
    """RFC 8288's relations, which generic clients follow: the last page is
    the last served (``CachedCountPaginator.MAX_PAGES``)."""
    PartnerFactory.create_batch(5)
    address = "http://testserver/api/partners/"

    middle = client.get("/api/partners/", {"page_size": 2, "page": 2, "q": ""})

    assert links(middle) == {
        "first": f"{address}?page_size=2&q=",
        "prev": f"{address}?page_size=2&q=",
        "next": f"{address}?page=3&page_size=2&q=",
        "last": f"{address}?page=3&page_size=2&q=",
    }
    assert links(client.get("/api/partners/", {"page_size": 2})) == {
        "first": f"{address}?page_size=2",
        "next": f"{address}?page=2&page_size=2",
        "last": f"{address}?page=3&page_size=2",
    }
    assert links(client.get("/api/partners/", {"country": "ZZ"})) == {}
    one = {"first": f"{address}?country=US", "last": f"{address}?country=US"}
    assert links(client.get("/api/partners/", {"country": "US"})) == one


def test_the_last_page_linked_is_the_last_served(client, monkeypatch):
    monkeypatch.setattr(CachedCountPaginator, "MAX_PAGES", 2)
    PartnerFactory.create_batch(3)
    response = client.get("/api/partners/", {"page_size": 1, "format": "csv"})

    assert response["X-Total-Count"] == "3"
    last = links(response)["last"]
    assert last == "http://testserver/api/partners/?format=csv&page=2&page_size=1"
    assert client.get(last).status_code == 200


def test_partners_sorted_by_country_are_paged_country_by_country(client):
    for code in ["JP", "BR", "FR", "BR", "JP"]:
        PartnerFactory(country=code)
    pages = [
        api(client, "/api/partners/", ordering="country", page_size=2, page=number)
        for number in (1, 2, 3)
    ]
    countries = [row["country"] for page in pages for row in page["results"]]
    # Brésil, France, Japon: by their French names.
    assert countries == ["BR", "BR", "FR", "JP", "JP"]
    assert {page["count"] for page in pages} == {5}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
    ],
)
def test_a_page_size_out_of_range_is_refused(client, query, field):
    answer = api(client, "/api/partners/", status=400, **query)
    assert answer == {field: ["Donnez un nombre d’enregistrements de 1 à 100."]}


def test_a_page_past_the_last_is_not_found(client):
    PartnerFactory.create_batch(2)
    answer = api(client, "/api/partners/", status=404, page="9")
    # One page: said so, not "les pages vont de 1 à 1".
    assert answer["detail"].endswith("cette liste n’a qu’une page.")
    PartnerFactory.create_batch(20)
    answer = api(client, "/api/partners/", status=404, page="9")
    assert answer["detail"].endswith("les pages vont de 1 à 2.")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "last"}, "page"),
        ({"page": "2.0"}, "page"),
        # Python's int() reads these; an address gives digits 0-9.
        ({"page": "\u0661"}, "page"),
        ({"page_size": "1_0"}, "page_size"),
        ({"page_size": "\uff15"}, "page_size"),
    ],
)
def test_a_page_or_size_that_is_no_number_from_1_is_refused(client, query, field):
    PartnerFactory.create_batch(2)
    answer = api(client, "/api/partners/", status=400, **query)
    assert list(answer) == [field]


@pytest.mark.parametrize("query", [{"page": ""}, {"page_size": ""}])
def test_an_empty_page_or_size_is_the_default(client, query):
    PartnerFactory.create_batch(2)
    assert api(client, "/api/partners/", **query)["count"] == 2


def test_pages_past_the_last_one_read_are_refused(client, monkeypatch):
    monkeypatch.setattr(CachedCountPaginator, "MAX_PAGES", 2)
    PartnerFactory.create_batch(3)
    answer = api(client, "/api/partners/", status=404, page=3, page_size=1)
    assert "Seules les 2 premières pages" in answer["detail"]


def test_a_partner_is_given_with_what_links_it_to_the_cnrs(client, tokyo):
    parent = PartnerFactory(slug="parent", publication_status=DRAFT)
    tokyo.parent = parent
    tokyo.save()
    child = PartnerFactory(slug="child", parent=tokyo)
    PartnerFactory(slug="draft-child", parent=tokyo, publication_status=DRAFT)
    unit = UnitFactory(slug="lab", code="IRL 2958", acronym="LAB")
    UnitPartnershipFactory(partner=tokyo, unit=unit)
    UnitPartnershipFactory(partner=tokyo, unit=UnitFactory(publication_status=DRAFT))
    agreement = AgreementFactory(countries=["JP", "FR"])
    agreement.partners.add(tokyo)
    project = ProjectFactory(slug="proj", acronym="PROJ")
    ProjectParticipantFactory(partner=tokyo, project=project)

    partner = api(client, "/api/partners/utokyo/")
    # A parent not published is named, without its slug, as the page names it.
    assert partner["parent"] == {
        "slug": None,
        "name": {"fr": parent.name_fr, "en": parent.name_en},
    }
    assert [link["slug"] for link in partner["children"]] == [child.slug]
    assert partner["units"] == [
        {
            "unit": {
                "slug": "lab",
                "code": "IRL 2958",
                "acronym": "LAB",
                "name": {"fr": unit.name_fr, "en": unit.name_en},
            },
            "role": "host",
        }
    ]
    (given,) = partner["agreements"]
    assert given["title"] == {"fr": agreement.title_fr, "en": agreement.title_en}
    assert given["countries"] == ["FR", "JP"]
    assert given["signed_on"] == "2020-01-15"
    assert partner["projects"] == [
        {
            "project": {
                "slug": "proj",
                "acronym": "PROJ",
                "title": {"fr": project.title_fr, "en": project.title_en},
            },
            "role": "participant",
        }
    ]
    # Counted as in the list, published links only.
    assert (partner["unit_count"], partner["agreement_count"]) == (1, 1)
    assert partner["project_count"] == 1


def test_a_partner_is_found_by_its_slug_whatever_the_filters(client, tokyo):
    assert api(client, "/api/partners/utokyo/", country="BR")["slug"] == "utokyo"


def count_queries(client, address) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize(
    "query",
    ["", "?country=JP", "?kind=company&q=univ", "?ordering=country", "?q=tokio"],
)
def test_partner_list_query_count_does_not_grow_with_rows(client, settings, query):
    settings.PAGE_CACHE_SECONDS = 0

    def build(count):
        # Each partner has a unit; one unit is theirs all (what each partner's row
        # reads grows with the partners, not with their units).
        unit = UnitFactory()
        for code in ["JP", "BR", "FR"] * count:
            UnitPartnershipFactory(partner=PartnerFactory(country=code), unit=unit)

    build(1)
    few = count_queries(client, "/api/partners/" + query)
    build(9)
    assert count_queries(client, "/api/partners/" + query) == few


def test_partner_query_count_does_not_grow_with_links(client, settings, tokyo):
    settings.PAGE_CACHE_SECONDS = 0

    def link():
        UnitPartnershipFactory(partner=tokyo, unit=UnitFactory())
        AgreementFactory().partners.add(tokyo)
        ProjectParticipantFactory(partner=tokyo, project=ProjectFactory())
        PartnerFactory(parent=tokyo)

    link()
    few = count_queries(client, "/api/partners/utokyo/")
    for _ in range(5):
        link()
    assert count_queries(client, "/api/partners/utokyo/") == few


def test_offices_are_listed_by_city_with_their_countries(client):
    OfficeFactory(slug="tokyo", city_fr="Tokyo", city_en="Tokyo")
    OfficeFactory(slug="draft", publication_status=DRAFT)
    OfficeFactory(slug="delhi", city_fr="New Delhi", city_en="New Delhi", country="IN")
    answer = api(client, "/api/offices/")
    assert [office["slug"] for office in answer] == ["delhi", "tokyo"]
    tokyo = answer[1]
    assert tokyo["countries"] == ["JP", "KR"]
    # The host country is covered, listed or not, as the pages and counts say.
    assert answer[0]["countries"] == ["IN", "JP", "KR"]
    assert tokyo["role"] == {
        "fr": "Suit la coopération avec le Japon et la Corée.",
        "en": "Follows cooperation with Japan and Korea.",
    }


def test_an_office_is_given_with_the_agreements_it_follows(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    office = OfficeFactory(slug="tokyo")
    AgreementFactory(office=office, slug="followed")
    AgreementFactory(office=office, publication_status=DRAFT)
    given = api(client, "/api/offices/tokyo/")
    assert [agreement["reference"] for agreement in given["agreements"]] == [""]
    few = count_queries(client, "/api/offices/tokyo/")
    AgreementFactory.create_batch(3, office=office)
    assert count_queries(client, "/api/offices/tokyo/") == few


def test_the_api_is_read_only(client, tokyo):
    response = client.post("/api/partners/", {"name": "x"})
    assert response.status_code == 405
    assert "detail" in response.json()
    assert client.delete("/api/partners/utokyo/").status_code == 405


def test_an_address_outside_the_api_s_endpoints_is_a_json_404(client):
    answer = api(client, "/api/laboratories/", status=404)
    assert answer == {"detail": "Il n’y a rien à cette adresse."}


def test_a_nul_character_is_refused_in_json(client):
    response = client.get("/api/partners/?q=a%00b")
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_answers_are_cached_by_address_and_set_no_cookie(client, settings, tokyo):
    settings.PAGE_CACHE_SECONDS = 60
    first = client.get("/api/partners/?country=JP")
    assert first.cookies == {}
    assert count_queries(client, "/api/partners/?country=JP") == 0
    # A change to public content is seen at once.
    PartnerFactory(country="JP", slug="new")
    assert "new" in slugs(api(client, "/api/partners/", country="JP"))


def test_the_openapi_description_gives_a_status_by_its_values(client):
    # Described as any string: REST framework built the declared field again,
    # without what choice_field had set on it.
    schemas = client.get("/api/schema/").json()["components"]["schemas"]

    for name in ("Partner", "PartnerDetail", "Unit", "UnitDetail"):
        status = schemas[name]["properties"]["status"]
        [reference] = status["allOf"]
        enum = schemas[reference["$ref"].rsplit("/", 1)[1]]
        assert enum["enum"] == ["active", "closed"], name


def test_the_openapi_description_documents_every_endpoint(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oai.openapi+json"
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/partners/", "/api/partners/{slug}/", "/api/offices/"} <= set(
        schema["paths"]
    )
    parameters = {
        parameter["name"]
        for parameter in schema["paths"]["/api/partners/"]["get"]["parameters"]
    }
    assert {"country", "kind", "q", "ordering", "page", "page_size"} <= parameters
    listed = schema["components"]["schemas"]["PaginatedPartnerList"]
    assert "near_misses" in listed["properties"]


def test_the_pagination_limits_are_the_pages_own():
    assert PublicPagination.django_paginator_class is CachedCountPaginator


@pytest.mark.parametrize(
    ("address", "status"),
    [
        ("/api/", 200),
        ("/api/partners/", 200),
        ("/api/partners/utokyo/", 200),
        ("/api/schema/", 200),
        # Errors and redirections too, whoever answers them.
        ("/api/partners/?country=ZZ", 400),
        ("/api/partners/?q=a%00", 400),
        ("/api/laboratories/", 404),
        ("/api/partners", 301),
    ],
)
def test_answers_may_be_read_by_javascript_on_any_site(client, tokyo, address, status):
    response = client.get(address)
    assert response.status_code == status
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("address", "language"),
    [
        ("/api/partners/", "fr"),
        ("/api/partners/?lang=en", "en"),
        ("/api/nowhere/", "fr"),
    ],
)
def test_answers_say_they_do_not_vary_with_the_browser_language(
    client, address, language
):
    # A shared cache would otherwise keep one copy per browser language.
    response = client.get(
        address, HTTP_ACCEPT_LANGUAGE="en" if language == "fr" else "fr"
    )
    assert "Accept-Language" not in response.get("Vary", "")
    assert response["Content-Language"] == language


@pytest.mark.parametrize(
    "address", ["/api/units/", "/api/partners/?format=csv", "/api/"]
)
def test_answers_say_they_do_not_vary_with_the_accept_header(client, address):
    """The format is the address's (?format=): one copy in a shared cache."""
    answers = [
        client.get(address, HTTP_ACCEPT=accept) for accept in ("text/csv", "*/*")
    ]
    assert "Accept" not in [
        name.strip() for answer in answers for name in answer.get("Vary", "").split(",")
    ]
    assert answers[0]["Content-Type"] == answers[1]["Content-Type"]


@pytest.mark.parametrize(
    ("address", "location"),
    [
        # A partner by its ROR id, a country by another code, a missing slash.
        ("/api/partners/057zh3y96/?lang=en", "/api/partners/utokyo/?lang=en"),
        ("/api/countries/JPN/?lang=en", "/api/countries/JP/?lang=en"),
        ("/api/partners?country=JP", "/api/partners/?country=JP"),
    ],
)
def test_a_redirection_is_json_naming_the_new_address(client, tokyo, address, location):
    # Django's was an empty HTML page, where the API promises JSON.
    response = client.get(address)
    assert response.status_code == 301
    assert response["Location"] == location
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    absolute = f"http://testserver{location}"
    language = "en" if "lang=en" in address else "fr"
    message = {
        "en": f"This is now at {absolute}: use that address from now on.",
        "fr": f"Ceci se trouve désormais à l’adresse {absolute}\u00a0: utilisez-la "
        "à l’avenir.",
    }
    assert response.json() == {"detail": message[language], "location": absolute}
    # Where Django had counted the empty body's length, the body's.
    length = str(len(response.content))
    assert response.get("Content-Length", length) == length


def test_the_pages_set_no_cors_header(client):
    assert "Access-Control-Allow-Origin" not in client.get("/fr/partners/")


def test_a_record_not_found_is_named_in_lang(client):
    french = api(client, "/api/partners/nowhere/", status=404)
    english = api(client, "/api/partners/nowhere/", status=404, lang="en")
    assert french == {
        "detail": "Aucun enregistrement publié n’a l’identifiant «\u00a0nowhere\u00a0»."
    }
    assert english == {"detail": "No published record has the slug “nowhere”."}


@pytest.mark.parametrize("browser_language", ["fr", "en"])
def test_errors_outside_the_views_follow_lang_not_the_browser(client, browser_language):
    english = client.get(
        "/api/laboratories/?lang=en", HTTP_ACCEPT_LANGUAGE=browser_language
    )
    french = client.get("/api/laboratories/", HTTP_ACCEPT_LANGUAGE=browser_language)
    assert english.json() == {"detail": "There is nothing at this address."}
    assert french.json() == {"detail": "Il n’y a rien à cette adresse."}
    refused = client.get(
        "/api/partners/?q=a%00&lang=en", HTTP_ACCEPT_LANGUAGE=browser_language
    )
    assert refused.json()["detail"].startswith("The address holds a NUL character")


def test_a_method_not_allowed_is_refused_before_a_language_that_is_none(client):
    response = client.post("/api/partners/?lang=xx")
    assert response.status_code == 405


@pytest.mark.parametrize("accept", ["text/html", "application/xml", "*/*", ""])
def test_the_accept_header_changes_nothing_the_address_gives_json(
    client, settings, tokyo, accept
):
    # Cached by address: a first visitor's Accept header chose every later one's
    # answer (406, or the JSON from the cache).
    settings.PAGE_CACHE_SECONDS = 60
    response = client.get("/api/partners/", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("value", ["xml", "api", "yaml", "JSON"])
def test_a_format_the_api_does_not_give_is_refused_naming_it(client, value):
    answer = api(client, "/api/partners/", status=400, format=value)
    assert answer == {
        "format": ["Le format est l’un de ceux-ci\u00a0: csv, json, xlsx."]
    }


def test_the_openapi_description_is_in_lang_whatever_the_browser_says(client):
    def described(**query):
        response = client.get("/api/schema/", query, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        return response.json()

    french, english = described(), described(lang="en")
    country = {"fr": "Pays", "en": "Country"}
    for schema, language in [(french, "fr"), (english, "en")]:
        (parameter,) = [
            parameter
            for parameter in schema["paths"]["/api/partners/"]["get"]["parameters"]
            if parameter["name"] == "country"
        ]
        assert parameter["description"] == country[language]
    # The same components in both languages: the statuses of partners and units,
    # "Active" and "Closed" in English, were one enumeration in English only.
    assert set(french["components"]["schemas"]) == set(english["components"]["schemas"])


def test_the_openapi_description_has_no_english_left_in_french(client):
    def texts(schema) -> dict:
        """Every text the API itself writes: its title, its operations, their
        parameters and the components, by where they are."""
        found = {
            "title": schema["info"]["title"],
            "info": schema["info"]["description"],
        }
        for address, operations in schema["paths"].items():
            for method, operation in operations.items():
                found[address, method] = operation["description"]
                for parameter in operation["parameters"]:
                    if parameter["name"] in {"lang", "slug", "code"}:
                        found[address, parameter["name"]] = parameter["description"]
        for name, component in schema["components"]["schemas"].items():
            if "properties" in component:
                found[name] = component.get("description")
        return found

    french = texts(client.get("/api/schema/").json())
    english = texts(client.get("/api/schema/", {"lang": "en"}).json())
    assert french.keys() == english.keys()
    assert all(english.values()), "a description is missing"
    assert [where for where in french if french[where] == english[where]] == []
    assert french["/api/partners/{slug}/", "slug"] == (
        "L’identifiant d’URL (slug) de l’enregistrement\u00a0: la fin de l’adresse "
        "de sa page."
    )


def test_the_openapi_description_in_yaml_and_refusals(client):
    response = client.get("/api/schema/", {"format": "yaml"})
    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3.")
    assert client.get("/api/schema/", {"lang": "xx"}).status_code == 400
    assert client.get("/api/schema/", {"format": "xml"}).status_code == 400


@pytest.mark.parametrize(
    ("error", "status", "message"),
    [
        (
            OperationalError("connection to server at 127.0.0.1 failed"),
            503,
            "The service is unavailable for a moment: try again shortly.",
        ),
        (
            ValueError("a bug"),
            500,
            "Something went wrong on our side; it has been logged.",
        ),
    ],
)
def test_a_failure_is_answered_in_json_in_lang(monkeypatch, error, status, message):
    # Django's 500 page and the site's 503 page are HTML; a client reads JSON.
    def failing(*args, **kwargs):
        raise error

    monkeypatch.setattr(PartnerViewSet, "list", failing)
    response = Client(raise_request_exception=False).get("/api/partners/?lang=en")
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": message}
    assert ("Retry-After" in response) == (status == 503)
    assert response["Access-Control-Allow-Origin"] == "*"


PREFLIGHT = {
    "HTTP_ORIGIN": "https://elsewhere.example",
    "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "GET",
    "HTTP_ACCESS_CONTROL_REQUEST_HEADERS": "x-requested-with, authorization",
}


@pytest.mark.parametrize(
    "address",
    [
        "/api/",
        "/api/schema/",
        "/api/partners/",
        "/api/partners/utokyo/",
        "/api/partners/nope/",
        "/api/units/?lang=xx",
        "/api/countries/",
        "/api/countries/JP/",
        "/api/key-figures/",
    ],
)
def test_a_cors_preflight_is_answered(client, tokyo, address):
    # A script of another site sending a header of its own makes the browser ask
    # first with OPTIONS: 405, and the browser refused the script its answer.
    response = client.options(address, **PREFLIGHT)

    assert response.status_code == 204
    assert not response.content
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Headers"] == (
        "x-requested-with, authorization"
    )
    assert int(response["Access-Control-Max-Age"]) > 0
    assert "Access-Control-Request-Headers" in response["Vary"]


def test_a_preflight_asking_no_header_allows_none(client):
    response = client.options(
        "/api/partners/", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert response.status_code == 204
    assert "Access-Control-Allow-Headers" not in response


def test_the_api_allows_no_write_after_a_preflight(client, tokyo):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/partners/utokyo/")
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        assert response["Access-Control-Allow-Origin"] == "*"


def test_a_preflight_reads_nothing(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.options("/api/partners/", **PREFLIGHT)
    assert response.status_code == 204
