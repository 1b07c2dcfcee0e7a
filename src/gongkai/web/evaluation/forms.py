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


OTHER_ITEM_ROWS = 3


class AssessmentForm(forms.ModelForm):
    """年度绩效考评 as a form: a weight for each round to combine (blank: not included) and up to three other
    scored items (台账、培训 ...), each with a weight and one "单位全称 分数" per line."""

    class Meta:
        model = Assessment
        fields = ["name", "year", "excellent_share", "excellent_min", "unevaluated"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.round_fields: list[str] = []
        for round_ in Round.objects.exclude(state="draft").order_by("-as_of", "-pk"):
            name = f"weight_{round_.pk}"
            self.fields[name] = forms.FloatField(
                label=f"{round_.name}的权重", required=False, min_value=0, max_value=1,
                help_text="0 到 1 之间；留空则不计入本次考评",
            )  # fmt: skip
            self.round_fields.append(name)
        for i in range(1, OTHER_ITEM_ROWS + 1):
            self.fields[f"other_name_{i}"] = forms.CharField(label=f"其他考评项 {i} 名称", required=False)
            self.fields[f"other_weight_{i}"] = forms.FloatField(
                label=f"其他考评项 {i} 权重", required=False, min_value=0, max_value=1
            )
            self.fields[f"other_scores_{i}"] = forms.CharField(
                label=f"其他考评项 {i} 各单位得分",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="每行一个单位：单位全称 空格 分数（百分制），例如：临江市财政局 95",
            )

    def clean(self):
        data = super().clean()
        rounds = [
            {"round": int(name.removeprefix("weight_")), "weight": data[name]}
            for name in self.round_fields
            if data.get(name)
        ]
        if not rounds:
            raise forms.ValidationError("请至少为一个测评批次填写权重")
        others = []
        for i in range(1, OTHER_ITEM_ROWS + 1):
            name = (data.get(f"other_name_{i}") or "").strip()
            if not name:
                continue
            weight = data.get(f"other_weight_{i}")
            if not weight:
                self.add_error(f"other_weight_{i}", f"请填写“{name}”的权重")
                continue
            scores = self._scores(i, data.get(f"other_scores_{i}") or "")
            others.append({"name": name, "weight": weight, "scores": scores})
        total = sum(r["weight"] for r in rounds) + sum(o["weight"] for o in others)
        if abs(total - 1) > 1e-6:
            raise forms.ValidationError(f"各批次和其他考评项的权重合计应为 1，现为 {total:g}")
        self.instance.rounds, self.instance.other_items = rounds, others
        return data

    def _scores(self, i: int, text: str) -> dict[str, float]:
        scores: dict[str, float] = {}
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.replace("：", " ").replace(":", " ").replace(",", " ").split()
            try:
                value = float(parts[-1])
            except (ValueError, IndexError):
                self.add_error(f"other_scores_{i}", f"第 {n} 行应为“单位全称 分数”")
                continue
            scores[" ".join(parts[:-1])] = value
        return scores
