from django.apps import AppConfig


class FoiConfig(AppConfig):
    name = "gongkai.web.foi"
    label = "foi"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from gongkai.web.foi.calendar_source import invalidate
        from gongkai.web.foi.models import CalendarCorrection, CalendarYear

        post_save.connect(invalidate, sender=CalendarCorrection, dispatch_uid="foi-calendar-save")
        post_delete.connect(invalidate, sender=CalendarCorrection, dispatch_uid="foi-calendar-delete")
        post_save.connect(invalidate, sender=CalendarYear, dispatch_uid="foi-year-save")
        post_delete.connect(invalidate, sender=CalendarYear, dispatch_uid="foi-year-delete")
