"""Words naming a kind of record ("partenaires au Brésil", "entreprises"), plurals
the names write in the singular ("universités au Japon"), and the countries named
whose records are not found (``kind_words``, ``singular_words`` in
partners/search.py, ``found`` in partners/searchable.py, ``matching_countries``
and ``country_searched_in`` in cnrs_intl/search.py), on both databases."""

import re

import pytest

from cnrs_intl.search import global_search, suggested_anywhere
from partners.models import Office, Partner, PartnerKind
from partners.search import (
    code_shapes,
    code_typed_apart,
    phrases_among,
    plain_digits,
    singular,
    singular_forms,
    singular_words,
    spaces_left_out,
    word_sequence,
)
from partners.searchable import _PER_MODEL
from programmes.models import Grant, GrantScheme, Project
from tests.factories import (
    GrantFactory,
    OfficeFactory,
    PartnerFactory,
    ProjectFactory,
    ProjectParticipantFactory,
    UnitFactory,
)
from tests.search_groups import by_key
from units.models import Unit


@pytest.mark.parametrize(
    "word, stem",
    [
        ("universites", "universite"),
        ("universities", "universit"),
        ("bureaux", "burea"),
        ("nationaux", "nationa"),
        ("laboratoires", "laboratoire"),
        # Kept: short, with digits, ending in "ss".
        ("labs", "labs"),
        ("h2020s", "h2020s"),
        ("process", "process"),
        ("tokyo", "tokyo"),
    ],
)
def test_a_plural_ends_where_its_singular_is_held(word, stem):
    # Held anywhere in a text: the stem finds the singular and the plural.
    assert singular(word) == stem


def test_the_singulars_a_plural_may_stand_for():
    assert singular_forms("universities") == ["universitie", "university"]
    assert singular_forms("nationaux") == ["nationau", "national"]
    assert singular_forms("tokyo") == []
    assert singular_words("Universités au Japon") == "universite au japon"
    assert singular_words("robotique japon") == "robotique japon"


@pytest.mark.django_db
def test_plurals_find_the_names_written_in_the_singular():
    tokyo = PartnerFactory(name_fr="Université de Tokyo", name_en="University of Tokyo")
    PartnerFactory(
        name_fr="Institut Pasteur", name_en="", kind=PartnerKind.RESEARCH_ORGANISATION
    )

    for text in ("universités", "universities", "Universités de Tokyo"):
        assert list(Partner.objects.public().search(text)) == [tokyo], text


@pytest.mark.django_db
def test_a_plural_is_no_misspelt_word():
    PartnerFactory(name_fr="", name_en="University of Tokyo", country="JP")

    assert suggested_anywhere("universities") is None
    assert suggested_anywhere("partenaires") is None
    groups = by_key(global_search("universities"))
    assert not groups["partners"].near_misses and groups["partners"].total == 1


@pytest.fixture
def brazil():
    impa = PartnerFactory(
        name_fr="Institut de mathématiques pures et appliquées",
        name_en="Institute for Pure and Applied Mathematics",
        acronym="IMPA",
        country="BR",
        kind=PartnerKind.RESEARCH_ORGANISATION,
    )
    usp = PartnerFactory(
        name_fr="Université de São Paulo", name_en="", country="BR", kind="university"
    )
    PartnerFactory(name_fr="Université de Tokyo", name_en="", country="JP")
    saint_gobain = PartnerFactory(
        name_fr="Saint-Gobain", name_en="", country="FR", kind=PartnerKind.COMPANY
    )
    unit = UnitFactory(
        acronym="CNRS-IMPA",
        name_fr="Unité mixte internationale CNRS-IMPA",
        name_en="",
        description_fr="",
        description_en="",
        themes_fr="",
        themes_en="",
        country="BR",
    )
    UnitFactory(name_fr="Unité de robotique", name_en="", country="JP")
    return {"impa": impa, "usp": usp, "saint_gobain": saint_gobain, "unit": unit}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text", ["partenaires au Brésil", "partners in brazil", "établissements brésil"]
)
def test_a_kind_named_with_a_country_finds_all_its_records_there(brazil, text):
    assert set(Partner.objects.public().search(text)) == {
        brazil["impa"],
        brazil["usp"],
    }
    groups = by_key(global_search(text))
    assert [country.code for country in groups["countries"].records] == ["BR"]
    assert groups["units"].total == 0


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["laboratoire brésil", "labs in brazil", "unités"])
def test_units_are_found_by_the_words_naming_them(brazil, text):
    found = set(Unit.objects.public().search(text))

    assert brazil["unit"] in found
    if "brazil" in text or "brésil" in text:
        assert found == {brazil["unit"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text, kind",
    [("entreprises", "saint_gobain"), ("companies in france", "saint_gobain")],
)
def test_a_partners_kind_finds_the_partners_of_that_kind(brazil, text, kind):
    assert list(Partner.objects.public().search(text)) == [brazil[kind]]


@pytest.mark.django_db
def test_a_kind_word_held_by_names_finds_those_names_first():
    # Every university, the names saying it first.
    named = PartnerFactory(name_fr="Université de Tokyo", name_en="", kind="university")
    PartnerFactory(name_fr="Tokyo Tech", name_en="", kind="university")

    found = Partner.objects.public().search("université")

    assert found.count() == 2
    assert found.best_matches_first("université")[0] == named


@pytest.mark.django_db
def test_offices_and_projects_are_found_by_the_words_naming_them():
    beijing = OfficeFactory(
        name_fr="Bureau du CNRS à Pékin",
        name_en="",
        country="CN",
        countries=["CN", "MN"],
        role_fr="Suit la coopération.",
        role_en="",
    )
    project = ProjectFactory(title_fr="Océans", title_en="", acronym="OCEAN")

    assert list(Office.objects.public().search("bureaux en chine")) == [beijing]
    assert list(Office.objects.public().search("offices in mongolia")) == [beijing]
    assert list(Project.objects.public().search("projets")) == [project]


@pytest.mark.django_db
def test_a_country_named_among_words_nothing_holds_is_offered_alone():
    # "universities in India": no partner there; India's page names the office
    # covering it, where near misses offered universities elsewhere.
    PartnerFactory(name_fr="", name_en="University of Tokyo", country="JP")
    OfficeFactory(country="IN", countries=["IN", "NP"], name_en="CNRS New Delhi")

    groups = by_key(global_search("universities in India"))

    assert [country.code for country in groups["countries"].records] == ["IN"]
    assert not any(group.near_misses for group in groups.values())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, text, name, summary",
    [
        ("fr", "Mexique", "Mexique", "rien de publié pour l’instant"),
        ("en", "the mexico", "Mexico", "nothing published yet"),
    ],
)
def test_a_country_without_records_is_found_by_its_name_and_says_so(
    client, language, text, name, summary
):
    # Its slips ("Amérique") offered the United States instead.
    PartnerFactory(name_fr="", name_en="University of Chicago", country="US")

    response = client.get(f"/{language}/search/", {"q": text})

    groups = by_key(response.context["groups"])
    assert [country.code for country in groups["countries"].records] == ["MX"]
    assert not any(group.near_misses for group in groups.values())
    link = re.search(rf'<a href="/{language}/countries/MX/">(.*?)</a>', response.text)
    assert link and re.sub("</?mark>", "", link[1]) == name
    assert summary in response.text


@pytest.fixture
def grants():
    def grant(scheme, title):
        # MSCA grants have no ERC panel.
        panel = "PE1" if scheme.startswith("erc_") else ""
        return GrantFactory(
            scheme=scheme, title_fr=title, title_en="", acronym="", panel=panel
        )

    return {
        "stg": grant(GrantScheme.ERC_STG, "Glaciers alpins"),
        "adg": grant(GrantScheme.ERC_ADG, "Matériaux quantiques"),
        "itn": grant(GrantScheme.MSCA_ITN, "Réseau de chimie"),
        "dn": grant(GrantScheme.MSCA_DN, "Réseau de physique"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text, found",
    [
        ("ERC grants", {"stg", "adg"}),
        ("bourses ERC", {"stg", "adg"}),
        ("StG", {"stg"}),
        ("erc starting", {"stg"}),
        ("starting grants glaciers", {"stg"}),
        # A former name finds its successor's grants too.
        ("ITN", {"itn", "dn"}),
        ("msca chimie", {"itn"}),
        # Every MSCA grant: "msca se" (the Staff Exchanges), "se" a stop word,
        # took the key of "msca".
        ("MSCA", {"itn", "dn"}),
        ("Marie Sklodowska-Curie", {"itn", "dn"}),
        ("marie skłodowska curie", {"itn", "dn"}),
        ("Skłodowska-Curie chimie", {"itn"}),
    ],
)
def test_grants_are_found_by_their_schemes_names(grants, text, found):
    assert set(Grant.objects.public().search(text)) == {grants[k] for k in found}


@pytest.mark.django_db
def test_a_scheme_named_finds_its_grants_and_a_common_word_alone_names_none():
    held = GrantFactory(
        scheme=GrantScheme.ERC_STG, title_fr="", title_en="Advanced optics"
    )
    advanced = GrantFactory(scheme=GrantScheme.ERC_ADG, title_fr="", title_en="Ice")
    GrantFactory(scheme=GrantScheme.ERC_COG, title_fr="", title_en="Glaciers")
    grants = Grant.objects.public()

    # "advanced materials", "sea level rise": words of titles, no scheme.
    assert list(grants.search("advanced")) == [held]
    assert set(grants.search("advanced grants")) == {advanced}
    assert set(grants.search("ERC advanced")) == {advanced}
    assert set(grants.search("AdG")) == {advanced}
    assert set(grants.search("consolidator")) == set(grants.search("CoG"))


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["E2-P2L", "e2‐p2l"])
def test_an_acronym_typed_with_a_hyphen_is_found_without(text):
    unit = UnitFactory(acronym="E2P2L", name_fr="Produits éco-efficaces", name_en="")

    assert list(Unit.objects.public().search(text)) == [unit]


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["E2 P2L", "e2 p2l", "labo E2 P2L", "E 2 P 2 L"])
def test_an_acronym_typed_in_pieces_is_found_whole(text):
    unit = UnitFactory(acronym="E2P2L", name_fr="Produits éco-efficaces", name_en="")
    UnitFactory(acronym="P2L", name_fr="Physique", name_en="")

    assert list(Unit.objects.public().search(text)) == [unit]


@pytest.mark.parametrize(
    "text, joined",
    [
        ("E2 P2L", "E2P2L"),
        ("C N R S", "CNRS"),
        ("labo E2 P2L japon", "labo E2P2L japon"),
        # Words, or a code and its number: kept apart.
        ("IRL 2958", "IRL 2958"),
        ("tokyo 2", "tokyo 2"),
        ("MSE 2", "MSE 2"),
        ("Université de Tokyo", "Université de Tokyo"),
    ],
)
def test_spaces_left_out_joins_only_the_pieces_of_a_code(text, joined):
    assert spaces_left_out(text) == joined


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text, query",
    [
        # The list's own filters say it: never the kind's words searched.
        ("partenaires au Brésil", "country=BR"),
        ("universités au Brésil", "kind=university&amp;country=BR"),
        # No company in Brazil: the country alone, never a link to an empty list.
        ("entreprises au Brésil", "country=BR"),
    ],
)
def test_a_list_offers_its_own_filters_for_a_kind_named_with_a_country(
    client, brazil, text, query
):
    html = client.get("/fr/partners/", {"q": text}).text

    assert f'href="/fr/partners/?{query}"' in html


@pytest.mark.django_db
def test_a_kind_word_finds_every_record_of_the_kind_with_those_holding_it():
    # MIT is a university its name does not say; a unit named "Unité…" is
    # found as every unit is.
    tokyo = PartnerFactory(name_fr="Université de Tokyo", name_en="", kind="university")
    mit = PartnerFactory(
        name_fr="", name_en="Massachusetts Institute of Technology", kind="university"
    )
    PartnerFactory(name_fr="Thales", name_en="", kind=PartnerKind.COMPANY)
    in_japan = UnitFactory(name_fr="Robotique", name_en="", country="JP")
    named = UnitFactory(name_fr="Unité de chimie", name_en="", country="JP")
    UnitFactory(name_fr="Mathématiques", name_en="", country="BR")

    assert set(Partner.objects.public().search("universités")) == {tokyo, mit}
    assert set(Unit.objects.public().search("labs in japan")) == {in_japan, named}
    assert Unit.objects.public().search("unités").count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["physique Allemagne", "unités au Mexique"])
def test_a_country_without_records_named_among_words_says_so(text):
    UnitFactory(name_fr="Physique", name_en="", country="JP")

    groups = by_key(global_search(text))

    assert [c.summary for c in groups["countries"].records] == [
        "rien de publié pour l’instant"
    ]
    assert not any(group.near_misses for group in groups.values())


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["unités", "Mexique", "le Mexique"])
def test_a_list_offers_no_country_a_kind_word_or_another_country_nearly_names(
    client, text
):
    # "unités" is a slip of "United", "Mexique" of "Amérique": not the US.
    UnitFactory(name_fr="Robotique", name_en="", country="US")

    html = client.get("/fr/units/", {"q": text}).text

    assert "Filtrer par pays" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["labs in japan", "laboratoires au Japon"])
def test_a_kind_named_in_a_country_leads_with_the_country(brazil, text):
    # A unit in Japan whose texts say "Japan" held every word: no card before.
    japan = UnitFactory(
        name_fr="Laboratoire au Japon", name_en="Lab in Japan", country="JP"
    )

    groups = by_key(global_search(text))

    assert [country.code for country in groups["countries"].records] == ["JP"]
    assert japan in groups["units"].records


@pytest.mark.django_db
def test_a_list_offers_the_country_of_a_kind_named_when_a_record_there_names_it(
    client,
):
    # Its summary names Israel: it held every word, and no country was offered.
    project = ProjectFactory(
        title_fr="Océans", title_en="", summary_fr="Avec Israël.", summary_en=""
    )
    ProjectParticipantFactory(project=project, partner=PartnerFactory(country="IL"))

    html = client.get("/fr/projects/", {"q": "projets en Israël"}).text

    assert 'href="/fr/projects/?country=IL"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "math",
        "maths",
        "labo de maths",
        "nanotech",
        "nanotechno",
        "cimen",
        "Fields medal",
        "fields medal",
    ],
)
def test_the_start_of_a_word_of_the_long_texts_is_found_when_nothing_holds_it(text):
    # What a visitor types before the end: "math" for "mathématiques". With the
    # others whole, stemmed: "Fields" is "field" in "a Fields medallist".
    impa = UnitFactory(
        name_fr="Unité CNRS-IMPA",
        name_en="",
        description_fr="Cinquante mathématiciens, une médaille Fields.",
        description_en="Fifty mathematicians, a Fields medallist.",
        themes_fr="Nanotechnologies, ciments",
        themes_en="",
    )
    UnitFactory(name_fr="Robotique", name_en="", description_fr="", themes_fr="")

    assert list(Unit.objects.public().search(text)) == [impa]


@pytest.mark.django_db
def test_a_start_too_short_or_a_whole_word_held_is_no_start():
    unit = UnitFactory(
        name_fr="Physique", name_en="", description_fr="Mathématiques.", themes_fr=""
    )

    # Three letters start most words: near misses, not matches.
    assert Unit.objects.public().search_or_near_misses("mat")[1]
    assert Unit.objects.none().prefix_condition("mat") is None
    assert list(Unit.objects.public().search("mathématiques")) == [unit]
    # Not stemmed: "robotiqe" is a typo, no start of "robotique".
    UnitFactory(name_fr="Laboratoire", name_en="", description_fr="Robotique.")
    assert Unit.objects.public().search_or_near_misses("robotiqe")[1]


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["ǃxóõǃ", "²³⁴⁵", "大学研究所", "𝔪𝔞𝔱𝔥", "٣٤٥٦٧"])
def test_the_start_of_a_word_of_any_script_is_looked_for_without_error(client, text):
    # The words go into a tsquery (``FullTextPrefix``): letters and digits of any
    # script, never a syntax error (a 500).
    UnitFactory(name_fr="Physique", name_en="", description_fr="Mathématiques.")

    assert Unit.objects.none().prefix_condition(text) is not None
    response = client.get("/fr/units/", {"q": text})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "text, phrases, left",
    [
        (
            "organismes de recherche au japon",
            [("organismes", "recherche")],
            ["de", "au", "japon"],
        ),
        ("research organisation", [("research", "organisation")], []),
        # A word of a phrase alone is none.
        ("recherche", [], ["recherche"]),
        ("universites et entreprises", [("universites",), ("entreprises",)], ["et"]),
    ],
)
def test_phrases_among_finds_the_longest_phrases_typed(text, phrases, left):
    kinds = Partner.objects.none().folded_kind_words()
    words = word_sequence(text)

    found, positions = phrases_among(words, kinds)

    assert found == phrases
    assert [words[i] for i in positions] == left


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "research organisation",
        "Research Organizations",
        "organismes de recherche",
        "organisme de recherche japonais",
    ],
)
def test_a_kind_named_in_several_words_finds_the_partners_of_the_kind(text):
    # The label the cards print ("Research organisation"): no name holds it.
    aist = PartnerFactory(
        name_fr="", name_en="AIST", kind=PartnerKind.RESEARCH_ORGANISATION
    )
    PartnerFactory(name_fr="Université de Tokyo", name_en="")
    PartnerFactory(
        name_fr="",
        name_en="Max Planck Society",
        kind=PartnerKind.RESEARCH_ORGANISATION,
        country="DE",
        city_fr="Munich",
        city_en="Munich",
    )

    found = Partner.objects.public().search(text)

    if "japonais" in text:
        assert list(found) == [aist]
    else:
        assert found.count() == 2 and aist in found


@pytest.mark.django_db
def test_industrial_partners_are_the_companies(client):
    thales = PartnerFactory(name_fr="Thales", name_en="", kind=PartnerKind.COMPANY)
    PartnerFactory(name_fr="Université de Tokyo", name_en="")

    assert list(Partner.objects.public().search("partenaires industriels")) == [thales]
    assert list(Partner.objects.public().search("industrial partners")) == [thales]


@pytest.mark.django_db
def test_a_kind_named_in_several_words_in_a_country_offers_the_lists_filters(
    client, brazil
):
    # The brazil fixture's IMPA is a research organisation.
    html = client.get("/fr/partners/", {"q": "organismes de recherche au Brésil"}).text

    assert 'href="/fr/partners/?kind=research_organisation&amp;country=BR"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["MSE²", "mse²", "<MSE>²"])
def test_digits_written_above_the_line_are_found_written_plainly(client, text):
    # PostgreSQL's unaccent keeps "²": "MSE²" is tried as "MSE2" when nothing
    # holds it as typed.
    unit = UnitFactory(acronym="<MSE>2", name_fr="Matériaux", name_en="")
    UnitFactory(acronym="MSE", name_fr="Mécanique", name_en="")

    assert list(Unit.objects.public().search(text)) == [unit]
    assert client.get("/fr/search/", {"q": text}).status_code == 200


def test_plain_digits_writes_only_digits_above_and_below_the_line():
    assert plain_digits("CO₂ et MSE² ¹⁰") == "CO2 et MSE2 10"
    assert plain_digits("Université") == "Université"


@pytest.mark.django_db
def test_a_short_plural_finds_the_names_its_singular_starts():
    # "maths": no name holds it, nor the known word "math"; short, it is no typo.
    impa = PartnerFactory(
        name_fr="", name_en="Institute for Pure and Applied Mathematics", acronym=""
    )
    PartnerFactory(name_fr="Université de Tokyo", name_en="")

    assert list(Partner.objects.public().search("maths")) == [impa]


@pytest.mark.parametrize(
    "text, code",
    [("C N R S", "CNRS"), ("E2 P2L", "E2P2L"), ("m i t", "mit"), ("labo E2 P2L", None)],
)
def test_a_code_typed_in_pieces_is_told_from_words(text, code):
    assert code_typed_apart(text) == code


@pytest.mark.django_db
def test_a_code_typed_letter_by_letter_is_searched_whole():
    # Each letter apart starts a word of most records: "C N R S" found the
    # "Republic" countries and any unit with an "R".
    named = UnitFactory(acronym="CNRS-AIST", name_fr="Robotique", name_en="")
    UnitFactory(acronym="LINK", name_fr="Recherche en science", name_en="")

    groups = {group.key: group for group in global_search("C N R S")}

    assert groups["units"].records == [named]
    assert not groups["countries"].records
    assert not groups["institutes"].records


@pytest.mark.parametrize(
    "text, shapes",
    [
        ("MSE2", ["MSE 2"]),
        ("MSE²", ["MSE 2"]),
        ("E2-P2L", ["E2P2L"]),
        ("E2 P2L", ["E2P2L"]),
        ("robotique", []),
    ],
)
def test_code_shapes_are_the_other_shapes_a_code_takes(text, shapes):
    assert code_shapes(text) == shapes


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text", ["universités japonaises", "international organisations", "Mexique"]
)
def test_words_naming_only_kinds_or_a_country_have_no_close_records(client, text):
    # None there: Tel Aviv University, close to the letters of "universités",
    # is no answer to "universités japonaises".
    PartnerFactory(name_fr="Université de Tel-Aviv", name_en="", country="IL")
    PartnerFactory(
        name_fr="Institut national",
        name_en="",
        country="JP",
        kind=PartnerKind.RESEARCH_ORGANISATION,
    )

    records, near_misses = Partner.objects.public().search_or_near_misses(text)

    assert (list(records), near_misses) == ([], False)
    listed = client.get("/fr/partners/", {"q": text})
    assert listed.status_code == 200
    assert listed.context["result_count"] == 0
    assert "near_misses_of" not in listed.context
    suggested = client.get("/fr/partners/names.json", {"q": text}).json()
    assert suggested["results"] == []


def test_the_kind_words_are_read_once_per_model_not_per_queryset():
    # modeltranslation makes a new QuerySet class for each QuerySet: cached per
    # class, the kind words and regions made an entry at each request.
    Partner.objects.public().kind_phrases()
    Office.objects.public().kind_phrases()
    entries = len(_PER_MODEL)
    for _ in range(5):
        assert Partner.objects.public().kind_phrases()
        assert Office.objects.public().kind_phrases()
    assert len(_PER_MODEL) == entries


def test_a_kind_phrase_shortened_by_its_stop_words_takes_no_other_phrases_key():
    grants = Grant.objects.public()
    assert grants.folded_kind_words()[("msca",)] == {"scheme__in": GrantScheme.msca()}
    assert grants.folded_kind_words()[("staff", "exchanges")] == {
        "scheme__in": [GrantScheme.MSCA_SE, GrantScheme.MSCA_RISE]
    }
