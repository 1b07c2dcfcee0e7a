"""Forms of evaluation rounds: creating a round, entering a manual score, reviewing it."""

from __future__ import annotations

from django import forms

from gongkai.frameworks import list_frameworks
from gongkai.web.evaluation.models import Assessment, ManualScore, Round
from gongkai.web.units.forms import http_url_formfield
from gongkai.web.units.models import UnitGroup

MAX_SCREENSHOT_MB = 5


DEFAULT_FRAMEWORK = "zwgk-2026"


def framework_choices() -> list[tuple[str, str]]:
    return [(f["id"], f"{f.get('name', f['id'])}（{f.get('version', '')}）") for f in list_frameworks()]


def default_framework(choices: list[tuple[str, str]]) -> str:
    """The framework marked 默认 in its name (the built-in zwgk-2026), else the first one."""
    marked = [fid for fid, label in choices if "默认" in label]
    ids = [fid for fid, _label in choices]
    if DEFAULT_FRAMEWORK in marked or (not marked and DEFAULT_FRAMEWORK in ids):
        return DEFAULT_FRAMEWORK
    return marked[0] if marked else (ids[0] if ids else "")


class RoundForm(forms.ModelForm):
    framework_id = forms.ChoiceField(label="指标体系", choices=())
    groups = forms.MultipleChoiceField(
        label="参评分组",
        choices=UnitGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=["county", "zone", "department", "township"],
    )
    sample_seed = forms.IntegerField(
        label="抽样随机种子",
        required=False,
        help_text="留空则随机生成并记录；填写同一种子可复现同样的抽样结果",
    )

    class Meta:
        model = Round
        fields = [
            "name",
            "number",
            "issuer",
            "framework_id",
            "as_of",
            "groups",
            "township_sample",
            "sample_seed",
            "previous",
            "rate",
            "max_pages",
            "check_external",
            "problem_due_days",
            "requirements",
        ]
        widgets = {
            # a type=date box only accepts YYYY-MM-DD, whatever the locale's display format is
            "as_of": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "requirements": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = framework_choices()
        self.fields["framework_id"].choices = choices
        self.fields["framework_id"].initial = default_framework(choices)
        last = Round.objects.exclude(issuer="").order_by("-pk").values_list("issuer", flat=True).first()
        if last and not self.initial.get("issuer"):
            self.initial["issuer"] = last

    def clean_rate(self) -> float:
        rate = self.cleaned_data["rate"]
        if not 0.05 <= rate <= 20:
            raise forms.ValidationError("每站每秒请求数应在 0.05 到 20 之间（政府网站脆弱，默认 2）")
        return rate


class ManualScoreForm(forms.ModelForm):
    class Meta:
        model = ManualScore
        formfield_callback = http_url_formfield
        fields = ["points", "not_applicable", "note", "evidence_url", "screenshot"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, max_points: float, **kwargs):
        self.max_points = max_points
        super().__init__(*args, **kwargs)
        self.fields["points"].help_text = f"0 到 {max_points:g} 分"
        self.fields["points"].required = False  # not needed when the item does not apply to the unit

    def clean_points(self) -> float | None:
        points = self.cleaned_data["points"]
        if points is not None and not 0 <= points <= self.max_points:
            raise forms.ValidationError(f"得分应在 0 到 {self.max_points:g} 之间")
        return points

    def clean(self):
        data = super().clean()
        if data.get("not_applicable"):
            if not (data.get("note") or "").strip():
                self.add_error("note", "标记为本单位不适用时，须在评分说明中写明依据")
            data["points"] = 0.0
        elif data.get("points") is None and "points" not in self.errors:
            self.add_error("points", "请填写得分")
        return data

    def clean_screenshot(self):
        shot = self.cleaned_data.get("screenshot")
        if shot and getattr(shot, "size", 0) > MAX_SCREENSHOT_MB * 1024 * 1024:
            raise forms.ValidationError(f"截图不能超过 {MAX_SCREENSHOT_MB} MB")
        if (
            shot
            and hasattr(shot, "name")
            and not shot.name.lower().endswith((".png", ".jpg", ".jpeg", ".webp"))
        ):
            raise forms.ValidationError("截图应为 PNG 或 JPG 图片")
        return shot


class ReviewForm(forms.Form):
    review_note = forms.CharField(label="复核意见", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["name", "year", "rounds", "other_items", "excellent_share", "excellent_min", "unevaluated"]
        widgets = {
            "rounds": forms.Textarea(attrs={"rows": 3}),
            "other_items": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_rounds(self):
        rounds = self.cleaned_data["rounds"]
        if not isinstance(rounds, list) or not rounds:
            raise forms.ValidationError('请至少填写一个测评批次，例如 [{"round": 1, "weight": 1}]')
        for i, entry in enumerate(rounds, start=1):
            if not isinstance(entry, dict) or "round" not in entry or "weight" not in entry:
                raise forms.ValidationError(f"第 {i} 项应包含 round（批次编号）和 weight（权重）")
            if not Round.objects.filter(pk=entry["round"]).exists():
                raise forms.ValidationError(f"第 {i} 项：编号为 {entry['round']} 的测评批次不存在")
        return rounds
