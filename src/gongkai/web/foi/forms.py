"""Forms of the ledger: applications, events, cases, fees, 告知书, import, statistics, calendar."""

from __future__ import annotations

from datetime import date

from django import forms

from gongkai.foi import EVENT_KINDS
from gongkai.web.foi.models import (
    CONSULT_CHOICES,
    FEE_METHOD_CHOICES,
    NOTICE_KINDS,
    OUTCOME_CHOICES,
    Application,
    Case,
    NoticeTemplate,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = [
            "unit",
            "number",
            "applicant_type",
            "applicant_name",
            "id_document",
            "legal_representative",
            "contact_person",
            "phone",
            "email",
            "address",
            "channel",
            "submitted_on",
            "signed_on",
            "confirmed_on",
            "content",
            "requested_form",
            "reply_form",
        ]
        widgets = {
            "submitted_on": DATE,
            "signed_on": DATE,
            "confirmed_on": DATE,
            "content": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
        if self.instance.pk:
            # The unit of an existing application does not change (its numbering is per unit).
            self.fields["unit"].disabled = True


EVENT_CHOICES = [(k, v) for k, v in EVENT_KINDS.items() if k != "received"]


class EventForm(forms.Form):
    kind = forms.ChoiceField(label="事件", choices=EVENT_CHOICES)
    on = forms.DateField(label="日期", widget=DATE, initial=date.today)
    outcome = forms.ChoiceField(
        label="办理结果（答复时）", choices=[("", "—")] + OUTCOME_CHOICES, required=False
    )
    days = forms.IntegerField(label="延期工作日数", min_value=0, max_value=40, required=False)
    approver = forms.CharField(label="批准人（延期时）", max_length=100, required=False)
    consult = forms.ChoiceField(label="征求意见对象", choices=[("", "—")] + CONSULT_CHOICES, required=False)
    amount = forms.DecimalField(
        label="金额（收费通知）", min_value=0, max_digits=10, decimal_places=2, required=False
    )
    note = forms.CharField(label="备注", max_length=500, required=False)


class CaseForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = ["kind", "filed_on", "result", "decided_on", "note"]
        widgets = {"filed_on": DATE, "decided_on": DATE}

    def clean(self):
        data = super().clean()
        filed, decided, result = data.get("filed_on"), data.get("decided_on"), data.get("result")
        if decided and filed and decided < filed:
            self.add_error("decided_on", "审结日期不能早于立案日期")
        if decided and not result:
            self.add_error("result", "填写了审结日期，请同时选择结果")
        if result and not decided:
            self.add_error("decided_on", "选择了结果，请同时填写审结日期")
        return data


class FeeForm(forms.Form):
    fee_method = forms.ChoiceField(label="收费方式", choices=FEE_METHOD_CHOICES, required=False)
    pages = forms.IntegerField(label="页数（按量计收）", min_value=0, required=False)


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label="文书类型", choices=NOTICE_KINDS)
    explanation = forms.CharField(label="具体说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    correction_items = forms.CharField(label="补正事项（补正通知）", required=False)
    correction_deadline = forms.DateField(label="补正期限（补正通知）", widget=DATE, required=False)


class ImportForm(forms.Form):
    unit = forms.ModelChoiceField(label="单位", queryset=None)
    file = forms.FileField(label="Excel 台账（.xlsx 或 .xls）")

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class StatsForm(forms.Form):
    unit = forms.ModelChoiceField(label="单位", queryset=None)
    year = forms.IntegerField(label="年度", min_value=2008, max_value=2100)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class NoticeImportForm(forms.Form):
    text = forms.CharField(
        label="通知全文",
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 12, "placeholder": "国务院办公厅关于××××年部分节假日安排的通知……"}
        ),
        help_text="从中国政府网复制通知全文粘贴于此，或上传 .txt / .docx 文件",
    )
    file = forms.FileField(label="或上传文件（.txt / .docx）", required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("file"):
            raise forms.ValidationError("请粘贴通知全文或上传通知文件")
        return data

    def notice_text(self) -> str:
        """The pasted text, or the uploaded file's text (.docx paragraphs, or UTF-8/GB18030 text)."""
        from gongkai.foi.holiday_notice import NoticeError, notice_text_from_docx

        upload = self.cleaned_data.get("file")
        if not upload:
            return self.cleaned_data["text"]
        data = upload.read()
        name = upload.name.lower()
        if name.endswith(".docx"):
            return notice_text_from_docx(data)
        if not name.endswith(".txt"):
            raise NoticeError(
                f"不支持的文件类型“{upload.name}”：请上传 .txt 或 .docx 文件，或直接粘贴通知全文"
            )
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise NoticeError("无法识别上传文本文件的编码，请另存为 UTF-8 或直接粘贴通知全文")


class TemplateForm(forms.ModelForm):
    class Meta:
        model = NoticeTemplate
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}


class UploadForm(forms.Form):
    title = forms.CharField(label="文书标题", max_length=200)
    file = forms.FileField(label="文件（PDF、DOCX 或扫描件）")
