"""The real-page benchmark's labels, held as tests: real government pages (tests/fixtures/real_pages),
archived at their own URLs and read back by the crawler's offline path, must get the verdicts a human
gave them.

Cases today's code gets wrong are marked xfail(strict=True) with the reason, so that each turns into a
failure (to be unmarked) the day the code is fixed.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("real_pages_bench", ROOT / "bench" / "real_pages_bench.py")
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
sys.modules["real_pages_bench"] = bench
_spec.loader.exec_module(bench)

PAGES, _HEADER = bench.load_labels()
METADATA_CHECKS = bench.METADATA_CHECKS

# Field-extraction accuracy today's code reaches on the labelled fields (bench/real_pages_bench.py): all
# of them (66/66), including the 山西省税务局 policy page's 文号 and 成文日期 printed as red
# “【文号】 晋医保发〔2021〕14号<br>【成文日期】 2021-07-28” lines above the body (crawl/labels.py).
FIELD_ACCURACY_FLOOR = 1.0

# (page file, check id) -> why today's code says FAIL where the human does not.
KNOWN_FALSE_FAILS: dict[tuple[str, str], str] = {}
# (page file, check id) -> why today's code misses a FAIL the human proved.
KNOWN_MISSES: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    workdir = tmp_path_factory.mktemp("real-pages")
    return {page.file: bench.evaluate(page, workdir) for page in PAGES}


def _case(page_file: str, check_id: str, known: dict[tuple[str, str], str]) -> object:
    reason = known.get((page_file, check_id))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(page_file, check_id, marks=marks, id=f"{page_file}::{check_id}")


def test_every_saved_page_is_labelled_and_has_its_source() -> None:
    saved = {
        str(p.relative_to(bench.FIXTURES))
        for p in bench.FIXTURES.rglob("*")
        if p.is_file() and p.suffix in (".html", ".htm", ".txt")
    }
    labelled = {page.file for page in PAGES}
    assert saved == labelled
    sources = (bench.FIXTURES / "SOURCES.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([^`]+)` \|", sources, re.MULTILINE))
    assert labelled <= listed, sorted(labelled - listed)
    assert len({page.family for page in PAGES}) >= 2


def test_a_broken_label_file_is_refused_with_the_page_named(tmp_path: Path) -> None:
    bad = tmp_path / "labels.yaml"
    text = (bench.LABELS).read_text(encoding="utf-8")
    bad.write_text(text.replace("verdict: PASS, reason:", "verdict: OK, reason:", 1), encoding="utf-8")
    with pytest.raises(bench.LabelError, match="verdict"):
        bench.load_labels(bad)


@pytest.mark.parametrize(
    ("page_file", "check_id"),
    [_case(p.file, c, KNOWN_FALSE_FAILS) for p in PAGES if p.decoy for c in METADATA_CHECKS],
)
def test_no_metadata_fail_on_pages_that_are_not_zhuanlan_documents(outcomes, page_file, check_id) -> None:
    outcome = outcomes[page_file]
    assert outcome.verdicts.get(check_id) != "FAIL", outcome.messages.get(check_id)


@pytest.mark.parametrize(
    ("page_file", "check_id"),
    [
        _case(p.file, c, KNOWN_FALSE_FAILS)
        for p in PAGES
        for c in bench.page_checks()
        if c not in p.not_judged
        and p.checks.get(c, {}).get("verdict") != "FAIL"
        and not (p.decoy and c in METADATA_CHECKS)
    ],
)
def test_no_fail_that_a_human_would_not_give(outcomes, page_file, check_id) -> None:
    outcome = outcomes[page_file]
    assert outcome.verdicts.get(check_id) != "FAIL", outcome.messages.get(check_id)


@pytest.mark.parametrize(
    ("page_file", "check_id"),
    [
        _case(p.file, c, KNOWN_MISSES)
        for p in PAGES
        for c, label in p.checks.items()
        if label["verdict"] == "FAIL"
    ],
)
def test_every_fail_a_human_proves_is_found(outcomes, page_file, check_id) -> None:
    outcome = outcomes[page_file]
    assert outcome.verdicts[check_id] == "FAIL", outcome.messages.get(check_id)


def test_metadata_fields_are_read_as_a_human_reads_them(outcomes) -> None:
    accuracy = bench.field_accuracy(list(outcomes.values()))
    assert accuracy["all"]["labelled"] >= 20
    assert accuracy["all"]["accuracy"] >= FIELD_ACCURACY_FLOOR, accuracy


@pytest.mark.parametrize("check_id", ["meta.index_invalid", "item.undated", "column.blank"])
def test_a_check_with_nothing_to_judge_says_so_instead_of_passing(outcomes, check_id) -> None:
    # The 银保监会 licence query page shows no 索引号, no dated list and is no column: nothing to judge.
    outcome = outcomes["cbirc-jr/cbirc-jr-licence-query.html"]
    assert outcome.verdicts[check_id] == "NOT_ASSESSABLE", outcome.messages[check_id]


def test_an_index_number_shown_on_the_page_is_still_judged(outcomes) -> None:
    outcome = outcomes["trs-handan/handan-xxgk-detail-2020.html"]
    assert outcome.verdicts["meta.index_invalid"] == "PASS", outcome.messages["meta.index_invalid"]


@pytest.mark.parametrize(
    "page_file",
    ["huilan-eportal-beijing/bjfda-xzcf-detail-2018.html", "cbirc-jr/cbirc-jr-licence-query.html"],
)
def test_an_undated_page_seen_before_a_renaming_keeps_its_then_current_name(page_file, tmp_path) -> None:
    # 北京市食品药品监督管理局 (2018) and 银保监会 (before 2023-05) were the names in force when the page was seen.
    # Both are query-system pages (role service, which the wording checks leave out): the names are judged
    # on the page's text as if it were an article.
    page = next(p for p in PAGES if p.file == page_file)
    model = bench.page_model(page, tmp_path)
    assert [p.role for p in model.pages] == ["service"]
    as_article = dataclasses.replace(
        model, pages=tuple(dataclasses.replace(p, role="article") for p in model.pages)
    )
    verdict, message = bench.strongest(bench.run_check("wording.nonstandard", as_article, page.as_of))
    assert verdict == "PASS", message


# Pages whose model role differs from the label today, and why. "guide" is a label role only: the model
# gives a 专栏 guide the role zhuanlan_document (guide.elements reads it by its title).
KNOWN_ROLE_MISSES: dict[str, str] = {}


@pytest.mark.parametrize(
    "page_file",
    [
        pytest.param(p.file, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_ROLE_MISSES[p.file])])
        if p.file in KNOWN_ROLE_MISSES
        else p.file
        for p in PAGES
    ],
)
def test_every_page_gets_the_role_a_human_gives(outcomes, page_file) -> None:
    # list pages with dated rows under any markup (vwell div rows, PowerEasy loose li, dl/dd rows, one row
    # beside an avalon template), a column page whose list is in an iframe (ColumnName, no ArticleTitle),
    # catalogue pages met alone (政府信息公开专栏 heading, undated rows to directories), a site's
    # /index.html, query systems' pages (查询详细页, 本系统), the 依申请公开 受理机构 note (roles.yaml)
    outcome = outcomes[page_file]
    expected = {"guide": "zhuanlan_document"}.get(outcome.page.role, outcome.page.role)
    assert outcome.role == expected, outcome.kind


# (page file, check id) -> why the column checks disagree with the label on a page judged alone.
KNOWN_COLUMN_DISAGREEMENTS = {
    (
        "fujian-pingtan/pingtan-zfxxgkzd-list.html",
        "item.undated",
    ): "制度栏目不要求日期（STATIC_KINDS），不评判",
    ("fujian-pingtan/pingtan-zwgk-catalogue.html", "item.undated"): "首页、目录页的日期行不是栏目",
    ("jeecms-nbgjj/nbgjj-home-2017.html", "item.undated"): "首页的通知公告块不是栏目",
    ("hanweb-cosco/coscoshipping-home-2018.html", "item.undated"): "首页的集团要闻块不是栏目",
}


@pytest.mark.parametrize(
    ("page_file", "check_id"),
    [
        _case(p.file, c, KNOWN_COLUMN_DISAGREEMENTS)
        for p in PAGES
        for c in ("column.blank", "item.undated")
        if c in p.checks
    ],
)
def test_a_list_page_met_on_its_own_is_judged_as_its_column(outcomes, page_file, check_id) -> None:
    # a list page no catalogue links is a column all the same: its dated rows make column.blank and
    # item.undated PASS; a page whose list cannot be read (an iframe, a query form) is not judged
    outcome = outcomes[page_file]
    assert outcome.verdicts[check_id] == outcome.page.checks[check_id]["verdict"], outcome.messages[check_id]


@pytest.mark.parametrize(
    ("page_file", "name"),
    [
        ("vwell-jiangxi-county/wanzai-wzyw-list-2017.html", "万载要闻"),
        ("powereasy-school/sxyz-xxxw-list-page63.html", "学校新闻"),
        ("powereasy-jingan/jingan-zwyw-list-2017.html", "政务要闻"),
        ("trs-yichun-county/yuanzhou-zwyw-list-2017.html", "政务要闻"),
        ("fujian-pingtan/pingtan-gsgg-list.html", "公示公告"),
        ("fujian-pingtan/pingtan-zfxxgknb-list.html", "zfxxgknb"),
    ],
)
def test_a_lone_list_page_column_is_named_and_dated(page_file, name, tmp_path) -> None:
    # named from the title, the breadcrumb (袁州区政府网 titles every page with the site's name) or the
    # navigation link to the page itself, else its directory; every row keeps its date
    page = next(p for p in PAGES if p.file == page_file)
    [column] = bench.page_model(page, tmp_path).columns
    assert column.name == name and column.url == page.url
    assert len(column.items) >= 3 and all(it.date is not None for it in column.items)
