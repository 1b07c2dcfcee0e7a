"""Upload form: a unit the user may edit, one or many files, an optional year."""

from __future__ import annotations

from django import forms
from django.conf import settings

from gongkai.web.units.models import Unit

UPLOAD_MAX_MB = int(getattr(settings, "GONGKAI_ANNUAL_UPLOAD_MB", 20))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label="单位")
    year = forms.IntegerField(
        label="报告年度", required=False, min_value=2008, max_value=2100, help_text="留空则从报告中识别"
    )
    files = MultipleFileField(
        label="年报文件",
        help_text=f"可多选；支持 HTML、PDF（含文字层）、DOCX、XLSX、TXT；每个文件不超过 {UPLOAD_MAX_MB} MB",
    )

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
