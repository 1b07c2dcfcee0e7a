from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gongkai.web.accounts.models import Profile


@admin.register(Profile)
class ProfileAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "unit", "include_subunits"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__name"]
