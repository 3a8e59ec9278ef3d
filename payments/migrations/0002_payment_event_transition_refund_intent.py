"""PaymentEvent becomes a core.models.TransitionEvent (kind -> action, created_by -> actor:
renamed, so every history row survives), and a refund is written as a pending intent
before Stripe is called (status, idempotency key; existing refunds are done)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("payments", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="paymentevent", old_name="kind", new_name="action"),
        migrations.RenameField(model_name="paymentevent", old_name="created_by", new_name="actor"),
        migrations.AlterField(
            model_name="paymentevent",
            name="action",
            field=models.CharField(max_length=40, verbose_name="action"),
        ),
        migrations.AlterField(
            model_name="paymentevent",
            name="actor",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                to=settings.AUTH_USER_MODEL, verbose_name="by",
            ),
        ),
        migrations.AlterField(
            model_name="paymentevent",
            name="from_status",
            field=models.CharField(blank=True, max_length=32, verbose_name="from"),
        ),
        migrations.AlterField(
            model_name="paymentevent",
            name="to_status",
            field=models.CharField(blank=True, max_length=32, verbose_name="to"),
        ),
        migrations.AlterField(
            model_name="paymentevent",
            name="note",
            field=models.TextField(blank=True, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="paymentevent",
            name="created",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="at"),
        ),
        migrations.AlterModelOptions(
            name="paymentevent",
            options={"ordering": ("created", "pk"), "verbose_name": "payment event",
                     "verbose_name_plural": "payment events"},
        ),
        migrations.AddField(
            model_name="paymentrefund",
            name="status",
            field=models.CharField(
                choices=[("pending", "Being sent to Stripe"), ("done", "Refunded")], default="done",
                max_length=10, verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="paymentrefund",
            name="idempotency_key",
            field=models.CharField(blank=True, max_length=160, null=True, unique=True),
        ),
    ]
