"""An index of the partners' slugs, upper-cased, as an address giving a slug in
another case is compared (``slug_in_other_case``: /partners/MIT/ sent to
/partners/mit/), only once the slug as given found nothing: without it, a read of
the million partners. On both databases.
"""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0035_previewed_import_versions'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='partner',
            index=models.Index(django.db.models.functions.text.Upper('slug'), name='partner_slug_upper'),
        ),
    ]
