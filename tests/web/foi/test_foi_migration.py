"""Upgrading a ledger stored before the year-boundary change: an open application whose deadline
reached into 2027 had no due date; after the migration it has a provisional (暂定) one."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("foi", "0001_initial")]
AFTER = [("foi", "0003_recompute_year_boundary")]


@pytest.mark.django_db(transaction=True)
def test_migration_recomputes_missing_due_dates_as_provisional(city):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Application = old.get_model("foi", "Application")
    Event = old.get_model("foi", "Event")
    app = Application.objects.create(
        unit_id=city["finance"].pk,
        number="OLD-1",
        applicant_type="natural_person",
        applicant_name="张三",
        channel="in_person",
        submitted_on=date(2026, 12, 7),
        received_on=date(2026, 12, 7),
        content="某文件",
        state="processing",
        due_on=None,
        due_note="2027 年的节假日安排未知",
    )
    Event.objects.create(application=app, kind="received", on=date(2026, 12, 7))
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    from gongkai.web.foi.models import Application as Current

    upgraded = Current.objects.get(number="OLD-1")
    assert upgraded.due_on == date(2027, 1, 5) and upgraded.due_provisional
    assert "暂定" in upgraded.due_note
