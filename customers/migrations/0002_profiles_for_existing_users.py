"""Give every account that existed before this app its profile and subscription code (A6).

Self-contained (no import of app code): the code alphabet is copied here as it was when
this migration was written.
"""

import secrets

from django.conf import settings
from django.db import migrations

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
BATCH = 1000


def create_missing_profiles(apps, schema_editor):
    app_label, model_name = settings.AUTH_USER_MODEL.split(".")
    User = apps.get_model(app_label, model_name)
    CustomerProfile = apps.get_model("customers", "CustomerProfile")
    taken = set(CustomerProfile.objects.values_list("subscription_code", flat=True))
    missing = User.objects.filter(profile__isnull=True).order_by("pk").values_list("pk", flat=True)
    batch = []
    for user_id in missing.iterator():
        code = None
        while code is None or code in taken:
            code = "CH-" + "".join(secrets.choice(CODE_ALPHABET) for _position in range(6))
        taken.add(code)
        batch.append(
            CustomerProfile(user_id=user_id, subscription_code=code, tier="registered", preferred_language="fa")
        )
        if len(batch) >= BATCH:
            CustomerProfile.objects.bulk_create(batch)
            batch = []
    if batch:
        CustomerProfile.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(create_missing_profiles, migrations.RunPython.noop)]
