"""What the OpenAPI description says of the data besides the endpoints: the licence
and the contact staff give in the site information."""

from cnrs_intl.models import SiteInformation


def licence_and_contact(result, generator, request, public):
    """drf-spectacular's postprocessing hook: ``info.license`` and ``info.contact``
    from the site information, in the description's language. A reuser reading
    the description learns how the records may be reused and whom to ask; the
    open data page and the legal notice say the same."""
    if request is None:
        # Django's checks describe the API to check it: no database needed.
        return result
    info = SiteInformation.objects.current()
    if info is None:
        return result
    if info.data_licence:
        result["info"]["license"] = {"name": info.data_licence}
        if info.data_licence_url:
            result["info"]["license"]["url"] = info.data_licence_url
    if info.contact_email:
        result["info"]["contact"] = {
            "name": info.publisher_name,
            "email": info.contact_email,
        }
    return result
