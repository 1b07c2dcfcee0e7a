"""Upload form (a unit the user may edit, one or many files, an optional year) and the build forms
(unit and year; one field per table cell and text chapter)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from gongkai.annual.model import CHAPTERS, T2_KEYS, T3_COLUMNS, T3_KEYS_2021, T4_KEYS, cell_label
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
        help_text=f"可多选；支持 HTML、PDF（含文字层）、DOCX、XLSX、XLS、TXT；每个文件不超过 {UPLOAD_MAX_MB} MB",
    )

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units


# --- building a unit's own report (编制年报) ----------------------------------------------------------------
BUILD_MIN_YEAR = 2021  # the page writes the 2021 national layout only
CHAPTER_MAX_CHARS = 20000
CELL_MAX = 999_999_999
NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
BLANK_TEXTS = {"", "/", "-", "—", "－", "／"}
# Chapters written as text; 二/三/四 are the tables themselves.
TEXT_CHAPTERS: tuple[str, ...] = (CHAPTERS[0], CHAPTERS[4], CHAPTERS[5])


def t3_address(key: str, column: str) -> str:
    return f"t3.{key}.{column}"


def chapter_field(heading: str) -> str:
    return f"ch{CHAPTERS.index(heading) + 1}"


class CellField(forms.Field):
    """One cell of tables 二/三/四: a non-negative integer (a decimal for 收费金额), or None when left blank
    or written as “/”, “-”, “—”. Error messages name the table, row and column in Chinese."""

    widget = forms.TextInput

    def __init__(self, address: str, *, decimal: bool = False, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", cell_label(address))
        super().__init__(**kwargs)
        self.address = address
        self.decimal = decimal
        self.widget.attrs.update(
            {"inputmode": "decimal" if decimal else "numeric", "autocomplete": "off", "class": "cell"}
        )

    def prepare_value(self, value):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer() and not self.decimal:
            return str(int(value))
        return str(value)

    def to_python(self, value) -> int | Decimal | None:
        raw = "" if value is None else str(value)
        text = unicodedata.normalize("NFKC", raw).strip().replace(",", "").replace(" ", "")
        if text in BLANK_TEXTS:
            return None
        where = self.label
        if len(text) > 15:
            raise ValidationError(f"{where}：「{raw[:20]}…」过长，请填写一个数字", code="too_long")
        if not NUMBER.fullmatch(text):
            kind = "数字（可保留四位小数）" if self.decimal else "非负整数"
            raise ValidationError(
                f"{where}：「{raw.strip()}」不是数字，请填写{kind}；不适用可留空或填“/”", code="invalid"
            )
        number = Decimal(text)
        if number < 0:
            raise ValidationError(f"{where}：不能为负数（填写的是 {raw.strip()}）", code="negative")
        if number > CELL_MAX:
            raise ValidationError(f"{where}：数值 {raw.strip()} 过大", code="too_large")
        if self.decimal:
            if number.as_tuple().exponent < -4:  # type: ignore[operator]
                raise ValidationError(
                    f"{where}：金额最多保留四位小数（填写的是 {raw.strip()}）", code="places"
                )
            return number.normalize() if number != number.to_integral_value() else number.quantize(Decimal(1))
        if number != number.to_integral_value():
            raise ValidationError(f"{where}：应为整数（件数），填写的是 {raw.strip()}", code="not_integer")
        return int(number)


class BuildChooseForm(forms.Form):
    """Which unit and year to compose (GET)."""

    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label="单位")
    year = forms.IntegerField(
        label="报告年度",
        min_value=BUILD_MIN_YEAR,
        max_value=2100,
        error_messages={"min_value": f"本页按2021年国家格式编制，年度须为{BUILD_MIN_YEAR}年及以后"},
    )

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units


class ReportForm(forms.Form):
    """The whole report: one field per cell of tables 二/三/四 (named by its cell address, e.g.
    `t3.granted.total`, `t2.fees.amount_wan`, `t4.review.total`) and one per text chapter (`ch1`, `ch5`,
    `ch6`)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for key in T2_KEYS:
            self.fields[f"t2.{key}"] = CellField(f"t2.{key}", decimal=key == "fees.amount_wan")
        for key in T3_KEYS_2021:
            for column in T3_COLUMNS:
                self.fields[t3_address(key, column)] = CellField(t3_address(key, column))
        for key in T4_KEYS:
            self.fields[f"t4.{key}"] = CellField(f"t4.{key}")
        for heading in TEXT_CHAPTERS:
            self.fields[chapter_field(heading)] = forms.CharField(
                label=heading,
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
                max_length=CHAPTER_MAX_CHARS,
                error_messages={
                    "max_length": f"{heading}：正文不能超过 {CHAPTER_MAX_CHARS} 字"
                    "（目前 %(show_value)d 字），请精简后再提交"
                },
            )

    # -- between the form and the contracts JSON shape ------------------------------------------------
    @staticmethod
    def initial_from(tables: dict, chapters: dict) -> dict[str, object]:
        """Initial values from stored tables (contracts shape) and chapters (heading -> text)."""
        initial: dict[str, object] = {}
        t2 = tables.get("t2") or {}
        for key in T2_KEYS:
            initial[f"t2.{key}"] = t2.get(key)
        t3 = tables.get("t3") or {}
        for key in T3_KEYS_2021:
            row = t3.get(key) or [None] * 7
            for column, value in zip(T3_COLUMNS, row, strict=False):
                initial[t3_address(key, column)] = value
        t4 = tables.get("t4") or [None] * 15
        for key, value in zip(T4_KEYS, t4, strict=False):
            initial[f"t4.{key}"] = value
        for heading in TEXT_CHAPTERS:
            initial[chapter_field(heading)] = (chapters or {}).get(heading, "")
        return initial

    def tables(self) -> dict[str, object]:
        """The cleaned cells in the contracts JSON shape (blank cells are None; fees a float)."""
        data = self.cleaned_data
        fee = data.get("t2.fees.amount_wan")
        t2: dict[str, object] = {k: data.get(f"t2.{k}") for k in T2_KEYS}
        t2["fees.amount_wan"] = None if fee is None else float(fee)
        t3 = {key: [data.get(t3_address(key, c)) for c in T3_COLUMNS] for key in T3_KEYS_2021}
        t4 = [data.get(f"t4.{k}") for k in T4_KEYS]
        return {"t2": t2, "t3": t3, "t4": t4}

    def chapters(self) -> dict[str, str]:
        """Text chapters the user wrote; a chapter left empty is absent (CH-MISSING)."""
        out = {}
        for heading in TEXT_CHAPTERS:
            text = (self.cleaned_data.get(chapter_field(heading)) or "").strip()
            if text:
                out[heading] = text
        return out
