"""What a record's public page is about, as schema.org describes it (JSON-LD).

Visitors often arrive from a search engine on one page: a unit, a partner, an
office, a grant or a project told as the thing it is (a research organisation, a
university, a research project), with its identifiers (ROR, CORDIS, a unit's
code) and its place, rather than as a page of text. Each detail view gives its
record's description as ``structured_data``; templates/base.html writes it
(``json_ld``). Built from what the page reads already: no query of its own.
"""

from partners.models import PartnerKind

SCHEMA_ORG = "https://schema.org"

# The CNRS itself: the parent organisation of its units and offices.
CNRS = {
    "@type": "ResearchOrganization",
    "name": "Centre national de la recherche scientifique",
    "alternateName": "CNRS",
    "url": "https://www.cnrs.fr/",
    "sameAs": "https://ror.org/02feahw73",
}

# The schema.org type of each kind of partner institution.
PARTNER_TYPES = {
    PartnerKind.UNIVERSITY: "CollegeOrUniversity",
    PartnerKind.RESEARCH_ORGANISATION: "ResearchOrganization",
    PartnerKind.COMPANY: "Corporation",
    PartnerKind.FUNDING_AGENCY: "FundingAgency",
    PartnerKind.PUBLIC_BODY: "GovernmentOrganization",
    PartnerKind.INTERNATIONAL_ORGANISATION: "Organization",
    PartnerKind.OTHER: "Organization",
}


def described(kind: str, request, record, **properties) -> dict:
    """Return ``record`` as a schema.org ``kind`` at its page's address, with
    ``properties``; those without a value are left out."""
    description = {
        "@context": SCHEMA_ORG,
        "@type": kind,
        "url": request.build_absolute_uri(record.get_absolute_url()),
    }
    description.update(
        (name, value)
        for name, value in properties.items()
        if value not in (None, "", [], {})
    )
    return description


def postal_address(record) -> dict:
    """The city and country of a record with a place (``PlaceMixin``)."""
    address = {"@type": "PostalAddress", "addressCountry": record.country.code}
    if record.city:
        address["addressLocality"] = record.city
    return address


def coordinates(record) -> dict | None:
    """The record's latitude and longitude, if it has them."""
    if record.latitude is None or record.longitude is None:
        return None
    return {
        "@type": "GeoCoordinates",
        "latitude": float(record.latitude),
        "longitude": float(record.longitude),
    }


def other_names(*names: str, besides: str) -> list[str]:
    """The names given that differ from ``besides`` (the name shown), once each."""
    return list(dict.fromkeys(name for name in names if name and name != besides))


def cordis_page(cordis_id: str) -> str:
    """The CORDIS page of the EU project ``cordis_id``, or ""."""
    return f"https://cordis.europa.eu/project/id/{cordis_id}" if cordis_id else ""


def partner_description(request, partner) -> dict:
    """A partner institution: its kind's type, names, ROR id and website."""
    return described(
        PARTNER_TYPES.get(partner.kind, "Organization"),
        request,
        partner,
        name=partner.name,
        alternateName=other_names(
            partner.acronym,
            partner.name_fr,
            partner.name_en,
            partner.original_name,
            besides=partner.name,
        ),
        address=postal_address(partner),
        geo=coordinates(partner),
        foundingDate=str(partner.established) if partner.established else None,
        sameAs=[url for url in (partner.ror_url, partner.website_link) if url],
        parentOrganization=institution(request, partner.parent),
    )


def named(request, record, kind: str) -> dict:
    """A record named in another's description, a schema.org ``kind``: its name,
    and its page if published."""
    description = {"@type": kind, "name": record.name}
    if record.is_published:
        description["url"] = request.build_absolute_uri(record.get_absolute_url())
    return description


def institution(request, partner) -> dict | None:
    """A partner institution named in another record's description."""
    if partner is None:
        return None
    return named(request, partner, PARTNER_TYPES.get(partner.kind, "Organization"))


def office_description(request, office) -> dict:
    """A CNRS office abroad: the CNRS's, where it is and the countries it covers."""
    return described(
        "Organization",
        request,
        office,
        name=office.name,
        address=postal_address(office),
        geo=coordinates(office),
        email=office.email,
        telephone=office.phone,
        foundingDate=str(office.opening_year) if office.opening_year else None,
        sameAs=office.website_link,
        parentOrganization=CNRS,
        areaServed=[
            {"@type": "Country", "name": country.name, "identifier": country.code}
            for country in office.area
        ],
    )
