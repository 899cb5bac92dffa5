"""The Content Security Policies the site sends, as tests expect them.

django-csp writes a policy's directives in an order of its own (they come from a
set), which may differ between processes: a header is compared by its directives.
"""

import base64
import hashlib

SITE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# django-import-export's one event handler, allowed by its hash.
ADMIN_INLINE_HANDLERS = ("onSelectToggleChange(event)",)


def source_hash(source: str) -> str:
    """Return the CSP source allowing the inline script ``source``."""
    digest = hashlib.sha256(source.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


ADMIN_POLICY = {
    **SITE_POLICY,
    "script-src": " ".join(
        ["'self' 'unsafe-hashes'"]
        + [source_hash(handler) for handler in ADMIN_INLINE_HANDLERS]
    ),
    "style-src": "'self' 'unsafe-inline'",
}


def directives(header: str) -> dict[str, str]:
    """Return a Content-Security-Policy header's sources, by directive."""
    policy = {}
    for directive in header.split(";"):
        name, _space, sources = directive.strip().partition(" ")
        assert name not in policy, f"{name} given twice in {header!r}"
        policy[name] = sources
    return policy
