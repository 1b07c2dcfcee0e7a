from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gongkai.web.evaluation.models import Assessment, ManualScore, Round, RoundUnit


@admin.register(Round)
class RoundAdmin(SimpleHistoryAdmin):
    list_display = ["name", "framework_id", "framework_version", "as_of", "state"]
    list_filter = ["state", "framework_id"]


@admin.register(RoundUnit)
class RoundUnitAdmin(SimpleHistoryAdmin):
    list_display = ["round", "unit", "group", "status", "pages", "errors"]
    list_filter = ["status", "group"]


@admin.register(ManualScore)
class ManualScoreAdmin(SimpleHistoryAdmin):
    list_display = ["round_unit", "item", "points", "evaluator", "reviewed_by"]


admin.site.register(Assessment, SimpleHistoryAdmin)
