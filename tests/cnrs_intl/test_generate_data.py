"""``manage.py generate_data``: a synthetic data set, and its deletion."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import translation
from django_countries import countries

from cnrs_intl import synthetic
from cnrs_intl.synthetic import Counts, Progress, orcid_for, pic_for, ror_id_for
from partners.models import PIC_PATTERN, ROR_ID_PATTERN, Partner
from partners.publication import PublicationStatus
from programmes.models import Grant, Programme, Project, ProjectParticipant
from tests.factories import (
    GrantFactory,
    PartnerFactory,
    PersonFactory,
    UnitFactory,
    UnitPartnershipFactory,
)
from units.models import ORCID_PATTERN, Institute, Person, Unit, UnitPartnership

pytestmark = pytest.mark.django_db

SMALL = {"partners": 300, "units": 20, "grants": 50, "projects": 10}
SYNTHETIC = (Partner, Person, Unit, Grant, Project)


def generate(**options) -> tuple[str, str]:
    """Run the command; return what it wrote on stdout and stderr."""
    out, err = StringIO(), StringIO()
    call_command("generate_data", stdout=out, stderr=err, **{**SMALL, **options})
    return out.getvalue(), err.getvalue()


def delete() -> str:
    out = StringIO()
    call_command("generate_data", delete=True, stdout=out, stderr=StringIO())
    return out.getvalue()


def synthetic_count(model) -> int:
    return model.objects.filter(synthetic=True).count()


def contents() -> dict:
    """What was generated, without the ids (and what comes from them)."""
    return {
        "partners": list(
            Partner.objects.order_by("pk").values_list(
                "name_fr", "name_en", "original_name", "country", "city_en", "kind"
            )
        ),
        "people": list(
            Person.objects.order_by("pk").values_list("first_name", "last_name")
        ),
        "units": list(Unit.objects.order_by("pk").values_list("name_fr", "themes_en")),
        "grants": list(
            Grant.objects.order_by("pk").values_list(
                "acronym", "scheme", "call_year", "title_en", "amount"
            )
        ),
        "projects": list(
            Project.objects.order_by("pk").values_list(
                "acronym", "kind", "title_fr", "start_date"
            )
        ),
    }


@pytest.fixture
def small_set():
    generate(seed=1)


class GenerateDataTests:
    def test_creates_exactly_the_counts_asked(self, small_set):
        assert synthetic_count(Partner) == 300
        assert synthetic_count(Unit) == 20
        assert synthetic_count(Grant) == 50
        assert synthetic_count(Project) == 10
        # A director per unit, and a laureate for nine grants in ten.
        assert synthetic_count(Person) == 20 + 45

    def test_everything_generated_is_synthetic_and_published(self, small_set):
        for model in SYNTHETIC:
            assert not model.objects.filter(synthetic=False).exists()
        for model in (Partner, Unit, Grant, Project):
            assert not model.objects.exclude(
                publication_status=PublicationStatus.PUBLISHED
            ).exists()

    def test_both_languages_are_filled(self, small_set):
        for model, fields in (
            (Partner, ("name_fr", "name_en", "city_fr", "city_en")),
            (Unit, ("name_fr", "name_en", "city_fr", "city_en", "themes_fr")),
            (Unit, ("themes_en", "description_fr", "description_en")),
            (Grant, ("title_fr", "title_en", "summary_fr", "summary_en")),
            (Project, ("title_fr", "title_en", "summary_fr", "summary_en")),
            (Person, ("title_fr", "title_en")),
        ):
            for name in fields:
                assert not model.objects.filter(**{name: ""}).exists(), name
        differing = [
            fr != en for fr, en in Partner.objects.values_list("name_fr", "name_en")
        ]
        assert sum(differing) > 100
        # The untranslated column holds French, as a save in the default language does
        # (the ORM would read "name" as the active language's column: SQL it is).
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM partners_partner WHERE name = name_fr")
            assert cursor.fetchone()[0] == 300

    def test_peoples_titles_read_after_a_comma_in_lower_case(self, small_set):
        # "Jörg Kamara, directeur de recherche au CNRS", not "…, Directeur…".
        titles = set(Person.objects.values_list("title_fr", "title_en").distinct())
        assert titles
        for title_fr, title_en in titles:
            assert title_fr[0].islower(), title_fr
            assert title_en[0].islower() or title_en.startswith("CNRS"), title_en

    def test_some_open_units_give_their_directors_title_there(self, small_set):
        rows = list(
            Unit.objects.values_list("director_title_fr", "director_title_en", "status")
        )
        given = [(fr, en) for fr, en, status in rows if fr]
        assert 0 < len(given) < len(rows)
        # In both languages, in lower case after the name, as people's titles.
        assert all(en and fr[0].islower() and en[0].islower() for fr, en in given)
        assert all(not en for fr, en, _status in rows if not fr)
        assert all(status == "active" for fr, _en, status in rows if fr)

    def test_grants_and_projects_are_held_in_units_open_throughout_them(self):
        # QA: a 2025 grant in a unit closed in 2020, a 2015 one in a unit of 2024.
        generate(seed=5, units=30, grants=400, projects=60)
        # Units drawn from the database, their years read with them.
        generate(seed=6, partners=0, units=0, grants=200, projects=30)

        def open_throughout(unit, first, last):
            return unit.creation_year <= first and (
                unit.closure_year is None or unit.closure_year >= last
            )

        grants = Grant.objects.filter(unit__isnull=False).select_related("unit")
        assert grants.count() > 40
        for grant in grants:
            assert open_throughout(grant.unit, grant.call_year, grant.end_date.year)
        assert Unit.objects.filter(status="closed", grants__isnull=False).exists()
        held = Project.units.through.objects.select_related("project", "unit")
        assert held.count() > 10
        for row in held:
            project = row.project
            first, last = project.start_date.year, project.end_date.year
            assert open_throughout(row.unit, first, last)
        # The institutions were there by then.
        for unit in Unit.objects.prefetch_related("partnerships__partner"):
            [host] = [p.partner for p in unit.partnerships.all() if p.role == "host"]
            assert (host.established or 0) <= unit.creation_year
        participants = ProjectParticipant.objects.select_related("project", "partner")
        assert participants.filter(partner__established__isnull=False).exists()
        for participant in participants:
            established = participant.partner.established or 0
            assert established <= participant.project.start_date.year

    def test_rows_satisfy_the_models_validation(self, small_set):
        for model in (*SYNTHETIC, UnitPartnership, ProjectParticipant):
            for record in model.objects.order_by("?")[:25]:
                record.full_clean()

    def test_identifiers_are_well_formed_and_unique(self, small_set):
        for model, name, pattern in (
            (Partner, "ror_id", ROR_ID_PATTERN),
            (Partner, "pic", PIC_PATTERN),
            (Person, "orcid", ORCID_PATTERN),
        ):
            values = list(
                model.objects.exclude(**{name: ""}).values_list(name, flat=True)
            )
            assert values, name
            assert all(re.match(pattern, value) for value in values)
            assert len(set(values)) == len(values)

    def test_countries_are_spread_and_coordinates_on_the_globe(self, small_set):
        assert Partner.objects.values("country").distinct().count() > 30
        for model in (Partner, Unit):
            assert not model.objects.filter(latitude__gt=90).exists()
            assert not model.objects.filter(longitude__lt=-180).exists()

    def test_units_have_a_host_partners_institute_and_director(self, small_set):
        assert Institute.objects.count() == 10
        for unit in Unit.objects.prefetch_related("partnerships"):
            roles = [p.role for p in unit.partnerships.all()]
            assert 1 <= len(roles) <= 3
            assert roles.count("host") == 1
            assert unit.director.synthetic
            assert unit.lead_institute_id

    def test_projects_have_three_to_ten_participants(self, small_set):
        for project in Project.objects.prefetch_related("participations__partner"):
            participants = project.participations.all()
            assert 3 <= len(participants) <= 10
            assert all(p.partner.synthetic for p in participants)
            # Written in bulk, they take their institution's country (triggers).
            assert all(p.partner_country == p.partner.country for p in participants)

    def test_grants_and_projects_use_the_demo_programmes(self, small_set):
        erc, msca = (
            Programme.objects.get(slug="erc"),
            Programme.objects.get(slug="msca"),
        )
        assert not Grant.objects.exclude(programme__in=[erc, msca]).exists()
        assert not Grant.objects.filter(
            programme=erc, scheme__startswith="msca"
        ).exists()
        assert Programme.objects.get(slug="erc").name_en == "European Research Council"

    def test_the_same_seed_gives_the_same_data(self):
        generate(seed=7)
        first = contents()
        delete()
        generate(seed=7)
        assert contents() == first
        delete()
        generate(seed=8)
        assert contents() != first

    def test_a_second_run_adds_another_set(self):
        generate(seed=3)
        generate(seed=3)
        assert synthetic_count(Partner) == 600
        assert synthetic_count(Unit) == 40
        assert synthetic_count(Grant) == 100
        assert synthetic_count(Project) == 20
        for model in (Partner, Unit, Grant, Project):
            assert (
                model.objects.values("slug").distinct().count() == model.objects.count()
            )

    def test_the_sequences_move_past_the_generated_ids(self):
        generate()
        partner = PartnerFactory()
        assert partner.pk > Partner.objects.filter(synthetic=True).latest("pk").pk

    def test_units_and_projects_alone_draw_on_earlier_partners(self):
        generate(units=0, grants=0, projects=0)
        generate(partners=0, units=5, grants=0, projects=5)
        assert synthetic_count(Partner) == 300
        assert synthetic_count(Unit) == 5
        assert ProjectParticipant.objects.count() >= 15

    def test_units_without_any_partner_are_refused(self):
        with pytest.raises(CommandError, match="partners"):
            generate(partners=0)

    @pytest.mark.parametrize(
        "options", [{"partners": -1}, {"batch_size": 0}, {"scale": -0.5}]
    )
    def test_nonsense_options_are_refused(self, options):
        with pytest.raises(CommandError):
            generate(**options)
        assert not Partner.objects.exists()

    def test_the_summary_and_the_progress_lines(self):
        out, err = generate()
        assert out.startswith("Generated 300 partners, 65 people, 20 units")
        assert re.search(r"^partners +\[#{30}\]  300/300  ", err, re.MULTILINE)
        assert "\r" not in err  # not a terminal: a line every tenth of the way

    def test_progress_lines_every_tenth_of_the_way(self):
        out, err = generate(units=0, grants=0, projects=0, batch_size=30)
        assert len(re.findall(r"^partners ", err, re.MULTILINE)) == 10

    def test_verbosity_zero_is_silent(self):
        out, err = generate(verbosity=0)
        assert out == err == ""

    def test_scale_multiplies_the_defaults_and_explicit_counts_win(self):
        generate(scale=0.0004, partners=None, units=None, grants=None, projects=7)
        assert synthetic_count(Partner) == 400
        assert synthetic_count(Unit) == 2
        assert synthetic_count(Grant) == 40
        assert synthetic_count(Project) == 7

    def test_reuses_the_demo_institutes_and_programmes(self):
        call_command("load_demo", stdout=StringIO())
        institutes, programmes = Institute.objects.count(), Programme.objects.count()
        generate()
        assert Institute.objects.count() == institutes
        assert Programme.objects.count() == programmes
        delete()
        assert Partner.objects.filter(slug="nanyang-technological-university").exists()

    def test_public_pages_show_generated_records(self, client, small_set):
        unit = Unit.objects.first()
        partner = unit.partners.first()
        grant = Grant.objects.first()
        project = Project.objects.first()
        with translation.override("en"):
            pages = [
                reverse("partners:list"),
                partner.get_absolute_url(),
                reverse("units:list"),
                unit.get_absolute_url(),
                reverse("programmes:grant-list"),
                grant.get_absolute_url(),
                reverse("programmes:project-list"),
                project.get_absolute_url(),
                reverse("country-detail", kwargs={"code": partner.country.code}),
            ]
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, page
        assert partner.name_en in client.get(pages[1]).content.decode()


class DeleteSyntheticTests:
    def test_removes_every_synthetic_record_and_nothing_else(self, small_set):
        real = PartnerFactory(name_fr="Université réelle", slug="real")
        # A code of four digits: the generated ones are 10,000 and up, as the
        # factory's (which may meet them).
        real_unit = UnitFactory(slug="real-unit", code="IRL 3757")
        UnitPartnershipFactory(unit=real_unit, partner=real)
        # A real unit with a synthetic partner keeps its other partnerships.
        UnitPartnershipFactory(
            unit=real_unit, partner=Partner.objects.filter(synthetic=True).first()
        )
        real_grant = GrantFactory(
            slug="real-grant", unit=Unit.objects.filter(synthetic=True).first()
        )
        institutes = Institute.objects.count()

        out = delete()

        for model in SYNTHETIC:
            assert synthetic_count(model) == 0
        assert list(Partner.objects.all()) == [real]
        assert list(UnitPartnership.objects.values_list("unit", "partner")) == [
            (real_unit.pk, real.pk)
        ]
        assert not ProjectParticipant.objects.exists()
        real_grant.refresh_from_db()
        assert real_grant.unit is None
        assert Institute.objects.count() == institutes
        assert Programme.objects.filter(slug="erc").exists()
        assert out.startswith("Deleted ")
        assert "300 partners" in out

    def test_refuses_when_a_real_record_depends_on_a_synthetic_one(self, small_set):
        laureate = Person.objects.filter(synthetic=True).first()
        GrantFactory(slug="real-grant", laureate=laureate)

        with pytest.raises(CommandError, match="1 programmes.Grant through laureate"):
            delete()

        assert synthetic_count(Partner) == 300

    def test_deleting_when_there_is_nothing_to_delete(self):
        PersonFactory()
        assert delete().startswith("Deleted 0 ")
        assert Person.objects.count() == 1


class ProgressTests:
    def test_a_terminal_sees_the_bar_redrawn_in_place(self):
        written = []
        bar = Progress(written.append, tty=True).start("grants", 200)
        bar.update(100)
        bar.finish()
        assert written[0].startswith(
            "\rgrants      [" + "#" * 15 + "." * 15 + "]  100/200  "
        )
        assert written[-2].startswith("\rgrants      [" + "#" * 30 + "]  200/200  ")
        assert written[-1] == "\n"

    def test_a_log_gets_a_line_every_tenth(self):
        written = []
        bar = Progress(written.append, tty=False).start("units", 1000)
        for done in range(0, 1001, 50):
            bar.update(done)
        bar.finish()
        assert len(written) == 10
        assert all(line.endswith("\n") for line in written)


class IdentifierTests:
    def test_ror_ids_are_well_formed_with_a_wrong_check_digit(self):
        for number in (0, 1, 31, 32, 123_456, 32**6 - 1):
            assert re.match(ROR_ID_PATTERN, ror_id_for(number))
        # The check digits of a real ROR id (the CNRS's) are right; ours never are.
        assert _check_digits_right("02feahw73")
        assert not any(_check_digits_right(ror_id_for(n)) for n in range(2000))
        assert ror_id_for(32**6) == ""

    def test_orcids_carry_their_check_character(self):
        assert orcid_for(0) == "0000-0000-0000-0001"
        assert re.match(ORCID_PATTERN, orcid_for(1_234_567))
        # The ISO 7064 11,2 check of the ORCID documentation's example.
        assert _orcid_check("000000021825009") == "7"
        assert orcid_for(1_234_567)[-1] == _orcid_check("000000001234567")

    def test_pics_start_with_one(self):
        assert pic_for(42) == "100000042"
        assert re.match(PIC_PATTERN, pic_for(99_999_999))


class CatalogueTests:
    def test_about_two_hundred_countries_known_to_django_countries(self):
        codes = list(synthetic.CITIES_BY_COUNTRY)
        assert 190 <= len(codes) <= 210
        assert set(codes) <= set(dict(countries))
        assert "FR" not in codes

    def test_every_city_lies_on_the_globe(self):
        for city in synthetic.CITIES:
            assert -90 <= city.latitude <= 90 and -180 <= city.longitude <= 180

    def test_french_prepositions(self):
        assert synthetic.french_of("Le Caire") == "du Caire"
        assert synthetic.french_of("Oxford") == "d’Oxford"
        assert synthetic.french_of("Kraków") == "de Kraków"
        assert synthetic.french_in("Le Cap") == "au Cap"

    def test_counts_scale(self):
        assert Counts.scaled(0.01) == Counts(10_000, 50, 1_000, 200)
        assert Counts.scaled(0.01, units=3).units == 3


def _check_digits_right(ror_id: str) -> bool:
    value = 0
    for char in ror_id[1:7]:
        value = value * 32 + synthetic._CROCKFORD.index(char)
    return int(ror_id[7:]) == 98 - (value * 100) % 97


def _orcid_check(digits: str) -> str:
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_tables_written_are_vacuumed_and_analyzed():
    if connection.vendor != "postgresql":
        pytest.skip("VACUUM is PostgreSQL's")
    generate(units=5, grants=5, projects=5)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables"
            " WHERE last_vacuum IS NOT NULL AND last_analyze IS NOT NULL"
        )
        settled = {row[0] for row in cursor.fetchall()}
    assert {model._meta.db_table for model in SYNTHETIC} <= settled


def test_production_generates_only_when_asked_and_may_always_delete(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="--in-production"):
        generate()
    assert not Partner.objects.exists()

    generate(in_production=True)
    assert synthetic_count(Partner) == SMALL["partners"]
    delete()
    assert not Partner.objects.exists()
