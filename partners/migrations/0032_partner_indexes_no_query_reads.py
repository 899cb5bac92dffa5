"""Two indexes of the partners that no query reads, which every partner written
maintained (74 and 83 MB at a million partners).

- A partner's slug is unique by a constraint rather than ``unique=True``: on
  PostgreSQL a unique ``SlugField`` has a second index, for ``LIKE 'prefix%'``
  (``varchar_pattern_ops``). The constraint keeps the unique index alone, made
  before the field's own go, so that the slug is never without one. Staff see the
  same error for a slug another partner has (a unique check).
- The index of ``name``: modeltranslation reads and sorts the name of the active
  language (``name_fr``, ``name_en``), whose indexes it had made from this one
  (0006); they stay, now named in the model.

They make room for 0031's indexes of the kind and name, which the ROR import also
maintains.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("partners", "0031_partner_kind_name_indexes")]

    operations = [
        migrations.AddConstraint(
            model_name="partner",
            constraint=models.UniqueConstraint(
                fields=("slug",), name="partner_unique_slug"
            ),
        ),
        migrations.AlterField(
            model_name="partner",
            name="slug",
            field=models.SlugField(db_index=False, max_length=255, verbose_name="slug"),
        ),
        migrations.RemoveIndex(model_name="partner", name="partner_name"),
    ]
