from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="StaffAbility",
            fields=[("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"))],
            options={"verbose_name": "staff ability", "verbose_name_plural": "staff abilities",
                     "managed": False, "default_permissions": ()},
        ),
    ]
