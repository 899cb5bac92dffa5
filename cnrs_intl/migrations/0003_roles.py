from django.db import migrations


def create_roles(apps, schema_editor):
    from partners.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cnrs_intl", "0002_staff_profile"),
        ("partners", "0002_postgresql_extensions"),
        ("units", "0001_initial"),
        ("programmes", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
