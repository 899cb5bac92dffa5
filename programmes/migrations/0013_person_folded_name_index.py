"""The grant list sorted by laureate: people by their folded names, on PostgreSQL.

The list sorts by the laureate's last then first name, accents and case ignored
(``laureate_name`` in programmes/filters.py, ``Fold`` in partners/search.py):
without an index of that very expression PostgreSQL folded and sorted the names of
all 95,000 people for each page, 0.3 s at 100,000 grants; along it, a page's
laureates are the first people of the index (under 10 ms). People are units'
records; the order is the grant list's, hence here.
"""

from django.db import migrations

from partners.pg_indexes import postgresql_indexes

INDEXES = {
    "person_folded_name": (
        "units_person (lower(immutable_unaccent(last_name)), "
        "lower(immutable_unaccent(first_name)))"
    ),
}


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0012_participant_partner_country"),
        ("units", "0014_unit_search_words"),
    ]

    operations = [postgresql_indexes(INDEXES)]
