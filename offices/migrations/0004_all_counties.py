"""Add the rest of Iran's counties (offices.regions_counties) to the region table; the rows
already there keep their codes; Tabas is put under Yazd province."""

from django.db import migrations


def add_counties(apps, schema_editor):
    from offices.regions_counties import add_missing

    add_missing(apps.get_model("offices", "Region"))


class Migration(migrations.Migration):
    dependencies = [("offices", "0003_counter_basket_and_payments")]
    operations = [migrations.RunPython(add_counties, migrations.RunPython.noop)]
