"""PostgreSQL: the indexes of partners' shown names hold drafts too.

0013's indexes of the names as shown (``shown_name_fr``, ``shown_name_en``) held
published partners only, for the public lists. The admin's partner pickers suggest
names starting with what staff type (``PartnerQuerySet.named_starting_with``),
drafts included: without an index they read the whole table (0.5 to 0.7 s a
keystroke at a million partners). Indexes of every partner serve both: public
queries skip the drafts met on the way, few beside the published. Replaced rather
than added, so that imports maintain no more indexes than before; the new ones are
made before the old ones go.
"""

from django.db import migrations

from partners.pg_indexes import postgresql_statements

LANGUAGES = ("fr", "en")
PUBLISHED = "WHERE publication_status = 'published'"

FORWARD = []
BACKWARD = []
for language in LANGUAGES:
    FORWARD += [
        f"CREATE INDEX IF NOT EXISTS partner_shown_name_{language} "
        f"ON partners_partner (shown_name_{language}, id)",
        f"DROP INDEX IF EXISTS partner_public_name_{language}",
    ]
    BACKWARD += [
        f"CREATE INDEX IF NOT EXISTS partner_public_name_{language} "
        f"ON partners_partner (shown_name_{language}, id) {PUBLISHED}",
        f"DROP INDEX IF EXISTS partner_shown_name_{language}",
    ]


class Migration(migrations.Migration):
    dependencies = [("partners", "0018_previewed_import")]

    operations = [postgresql_statements(FORWARD, BACKWARD)]
