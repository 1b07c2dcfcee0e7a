from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gongkai.web.units.models import Unit


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "group", "level", "parent", "website", "active"]
    list_filter = ["group", "level", "active"]
    search_fields = ["name", "short_name", "website"]
