"""The demo data: ``manage.py load_demo`` and ``manage.py ensure_demo_staff``."""

import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

from cnrs_intl.demo import load_demo
from cnrs_intl.models import KeyFigure
from partners.models import ROR_ID_PATTERN, Office, OfficeKind, Partner
from partners.publication import PublicationStatus
from programmes.models import Programme, Project
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


def run(command: str, *args, **options) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out, **options)
    return out.getvalue()


def snapshot() -> dict:
    """Row count of every model, and the ``updated`` stamp of every timestamped row."""
    state = {}
    for model in apps.get_models():
        rows = model._default_manager.all()
        state[model._meta.label] = rows.count()
        if any(f.name == "updated" for f in model._meta.concrete_fields):
            state[f"{model._meta.label}.updated"] = sorted(
                rows.values_list("pk", "updated")
            )
    return state


@pytest.fixture
def demo():
    run("load_demo")


# --- Idempotence ----------------------------------------------------------------------


def test_loading_twice_changes_nothing():
    first = run("load_demo")
    before = snapshot()
    second = run("load_demo")
    third = run("load_demo", reset=True)

    assert snapshot() == before
    assert "Demo data: 0 created" not in first
    assert "Demo data already loaded: left as it is" in second
    assert "Demo data: 0 created, 0 updated, " in third


def test_loading_again_keeps_what_staff_edited_deleted_and_added(demo):
    """make demo runs load_demo whenever it starts the site: staff lose nothing."""
    jrl = Unit.objects.get(slug="jrl")
    jrl.city_en = "Somewhere else"
    jrl.save()
    Office.objects.get(slug="tokyo").delete()
    added = Partner.objects.create(name_fr="Université de Tartu", slug="tartu")
    before = snapshot()

    output = run("load_demo")

    assert "already loaded" in output
    assert snapshot() == before
    jrl.refresh_from_db()
    assert jrl.city_en == "Somewhere else"
    assert not Office.objects.filter(slug="tokyo").exists()
    assert Partner.objects.filter(pk=added.pk).exists()

    assert "1 created, 1 updated" in run("load_demo", reset=True)
    jrl.refresh_from_db()
    assert jrl.city_en == "Tsukuba"
    assert Office.objects.filter(slug="tokyo").exists()
    assert Partner.objects.filter(pk=added.pk).exists()  # not the demo's: kept


def test_loading_again_restores_an_edited_value_and_touches_nothing_else(demo):
    jrl = Unit.objects.get(slug="jrl")
    jrl.city_en = "Somewhere else"
    jrl.save()
    before = snapshot()

    report = load_demo()

    assert report.total("updated") == 1
    assert report.total("created") == 0
    jrl.refresh_from_db()
    assert jrl.city_en == "Tsukuba"
    after = snapshot()
    changed = [key for key in before if before[key] != after[key]]
    # The unit's timestamp, and one more version of it, which keeps its partners.
    assert sorted(changed) == [
        "units.HistoricalUnit",
        "units.HistoricalUnit.updated",
        "units.HistoricalUnit_partners",
        "units.Unit.updated",
    ]


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
        "UMI 3288", "SG", "INSIS",
        {("nanyang-technological-university", "host"), ("thales", "industrial")},
    ),
    "e2p2l": ("UMI 3464", "CN", "INC", {("solvay", "industrial")}),
    "link": (
        "UMI 3629", "JP", "INC",
        {("nims", "host"), ("saint-gobain", "industrial")},
    ),
    "compass": (
        "UMI 3254", "US", "INC",
        {("solvay", "industrial"), ("university-of-pennsylvania", "partner")},
    ),
    "mse2": (
        "UMI 3466", "US", "INC",
        {
            ("massachusetts-institute-of-technology", "host"),
            ("aix-marseille-universite", "partner"),
        },
    ),
    "jrl": ("UMI 3218", "JP", "INSIS", {("aist", "host")}),
    "cnrs-impa": ("UMI 2924", "BR", "INSMI", {("impa", "host")}),
}  # fmt: skip


def test_the_seven_units_with_their_partners_and_roles(demo):
    units = {unit.slug: unit for unit in Unit.objects.for_detail()}
    assert set(units) == set(EXPECTED_UNITS)
    for slug, (code, country, institute, partners) in EXPECTED_UNITS.items():
        unit = units[slug]
        assert unit.kind == UnitKind.IRL
        assert unit.code == code and re.match(UNIT_CODE_PATTERN, unit.code)
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
    assert Unit.objects.get(slug="jrl").director.full_name == "Abderrahmane Kheddar"
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


# --- ensure_demo_staff ----------------------------------------------------------------


def test_ensure_demo_staff_twice_keeps_one_working_account(client, monkeypatch):
    monkeypatch.delenv("PORT", raising=False)
    monkeypatch.delenv("DEMO_ADMIN_URL", raising=False)
    first = run("ensure_demo_staff")
    second = run("ensure_demo_staff")

    User = get_user_model()
    assert User.objects.count() == 1
    user = User.objects.get()
    assert (user.username, user.is_staff, user.is_superuser) == ("derci", True, True)
    expected = (
        "Staff login: http://127.0.0.1:8000/admin/  user: derci  password: derci-demo"
    )
    assert expected in first and expected in second
    assert client.login(username="derci", password="derci-demo")


def test_ensure_demo_staff_prints_the_port_the_demo_serves_on(monkeypatch):
    # make demo PORT=8765 serves on 8765: the login printed said 8000.
    monkeypatch.delenv("DEMO_ADMIN_URL", raising=False)
    monkeypatch.setenv("PORT", "8765")

    assert "Staff login: http://127.0.0.1:8765/admin/  user:" in run(
        "ensure_demo_staff"
    )


def test_ensure_demo_staff_prints_the_admin_url_given_before_the_port(monkeypatch):
    monkeypatch.setenv("PORT", "8765")
    monkeypatch.setenv("DEMO_ADMIN_URL", "https://demo.example.org/admin/")

    assert "Staff login: https://demo.example.org/admin/  user:" in run(
        "ensure_demo_staff"
    )
    assert "Staff login: http://127.0.0.1:9000/admin/  user:" in run(
        "ensure_demo_staff", "--admin-url", "http://127.0.0.1:9000/admin/"
    )


def test_make_demo_gives_its_port_to_the_login_it_prints():
    recipe = (Path(__file__).parents[2] / "Makefile").read_text().split("\ndemo:")[1]
    recipe = recipe.split("\n\n")[0]

    assert "PORT=$(PORT) $(PY) manage.py ensure_demo_staff" in recipe
    assert "runserver 127.0.0.1:$(PORT)" in recipe


def test_ensure_demo_staff_resets_the_password_it_prints(client, monkeypatch):
    monkeypatch.setenv("DEMO_STAFF_USERNAME", "office")
    run("ensure_demo_staff", "--password", "first-pass")
    output = run("ensure_demo_staff", "--password", "second-pass")

    assert "user: office  password: second-pass" in output
    assert get_user_model().objects.filter(username="office").count() == 1
    assert not client.login(username="office", password="first-pass")
    assert client.login(username="office", password="second-pass")


def test_ensure_demo_staff_refuses_the_public_password_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        run("ensure_demo_staff")
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_production_loads_the_demo_only_when_asked(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="--in-production"):
        call_command("load_demo", stdout=StringIO())
    assert not Unit.objects.exists()
    call_command("load_demo", in_production=True, stdout=StringIO())
    assert Unit.objects.filter(publication_status=PublicationStatus.PUBLISHED).exists()
