import json

import pytest
from django.contrib import admin
from django.contrib.messages import WARNING
from django.db import connection
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from programmes.models import Grant
from tests.admin_forms import admin_url, autocomplete, form_data, new_unit_data, search
from tests.factories import (
    InstituteFactory,
    PartnerFactory,
    PersonFactory,
    TestimonyFactory,
    UnitFactory,
    UnitPartnershipFactory,
)
from tests.plans import plan
from units.models import PartnerRole, Person, Testimony, Unit

pytestmark = pytest.mark.django_db

UNIT_CHANGELIST = reverse("admin:units_unit_changelist")


@pytest.fixture
def unit():
    return UnitFactory(
        acronym="JRL",
        code="IRL 3218",
        name_fr="Laboratoire commun de robotique",
        name_en="Joint Robotics Laboratory",
    )


@pytest.mark.parametrize(
    "term", ["Laboratoire commun de robotique", "Joint Robotics", "IRL 3218", "jrl"]
)
def test_unit_search_finds_name_in_either_language_and_code(admin_client, unit, term):
    UnitFactory(name_fr="Laboratoire franco-japonais", name_en="French-Japanese lab")

    response = admin_client.get(UNIT_CHANGELIST, {"q": term})

    assert list(response.context["cl"].result_list) == [unit]


def test_unit_changelist_filters_by_lead_institute(admin_client, unit):
    UnitFactory()

    response = admin_client.get(
        UNIT_CHANGELIST, {"lead_institute__id__exact": unit.lead_institute_id}
    )

    assert list(response.context["cl"].result_list) == [unit]


@pytest.mark.parametrize(
    ("language", "kind", "institute"),
    [
        ("en", "International Research Laboratory (IRL, formerly UMI)", "Robotics"),
        (
            "fr",
            "Laboratoire de recherche international (IRL, anciennement UMI)",
            "Robotique",
        ),
    ],
)
def test_unit_changelist_names_kinds_and_institutes_by_their_acronyms(
    admin_client, language, kind, institute
):
    lead = InstituteFactory(code="INSIS", name_en="Robotics", name_fr="Robotique")
    UnitFactory(acronym="JRL", kind="irl", lead_institute=lead)

    html = admin_client.get(
        UNIT_CHANGELIST, headers={"accept-language": language}
    ).content.decode()

    assert f'<td class="field-kind"><abbr title="{kind}">IRL</abbr></td>' in html
    assert (
        f'<td class="field-lead_institute"><abbr title="{institute}">INSIS</abbr></td>'
        in html
    )


def test_unit_changelist_sorts_by_the_lead_institutes_code(admin_client):
    UnitFactory(acronym="B", lead_institute=InstituteFactory(code="INC", name_en="Z"))
    UnitFactory(acronym="A", lead_institute=InstituteFactory(code="INSB", name_en="A"))

    # The lead institute's column: checkbox, acronym, code, name, kind, country, it.
    response = admin_client.get(UNIT_CHANGELIST, {"o": "6"})

    html = response.content.decode()
    assert 'class="sortable column-lead_institute sorted ascending"' in html
    assert [unit.acronym for unit in response.context["cl"].result_list] == ["B", "A"]


def test_unit_change_page_shows_its_partnerships_inline(admin_client, unit):
    partnership = UnitPartnershipFactory(
        unit=unit, partner=PartnerFactory(name_fr="Institut national AIST")
    )

    response = admin_client.get(reverse("admin:units_unit_change", args=(unit.pk,)))

    assert response.status_code == 200
    assert "partnerships-TOTAL_FORMS" in response.content.decode()
    assert str(partnership.partner) in response.content.decode()


def test_the_partnerships_inline_names_the_units_institutions(admin_client, unit):
    response = admin_client.get(
        admin_url(Unit, "change", unit.pk), HTTP_ACCEPT_LANGUAGE="en"
    )

    # Not "Add another Unit partnership" (Django capitalises the name).
    [inline] = response.context["inline_admin_formsets"]
    assert json.loads(inline.inline_formset_data())["options"]["addText"] == (
        "Add another Institution"
    )
    assertInHTML(
        '<h2 id="partnerships-heading" class="inline-heading">'
        "Host and partner institutions</h2>",
        response.content.decode(),
    )
    # Not « Ajouter un objet Établissement supplémentaire », Django's French.
    response = admin_client.get(
        admin_url(Unit, "change", unit.pk), HTTP_ACCEPT_LANGUAGE="fr"
    )
    [inline] = response.context["inline_admin_formsets"]
    assert json.loads(inline.inline_formset_data())["options"]["addText"] == (
        "Ajouter une ligne\u00a0: Établissement"
    )


def test_unit_edit_adds_a_partnership_through_the_inline(admin_client, unit):
    partner = PartnerFactory()
    change_url = reverse("admin:units_unit_change", args=(unit.pk,))
    data = form_data(admin_client.get(change_url))
    data.update(
        {
            "partnerships-TOTAL_FORMS": "1",
            "partnerships-0-partner": str(partner.pk),
            "partnerships-0-role": PartnerRole.HOST,
            "partnerships-0-order": "0",
        }
    )

    response = admin_client.post(change_url, data)

    assert response.status_code == 302, response.context["errors"]
    assert list(unit.partners.all()) == [partner]


def test_unit_add_page_creates_a_unit_in_both_languages(admin_client):
    data = new_unit_data(admin_client, InstituteFactory())

    response = admin_client.post(reverse("admin:units_unit_add"), data)

    assert response.status_code == 302, response.context["errors"]
    unit = Unit.objects.get(slug="gt-cnrs")
    assert (unit.name_fr, unit.name_en) == (data["name_fr"], data["name_en"])
    assert unit.history.count() == 1


def test_unit_history_opens_after_an_edit_and_revert_restores_both_languages(
    admin_client, admin_user, unit
):
    change_url = reverse("admin:units_unit_change", args=(unit.pk,))
    data = form_data(admin_client.get(change_url))
    data.update(
        {
            "name_fr": "Nouveau nom",
            "name_en": "New name",
            "director_title_fr": "Directeur par intérim",
            "director_title_en": "Interim director",
        }
    )
    assert admin_client.post(change_url, data).status_code == 302
    unit.refresh_from_db()
    assert (unit.name_fr, unit.name_en) == ("Nouveau nom", "New name")

    history = admin_client.get(reverse("admin:units_unit_history", args=(unit.pk,)))
    assert history.status_code == 200
    assert history.content.decode().count("/history/") >= 2
    assert unit.history.first().history_user == admin_user

    original = unit.history.earliest()
    revert_url = reverse(
        "admin:units_unit_simple_history", args=(unit.pk, original.history_id)
    )
    revert_page = admin_client.get(revert_url)
    assert revert_page.status_code == 200
    response = admin_client.post(revert_url, form_data(revert_page))

    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name_fr == "Laboratoire commun de robotique"
    assert unit.name_en == "Joint Robotics Laboratory"
    assert not unit.director_title_fr and not unit.director_title_en
    assert unit.history.count() == 3


def test_person_search_finds_title_in_either_language(admin_client):
    director = PersonFactory(
        last_name="Kheddar",
        title_fr="Directeur de recherche CNRS",
        title_en="CNRS research director",
    )
    PersonFactory(title_fr="Professeure", title_en="Professor")

    for term in ("Directeur de recherche", "research director", "kheddar"):
        response = admin_client.get(
            reverse("admin:units_person_changelist"), {"q": term}
        )
        assert list(response.context["cl"].result_list) == [director]


def test_institute_search_finds_name_in_either_language(admin_client):
    physics = InstituteFactory(
        code="INP", name_fr="Institut de physique", name_en="Institute of Physics"
    )
    InstituteFactory(code="INC", name_fr="Institut de chimie", name_en="Chemistry")

    for term in ("physique", "Physics", "INP"):
        response = admin_client.get(
            reverse("admin:units_institute_changelist"), {"q": term}
        )
        assert list(response.context["cl"].result_list) == [physics]


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


@pytest.mark.postgresql
def test_near_misses_of_a_name_use_the_trigram_index_of_people(rf, admin_user):
    if connection.vendor != "postgresql":
        pytest.skip("search indexes exist on PostgreSQL only")
    PersonFactory(first_name="Roland", last_name="Pellenq")
    request = rf.get("/")
    request.user = admin_user
    person_admin = admin.site._registry[Person]

    found, _ = person_admin.get_search_results(request, Person.objects.all(), "Pelenq")

    result = plan(found.order_by())
    assert "person_search_trgm" in result, result


def test_testimony_changelist_shortens_long_quotations(admin_client):
    TestimonyFactory(quote="Une très longue citation. " * 10)

    response = admin_client.get(reverse("admin:units_testimony_changelist"))

    assert "Une très longue citation. " * 3 in response.content.decode()
    assert "Une très longue citation. " * 10 not in response.content.decode()


def test_unit_change_page_links_to_its_public_page(admin_client, unit):
    response = admin_client.get(reverse("admin:units_unit_change", args=(unit.pk,)))

    assert 'class="viewsitelink"' in response.content.decode()


def test_a_bad_autocomplete_value_of_a_many_to_many_field_is_a_form_error(
    admin_client,
):
    unit = UnitFactory()
    url = admin_url(Unit, "change", unit.pk)
    page = admin_client.get(url)
    data = form_data(page)  # the inlines' management forms included

    response = admin_client.post(
        url, {**data, "secondary_institutes": ["abc", "1"], "director": "x"}
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert {"secondary_institutes", "director"} <= set(errors)


def test_a_bad_autocomplete_value_in_an_inline_is_a_form_error(admin_client):
    unit = UnitFactory()
    url = admin_url(Unit, "change", unit.pk)
    page = admin_client.get(url)
    data = form_data(page)  # the inlines' management forms included
    data.update(
        {
            "partnerships-TOTAL_FORMS": "1",
            "partnerships-0-partner": "abc",
            "partnerships-0-role": "host",
            "partnerships-0-order": "0",
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    [formset] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "partnerships"
    ]
    assert "partner" in formset.forms[0].errors


def partnerships_formset(response):
    [formset] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "partnerships"
    ]
    return formset


@pytest.fixture
def two_partnerships(unit):
    host = UnitPartnershipFactory(
        unit=unit, partner=PartnerFactory(acronym="AIST"), role=PartnerRole.HOST
    )
    other = UnitPartnershipFactory(
        unit=unit, partner=PartnerFactory(acronym="JAXA"), role=PartnerRole.PARTNER
    )
    return host, other


def test_two_partnerships_exchanging_their_partners_is_saved(
    admin_client, unit, two_partnerships
):
    # Saved row by row, the first row took the second's partner while the second
    # still had it: an IntegrityError, a 500; then a form error.
    host, other = two_partnerships
    url = admin_url(Unit, "change", unit.pk)
    data = form_data(admin_client.get(url))
    assert data["partnerships-0-partner"] == str(host.partner_id)
    data["partnerships-0-partner"] = str(other.partner_id)
    data["partnerships-1-partner"] = str(host.partner_id)

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert {(row.partner_id, row.role) for row in unit.partnerships.all()} == {
        (other.partner_id, PartnerRole.HOST),
        (host.partner_id, PartnerRole.PARTNER),
    }
    # One version of the unit, holding the exchange.
    latest = unit.history.first()
    assert {(row.partner_id, row.role) for row in latest.partners.all()} == {
        (other.partner_id, PartnerRole.HOST),
        (host.partner_id, PartnerRole.PARTNER),
    }


def test_a_partnership_added_since_the_page_was_opened_is_a_form_error(
    admin_client, unit, two_partnerships
):
    url = admin_url(Unit, "change", unit.pk)
    data = form_data(admin_client.get(url))
    meanwhile = UnitPartnershipFactory(unit=unit, partner=PartnerFactory())
    data |= {
        "partnerships-TOTAL_FORMS": "3",
        "partnerships-2-partner": str(meanwhile.partner_id),
        "partnerships-2-role": PartnerRole.PARTNER,
        "partnerships-2-order": "3",
    }

    response = admin_client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    [error] = partnerships_formset(response).forms[2].non_field_errors()
    assert "added since it was opened" in error
    assert unit.partnerships.count() == 3


def test_exchanging_the_other_values_of_two_partnerships_is_saved(
    admin_client, unit, two_partnerships
):
    host, other = two_partnerships
    url = admin_url(Unit, "change", unit.pk)
    data = form_data(admin_client.get(url))
    data["partnerships-0-role"] = PartnerRole.PARTNER
    data["partnerships-1-role"] = PartnerRole.HOST

    response = admin_client.post(url, data)

    assert response.status_code == 302
    host.refresh_from_db(), other.refresh_from_db()
    assert (host.role, other.role) == (PartnerRole.PARTNER, PartnerRole.HOST)


def test_a_new_partnership_repeating_a_saved_one_is_a_form_error(
    admin_client, unit, two_partnerships
):
    # A form that says it holds no saved row (INITIAL_FORMS=0) made its rows new
    # ones, copies of the saved rows: an IntegrityError.
    url = admin_url(Unit, "change", unit.pk)
    data = form_data(admin_client.get(url))
    data["partnerships-INITIAL_FORMS"] = "0"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert all(form.errors for form in partnerships_formset(response).forms)
    assert unit.partnerships.count() == 2


def version_changes(client, record) -> list[str]:
    """Return the fields whose changes the history page (in English) shows for
    ``record``'s latest version."""
    page = client.get(
        admin_url(type(record), "history", record.pk), HTTP_ACCEPT_LANGUAGE="en"
    )
    latest = page.context["page_obj"][0]
    return [change["field"] for change in latest.history_delta_changes]


def test_a_text_saved_untouched_with_the_browsers_line_breaks_is_unchanged(
    admin_client, unit
):
    unit.themes_en = "Innovative materials\nKey structures"
    unit.save()
    url = admin_url(Unit, "change", unit.pk)
    data = form_data(admin_client.get(url))
    # What a browser sends of a textarea: its line breaks as CR LF.
    data["themes_en"] = data["themes_en"].replace("\n", "\r\n")
    versions = unit.history.count()

    response = admin_client.post(url, data)

    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.themes_en == "Innovative materials\nKey structures"
    # Unchanged: no version at all (it was one listing no change).
    assert unit.history.count() == versions


def test_a_text_changed_in_a_textarea_is_a_change_in_the_history(admin_client, unit):
    unit.themes_en = "Innovative materials\nKey structures"
    unit.save()
    url = admin_url(Unit, "change", unit.pk)
    data = form_data(admin_client.get(url))
    data["themes_en"] = "Innovative materials\r\nKey structures\r\nOptics"

    response = admin_client.post(url, data)

    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.themes_en == "Innovative materials\nKey structures\nOptics"
    assert version_changes(admin_client, unit) == ["Research themes [en]"]


def test_the_directors_title_at_the_unit_is_written_beside_the_director(
    admin_client, unit
):
    url = admin_url(Unit, "change", unit.pk)
    page = admin_client.get(url)
    html = page.content.decode()
    # After the director, in both languages, before the dates.
    columns = ("director", "director_title_fr", "director_title_en", "creation_year")
    places = [html.index(f'name="{column}"') for column in columns]
    assert places == sorted(places)
    data = form_data(page)
    data.update(
        director_title_fr="Directeur du laboratoire depuis 2024",
        director_title_en="Director of the laboratory since 2024",
    )

    assert admin_client.post(url, data).status_code == 302

    unit.refresh_from_db()
    assert unit.director_title_fr == "Directeur du laboratoire depuis 2024"
    assert unit.director_title_en == "Director of the laboratory since 2024"
    assert sorted(version_changes(admin_client, unit)) == [
        "Director’s title at this unit [en]",
        "Director’s title at this unit [fr]",
    ]
    assert unit.history.first().director_title_en == (
        "Director of the laboratory since 2024"
    )


def save_director(client, unit, language="en", **changes) -> list[str]:
    """Save ``unit``'s change form with ``changes``; return the warnings said."""
    url = admin_url(Unit, "change", unit.pk)
    data = {**form_data(client.get(url)), **changes}
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE=language, follow=True)
    assert "adminform" not in response.context, "the form was refused"
    return [str(m) for m in response.context["messages"] if m.level == WARNING]


@pytest.fixture
def directed_since_2008(unit):
    unit.director_title_fr = "Directeur depuis 2008"
    unit.director_title_en = "Director since 2008"
    unit.save()
    return unit


@pytest.mark.parametrize(
    ("language", "warning"),
    [
        (
            "en",
            "The director changed, not their title at this unit: its page now gives "
            "“Director since 2008” to Eiichi Yoshida. Change it, or empty it to "
            "show the person’s own title.",
        ),
        (
            "fr",
            "La direction a changé, pas son titre dans cette unité\xa0: sa page "
            "donne désormais «\xa0Directeur depuis 2008\xa0» à Eiichi Yoshida. "
            "Modifiez-le, ou videz-le pour afficher le titre de la fiche de la "
            "personne.",
        ),
    ],
)
def test_a_new_director_given_the_former_ones_title_at_the_unit_warns(
    admin_client, directed_since_2008, language, warning
):
    yoshida = PersonFactory(first_name="Eiichi", last_name="Yoshida")

    said = save_director(
        admin_client, directed_since_2008, language, director=str(yoshida.pk)
    )

    assert said == [warning]
    # Saved all the same: the title may suit the new director too.
    directed_since_2008.refresh_from_db()
    assert directed_since_2008.director == yoshida
    assert directed_since_2008.director_title_en == "Director since 2008"


@pytest.mark.parametrize(
    "changes",
    [
        {"director_title_en": "Interim director"},
        {"director_title_fr": "", "director_title_en": ""},
        {"director": ""},
    ],
    ids=["title-changed", "title-emptied", "director-removed"],
)
def test_a_director_changed_with_their_title_is_saved_without_a_warning(
    admin_client, directed_since_2008, changes
):
    yoshida = PersonFactory(first_name="Eiichi", last_name="Yoshida")
    changes = {"director": str(yoshida.pk), **changes}

    assert save_director(admin_client, directed_since_2008, **changes) == []


def director_changes(client, unit) -> list[tuple[str, str]]:
    """Return the director's change in the history page's (in French) latest version."""
    page = client.get(admin_url(Unit, "history", unit.pk))
    latest = page.context["page_obj"][0]
    return [
        (change["old"], change["new"])
        for change in latest.history_delta_changes
        if change["field"] == "Direction"
    ]


def test_a_director_removed_is_shown_as_no_value_in_the_history(admin_client, unit):
    unit.director = PersonFactory(first_name="Abderrahmane", last_name="Kheddar")
    unit.save()
    unit.director = None
    unit.save()

    # Not "Deleted personne (pk=None)", in English, as if the person was deleted.
    assert director_changes(admin_client, unit) == [("Abderrahmane Kheddar", "–")]


def test_a_director_deleted_since_is_named_in_the_history(admin_client, unit):
    kheddar = PersonFactory(first_name="Abderrahmane", last_name="Kheddar")
    unit.director = kheddar
    unit.save()
    unit.director = PersonFactory(first_name="Eiichi", last_name="Yoshida")
    unit.save()
    kheddar.delete()

    assert director_changes(admin_client, unit) == [
        ("Abderrahmane Kheddar (supprimé)", "Eiichi Yoshida")
    ]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Please correct the duplicate data for institution."),
        ("fr", "Corrigez les données en double dans établissement."),
    ],
)
def test_two_rows_naming_one_partner_are_refused_naming_the_column(
    admin_client, unit, two_partnerships, language, message
):
    # Django named the model's field, "partner", which no column of the form shows.
    host, _other = two_partnerships
    url = admin_url(Unit, "change", unit.pk)
    data = form_data(admin_client.get(url))
    data["partnerships-1-partner"] = str(host.partner_id)

    response = admin_client.post(url, data, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    assert partnerships_formset(response).non_form_errors() == [message]


def test_an_emptied_text_is_shown_as_no_value_in_the_history(admin_client, unit):
    # As an emptied key or city: "–", where it showed nothing before the arrow.
    unit.description_en = ""
    unit.save()

    page = admin_client.get(admin_url(Unit, "history", unit.pk))

    [change] = [
        change
        for change in page.context["page_obj"][0].history_delta_changes
        if change["field"].startswith("Description") and "[en]" in change["field"]
    ]
    assert change["new"] == "–"
