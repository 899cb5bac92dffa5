"""The publication status of units and testimonies, and a unit's country, indexed by a
plain index alone. On PostgreSQL a text column with db_index has a second index, for
LIKE 'prefix%' (varchar_pattern_ops), that no query of a status or a country makes
and every record written maintained (the ROR import writes a million partners). On
PostgreSQL writes to the tables wait while the new indexes are built (seconds at a
million partners): migrate at a quiet hour. SQLite, which had no second index,
remakes the tables, as it does for any change of a field.
"""

import django_countries.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0033_publication_index_without_like'),
        ('units', '0019_unit_created_next_year_at_the_latest'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='testimony',
            index=models.Index(fields=['publication_status'], name='testimony_publication'),
        ),
        migrations.AddIndex(
            model_name='unit',
            index=models.Index(fields=['publication_status'], name='unit_publication'),
        ),
        migrations.AddIndex(
            model_name='unit',
            index=models.Index(fields=['country'], name='unit_country'),
        ),
        migrations.AlterField(
            model_name='testimony',
            name='publication_status',
            field=models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', help_text='Visitors see published records only; staff may preview drafts.', max_length=10, verbose_name='publication status'),
        ),
        migrations.AlterField(
            model_name='unit',
            name='country',
            field=django_countries.fields.CountryField(max_length=2, verbose_name='country'),
        ),
        migrations.AlterField(
            model_name='unit',
            name='publication_status',
            field=models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', help_text='Visitors see published records only; staff may preview drafts.', max_length=10, verbose_name='publication status'),
        ),
    ]
