"""The admin's search of people: names and titles, on PostgreSQL (see 0003).

PersonAdmin searches the names and both titles; person_search_trgm (0003) holds the
names only, the laureates' search, so the admin's search read every person: 0.36 s
at 95,000 people.
"""

from django.db import migrations

from partners.pg_indexes import postgresql_indexes, search_text

INDEXES = {
    "person_admin_search_trgm": "units_person USING gin ({} gin_trgm_ops)".format(
        search_text("last_name", "first_name", "title_fr", "title_en")
    ),
}


class Migration(migrations.Migration):
    dependencies = [("units", "0009_website_http_only")]

    operations = [postgresql_indexes(INDEXES)]
