from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gongkai.web.foi.models import (
    Application,
    CalendarCorrection,
    CalendarYear,
    Case,
    Document,
    Event,
    NoticeTemplate,
)


class EventInline(admin.TabularInline):
    model = Event
    extra = 0


class CaseInline(admin.TabularInline):
    model = Case
    extra = 0


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    list_display = [
        "number",
        "unit",
        "applicant_name",
        "applicant_type",
        "received_on",
        "state",
        "due_on",
        "outcome",
    ]
    list_filter = ["state", "applicant_type", "channel", "unit"]
    search_fields = ["number", "applicant_name", "content"]
    inlines = [EventInline, CaseInline]


@admin.register(CalendarCorrection)
class CalendarCorrectionAdmin(SimpleHistoryAdmin):
    list_display = ["day", "is_working", "note"]


@admin.register(NoticeTemplate)
class NoticeTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "title"]


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "application", "kind", "created"]


@admin.register(CalendarYear)
class CalendarYearAdmin(SimpleHistoryAdmin):
    list_display = ["year", "confirmed_by", "confirmed_at"]
    readonly_fields = ["moved"]
