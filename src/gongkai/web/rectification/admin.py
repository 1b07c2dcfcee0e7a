from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gongkai.web.rectification.models import Answer, HuitoukanSection, ProblemItem


@admin.register(ProblemItem)
class ProblemItemAdmin(SimpleHistoryAdmin):
    list_display = ["round", "unit", "number", "indicator", "status", "due"]
    list_filter = ["status", "source"]
    search_fields = ["unit__name", "detail"]


admin.site.register(Answer, SimpleHistoryAdmin)
admin.site.register(HuitoukanSection, SimpleHistoryAdmin)
