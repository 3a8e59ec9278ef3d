"""Seed the region table: Iran's 31 provinces and their main counties (offices.regions_data)."""

from django.db import migrations


def seed(apps, schema_editor):
    from offices.regions_data import seed as seed_regions

    seed_regions(apps.get_model("offices", "Region"))


class Migration(migrations.Migration):
    dependencies = [("offices", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
