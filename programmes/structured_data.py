"""Grants and projects as schema.org describes them (partners/structured_data.py)."""

from partners.structured_data import (
    cordis_page,
    described,
    institution,
    named,
    other_names,
)

EUROPEAN_RESEARCH_COUNCIL = {
    "@type": "FundingAgency",
    "name": "European Research Council",
}
EUROPEAN_COMMISSION = {"@type": "GovernmentOrganization", "name": "European Commission"}


def grant_description(request, grant) -> dict:
    """An ERC or MSCA grant: its funder, its laureate and the EU's contribution."""
    laureate = None
    if grant.laureate_id and not grant.has_placeholder_laureate:
        laureate = {"@type": "Person", "name": grant.laureate.full_name}
        if grant.laureate.orcid:
            laureate["sameAs"] = grant.laureate.orcid_url
    return described(
        "MonetaryGrant",
        request,
        grant,
        name=grant.acronym,
        alternateName=other_names(grant.title, besides=grant.acronym),
        description=grant.summary,
        identifier=grant.cordis_id,
        sameAs=cordis_page(grant.cordis_id),
        # MSCA grants are the European Commission's, through its agency.
        funder=EUROPEAN_RESEARCH_COUNCIL if grant.is_erc else EUROPEAN_COMMISSION,
        fundedItem=laureate,
        amount=(
            {"@type": "MonetaryAmount", "currency": "EUR", "value": float(grant.amount)}
            if grant.amount is not None
            else None
        ),
    )


def project_description(request, project) -> dict:
    """A project: a research project with its dates, its participants as members."""
    return described(
        "ResearchProject",
        request,
        project,
        name=project.acronym,
        alternateName=other_names(project.title, besides=project.acronym),
        description=project.summary,
        identifier=project.cordis_id,
        foundingDate=project.start_date.isoformat() if project.start_date else None,
        dissolutionDate=project.end_date.isoformat() if project.end_date else None,
        sameAs=[
            url for url in (cordis_page(project.cordis_id), project.website_link) if url
        ],
        member=[
            institution(request, participation.partner)
            for participation in project.participations.all()
            if participation.partner_id
        ],
    )


def programme_description(request, programme) -> dict:
    """A programme (Horizon 2020, the ERC, IRP): a funding scheme, within its
    parent programme, with its years."""
    parent = programme.parent
    return described(
        "FundingScheme",
        request,
        programme,
        name=programme.name,
        alternateName=other_names(
            programme.acronym,
            programme.name_fr,
            programme.name_en,
            programme.former_name,
            besides=programme.name,
        ),
        description=programme.description,
        foundingDate=str(programme.start_year) if programme.start_year else None,
        dissolutionDate=str(programme.end_year) if programme.end_year else None,
        sameAs=programme.website_link,
        parentOrganization=(
            named(request, parent, "FundingScheme") if parent is not None else None
        ),
    )
