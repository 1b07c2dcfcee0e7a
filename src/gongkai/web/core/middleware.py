"""Request-wide rules of the platform."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """An account given a one-time password (the first admin, a new or reset account) must choose its own
    password before doing anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        profile = getattr(user, "profile", None) if user is not None and user.is_authenticated else None
        if profile is not None and profile.must_change_password:
            allowed = (reverse("accounts:password"), reverse("logout"), "/static/")
            if not request.path.startswith(allowed):
                messages.warning(request, "您正在使用一次性密码，请先设置自己的密码")
                return redirect("accounts:password")
        return self.get_response(request)


class UploadSizeLimitMiddleware:
    """Refuse a request body larger than GONGKAI_MAX_UPLOAD_MB before Django reads it (HTTP 413), so a huge
    upload never fills the disk or memory; forms then apply their own, smaller limits per kind of file."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.MAX_UPLOAD_MB * 1024 * 1024
        if length > limit:
            return HttpResponse(
                f"上传内容过大（{length / 1024 / 1024:.1f} MB）：本平台单次上传不能超过 {settings.MAX_UPLOAD_MB} MB。",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class AtomicWritesMiddleware:
    """A request that may write (POST, PUT, PATCH, DELETE) runs its view in one transaction: every change
    it makes, and every audit row, commits together or not at all. Reads open none, so on SQLite (where a
    transaction takes the write lock at once) pages never wait for one another. Keep it last: it calls
    the view itself."""

    SAFE = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if request.method in self.SAFE or getattr(view, "_non_atomic_requests", None):
            return None
        with transaction.atomic():
            return view(request, *args, **kwargs)


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy of settings.GONGKAI_CSP on every response that has none: scripts only
    from the platform itself (htmx and ECharts are vendored, no inline scripts), no framing, forms posting
    only back to the platform."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.policy = "; ".join(f"{k} {v}" for k, v in settings.GONGKAI_CSP.items())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
