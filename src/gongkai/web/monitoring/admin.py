"""Administrators register other entry points of a unit (类型“其他入口”) to be probed on the schedule; the
homepage and 专栏 targets follow the unit records by themselves."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gongkai.web.monitoring.models import AvailabilityAlert, ProbeTarget


@admin.register(ProbeTarget)
class ProbeTargetAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "kind", "url", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["unit__name", "url"]
    autocomplete_fields = ["unit"]


@admin.register(AvailabilityAlert)
class AvailabilityAlertAdmin(admin.ModelAdmin):
    list_display = ["day", "unit", "level", "share", "counted", "failed", "emailed"]
    list_filter = ["level"]
    readonly_fields = [f.name for f in AvailabilityAlert._meta.fields]
