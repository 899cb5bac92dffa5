"""What the demo holds (``manage.py load_demo``), loaded once for the module.

Loading the demo takes about a second; these tests only read it, or change it
inside their own savepoint, so they share one load (its transaction is rolled back
after the module) rather than each loading it again.
"""

import re
from decimal import Decimal

import pytest
from django.db import transaction
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

from cnrs_intl.models import KeyFigure
from partners.models import ROR_ID_PATTERN, Office, OfficeKind, Partner
from partners.publication import PublicationStatus
from programmes.models import Programme, Project
from tests.cnrs_intl.test_load_demo import run
from units.models import (
    UNIT_CODE_PATTERN,
    Institute,
    Person,
    Testimony,
    Unit,
    UnitKind,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ("fr", "en")


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module in a transaction rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        run("load_demo")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_loaded, db):
    """The demo; each test's changes are undone by its own savepoint (``db``)."""


def test_every_demo_record_is_published(demo):
    for model in (Partner, Office, Unit, Testimony, Programme, Project, KeyFigure):
        assert model.objects.exists(), model
        assert not model.objects.exclude(
            publication_status=PublicationStatus.PUBLISHED
        ).exists(), model


# --- Both languages -------------------------------------------------------------------


def test_every_translated_field_is_filled_in_both_languages(demo):
    checked = 0
    for model in translator.get_registered_models():
        options = translator.get_options_for_model(model)
        for obj in model._default_manager.all():
            for field_name in options.fields:
                values = {
                    lang: getattr(obj, build_localized_fieldname(field_name, lang))
                    for lang in LANGUAGES
                }
                if any(values.values()):
                    assert all(values.values()), (model.__name__, obj.pk, field_name)
                    checked += 1
    assert checked > 100


def test_the_french_texts_keep_a_no_break_space_before_high_punctuation(demo):
    # "scientifiques : nous", "dix ans !": the line may break before the sign.
    loose = re.compile(r" [:;!?»]|« ")
    texts = [
        (model.__name__, obj.pk, name, getattr(obj, f"{name}_fr"))
        for model in translator.get_registered_models()
        for obj in model._default_manager.all()
        for name in translator.get_options_for_model(model).fields
    ]
    texts += [
        ("Testimony", testimony.pk, "quote", testimony.quote)
        for testimony in Testimony.objects.filter(language="fr")
    ]
    assert len(texts) > 100
    assert [text[:3] for text in texts if loose.search(text[3] or "")] == []


def test_the_two_languages_differ_where_a_translation_is_expected(demo):
    for slug in ("brussels", "beijing", "singapore"):
        office = Office.objects.get(slug=slug)
        assert office.name_fr != office.name_en
        assert office.city_fr != office.city_en
        assert office.role_fr != office.role_en
    for unit in Unit.objects.all():
        assert unit.description_fr != unit.description_en
        assert unit.themes_fr != unit.themes_en
        assert len(unit.themes_fr.splitlines()) == len(unit.themes_en.splitlines())


# --- Institutes, units, partners, people ----------------------------------------------


def test_the_ten_institutes(demo):
    codes = set(Institute.objects.values_list("code", flat=True))
    assert codes == set("INSB INC INEE INSHS INSIS INSMI INP IN2P3 INSU INS2I".split())
    for institute in Institute.objects.all():
        assert institute.website.startswith("https://www.")
        assert institute.website.endswith(".cnrs.fr/")
    insmi = Institute.objects.get(code="INSMI")
    assert "mathématiques" in insmi.name_fr
    assert "Mathematical" in insmi.name_en


EXPECTED_UNITS = {
    "cintra": (
        "IRL 3288", "SG", "INSIS",
        {("nanyang-technological-university", "host"), ("thales", "industrial")},
    ),
    "e2p2l": ("IRL 3464", "CN", "INC", {("solvay", "industrial")}),
    "link": (
        "IRL 3629", "JP", "INC",
        {("nims", "host"), ("saint-gobain", "industrial")},
    ),
    "compass": (
        "IRL 3254", "US", "INC",
        {("solvay", "industrial"), ("university-of-pennsylvania", "partner")},
    ),
    "mse2": (
        "IRL 3466", "US", "INC",
        {
            ("massachusetts-institute-of-technology", "host"),
            ("aix-marseille-universite", "partner"),
        },
    ),
    "jrl": ("IRL 3218", "JP", "INSIS", {("aist", "host")}),
    "cnrs-impa": ("IRL 2924", "BR", "INSMI", {("impa", "host")}),
}  # fmt: skip


def test_the_seven_units_with_their_partners_and_roles(demo):
    units = {unit.slug: unit for unit in Unit.objects.for_detail()}
    assert set(units) == set(EXPECTED_UNITS)
    for slug, (code, country, institute, partners) in EXPECTED_UNITS.items():
        unit = units[slug]
        assert unit.kind == UnitKind.IRL
        assert unit.code == code and re.match(UNIT_CODE_PATTERN, unit.code)
        # Renamed IRLs in 2020, keeping their numbers: the UMI code came before.
        assert unit.predecessor_code == code.replace("IRL", "UMI")
        assert unit.country.code == country
        assert unit.lead_institute.code == institute
        assert {(p.partner.slug, p.role) for p in unit.partnerships.all()} == partners
        assert unit.latitude is not None and unit.longitude is not None
        assert unit.theme_list


def test_unit_facts_from_the_source(demo):
    impa = Unit.objects.get(slug="cnrs-impa")
    assert impa.creation_year == 2006
    assert impa.theme_list == [
        "Systèmes dynamiques",
        "Équations aux dérivées partielles",
        "Géométrie",
    ]
    assert "50" in impa.description_fr and "50" in impa.description_en
    jrl = Unit.objects.get(slug="jrl")
    assert jrl.director.full_name == "Abderrahmane Kheddar"
    # His role at the JRL, as the source gives it; his own title names the unit.
    assert (jrl.director_title_fr, jrl.director_title_en) == (
        "directeur de l’unité",
        "director of the unit",
    )
    assert Unit.objects.get(slug="mse2").director.full_name == "Roland Pellenq"
    assert Unit.objects.get(slug="mse2").acronym == "<MSE>2"
    assert Unit.objects.get(slug="compass").city_en == "Bristol, Pennsylvania"
    cintra = Unit.objects.get(slug="cintra")
    assert cintra.theme_list == ["Nanotechnologies", "Électronique", "Photonique"]


def test_partners(demo):
    mit = Partner.objects.get(slug="massachusetts-institute-of-technology")
    assert (mit.ror_id, mit.country.code, mit.acronym) == ("042nb2s44", "US", "MIT")
    impa = Partner.objects.get(slug="impa")
    assert impa.original_name == "Instituto de Matemática Pura e Aplicada"
    assert impa.country.code == "BR"
    assert Partner.objects.get(slug="solvay").kind == "company"
    assert Partner.objects.get(slug="tel-aviv-university").country.code == "IL"
    # The CNRS is not a partner of itself.
    assert not Partner.objects.filter(ror_id="02feahw73").exists()
    for ror_id in Partner.objects.exclude(ror_id="").values_list("ror_id", flat=True):
        assert re.match(ROR_ID_PATTERN, ror_id)


def test_people_names_are_spelt_correctly(demo):
    names = {person.full_name for person in Person.objects.all()}
    assert names == {
        "Abderrahmane Kheddar",
        "Roland Pellenq",
        "Antoine Petit",
        "Patrick Nédellec",
        "Artur Ávila",
    }
    assert (
        Person.objects.get(last_name="Petit").title_en == "Chairman and CEO of the CNRS"
    )


# --- Offices --------------------------------------------------------------------------


def test_eight_offices_with_brussels_at_the_european_union(demo):
    offices = {office.slug: office for office in Office.objects.all()}
    assert set(offices) == {
        "brussels", "washington", "rio-de-janeiro", "tokyo", "beijing", "singapore",
        "new-delhi", "pretoria",
    }  # fmt: skip
    assert offices["brussels"].kind == OfficeKind.EU_BRANCH
    assert offices["brussels"].country.code == "BE"
    assert {o.kind for slug, o in offices.items() if slug != "brussels"} == {
        OfficeKind.OFFICE
    }
    assert offices["beijing"].city_fr == "Pékin"
    assert offices["beijing"].city_en == "Beijing"


@pytest.mark.parametrize(
    "country, office",
    [
        ("CA", "washington"),
        ("US", "washington"),
        ("AR", "rio-de-janeiro"),
        ("KR", "tokyo"),
        ("TW", "tokyo"),
        ("MN", "beijing"),
        ("VN", "singapore"),
        ("AU", "singapore"),
        ("NP", "new-delhi"),
        ("SN", "pretoria"),
        ("BE", "brussels"),
    ],
)
def test_the_office_covering_a_country(demo, country, office):
    assert list(Office.objects.covering(country).values_list("slug", flat=True)) == [
        office
    ]


# --- Programmes, Tascmar, key figures, testimonies ------------------------------------


def test_programmes(demo):
    programmes = {p.slug: p for p in Programme.objects.all()}
    h2020 = programmes["horizon-2020"]
    assert (h2020.kind, h2020.start_year, h2020.end_year) == ("framework", 2014, 2020)
    europe = programmes["horizon-europe"]
    assert (europe.start_year, europe.end_year) == (2021, 2027)
    assert (programmes["erc"].kind, programmes["erc"].start_year) == ("eu_scheme", 2007)
    assert programmes["msca"].kind == "eu_scheme"
    assert {
        slug: p.former_name for slug, p in programmes.items() if p.kind == "cnrs_tool"
    } == {"irl": "UMI", "irp": "LIA / PRC", "irn": "GDRI", "iea": "PICS"}
    msca = programmes["msca"]
    assert (msca.former_name_fr, msca.former_name_en) == (
        "Actions Marie Curie",
        "Marie Curie Actions",
    )
    assert msca.description_fr.startswith("Les actions Marie Skłodowska-Curie (AMSC)")
    assert "échanges de personnel " in msca.description_fr
    assert "Dispositifs\xa0: Starting" in programmes["erc"].description_fr
    fp7 = programmes["fp7"]
    # The acronym beside the name, not in it: "(FP7) (FP7)" on its page.
    assert (fp7.name_en, fp7.acronym) == ("Seventh Framework Programme", "FP7")
    assert fp7.name_fr == (
        "7ᵉ programme-cadre de recherche et de développement technologique"
    )
    assert "FP7" not in fp7.name_fr + fp7.name_en


def test_aix_marseille_universite_is_named_as_it_names_itself(demo):
    amu = Partner.objects.get(slug="aix-marseille-universite")
    assert amu.name_fr == amu.name_en == "Aix-Marseille Université"


def test_the_tokyo_office_names_south_korea_as_its_countries_list_does(demo):
    tokyo = Office.objects.get(slug="tokyo")
    assert "la Corée du Sud" in tokyo.role_fr
    assert "South Korea" in tokyo.role_en


def test_tascmar(demo):
    tascmar = Project.objects.for_detail().get(slug="tascmar")
    assert tascmar.kind == "eu_project"
    assert tascmar.programme.slug == "horizon-2020"
    assert tascmar.cnrs_role == "coordinator"
    assert tascmar.societal_challenge == "bioeconomy"
    assert tascmar.eu_contribution == Decimal("6700000")
    assert (
        tascmar.researcher_count,
        tascmar.country_count,
        tascmar.industrial_partner_count,
    ) == (110, 8, 6)
    assert tascmar.cordis_id == "634674"
    assert tascmar.start_date.isoformat() == "2015-04-01"
    participants = [(p.partner.slug, p.role) for p in tascmar.participations.all()]
    assert participants == [("tel-aviv-university", "participant")]
    assert "Eilat" in tascmar.summary_fr and "Eilat" in tascmar.summary_en


def test_key_figures(demo):
    figures = {(f.display_value, f.year) for f in KeyFigure.objects.all()}
    for expected in [
        ("60 %", 2017),
        ("3", 2017),
        ("4000", 2016),
        ("34 %", 2016),
        ("60000", 2016),
        ("37", 2017),
        ("26", 2017),
        ("440", 2016),
    ]:
        assert expected in figures
    top = KeyFigure.objects.get(value=3)
    assert "Allemagne" in top.label_fr and "Germany" in top.label_en
    # As the source gives them: "près de 4 000", "environ 60 000"; said before the
    # number, not within the label ("4 000 chercheurs… étrangers environ").
    approximations = dict(KeyFigure.objects.values_list("value", "approximation"))
    assert approximations[Decimal(4000)] == "nearly"
    assert approximations[Decimal(60000)] == "about"
    for label in KeyFigure.objects.values_list("label_fr", "label_en"):
        assert not re.search(r"\b(environ|approximately|près de)\b", " ".join(label))
    assert KeyFigure.objects.filter(source_en="CNRS").count() == 3


def test_four_testimonies_in_french_with_their_authors(demo):
    testimonies = list(Testimony.objects.for_list())
    assert len(testimonies) == 4
    assert {t.language for t in testimonies} == {"fr"}
    by_author = {t.person.last_name: t for t in testimonies}
    assert set(by_author) == {"Kheddar", "Pellenq", "Petit", "Nédellec"}
    assert by_author["Kheddar"].unit.slug == "jrl"
    assert by_author["Pellenq"].unit.slug == "mse2"
    assert by_author["Petit"].unit is None
    assert by_author["Petit"].quote.endswith(
        "La recherche est de niveau mondial ou elle n’existe pas."
    )
    assert "440 lauréats" in by_author["Nédellec"].quote
    assert by_author["Kheddar"].role_en.startswith("Director of the Joint Robotics")


def test_the_source_misspellings_are_not_loaded(demo):
    texts = [
        str(value)
        for model in (Person, Testimony)
        for row in model.objects.values()
        for value in row.values()
    ]
    assert not any("Adberrahmane" in text or "Patick" in text for text in texts)
