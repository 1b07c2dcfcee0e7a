"""The evidence the platform already holds for a task: where a task names a check, the unit's findings of that
check in its latest evaluated round; where it names a column, that round's findings on the column; where it
is about 解读 (an interpretation check or a 解读 column), the 解读 documents of the year in that round's crawl
by form (文字, 图解, 视频, 问答); where it names an annual-report figure (年报:t2.regulations.made), the figure
in the unit's latest stored report."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from pathlib import Path

from django.urls import NoReverseMatch, reverse

from gongkai.annual.model import cell_label
from gongkai.plugins import import_optional
from gongkai.web.plans.models import Task
from gongkai.web.plans.sources import ANNUAL_PREFIX, source_label

VERDICT_WORDS = {"PASS": "通过", "FAIL": "不通过", "UNCERTAIN": "无法判定", "NOT_ASSESSABLE": "无法评估"}


def offered(task: Task, unit) -> list[dict]:
    """Lines of {"label", "text", "url"} for the report form (empty when nothing is held)."""
    out: list[dict] = []
    source = task.evidence_source
    if source.startswith(ANNUAL_PREFIX):
        out.extend(_annual(unit, source[len(ANNUAL_PREFIX) :]))
    elif source or task.column:
        out.extend(_findings(unit, source, task.column))
    if source.startswith("interpretation.") or "解读" in task.column:
        out.extend(_interpretations(unit, task.plan.year))
    return out


# (form, words in a 解读's title); the first that matches names the form, else 文字解读.
FORMS = (
    ("图解", ("图解", "一图读懂", "图说")),
    ("视频", ("视频", "动漫", "微视频")),
    ("问答", ("问答", "答记者问")),
)
INTERPRETATION_WORDS = ("解读", "图解", "一图读懂", "政策问答", "答记者问")


def form_of(title: str) -> str:
    return next((form for form, words in FORMS if any(w in title for w in words)), "文字")


@lru_cache(maxsize=64)
def _forms_in_archive(archive: str, mtime: float, year: int) -> tuple[tuple[str, int], ...]:
    """解读 documents published in `year` by form, read from a crawl's archive (offline; cached per file)."""
    from gongkai.crawl import extract_archive

    site = extract_archive(Path(archive))
    counts = Counter(
        form_of(d.title)
        for d in site.documents
        if any(w in d.title for w in INTERPRETATION_WORDS)
        and (d.published or d.created)
        and (d.published or d.created).year == year
    )
    return tuple(sorted(counts.items(), key=lambda x: -x[1]))


def _interpretations(unit, year: int) -> list[dict]:
    ru = _latest_round_unit(unit)
    if ru is None or not ru.archive or not Path(ru.archive).exists():
        return []
    counts = _forms_in_archive(ru.archive, Path(ru.archive).stat().st_mtime, year)
    total = sum(n for _f, n in counts)
    by_form = "，".join(f"{form}解读 {n} 篇" for form, n in counts)
    text = f"最近一次测评抓取（{ru.round.name}）中{year}年发布的解读共 {total} 篇" + (
        f"：{by_form}" if by_form else ""
    )
    return [{"label": "解读数量", "text": text, "url": _url("evaluation:unit", ru.pk)}]


def _latest_round_unit(unit):
    models = import_optional("gongkai.web.evaluation.models")
    if models is None:
        return None
    return (
        models.RoundUnit.objects.filter(unit=unit, status="done")
        .select_related("round")
        .order_by("-round__as_of", "-pk")
        .first()
    )


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _findings(unit, check_id: str, column: str) -> list[dict]:
    ru = _latest_round_unit(unit)
    if ru is None:
        return []
    # a check judges the column itself (its findings name documents or pages); else the column's findings
    lookup = {"check_id": check_id} if check_id else {"subject__contains": column}
    findings = ru.findings.filter(**lookup)
    counts: dict[str, int] = {}
    examples = []
    for verdict, message in findings.values_list("verdict", "message")[:500]:
        counts[verdict] = counts.get(verdict, 0) + 1
        if verdict == "FAIL" and len(examples) < 3:
            examples.append(message)
    what = f"检查项“{source_label(check_id)}”" if check_id else f"栏目“{column}”"
    if not counts:
        text = f"最近一次测评（{ru.round.name}，数据截至 {ru.round.as_of:%Y-%m-%d}）没有{what}的检查结论"
    else:
        parts = "，".join(f"{VERDICT_WORDS.get(v, v)} {n} 项" for v, n in sorted(counts.items()))
        text = f"最近一次测评（{ru.round.name}，数据截至 {ru.round.as_of:%Y-%m-%d}）{what}：{parts}"
        if examples:
            text += "。如：" + "；".join(examples)
    return [{"label": "测评结论", "text": text, "url": _url("evaluation:unit", ru.pk)}]


def _annual(unit, path: str) -> list[dict]:
    models = import_optional("gongkai.web.annual.models")
    if models is None:
        return []
    record = models.ReportRecord.objects.filter(unit=unit).order_by("-year").first()
    if record is None:
        return [{"label": "年报数字", "text": "平台中还没有本单位的年度报告", "url": ""}]
    table, _, key = path.partition(".")
    value = (record.tables or {}).get(table, {})
    value = value.get(key) if isinstance(value, dict) else None
    text = (
        f"{record.year}年度{source_label(ANNUAL_PREFIX + path)}：{value}"
        if value is not None
        else f"{record.year}年度年报中没有{cell_label(path)}这一项数字"
    )
    return [{"label": "年报数字", "text": text, "url": record.get_absolute_url()}]
