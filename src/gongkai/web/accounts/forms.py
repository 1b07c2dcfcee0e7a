"""User management forms: an administrator creates accounts and sets their role and unit."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from gongkai.web.accounts.models import Profile, Role
from gongkai.web.units.models import Unit


class UserForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=150, required=False)
    email = forms.EmailField(label="电子邮箱", required=False)
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    unit = forms.ModelChoiceField(
        label="所属单位", queryset=Unit.objects.all(), required=False, help_text="单位联络员必须指定所属单位"
    )
    include_subunits = forms.BooleanField(label="可查看下级单位", required=False)
    is_active = forms.BooleanField(label="账号在用", required=False, initial=True)

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if user is not None:
            profile = getattr(user, "profile", None)
            self.fields["username"].initial = user.username
            self.fields["full_name"].initial = user.first_name
            self.fields["email"].initial = user.email
            self.fields["is_active"].initial = user.is_active
            if profile:
                self.fields["role"].initial = profile.role
                self.fields["unit"].initial = profile.unit
                self.fields["include_subunits"].initial = profile.include_subunits

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        others = get_user_model().objects.filter(username=username)
        if self.user is not None:
            others = others.exclude(pk=self.user.pk)
        if others.exists():
            raise forms.ValidationError("该用户名已被使用")
        return username

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.LIAISON and not data.get("unit"):
            self.add_error("unit", "单位联络员必须指定所属单位")
        return data

    def save(self, password: str | None = None):
        data = self.cleaned_data
        user = self.user or get_user_model()(username=data["username"])
        user.username = data["username"]
        user.first_name = data["full_name"]
        user.email = data["email"]
        user.is_active = data["is_active"] if self.user is not None else True
        # The Django admin (configuration) is for administrators only.
        user.is_staff = user.is_superuser = data["role"] == Role.ADMIN
        if password:
            user.set_password(password)
        user.save()
        profile, _ = Profile.objects.get_or_create(user=user)
        profile.role = data["role"]
        profile.unit = data["unit"] if data["role"] == Role.LIAISON else data.get("unit")
        profile.include_subunits = data["include_subunits"]
        if password:
            profile.must_change_password = True
        profile.save()
        return user
