"""Availability monitoring: the addresses probed (targets), every probe, and the warnings sent.

A probe is one small row of integers (slot as epoch seconds, state, status, latency, error, attempts):
`bench/probe_bench.py` prints the bytes it takes per unit per year. A slot is unique per target, so two
workers planning the same day add nothing, and a worker claims slots with a conditional update (state
PLANNED -> CLAIMED with its own token): two workers never probe the same slot.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from gongkai.monitor.rule import ProbeState
from gongkai.web.units.models import Unit


class TargetKind(models.IntegerChoices):
    HOME = 0, "首页"
    ZHUANLAN = 1, "专栏"
    ENTRY = 2, "其他入口"


class ProbeTarget(models.Model):
    """An address of a unit probed on the schedule: its homepage, its 专栏, other registered entry points."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="probe_targets", verbose_name="单位"
    )
    kind = models.PositiveSmallIntegerField("类型", choices=TargetKind.choices, default=TargetKind.HOME)
    url = models.URLField("网址", max_length=500)
    active = models.BooleanField("在用", default=True)
    history = HistoricalRecords(verbose_name="监测地址变更记录")

    class Meta:
        verbose_name = verbose_name_plural = "监测地址"
        constraints = [models.UniqueConstraint(fields=["unit", "url"], name="monitoring_target_unique_url")]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.get_kind_display()} {self.url}"

    @property
    def label(self) -> str:
        """How findings and pages name it: 首页, 专栏, or the entry point with its address (several may exist)."""
        kind = self.get_kind_display()
        return f"{kind}（{self.url}）" if self.kind == TargetKind.ENTRY else kind


class Probe(models.Model):
    """One scheduled probe. `slot` is its time (epoch seconds); the result is the counted one (the retry's
    when the first attempt failed, see gongkai.monitor.rule)."""

    target = models.ForeignKey(ProbeTarget, on_delete=models.CASCADE, related_name="probes", db_index=False)
    slot = models.IntegerField("计划时间")
    state = models.PositiveSmallIntegerField("状态", default=int(ProbeState.PLANNED))
    status = models.PositiveSmallIntegerField("状态码", default=0)
    latency_ms = models.PositiveIntegerField("耗时（毫秒）", default=0)
    error = models.PositiveSmallIntegerField("错误", default=0)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    claim = models.BigIntegerField("领取令牌", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "探测记录"
        constraints = [
            models.UniqueConstraint(fields=["target", "slot"], name="monitoring_probe_unique_slot")
        ]
        indexes = [  # only slots still to probe: the index stays small whatever the history
            models.Index(
                fields=["slot"], name="monitoring_probe_due", condition=Q(state__lt=int(ProbeState.UP))
            )
        ]


class AlertLevel(models.TextChoices):
    WARN = "warn", "预警"
    VETO = "veto", "超过否决线"


class AvailabilityAlert(models.Model):
    """A reminder to the unit's liaisons: a target's failure share over the window passed the pre-warning
    (or the veto) line. One per target, level and day."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="availability_alerts", verbose_name="单位"
    )
    target = models.ForeignKey(
        ProbeTarget, on_delete=models.CASCADE, related_name="alerts", verbose_name="监测地址"
    )
    level = models.CharField("级别", max_length=8, choices=AlertLevel.choices)
    day = models.DateField("日期")
    share = models.FloatField("失败比例")
    counted = models.PositiveIntegerField("有效探测次数")
    failed = models.PositiveIntegerField("失败次数")
    window_days = models.PositiveSmallIntegerField("窗口天数")
    message = models.CharField("提醒内容", max_length=500)
    emailed = models.PositiveSmallIntegerField("已发邮件数", default=0)
    created = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "可用性提醒"
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["target", "level", "day"], name="monitoring_alert_once_a_day")
        ]


class PlannedDay(models.Model):
    """A day whose slots are planned for every target active then (targets added later are planned when
    they appear)."""

    day = models.DateField("日期", unique=True)

    class Meta:
        verbose_name = verbose_name_plural = "已排期日期"


class ProbeDay(models.Model):
    """One target's probes of one local day, packed once the day is older than the strip shows (35 days):
    the counts, and every probe as 8 bytes (see gongkai.web.monitoring.pack). About a fifth of the rows."""

    target = models.ForeignKey(ProbeTarget, on_delete=models.CASCADE, related_name="days", db_index=False)
    day = models.DateField("日期")
    up = models.PositiveSmallIntegerField("打开", default=0)
    down = models.PositiveSmallIntegerField("失败", default=0)
    skipped = models.PositiveSmallIntegerField("未探测", default=0)
    packed = models.BinaryField("探测记录")

    class Meta:
        verbose_name = verbose_name_plural = "探测日汇总"
        constraints = [models.UniqueConstraint(fields=["target", "day"], name="monitoring_day_unique")]
