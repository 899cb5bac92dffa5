"""The project list's country choices: the countries where published projects have
participants, each with its number of projects, as the unit and partner lists offer."""

import pytest
from django.urls import reverse
from django.utils import translation

from programmes.filters import ProjectFilterSet
from tests.factories import PartnerFactory, ProjectFactory, ProjectParticipantFactory

pytestmark = pytest.mark.django_db


def project_in(*codes, **fields):
    project = ProjectFactory(**fields)
    for code in codes:
        ProjectParticipantFactory(project=project, partner=PartnerFactory(country=code))
    return project


def choices(filterset=None, language="en") -> list[tuple[str, str]]:
    with translation.override(language):
        field = (filterset or ProjectFilterSet()).form.fields["country"]
        return [(str(value), str(label)) for value, label in field.choices]


def project_list(client, query=None, language="en"):
    with translation.override(language):
        url = reverse("programmes:project-list")
    response = client.get(url, query or {})
    assert response.status_code == 200
    return response


def test_country_choices_are_the_countries_of_published_projects_with_counts():
    project_in("IL", "IL", "JP")  # two participants in Israel: one project there
    project_in("JP")
    project_in("BR", publication_status="draft")
    # A participation's own country wins over its institution's.
    participation = ProjectParticipantFactory(partner=PartnerFactory(country="US"))
    participation.country = "CA"
    participation.save()

    assert choices() == [
        ("", "All countries"),
        ("CA", "Canada (1)"),
        ("IL", "Israel (1)"),
        ("JP", "Japan (2)"),
    ]


def test_country_choices_are_named_and_sorted_in_the_active_language():
    project_in("DE", "ES", "AT")

    assert choices(language="fr") == [
        ("", "Tous les pays"),
        ("DE", "Allemagne (1)"),
        ("AT", "Autriche (1)"),
        ("ES", "Espagne (1)"),
    ]


def test_a_shared_link_to_a_country_without_projects_keeps_it_chosen(client):
    project_in("JP")

    response = project_list(client, {"country": "pe"})

    assert ("PE", "Peru (0)") in choices(response.context["filter"])
    assert '<option value="PE" selected>Peru (0)</option>' in response.text
    assert response.context["result_count"] == 0


def test_country_choices_count_within_the_other_filters_chosen(client):
    project_in("JP", "IL", kind="irp")
    project_in("JP", kind="eu_project")

    irp = project_list(client, {"kind": "irp"})
    assert choices(irp.context["filter"]) == [
        ("", "All countries"),
        ("IL", "Israel (1)"),
        ("JP", "Japan (1)"),
    ]
    # A country chosen: its choices still count the projects of every country.
    chosen = project_list(client, {"kind": "irp", "country": "IL"})
    assert choices(chosen.context["filter"]) == choices(irp.context["filter"])
    assert chosen.context["result_count"] == 1
    # A country left without projects by the other filters is offered no more,
    # unless chosen.
    eu = project_list(client, {"kind": "eu_project", "country": "IL"})
    assert choices(eu.context["filter"]) == [
        ("", "All countries"),
        ("IL", "Israel (0)"),
        ("JP", "Japan (1)"),
    ]


def test_country_choices_are_counted_once_per_content_version(
    django_assert_num_queries,
):
    project_in("JP")
    choices()  # counted
    with django_assert_num_queries(0):
        assert ("JP", "Japan (1)") in choices()
    project_in("JP")  # a change: counted again
    assert ("JP", "Japan (2)") in choices()


def test_the_api_never_counts_them(django_assert_num_queries):
    # The value sent is checked against every country; the counts are the page's,
    # for its select box.
    project_in("JP")
    filterset = ProjectFilterSet({"country": "jp"})
    with django_assert_num_queries(0):
        assert filterset.is_valid()
    assert filterset.form.cleaned_data["country"] == "JP"
