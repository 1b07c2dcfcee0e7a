"""Job handlers of evaluation rounds: one job per unit (crawl + checks), run in-process or on Celery."""

from __future__ import annotations

from gongkai.web.core.jobs import job_handler
from gongkai.web.evaluation import services
from gongkai.web.evaluation.models import RoundUnit, UnitStatus


@job_handler(services.UNIT_JOB)
def run_round_unit(job, progress) -> dict:
    ru = RoundUnit.objects.select_related("round", "unit").get(pk=job.params["round_unit"])
    try:
        count = services.crawl_and_check(ru, progress)
    except Exception as exc:
        RoundUnit.objects.filter(pk=ru.pk).update(status=UnitStatus.FAILED, message=f"检测失败：{exc}")
        services.after_unit_done(ru.round)
        raise
    ru.refresh_from_db(fields=["pages"])
    # the last progress line is what the job list shows once the job is done
    progress(
        ru.pages, ru.pages, f"已完成 {ru.unit.display_name} 的检测：抓取 {ru.pages} 页，检查结论 {count} 条"
    )
    services.after_unit_done(ru.round)
    return {"findings": count}
