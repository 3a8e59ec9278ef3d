"""The support calendar (T3, T5, A4): weekly staffed hours in effect from a date, holidays,
and the time targets of each priority. One place for office hours: the help centre, the
contact page and the chat button read it (support.selectors.office_hours)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Weekday(models.IntegerChoices):
    """Python's numbering, listed in the Iranian order (Saturday first)."""

    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")


class SupportCalendar(models.Model):
    """A version of the staffed hours, in effect from `valid_from` until the next version."""

    name = models.CharField(_("name"), max_length=100)
    valid_from = models.DateField(_("in effect from"), unique=True)
    phone = models.CharField(_("support phone line"), max_length=30, blank=True)
    note = models.CharField(_("note shown with the hours"), max_length=200, blank=True)

    class Meta:
        ordering = ("valid_from",)
        verbose_name = _("support calendar")
        verbose_name_plural = _("support calendars")

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from})"


class WeeklyHours(models.Model):
    calendar = models.ForeignKey(
        SupportCalendar, on_delete=models.CASCADE, related_name="hours", verbose_name=_("calendar"),
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ("calendar", "weekday", "opens")
        verbose_name = _("staffed hours")
        verbose_name_plural = _("staffed hours")

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.closes <= self.opens:
            raise ValidationError(_("The closing time must come after the opening time."))


class Holiday(models.Model):
    class Kind(models.TextChoices):
        SOLAR = "solar", _("Fixed (Solar Hijri)")
        LUNAR = "lunar", _("Lunar (entered by staff)")
        OTHER = "other", _("Other day off")

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OTHER)

    class Meta:
        ordering = ("date",)
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class PriorityTarget(models.Model):
    """T3: the first-response and resolution targets of a priority, in business minutes."""

    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, unique=True)
    first_response_minutes = models.PositiveIntegerField(_("first response within (business minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution within (business minutes)"))

    class Meta:
        verbose_name = _("time target")
        verbose_name_plural = _("time targets")

    def __str__(self) -> str:
        return str(self.get_priority_display())
