"""PostgreSQL: people's names stored folded, and a table of their words.

Units are searched by their director's name and grants by their laureate's
(``related_text_fields``), but a typo in a name found nothing: near misses corrected
the typed words against the units' or grants' own words only. People now get what
units got in 0014 (``known_words_statements``): ``search_text``, their first and
last names folded, a generated column the laureates' trigram index
(``person_search_trgm``, 0003) is built on again, and ``units_person_search_word``,
the words of those names, kept by row triggers that bulk writers defer
(``generate_data``). "Lovlace" is then corrected to "lovelace" and finds Ada
Lovelace's grants. Changing ``first_name`` or ``last_name`` later needs
``search_text`` dropped first, as partners 0010 says.
"""

from django.db import migrations

from partners.pg_indexes import known_words_statements, postgresql_statements

COLUMNS = ("first_name", "last_name")
FORWARD, BACKWARD = known_words_statements("units_person", "person", COLUMNS)


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0015_unit_shown_name_columns"),
        ("partners", "0012_search_words_letters_only"),
    ]

    operations = [postgresql_statements(FORWARD, BACKWARD)]
