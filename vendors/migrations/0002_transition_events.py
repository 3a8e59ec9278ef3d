"""ShipmentEvent becomes a core TransitionEvent (created_by -> actor, kept; a named
action, filled in for existing rows from their from/to statuses), and warranty claims
get their own event log (ClaimEvent)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


# (from, to) -> the named transition (vendors.machines.SHIPMENT) that made that move.
ACTIONS = {
    ("", "pending"): "place",
    ("pending", "confirmed"): "confirm",
    ("confirmed", "shipped"): "ship",
    ("shipped", "delivered"): "deliver",
    ("pending", "cancelled"): "cancel",
    ("confirmed", "cancelled"): "cancel",
}


def name_actions(apps, schema_editor) -> None:
    ShipmentEvent = apps.get_model("vendors", "ShipmentEvent")
    for (from_status, to_status), action in ACTIONS.items():
        ShipmentEvent.objects.filter(from_status=from_status, to_status=to_status).update(action=action)
    # Logged without moving: the only such event was an installation marked done.
    ShipmentEvent.objects.filter(note__startswith="installation done").update(action="install")
    # An order cancelled as a whole closed its open shipments (actor None, that note).
    ShipmentEvent.objects.filter(to_status="cancelled", actor__isnull=True, note="order cancelled").update(
        action="close"
    )


class Migration(migrations.Migration):

    dependencies = [
        ('vendors', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(
            model_name='shipmentevent',
            old_name='created_by',
            new_name='actor',
        ),
        migrations.AddField(
            model_name='shipmentevent',
            name='action',
            field=models.CharField(default='transition', max_length=40, verbose_name='action'),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='shipmentevent',
            name='created',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='at'),
        ),
        migrations.AlterField(
            model_name='shipmentevent',
            name='from_status',
            field=models.CharField(blank=True, max_length=32, verbose_name='from'),
        ),
        migrations.AlterField(
            model_name='shipmentevent',
            name='to_status',
            field=models.CharField(blank=True, max_length=32, verbose_name='to'),
        ),
        migrations.CreateModel(
            name='ClaimEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(max_length=40, verbose_name='action')),
                ('from_status', models.CharField(blank=True, max_length=32, verbose_name='from')),
                ('to_status', models.CharField(blank=True, max_length=32, verbose_name='to')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('created', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='at')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                ('claim', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='vendors.warrantyclaim', verbose_name='claim')),
            ],
            options={
                'verbose_name': 'claim event',
                'verbose_name_plural': 'claim events',
                'ordering': ('created', 'pk'),
                'abstract': False,
            },
        ),
        # Last, after every schema change to the table (PostgreSQL refuses to alter a table
        # with pending trigger events from rows updated in the same transaction).
        migrations.RunPython(name_actions, migrations.RunPython.noop),
    ]
