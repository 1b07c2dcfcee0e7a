"""Recompute the stored clocks after the year-boundary change: deadlines that reach into a year
without a confirmed schedule become provisional (暂定) instead of missing, and paused clocks get
their days used and left. Only open applications and those without a due date are touched."""

from django.db import migrations
from django.db.models import Q


def recompute(apps, schema_editor):
    from gongkai.calendar import PROVISIONAL_YEARS, WorkingCalendar
    from gongkai.foi import Event, FoiError, evaluate
    from gongkai.web.foi.services import apply_status, fee_pauses_clock

    Application = apps.get_model("foi", "Application")
    Correction = apps.get_model("foi", "CalendarCorrection")
    Year = apps.get_model("foi", "CalendarYear")
    cal = WorkingCalendar(
        dict(Correction.objects.values_list("day", "is_working")),
        list(Year.objects.values_list("year", flat=True)),
        PROVISIONAL_YEARS,
    )
    fields = ("kind", "on", "outcome", "days", "approver", "consult", "amount", "note")
    pending = Application.objects.filter(Q(due_on__isnull=True) | ~Q(state__in=("replied", "delivered")))
    for app in pending.prefetch_related("events"):
        rows = sorted(app.events.all(), key=lambda r: (r.on, r.pk))
        events = [Event(**{f: getattr(r, f) for f in fields}) for r in rows]
        try:
            status = evaluate(events, cal, fee_pauses_clock=fee_pauses_clock())
        except FoiError:
            continue  # inconsistent events edited by hand: left as they were
        apply_status(app, status)
        app.save()


class Migration(migrations.Migration):
    dependencies = [("foi", "0002_ledger_year_boundary")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
