"""PostgreSQL's plans of queries, for the tests proving that indexes are read."""

from django.db import connection


def plan(queryset, ordered: bool = False, incremental: bool = False) -> str:
    """EXPLAIN ``queryset``; ``ordered``: whether an index gives its order, or
    with ``incremental``, its first keys (an incremental sort breaking the ties
    by id).

    Sequential scans are off: on a test's few rows the planner would rightly read
    the table instead of any index.
    """
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if ordered:
            # On a few rows any index then a sort costs the same as the ordered
            # index: without this, which one the planner takes depends on the
            # statistics earlier tests left.
            cursor.execute("SET LOCAL enable_sort = off")
            if not incremental:
                cursor.execute("SET LOCAL enable_incremental_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())
