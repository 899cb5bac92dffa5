"""PostgreSQL: grants' and projects' search text stored, and a table of their words.

What partners got in partners 0010 to 0012, for the same reason: near misses
(a typo, or words no record holds together) compared what was typed with the
whole text of every grant the trigram index offered ("climat arctique": 16,780 of
100,000 grants, each unaccented again and its similarity computed, 340 ms of the
global search). Each typed word is now corrected against the known words of the
grants' (or projects') acronyms and titles, then the records holding the
corrections are found by the ordinary word search (``corrected_search``).

``search_text`` is a generated column, as partners' (the trigram index is built
on it again, under its name); the words tables are filled by row triggers, which
bulk writers defer with ``partners.search_words`` as for partners
(``search_words_added_by_caller``, ``add_search_words``). PostgreSQL refuses to
change the type of a column a generated column reads: a later migration changing
``acronym`` or a title must drop ``search_text`` first (``BACKWARD``) and add it
again after (``FORWARD``), as partners 0010 says.
"""

from django.db import migrations

from partners.pg_indexes import known_words_statements, postgresql_statements

COLUMNS = ("acronym", "title_fr", "title_en")
FORWARD, BACKWARD = [], []
for table, prefix in (("programmes_grant", "grant"), ("programmes_project", "project")):
    forward, backward = known_words_statements(table, prefix, COLUMNS)
    FORWARD += forward
    BACKWARD += backward


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0010_search_documents_hold_titles"),
        ("partners", "0012_search_words_letters_only"),
    ]

    operations = [postgresql_statements(FORWARD, BACKWARD)]
