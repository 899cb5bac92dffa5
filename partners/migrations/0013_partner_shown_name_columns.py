"""PostgreSQL: partners' names as shown, folded, stored in generated columns, indexed.

Lists sort partners by the name shown in the active language, folded
(``shown_text``): the first of ``name_fr`` and ``name_en`` not empty, for French,
the other way round for English. The indexes of 0005 and 0007 hold that expression,
and serve lists read in their order; but a search's matches are sorted once found
(``NotFromIndex``), computing it for each: for the 350,000 partners holding
"universite" at a million, 1.9 of the query's 2.3 s (one core). Stored once per
write, the sort reads it (``STORED_SHOWN_TEXT`` in partners/search.py, which
``ShownText`` compiles to). The indexes are made again on the columns, under their
names. Like 0010's ``search_text``, these are PostgreSQL's columns, not Django
fields; and PostgreSQL refuses to change the type of ``name_fr`` or ``name_en``
while they exist: a migration doing so runs ``BACKWARD`` before and ``FORWARD``
after (``postgresql_statements``).
"""

from django.db import migrations

from partners.pg_indexes import postgresql_statements, shown_name

PUBLISHED = "WHERE publication_status = 'published'"
ORDERS = (("fr", "en"), ("en", "fr"))

FORWARD = [
    "ALTER TABLE partners_partner "
    + ", ".join(
        f"ADD COLUMN shown_name_{language} text GENERATED ALWAYS AS "
        f"({shown_name(f'name_{language}', f'name_{other}')}) STORED"
        for language, other in ORDERS
    ),
]
BACKWARD = []
for language, other in ORDERS:
    expression = shown_name(f"name_{language}", f"name_{other}")
    FORWARD += [
        f"DROP INDEX IF EXISTS partner_public_name_{language}",
        f"CREATE INDEX partner_public_name_{language} ON partners_partner "
        f"(shown_name_{language}, id) {PUBLISHED}",
        f"DROP INDEX IF EXISTS partner_public_country_name_{language}",
        f"CREATE INDEX partner_public_country_name_{language} ON partners_partner "
        f"(country, shown_name_{language}, id) {PUBLISHED}",
    ]
    BACKWARD += [
        f"DROP INDEX IF EXISTS partner_public_name_{language}",
        f"DROP INDEX IF EXISTS partner_public_country_name_{language}",
        f"ALTER TABLE partners_partner DROP COLUMN IF EXISTS shown_name_{language}",
        f"CREATE INDEX partner_public_name_{language} ON partners_partner "
        f"({expression}, id) {PUBLISHED}",
        f"CREATE INDEX partner_public_country_name_{language} ON partners_partner "
        f"(country, {expression}, id) {PUBLISHED}",
    ]


class Migration(migrations.Migration):
    dependencies = [("partners", "0012_search_words_letters_only")]

    operations = [postgresql_statements(FORWARD, BACKWARD)]
