"""Pages of evaluation rounds: list and create, live progress, rankings dashboard, each unit's findings with
evidence, manual scoring and review, the 通报 downloads, the annual assessment.

Liaisons see only their own units' results and findings; round-wide exports are for the office.
"""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from gongkai.frameworks.score import STATUS_LABELS
from gongkai.web.accounts.access import (
    ADMIN,
    EVALUATOR,
    LIAISON,
    READONLY,
    get_scoped_or_404,
    role_of,
    role_required,
    visible_unit_ids,
)
from gongkai.web.core.http import DOCX, XLSX, download
from gongkai.web.evaluation import appeals, reporting, review, services
from gongkai.web.evaluation.forms import AssessmentForm, ManualScoreForm, ReviewForm, RoundForm
from gongkai.web.evaluation.models import (
    Assessment,
    ManualScore,
    Round,
    RoundState,
    RoundUnit,
    StoredFinding,
    UnitResult,
)
from gongkai.web.evaluation.services import RoundError

TYPE_LABELS = {"score": "计分", "veto": "单项否决", "bonus": "加分"}
OFFICE = (ADMIN, EVALUATOR, READONLY)
WORKERS = (ADMIN, EVALUATOR)
RANK_ROWS = 50  # ranking rows per group on the dashboard and per page of a whole group
MEMBER_ROWS = 50  # units per page in the progress table
FINDING_ROWS = 50  # findings per page on a unit's page: a screenful, and ~25 ms to render


def unit_url_base() -> str:
    """The prefix of unit result URLs; big tables link rows as prefix + id instead of one {% url %} per row."""
    return reverse("evaluation:unit", args=[0]).removesuffix("0/")


def _unit_filter(user) -> set[int] | None:
    return visible_unit_ids(user) if role_of(user) == LIAISON else None


@role_required()
def index(request: HttpRequest) -> HttpResponse:
    rounds = Round.objects.annotate(n_units=Count("units")).order_by("-as_of", "-pk")
    if role_of(request.user) == LIAISON:
        rounds = rounds.filter(units__unit_id__in=visible_unit_ids(request.user)).distinct()
    return render(
        request,
        "evaluation/index.html",
        {
            "rounds": rounds,
            "can_create": role_of(request.user) in WORKERS,
            "assessments": Assessment.objects.all() if role_of(request.user) in OFFICE else [],
        },
    )


@role_required(*WORKERS)
def round_create(request: HttpRequest) -> HttpResponse:
    form = RoundForm(request.POST or None, initial={"as_of": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.create_round(
                data["name"],
                data["framework_id"],
                data["as_of"],
                data["groups"],
                data["township_sample"] or 0,
                data.get("sample_seed"),
                user=request.user,
                previous=data.get("previous"),
                number=data["number"],
                issuer=data["issuer"],
                rate=data["rate"],
                max_pages=data["max_pages"],
                check_external=data["check_external"],
                requirements=data["requirements"],
                problem_due_days=data["problem_due_days"],
            )
        except RoundError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已创建测评批次“{round_.name}”，共 {round_.units.count()} 个单位参评")
            return redirect(round_)
    return render(request, "evaluation/round_form.html", {"form": form})


def has_notice(round_: Round, office: bool) -> bool:
    """The office may download the 通报 of any scored round; liaisons the published ones."""
    return office or round_.state == RoundState.PUBLISHED


@role_required()
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=pk)
    unit_ids = _unit_filter(request.user)
    members = round_.units.select_related("unit", "job").order_by("group", "unit__name")
    if unit_ids is not None:
        members = members.filter(unit_id__in=unit_ids)
        if not members.exists():
            raise PermissionDenied("本单位未参加该批次测评")
    only_group = request.GET.get("group", "")
    raw_page = request.GET.get("page", "1")
    page = max(1, int(raw_page)) if raw_page.isdigit() else 1
    version = UnitResult.objects.filter(round_unit__round=round_).aggregate(
        at=Max("computed_at"), n=Count("pk")
    )
    office = role_of(request.user) in OFFICE
    return render(
        request,
        "evaluation/round.html",
        {
            "round": round_,
            "members": Paginator(members, MEMBER_ROWS).get_page(request.GET.get("member_page")),
            "unit_base": unit_url_base(),
            "has_results": bool(version["n"]),
            "dashboard": _dashboard(request, round_, unit_ids, only_group, page, version, office),
            "progress": services.progress_of(round_),
            "is_worker": role_of(request.user) in WORKERS,
            "is_office": office,
            "appeal_open": appeals.window_open(round_),
            "can_download": has_notice(round_, office),
            "pending_appeals": round_.units.filter(appeals__status="pending").count(),
            "gate": _gate(round_) if office else None,
        },
    )


def _gate(round_: Round) -> dict | None:
    """While a round is being scored: what the publishing gate would refuse it for, shown on its page."""
    if round_.state != RoundState.SCORING:
        return None
    blockers = review.publish_blockers(round_)
    waiting = appeals.appeal_blockers(round_)
    if not blockers and not waiting:
        return None
    return {
        "reasons": ([review.blocker_summary(blockers)] if blockers else []) + list(waiting),
        "blockers": blockers[:10],
        "more": max(0, len(blockers) - 10),
    }


def _dashboard(request, round_, unit_ids, only_group: str, page: int, version: dict, office: bool) -> str:
    """Rankings, charts and the problem summary, rendered once per results version and cached: a published
    round's dashboard is read many times and changes only when it is scored again."""
    viewer = "office" if unit_ids is None else ",".join(map(str, sorted(unit_ids)))
    key = (
        "gongkai:dashboard:"
        + hashlib.sha1(
            f"{round_.pk}|{version['at']}|{version['n']}|{round_.previous_id}|{only_group}|{page}|{viewer}|{office}".encode()
        ).hexdigest()
    )
    html = cache.get(key)
    if html is not None:
        return mark_safe(html)  # our own template's output, escaped when it was rendered
    before = reporting.previous_ranks(round_)
    # The dashboard shows each group's first RANK_ROWS; "?group=X&page=N" pages through one whole group.
    offset = (page - 1) * RANK_ROWS if only_group else 0
    groups = [
        (g, reporting.GROUP_LABELS.get(g, g), [(r, reporting.rank_change(r, before)) for r in rows], count)
        for g, rows, count in reporting.results_by_group(round_, unit_ids, RANK_ROWS, offset, only_group)
    ]
    stored = round_.problems_summary if unit_ids is None else None
    html = render_to_string(
        "evaluation/_dashboard.html",
        {
            "groups": groups,
            "unit_base": unit_url_base(),
            "only_group": only_group,
            "rank_page": page,
            "rank_offset": offset,
            "rank_rows": RANK_ROWS,
            "problems": stored or reporting.failed_by_indicator(round_, unit_ids),
            "is_office": office,
            "chart_data": _chart_data(groups),
            "basis": reporting.basis_label(round_),
            "unevaluated": reporting.unevaluated_units(round_) if unit_ids is None else [],
        },
        request=request,
    )
    cache.set(key, str(html), 3600)
    return html


def _chart_data(groups) -> dict:
    return {
        "groups": [
            {
                "label": label,
                "names": [r.display_name for r, _c in rows],
                "rates": [round(r.rate, 2) for r, _c in rows],
                "changes": [c for _r, c in rows],
            }
            for _g, label, rows, _n in groups
        ],
        "rates": [round(r.rate, 2) for _g, _label, rows, _n in groups for r, _c in rows],
    }


@role_required()
def round_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Live status for the round page (polled with htmx) and for scripts (JSON)."""
    round_ = get_object_or_404(Round, pk=pk)
    progress = services.progress_of(round_)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"state": round_.state, **progress})
    members = round_.units.select_related("unit", "job").order_by("group", "unit__name")
    unit_ids = _unit_filter(request.user)
    if unit_ids is not None:
        members = members.filter(unit_id__in=unit_ids)
    page = Paginator(members, MEMBER_ROWS).get_page(request.GET.get("member_page"))
    return render(
        request,
        "evaluation/_progress.html",
        {"round": round_, "progress": progress, "members": page, "unit_base": unit_url_base()},
    )


@require_POST
@role_required(*WORKERS)
def round_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=pk)
    try:
        if action == "start":
            n = services.start_round(round_, user=request.user)
            messages.success(request, f"已将 {n} 个单位加入检测队列，后台正在抓取和检查")
        elif action == "retry":
            n = services.start_round(round_, user=request.user, only_failed=True)
            messages.success(request, f"已重新检测 {n} 个失败的单位")
        elif action == "score":
            if round_.state == RoundState.PUBLISHED:
                raise RoundError("该批次已发布，得分和排名以发布时为准，不再重新计算")
            services.score_round(round_)
            messages.success(request, "已按最新的检查结论和人工评分重新计算得分和排名")
        else:
            raise RoundError(f"未知的操作“{action}”")
    except RoundError as exc:
        messages.error(request, str(exc))
    return redirect(round_)


@role_required(*WORKERS)
def publish_round(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page listing what will be published and what is still open; publishing is refused
    while anything is open, unless an administrator writes why (kept in the audit log, printed nowhere)."""
    round_ = get_object_or_404(Round, pk=pk)
    is_admin = role_of(request.user) == ADMIN
    if request.method == "POST":
        reason = request.POST.get("override_reason", "").strip() if is_admin else ""
        try:
            services.publish(round_, user=request.user, override_reason=reason)
        except RoundError as exc:
            messages.error(request, str(exc))
            return redirect("evaluation:publish", pk=round_.pk)
        messages.success(request, "测评结果已发布，可下载通报")
        return redirect(round_)
    if round_.state == RoundState.SCORING:
        services.score_round(round_)
    blockers = review.publish_blockers(round_) if round_.state == RoundState.SCORING else []
    groups = [
        (reporting.GROUP_LABELS.get(g, g), rows, count)
        for g, rows, count in reporting.results_by_group(round_, limit=5)
    ]
    return render(
        request,
        "evaluation/publish.html",
        {
            "round": round_,
            "blockers": blockers,
            "summary": review.blocker_summary(blockers) if blockers else "",
            "appeal_blockers": appeals.appeal_blockers(round_) if round_.state == RoundState.SCORING else [],
            "groups": groups,
            "basis": reporting.basis_label(round_),
            "unevaluated": reporting.unevaluated_units(round_),
            "problems": len(reporting.failed_by_indicator(round_)),
            "is_admin": is_admin,
            "unit_base": unit_url_base(),
        },
    )


@role_required(*OFFICE)
def quality_page(request: HttpRequest) -> HttpResponse:
    """Per check, how its findings fared in use across rounds: confirmed, 误报, granted on appeal."""
    rounds = Round.objects.exclude(state=RoundState.DRAFT).order_by("-as_of", "-pk")
    chosen = request.GET.get("round", "")
    ids = [int(chosen)] if chosen.isdigit() else None
    return render(
        request,
        "evaluation/quality.html",
        {"rows": review.quality(ids), "rounds": rounds, "chosen": int(chosen) if chosen.isdigit() else None},
    )


@role_required(*WORKERS)
def review_index(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's FAIL and UNCERTAIN findings grouped by check, with how far their review has gone."""
    round_ = get_object_or_404(Round, pk=pk)
    return render(
        request, "evaluation/review_index.html", {"round": round_, "checks": review.check_summary(round_)}
    )


REVIEW_FILTERS = {
    "undecided": ("未复核", Q(review__isnull=True)),
    "uncertain": ("待核实", Q(verdict="UNCERTAIN")),
    "fail": ("不通过", Q(verdict="FAIL")),
    "false_alarm": ("已标记误报", Q(review__decision="false_alarm")),
    "confirmed": ("已确认", Q(review__decision="confirmed")),
    "all": ("全部", Q()),
}


@role_required(*WORKERS)
def review_check(request: HttpRequest, pk: int, check: str) -> HttpResponse:
    """One check's findings in the round, with their evidence; confirm them or mark 误报, several at once."""
    round_ = get_object_or_404(Round, pk=pk)
    findings = StoredFinding.objects.filter(
        round_unit__round=round_, check_id=check, verdict__in=review.REVIEWED_VERDICTS
    )
    editable = round_.state != RoundState.PUBLISHED
    if request.method == "POST":
        if not editable:
            messages.error(request, "该批次已发布，检查结论不再复核")
            return redirect("evaluation:review_check", pk=round_.pk, check=check)
        chosen = findings.filter(pk__in=request.POST.getlist("finding"))
        same = request.POST.get("same_message", "")
        if same:
            chosen = findings.filter(message=same, review__isnull=True)
        try:
            n = review.decide(
                chosen,
                request.POST.get("decision", ""),
                request.POST.get("reason", ""),
                request.user,
                remember=request.POST.get("remember") == "1",
            )
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            services.rescore(round_)
            messages.success(request, f"已复核 {n} 条检查结论，得分和排名已更新" if n else "没有选择检查结论")
        return redirect(request.get_full_path())
    shown = request.GET.get("show", "undecided")
    label, condition = REVIEW_FILTERS.get(shown, REVIEW_FILTERS["undecided"])
    page = Paginator(
        findings.filter(condition)
        .select_related("round_unit__unit", "review__reviewed_by")
        .order_by("message", "round_unit__unit__name", "pk"),
        FINDING_ROWS,
    ).get_page(request.GET.get("page"))
    causes = (
        findings.filter(review__isnull=True)
        .values("message")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("-n")[:10]
    )
    return render(
        request,
        "evaluation/review_check.html",
        {
            "round": round_,
            "check": check,
            "title": review.check_title(check),
            "page": page,
            "shown": shown,
            "filters": [(key, text) for key, (text, _q) in REVIEW_FILTERS.items()],
            "causes": causes,
            "editable": editable,
            "unit_base": unit_url_base(),
            "wording": check.startswith("wording."),
        },
    )


@role_required()
def unit_result(request: HttpRequest, pk: int) -> HttpResponse:
    ru = get_scoped_or_404(RoundUnit.objects.select_related("round", "unit"), request.user, pk=pk)
    framework = services.framework_of(ru.round)
    findings = ru.findings.order_by("item", "check_id", "pk")
    verdict = request.GET.get("verdict", "")
    if verdict:
        findings = findings.filter(verdict=verdict)
    findings = Paginator(findings, FINDING_ROWS).get_page(request.GET.get("page"))
    manual = {m.item: m for m in ru.manual_scores.select_related("evaluator", "reviewed_by")}
    manual_items = [
        (leaf, manual.get(leaf.path), services.manual_applies(leaf, ru))
        for leaf in framework.leaves()
        if leaf.manual
    ]
    result = UnitResult.objects.filter(round_unit=ru).first()
    items = [
        {
            **i,
            "type_label": TYPE_LABELS.get(i["type"], "计分"),
            "status_label": STATUS_LABELS.get(i["status"], "—"),
        }
        for i in (result.items if result else [])
    ]
    is_liaison = role_of(request.user) == LIAISON
    return render(
        request,
        "evaluation/unit.html",
        {
            "items": items,
            "appeals": ru.appeals.select_related("finding", "decided_by").order_by("-filed_at"),
            "can_appeal": is_liaison and appeals.window_open(ru.round),
            "ru": ru,
            "findings": findings,
            "verdict": verdict,
            "result": result,
            "manual_items": manual_items,
            "counts": dict(ru.findings.values_list("verdict").annotate(n=Count("pk"))),
            "is_worker": role_of(request.user) in WORKERS,
            "editable": role_of(request.user) in WORKERS and ru.round.state != RoundState.PUBLISHED,
            "history": reporting.unit_round_history(ru),
            "unread": services.unread(ru),
        },
    )


@role_required(*WORKERS)
def manual_score(request: HttpRequest, pk: int) -> HttpResponse:
    ru = get_object_or_404(RoundUnit.objects.select_related("round", "unit"), pk=pk)
    if ru.round.state == RoundState.PUBLISHED:
        messages.error(request, "该批次已发布，不能再修改人工评分")
        return redirect("evaluation:unit", pk=ru.pk)
    path = request.GET.get("item") or request.POST.get("item", "")
    leaf = next((i for i in services.framework_of(ru.round).leaves() if i.path == path and i.manual), None)
    if leaf is None:
        raise PermissionDenied("该指标不是人工评分项")
    if not services.manual_applies(leaf, ru):
        messages.error(request, f"“{leaf.name}”不适用于{ru.group_label}，不需要也不能评分")
        return redirect("evaluation:unit", pk=ru.pk)
    instance = ManualScore.objects.filter(round_unit=ru, item=path).first()
    form = ManualScoreForm(
        request.POST or None, request.FILES or None, instance=instance, max_points=leaf.points
    )
    if request.method == "POST" and form.is_valid():
        score = form.save(commit=False)
        score.round_unit, score.item, score.evaluator = ru, path, request.user
        score.reviewed_by, score.reviewed_at = None, None  # a changed score needs a new review
        score.save()
        services.rescore(ru.round, ru.group)
        messages.success(request, f"已保存“{leaf.name}”的人工评分：{score.points:g} 分，得分和排名已更新")
        return redirect("evaluation:unit", pk=ru.pk)
    auto = ru.findings.filter(item__startswith=path.rsplit("/", 1)[0])[:20]
    return render(
        request,
        "evaluation/manual.html",
        {"ru": ru, "leaf": leaf, "form": form, "auto": auto, "score": instance},
    )


SCREENSHOT_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp"}


@role_required()
def screenshot(request: HttpRequest, pk: int) -> HttpResponse:
    """A manual score's screenshot, for whoever may see the unit's result (a liaison: only its own)."""
    score = get_object_or_404(ManualScore, pk=pk)
    get_scoped_or_404(RoundUnit.objects.all(), request.user, pk=score.round_unit_id)
    suffix = "." + score.screenshot.name.rsplit(".", 1)[-1].lower() if score.screenshot else ""
    if suffix not in SCREENSHOT_TYPES:
        raise Http404("该评分没有截图")
    try:
        handle = score.screenshot.open("rb")
    except FileNotFoundError as exc:
        raise Http404("截图文件已不存在") from exc
    response = FileResponse(handle, content_type=SCREENSHOT_TYPES[suffix])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'"
    return response


@require_POST
@role_required(*WORKERS)
def review_score(request: HttpRequest, pk: int) -> HttpResponse:
    score = get_object_or_404(ManualScore.objects.select_related("round_unit__round"), pk=pk)
    if score.round_unit.round.state == RoundState.PUBLISHED:
        messages.error(request, "该批次已发布，不能再复核人工评分")
        return redirect("evaluation:unit", pk=score.round_unit_id)
    if score.evaluator_id == request.user.pk:
        messages.error(request, "复核须由另一位测评员进行")
        return redirect("evaluation:unit", pk=score.round_unit_id)
    form = ReviewForm(request.POST)
    form.is_valid()
    score.reviewed_by, score.reviewed_at = request.user, timezone.now()
    score.review_note = form.cleaned_data.get("review_note", "")
    score.save()
    messages.success(request, "已复核该项人工评分")
    return redirect("evaluation:unit", pk=score.round_unit_id)


@role_required()
def notice_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The 通报 and the score sheet. The office downloads them at any time; a liaison only once the round is
    published, and its sheet of findings lists its own units only."""
    from gongkai.reports import tongbao as writer

    round_ = get_object_or_404(Round, pk=pk)
    unit_ids = _unit_filter(request.user)
    if unit_ids is not None and (
        round_.state != RoundState.PUBLISHED or not round_.units.filter(unit_id__in=unit_ids).exists()
    ):
        raise PermissionDenied("该批次的通报尚未发布，或本单位未参加该批次测评")
    if not UnitResult.objects.filter(round_unit__round=round_).exists():
        messages.error(request, "该批次还没有测评结果，无法生成通报")
        return redirect(round_)
    tb = reporting.build_tongbao(round_, unit_ids=unit_ids)
    base = f"{round_.name}"
    if kind == "docx":
        return download(
            writer.build_docx(tb, reporting.tongbao_charts(tb)),
            f"{base}通报.docx",
            DOCX,
        )
    if kind == "pdf":
        return download(
            writer.build_pdf(tb, reporting.tongbao_charts(tb)), f"{base}通报.pdf", "application/pdf"
        )
    return download(
        writer.build_xlsx(tb),
        f"{base}得分与问题明细.xlsx",
        XLSX,
    )


@role_required(*OFFICE)
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(Assessment, pk=pk)
    return render(
        request,
        "evaluation/assessment.html",
        {
            "assessment": assessment,
            "groups": [
                (label, rows, [r.unit for r in rows if r.excellent])
                for label, rows in reporting.assessment_results(assessment).items()
            ],
        },
    )


@role_required(*WORKERS)
def assessment_create(request: HttpRequest) -> HttpResponse:
    form = AssessmentForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        assessment = form.save()
        return redirect("evaluation:assessment", pk=assessment.pk)
    return render(request, "evaluation/assessment_form.html", {"form": form})
