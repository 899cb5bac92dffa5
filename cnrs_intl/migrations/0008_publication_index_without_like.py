"""The key figures' publication status, indexed by a plain index alone. On PostgreSQL a
text column with db_index has a second index, for LIKE 'prefix%'
(varchar_pattern_ops), that no query of a status makes and every record written
maintained (the ROR import writes a million partners). On PostgreSQL writes to the
tables wait while the new indexes are built (seconds at a million partners): migrate
at a quiet hour. SQLite, which had no second index, remakes the tables, as it does
for any change of a field.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cnrs_intl', '0007_key_figure_year_validated_since_1939'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='keyfigure',
            index=models.Index(fields=['publication_status'], name='keyfigure_publication'),
        ),
        migrations.AlterField(
            model_name='keyfigure',
            name='publication_status',
            field=models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', help_text='Visitors see published records only; staff may preview drafts.', max_length=10, verbose_name='publication status'),
        ),
    ]
