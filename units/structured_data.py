"""A joint unit as schema.org describes it (partners/structured_data.py)."""

from partners.structured_data import (
    CNRS,
    coordinates,
    described,
    institution,
    other_names,
    postal_address,
)


def unit_description(request, unit) -> dict:
    """A joint unit: a research organisation of the CNRS and its host and partner
    institutions, with its code, place and dates."""
    return described(
        "ResearchOrganization",
        request,
        unit,
        name=unit.name,
        alternateName=other_names(
            unit.acronym, unit.name_fr, unit.name_en, besides=unit.name
        ),
        identifier=unit.code,
        description=unit.description,
        address=postal_address(unit),
        geo=coordinates(unit),
        foundingDate=str(unit.creation_year) if unit.creation_year else None,
        dissolutionDate=str(unit.closure_year) if unit.closure_year else None,
        sameAs=unit.website_link,
        parentOrganization=[
            CNRS,
            *(
                institution(request, partnership.partner)
                for partnership in unit.partnerships.all()
            ),
        ],
    )
