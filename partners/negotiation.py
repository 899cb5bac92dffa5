"""How the data API chooses the format of an answer (REST_FRAMEWORK's
DEFAULT_CONTENT_NEGOTIATION_CLASS).

A module of its own: Django REST framework imports it while defining its views,
before partners/api.py, which imports those views, could be read.
"""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import BaseContentNegotiation


class AddressNegotiation(BaseContentNegotiation):
    """Choose an answer's format from its address alone (``?format=``, else the
    view's first), never from the Accept header: answers are cached by address."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        # Imported here: partners.filters reads the models, not loaded yet when
        # REST framework imports this module.
        from partners.filters import repeated

        # "?format=json&format=csv" is refused, as any parameter of one value
        # given twice with different values, not read as its last value.
        if refusal := repeated(request.query_params, "format"):
            raise ValidationError({"format": [refusal]})
        asked = format_suffix or request.query_params.get("format")
        if not asked:
            return renderers[0], renderers[0].media_type
        for renderer in renderers:
            if renderer.format == asked:
                return renderer, renderer.media_type
        formats = sorted({renderer.format for renderer in renderers})
        raise ValidationError(
            {
                "format": [
                    _("The format is one of: %(formats)s.")
                    % {"formats": ", ".join(formats)}
                ]
            }
        )
