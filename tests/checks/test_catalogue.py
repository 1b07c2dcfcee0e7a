"""The standard column catalogue as data (vocab/catalogue.yaml): its errors, name normalisation, and
column.missing matching real columns through aliases, regional variants and several columns together."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from builders import AS_OF, ROOT, ZL, clean_site

from gongkai.checks import run_check
from gongkai.crawl import classify
from gongkai.frameworks import FrameworkError, parse_framework
from gongkai.frameworks.catalogue import (
    CATALOGUE_ENV,
    load_catalogue,
    name_key,
    names_match,
    normalise,
    parse_catalogue_file,
)
from gongkai.model import Column, Item, Verdict


def add_columns(site, *names, role=None):
    """The site with extra 专栏 columns of these names (each with one dated row)."""
    extra = []
    for i, name in enumerate(names):
        url = f"{ZL}extra{i}/"
        row = Item(title=f"{name}信息", url=f"{url}t1.html", date=dt.date(2026, 3, 1), column_url=url)
        extra.append(Column(name=name, url=url, kind=classify(name), items=(row,), pages=1, in_zhuanlan=True))
    return dataclasses.replace(site, columns=(*site.columns, *extra))


def missing(site, *ids):
    return [f for f in run_check("column.missing", site, AS_OF, {"catalogue": list(ids)})]


def test_the_builtin_catalogue_holds_the_standard_entries():
    cat = load_catalogue()
    assert {e.id for e in cat.resolve(["@standard"])} == {"guide", "system", "statutory", "annual_report"}
    assert len(cat.resolve(["@grassroots"])) == 26  # 国办发〔2019〕54号's pilot areas
    assert len(cat.resolve(["@article20"])) == 14  # 条例第二十条's items (the 15th, "others", is no column)
    assert cat.entries["procurement"].name == "政府集中采购"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("（一）政府信息公开指南", "政府信息公开指南"),
        ("一、政府信息公开制度", "政府信息公开制度"),
        ("1. 政府采购", "政府采购"),
        ("2、 行政处罚", "行政处罚"),
        ("①社会救助", "社会救助"),
        ("政府采购　>>", "政府采购"),
        ("通知公告更多", "通知公告"),
        ("ＡＢＣ 统计 信息", "ABC统计信息"),
    ],
)
def test_names_are_normalised(raw, clean):
    assert normalise(raw) == clean


def test_connectives_and_affixes_do_not_change_a_name():
    assert name_key("行政处罚和行政强制") == name_key("行政处罚与行政强制") == name_key("行政处罚、行政强制")
    assert name_key("政府信息公开指南") == name_key("信息公开指南") == name_key("公开指南")
    assert name_key("重点领域信息公开") == name_key("重点领域") == name_key("重点领域专栏")
    assert name_key("统计信息") == name_key("统计")
    assert not names_match("办事指南", ["政府信息公开指南", "公开指南"])  # 指南 alone is not the 公开指南
    assert not names_match("更多>>", ["更多"])  # nothing left after normalising


def test_classify_reads_numbered_and_new_kinds():
    assert classify("（一）政府信息公开指南 >>") == "guide"
    assert classify("①行政处罚") == "enforcement"
    assert classify("1. 政府采购") == "procurement"
    assert classify("重点领域信息公开") == "key_area"
    assert classify("社会救助") == "area"
    assert classify("市应急管理局") == "other"  # a unit, not a column


def test_a_regional_variant_satisfies_the_standard_entry_and_the_evidence_names_it():
    site = add_columns(clean_site(), "政府采购")
    [finding] = missing(site, "procurement")
    assert finding.verdict is Verdict.PASS
    assert "政府集中采购" in finding.evidence[0].snippet and "政府采购" in finding.evidence[0].snippet
    assert finding.evidence[0].url == f"{ZL}extra0/"


def test_penalty_and_enforcement_together_satisfy_one_entry():
    [finding] = missing(add_columns(clean_site(), "行政处罚", "行政强制"), "penalty")
    assert finding.verdict is Verdict.PASS
    assert "行政处罚" in finding.evidence[0].snippet and "行政强制" in finding.evidence[0].snippet


def test_one_of_two_required_columns_fails_naming_what_was_found():
    [finding] = missing(add_columns(clean_site(), "行政处罚"), "penalty")
    assert finding.verdict is Verdict.FAIL and finding.subject == "行政处罚和行政强制"
    assert "「行政处罚」" in finding.message and "行政强制" in finding.message
    assert f"{ZL}extra0/" in [e.url for e in finding.evidence]


@pytest.mark.parametrize("name", ["行政处罚与行政强制", "三、行政处罚和行政强制", "行政执法公示"])
def test_the_whole_entry_under_another_spelling_satisfies_it(name):
    [finding] = missing(add_columns(clean_site(), name), "penalty")
    assert finding.verdict is Verdict.PASS


def test_numbered_names_and_variants_match():
    site = add_columns(clean_site(), "（三）社会救助", "1.应急管理", "重大建设项目 >>", "其他文件")
    [finding] = missing(site, "social_assistance", "emergency", "project", "policy")
    assert finding.verdict is Verdict.PASS


def test_unknown_names_do_not_match():
    site = add_columns(clean_site(), "互动交流", "专题专栏", "采访", "行政")
    found = missing(site, "procurement", "penalty", "emergency", "social_assistance")
    assert [f.verdict for f in found] == [Verdict.FAIL] * 4
    assert all("未找到" in f.message for f in found)


def test_a_homepage_block_or_an_article_is_not_a_column():
    site = clean_site()
    block = Column(name="政府采购", url=ROOT, kind="procurement", items=site.columns[4].items)
    article_url = ROOT + "xwzx/2026/t9.html"
    article = Column(name="应急管理", url=article_url, kind="emergency")
    pages = (*site.pages, dataclasses.replace(site.pages[-1], url=article_url, role="article"))
    site = dataclasses.replace(site, columns=(*site.columns, block, article), pages=pages)
    assert [f.verdict for f in missing(site, "procurement", "emergency")] == [Verdict.FAIL, Verdict.FAIL]


def test_the_older_inline_form_still_works_beside_ids():
    catalogue = ["guide", {"name": "监督保障", "kinds": [], "aliases": ["监督检查"]}]
    found = run_check(
        "column.missing", add_columns(clean_site(), "监督检查"), AS_OF, {"catalogue": catalogue}
    )
    assert [f.verdict for f in found] == [Verdict.PASS]


BAD_CATALOGUE = """\
version: 1
kinds:
  - {kind: rural, label: 村务, keywords: [村务]}
entries:
  - {id: village, name: 村务公开, kinds: [rural]}
  - {id: village, name: 居务公开, kinds: [rural]}
  - {id: farm, name: 农业补贴, kinds: [farming]}
"""


def test_catalogue_file_errors_name_their_lines(tmp_path: Path):
    path = tmp_path / "mine.yaml"
    path.write_text(BAD_CATALOGUE, encoding="utf-8")
    with pytest.raises(FrameworkError) as caught:
        parse_catalogue_file(path, load_catalogue())
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (6, "条目 id「village」重复"),
        (7, "未知的栏目类别「farming」（须在 kinds 中定义）"),
    ]


def test_schema_errors_name_their_lines(tmp_path: Path):
    path = tmp_path / "mine.yaml"
    path.write_text(
        "version: 1\nentries:\n  - {id: ok, name: 村务公开}\n  - {name: 居务公开}\n", encoding="utf-8"
    )
    with pytest.raises(FrameworkError) as caught:
        parse_catalogue_file(path)
    [problem] = caught.value.problems
    assert problem.line == 4 and "id" in problem.message


def test_an_administrators_file_extends_the_builtin_catalogue(tmp_path: Path, monkeypatch):
    path = tmp_path / "mine.yaml"
    path.write_text(
        BAD_CATALOGUE.replace("  - {id: village, name: 居务公开, kinds: [rural]}\n", "").replace(
            "kinds: [farming]", "kinds: [rural], aliases: [惠农补贴发放]"
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv(CATALOGUE_ENV, str(path))
    assert classify("村务公开栏") == "rural"
    assert {e.id for e in load_catalogue().resolve(["village", "guide"])} == {"village", "guide"}
    [finding] = missing(add_columns(clean_site(), "村务公开"), "village")
    assert finding.verdict is Verdict.PASS


def test_a_framework_naming_an_unknown_entry_fails_to_load_with_its_line():
    text = """\
id: t
version: 1
name: 测试
items:
  - name: 栏目
    points: 1
    checks:
      - {check: column.missing, params: {catalogue: [guide, no_such_entry]}, deduct: 1}
"""
    with pytest.raises(FrameworkError) as caught:
        parse_framework(text)
    [problem] = caught.value.problems
    assert problem.line == 8 and "no_such_entry" in problem.message


def test_the_frameworks_cli_validates_catalogue_files_and_lists_check_roles(tmp_path: Path):
    from typer.testing import CliRunner

    from gongkai.cli import app

    runner = CliRunner()
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_CATALOGUE, encoding="utf-8")
    out = runner.invoke(app, ["frameworks", "check", str(bad)])
    assert out.exit_code == 1 and "第 6 行" in out.output and "第 7 行" in out.output
    good = tmp_path / "good.yaml"
    good.write_text(
        BAD_CATALOGUE.replace("kinds: [farming]", "kinds: [rural]").replace(
            "id: village, name: 居务", "id: ward, name: 居务"
        ),
        encoding="utf-8",
    )
    out = runner.invoke(app, ["frameworks", "check", str(good)])
    assert out.exit_code == 0 and "与内置目录合并后" in out.output.replace("\n", "")
    out = runner.invoke(app, ["frameworks", "checks"], env={"COLUMNS": "240"})
    assert out.exit_code == 0 and "专栏公开信息" in out.output and "meta.missing" in out.output


# The 专栏 of an ordinary TRS-style district portal (issue 15): its columns under their own names.
DISTRICT_COLUMNS = [
    "机构职能", "领导信息", "权责清单", "规范性文件", "其他文件", "行政许可", "行政处罚", "行政强制",
    "行政事业性收费", "政府采购", "重大建设项目", "重大行政决策预公开", "常务会议", "重点领域信息公开",
    "财政预决算", "社会救助", "应急管理", "安全生产", "生态环境", "公共资源交易", "就业创业", "义务教育",
]  # fmt: skip


def test_a_district_portals_columns_satisfy_the_default_catalogue_under_their_own_names():
    from gongkai.frameworks import load_framework

    refs = load_framework("zwgk-2026").parameters["catalogue"]
    site = add_columns(clean_site(), *DISTRICT_COLUMNS)
    failed = {
        f.subject
        for f in run_check("column.missing", site, AS_OF, {"catalogue": refs})
        if f.verdict is Verdict.FAIL
    }
    # what the portal really lacks and nothing else (安全生产 and 生态环境 are 监督检查's areas; the built
    # site's 人事信息 holds 公务员招考录用)
    assert failed == {"统计信息", "建议提案办理"}


def test_a_framework_names_its_own_catalogue_file(tmp_path: Path):
    path = tmp_path / "mine.yaml"
    path.write_text(
        "version: 1\nentries:\n  - {id: village, name: 村务公开, aliases: [居务公开]}\n", encoding="utf-8"
    )
    params = {"catalogue": ["village", "guide"], "catalogue_file": str(path)}
    site = add_columns(clean_site(), "居务公开")
    assert [f.verdict for f in run_check("column.missing", site, AS_OF, params)] == [Verdict.PASS]
    text = f"""\
id: t
version: 1
name: 测试
items:
  - name: 栏目
    points: 1
    checks:
      - {{check: column.missing, params: {{catalogue: [village], catalogue_file: {path}}}, deduct: 1}}
"""
    assert parse_framework(text).leaves()[0].checks[0].params["catalogue"] == ["village"]
    with pytest.raises(FrameworkError):
        parse_framework(text.replace(str(path), str(tmp_path / "none.yaml")))


def test_scan_refuses_a_bad_catalogue_file_with_its_line(tmp_path: Path, monkeypatch):
    from typer.testing import CliRunner

    from gongkai.cli import app

    monkeypatch.setenv(CATALOGUE_ENV, "")  # restored after the test: --catalogue sets it for the process
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_CATALOGUE, encoding="utf-8")
    out = CliRunner().invoke(
        app, ["scan", "--from-archive", str(tmp_path / "none.warc.gz"), "--catalogue", str(bad)]
    )
    assert out.exit_code == 2 and "第 6 行" in out.output
    assert load_catalogue().entries.keys() >= {"guide"}  # the process still has the built-in catalogue
