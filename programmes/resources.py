"""Spreadsheet import and export of grants and projects (see partners/resources.py).

A grant's laureate is named by ORCID or, when the person has none, by "first name
last name", accepted only if exactly one person bears that name (units.resources).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from partners.resources import PublishableResource, related
from partners.search import without_address
from programmes.models import (
    CORDIS_PAGES,
    CnrsRole,
    Grant,
    ParticipantRole,
    Programme,
    Project,
)
from units.models import Institute, Unit
from units.resources import person


class CordisIdWidget(widgets.CharWidget):
    """A CORDIS id, given alone (101001234) or as its project page's address, as
    the admin's field takes it."""

    def clean(self, value, row=None, **kwargs):
        return without_address(super().clean(value, row, **kwargs), CORDIS_PAGES)


def cordis_id_field() -> fields.Field:
    return fields.Field(
        attribute="cordis_id", column_name="cordis_id", widget=CordisIdWidget()
    )


# What to write in a column a record cannot leave empty (units.resources).
PROGRAMME_REQUIRED = _("Give a programme's slug (horizon-2020, erc…).")
LAUREATE_REQUIRED = _(
    "Give the laureate's ORCID, or their first and last name as recorded."
)


def programme_field() -> fields.Field:
    return related(
        Programme, "slug", "programme", "programme", required=PROGRAMME_REQUIRED
    )


class GrantResource(PublishableResource):
    programme = programme_field()
    cordis_id = cordis_id_field()
    laureate = person("laureate", required=LAUREATE_REQUIRED)
    institute = related(Institute, "code", "institute", "institute")
    # The joint unit hosting it, by its slug, as on its page's address.
    unit = related(Unit, "slug", "unit", "unit")

    class Meta(PublishableResource.Meta):
        model = Grant
        name = _("Grants")
        fields = (
            "slug",
            "scheme",
            "programme",
            "acronym",
            "title_fr",
            "title_en",
            "summary_fr",
            "summary_en",
            "laureate",
            "host_laboratory",
            "unit",
            "institute",
            "panel",
            "call_year",
            "start_date",
            "end_date",
            "amount",
            "cordis_id",
            "publication_status",
        )


class ProjectResource(PublishableResource):
    programme = programme_field()
    cordis_id = cordis_id_field()

    class Meta(PublishableResource.Meta):
        model = Project
        name = _("Projects")
        fields = (
            "slug",
            "kind",
            "programme",
            "acronym",
            "title_fr",
            "title_en",
            "summary_fr",
            "summary_en",
            "societal_challenge",
            "cnrs_role",
            "start_date",
            "end_date",
            "total_cost",
            "eu_contribution",
            "researcher_count",
            "country_count",
            "industrial_partner_count",
            "website",
            "cordis_id",
            "publication_status",
        )

    def validate_instance(
        self, instance, import_validation_errors=None, validate_unique=True
    ):
        errors = dict(import_validation_errors or {})
        if error := coordination_error(instance):
            errors["cnrs_role"] = [*errors.get("cnrs_role", []), error]
        super().validate_instance(instance, errors, validate_unique)


def coordination_error(project) -> ValidationError | None:
    """Say why the CNRS cannot coordinate ``project``: one of its participants
    does (the participants are edited on its page, not in the file)."""
    if project.pk is None or project.cnrs_role != CnrsRole.COORDINATOR:
        return None
    coordinator = (
        project.participations.filter(role=ParticipantRole.COORDINATOR)
        .select_related("partner")
        .first()
    )
    if coordinator is None:
        return None
    return ValidationError(
        _(
            "%(partner)s coordinates this project (its participants): the CNRS "
            "cannot coordinate it too. Change that participant’s role on the "
            "project’s page first."
        ),
        code="participant_coordinates",
        params={"partner": coordinator.partner},
    )
