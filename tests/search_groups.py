"""The global search's groups and a list's rows, for the tests reading them."""


def by_key(groups) -> dict:
    """Return the groups of ``global_search`` by their key ("units", "grants")."""
    return {group.key: group for group in groups}


def shown_order(client, address, data) -> list:
    """Return the records the list at ``address`` shows for ``data``, in order."""
    response = client.get(address, data)
    assert response.status_code == 200
    return list(response.context["object_list"])
