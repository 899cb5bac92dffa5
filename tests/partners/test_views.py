"""The partners search, the partner page, the offices list and the office page."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from partners.history import one_version_per_edit
from partners.models import Office, OfficeKind, Partner, PartnerKind
from partners.publication import PublicationStatus
from partners.views import CachedCountPaginator, PartnerListView
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


def url(name, language="fr", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def query_count(client, address):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


def link_partner(partner, units=0, agreements=0, projects=0, status="published"):
    """Give ``partner`` units, agreements and projects in ``status``."""
    for _ in range(units):
        UnitPartnershipFactory(
            partner=partner, unit=UnitFactory(publication_status=status)
        )
    for _ in range(agreements):
        AgreementFactory(publication_status=status).partners.add(partner)
    for _ in range(projects):
        ProjectParticipantFactory(
            partner=partner, project=ProjectFactory(publication_status=status)
        )


@pytest.fixture
def japanese_and_brazilian():
    tokyo = PartnerFactory(
        name_fr="Université de Tokyo",
        name_en="University of Tokyo",
        original_name="東京大学",
        original_name_language="ja",
        slug="university-of-tokyo",
        country="JP",
    )
    sao_paulo = PartnerFactory(
        name_fr="Université de São Paulo",
        name_en="University of São Paulo",
        original_name="Universidade de São Paulo",
        slug="universidade-de-sao-paulo",
        country="BR",
        city_fr="São Paulo",
        city_en="São Paulo",
    )
    return tokyo, sao_paulo


# --- Partners search ------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, name, country",
    [("fr", "Université de Tokyo", "Japon"), ("en", "University of Tokyo", "Japan")],
)
def test_partner_list_shows_partners_in_the_language(
    client, japanese_and_brazilian, language, name, country
):
    response = client.get(url("partners:list", language))

    assert response.status_code == 200
    html = response.content.decode()
    assert name in html
    assert f"{country} (1)" in html  # the country choice with its count
    assert "Universidade de São Paulo" in html  # the original name
    assert response.context["country"] is None
    assert "partners-invite" in html  # no country yet: invite to choose one


def test_an_original_name_is_marked_with_its_language_when_known(
    client, japanese_and_brazilian
):
    """Screen readers read 東京大学 in Japanese, not as French (WCAG 3.1.2)."""
    tokyo, sao_paulo = japanese_and_brazilian
    pages = [
        client.get(url("partners:list", "fr")).content.decode(),
        client.get(url("partners:detail", "fr", slug=tokyo.slug)).content.decode(),
    ]

    for html in pages:
        assert 'lang="ja" dir="auto">東京大学</p>' in html
    # A language nobody gave is not guessed: the text is only marked as bidi-safe.
    assert ' dir="auto">Universidade de São Paulo</p>' in pages[0]
    assert 'lang="pt"' not in pages[0]


def test_partner_list_is_shareable_by_country(client, japanese_and_brazilian):
    tokyo, _sao_paulo = japanese_and_brazilian

    response = client.get(url("partners:list", "en") + "?country=JP")

    assert response.status_code == 200
    assert list(response.context["page_obj"].object_list) == [tokyo]
    html = response.content.decode()
    assert '<option value="JP" selected>Japan (1)</option>' in html
    assert "<title>Partner institutions: Japan" in html
    assert "partners-invite" not in html
    assert "University of São Paulo" not in html


def test_partner_list_finds_text_without_accents(client, japanese_and_brazilian):
    _tokyo, sao_paulo = japanese_and_brazilian
    response = client.get(url("partners:list") + "?q=Sao+Paulo")
    assert list(response.context["page_obj"].object_list) == [sao_paulo]


def test_partner_list_filters_by_kind(client, japanese_and_brazilian):
    company = PartnerFactory(kind=PartnerKind.COMPANY)
    response = client.get(url("partners:list") + "?kind=company")
    assert list(response.context["page_obj"].object_list) == [company]


def test_partner_list_hides_drafts(client, japanese_and_brazilian):
    PartnerFactory(name_fr="Brouillon caché", publication_status="draft")
    html = client.get(url("partners:list")).content.decode()
    assert "Brouillon caché" not in html


@pytest.mark.parametrize(
    "query", ["?country=ZZ", "?page=abc", "?page=999", "?kind=nope", "?ordering=x"]
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_partner_list_answers_bad_input_with_400_and_the_error(
    client, japanese_and_brazilian, query, language
):
    response = client.get(url("partners:list", language) + query)

    assert response.status_code == 400
    assert 'class="form-errors" role="alert"' in response.content.decode()


def test_partner_list_shows_the_field_error_of_an_unknown_country(
    client, japanese_and_brazilian
):
    response = client.get(url("partners:list", "en") + "?country=ZZ")
    assert response.status_code == 400
    assert "ZZ” is not a country code: use two letters such as JP." in (
        response.content.decode()
    )


def test_partner_list_reads_a_country_code_in_any_case(client, japanese_and_brazilian):
    # As the unit list does: a hand-typed "?country=jp" is Japan.
    response = client.get(url("partners:list", "en") + "?country=jp")
    assert response.status_code == 200
    assert response.context["result_count"] == 1
    assert '<option value="JP" selected>' in response.content.decode()
    # A real country without partners finds nothing, shown as chosen.
    response = client.get(url("partners:list", "en") + "?country=is")
    assert response.status_code == 200
    assert response.context["result_count"] == 0
    assert '<option value="IS" selected>' in response.content.decode()


def test_partner_list_ignores_unknown_parameters(client, japanese_and_brazilian):
    response = client.get(url("partners:list") + "?utm_source=mail&country=JP")
    assert response.status_code == 200
    assert response.context["result_count"] == 1


def test_partner_list_counts_published_links_only(client):
    partner = PartnerFactory(country="JP")
    link_partner(partner, units=2, agreements=1, projects=3)
    link_partner(partner, units=1, agreements=2, projects=1, status="draft")
    lonely = PartnerFactory(country="JP")

    response = client.get(url("partners:list", "en") + "?country=JP")

    rows = {row.pk: row for row in response.context["page_obj"].object_list}
    assert (
        rows[partner.pk].unit_count,
        rows[partner.pk].agreement_count,
        rows[partner.pk].project_count,
    ) == (2, 1, 3)
    assert (
        rows[lonely.pk].unit_count,
        rows[lonely.pk].agreement_count,
        rows[lonely.pk].project_count,
    ) == (0, 0, 0)
    html = " ".join(response.content.decode().split())
    assert "2 joint units · 1 agreement · 3 projects" in html


@pytest.mark.parametrize("query", ["?ordering=city", "?ordering=city&country=FR"])
def test_partner_list_sorts_by_city_the_partners_without_a_city_too(client, query):
    # On SQLite the list answered 500: FOLD(NULL) of the missing city raised.
    PartnerFactory(name_fr="Institut sans ville", city_fr="", city_en="", country="FR")
    PartnerFactory(
        name_fr="Université de Lyon", city_fr="Lyon", city_en="", country="FR"
    )
    response = client.get(url("partners:list") + query)
    assert response.status_code == 200
    assert response.context["result_count"] == 2
    # Last on both databases (SQLite put NULL first, PostgreSQL last).
    assert [p.name for p in response.context["object_list"]] == [
        "Université de Lyon",
        "Institut sans ville",
    ]


# Partners per country, whose names sort differently in French and English; Brazil
# and Japan each run over a page's end (20 a page).
COUNTRY_SIZES = {"DE": 3, "BR": 22, "ES": 1, "IS": 2, "JP": 25}


@pytest.fixture
def partners_in_five_countries():
    partners = []
    for code, size in COUNTRY_SIZES.items():
        for number in range(size):
            kind = PartnerKind.UNIVERSITY if number % 3 else PartnerKind.COMPANY
            partners.append(
                PartnerFactory(
                    country=code,
                    kind=kind,
                    name_fr=f"Université {code} {number:02}",
                    name_en=f"{code} University {number:02}",
                )
            )
    return partners


def pages_of(client, address) -> list[list]:
    """The rows of every page of a public list (``address`` has a query string)."""
    first = client.get(address)
    assert first.status_code == 200
    pages = [list(first.context["object_list"])]
    for number in range(2, first.context["paginator"].num_pages + 1):
        response = client.get(f"{address}&page={number}")
        assert response.status_code == 200
        pages.append(list(response.context["object_list"]))
    return pages


@pytest.mark.parametrize("language", ["fr", "en"])
def test_partner_list_sorted_by_country_pages_through_every_partner_in_order(
    client, partners_in_five_countries, language
):
    # Each page is read from the countries it spans, not by one sort of the list.
    with translation.override(language):
        pages = pages_of(client, url("partners:list", language) + "?ordering=country")
        expected = sorted(
            partners_in_five_countries,
            key=lambda partner: (str(partner.country.name), partner.name, partner.pk),
        )
    assert [len(page) for page in pages] == [20, 20, 13]
    assert [partner.pk for page in pages for partner in page] == [
        partner.pk for partner in expected
    ]


@pytest.mark.parametrize(
    "query", ["&kind=university", "&q=universite", "&country=BR", "&q=zzzz"]
)
def test_partner_list_sorted_by_country_pages_as_one_sort_of_the_list_would(
    client, partners_in_five_countries, query, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # each response with its context
    address = url("partners:list") + "?ordering=country" + query
    response = client.get(address)
    pages = pages_of(client, address)
    # The paginator's list: the filters, sorted by a rank of the country names.
    in_one_sort = list(response.context["paginator"].object_list)
    assert [partner.pk for page in pages for partner in page] == [
        partner.pk for partner in in_one_sort
    ]
    assert response.context["result_count"] == len(in_one_sort)


def test_partner_list_groups_its_count_by_thousands(client):
    # In bulk: a thousand saves one by one would take seconds.
    Partner.objects.bulk_create(PartnerFactory.build_batch(1001))
    assert "1\xa0001 résultats" in client.get(url("partners:list")).text
    assert "1,001 results" in client.get(url("partners:list", "en")).text
    # The count, a number, still chooses the plural.
    PartnerFactory(name_fr="Institut Pasteur", name_en="Pasteur Institute")
    one = client.get(url("partners:list"), {"q": "pasteur"}).text
    assert re.search(r'role="status">\s*1 résultat\s*</p>', one)


def test_partner_list_pages_keep_the_filters(client):
    for _ in range(25):
        PartnerFactory(country="JP")
    response = client.get(url("partners:list") + "?country=JP")
    assert response.context["is_paginated"]
    assert "?country=JP&amp;page=2" in response.content.decode()


@pytest.fixture
def three_pages(monkeypatch):
    """45 partners, 20 a page: three pages, of which the first two are shown."""
    monkeypatch.setattr(CachedCountPaginator, "MAX_PAGES", 2)
    PartnerFactory.create_batch(45, country="JP")


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        (8, ["1", "…", "6", "7", "[8]", "9", "10", "…", "15"]),
        (1, ["[1]", "2", "3", "…", "15"]),
        (15, ["1", "…", "13", "14", "[15]"]),
    ],
)
def test_a_list_links_its_first_and_last_pages_and_those_around(
    client, monkeypatch, page, shown
):
    monkeypatch.setattr(PartnerListView, "paginate_by", 2)
    PartnerFactory.create_batch(30, country="JP")

    response = client.get(url("partners:list", "en"), {"kind": "", "page": page})
    html = response.content.decode()
    pages = re.search(r'<ul class="pagination__list">.*?</ul>', html, re.S).group()
    numbers = [
        f"[{number}]" if current else number or gap
        for current, number, gap in re.findall(
            r'<li>(?:<span[^>]*(aria-current="page")[^>]*>|<a class="pagination__link"'
            r' href="[^"]*">)<span class="visually-hidden">Page </span>(\d+)|'
            r'<li class="pagination__gap">(…)</li>',
            pages,
        )
    ]
    assert numbers == shown
    # Each link keeps the filters and names its page for screen readers.
    if page != 15:
        last = '<span class="visually-hidden">Page </span>15</a>'
        assert f'href="?kind=&amp;page=15">{last}' in pages
    assert f"Page {page} of 15" in html


def test_a_long_list_pages_through_its_first_pages_only(client, three_pages):
    # Page N reads every row before it: the last page of a million partners, 1 s.
    response = client.get(url("partners:list", language="en"), {"page": 2})

    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["result_count"] == 45
    assert "Page 2 of 2" in html
    assert 'rel="next"' not in html
    assert "The list goes on: narrow it with the filters or a search" in html


def test_a_page_past_the_shown_ones_is_refused_with_the_way_on(client, three_pages):
    response = client.get(url("partners:list", language="en"), {"page": 3})

    assert response.status_code == 400
    assert (
        "Only the first 2 pages of a list are shown: narrow it with the filters or "
        "a search." in response.content.decode()
    )


def test_a_list_within_the_limit_says_nothing_of_it(client, monkeypatch):
    monkeypatch.setattr(CachedCountPaginator, "MAX_PAGES", 3)
    PartnerFactory.create_batch(45, country="JP")

    response = client.get(url("partners:list", language="en"), {"page": 3})

    assert response.status_code == 200
    assert "The list goes on" not in response.content.decode()
    assert client.get(url("partners:list"), {"page": 4}).status_code == 400


@pytest.mark.parametrize(
    "query, queries",
    [
        ("", 2),
        ("?ordering=city", 2),
        ("?ordering=country", 2),
        ("?country=JP", 2),
        ("?country=JP&ordering=country", 2),
        ("?kind=university", 3),
        ("?country=JP&ordering=country&q=univ", 5),
        # A typo: its corrections, the near misses counted, then the page; the words
        # likely meant come from the same corrections, and are offered once counted
        # (the count the list so searched then reads from the cache), written as
        # the first names holding them write them ("université"), which names a
        # kind: the names holding it are counted apart from every university.
        ("?q=universte", 9),
    ],
)
def test_partner_list_query_count_does_not_grow_with_rows(client, query, queries):
    def build(count):
        # Each partner has a unit, an agreement and a project: the build's partners
        # share them (a row's reads grow with the partners, not with their links),
        # in one edit (one version of each).
        with one_version_per_edit():
            unit = UnitFactory()
            agreement = AgreementFactory()
            project = ProjectFactory()
            partners = [PartnerFactory(country=c) for c in ["JP", "BR", "FR"] * count]
            agreement.partners.add(*partners)
            for partner in partners:
                UnitPartnershipFactory(partner=partner, unit=unit)
                ProjectParticipantFactory(partner=partner, project=project)

    build(1)
    few = query_count(client, url("partners:list") + query)
    build(9)
    many = query_count(client, url("partners:list") + query)
    # Country choices (1) and the page (1): the choices count the partners of
    # each country, which is the list's count while only a country filters it.
    # Other filters count the results of each country in any country (1): the
    # country choices' numbers, and the list's count. With a text, a count tells
    # whether any record holds every word, in the country chosen and in any.
    assert few == many == queries


@pytest.mark.parametrize("query", ["?page=1", "?page=1&ordering=country"])
def test_partner_list_counts_once_per_content_version(client, settings, query):
    settings.PAGE_CACHE_SECONDS = 0  # the view itself, not the page cache
    PartnerFactory.create_batch(3, country="JP")
    first = query_count(client, url("partners:list") + query)
    second = query_count(client, url("partners:list") + query)
    # The country choices, which count the list, come from the cache: only the
    # page is read.
    assert (first, second) == (2, 1)
    PartnerFactory(country="JP")
    assert query_count(client, url("partners:list")) == 2


def test_the_lists_of_every_kind_are_counted_at_once(client, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the view itself, not the page cache
    PartnerFactory.create_batch(2, country="JP")
    PartnerFactory(country="BR", kind=PartnerKind.COMPANY)

    # The country choices, every kind's partners per country, then the page.
    assert query_count(client, url("partners:list") + "?kind=university") == 3
    # Another kind's counts came with the first's: only the page is read.
    assert query_count(client, url("partners:list") + "?kind=company") == 1
    # None of that kind: the page, known empty, is not read either.
    assert query_count(client, url("partners:list") + "?kind=other") == 0
    PartnerFactory(country="BR", kind=PartnerKind.COMPANY)
    companies = client.get(url("partners:list", "en"), {"kind": "company"})
    assert country_options(companies) == ["Brazil (2)"]


@pytest.mark.parametrize("ordering", ["", "name", "city", "country"])
def test_partner_list_counted_by_its_country_choices_counts_what_it_lists(
    client, ordering
):
    PartnerFactory.create_batch(3, country="JP")
    PartnerFactory.create_batch(2, country="BR")
    PartnerFactory(country="BR", publication_status=PublicationStatus.DRAFT)
    PartnerFactory(country="BR", kind=PartnerKind.COMPANY)

    def counted(**query):
        response = client.get(url("partners:list"), {"ordering": ordering, **query})
        assert response.status_code == 200
        paginator = response.context["paginator"]
        assert paginator.count == len(response.context["object_list"])
        return paginator.count

    assert counted() == 6
    assert counted(country="BR") == 3
    assert counted(country="br") == 3
    assert counted(country="BR", kind=PartnerKind.COMPANY) == 1
    assert counted(country="FR") == 0  # no partner there
    assert counted(q="zzzz", country="JP") == 0


@pytest.mark.parametrize(
    ("query", "heading"),
    [
        ({}, "All partner institutions"),
        ({"kind": "company"}, "Partner institutions found"),
        ({"q": "tokyo"}, "Partner institutions found"),
        ({"ordering": "city"}, "All partner institutions"),
        ({"country": "JP", "kind": "company"}, "Partner institutions: Japan"),
    ],
)
def test_the_list_heading_says_whether_it_holds_every_partner(client, query, heading):
    # Headed "All partner institutions", the list of companies showed only those.
    PartnerFactory(country="JP", name_en="University of Tokyo")
    html = client.get(url("partners:list", "en"), query).content.decode()
    assert f'<h2 id="results-title">{heading}</h2>' in html


def country_options(response) -> list[str]:
    """The country select's options, as shown: "Japan (3)"."""
    html = response.content.decode()
    select = re.search(r'<select name="country".*?</select>', html, re.S).group()
    return re.findall(r"<option value=\"\w+\"(?: selected)?>([^<]+)</option>", select)


@pytest.mark.parametrize("ordering", ["", "country"])
def test_country_choices_count_within_the_other_filters_chosen(client, ordering):
    PartnerFactory.create_batch(3, country="JP", name_en="University of Tokyo")
    PartnerFactory.create_batch(
        2, country="BR", kind=PartnerKind.COMPANY, name_fr="Petrobras", name_en=""
    )
    PartnerFactory(country="BR", name_en="University of Brasília")

    def listed(**query):
        return client.get(url("partners:list", "en"), {"ordering": ordering, **query})

    assert country_options(listed()) == ["Brazil (3)", "Japan (3)"]
    # Only the countries with companies, each with its number: counted over every
    # partner, "Japan (3)" led to none.
    companies = listed(kind=PartnerKind.COMPANY)
    assert country_options(companies) == ["Brazil (2)"]
    assert companies.context["paginator"].count == 2
    searched = listed(q="university")
    assert country_options(searched) == ["Brazil (1)", "Japan (3)"]
    assert searched.context["paginator"].count == 4
    # The country chosen stays offered, with what the other filters keep there.
    chosen = listed(kind=PartnerKind.COMPANY, country="JP")
    assert country_options(chosen) == ["Brazil (2)", "Japan (0)"]
    assert chosen.context["paginator"].count == 0
    chosen = listed(q="university", country="BR")
    assert country_options(chosen) == ["Brazil (1)", "Japan (3)"]
    assert [p.country.code for p in chosen.context["object_list"]] == ["BR"]
    assert chosen.context["paginator"].count == 1


# --- Partner page ---------------------------------------------------------------------


@pytest.fixture
def linked_partner():
    parent = PartnerFactory(
        name_fr="Système universitaire", name_en="University system"
    )
    partner = PartnerFactory(
        name_fr="Université de Tokyo",
        name_en="University of Tokyo",
        original_name="東京大学",
        country="JP",
        parent=parent,
        latitude=Decimal("35.712600"),
        longitude=Decimal("139.762000"),
        website="https://www.u-tokyo.ac.jp/",
        ror_id="057zh3y96",
    )
    PartnerFactory(
        name_fr="Institut membre", name_en="Member institute", parent=partner
    )
    PartnerFactory(
        name_fr="Membre en brouillon", parent=partner, publication_status="draft"
    )
    UnitPartnershipFactory(
        partner=partner,
        unit=UnitFactory(acronym="JFLI", name_en="Japanese-French Laboratory"),
    )
    UnitPartnershipFactory(
        partner=partner,
        unit=UnitFactory(acronym="HIDDEN", publication_status="draft"),
    )
    AgreementFactory(title_en="Framework agreement with Tokyo").partners.add(partner)
    AgreementFactory(
        title_en="Secret agreement", publication_status="draft"
    ).partners.add(partner)
    ProjectParticipantFactory(
        partner=partner,
        project=ProjectFactory(acronym="TASCMAR", cnrs_role="participant"),
        role="coordinator",
    )
    ProjectParticipantFactory(
        partner=partner,
        project=ProjectFactory(acronym="DRAFTPROJ", publication_status="draft"),
    )
    OfficeFactory(name_en="CNRS Tokyo Office", country="JP", countries=["JP", "KR"])
    OfficeFactory(
        name_en="Draft office",
        country="JP",
        countries=["JP"],
        publication_status="draft",
    )
    OfficeFactory(name_en="CNRS Washington Office", country="US", countries=["US"])
    return partner


@pytest.mark.parametrize("language", ["fr", "en"])
def test_partner_page_renders_in_both_languages(client, linked_partner, language):
    response = client.get(url("partners:detail", language, slug=linked_partner.slug))
    assert response.status_code == 200
    html = response.content.decode()
    name = linked_partner.name_fr if language == "fr" else linked_partner.name_en
    assert f"<h1>{name}" in html
    assert "東京大学" in html


def test_partner_page_shows_what_links_it_to_the_cnrs(client, linked_partner):
    response = client.get(url("partners:detail", "en", slug=linked_partner.slug))
    html = response.content.decode()

    assert "University system" in html  # parent
    assert "Member institute" in html  # published child
    assert "JFLI" in html and "(host institution)" in html  # unit with its role
    assert "Framework agreement with Tokyo" in html
    assert "TASCMAR" in html and "(coordinator)" in html  # project with its role
    assert "CNRS Tokyo Office" in html  # the office covering Japan
    assert "https://ror.org/057zh3y96" in html
    for hidden in (
        "Membre en brouillon",
        "HIDDEN",
        "Secret agreement",
        "DRAFTPROJ",
        "Draft office",
        "CNRS Washington Office",
    ):
        assert hidden not in html


def test_partner_page_sorts_member_institutions_in_the_active_language(client):
    parent = PartnerFactory()
    PartnerFactory(parent=parent, name_fr="Alpha français", name_en="Zulu English")
    PartnerFactory(parent=parent, name_fr="Zoulou français", name_en="Alpha English")
    for language, expected in [
        ("fr", ["Alpha français", "Zoulou français"]),
        ("en", ["Alpha English", "Zulu English"]),
    ]:
        response = client.get(url("partners:detail", language, slug=parent.slug))
        children = response.context["partner"].public_children
        assert [child.name for child in children] == expected


def test_partner_page_without_an_office_for_its_country_leaves_the_section_out(
    client,
):
    partner = PartnerFactory(country="FR")
    OfficeFactory(country="JP", countries=["JP"])
    html = client.get(url("partners:detail", slug=partner.slug)).content.decode()
    assert 'id="office-title"' not in html


def test_partner_page_has_a_map_when_it_has_coordinates(client, linked_partner):
    response = client.get(url("partners:detail", slug=linked_partner.slug))
    assert response.context["map_data"]["markers"] == [
        {
            "lat": 35.7126,
            "lng": 139.762,
            "title": "Université de Tokyo",
            "url": linked_partner.get_absolute_url(),
        }
    ]
    assert 'id="partner-map-map"' in response.content.decode()


def test_partner_page_without_coordinates_has_no_map(client):
    partner = PartnerFactory()
    html = client.get(url("partners:detail", slug=partner.slug)).content.decode()
    assert "partner-map" not in html
    assert "leaflet.js" not in html


def test_partner_page_of_a_draft_is_a_404(client):
    partner = PartnerFactory(publication_status="draft")
    assert client.get(url("partners:detail", slug=partner.slug)).status_code == 404


def test_partner_page_of_an_unknown_slug_is_a_404(client):
    assert client.get(url("partners:detail", slug="nobody")).status_code == 404


def test_partner_page_query_count_does_not_grow_with_links(client):
    def build(count):
        partner = PartnerFactory(
            country="JP", parent=PartnerFactory(), latitude=1, longitude=2
        )
        for _ in range(count):
            PartnerFactory(parent=partner)
        link_partner(partner, units=count, agreements=count, projects=count)
        return partner

    few = query_count(client, url("partners:detail", slug=build(3).slug))
    many = query_count(client, url("partners:detail", slug=build(30).slug))
    # The partner with its parent (1); its children, units, agreements and
    # projects (4); the office covering its country (1).
    assert few == many == 6


# --- Offices --------------------------------------------------------------------------


@pytest.fixture
def offices():
    tokyo = OfficeFactory(
        city_fr="Tokyo",
        city_en="Tokyo",
        country="JP",
        countries=["JP", "KR", "TW"],
        latitude=Decimal("35.6895"),
        longitude=Decimal("139.6917"),
    )
    brussels = OfficeFactory(
        city_fr="Bruxelles",
        city_en="Brussels",
        kind=OfficeKind.EU_BRANCH,
        country="BE",
        countries=[],
        latitude=Decimal("50.8503"),
        longitude=Decimal("4.3517"),
    )
    OfficeFactory(city_fr="Brouillon", city_en="Draft", publication_status="draft")
    return tokyo, brussels


@pytest.mark.parametrize("language, city", [("fr", "Bruxelles"), ("en", "Brussels")])
def test_office_list_shows_every_published_office(client, offices, language, city):
    response = client.get(url("partners:office-list", language))

    assert response.status_code == 200
    html = response.content.decode()
    assert city in html
    assert "Draft" not in html and "Brouillon" not in html
    assert len(response.context["offices"]) == 2
    assert (
        '<caption id="offices-caption">' in html
        and '<th role="columnheader" scope="col">' in html
    )


def test_office_list_heads_its_table_in_both_languages(client, offices):
    # QA47 24: heading navigation led past the map to no heading of the table.
    for language, heading in (
        ("en", "The offices and the countries they cover"),
        ("fr", "Les bureaux et les pays qu’ils couvrent"),
    ):
        html = client.get(url("partners:office-list", language)).content.decode()
        assert f'<h2 id="offices-results-title">{heading}</h2>' in html
        assert html.index(heading) < html.index('<caption id="offices-caption">')


def test_office_list_gives_kind_and_countries_covered(client, offices):
    html = client.get(url("partners:office-list", "en")).content.decode()
    assert "Branch office at the European Union" in html  # Brussels
    assert "Japan, South Korea, Taiwan" in html  # Tokyo


def test_office_list_has_one_marker_per_office(client, offices):
    tokyo, brussels = offices
    response = client.get(url("partners:office-list", "en"))
    markers = response.context["map_data"]["markers"]
    assert [marker["url"] for marker in markers] == [
        brussels.get_absolute_url(),
        tokyo.get_absolute_url(),
    ]
    assert 'id="offices-map-map"' in response.content.decode()


def test_office_list_sorts_by_city_in_the_active_language(client):
    beijing = OfficeFactory(city_fr="Pékin", city_en="Beijing")
    new_delhi = OfficeFactory(city_fr="New Delhi", city_en="New Delhi")
    assert client.get(url("partners:office-list", "fr")).context["offices"] == [
        new_delhi,
        beijing,
    ]
    assert client.get(url("partners:office-list", "en")).context["offices"] == [
        beijing,
        new_delhi,
    ]


def test_office_list_ignores_unknown_parameters(client, offices):
    assert client.get(url("partners:office-list") + "?page=abc&x=1").status_code == 200


def test_office_list_query_count_does_not_grow_with_offices(client):
    def build(count):
        for _ in range(count):
            OfficeFactory(latitude=1, longitude=2)

    build(3)
    few = query_count(client, url("partners:office-list"))
    build(27)
    many = query_count(client, url("partners:office-list"))
    assert few == many == 1  # the offices


@pytest.mark.parametrize("language", ["fr", "en"])
def test_office_page_renders_in_both_languages(client, offices, language):
    tokyo, _brussels = offices
    response = client.get(url("partners:office-detail", language, slug=tokyo.slug))
    assert response.status_code == 200
    html = response.content.decode()
    assert (tokyo.role_fr if language == "fr" else tokyo.role_en) in html
    assert 'id="office-map-map"' in html


def test_office_page_links_each_country_to_its_page(client, offices):
    tokyo, _brussels = offices
    response = client.get(url("partners:office-detail", "en", slug=tokyo.slug))
    html = response.content.decode()
    for code, name in [("JP", "Japan"), ("KR", "South Korea"), ("TW", "Taiwan")]:
        country_page = url("country-detail", "en", code=code)
        assert f'<a href="{country_page}">{name}</a>' in html
    # The hint says where the links lead (it spoke of partner institutions).
    assert "Choose a country to see everything the CNRS does there." in html
    # Sorted by name in the active language.
    assert [country.code for country in response.context["covered_countries"]] == [
        "JP",
        "KR",
        "TW",
    ]


def test_a_city_states_office_names_it_once(client):
    # "CNRS Singapore Office: …, Singapore (Singapore)." in its description.
    office = OfficeFactory(city_fr="Singapour", city_en="Singapore", country="SG")

    html = client.get(url("partners:office-detail", "en", slug=office.slug))
    html = html.content.decode()

    assert "(Singapore)" not in html
    assert "Singapore, Singapore" not in html
    assert re.search(r'<meta name="description" content="[^"]*, Singapore\. ', html)


@pytest.mark.parametrize(
    ("contact", "promised"), [({}, False), ({"email": "tokyo@cnrs.fr"}, True)]
)
def test_an_office_s_description_promises_a_contact_only_if_it_gives_one(
    client, contact, promised
):
    # QA: every office said "how to reach it", none of the demo's gave a way.
    office = OfficeFactory(**contact)
    html = client.get(url("partners:office-detail", "en", slug=office.slug))
    description = re.search(
        r'<meta name="description" content="([^"]*)"', html.content.decode()
    )[1]
    assert ("how to reach it" in description) is promised
    assert description.endswith(
        "how to reach it." if promised else "Its role and the countries it covers."
    )


def test_office_page_shows_its_contact_and_published_agreements(client):
    office = OfficeFactory(
        address="Maison franco-japonaise\nTokyo",
        email="tokyo@cnrs.fr",
        phone="+81 3 1234 5678",
        website="https://tokyo.cnrs.fr/",
        opening_year=1994,
        head="Jeanne Martin",
    )
    AgreementFactory(office=office, title_en="Agreement with AIST")
    AgreementFactory(office=office, title_en="Draft deal", publication_status="draft")

    html = client.get(url("partners:office-detail", "en", slug=office.slug)).content
    html = html.decode()

    assert "Maison franco-japonaise<br>Tokyo" in html
    assert 'href="mailto:tokyo@cnrs.fr"' in html
    assert 'href="tel:+81312345678"' in html
    assert "https://tokyo.cnrs.fr/" in html
    assert "1994" in html and "Jeanne Martin" in html
    assert "Agreement with AIST" in html
    assert "Draft deal" not in html


def test_office_page_of_a_draft_is_a_404(client):
    office = OfficeFactory(publication_status="draft")
    assert (
        client.get(url("partners:office-detail", slug=office.slug)).status_code == 404
    )


def test_office_page_query_count_does_not_grow_with_agreements(client):
    def build(count):
        office = OfficeFactory(latitude=1, longitude=2)
        for _ in range(count):
            AgreementFactory(office=office)
        return office

    few = query_count(client, url("partners:office-detail", slug=build(3).slug))
    many = query_count(client, url("partners:office-detail", slug=build(30).slug))
    assert few == many == 2  # the office and its agreements


def test_partner_list_says_when_it_shows_near_misses(client):
    PartnerFactory(
        name_fr="Université de São Paulo",
        original_name="Universidade de São Paulo",
        acronym="USP",
    )
    exact = client.get(url("partners:list"), {"q": "Sao Paulo"})
    assert "Université de <mark>São</mark> <mark>Paulo</mark>" in exact.text
    assert "voici les plus proches" not in exact.text
    typo = client.get(url("partners:list"), {"q": "Universidade de Sao Paolo"})
    assert typo.status_code == 200
    assert "Université de São Paulo" in typo.text
    assert "Aucun enregistrement ne contient tous les mots" in typo.text


def test_a_pages_rows_are_chosen_by_their_ids_in_the_lists_order():
    # The list's counts of links stay out of the query that sorts the matches
    # (on PostgreSQL they kept it from running in parallel).
    for index in range(25):
        PartnerFactory(name_fr=f"Institut {24 - index:02d}", name_en="")
    rows = Partner.objects.public().with_links().order_by_name(searched=True)
    paginator = CachedCountPaginator(rows, 10)
    for number in (1, 2, 3):
        page = paginator.page(number)
        expected = list(rows[(number - 1) * 10 : number * 10])
        assert list(page.object_list) == expected
        assert [partner.unit_count for partner in page.object_list] == [0] * len(
            expected
        )
    assert [partner.name for partner in paginator.page(1)][:2] == [
        "Institut 00",
        "Institut 01",
    ]
    with CaptureQueriesContext(connection) as queries:
        list(paginator.page(2).object_list)
    assert len(queries) == 1
    assert "IN (SELECT" in queries[0]["sql"]


def test_queries_a_subquery_of_ids_would_change_are_paged_as_django_does():
    PartnerFactory.create_batch(3)
    rows = Partner.objects.annotate(listed=Value(1)).order_by()
    for changed in (rows.distinct().order_by("pk"), rows.union(rows).order_by("pk")):
        page = CachedCountPaginator(changed, 2).page(1)
        with CaptureQueriesContext(connection) as queries:
            assert len(list(page.object_list)) == 2
        assert "IN (SELECT" not in queries[0]["sql"]


@pytest.mark.parametrize("address", ["partners:office-list", "partners:office-detail"])
def test_an_office_covers_its_host_country_as_the_country_pages_say(
    client, offices, address
):
    # Belgium's page names the Brussels branch as its office; the offices table
    # said the branch covered no country ("–").
    _tokyo, brussels = offices
    kwargs = {"slug": brussels.slug} if address.endswith("detail") else {}
    response = client.get(url(address, "en", **kwargs))
    if address.endswith("detail"):
        covered = response.context["covered_countries"]
    else:
        (covered,) = [
            office.covered_countries
            for office in response.context["offices"]
            if office.pk == brussels.pk
        ]
    assert [country.code for country in covered] == ["BE"]
    assert list(Office.objects.covering("BE")) == [brussels]


def test_office_page_map_frames_the_countries_it_covers(client, offices):
    tokyo, brussels = offices
    response = client.get(url("partners:office-detail", "en", slug=tokyo.slug))
    assert sorted(response.context["map_data"]["focus"]) == ["JP", "KR", "TW"]
    assert "Map showing the location of the office and the countries it covers" in (
        response.content.decode()
    )
    # The Brussels branch covers Belgium without listing it.
    response = client.get(url("partners:office-detail", "en", slug=brussels.slug))
    assert response.context["map_data"]["focus"] == ["BE"]


@pytest.mark.parametrize(
    ("city", "shown"),
    [("Singapore", ""), ("SINGAPOUR", ""), ("", ""), ("Jurong", "Jurong")],
)
def test_a_city_state_is_named_once_whatever_language_its_city_is_given_in(city, shown):
    # A city given in English only showed "Singapore, Singapour" in French.
    partner = PartnerFactory(city_fr="", city_en=city, country="SG")
    with translation.override("fr"):
        assert partner.city_beside_country == shown


@pytest.mark.parametrize(
    ("language", "founded", "role", "label"),
    [
        (
            "en",
            "<dt>Founded</dt><dd>1952</dd>",
            "(host institution)",
            "Map showing the location of the institution",
        ),
        (
            "fr",
            "<dt>Année de fondation</dt><dd>1952</dd>",
            "(établissement d’accueil)",
            "Carte montrant l’emplacement de l’établissement",
        ),
    ],
)
def test_a_partner_page_says_its_founding_year_and_roles_plainly(
    client, language, founded, role, label
):
    # "Fondation 1952" read as a foundation's name; "(Établissement d’accueil)".
    partner = PartnerFactory(established=1952, latitude=1, longitude=2)
    UnitPartnershipFactory(partner=partner, role="host")
    with translation.override(language):
        address = partner.get_absolute_url()
    html = client.get(address).content.decode()
    assert founded in html
    assert role in html
    assert f'aria-label="{label}"' in html


@pytest.mark.parametrize(
    ("language", "links"),
    [
        (
            "en",
            'See the <a href="?country=JP">first page</a> or the '
            '<a href="?country=JP&amp;page=3">last page</a>.',
        ),
        (
            "fr",
            'Voir la <a href="?country=JP">première page</a> ou la '
            '<a href="?country=JP&amp;page=3">dernière page</a>.',
        ),
    ],
)
def test_a_page_out_of_range_links_the_first_and_last_pages(client, language, links):
    Partner.objects.bulk_create(PartnerFactory.build_batch(41, country="JP"))

    response = client.get(f"/{language}/partners/", {"country": "JP", "page": "999"})

    assert response.status_code == 400
    html = response.content.decode()
    message = re.search(
        r'<div class="form-errors" role="alert"><p>(.*?)</p>', html, re.S
    )
    assert " ".join(message[1].split()).endswith(links)


def test_a_page_of_a_one_page_list_links_its_page(client):
    PartnerFactory(country="JP")

    response = client.get("/en/partners/", {"page": "2"})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'See the <a href="/en/partners/">first page</a>.' in html


@pytest.mark.parametrize(("asked", "country"), [("EL", "GR"), ("uk", "GB")])
def test_a_country_filter_takes_the_eu_s_codes(client, asked, country):
    # CORDIS and the EU write Greece EL and the United Kingdom UK.
    PartnerFactory(name_en="University of Athens", country="GR", slug="athens")
    PartnerFactory(name_en="University of Oxford", country="GB", slug="oxford")
    slug = {"GR": "athens", "GB": "oxford"}[country]

    response = client.get("/en/partners/", {"country": asked})

    assert response.status_code == 200
    assert [partner.slug for partner in response.context["object_list"]] == [slug]
    assert f'<option value="{country}" selected>' in response.content.decode()
    answer = client.get("/api/partners/", {"country": asked}).json()
    assert [partner["slug"] for partner in answer["results"]] == [slug]
