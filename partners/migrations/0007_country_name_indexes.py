"""PostgreSQL: a country's published partners sorted by name, from one index.

Partners by country is the portal's main search. With only the name indexes of
0005, PostgreSQL walked the published partners in name order and kept those of the
country: fast for Brazil, 40 ms for Iceland's few at a million partners. The
expressions are 0005's (``shown_text`` in partners/search.py).
"""

from django.db import migrations

from partners.pg_indexes import postgresql_indexes, shown_name

INDEXES = {
    f"partner_public_country_name_{language}": (
        f"partners_partner (country, {shown_name(f'name_{language}', f'name_{other}')}"
        ", id) WHERE publication_status = 'published'"
    )
    for language, other in (("fr", "en"), ("en", "fr"))
}


class Migration(migrations.Migration):
    dependencies = [("partners", "0006_name_indexes")]

    operations = [postgresql_indexes(INDEXES)]
