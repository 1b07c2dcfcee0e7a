"""Forms of rectification: a unit's answer, the office's actions."""

from __future__ import annotations

from django import forms

from gongkai.web.rectification.models import AnswerStatus, HuitoukanSection

MAX_ATTACHMENT_MB = 20


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label="整改情况", choices=AnswerStatus.choices)
    links = forms.CharField(
        label="整改链接",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一个网址；已整改、部分整改须至少填写一个，平台会自动打开链接并重新检查",
    )
    explanation = forms.CharField(
        label="情况说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="暂不整改、无法整改、无需整改须写明理由（如：涉密、区级不单独制作）",
    )
    attachment = forms.FileField(label="附件", required=False)

    def clean_attachment(self):
        f = self.cleaned_data.get("attachment")
        if f and f.size > MAX_ATTACHMENT_MB * 1024 * 1024:
            raise forms.ValidationError(f"附件不能超过 {MAX_ATTACHMENT_MB} MB")
        return f

    def link_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("links", "").splitlines() if line.strip()]


class NoteForm(forms.Form):
    note = forms.CharField(label="意见或理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SplitForm(forms.Form):
    details = forms.CharField(
        label="拆分后的问题明细",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一条，第一条保留在原问题中",
    )


class AddItemForm(forms.Form):
    indicator = forms.CharField(label="指标路径", help_text="一级/二级/三级/四级指标，以“/”分隔")
    detail = forms.CharField(label="问题明细", widget=forms.Textarea(attrs={"rows": 3}))


class HuitoukanForm(forms.ModelForm):
    class Meta:
        model = HuitoukanSection
        fields = ["title", "introduction", "summary", "next_steps"]
        widgets = {f: forms.Textarea(attrs={"rows": 4}) for f in ("introduction", "summary", "next_steps")}
