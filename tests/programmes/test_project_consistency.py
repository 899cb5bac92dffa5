"""A project's figures, coordinator and programme agree with one another.

Found by a QA pass of the back-office: an EU contribution greater than the total
cost, a participant's contribution greater than the project's, two coordinators (or
one beside "CNRS role: coordinator"), an IRP filed under Horizon 2020.
"""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from programmes.models import ParticipantRole, ProgrammeKind, Project, ProjectKind
from programmes.services import import_cordis
from tests.admin_forms import admin_url, form_data
from tests.factories import (
    PartnerFactory,
    ProgrammeFactory,
    ProjectFactory,
    ProjectParticipantFactory,
)
from tests.programmes.test_cordis_import import ORGANIZATIONS, PROJECTS
from tests.test_plausibility import errors_of
from tests.test_spreadsheets import csv_rows, export, preview, to_csv

pytestmark = pytest.mark.django_db


def post_change(client, project, changes: dict, language: str = "en"):
    """Post ``project``'s change form with ``changes``, in English."""
    url = admin_url(Project, "change", project.pk)
    data = {**form_data(client.get(url)), **changes}
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE=language)


def row_errors(response) -> list[dict]:
    formset = response.context["inline_admin_formsets"][0].formset
    return [dict(form.errors) for form in formset.forms]


# The EU contribution and the total cost

MORE_THAN_THE_COST = "The EU contribution cannot be greater than the total cost."


@pytest.mark.parametrize(
    "total_cost, eu_contribution, valid",
    [
        (Decimal("5000000"), Decimal("4000000"), True),
        (Decimal("5000000"), Decimal("5000000"), True),  # funded in full
        (None, Decimal("6700000"), True),  # the cost not published
        (Decimal("5000000"), None, True),
        (Decimal("5000000"), Decimal("5000000.01"), False),
    ],
)
def test_the_eu_contribution_is_at_most_the_total_cost(
    total_cost, eu_contribution, valid
):
    project = ProjectFactory.build(
        programme=ProgrammeFactory(),
        total_cost=total_cost,
        eu_contribution=eu_contribution,
    )

    errors = errors_of(project)

    assert errors.get("eu_contribution") == (None if valid else [MORE_THAN_THE_COST])
    if not valid:
        with pytest.raises(IntegrityError), transaction.atomic():
            project.save()


def test_the_admin_shows_a_contribution_above_the_cost_on_its_field(admin_client):
    project = ProjectFactory(total_cost=Decimal("7000000"))

    response = post_change(
        admin_client, project, {"total_cost": "6000000", "eu_contribution": "6500000"}
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["eu_contribution"] == [MORE_THAN_THE_COST]
    assert not form.non_field_errors()
    project.refresh_from_db()
    assert project.total_cost == Decimal("7000000")


def test_the_spreadsheet_import_refuses_a_contribution_above_the_cost(admin_client):
    project = ProjectFactory(total_cost=Decimal("7000000"))
    [row] = csv_rows(export(admin_client, Project))
    row["total_cost"] = "1000000"

    response = preview(admin_client, Project, to_csv([row]), "projects.csv")

    [invalid] = response.context["result"].invalid_rows
    assert invalid.field_specific_errors["eu_contribution"]
    project.refresh_from_db()
    assert project.total_cost == Decimal("7000000")


def test_a_total_cost_cordis_gives_as_0_is_imported_as_unknown():
    text = PROJECTS.read_text(encoding="utf-8")
    bilasurf = "2023-01-01;2025-12-31;5601669;5601669;"
    assert bilasurf in text

    import_cordis(
        io.StringIO(text.replace(bilasurf, "2023-01-01;2025-12-31;0;5601669;")),
        ORGANIZATIONS,
    )

    project = Project.objects.get(acronym="BILASURF")
    assert (project.total_cost, project.eu_contribution) == (None, Decimal("5601669"))


# A participant's contribution, part of the project's

MORE_THAN_THE_PROJECT = (
    "A participant’s EU contribution cannot be greater than the project’s: correct "
    "one or the other."
)


def test_a_participants_contribution_is_at_most_the_projects():
    participation = ProjectParticipantFactory(
        project=ProjectFactory(eu_contribution=Decimal("1000000"))
    )

    participation.eu_contribution = Decimal("1000000")
    assert errors_of(participation) == {}
    # CORDIS rounds a share: up to a euro above is its rounding.
    participation.eu_contribution = Decimal("1000001")
    assert errors_of(participation) == {}
    participation.eu_contribution = Decimal("1000001.01")
    assert errors_of(participation) == {"eu_contribution": [MORE_THAN_THE_PROJECT]}


def test_a_share_saved_above_the_projects_is_refused_in_an_edit_of_the_amounts():
    # As the CORDIS import keeps CORDIS's figures: an edit of another field passes.
    project = ProjectFactory(eu_contribution=Decimal("1000000"))
    participation = ProjectParticipantFactory(
        project=project, eu_contribution=Decimal("1200000")
    )

    assert errors_of(participation) == {}
    participation.eu_contribution = Decimal("1100000")
    assert errors_of(participation) == {"eu_contribution": [MORE_THAN_THE_PROJECT]}
    participation.eu_contribution = Decimal("1200000")
    project.eu_contribution = Decimal("900000")
    assert errors_of(participation) == {"eu_contribution": [MORE_THAN_THE_PROJECT]}


def test_the_admin_shows_a_participants_excess_on_its_row(admin_client):
    project = ProjectFactory(eu_contribution=Decimal("1000000"))
    ProjectParticipantFactory(project=project, eu_contribution=Decimal("200000"))

    response = post_change(
        admin_client, project, {"participations-0-eu_contribution": "2000000"}
    )

    assert response.status_code == 200
    assert row_errors(response) == [{"eu_contribution": [MORE_THAN_THE_PROJECT]}]
    assert project.participations.get().eu_contribution == Decimal("200000")


def test_lowering_the_projects_contribution_below_a_participants_is_refused(
    admin_client,
):
    project = ProjectFactory(eu_contribution=Decimal("1000000"))
    ProjectParticipantFactory(project=project, eu_contribution=Decimal("600000"))

    response = post_change(admin_client, project, {"eu_contribution": "500000"})

    assert response.status_code == 200
    assert row_errors(response) == [{"eu_contribution": [MORE_THAN_THE_PROJECT]}]
    project.refresh_from_db()
    assert project.eu_contribution == Decimal("1000000")


# One coordinator

COORDINATOR = ParticipantRole.COORDINATOR


def project_with(cnrs_role: str, *roles: str):
    project = ProjectFactory(cnrs_role=cnrs_role)
    for role in roles:
        ProjectParticipantFactory(
            project=project, role=role, partner=PartnerFactory(acronym="")
        )
    return project


def test_a_second_coordinator_is_refused_naming_the_first(admin_client):
    project = project_with("participant", COORDINATOR, "participant")
    first = project.participations.first().partner

    response = post_change(
        admin_client, project, {"participations-1-role": COORDINATOR}
    )

    assert response.status_code == 200
    assert row_errors(response) == [
        {},
        {
            "role": [
                f"{first} coordinates this project already: a project has one "
                "coordinator."
            ]
        },
    ]
    assert project.participations.filter(role=COORDINATOR).count() == 1


def test_no_institution_coordinates_a_project_the_cnrs_coordinates(admin_client):
    project = project_with("participant", COORDINATOR)

    response = post_change(admin_client, project, {"cnrs_role": "coordinator"})

    assert response.status_code == 200
    assert row_errors(response) == [
        {
            "role": [
                "The CNRS coordinates this project (its CNRS role): another "
                "institution cannot coordinate it too."
            ]
        }
    ]
    project.refresh_from_db()
    assert project.cnrs_role == "participant"


def test_the_cnrs_coordinating_refuses_a_coordinating_participant_by_its_code():
    project = project_with("coordinator")
    participation = ProjectParticipantFactory.build(
        project=project, role=COORDINATOR, partner=PartnerFactory()
    )

    with pytest.raises(ValidationError) as refused:
        participation.clean()

    assert [error.code for error in refused.value.error_dict["role"]] == [
        "cnrs_coordinates"
    ]


def test_the_coordinator_may_change_hands(admin_client):
    project = project_with("participant", COORDINATOR, "participant")

    response = post_change(
        admin_client,
        project,
        {"participations-0-role": "participant", "participations-1-role": COORDINATOR},
    )

    assert response.status_code == 302
    assert list(project.participations.values_list("role", flat=True)) == [
        "participant",
        COORDINATOR,
    ]


def test_the_cnrs_may_take_over_from_the_coordinator(admin_client):
    project = project_with("participant", COORDINATOR)

    response = post_change(
        admin_client,
        project,
        {"cnrs_role": "coordinator", "participations-0-role": "participant"},
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.cnrs_role == "coordinator"


# The programme that funds it

FRAMEWORK, EU_SCHEME = ProgrammeKind.FRAMEWORK, ProgrammeKind.EU_SCHEME
CNRS_TOOL, BILATERAL = ProgrammeKind.CNRS_TOOL, ProgrammeKind.BILATERAL


@pytest.mark.parametrize(
    "kind, slug, programme_kind, error",
    [
        (ProjectKind.EU_PROJECT, "horizon-2020", FRAMEWORK, None),
        (ProjectKind.IRP, "irp", CNRS_TOOL, None),
        (ProjectKind.IEA, "iea", CNRS_TOOL, None),
        (ProjectKind.IRN, "franco-japanese", BILATERAL, None),  # left to staff
        (ProjectKind.EU_PROJECT, "franco-japanese", BILATERAL, None),
        (
            ProjectKind.IRP,
            "horizon-2020",
            FRAMEWORK,
            "H2020 is a European programme: it does not fund the CNRS’s cooperation "
            "tools (IRP, IRN, IEA). File this project under the programme of its "
            "kind.",
        ),
        (
            ProjectKind.IEA,
            "erc",
            EU_SCHEME,
            "H2020 is a European programme: it does not fund the CNRS’s cooperation "
            "tools (IRP, IRN, IEA). File this project under the programme of its "
            "kind.",
        ),
        (
            ProjectKind.IRN,
            "irp",
            CNRS_TOOL,
            "Only IRP projects belong to the H2020 programme: file this one under "
            "the programme of its kind.",
        ),
        (
            ProjectKind.EU_PROJECT,
            "irp",
            CNRS_TOOL,
            "Only IRP projects belong to the H2020 programme: file this one under "
            "the programme of its kind.",
        ),
        (
            ProjectKind.EU_PROJECT,
            "irl",
            CNRS_TOOL,
            "H2020 is a CNRS cooperation tool: it does not fund European "
            "collaborative projects. File this project under its European "
            "programme.",
        ),
    ],
)
def test_a_project_is_filed_under_a_programme_that_funds_its_kind(
    kind, slug, programme_kind, error
):
    # Every programme here is named H2020: the messages name the one chosen.
    programme = ProgrammeFactory(slug=slug, kind=programme_kind, acronym="H2020")
    project = ProjectFactory(kind=kind, programme=programme)

    assert errors_of(project).get("programme") == ([error] if error else None)


def test_the_admin_refuses_an_irp_under_horizon_2020_on_the_programme(admin_client):
    irp = ProgrammeFactory(slug="irp", kind=CNRS_TOOL, acronym="IRP")
    horizon_2020 = ProgrammeFactory(slug="horizon-2020", acronym="H2020")
    project = ProjectFactory(kind=ProjectKind.IRP, programme=irp)

    response = post_change(admin_client, project, {"programme": str(horizon_2020.pk)})

    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["programme"]
    assert error.startswith("H2020 is a European programme")
    project.refresh_from_db()
    assert project.programme == irp
