"""PostgreSQL: units' search text stored, and a table of their words.

As grants and projects got in programmes 0011 (``known_words_statements``): near
misses correct each typed word against the words of the units' names, acronyms,
codes and cities before the ordinary word search, as for every other big kind,
and the global search suggests corrections from them too ("robotiqe" → "robotique",
which only a unit's name may hold). Changing one of ``COLUMNS`` later needs
``search_text`` dropped first, as partners 0010 says.
"""

from django.db import migrations

from partners.pg_indexes import known_words_statements, postgresql_statements

COLUMNS = ("name_fr", "name_en", "acronym", "code", "city_fr", "city_en")
FORWARD, BACKWARD = known_words_statements("units_unit", "unit", COLUMNS)


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0013_search_documents_hold_names"),
        ("partners", "0012_search_words_letters_only"),
    ]

    operations = [postgresql_statements(FORWARD, BACKWARD)]
