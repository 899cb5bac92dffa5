"""What the data API's tests share: its lists, an answer read, a request's queries."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

# Every list of the data API, in its index's order.
API_LISTS = [
    "/api/partners/",
    "/api/offices/",
    "/api/units/",
    "/api/institutes/",
    "/api/programmes/",
    "/api/grants/",
    "/api/projects/",
    "/api/countries/",
    "/api/key-figures/",
]


def get(client, path, query=None, status=200):
    """Return the JSON answer to ``path``, asserting its status."""
    response = client.get(path, query or {})
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def links(response) -> dict[str, str]:
    """Return the addresses of a response's Link header (RFC 8288), by relation."""
    found = {}
    for link in filter(None, response.get("Link", "").split(", ")):
        address, relation = re.fullmatch(r'<([^>]*)>; rel="([a-z-]+)"', link).groups()
        found[relation] = address
    return found


def queries_for(client, path, query=None) -> int:
    """Return how many queries a successful request of ``path`` runs."""
    with CaptureQueriesContext(connection) as queries:
        get(client, path, query)
    return len(queries)


def as_json_schema(node):
    """Return an OpenAPI 3.0 schema as the JSON Schema (draft 4) it stands for.

    ``nullable: true`` becomes "or null", which JSON Schema writes otherwise; an
    object lists all its properties (``additionalProperties: false``), so that a
    field the API gives but does not describe fails too.
    """
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {
        key: (
            {name: as_json_schema(value) for name, value in node[key].items()}
            if key in ("properties", "schemas")
            else as_json_schema(value)
        )
        for key, value in node.items()
        if key != "nullable"
    }
    if "properties" in node:
        converted.setdefault("additionalProperties", False)
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def schema_errors(schema, path, answer, status=200) -> list[str]:
    """Return what in the JSON ``answer`` of ``path`` (as the OpenAPI ``schema``
    names it: "/api/partners/{slug}/") its ``status``'s description does not
    allow, [] when it all does."""
    # drf-spectacular ships jsonschema: it validates the descriptions it writes.
    from jsonschema import Draft4Validator

    response = schema["paths"][path]["get"]["responses"][str(status)]
    described = response["content"]["application/json"]["schema"]
    root = {
        **as_json_schema(described),
        "components": as_json_schema(schema["components"]),
    }
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in Draft4Validator(root).iter_errors(answer)
    ]
