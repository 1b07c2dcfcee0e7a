"""Pages replaying archived evidence: a wrapper with the crawl time and the snippet, and the sanitised page
itself in a sandboxed frame (no scripts run: CSP forbids them and the frame is sandboxed)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin

from gongkai.web.accounts.access import get_scoped_or_404, role_required
from gongkai.web.evaluation import replay
from gongkai.web.evaluation.models import RoundUnit, StoredFinding
from gongkai.web.evaluation.review import check_title

PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox"


def _unit(request: HttpRequest, pk: int) -> RoundUnit:
    return get_scoped_or_404(RoundUnit.objects.select_related("round", "unit"), request.user, pk=pk)


@role_required()
def archive_view(request: HttpRequest, pk: int) -> HttpResponse:
    """An archived page of the unit, as crawled: its address, crawl time (Beijing time), the finding it is
    evidence for and the snippet, with the page replayed below."""
    ru = _unit(request, pk)
    url, record_id = request.GET.get("url", ""), request.GET.get("record", "")
    snippet = request.GET.get("snippet", "")
    finding = None
    if request.GET.get("finding", "").isdigit():
        finding = StoredFinding.objects.filter(pk=request.GET["finding"], round_unit=ru).first()
    record = replay.find_record(ru.archive, record_id, url)
    if record is None:
        raise Http404("存档中没有该页面（该单位的存档可能已被清理，或页面未被抓取）")
    crawled = record.date
    if crawled is not None and timezone.is_naive(crawled):
        crawled = timezone.make_aware(crawled, dt.UTC)
    query = urlencode({"record": record.record_id, "url": record.url, "snippet": snippet})
    return render(
        request,
        "evaluation/archive.html",
        {
            "ru": ru,
            "record": record,
            "crawled": crawled,
            "snippet": snippet,
            "finding": finding,
            "check_title": check_title(finding.check_id) if finding else "",
            "frame_url": reverse("evaluation:archive_page", args=[ru.pk]) + "?" + query,
            "is_html": record.content_type.lower().startswith(replay.HTML_TYPES),
        },
    )


@xframe_options_sameorigin
@role_required()
def archive_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The sanitised archived page itself, for the sandboxed frame of ``archive_view``."""
    ru = _unit(request, pk)
    record = replay.find_record(ru.archive, request.GET.get("record", ""), request.GET.get("url", ""))
    if record is None or not record.content_type.lower().startswith(replay.HTML_TYPES):
        raise Http404("存档中没有该网页")
    prefix = reverse("evaluation:archive", args=[ru.pk]) + "?url="
    html = replay.sanitise(
        replay.decode(record),
        record.url,
        prefix,
        replay.archived_urls(ru.archive),
        request.GET.get("snippet", ""),
    )
    html = html.replace(
        "<head>", "<head><style>mark#evidence{background:#ffe066;outline:2px solid #e8590c}</style>", 1
    )
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = PAGE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response
