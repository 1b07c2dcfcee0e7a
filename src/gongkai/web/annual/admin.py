from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gongkai.web.annual.models import ReportDraft, ReportRecord


@admin.register(ReportRecord)
class ReportRecordAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "year", "fmt", "errors", "warnings", "published", "uploaded_at")
    list_filter = ("year", "fmt")
    search_fields = ("unit__name", "source_name")


@admin.register(ReportDraft)
class ReportDraftAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "year", "author", "updated_at", "record")
    list_filter = ("year",)
    search_fields = ("unit__name",)
