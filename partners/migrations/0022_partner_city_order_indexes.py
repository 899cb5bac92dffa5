"""PostgreSQL: the public partner list sorted by city reads an index.

The list sorts by the city shown in the active language, folded, then by the name
shown (``PartnerQuerySet.order_by_city``). No index held that order: at a million
partners PostgreSQL read and sorted all of them for each page (0.9 s). Published
partners only, as only the public list sorts so; the city as ``shown_text`` builds
it (partners.pg_indexes.shown_name), then 0013's stored names. Within a country the
country index and a sort of its partners serve (60 ms for the largest).
"""

from django.db import migrations

from partners.pg_indexes import postgresql_statements, shown_name

PUBLISHED = "WHERE publication_status = 'published'"
ORDERS = (("fr", "en"), ("en", "fr"))

FORWARD = []
BACKWARD = []
for language, other in ORDERS:
    city = shown_name(f"city_{language}", f"city_{other}")
    FORWARD += [
        f"CREATE INDEX IF NOT EXISTS partner_public_city_{language} "
        f"ON partners_partner ({city}, shown_name_{language}, id) {PUBLISHED}",
        f"CREATE INDEX IF NOT EXISTS partner_public_country_city_{language} "
        f"ON partners_partner (country, {city}, shown_name_{language}, id) {PUBLISHED}",
    ]
    BACKWARD += [
        f"DROP INDEX IF EXISTS partner_public_city_{language}",
        f"DROP INDEX IF EXISTS partner_public_country_city_{language}",
    ]


class Migration(migrations.Migration):
    dependencies = [("partners", "0021_plausible_years_and_dates")]

    operations = [postgresql_statements(FORWARD, BACKWARD)]
