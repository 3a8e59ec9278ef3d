"""Every role's group with its named permissions, so a fresh production database has
them without the demo seed. core.apps re-syncs after each migrate (abilities added later,
and other apps' permissions that exist only after their own post_migrate)."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from core.permissions import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
