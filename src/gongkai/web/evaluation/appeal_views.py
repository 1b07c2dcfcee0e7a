"""Pages of unit appeals (申诉): a liaison files one against its own unit's finding or manual deduction, the
office opens and closes the window and decides each appeal; the liaison sees the decision on its unit page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.web.accounts.access import ADMIN, EVALUATOR, LIAISON, get_scoped_or_404, role_required
from gongkai.web.evaluation import appeals, services
from gongkai.web.evaluation.models import Appeal, AppealStatus, Round, RoundUnit, StoredFinding

WORKERS = (ADMIN, EVALUATOR)
MAX_ATTACHMENT_MB = 10


class AppealForm(forms.Form):
    reason = forms.CharField(label="申诉理由", widget=forms.Textarea(attrs={"rows": 4}))
    links = forms.CharField(
        label="证明材料网址",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一个网址，例如已公开信息的页面地址",
    )
    attachment = forms.FileField(label="证明材料（截图或文件）", required=False)

    def clean_links(self) -> str:
        links = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        bad = [link for link in links if not link.startswith(("http://", "https://"))]
        if bad:
            raise forms.ValidationError(f"网址应以 http:// 或 https:// 开头：{bad[0]}")
        return "\n".join(links)

    def clean_attachment(self):
        file = self.cleaned_data.get("attachment")
        if file and file.size > MAX_ATTACHMENT_MB * 1024 * 1024:
            raise forms.ValidationError(f"证明材料不能超过 {MAX_ATTACHMENT_MB} MB")
        if file and not file.name.lower().endswith((".png", ".jpg", ".jpeg", ".pdf")):
            raise forms.ValidationError("证明材料应为 PNG、JPG 图片或 PDF 文件")
        return file


@role_required(LIAISON)
def appeal_create(request: HttpRequest, pk: int) -> HttpResponse:
    ru = get_scoped_or_404(RoundUnit.objects.select_related("round", "unit"), request.user, pk=pk)
    finding_id = request.GET.get("finding") or request.POST.get("finding") or None
    item = request.GET.get("item") or request.POST.get("item", "")
    finding = StoredFinding.objects.filter(pk=finding_id, round_unit=ru).first() if finding_id else None
    form = AppealForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appeals.file_appeal(
                ru, request.user, data["reason"], data["links"], data.get("attachment"), finding_id, item
            )
        except appeals.AppealError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已提交申诉，测评员处理后可在本页查看处理结果")
            return redirect("evaluation:unit", pk=ru.pk)
    return render(
        request,
        "evaluation/appeal_form.html",
        {"ru": ru, "form": form, "finding": finding, "item": item, "open": appeals.window_open(ru.round)},
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="处理结果", choices=[(AppealStatus.GRANTED, "申诉成立"), (AppealStatus.UPHELD, "维持原结论")]
    )
    note = forms.CharField(label="处理意见", widget=forms.Textarea(attrs={"rows": 2}))
    points = forms.FloatField(label="调整后的得分（人工评分项申诉成立时填写）", required=False, min_value=0)


@role_required(*WORKERS)
def appeal_list(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=pk)
    rows = Appeal.objects.filter(round_unit__round=round_).select_related(
        "round_unit__unit", "finding", "filed_by", "decided_by"
    )
    return render(
        request,
        "evaluation/appeals.html",
        {
            "round": round_,
            "appeals": rows,
            "open": appeals.window_open(round_),
            "form": DecisionForm(),
        },
    )


@require_POST
@role_required(*WORKERS)
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_object_or_404(Appeal.objects.select_related("round_unit__round", "finding"), pk=pk)
    form = DecisionForm(request.POST)
    round_ = appeal.round_unit.round
    if not form.is_valid():
        messages.error(request, "请选择处理结果并写明处理意见")
        return redirect("evaluation:appeals", pk=round_.pk)
    grant = form.cleaned_data["decision"] == AppealStatus.GRANTED
    points = form.cleaned_data.get("points")
    leaf = next((x for x in services.framework_of(round_).leaves() if x.path == appeal.item), None)
    if grant and not appeal.finding_id and leaf is not None and points is not None and points > leaf.points:
        messages.error(request, f"得分应在 0 到 {leaf.points:g} 之间")
        return redirect("evaluation:appeals", pk=round_.pk)
    try:
        appeals.decide_appeal(appeal, grant, form.cleaned_data["note"], request.user, points)
    except appeals.AppealError as exc:
        messages.error(request, str(exc))
    else:
        services.rescore(round_, appeal.round_unit.group)
        messages.success(request, "已处理申诉，得分和排名已更新" if grant else "已处理申诉：维持原结论")
    return redirect("evaluation:appeals", pk=round_.pk)


@require_POST
@role_required(*WORKERS)
def appeal_window(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=pk)
    try:
        if action == "open":
            appeals.open_window(round_)
            messages.success(request, f"已向各单位发布初步结果，申诉期 {round_.appeal_days} 天")
        else:
            appeals.close_window(round_)
            messages.success(request, "申诉期已结束，处理完全部申诉后即可发布")
    except appeals.AppealError as exc:
        messages.error(request, str(exc))
    return redirect(round_)


@role_required()
def appeal_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_object_or_404(Appeal, pk=pk)
    get_scoped_or_404(RoundUnit.objects.all(), request.user, pk=appeal.round_unit_id)
    if not appeal.attachment:
        raise Http404("该申诉没有证明材料")
    name = appeal.attachment.name.lower()
    kind = (
        "application/pdf"
        if name.endswith(".pdf")
        else ("image/png" if name.endswith(".png") else "image/jpeg")
    )
    response = FileResponse(appeal.attachment.open("rb"), content_type=kind)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
