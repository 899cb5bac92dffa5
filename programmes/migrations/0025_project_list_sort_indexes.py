"""PostgreSQL: the public project list sorted by title, start or end date reads an
index.

The list sorts by the title shown in the active language, folded (0015's stored
``shown_title_fr`` and ``shown_title_en``, ``project_title`` in
programmes/filters.py), or by a date, unknown dates last either way
(``StableOrderingFilter.sort_terms``), then by id. No index held these orders: at
20,000 projects PostgreSQL read and sorted all of them for each page (35 ms),
where along these a page is its first rows (under 0.1 ms). A descending title is
the title's index read backwards, each title's few projects sorted by id; a
descending date, unknown last, is an index of its own (read backwards, the
ascending one gives the unknown first). Published projects only, as only the
public list sorts so.

A year chosen (``running_in``), a page is still read along its order's index,
each project's other date tested: under 1 ms for most years and orders, 20 to
40 ms at worst (the projects of the last years, earliest start first), where
finding a year's projects and then sorting them took 25 to 50 ms for the years
most projects run in.
"""

from django.db import migrations

from partners.pg_indexes import postgresql_statements

PUBLISHED = "WHERE publication_status = 'published'"
INDEXES = {
    "project_public_title_fr": "shown_title_fr, id",
    "project_public_title_en": "shown_title_en, id",
    "project_public_start": "start_date, id",
    "project_public_start_desc": "start_date DESC NULLS LAST, id",
    "project_public_end": "end_date, id",
    "project_public_end_desc": "end_date DESC NULLS LAST, id",
}

FORWARD = [
    f"CREATE INDEX IF NOT EXISTS {name} ON programmes_project ({columns}) {PUBLISHED}"
    for name, columns in INDEXES.items()
]
BACKWARD = [f"DROP INDEX IF EXISTS {name}" for name in INDEXES]


class Migration(migrations.Migration):
    dependencies = [("programmes", "0024_grant_project_document_words")]

    operations = [postgresql_statements(FORWARD, BACKWARD)]
