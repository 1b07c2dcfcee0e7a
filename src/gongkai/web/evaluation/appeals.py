"""Unit appeals (申诉): the preliminary results go to liaisons with an appeal window (days set per round); a
liaison contests a finding or a manual deduction with a reason and evidence; an evaluator upholds or grants
it with a reason; the liaison sees the decision. Publishing waits for the window to close and every appeal
to be decided. A granted appeal on a finding marks it 误报; on a manual item it sets the new points."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from gongkai.web.evaluation.models import (
    Appeal,
    AppealStatus,
    Decision,
    ManualScore,
    Round,
    RoundState,
    RoundUnit,
    StoredFinding,
)
from gongkai.web.evaluation.review import REVIEWED_VERDICTS, decide


class AppealError(ValueError):
    """An appeal cannot be filed or decided; the message is Chinese and says why."""


def window_open(round_: Round) -> bool:
    return bool(round_.appeal_until) and timezone.now() < round_.appeal_until


def open_window(round_: Round) -> None:
    round_.refresh_from_db()
    if round_.state != RoundState.SCORING:
        raise AppealError("只有评分阶段的批次才能向各单位发布初步结果、开放申诉")
    round_.appeal_until = timezone.now() + timedelta(days=round_.appeal_days)
    round_._change_reason = "发布初步结果，开放申诉"
    round_.save()


def close_window(round_: Round) -> None:
    round_.refresh_from_db()
    if not window_open(round_):
        raise AppealError("该批次没有正在进行的申诉期")
    round_.appeal_until = timezone.now()
    round_._change_reason = "提前结束申诉期"
    round_.save()


def file_appeal(
    ru: RoundUnit, user, reason: str, links: str = "", attachment=None, finding_id=None, item: str = ""
) -> Appeal:
    if not window_open(ru.round):
        raise AppealError("当前不在申诉期内，不能提出申诉")
    if not reason.strip():
        raise AppealError("请写明申诉理由")
    finding = None
    if finding_id:
        finding = StoredFinding.objects.filter(
            pk=finding_id, round_unit=ru, verdict__in=REVIEWED_VERDICTS
        ).first()
        if finding is None:
            raise AppealError("只能对本单位不通过或待核实的检查结论提出申诉")
    elif not ManualScore.objects.filter(round_unit=ru, item=item, not_applicable=False).exists():
        raise AppealError("只能对本单位已评分的人工评分项提出申诉")
    return Appeal.objects.create(
        round_unit=ru,
        finding=finding,
        item=finding.item if finding else item,
        reason=reason.strip(),
        links=links.strip(),
        attachment=attachment or "",
        filed_by=user,
    )


@transaction.atomic
def decide_appeal(appeal: Appeal, grant: bool, note: str, user, points: float | None = None) -> None:
    if appeal.status != AppealStatus.PENDING:
        raise AppealError("该申诉已处理")
    if appeal.round_unit.round.state == RoundState.PUBLISHED:
        raise AppealError("该批次已发布，不能再处理申诉")
    if not note.strip():
        raise AppealError("请写明处理意见")
    if grant and appeal.finding_id:
        decide([appeal.finding], Decision.FALSE_ALARM, f"申诉成立：{note.strip()}", user)
    elif grant:
        score = ManualScore.objects.get(round_unit=appeal.round_unit, item=appeal.item)
        if points is None or points < 0:
            raise AppealError("申诉成立时请填写调整后的得分")
        score.points, score.reviewed_by, score.reviewed_at = points, user, timezone.now()
        score.review_note = f"申诉成立：{note.strip()}"
        score.save()
    appeal.status = AppealStatus.GRANTED if grant else AppealStatus.UPHELD
    appeal.decision_note, appeal.decided_by, appeal.decided_at = note.strip(), user, timezone.now()
    appeal.save()


def appeal_blockers(round_: Round) -> list[str]:
    """What appeals keep the round from being published, in Chinese."""
    out = []
    if window_open(round_):
        out.append(f"申诉期至 {timezone.localtime(round_.appeal_until):%Y-%m-%d %H:%M} 结束")
    pending = Appeal.objects.filter(round_unit__round=round_, status=AppealStatus.PENDING).count()
    if pending:
        out.append(f"{pending} 件申诉待处理")
    return out
