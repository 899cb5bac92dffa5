"""What the data API's tests share: read an answer, count a request's queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def get(client, path, query=None, status=200):
    """Return the JSON answer to ``path``, asserting its status."""
    response = client.get(path, query or {})
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def queries_for(client, path, query=None) -> int:
    """Return how many queries a successful request of ``path`` runs."""
    with CaptureQueriesContext(connection) as queries:
        get(client, path, query)
    return len(queries)
