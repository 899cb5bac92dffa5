import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import Partner
from partners.publication import PublicationStatus
from programmes.models import PLACEHOLDER_LAUREATE, Grant, Programme, Project
from tests.admin_forms import admin_url, form_data, search
from tests.factories import (
    GrantFactory,
    InstituteFactory,
    PartnerFactory,
    PersonFactory,
    ProgrammeFactory,
    ProjectFactory,
    ProjectParticipantFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("term", ["Programme-cadre Horizon", "Framework Programme"])
def test_programme_search_finds_name_in_either_language(admin_client, term):
    horizon = ProgrammeFactory(
        name_fr="Programme-cadre Horizon 2020",
        name_en="Horizon 2020 Framework Programme",
        acronym="H2020",
    )
    ProgrammeFactory(name_fr="Conseil européen de la recherche", name_en="ERC")

    response = admin_client.get(
        reverse("admin:programmes_programme_changelist"), {"q": term}
    )

    assert list(response.context["cl"].result_list) == [horizon]


def test_programme_search_ignores_accents(admin_client):
    programme = ProgrammeFactory(name_fr="Programme européen", acronym="PE")
    ProgrammeFactory(name_fr="Programme national", acronym="PN")

    assert search(admin_client, Programme, "europeen") == [programme]


@pytest.mark.parametrize("term", ["Robots humanoïdes", "Humanoid robots", "Kheddar"])
def test_grant_search_finds_title_in_either_language_and_laureate(admin_client, term):
    grant = GrantFactory(
        title_fr="Robots humanoïdes",
        title_en="Humanoid robots",
        laureate=PersonFactory(last_name="Kheddar"),
    )
    GrantFactory(title_fr="Matière noire", title_en="Dark matter")

    response = admin_client.get(
        reverse("admin:programmes_grant_changelist"), {"q": term}
    )

    assert list(response.context["cl"].result_list) == [grant]


@pytest.mark.parametrize(
    "term", ["Tascmar", "Outils et stratégies", "Tools and strategies"]
)
def test_project_search_finds_title_in_either_language(admin_client, term):
    project = ProjectFactory(
        acronym="TASCMAR",
        title_fr="Outils et stratégies pour les ressources marines",
        title_en="Tools and strategies to access marine resources",
    )
    ProjectFactory(title_fr="Autre projet", title_en="Other project")

    response = admin_client.get(
        reverse("admin:programmes_project_changelist"), {"q": term}
    )

    assert list(response.context["cl"].result_list) == [project]


@pytest.mark.parametrize("model", ["grant", "project"])
def test_filters_are_read_once_per_content_version(admin_client, model):
    # date_hierarchy ran MIN, MAX and a SELECT DISTINCT over every row, every view.
    factory = GrantFactory if model == "grant" else ProjectFactory
    factory(start_date=datetime.date(2017, 3, 1), end_date=datetime.date(2020, 1, 1))
    factory(start_date=datetime.date(2021, 3, 1), end_date=datetime.date(2024, 1, 1))
    url = reverse(f"admin:programmes_{model}_changelist")
    admin_client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(url)
    # No SELECT DISTINCT either: the years, call years and programmes in use are
    # read once per content version.
    assert not [q["sql"] for q in queries.captured_queries if "DISTINCT" in q["sql"]]
    assert not [q["sql"] for q in queries.captured_queries if "MIN(" in q["sql"]]
    years = next(
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "parameter_name", "") == "start_date__year"
    )
    assert [lookup for lookup, _title in years.lookup_choices] == ["2021", "2017"]


def test_grant_changelist_drills_down_by_start_year(admin_client):
    grant = GrantFactory()
    GrantFactory(start_date=None, end_date=None)

    response = admin_client.get(
        reverse("admin:programmes_grant_changelist"), {"start_date__year": "2017"}
    )

    assert list(response.context["cl"].result_list) == [grant]


def test_grant_changelist_filters_by_scheme_and_call_year(admin_client):
    grant = GrantFactory(call_year=2019)
    GrantFactory(call_year=2012)
    GrantFactory(call_year=2019, scheme="msca_pf", panel="")

    response = admin_client.get(
        reverse("admin:programmes_grant_changelist"),
        {"scheme__exact": "erc_stg", "call_year": "2019"},
    )

    assert list(response.context["cl"].result_list) == [grant]


def test_project_change_page_shows_participants_inline(admin_client):
    participation = ProjectParticipantFactory(
        partner=PartnerFactory(name_fr="Université de Porto")
    )
    participation.project.units.add(UnitFactory())

    response = admin_client.get(
        reverse("admin:programmes_project_change", args=(participation.project.pk,))
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "participations-TOTAL_FORMS" in content
    assert "Université de Porto" in content


def test_a_participant_repeating_a_saved_one_is_a_form_error(admin_client):
    # A form that says it holds no saved row (INITIAL_FORMS=0) made its row a new
    # one, a copy of the saved participant: an IntegrityError, a 500.
    participation = ProjectParticipantFactory()
    url = reverse("admin:programmes_project_change", args=(participation.project.pk,))
    data = form_data(admin_client.get(url))
    data["participations-INITIAL_FORMS"] = "0"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    [form] = response.context["inline_admin_formsets"][0].formset.forms
    assert str(participation.partner) in form.non_field_errors()[0]
    assert participation.project.participations.count() == 1


def test_a_participant_given_another_institution_keeps_its_place(admin_client):
    project = ProjectFactory()
    first = ProjectParticipantFactory(project=project)
    second = ProjectParticipantFactory(project=project)
    url = admin_url(Project, "change", project.pk)
    data = form_data(admin_client.get(url))
    replacement = PartnerFactory()
    data["participations-0-partner"] = str(replacement.pk)

    assert admin_client.post(url, data).status_code == 302

    # Listed by id: a row written anew would have gone to the end of the list.
    assert list(project.participations.values_list("pk", "partner")) == [
        (first.pk, replacement.pk),
        (second.pk, second.partner_id),
    ]


def test_two_participants_exchanging_their_institutions_is_saved(admin_client):
    # Another institution coordinates it: the CNRS takes part.
    project = ProjectFactory(cnrs_role="participant")
    first = ProjectParticipantFactory(project=project, role="coordinator")
    second = ProjectParticipantFactory(project=project, role="participant")
    url = admin_url(Project, "change", project.pk)
    data = form_data(admin_client.get(url))
    data["participations-0-partner"] = str(second.partner_id)
    data["participations-1-partner"] = str(first.partner_id)

    assert admin_client.post(url, data).status_code == 302

    assert set(project.participations.values_list("partner", "role")) == {
        (second.partner_id, "coordinator"),
        (first.partner_id, "participant"),
    }


def test_participants_country_boxes_are_rendered_in_python_and_show_the_country(
    admin_client,
):
    """Django's templates took 70 ms a box of 250 countries, one box a participant."""
    participation = ProjectParticipantFactory(country="PT")
    response = admin_client.get(
        reverse("admin:programmes_project_change", args=(participation.project.pk,))
    )
    form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert type(form.fields["country"].widget).__name__ == "FastSelect"
    assert '<option value="PT" selected>Portugal</option>' in response.text
    assert response.text.count('<option value="JP">Japon</option>') >= 2  # + empty form


def test_grant_publish_and_return_to_draft_actions(admin_client):
    grants = GrantFactory.create_batch(2, publication_status=PublicationStatus.DRAFT)
    url = reverse("admin:programmes_grant_changelist")
    selected = [grant.pk for grant in grants]

    admin_client.post(
        url, {"action": "publish_selected", "_selected_action": selected, "post": "yes"}
    )
    assert Grant.objects.public().count() == 2

    admin_client.post(
        url,
        {
            "action": "return_selected_to_draft",
            "_selected_action": selected[:1],
            "post": "yes",
        },
    )
    assert list(Grant.objects.public()) == grants[1:]
    assert grants[0].history.count() == 3


def test_a_grant_whose_laureate_is_the_cordis_placeholder_is_not_published(
    admin_client,
):
    placeholder = PersonFactory(**PLACEHOLDER_LAUREATE)
    waiting = GrantFactory(laureate=placeholder, publication_status="draft")
    ready = GrantFactory(publication_status="draft")
    url = reverse("admin:programmes_grant_changelist")

    response = admin_client.post(
        url,
        {
            "action": "publish_selected",
            "_selected_action": [waiting.pk, ready.pk],
            "post": "yes",
        },
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert list(Grant.objects.public()) == [ready]
    shown = [str(message) for message in response.context["messages"]]
    assert "1 record published." in shown
    assert (
        "1 record was left as a draft: it cannot be published as it is. Open it to "
        "see why." in shown
    )
    # Opened, it says why.
    waiting.publication_status = "published"
    with pytest.raises(ValidationError) as refused:
        waiting.full_clean()
    assert "Choose the laureate before publishing" in str(
        refused.value.message_dict["laureate"]
    )
    waiting.laureate = PersonFactory()
    waiting.full_clean()


def test_programme_change_page_links_to_its_public_page(admin_client):
    programme = ProgrammeFactory()

    response = admin_client.get(
        reverse("admin:programmes_programme_change", args=(programme.pk,))
    )

    assert 'class="viewsitelink"' in response.content.decode()


@pytest.mark.parametrize("year", ["abc", "0", "99999999999"])
@pytest.mark.parametrize("model", ["grant", "project"])
def test_a_start_year_that_is_no_year_is_refused_not_a_500(admin_client, model, year):
    GrantFactory() if model == "grant" else ProjectFactory()
    url = reverse(f"admin:programmes_{model}_changelist")
    response = admin_client.get(url, {"start_date__year": year})
    # Django's changelist answer to bad lookup parameters: back to the list, ?e=1.
    assert response.status_code == 302
    assert response.url.endswith("?e=1")


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("fr", "Bourse postdoctorale MSCA (PF)"),
        ("en", "MSCA Postdoctoral Fellowship (PF)"),
    ],
)
def test_grant_changelist_shows_the_schemes_acronym_and_sorts_by_the_scheme(
    admin_client, language, label
):
    GrantFactory(acronym="ZETA", scheme="erc_stg")
    GrantFactory(acronym="ALPHA", scheme="msca_pf", panel="")

    response = admin_client.get(
        reverse("admin:programmes_grant_changelist"),
        {"o": "2"},  # the scheme's column, after the checkbox and the acronym
        headers={"accept-language": language},
    )

    html = response.content.decode()
    assert f'<td class="field-scheme"><abbr title="{label}">MSCA PF</abbr></td>' in html
    assert 'class="sortable column-scheme sorted ascending"' in html
    assert [grant.acronym for grant in response.context["cl"].result_list] == [
        "ZETA",  # erc_stg sorts before msca_pf
        "ALPHA",
    ]


@pytest.mark.parametrize(
    ("language", "panel", "amount"),
    [
        ("fr", "SH7 Mobilité humaine, environnement et espace", "2\u00a0244\u00a0363"),
        ("en", "SH7 Human mobility, environment and space", "2,244,363"),
    ],
)
def test_grant_changelist_shows_panels_by_code_and_amounts_grouped(
    admin_client, language, panel, amount
):
    """The panel's code with its name a tooltip, the amount in whole euros grouped
    as the language writes numbers, no programme column (the scheme names it):
    the table fits the page beside the filters."""
    GrantFactory(scheme="erc_stg", panel="SH7", amount="2244362.65")

    response = admin_client.get(
        reverse("admin:programmes_grant_changelist"),
        headers={"accept-language": language},
    )

    html = response.content.decode()
    assert f'<td class="field-panel"><abbr title="{panel}">SH7</abbr></td>' in html
    assert f'<td class="field-amount">{amount}</td>' in html
    assert "column-programme" not in html


def test_grant_changelist_names_the_institute_by_its_code(admin_client):
    institute = InstituteFactory(code="INSMI", name_en="Mathematics")
    GrantFactory(acronym="GEOFLUIDS", institute=institute)
    GrantFactory(acronym="NOWHERE", institute=None)

    html = admin_client.get(
        reverse("admin:programmes_grant_changelist"),
        headers={"accept-language": "en"},
    ).content.decode()

    assert (
        '<td class="field-institute"><abbr title="Mathematics">INSMI</abbr></td>'
        in html
    )
    assert '<td class="field-institute">-</td>' in html


@pytest.mark.parametrize("model_name", ["grant", "project"])
def test_a_title_in_english_only_may_be_saved(admin_client, model_name):
    """CORDIS titles grants and projects in English: no French title is needed."""
    factory = {"grant": GrantFactory, "project": ProjectFactory}[model_name]
    record = factory(title_fr="", title_en="Only in English")
    url = reverse(f"admin:programmes_{model_name}_change", args=[record.pk])

    response = admin_client.post(url, form_data(admin_client.get(url)))

    assert response.status_code == 302
    record.refresh_from_db()
    assert not record.title_fr
    assert record.title_en == "Only in English"


@pytest.mark.parametrize("model_name", ["grant", "project"])
def test_a_title_is_needed_in_one_language_at_least(admin_client, model_name):
    factory = {"grant": GrantFactory, "project": ProjectFactory}[model_name]
    record = factory()
    url = reverse(f"admin:programmes_{model_name}_change", args=[record.pk])
    data = form_data(admin_client.get(url))
    data.update(title_fr="", title_en="")

    response = admin_client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert [e.code for e in errors["title_fr"]] == ["required"]


def test_a_partners_deletion_refused_names_the_projects_it_takes_part_in(admin_client):
    partner = PartnerFactory(name_en="Monash University", name_fr="", acronym="")
    project = ProjectFactory(acronym="QAPROJ")
    ProjectParticipantFactory(project=project, partner=partner, role="participant")

    response = admin_client.get(
        admin_url(Partner, "delete", partner.pk), HTTP_ACCEPT_LANGUAGE="en"
    )

    page = response.content.decode()
    # Django named the participation alone, not in which project.
    project_page = admin_url(Project, "change", project.pk)
    assert (
        f'Project participant: Monash University – Participant (project <a href="'
        f'{project_page}">QAPROJ</a>)'
    ) in page


def test_save_and_publish_refuses_a_grant_whose_laureate_is_the_placeholder(
    admin_client,
):
    # The button published it past Grant.clean, which saw the draft status.
    placeholder = PersonFactory(**PLACEHOLDER_LAUREATE)
    waiting = GrantFactory(laureate=placeholder, publication_status="draft")
    url = reverse("admin:programmes_grant_change", args=[waiting.pk])
    data = {**form_data(admin_client.get(url)), "_publish": "1"}

    refused = admin_client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")

    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert "Choose the laureate before publishing" in str(errors["laureate"])
    waiting.refresh_from_db()
    assert waiting.publication_status == "draft"

    data["laureate"] = PersonFactory().pk
    published = admin_client.post(url, data)
    assert published.status_code == 302
    waiting.refresh_from_db()
    assert waiting.publication_status == "published"


def test_the_grants_search_finds_a_call_year_typed_whole(admin_client):
    # No text of a grant holds its call year: staff typing "2025" found none.
    GrantFactory(acronym="CLIMLOGIC", call_year=2025)
    GrantFactory(acronym="ECOTECH", call_year=2024)

    response = admin_client.get(
        reverse("admin:programmes_grant_changelist"), {"q": "2025"}
    )

    assert response.status_code == 200
    assert [grant.acronym for grant in response.context["cl"].result_list] == [
        "CLIMLOGIC"
    ]
    # Digits 0-9 only ("²⁰²⁵" read as a year was a 500); words still search the texts.
    assert (
        admin_client.get(
            reverse("admin:programmes_grant_changelist"), {"q": "²⁰²⁵"}
        ).status_code
        == 200
    )
    words = admin_client.get(
        reverse("admin:programmes_grant_changelist"), {"q": "ecotech"}
    )
    assert [grant.acronym for grant in words.context["cl"].result_list] == ["ECOTECH"]
