"""User management (admins), own password change (everyone) and the audit trail browser (admins)."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from gongkai.web.accounts.access import ADMIN, role_required
from gongkai.web.accounts.audit import model_labels, recent_entries
from gongkai.web.accounts.forms import UserForm


def one_time_password() -> str:
    return secrets.token_urlsafe(9)


@role_required(ADMIN)
def user_list(request: HttpRequest) -> HttpResponse:
    users = get_user_model().objects.select_related("profile", "profile__unit").order_by("username")
    return render(request, "accounts/users.html", {"users": users})


@role_required(ADMIN)
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password = one_time_password()
        user = form.save(password=password)
        messages.success(
            request, f"已创建账号“{user.username}”。一次性密码：{password}（仅显示这一次，首次登录后请修改）"
        )
        return redirect("accounts:users")
    return render(request, "accounts/user_form.html", {"form": form, "title": "新增账号"})


@role_required(ADMIN)
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(get_user_model(), pk=pk)
    form = UserForm(request.POST or None, user=user)
    if request.method == "POST":
        if "reset_password" in request.POST:
            password = one_time_password()
            user.set_password(password)
            user.save()
            messages.success(
                request, f"已重置“{user.username}”的密码。一次性密码：{password}（仅显示这一次）"
            )
            return redirect("accounts:users")
        if form.is_valid():
            form.save()
            messages.success(request, f"已保存账号“{user.username}”")
            return redirect("accounts:users")
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "title": f"编辑账号：{user.username}", "edited": user},
    )


@role_required()
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None, label_suffix="：")
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        profile = getattr(user, "profile", None)
        if profile is not None and profile.must_change_password:
            profile.must_change_password = False
            profile.save(update_fields=["must_change_password"])
        messages.success(request, "密码已修改")
        return redirect("core:overview")
    return render(request, "accounts/password.html", {"form": form})


@role_required(ADMIN)
def audit(request: HttpRequest) -> HttpResponse:
    model = request.GET.get("model", "")
    username = request.GET.get("user", "").strip()
    entries = recent_entries(limit=300, model_name=model, username=username)
    return render(
        request,
        "accounts/audit.html",
        {"entries": entries, "models": model_labels(), "model": model, "username": username},
    )
