"""Seed the support calendar (standard week), the time targets, and the Solar Hijri fixed
holidays of 1404–1407 (2025–2029). Staff change all of them in the admin."""

import datetime

import jdatetime
from django.db import migrations

FIXED = ((1, 1), (1, 2), (1, 3), (1, 4), (1, 12), (1, 13), (3, 14), (3, 15), (11, 22), (12, 29))
NAMES = {(1, 12): "روز جمهوری اسلامی", (1, 13): "روز طبیعت", (3, 14): "رحلت امام خمینی",
         (3, 15): "قیام ۱۵ خرداد", (11, 22): "پیروزی انقلاب اسلامی", (12, 29): "ملی شدن صنعت نفت"}
TARGETS = {"urgent": (30, 240), "high": (60, 480), "normal": (120, 960), "low": (240, 1920)}


def seed(apps, schema_editor):
    Holiday = apps.get_model("support", "Holiday")
    for year in range(1404, 1408):
        for month, day in FIXED:
            try:
                date = jdatetime.date(year, month, day).togregorian()
            except ValueError:
                continue
            Holiday.objects.get_or_create(date=date, defaults={"name": NAMES.get((month, day), "نوروز"), "kind": "solar"})
    PriorityTarget = apps.get_model("support", "PriorityTarget")
    for priority, (response, resolution) in TARGETS.items():
        PriorityTarget.objects.get_or_create(priority=priority, defaults={
            "first_response_minutes": response, "resolution_minutes": resolution})
    SupportCalendar = apps.get_model("support", "SupportCalendar")
    WeeklyHours = apps.get_model("support", "WeeklyHours")
    if not SupportCalendar.objects.exists():
        calendar = SupportCalendar.objects.create(name="Standard week", valid_from=datetime.date(2025, 1, 1),
                                                  phone="021-9100 4000")
        for weekday in (5, 6, 0, 1, 2):
            WeeklyHours.objects.create(calendar=calendar, weekday=weekday, opens=datetime.time(8),
                                       closes=datetime.time(17))
        WeeklyHours.objects.create(calendar=calendar, weekday=3, opens=datetime.time(8), closes=datetime.time(13))


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
