import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from partners.models import latest_plausible_year
from tests.admin_forms import form_data
from tests.factories import (
    PersonFactory,
    TestimonyFactory,
    UnitFactory,
    UnitPartnershipFactory,
)
from units.models import ISO_639_1_CODES, Unit, quote_opening, this_year

pytestmark = pytest.mark.django_db


def assert_rejected_by_database(factory, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**fields)


def test_unit_code_is_unique():
    UnitFactory(code="IRL 3757")
    assert_rejected_by_database(UnitFactory, code="IRL 3757")


@pytest.mark.parametrize("code", ["IRL3757", "irl 3757", "LAB 12", "IRL 3757 bis"])
def test_unit_code_is_well_formed(code):
    assert_rejected_by_database(UnitFactory, code=code)


@pytest.mark.parametrize("former", ["zzz", "UMI3757", "umi 3757", "LIA 12"])
def test_a_predecessor_code_reads_as_a_unit_code(former):
    # Addresses are read by it ("irl-3757" leads to the unit that was UMI 3757).
    unit = UnitFactory.build(code="IRL 3757", predecessor_code=former)
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            unit.clean()
        assert error.value.message_dict == {
            "predecessor_code": [
                'A unit code reads "UMI 3757", "IRL 3757" or "UMIFRE 19".'
            ]
        }


def test_a_predecessor_code_is_not_the_units_own():
    unit = UnitFactory.build(code="IRL 3757", predecessor_code="IRL 3757")
    with pytest.raises(ValidationError) as error:
        unit.clean()
    assert list(error.value.message_dict) == ["predecessor_code"]
    for former in ("", "UMI 3757", "UMR 8520"):
        UnitFactory.build(code="IRL 3757", predecessor_code=former).clean()


def test_unit_cannot_close_before_it_opens():
    assert_rejected_by_database(UnitFactory, creation_year=2010, closure_year=2009)


def test_orcid_is_well_formed_and_unique():
    assert_rejected_by_database(PersonFactory, orcid="0000-0002-1825-009")
    PersonFactory(orcid="0000-0002-1825-0097")
    assert_rejected_by_database(PersonFactory, orcid="0000-0002-1825-0097")
    PersonFactory(orcid="0000-0001-5109-396X")


def test_institution_takes_part_in_a_unit_once():
    partnership = UnitPartnershipFactory()
    assert_rejected_by_database(
        UnitPartnershipFactory, unit=partnership.unit, partner=partnership.partner
    )


def test_name_falls_back_to_french_when_english_is_missing():
    unit = UnitFactory(name_fr="Laboratoire franco-japonais", name_en="")
    with translation.override("en"):
        assert Unit.objects.get(pk=unit.pk).name == "Laboratoire franco-japonais"


def test_filter_on_a_translated_field_uses_the_active_language():
    UnitFactory(name_fr="Laboratoire de robotique", name_en="Robotics laboratory")
    with translation.override("en"):
        assert Unit.objects.filter(name__icontains="robotics").count() == 1
    with translation.override("fr"):
        assert Unit.objects.filter(name__icontains="robotique").count() == 1


def test_theme_list_skips_blank_lines():
    unit = UnitFactory(themes_fr="Robotique humanoïde\n\n  Vision  \n")
    assert unit.theme_list == ["Robotique humanoïde", "Vision"]


# Years and languages: plausible values only


def test_unit_years_are_plausible():
    UnitFactory.build(
        creation_year=1900,
        closure_year=latest_plausible_year(),  # due to close then
        slug="new-unit",
    ).full_clean(exclude=["lead_institute"])


@pytest.mark.parametrize(
    ("field", "year"),
    [
        ("creation_year", 99_999_999_999),
        ("creation_year", 1899),
        ("creation_year", 2100),
        ("closure_year", 99_999),
    ],
)
def test_the_admin_refuses_an_implausible_unit_year(admin_client, field, year):
    unit = UnitFactory(creation_year=2010)
    url = reverse("admin:units_unit_change", args=(unit.pk,))
    data = form_data(admin_client.get(url))

    response = admin_client.post(url, {**data, field: str(year)})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]
    unit.refresh_from_db()
    assert (unit.creation_year, unit.closure_year) == (2010, None)


def test_a_unit_year_further_ahead_than_a_few_years_is_refused():
    next_years = latest_plausible_year()
    with pytest.raises(ValidationError) as error:
        UnitFactory.build(creation_year=next_years + 1).full_clean(
            exclude=["lead_institute", "slug"]
        )
    assert list(error.value.message_dict) == ["creation_year"]


@pytest.mark.parametrize("closure_year", [this_year() + 1, 2099, 99_999])
def test_a_closed_units_closure_year_ahead_is_told_one_rule(admin_client, closure_year):
    # 2099 was told both "≤ 2031" (the field's bound, an active unit's) and "closed
    # this year or before".
    unit = UnitFactory(status="closed", creation_year=2010, closure_year=2020)
    url = reverse("admin:units_unit_change", args=(unit.pk,))
    data = form_data(admin_client.get(url))

    response = admin_client.post(
        url, {**data, "closure_year": str(closure_year)}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["closure_year"] == [
        "A closed unit closed this year or before: set its status to active, or "
        "correct the year."
    ]
    assert not form.non_field_errors()
    unit.refresh_from_db()
    assert unit.closure_year == 2020


def test_an_active_units_closure_year_too_far_ahead_is_still_refused():
    unit = UnitFactory.build(closure_year=latest_plausible_year() + 1)

    with pytest.raises(ValidationError) as error:
        unit.full_clean(exclude=["lead_institute", "slug"])

    assert list(error.value.message_dict) == ["closure_year"]


def test_a_unit_is_created_next_year_at_the_latest():
    UnitFactory.build(creation_year=this_year() + 1).full_clean(
        exclude=["lead_institute", "slug"]
    )
    with pytest.raises(ValidationError) as error:
        UnitFactory.build(creation_year=this_year() + 2).full_clean(
            exclude=["lead_institute", "slug"]
        )

    assert error.value.message_dict == {
        "creation_year": [
            "Une unité est créée cette année, ou l’an prochain une fois décidée\u00a0: "
            f"en {this_year() + 1} au plus tard."
        ]
    }


def test_a_closed_unit_created_ahead_is_told_its_creation_year_alone():
    """Not also that it closes before it is created: its creation year is wrong."""
    unit = UnitFactory.build(
        status="closed", creation_year=this_year() + 3, closure_year=2020
    )

    with pytest.raises(ValidationError) as error:
        unit.full_clean(exclude=["lead_institute", "slug"])

    assert list(error.value.message_dict) == ["creation_year"]


@pytest.mark.parametrize("language", ["fr", "en", "ja", "zh", "pt"])
def test_a_testimony_in_an_iso_639_1_language_is_valid(language):
    TestimonyFactory(language=language).full_clean()


@pytest.mark.parametrize("language", ["zz", "FR", "fra", "pt-br", "en ", ""])
def test_a_testimony_language_must_be_an_iso_639_1_code(language):
    testimony = TestimonyFactory(language="fr")
    testimony.language = language

    with pytest.raises(ValidationError) as error:
        testimony.full_clean()

    assert list(error.value.message_dict) == ["language"]


def test_the_admin_refuses_an_unknown_testimony_language(admin_client):
    testimony = TestimonyFactory(language="fr")
    url = reverse("admin:units_testimony_change", args=(testimony.pk,))
    data = form_data(admin_client.get(url))

    response = admin_client.post(url, {**data, "language": "zz"})

    assert response.status_code == 200
    (error,) = response.context["adminform"].form.errors["language"]
    assert "zz" in error
    testimony.refresh_from_db()
    assert testimony.language == "fr"


def test_iso_639_1_has_its_183_codes():
    assert len(ISO_639_1_CODES) == 183
    assert all(len(code) == 2 and code.islower() for code in ISO_639_1_CODES)


# A testimony's name: its person and the opening of its quote

PETIT = (
    "En se donnant la possibilité de collaborer avec le monde entier, le CNRS "
    "se donne les moyens de l’excellence."
)


def test_a_testimonys_quote_is_cut_after_a_whole_word_with_an_ellipsis():
    # It was cut at 60 characters: "… avec le monde ent", with no sign of a cut.
    assert quote_opening(PETIT) == (
        "En se donnant la possibilité de collaborer avec le monde…"
    )
    assert len(quote_opening(PETIT)) <= 60


@pytest.mark.parametrize(
    "quote, opening",
    [
        ("Pour la robotique humanoïde", "Pour la robotique humanoïde"),  # whole
        ("x" * 60, "x" * 60),  # exactly the limit: whole
        # A word ending right at the limit is kept whole.
        ("a" * 58 + " bb", "a" * 58 + "…"),
        ("a" * 30 + " " + "b" * 28 + " c", "a" * 30 + " " + "b" * 28 + "…"),
        # A comma before the cut is not left before the ellipsis.
        ("a" * 50 + ", collaborer avec", "a" * 50 + "…"),
        # One word longer than the limit: cut inside it, as the last resort.
        ("x" * 80, "x" * 59 + "…"),
        # Line breaks: one line.
        ("Pour la\nrobotique  humanoïde", "Pour la robotique humanoïde"),
    ],
)
def test_a_quotes_opening(quote, opening):
    assert quote_opening(quote) == opening


def test_a_testimony_is_named_by_its_person_and_its_quotes_opening():
    testimony = TestimonyFactory(
        person=PersonFactory(first_name="Antoine", last_name="Petit"), quote=PETIT
    )

    with translation.override("en"):
        assert str(testimony) == (
            "Antoine Petit — En se donnant la possibilité de collaborer avec le monde…"
        )


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Director of the Joint Robotics Laboratory (JRL), Tsukuba", True),
        ("Directeur de l’unité mixte internationale <MSE>2 (CNRS/MIT)", True),
        ("Director of the cnrs-aist joint robotics laboratory", True),  # its name
        ("Directeur du laboratoire de robotique", False),
        ("Director of JRLX", False),  # not a word of its own
        ("Professor at MIT, a link to Japan", False),
        ("", False),
    ],
)
def test_a_text_names_a_unit_by_its_acronym_or_name(text, named):
    jrl = UnitFactory.build(
        acronym="JRL", name_en="CNRS-AIST Joint Robotics Laboratory"
    )
    mse2 = UnitFactory.build(acronym="<MSE>2")
    link = UnitFactory.build(acronym="LINK")

    assert any(unit.named_in(text) for unit in (jrl, mse2)) is named
    assert link.named_in(text) is None  # "link", a word, is not LINK
