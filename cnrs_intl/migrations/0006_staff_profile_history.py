"""Staff profiles' history, and a first version of each profile that exists.

Without that version, the first change of a profile could not be reverted: there
would be no version of what it was before.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def record_existing_profiles(apps, schema_editor):
    profiles = apps.get_model("cnrs_intl", "StaffProfile")
    versions = apps.get_model("cnrs_intl", "HistoricalStaffProfile")
    kept = apps.get_model("cnrs_intl", "HistoricalStaffProfile_institutes")
    links = profiles._meta.get_field("institutes").remote_field.through
    now = timezone.now()
    for profile in profiles.objects.order_by("pk"):
        version = versions.objects.create(
            id=profile.pk,
            user_id=profile.user_id,
            office_id=profile.office_id,
            history_date=now,
            history_type="+",
            history_change_reason="Recorded when history began",
            relations_kept=True,
        )
        kept.objects.bulk_create(
            kept(
                history=version,
                id=link.pk,
                staffprofile_id=profile.pk,
                institute_id=link.institute_id,
            )
            for link in links.objects.filter(staffprofile_id=profile.pk)
        )


class Migration(migrations.Migration):

    dependencies = [
        ('cnrs_intl', '0005_key_figure_plausible_years'),
        ('partners', '0021_plausible_years_and_dates'),
        ('units', '0012_orcid_check_digit'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalStaffProfile',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('relations_kept', models.BooleanField(default=False, editable=False, help_text="Whether the version holds the record's relations.")),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('office', models.ForeignKey(blank=True, db_constraint=False, db_index=False, help_text='Office staff change the partners and agreements of the countries this office covers only.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.office', verbose_name='office')),
                ('user', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'historical staff profile',
                'verbose_name_plural': 'historical staff profiles',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalStaffProfile_institutes',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='cnrs_intl.historicalstaffprofile')),
                ('institute', models.ForeignKey(blank=True, db_constraint=False, db_index=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='units.institute')),
                ('staffprofile', models.ForeignKey(blank=True, db_constraint=False, db_index=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cnrs_intl.staffprofile')),
            ],
            options={
                'verbose_name': 'HistoricalStaffProfile_institutes',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(record_existing_profiles, migrations.RunPython.noop),
    ]
