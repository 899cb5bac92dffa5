"""A country named among the words searched ("robotique japon"): no record's text
holds the country's name, the records in that country hold the other words
(``country_among_words`` in partners/country_names.py, ``found`` in
partners/searchable.py), on both databases."""

import pytest

from cnrs_intl.search import global_search
from partners.country_names import country_among_words, country_named_whole
from partners.models import Office, Partner
from programmes.models import Grant, Project
from tests.factories import (
    GrantFactory,
    InstituteFactory,
    OfficeFactory,
    PartnerFactory,
    PersonFactory,
    ProjectFactory,
    ProjectParticipantFactory,
    UnitFactory,
)
from units.models import Unit


@pytest.mark.parametrize(
    "text, named",
    [
        ("robotique japon", ("JP", "robotique")),
        ("Robotics Japan", ("JP", "Robotics")),
        # The other words as written, without the stop words around them.
        ("Université du Japon", ("JP", "Université")),
        ("the university of tokyo japan", ("JP", "university of tokyo")),
        ("chimie en France", ("FR", "chimie")),
        # Names of several words, in either language, hyphens or not.
        ("etats unis chimie", ("US", "chimie")),
        ("États-Unis chimie", ("US", "chimie")),
        ("physics united states of america", ("US", "physics")),
        ("Côte d’Ivoire santé", ("CI", "santé")),
        ("climate UK", ("GB", "climate")),
        ("Bahamas coraux", ("BS", "coraux")),
        # The longest name typed: Equatorial Guinea, not Guinea.
        ("pétrole guinée équatoriale", ("GQ", "pétrole")),
        ("Île Maurice bureau", ("MU", "bureau")),
        # Words repeated: the country's "of", the other words' "de".
        (
            "university of the united states of america",
            ("US", "university"),
        ),
        ("bureau du cnrs en corée du sud", ("KR", "bureau du cnrs")),
        # Stop words left out of the names as typed and as named.
        ("universite etats unis d amerique", ("US", "universite")),
        ("bosnia and herzegovina physics", ("BA", "physics")),
        ("university US", ("US", "university")),
        ("chimie de la matière de Chine", ("CN", "chimie de la matière")),
        # Names in use that are not django-countries'.
        ("university turkey", ("TR", "university")),
        ("Universités de Tchéquie", ("CZ", "Universités")),
        ("université RDC", ("CD", "université")),
        ("université Corée", ("KR", "université")),
    ],
)
def test_a_country_named_among_other_words_is_found(text, named):
    assert country_among_words(text) == named


@pytest.mark.parametrize(
    "text",
    [
        "japon",  # a name alone: the country itself (countries_named)
        "royaume uni",
        "au japon",  # nothing else but stop words
        "robotique japn",  # misspelt: not typed whole
        "plages saint martin",  # two countries' name (French and Dutch parts)
        "robotique",
        "contact us",  # "US" alone is a word
        "x japon",  # one letter: no list searches it (enough_letters)
    ],
)
def test_no_country_is_named_among_other_words(text):
    assert country_among_words(text) is None


@pytest.mark.django_db
def test_a_list_finds_the_records_in_the_country_holding_the_other_words():
    in_japan = UnitFactory(name_fr="Laboratoire de robotique", name_en="", country="JP")
    UnitFactory(name_fr="Robotique marine", name_en="", country="BR")
    UnitFactory(name_fr="Laboratoire de chimie", name_en="", country="JP")

    assert list(Unit.objects.public().search("robotique japon")) == [in_japan]
    assert list(Unit.objects.public().search("Robotique au Japon")) == [in_japan]


@pytest.mark.django_db
def test_records_holding_every_word_are_no_search_in_the_country():
    # "Jordan": a country, and the first name of a laureate or a director.
    director = PersonFactory(first_name="Jordan", last_name="Lefebvre")
    directed = UnitFactory(director=director, country="BR")
    UnitFactory(name_fr="Lefebvre et associés", name_en="", country="JO")

    assert list(Unit.objects.public().search("jordan lefebvre")) == [directed]
    groups = {group.key: group for group in global_search("jordan lefebvre")}
    assert groups["countries"].records == []
    assert groups["units"].records == [directed]


@pytest.mark.django_db
def test_offices_are_in_the_countries_they_cover_projects_in_their_participants():
    roles = {"role_fr": "Suit la coopération.", "role_en": "Follows cooperation."}
    tokyo = OfficeFactory(
        name_fr="Bureau de Tokyo", name_en="", countries=["JP", "KR"], **roles
    )
    OfficeFactory(
        name_fr="Bureau de Pékin", name_en="", country="CN", countries=[], **roles
    )
    in_brazil = ProjectFactory(title_fr="Océans et climat", title_en="")
    ProjectParticipantFactory(project=in_brazil, partner=PartnerFactory(country="BR"))
    elsewhere = ProjectFactory(title_fr="Océans profonds", title_en="")
    ProjectParticipantFactory(project=elsewhere, partner=PartnerFactory(country="JP"))

    assert list(Office.objects.public().search("bureau corée du sud")) == [tokyo]
    assert list(Project.objects.public().search("océans brésil")) == [in_brazil]


@pytest.mark.django_db
def test_nothing_in_the_country_holding_the_other_words_leaves_near_misses():
    UnitFactory(name_fr="Laboratoire de robotique", name_en="", country="BR")

    records, near_misses = Unit.objects.public().search_or_near_misses(
        "robotique japon"
    )

    assert near_misses


@pytest.mark.django_db
def test_names_starting_with_the_other_words_come_first():
    PartnerFactory(name_fr="Institut de l’université de Tokyo", name_en="")
    kyoto = PartnerFactory(name_fr="Université de Kyoto", name_en="")
    PartnerFactory(name_fr="Université de Séoul", name_en="", country="KR")

    found = Partner.objects.public().search("université japon")

    assert list(found.best_matches_first("université japon"))[0] == kyoto
    assert found.count() == 2


@pytest.mark.django_db
def test_the_global_search_names_the_country_where_its_records_are(settings):
    unit = UnitFactory(name_fr="Laboratoire de robotique", name_en="", country="JP")
    UnitFactory(name_fr="Laboratoire de chimie", name_en="", country="BR")

    groups = {group.key: group for group in global_search("robotique japon")}

    assert [country.code for country in groups["countries"].records] == ["JP"]
    assert groups["units"].records == [unit]
    assert not groups["units"].near_misses


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, link",
    [("fr", "Filtrer par pays\u00a0: Japon"), ("en", "Filter by country: Japan")],
)
def test_a_list_offers_its_country_filter_with_the_other_words(client, language, link):
    UnitFactory(name_fr="Laboratoire de robotique", name_en="", country="JP")
    UnitFactory(name_fr="Robotique", name_en="", country="BR")

    response = client.get(f"/{language}/units/", {"q": "Robotique au Japon"})

    html = response.content.decode()
    assert response.context["result_count"] == 1
    assert f'<a href="/{language}/units/?q=Robotique&amp;country=JP">{link}</a>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["robotique chine", "japon chine", "xyzzy japon"])
def test_the_country_alone_is_offered_when_nothing_there_holds_the_other_words(
    client, text
):
    # Never a link to an empty list: the country's units, without the words.
    UnitFactory(name_fr="Laboratoire de robotique", name_en="", country="JP")
    UnitFactory(name_fr="Laboratoire de chimie", name_en="", country="CN")

    response = client.get("/fr/units/", {"q": text})

    [(country, query)] = response.context["countries_named"]
    assert query == f"country={country.code}"
    assert client.get(f"/fr/units/?{query}").context["result_count"] == 1


@pytest.mark.django_db
def test_no_country_filter_is_offered_when_a_record_holds_every_word(client):
    UnitFactory(
        name_fr="Robotique", description_fr="Avec le Japon.", name_en="", country="BR"
    )
    UnitFactory(name_fr="Laboratoire de robotique", name_en="", country="JP")

    response = client.get("/fr/units/", {"q": "robotique japon"})

    assert response.context["result_count"] == 1
    assert response.context["countries_named"] == []


@pytest.mark.django_db
def test_the_projects_list_offers_its_participants_country(client):
    project = ProjectFactory(title_fr="Océans et climat", title_en="")
    ProjectParticipantFactory(project=project, partner=PartnerFactory(country="BR"))

    named = client.get("/en/projects/", {"q": "brazil"})
    among = client.get("/en/projects/", {"q": "oceans brazil"})

    assert '<a href="/en/projects/?country=BR">' in named.content.decode()
    assert among.context["result_count"] == 1
    assert '<a href="/en/projects/?q=oceans&amp;country=BR">' in (
        among.content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, summary", [("fr", "1 bureau du CNRS"), ("en", "1 CNRS office")]
)
def test_a_country_with_an_office_only_says_so(client, language, summary):
    # Its summary was empty.
    OfficeFactory(
        name_fr="Bureau de Pretoria", name_en="", country="ZA", countries=["ZA"]
    )

    response = client.get(f"/{language}/search/", {"q": "Afrique du Sud"})

    [south_africa] = response.context["groups"][0].records
    assert south_africa.summary == summary


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["au japon", "in japan", "Japon"])
def test_a_country_named_with_stop_words_is_offered(client, text):
    UnitFactory(name_fr="Laboratoire de robotique", name_en="", country="JP")

    response = client.get("/fr/units/", {"q": text})

    [(country, query)] = response.context["countries_named"]
    assert (country.code, query) == ("JP", "country=JP")


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["japon", "Japan", "le Japon"])
def test_a_country_named_alone_finds_the_records_there_and_those_naming_it(text):
    # "Japan" found LINK alone, "japon" the JRL alone: their texts say it or not.
    in_japan = UnitFactory(
        name_fr="Matériaux", name_en="", description_fr="", country="JP"
    )
    naming_it = UnitFactory(
        name_fr="Laboratoire franco-japonais",
        name_en="",
        description_fr="Coopère avec le Japon.",
        description_en="Works with Japan.",
        country="FR",
    )
    UnitFactory(name_fr="Robotique", name_en="", country="BR")
    tokyo = PartnerFactory(name_fr="Université de Tokyo", name_en="", country="JP")

    assert set(Unit.objects.public().search(text)) == {in_japan, naming_it}
    assert list(Partner.objects.public().search(text)) == [tokyo]


@pytest.mark.django_db
def test_a_country_offer_keeps_the_other_filters_chosen(client):
    # "japan" among the units of the INC: its units in Japan, not every unit
    # there (the JRL is the INSIS's).
    chemistry = InstituteFactory(code="INC", slug="inc")
    engineering = InstituteFactory(code="INSIS", slug="insis")
    link = UnitFactory(
        acronym="LINK", name_en="Materials", country="JP", lead_institute=chemistry
    )
    UnitFactory(
        acronym="JRL", name_en="Robotics", country="JP", lead_institute=engineering
    )
    UnitFactory(
        acronym="E2P2L", name_en="Products", country="CN", lead_institute=chemistry
    )

    response = client.get("/en/units/", {"q": "japan", "institute": "inc"})

    [(country, query)] = response.context["countries_named"]
    assert (country.code, query) == ("JP", "institute=inc&country=JP")
    followed = client.get(f"/en/units/?{query}")
    assert list(followed.context["object_list"]) == [link]


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["chine", "Chine", "la Chine"])
def test_a_country_named_alone_is_a_word_whole_not_inside_another(text):
    # "chine" found the grants on machine learning and those of laureates named
    # Chinedu: a country's name is searched as a word.
    naming_it = GrantFactory(title_fr="Les villes de Chine", title_en="Cities")
    GrantFactory(title_fr="Apprentissage", title_en="Machine learning")
    GrantFactory(laureate__first_name="Chinedu", laureate__last_name="Okafor")
    in_china = UnitFactory(name_fr="Matériaux", name_en="", country="CN")
    UnitFactory(name_fr="Machines et robots", name_en="", country="FR")
    UnitFactory(director__first_name="Chinedu", country="FR")

    assert list(Grant.objects.public().search(text)) == [naming_it]
    assert list(Unit.objects.public().search(text)) == [in_china]


@pytest.mark.django_db
def test_a_word_that_names_no_country_is_still_found_inside_words():
    # "klinikum" in "Universitätsklinikum": only a country's name is held whole.
    machine = GrantFactory(title_fr="Apprentissage", title_en="Machine learning")
    chinedu = GrantFactory(laureate__first_name="Chinedu", laureate__last_name="Okafor")

    assert list(Grant.objects.public().search("achin")) == [machine]
    assert list(Grant.objects.public().search("chined")) == [chinedu]


@pytest.mark.django_db
def test_a_name_starting_with_the_country_named_comes_before_its_partners():
    # Sorted by name alone only where no name starts with the words.
    tbilisi = PartnerFactory(
        name_fr="Université d'État de Tbilissi", name_en="", country="GE"
    )
    georgia_tech = PartnerFactory(
        name_fr="", name_en="Georgia Institute of Technology", country="US"
    )
    academy = PartnerFactory(name_fr="Académie des sciences", name_en="", country="GE")
    found = Partner.objects.public().found("Georgia")

    assert list(found.best_matches_first("Georgia")) == [
        georgia_tech,
        academy,
        tbilisi,
    ]


@pytest.mark.parametrize(
    "text, whole, among",
    [
        # "les", missing from PostgreSQL's French stop words, hid the country.
        ("les États-Unis", "US", None),
        ("les Philippines", "PH", None),
        ("les japonais", "JP", None),
        ("les universités américaines", None, ("US", "universités")),
        ("les laboratoires au Japon", None, ("JP", "laboratoires")),
    ],
)
def test_the_article_les_names_nothing(text, whole, among):
    assert country_named_whole(text) == whole
    assert country_among_words(text) == among


@pytest.mark.django_db
def test_partners_are_found_in_a_country_named_with_les():
    mit = PartnerFactory(name_fr="", name_en="Massachusetts Institute", country="US")
    PartnerFactory(country="JP")

    assert list(Partner.objects.public().search("les États-Unis")) == [mit]
