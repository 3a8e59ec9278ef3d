"""Seed the region table: Iran's 31 provinces and their main counties (offices.regions_data)."""

from decimal import Decimal

from django.db import migrations


def seed(apps, schema_editor):
    from offices.regions_data import PROVINCES

    Region = apps.get_model("offices", "Region")
    for code, name, name_en, lat, lng, counties in PROVINCES:
        province, _created = Region.objects.update_or_create(
            code=code, defaults={"kind": "province", "name": name, "name_en": name_en,
                                 "latitude": Decimal(str(lat)), "longitude": Decimal(str(lng)), "parent": None},
        )
        for c_code, c_name, c_name_en, c_lat, c_lng in counties:
            Region.objects.update_or_create(
                code=c_code, defaults={"kind": "county", "name": c_name, "name_en": c_name_en, "parent": province,
                                       "latitude": Decimal(str(c_lat)), "longitude": Decimal(str(c_lng))},
            )


class Migration(migrations.Migration):
    dependencies = [("offices", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
