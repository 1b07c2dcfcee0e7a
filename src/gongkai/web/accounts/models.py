"""Roles: every user has one profile that names its role and, for a liaison, its unit."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from simple_history import register
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    ADMIN = "admin", "管理员"
    EVALUATOR = "evaluator", "测评员"
    LIAISON = "liaison", "单位联络员"
    READONLY = "readonly", "只读"


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.READONLY)
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="liaisons",
        verbose_name="所属单位",
    )
    include_subunits = models.BooleanField("可查看下级单位", default=False)
    must_change_password = models.BooleanField("首次登录须修改密码", default=False)

    history = HistoricalRecords(verbose_name="角色变更记录")

    class Meta:
        verbose_name = "用户角色"
        verbose_name_plural = "用户角色"

    def __str__(self) -> str:
        return f"{self.user.get_username()}（{self.get_role_display()}）"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.role == Role.LIAISON and self.unit_id is None:
            raise ValidationError({"unit": "单位联络员必须指定所属单位"})


# Account changes (role, activation, name) are audited like business records; password hashes and login
# times are left out of the trail.
register(User, app=__package__, excluded_fields=["password", "last_login"], verbose_name="账号变更记录")
