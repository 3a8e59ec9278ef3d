from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("services_catalog", "0011_provider_job_list_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="job",
            name="job_provider_day_slot",
        ),
        migrations.AddIndex(
            model_name="job",
            index=models.Index(
                fields=["provider", "preferred_date", "slot", "id", "status"], name="job_provider_agenda"
            ),
        ),
        migrations.RemoveIndex(
            model_name="job",
            name="services_ca_custome_507dd7_idx",
        ),
        migrations.AddIndex(
            model_name="job",
            index=models.Index(fields=["customer", "-created", "-id"], name="job_customer_newest"),
        ),
    ]
