"""The participants' EU contributions add up to at most the project's.

CORDIS rounds each share: their sum may pass the project's EU contribution by a
euro a share. The admin refuses more, in an edit of the amounts, giving both sums;
the CORDIS import takes CORDIS's figures as they are and names such projects, and
so it does of one share above the project's, which failed the whole file.
"""

import io
from decimal import Decimal

import pytest
from django.utils import translation

from programmes.admin import cordis_messages
from programmes.models import Project, contributions_excess
from programmes.services import contributions_above, import_cordis
from tests.factories import PartnerFactory, ProjectFactory, ProjectParticipantFactory
from tests.programmes.test_cordis_import import ORGANIZATIONS, PROJECTS, participants
from tests.programmes.test_project_consistency import post_change

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "whole, shares, excess",
    [
        (Decimal("1000"), [Decimal("600"), Decimal("400")], None),
        (Decimal("1000"), [Decimal("600.90"), Decimal("400.90")], None),  # rounding
        (Decimal("1000"), [Decimal("601"), Decimal("401")], None),  # a euro each
        (Decimal("1000"), [Decimal("601"), Decimal("401.01")], Decimal("1002.01")),
        (Decimal("1000"), [Decimal("1001.01")], Decimal("1001.01")),
        (Decimal("1000"), [Decimal("900"), None, Decimal("200")], Decimal("1100")),
        (None, [Decimal("5000")], None),  # the project's not known
        (Decimal("1000"), [None, None], None),
    ],
)
def test_contributions_pass_the_project_beyond_rounding_only(whole, shares, excess):
    assert contributions_excess(whole, shares) == excess


def project_with(eu_contribution: str, *shares: str) -> Project:
    project = ProjectFactory(
        cnrs_role="participant", eu_contribution=Decimal(eu_contribution)
    )
    for share in shares:
        ProjectParticipantFactory(
            project=project,
            partner=PartnerFactory(acronym=""),
            eu_contribution=Decimal(share) if share else None,
        )
    return project


def contributions(project) -> list[Decimal | None]:
    return list(
        project.participations.order_by("pk").values_list("eu_contribution", flat=True)
    )


def formset_errors(response) -> list[str]:
    return list(response.context["inline_admin_formsets"][0].formset.non_form_errors())


def test_the_admin_refuses_shares_adding_up_to_more_than_the_project(admin_client):
    project = project_with("1000000", "600000", "300000")

    response = post_change(
        admin_client, project, {"participations-1-eu_contribution": "500000"}
    )

    assert response.status_code == 200
    assert formset_errors(response) == [
        "The participants’ EU contributions add up to €1,100,000.00, more than "
        "the project’s EU contribution, €1,000,000.00 (a rounding of up to €1 a "
        "participant is allowed): correct one or the other."
    ]
    assert contributions(project) == [Decimal("600000"), Decimal("300000")]


def test_the_admin_says_both_amounts_in_french(admin_client):
    project = project_with("1000000", "600000", "300000")

    response = post_change(
        admin_client,
        project,
        {"participations-1-eu_contribution": "500000"},
        language="fr",
    )

    assert formset_errors(response) == [
        "Les contributions de l’UE aux participants s’élèvent à "
        "1\u00a0100\u00a0000,00\u00a0€, plus que la contribution de l’UE au "
        "projet, 1\u00a0000\u00a0000,00\u00a0€ (un arrondi d’au plus 1\u00a0€ par "
        "participant est admis)\u00a0: corrigez l’une ou l’autre."
    ]


def test_the_admin_allows_cordis_rounding(admin_client):
    project = project_with("1000000", "600000", "300000")

    response = post_change(
        admin_client, project, {"participations-1-eu_contribution": "400001.50"}
    )

    assert response.status_code == 302
    assert contributions(project) == [Decimal("600000"), Decimal("400001.50")]


def test_a_new_row_counts_and_a_deleted_row_no_longer_does(admin_client):
    project = project_with("1000000", "600000", "300000")
    newcomer = PartnerFactory()

    response = post_change(
        admin_client,
        project,
        {
            "participations-TOTAL_FORMS": "3",
            "participations-2-partner": str(newcomer.pk),
            "participations-2-role": "participant",
            "participations-2-eu_contribution": "300000",
        },
    )
    assert response.status_code == 200
    assert formset_errors(response)

    response = post_change(
        admin_client,
        project,
        {
            "participations-TOTAL_FORMS": "3",
            "participations-1-DELETE": "on",
            "participations-2-partner": str(newcomer.pk),
            "participations-2-role": "participant",
            "participations-2-eu_contribution": "300000",
        },
    )
    assert response.status_code == 302
    assert contributions(project) == [Decimal("600000"), Decimal("300000")]


def test_lowering_the_projects_contribution_below_the_shares_is_refused(
    admin_client,
):
    project = project_with("1000000", "600000", "300000")

    response = post_change(admin_client, project, {"eu_contribution": "800000"})

    assert response.status_code == 200
    assert "add up to €900,000.00" in formset_errors(response)[0]
    project.refresh_from_db()
    assert project.eu_contribution == Decimal("1000000")


def test_a_project_imported_above_its_contribution_is_not_locked(admin_client):
    # The import keeps CORDIS's figures: staff may still correct the title.
    project = project_with("1000000", "600000", "500000")

    response = post_change(admin_client, project, {"title_en": "Corrected"})

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title_en == "Corrected"


# The CORDIS import: MatCHMaker's EU contribution is 4,700,234 €; the CNRS's share
# is not a participant's row, UNIVERSIDAD DE EJEMPLO's is 700,000 €, the third
# party's 50,000 €.

UNIVERSIDAD = "101091687;MatCHMaker;900000003;"


def with_share(share: str) -> io.StringIO:
    """organization.csv with UNIVERSIDAD DE EJEMPLO's share in MatCHMaker."""
    lines = ORGANIZATIONS.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    changed = []
    for line in lines:
        if line.startswith(UNIVERSIDAD):
            columns = line.split(";")
            columns[20] = share  # ecContribution
            line = ";".join(columns)
        changed.append(line)
    return io.StringIO("".join(changed))


def test_the_cordis_import_takes_its_rounding_as_it_is():
    # 4,650,234.60 + 50,000: 60 cents above the project's, two shares rounded.
    report = import_cordis(PROJECTS, with_share("4650234.60"))

    assert participants("101091687")["900000003"][1] == Decimal("4650234.60")
    assert report.contributions_above == []
    assert not [line for line in report.lines() if "above" in line]


def test_the_cordis_import_names_the_projects_whose_shares_pass_it():
    with translation.override("en"):
        report = import_cordis(PROJECTS, with_share("4700000"))

    # Imported as CORDIS publishes it: nothing refused, the project named.
    assert participants("101091687")["900000003"][1] == Decimal("4700000")
    [(project, total, whole)] = report.contributions_above
    assert project == "project MatCHMaker (101091687)"
    assert (total, whole) == (Decimal("4750000"), Decimal("4700234"))
    assert (
        "participants' EU contributions (4750000.00) above the project's (4700234.00), "
        "imported as CORDIS gives them: project MatCHMaker (101091687)"
    ) in report.lines()
    with translation.override("en"):
        said = dict(cordis_messages(report))
    assert (
        "The participants’ EU contributions of 1 project add up to more than its "
        "EU contribution, beyond CORDIS’s rounding. They were imported as CORDIS "
        "gives them, for you to check: project MatCHMaker (101091687) "
        "(€4,750,000.00 > €4,700,234.00)."
    ) in said


def test_the_cordis_import_names_a_project_one_share_of_which_passes_it(
    admin_client,
):
    # 4,800,000 of 4,700,234: one share beyond its rounding, which the admin
    # refuses on the participant's row (ProjectParticipant.clean).
    with translation.override("en"):
        report = import_cordis(PROJECTS, with_share("4800000"))

    assert participants("101091687")["900000003"][1] == Decimal("4800000")
    [(project, total, whole)] = report.contributions_above
    assert project == "project MatCHMaker (101091687)"
    assert (total, whole) == (Decimal("4850000"), Decimal("4700234"))
    with translation.override("en"):
        said = dict(cordis_messages(report))
    assert (
        "The participants’ EU contributions of 1 project add up to more than its "
        "EU contribution, beyond CORDIS’s rounding. They were imported as CORDIS "
        "gives them, for you to check: project MatCHMaker (101091687) "
        "(€4,850,000.00 > €4,700,234.00)."
    ) in said
    # Nor is the project locked for an edit of its title.
    project = Project.objects.get(cordis_id="101091687")
    response = post_change(admin_client, project, {"title_en": "Corrected"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title_en == "Corrected"


@pytest.mark.parametrize(
    "whole, shares, above",
    [
        (Decimal("1000"), [Decimal("601"), Decimal("401")], None),  # a euro each
        (Decimal("1000"), [Decimal("1001")], None),
        (Decimal("1000"), [Decimal("601"), Decimal("401.01")], Decimal("1002.01")),
        # The sum within three euros of rounding, one share beyond its own.
        (Decimal("1000"), [Decimal("1001.50"), Decimal("0"), None], Decimal("1001.50")),
        (None, [Decimal("5000")], None),
    ],
)
def test_the_import_names_shares_passing_the_project_together_or_alone(
    whole, shares, above
):
    assert contributions_above(whole, shares) == above
