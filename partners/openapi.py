"""The data API's OpenAPI description (drf-spectacular): what it cannot infer from
the views and serializers (SPECTACULAR_SETTINGS and REST_FRAMEWORK's
DEFAULT_SCHEMA_CLASS name these)."""

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
