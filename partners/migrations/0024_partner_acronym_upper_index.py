"""An index of the partners' acronyms, upper-cased, as a search compares them.

A kind or region named alone has its best matches read rank by rank
(``BestMatchTiers``, partners/searchable.py), the first rank being the acronyms
typed whole ("UPPER(acronym) = UPPER('…')"): without it, a read of the million
partners. On both databases.
"""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0023_partner_public_country_index'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='partner',
            index=models.Index(django.db.models.functions.text.Upper('acronym'), name='partner_acronym_upper'),
        ),
    ]
