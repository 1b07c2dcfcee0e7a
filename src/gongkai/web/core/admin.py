from django.contrib import admin

from gongkai.web.core.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "status", "done", "total", "attempts", "worker", "created", "finished"]
    list_filter = ["status", "kind"]
    readonly_fields = ["created", "started", "finished", "heartbeat"]
