"""PostgreSQL: a table of the words of units' long texts, for "did you mean".

A visitor typing a theme with a slip ("robtique") was offered nothing: the
suggestions knew the words of names, acronyms, codes and cities only (units 0014),
and "Robotique" is a theme. ``units_unit_document_word`` keeps the distinct words
of the descriptions and themes in both languages, folded, with a trigram index,
kept up to date by row triggers that bulk writers defer as they defer the others
(``document_words_statements``, ``search_words_added_by_caller``).
"""

from django.db import migrations

from partners.pg_indexes import document_words_statements, postgresql_statements

COLUMNS = ("description_fr", "description_en", "themes_fr", "themes_en")
FORWARD, BACKWARD = document_words_statements("units_unit", COLUMNS)


class Migration(migrations.Migration):
    dependencies = [("units", "0022_umifre_kind_label")]

    operations = [postgresql_statements(FORWARD, BACKWARD)]
