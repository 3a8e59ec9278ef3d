"""A vendor's English name beside Oscar's `name` (its Persian one), issue 15 point 7.

Vendors seeded before this held both in `name` as "Persian | English": they are split."""

from django.db import migrations, models


def split_combined_names(apps, schema_editor) -> None:
    Partner = apps.get_model("partner", "Partner")
    for partner in Partner.objects.filter(name__contains=" | ", name_en=""):
        persian, _sep, english = partner.name.partition(" | ")
        partner.name, partner.name_en = persian.strip(), english.strip()
        partner.save(update_fields=["name", "name_en"])


class Migration(migrations.Migration):

    dependencies = [
        ("partner", "0008_vendor_status_and_stock_constraints"),
    ]

    operations = [
        migrations.AddField(
            model_name="partner",
            name="name_en",
            field=models.CharField(blank=True, max_length=128, verbose_name="Name (English)"),
        ),
        migrations.RunPython(split_combined_names, migrations.RunPython.noop),
    ]
