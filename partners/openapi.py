"""The data API's OpenAPI description (drf-spectacular): what it cannot infer from
the views and serializers (SPECTACULAR_SETTINGS and REST_FRAMEWORK's
DEFAULT_SCHEMA_CLASS name these)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

# The answers other than a record or a list, as every endpoint gives them.
ERROR_SCHEMAS = {
    "Error": {
        "type": "object",
        "description": _("An error, its message in the language of lang."),
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "InvalidParameters": {
        "type": "object",
        "description": _(
            "The refused parameters, each with its messages in the language of "
            'lang: {"country": ["…"]}; a refusal about several parameters (a '
            "span of years running backwards) under non_field_errors."
        ),
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
    "Moved": {
        "type": "object",
        "description": _(
            "The address to ask from now on (as the Location header, in full), and "
            "a message saying so in the language of lang."
        ),
        "properties": {
            "detail": {"type": "string"},
            "location": {"type": "string", "format": "uri"},
        },
        "required": ["detail", "location"],
    },
}

# The format of every answer but a record or a list, whatever the format asked.
JSON = "application/json"

LOCATION_HEADER = OpenApiParameter(
    "Location",
    {"type": "string", "format": "uri-reference"},
    OpenApiParameter.HEADER,
    required=True,
    response=[301],
    description=_("The record's address, the query string kept."),
)


class PublicApiSchema(AutoSchema):
    """Describe, beside each operation's answer, the errors and redirections it
    really gives: 400 for a parameter refused (``lang``, ``format``, a filter, a
    page or its size, a parameter given twice), 404 for a page past the last or a
    record not found, 301 for a record asked by another address (a former slug,
    an identifier, its slug in capitals, a country's other code).

    In the language of ``lang``, as the rest of the description. Errors and
    redirections always in JSON, whatever the format asked (an error is no record
    to save in a spreadsheet: partners.api.ReadOnlyApiMixin.finalize_response;
    cnrs_intl.middleware.moved).
    """

    @property
    def view_action(self) -> str | None:
        """The viewset's action described ("list", "retrieve"); None for a view."""
        return getattr(self.view, "action", None)

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.view_action == "retrieve":
            parameters = [*parameters, LOCATION_HEADER]
        return parameters

    def get_response_serializers(self):
        answer = super().get_response_serializers()
        if self.method != "GET" or isinstance(answer, dict):
            return answer
        responses = {
            200: answer,
            (400, JSON): self.error("InvalidParameters", self.refused()),
        }
        if self.view_action == "retrieve":
            responses[301, JSON] = self.error(
                "Moved",
                _(
                    "The record is asked by another of its addresses: a former "
                    "slug, an identifier or the slug with capitals (a country: its "
                    "code in lower case, another code or its name). Its address "
                    "is in Location."
                ),
            )
            responses[404, JSON] = self.error(
                "Error",
                getattr(self.view, "not_found_description", None)
                or _("No published record has this slug, nor had it."),
            )
        elif self._get_paginator() is not None:
            responses[404, JSON] = self.error(
                "Error", _("The page asked is past the list's last page.")
            )
        return responses

    def refused(self):
        """The 400's description: the parameters this operation refuses."""
        if self.view_action == "list" and self._get_paginator() is not None:
            return _(
                "A parameter is refused: a filter's value it does not take, a page "
                "or page size that is no number in range, lang or format "
                "unknown, or a parameter given twice with different values."
            )
        return _(
            "A parameter is refused: lang or format unknown, or given twice with "
            "different values."
        )

    def error(self, name, description) -> OpenApiResponse:
        """The answer ``name`` (ERROR_SCHEMAS), described as ``description``."""
        self.registry.register_on_missing(
            ResolvedComponent(
                name=name,
                type=ResolvedComponent.SCHEMA,
                schema=ERROR_SCHEMAS[name],
                object=name,
            )
        )
        return OpenApiResponse({"$ref": f"#/components/schemas/{name}"}, description)


# What drf-spectacular writes for a text that may be empty but otherwise has a
# format (a website, an e-mail address): one of the formatted text or "".
EMPTY_TEXT = {"type": "string", "maxLength": 0}


def blank_text_either(result, generator, request, public):
    """Describe a text that is empty or formatted (a URI, an e-mail address) as
    "any of", where drf-spectacular writes "one of" the two.

    "" is a text of at most 500 characters too: a validator that does not check
    formats, as JSON Schema lets them, found both and refused every partner
    without a website.
    """

    def walk(node):
        if isinstance(node, dict):
            branches = node.get("oneOf")
            if isinstance(branches, list) and EMPTY_TEXT in branches:
                node["anyOf"] = node.pop("oneOf")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result
