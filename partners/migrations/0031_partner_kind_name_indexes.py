"""PostgreSQL: the partners of a kind read in the order of their names as shown.

The public list filtered by a kind ("?kind=university") is sorted by name: PostgreSQL
walked the index of the names as shown (``shown_name_fr``, 0019), skipping every
partner of another kind, until it had a page. Names of a kind gather where their
kind's word sorts ("Université …", "Institut …"): at a million generated partners the
French list of universities skipped 160,000 rows (0.26 s), "other" 0.6 s. These
indexes, of every partner (the admin's kind filter reads them too), give the page
directly; the global search's kinds named alone ("universités") read them as well.
They replace the index of the kind alone, whose queries they serve, so that imports
maintain one index more, not two; made before it goes. SQLite, for the demo, keeps
no index of the kind.
"""

from django.db import migrations

from partners.pg_indexes import postgresql_statements

LANGUAGES = ("fr", "en")

FORWARD = [
    f"CREATE INDEX IF NOT EXISTS partner_kind_name_{language} "
    f"ON partners_partner (kind, shown_name_{language}, id)"
    for language in LANGUAGES
]
BACKWARD = [
    f"DROP INDEX IF EXISTS partner_kind_name_{language}" for language in LANGUAGES
]


class Migration(migrations.Migration):
    dependencies = [("partners", "0030_former_slugs")]

    operations = [
        postgresql_statements(FORWARD, BACKWARD),
        migrations.RemoveIndex(model_name="partner", name="partner_kind"),
    ]
