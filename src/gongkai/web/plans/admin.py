from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gongkai.web.plans.models import Assignment, Plan, PlanSource, Progress, ReportBlock, Task


class SourceInline(admin.TabularInline):
    model = PlanSource
    extra = 1


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 1
    autocomplete_fields = ["unit"]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["year", "title", "grace_days", "due_soon_days"]
    inlines = [SourceInline]


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "number", "area", "content", "period", "due"]
    list_filter = ["plan", "area", "period"]
    search_fields = ["content", "clause"]
    inlines = [AssignmentInline]


@admin.register(Progress)
class ProgressAdmin(SimpleHistoryAdmin):
    list_display = ["assignment", "period", "status", "submitted_by", "submitted_at"]
    list_filter = ["status"]


@admin.register(ReportBlock)
class ReportBlockAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "key"]
