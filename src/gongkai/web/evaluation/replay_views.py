"""Pages replaying archived evidence: the list of a unit's archived pages, a wrapper with the crawl time and
the snippet, and the sanitised page itself in a sandboxed frame (no scripts run: CSP forbids them and the
frame is sandboxed; images and stylesheets are inlined from the archive, nothing is fetched)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin

from gongkai.web.accounts.access import get_scoped_or_404, role_required
from gongkai.web.evaluation import replay
from gongkai.web.evaluation.models import RoundUnit, StoredFinding
from gongkai.web.evaluation.review import check_title

INDEX_ROWS = 100
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
    crawled = _aware(record.date)
    query = urlencode({"record": record.record_id, "url": record.url, "snippet": snippet})
    is_html = record.content_type.lower().startswith(replay.HTML_TYPES)
    found = replay.Requisites()
    if is_html:  # what the page referenced that the archive holds or lacks, said above the frame
        archived = replay.contents(ru.archive)
        replay.sanitise(replay.decode(record), record.url, "", archived.known, "", archived.assets, found)
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
            "is_html": is_html,
            "requisites": found,
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
    archived = replay.contents(ru.archive)
    html = replay.sanitise(
        replay.decode(record),
        record.url,
        prefix,
        archived.known,
        request.GET.get("snippet", ""),
        archived.assets,
    )
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = PAGE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required()
def archive_index(request: HttpRequest, pk: int) -> HttpResponse:
    """Every page archived for the unit in this round, in crawl order, each opening in the replay; a
    search box narrows them by address or title."""
    ru = _unit(request, pk)
    archived = replay.contents(ru.archive)
    query = request.GET.get("q", "").strip()
    pages = [p for p in archived.pages if query in p.url or query in p.title] if query else archived.pages
    page = Paginator(pages, INDEX_ROWS).get_page(request.GET.get("page"))
    base = reverse("evaluation:archive", args=[ru.pk])
    rows = [
        {
            "page": p,
            "link": base + "?" + urlencode({"record": p.record_id, "url": p.url}),
            "crawled": _aware(p.date),
        }
        for p in page.object_list
    ]
    return render(
        request,
        "evaluation/archive_index.html",
        {
            "ru": ru,
            "rows": rows,
            "page_obj": page,
            "query": query,
            "total": len(archived.pages),
            "shown": len(pages),
            "images": sum(1 for r in archived.assets.values() if replay.content_type(r).startswith("image/")),
            "styles": sum(1 for r in archived.assets.values() if replay.content_type(r) == "text/css"),
            "has_archive": bool(ru.archive),
        },
    )


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment, dt.UTC)
    return moment
