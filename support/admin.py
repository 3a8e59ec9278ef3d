"""Staff maintain the support calendar, the holidays (lunar ones each year) and the time
targets in Django admin: one place for office hours (A4)."""

from django.contrib import admin

from support.models import Feedback, Holiday, PriorityTarget, QualityCall, SupportCalendar, Ticket, WeeklyHours


class WeeklyHoursInline(admin.TabularInline):
    model = WeeklyHours
    extra = 0


@admin.register(SupportCalendar)
class SupportCalendarAdmin(admin.ModelAdmin):
    list_display = ("name", "valid_from", "phone")
    inlines = [WeeklyHoursInline]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "kind")
    list_filter = ("kind",)


@admin.register(PriorityTarget)
class PriorityTargetAdmin(admin.ModelAdmin):
    list_display = ("priority", "first_response_minutes", "resolution_minutes")


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ("number", "subject", "channel", "team", "priority", "status", "created")
    list_filter = ("status", "team", "channel", "priority")
    search_fields = ("number", "subject", "contact_email")
    raw_id_fields = ("customer", "assigned_to", "order", "job", "claim", "visit_job")


admin.site.register(QualityCall)
admin.site.register(Feedback)
