"""The back-office's searches forgive accents, case and typos, on every model.

As the public site's: ``TextSearchAdmin`` (partners/admin.py), which the autocomplete
widgets of foreign keys search through too.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import connection
from django.urls import reverse

from cnrs_intl.models import KeyFigure
from partners.admin import TextSearchAdmin
from partners.models import Agreement
from programmes.models import Grant, Programme
from tests.factories import (
    AgreementFactory,
    InstituteFactory,
    KeyFigureFactory,
    PartnerFactory,
    PersonFactory,
    ProgrammeFactory,
    TestimonyFactory,
    UnitFactory,
)
from units.models import Institute, Person, Testimony, Unit

pytestmark = pytest.mark.django_db


def search(client, model, term):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    response = client.get(url, {"q": term})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def autocomplete(client, model, field_name, term):
    """Return the ids the autocomplete widget of ``model.field_name`` offers."""
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field_name,
            "term": term,
        },
    )
    assert response.status_code == 200
    return [int(result["id"]) for result in response.json()["results"]]


@pytest.fixture
def pellenq():
    PersonFactory(first_name="Marie", last_name="Curie", title_fr="Physicienne")
    return PersonFactory(
        first_name="Roland",
        last_name="Pellenq",
        orcid="0000-0002-1825-0097",
        title_fr="Directeur de recherche, Université Paris-Saclay",
        title_en="Research director, Paris-Saclay University",
    )


@pytest.fixture
def testimony(pellenq):
    TestimonyFactory(quote="Une autre citation.", role_fr="Chercheuse")
    return TestimonyFactory(
        person=pellenq,
        quote="Grâce à notre partenariat avec le MIT, nous travaillons en robotique.",
        role_fr="Directeur du laboratoire, université du Texas",
        unit=UnitFactory(acronym="MSE"),
    )


def test_every_searchable_admin_forgives_accents_and_typos():
    searchable = [
        model_admin
        for model_admin in admin.site._registry.values()
        if model_admin.search_fields
    ]
    assert {Person, Testimony, Institute, User, Group} <= {
        model_admin.model for model_admin in searchable
    }
    for model_admin in searchable:
        assert isinstance(model_admin, TextSearchAdmin), model_admin


@pytest.mark.parametrize("term", ["universite", "UNIVERSITÉ", "université", "saclay"])
def test_person_search_ignores_accents_and_case(admin_client, pellenq, term):
    assert search(admin_client, Person, term) == [pellenq]


@pytest.mark.parametrize("term", ["Pelenq", "pellenk", "Rolan Pellenq"])
def test_person_search_forgives_a_typo(admin_client, pellenq, term):
    assert search(admin_client, Person, term) == [pellenq]


def test_person_search_finds_an_orcid_as_written(admin_client, pellenq):
    assert search(admin_client, Person, "0000-0002-1825-0097") == [pellenq]


def test_person_search_finds_nothing_far_from_every_name(admin_client, pellenq):
    assert search(admin_client, Person, "zzyzx") == []


@pytest.mark.parametrize(
    "term", ["universite", "texas", "grace a notre partenariat", "MSE", "pellenq"]
)
def test_testimony_search_ignores_accents_and_case(admin_client, testimony, term):
    assert search(admin_client, Testimony, term) == [testimony]


@pytest.mark.parametrize("term", ["Pelenq", "robotiqe", "partenariats"])
def test_testimony_search_forgives_a_typo(admin_client, testimony, term):
    assert search(admin_client, Testimony, term) == [testimony]


@pytest.mark.parametrize("term", ["universite", "Pelenq"])
def test_autocomplete_of_people_ignores_accents_and_typos(admin_client, pellenq, term):
    assert autocomplete(admin_client, Testimony, "person", term) == [pellenq.pk]
    assert autocomplete(admin_client, Grant, "laureate", term) == [pellenq.pk]


def test_autocomplete_of_institutes_ignores_accents(admin_client):
    ecology = InstituteFactory(
        code="INEE", name_fr="Institut écologie et environnement"
    )
    InstituteFactory(code="INSHS", name_fr="Institut des sciences humaines")

    for term in ("ecologie", "Écologie", "ecolgie"):
        found = autocomplete(admin_client, Unit, "lead_institute", term)
        assert found == [ecology.pk]


def test_agreement_search_lists_once_an_agreement_two_partners_match(admin_client):
    agreement = AgreementFactory(title_fr="Accord-cadre")
    agreement.partners.add(
        PartnerFactory(name_fr="Université de Tokyo"),
        PartnerFactory(name_fr="Université de Kyoto"),
    )
    AgreementFactory(title_fr="Autre accord")

    assert search(admin_client, Agreement, "universite") == [agreement]
    assert search(admin_client, Agreement, "Kyotto") == [agreement]


def test_programme_search_ignores_accents(admin_client):
    programme = ProgrammeFactory(name_fr="Programme européen", acronym="PE")
    ProgrammeFactory(name_fr="Programme national", acronym="PN")

    assert search(admin_client, Programme, "europeen") == [programme]


def test_key_figure_search_ignores_accents(admin_client):
    figure = KeyFigureFactory(label_fr="des publications cosignées")
    KeyFigureFactory(label_fr="bureaux")

    assert search(admin_client, KeyFigure, "cosignees") == [figure]


def test_user_search_ignores_accents_and_typos(admin_client):
    staff = User.objects.create_user(
        "pnedellec", first_name="Patrick", last_name="Nédellec"
    )

    for term in ("nedellec", "Nédelec"):
        assert search(admin_client, User, term) == [staff]


@pytest.mark.postgresql
def test_near_misses_of_a_name_use_the_trigram_index_of_people(rf, admin_user):
    if connection.vendor != "postgresql":
        pytest.skip("search indexes exist on PostgreSQL only")
    PersonFactory(first_name="Roland", last_name="Pellenq")
    request = rf.get("/")
    request.user = admin_user
    person_admin = admin.site._registry[Person]

    found, _ = person_admin.get_search_results(request, Person.objects.all(), "Pelenq")

    sql, params = found.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        # On a few rows the planner would rightly read the table instead.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "person_search_trgm" in plan, plan
