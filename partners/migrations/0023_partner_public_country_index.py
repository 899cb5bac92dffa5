"""The published partners per country counted from an index of their countries alone.

``PartnerQuerySet.public_country_counts``, once per content version, for the countries'
activity, the partner list's choices and count, and the home page's count: PostgreSQL
read the table (a parallel scan, 250 ms at a million partners) or a wider index; from
this one, 100 ms. On both databases (SQLite has partial indexes too).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0022_partner_city_order_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="partner",
            index=models.Index(
                condition=models.Q(("publication_status", "published")),
                fields=["country"],
                name="partner_public_country",
            ),
        ),
    ]
