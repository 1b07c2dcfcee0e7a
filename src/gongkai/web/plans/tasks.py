"""Job handler: open the links of a progress report through the egress guard, in the background."""

from __future__ import annotations

from gongkai.web.core.jobs import job_handler
from gongkai.web.plans import services
from gongkai.web.plans.models import Progress


@job_handler(services.CHECK_LINKS_JOB)
def check_progress_links(job, progress) -> dict:
    report = Progress.objects.select_related("assignment__unit").get(pk=job.params["progress"])
    progress(0, 1, f"正在检查 {report.assignment.unit.display_name} 报送的链接")
    results = services.check_links(report)
    failed = sum(1 for r in results if r["state"] != "ok")
    progress(1, 1, f"已检查 {len(results)} 个链接，{failed} 个无法访问")
    return {"links": len(results), "failed": failed}
