"""Forms of plans: the plan and its sources, a unit's progress report, the report's text blocks."""

from __future__ import annotations

from pathlib import Path

from django import forms

from gongkai.web.plans.models import Plan, PlanSource, ProgressStatus

MAX_ATTACHMENT_MB = 20
# Evidence files a unit may upload: documents, sheets, images, PDF, and archives of them.
ALLOWED_SUFFIXES = (
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".wps",
    ".et",
    ".ofd",
    ".png",
    ".jpg",
    ".jpeg",
    ".zip",
)
# The first bytes each kind starts with; a file whose name and content disagree is refused.
MAGIC = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".zip": (b"PK\x03\x04",),
    ".ofd": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".wps": (b"\xd0\xcf\x11\xe0",),
    ".et": (b"\xd0\xcf\x11\xe0",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["year", "title", "grace_days", "due_soon_days"]

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError("年度应在 2000 至 2100 之间")
        return year


SourceFormSet = forms.inlineformset_factory(
    Plan, PlanSource, fields=["level", "title", "number"], extra=3, can_delete=True
)


class ProgressForm(forms.Form):
    period = forms.ChoiceField(label="报送周期", required=False)  # "" is the one period of a one-off task
    status = forms.ChoiceField(label="进展", choices=ProgressStatus.choices)
    text = forms.CharField(
        label="工作情况",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="做了什么、取得什么成效；“未能完成”须写明原因",
    )
    links = forms.CharField(
        label="链接",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一个已公开页面的网址；平台会自动打开检查",
    )
    figure = forms.DecimalField(label="数字", required=False, max_digits=14, decimal_places=2)
    figure_label = forms.CharField(
        label="数字说明", required=False, max_length=100, help_text="例如：发布解读（篇）"
    )
    attachment = forms.FileField(
        label="附件",
        required=False,
        help_text=f"PDF、Word、Excel、WPS、OFD、图片或 ZIP，不超过 {MAX_ATTACHMENT_MB} MB",
    )

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.key, p.label or "全年任务") for p in periods]

    def clean_attachment(self):
        f = self.cleaned_data.get("attachment")
        if not f:
            return f
        if f.size > MAX_ATTACHMENT_MB * 1024 * 1024:
            raise forms.ValidationError(f"附件不能超过 {MAX_ATTACHMENT_MB} MB")
        suffix = Path(f.name).suffix.lower()
        if suffix not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(
                f"不支持的附件类型“{suffix or f.name}”：请上传 {'、'.join(ALLOWED_SUFFIXES)}"
            )
        head = f.read(8)
        f.seek(0)
        if not head.startswith(MAGIC[suffix]):
            raise forms.ValidationError(f"附件“{f.name}”的内容不是 {suffix} 文件，请检查后重新上传")
        return f

    def link_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("links", "").splitlines() if line.strip()]
