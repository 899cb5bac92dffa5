"""The global search's groups, for the tests reading them."""


def by_key(groups) -> dict:
    """Return the groups of ``global_search`` by their key ("units", "grants")."""
    return {group.key: group for group in groups}
