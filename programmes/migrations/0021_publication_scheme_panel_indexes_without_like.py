"""The publication status of programmes, grants and projects, and a grant's scheme and
ERC panel, indexed by a plain index alone. On PostgreSQL a text column with db_index
has a second index, for LIKE 'prefix%' (varchar_pattern_ops), that no query of a
status, a scheme or a panel makes and every record written maintained (the ROR
import writes a million partners). On PostgreSQL writes to the tables wait while the
new indexes are built (seconds at a million partners): migrate at a quiet hour.
SQLite, which had no second index, remakes the tables, as it does for any change of
a field.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0033_publication_index_without_like'),
        ('programmes', '0020_grant_list_order_by_id'),
        ('units', '0020_publication_country_indexes_without_like'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='grant',
            index=models.Index(fields=['publication_status'], name='grant_publication'),
        ),
        migrations.AddIndex(
            model_name='grant',
            index=models.Index(fields=['scheme'], name='grant_scheme'),
        ),
        migrations.AddIndex(
            model_name='grant',
            index=models.Index(fields=['panel'], name='grant_panel'),
        ),
        migrations.AddIndex(
            model_name='programme',
            index=models.Index(fields=['publication_status'], name='programme_publication'),
        ),
        migrations.AddIndex(
            model_name='project',
            index=models.Index(fields=['publication_status'], name='project_publication'),
        ),
        migrations.AlterField(
            model_name='grant',
            name='panel',
            field=models.CharField(blank=True, choices=[('PE1', 'PE1 Mathematics'), ('PE2', 'PE2 Fundamental constituents of matter'), ('PE3', 'PE3 Condensed matter physics'), ('PE4', 'PE4 Physical and analytical chemical sciences'), ('PE5', 'PE5 Synthetic chemistry and materials'), ('PE6', 'PE6 Computer science and informatics'), ('PE7', 'PE7 Systems and communication engineering'), ('PE8', 'PE8 Products and processes engineering'), ('PE9', 'PE9 Universe sciences'), ('PE10', 'PE10 Earth system science'), ('PE11', 'PE11 Materials engineering'), ('LS1', 'LS1 Molecules of life'), ('LS2', 'LS2 Integrative biology'), ('LS3', 'LS3 Cell biology, development and regeneration'), ('LS4', 'LS4 Physiology in health, disease and ageing'), ('LS5', 'LS5 Neuroscience and disorders of the nervous system'), ('LS6', 'LS6 Immunity, infection and immunotherapy'), ('LS7', 'LS7 Prevention, diagnosis and treatment of human diseases'), ('LS8', 'LS8 Environmental biology, ecology and evolution'), ('LS9', 'LS9 Biotechnology and biosystems engineering'), ('SH1', 'SH1 Individuals, markets and organisations'), ('SH2', 'SH2 Institutions, governance and legal systems'), ('SH3', 'SH3 The social world and its interactions'), ('SH4', 'SH4 The human mind and its complexity'), ('SH5', 'SH5 Texts and concepts'), ('SH6', 'SH6 The study of the human past'), ('SH7', 'SH7 Human mobility, environment and space'), ('SH8', 'SH8 Studies of cultures and arts')], max_length=5, verbose_name='ERC panel'),
        ),
        migrations.AlterField(
            model_name='grant',
            name='publication_status',
            field=models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', help_text='Visitors see published records only; staff may preview drafts.', max_length=10, verbose_name='publication status'),
        ),
        migrations.AlterField(
            model_name='grant',
            name='scheme',
            field=models.CharField(choices=[('erc_stg', 'ERC Starting Grant (StG)'), ('erc_cog', 'ERC Consolidator Grant (CoG)'), ('erc_adg', 'ERC Advanced Grant (AdG)'), ('erc_syg', 'ERC Synergy Grant (SyG)'), ('erc_poc', 'ERC Proof of Concept (PoC)'), ('msca_pf', 'MSCA Postdoctoral Fellowship (PF)'), ('msca_if', 'MSCA Individual Fellowship (IF, former name of PF)'), ('msca_dn', 'MSCA Doctoral Network (DN)'), ('msca_itn', 'MSCA Innovative Training Network (ITN, former name of DN)'), ('msca_se', 'MSCA Staff Exchanges (SE)'), ('msca_rise', 'MSCA RISE (former name of Staff Exchanges)'), ('msca_cofund', 'MSCA COFUND')], max_length=20, verbose_name='scheme'),
        ),
        migrations.AlterField(
            model_name='programme',
            name='publication_status',
            field=models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', help_text='Visitors see published records only; staff may preview drafts.', max_length=10, verbose_name='publication status'),
        ),
        migrations.AlterField(
            model_name='project',
            name='publication_status',
            field=models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', help_text='Visitors see published records only; staff may preview drafts.', max_length=10, verbose_name='publication status'),
        ),
    ]
