"""The publication status of partners, offices and agreements, indexed by a plain index
alone. On PostgreSQL a text column with db_index has a second index, for LIKE
'prefix%' (varchar_pattern_ops), that no query of a status makes and every record
written maintained (the ROR import writes a million partners). On PostgreSQL writes
to the tables wait while the new indexes are built (seconds at a million partners):
migrate at a quiet hour. SQLite, which had no second index, remakes the tables, as
it does for any change of a field.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0032_partner_indexes_no_query_reads'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='agreement',
            index=models.Index(fields=['publication_status'], name='agreement_publication'),
        ),
        migrations.AddIndex(
            model_name='office',
            index=models.Index(fields=['publication_status'], name='office_publication'),
        ),
        migrations.AddIndex(
            model_name='partner',
            index=models.Index(fields=['publication_status'], name='partner_publication'),
        ),
        migrations.AlterField(
            model_name='agreement',
            name='publication_status',
            field=models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', help_text='Visitors see published records only; staff may preview drafts.', max_length=10, verbose_name='publication status'),
        ),
        migrations.AlterField(
            model_name='office',
            name='publication_status',
            field=models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', help_text='Visitors see published records only; staff may preview drafts.', max_length=10, verbose_name='publication status'),
        ),
        migrations.AlterField(
            model_name='partner',
            name='publication_status',
            field=models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', help_text='Visitors see published records only; staff may preview drafts.', max_length=10, verbose_name='publication status'),
        ),
    ]
