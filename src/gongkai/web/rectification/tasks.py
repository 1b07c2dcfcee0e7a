"""Job handler: re-verify an answered problem in the background."""

from __future__ import annotations

from gongkai.web.core.jobs import job_handler
from gongkai.web.rectification import services
from gongkai.web.rectification.models import Answer, ProblemItem


@job_handler(services.VERIFY_JOB)
def verify_answer(job, progress) -> dict:
    problem = ProblemItem.objects.select_related("round", "unit").get(pk=job.params["problem"])
    answer = Answer.objects.get(pk=job.params["answer"])
    progress(0, 1, f"正在复核 {problem.unit.display_name} 第 {problem.number} 项")
    verification = services.verify(problem, answer)
    if verification is None:
        progress(1, 1, "该答复已不需要复核（问题已销号、撤销、合并或已重新答复）")
        return {"verdict": "SKIPPED"}
    progress(1, 1, verification.message)
    return {"verdict": verification.verdict, "message": verification.message}
