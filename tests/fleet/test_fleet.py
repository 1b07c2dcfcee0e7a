"""The fleet generator and server: structure, ground truth, fixes, save/load, fault modes."""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from gongkai.checks.interaction import deadline
from gongkai.fleet import DEFECT_CHECKS, Fleet, FleetServer, generate_fleet

AS_OF = dt.date(2026, 11, 20)
CONTRACTS = Path(__file__).resolve().parents[2] / ".." / "shared" / "domain" / "contracts.md"


def get(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read(), r.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), ""


@pytest.fixture(scope="module")
def fleet() -> Fleet:
    return generate_fleet(9, seed=3, defect_rate=0.3, as_of=AS_OF)


def test_sites_have_groups_styles_and_names(fleet: Fleet) -> None:
    assert {s.group for s in fleet.sites} == {"county", "department", "township"}
    assert {s.cms for s in fleet.sites} == {"trs", "hanweb", "gkmlpt"}
    assert len({s.name for s in fleet.sites}) == 9
    dept = next(s for s in fleet.sites if s.group == "department")
    assert dept.full_name.startswith("临江市") and dept.name.startswith("市")


def test_generation_is_reproducible_from_the_seed() -> None:
    a = generate_fleet(4, seed=11, as_of=AS_OF, defect_rate=0.5)
    b = generate_fleet(4, seed=11, as_of=AS_OF, defect_rate=0.5)
    assert [s.manifest for s in a.sites] == [s.manifest for s in b.sites]
    assert [c.items[0].title for c in a.sites[0].data.columns if c.items] == [
        c.items[0].title for c in b.sites[0].data.columns if c.items
    ]


def test_manifest_uses_only_contract_check_ids(fleet: Fleet) -> None:
    contract_ids = set(
        re.findall(r"^\| `([a-z_]+\.[a-z_]+)` \|", CONTRACTS.read_text(encoding="utf-8"), re.M)
    )
    assert set(DEFECT_CHECKS) <= contract_ids
    every = {d["check"] for s in fleet.sites for d in s.manifest}
    assert every <= contract_ids and len(every) > 8


def test_every_defect_class_can_be_injected() -> None:
    many = generate_fleet(12, seed=1, defect_rate=1.0, as_of=AS_OF)
    assert {d["check"] for s in many.sites for d in s.manifest} == set(DEFECT_CHECKS)


def test_apply_fix_removes_the_defect_and_changes_the_page(fleet: Fleet) -> None:
    site = next(s for s in fleet.sites if any(d.check == "column.blank" for d in s.defects))
    entry = next(d for d in site.manifest if d["check"] == "column.blank")
    col = next(c for c in site.data.columns if c.name == entry["subject"])
    assert col.placeholder and not col.items
    assert fleet.apply_fix(site.name, entry)
    assert all(d["check"] != "column.blank" for d in site.manifest)
    col = next(c for c in site.data.columns if c.name == entry["subject"])
    assert col.items and not col.placeholder


def test_save_and_load_round_trip(tmp_path: Path, fleet: Fleet) -> None:
    fleet.save(tmp_path)
    doc = json.loads((tmp_path / "fleet.json").read_text(encoding="utf-8"))
    assert set(doc["manifest"]) == {s.name for s in fleet.sites}
    again = Fleet.load(tmp_path)
    assert [s.manifest for s in again.sites] == [s.manifest for s in fleet.sites]
    assert again.sites[2].data.columns[0].items[0].title == fleet.sites[2].data.columns[0].items[0].title


def test_server_serves_each_style_with_its_pagination(fleet: Fleet) -> None:
    with FleetServer(fleet) as server:
        for site in fleet.sites[:3]:
            base = server.url_of(site)
            status, body, _ = get(base)
            assert status == 200 and site.full_name.encode(site.data.encoding) in body
            news = site.column("news")
            if site.cms == "trs":
                status, body, _ = get(base + "xwzx/zwyw/index_1.html")
                assert status == 200 and b"createPageHTML(" in body
            elif site.cms == "hanweb":
                status, body, _ = get(
                    base + f"module/web/jpage/dataproxy.jsp?startrecord=16&endrecord=30&perpage=15"
                    f"&columnid={news.colid}&unitid=1"
                )
                assert status == 200 and body.count(b"<record>") == min(15, len(news.items) - 15)
            else:
                pol = site.column("policy")
                status, body, _ = get(base + f"gkmlpt/api/all/{pol.colid}?page=1&sid=7{site.index:05d}")
                assert status == 200 and len(json.loads(body)["articles"]) == len(pol.items)
                status, _, _ = get(base + "xwzx/zwyw/list.html?page=2")
                assert status == 200
        assert get(server.url_of(fleet.sites[0]) + "no/such/page.html")[0] == 404
        assert server.requests_of(fleet.sites[0])


def test_gbk_sites_declare_their_charset(fleet: Fleet) -> None:
    site = next(s for s in fleet.sites if s.data.encoding == "gbk")
    with FleetServer(fleet) as server:
        _, body, _ = get(server.url_of(site))
    assert b"charset=gbk" in body
    assert site.full_name in body.decode("gb18030")


def test_fault_modes_answer_as_configured(fleet: Fleet) -> None:
    name = fleet.sites[1].name
    with FleetServer(fleet, faults={name: "429"}) as server:
        codes = [get(server.url_of(name) + "index.html")[0] for _ in range(10)]
    assert codes[:8] == [200] * 8 and codes[9] == 429
    with pytest.raises(ValueError, match="未知的故障模式"):
        FleetServer(fleet, faults={name: "explode"})


def test_injected_defects_are_true_of_the_content_and_nothing_else_is() -> None:
    many = generate_fleet(24, seed=9, defect_rate=0.6, as_of=AS_OF)
    seen = set()
    for site in many.sites:
        checks = {d.check for d in site.defects}
        cols = {c.key: c for c in site.data.columns}
        home_dates = [i.published for k in ("news", "notice") if k in cols for i in cols[k].items[:8]]
        if "homepage.stale" in checks:
            seen.add("homepage.stale")
            assert min((AS_OF - d).days for d in home_dates) > 14
        else:
            assert min((AS_OF - d).days for d in home_dates) <= 14
        reports = [i.meta["_year"] for i in cols["annual_report"].items]
        assert (str(AS_OF.year - 1) not in reports) == ("annual_report.missing" in checks)
        late = [i for i in cols["annual_report"].items if (i.published.month, i.published.day) > (3, 31)]
        assert bool(late) == ("annual_report.late" in checks)
        docs = {i.id: i for k in ("policy", "normative") for i in cols[k].items}
        late_interp = {d.url for d in site.defects if d.check == "interpretation.late"}
        for it in cols["interpretation"].items:
            doc = docs[int(it.meta["_doc"])]
            gap = (it.published - doc.published).days
            assert (gap > 3) == (it.path in late_interp), (site.name, gap)
        seen |= checks
    assert {"homepage.stale", "annual_report.missing", "annual_report.late", "column.stale"} <= seen


def test_every_page_a_defect_names_is_served() -> None:
    # interpretation.missing removes a document's 解读; it must not pick a document whose 解读 already
    # carries another defect (interpretation.late / .elements), or the manifest names a page that is gone
    many = generate_fleet(24, seed=9, defect_rate=0.6, as_of=AS_OF)
    for site in many.sites:
        served = {i.path for c in site.data.columns for i in c.items}
        board = site.data.board
        served |= {board.letter_path(m) for m in board.letters} if board else set()
        for d in site.defects:
            if d.subject == d.url != "/":
                assert d.url in served, (site.name, d.check, d.url)


def test_furnished_pages_weigh_like_real_ones_and_link_only_elsewhere(tmp_path: Path) -> None:
    furnished = generate_fleet(3, seed=3, defect_rate=0.3, as_of=AS_OF, chrome=True)
    furnished.save(tmp_path)
    assert all(s.chrome for s in Fleet.load(tmp_path).sites)  # kept by save/load
    plain = generate_fleet(3, seed=3, defect_rate=0.3, as_of=AS_OF)
    href = re.compile(rb'<a [^>]*href="([^"]*)"')  # the links a crawler follows (not stylesheets)
    with FleetServer(furnished) as a, FleetServer(plain) as b:
        for heavy, light in zip(furnished.sites, plain.sites, strict=True):
            news = light.column("news")
            assert news is not None
            for path in ("/", news.path, news.items[0].path):
                _, big, _ = get(a.url_of(heavy) + path.lstrip("/"))
                _, small, _ = get(b.url_of(light) + path.lstrip("/"))
                assert 18_000 < len(big) < 40_000 and len(small) < 10_000, (path, len(big), len(small))
                # what the furniture adds links to other hosts, to javascript: or to this page, the 最新发布
                # block to the site's latest news, and 热点解读 (under documents) to its latest interpretations
                latest = {i.path.encode() for i in news.items[:8]}
                hot = light.column("interpretation")
                latest |= {i.path.encode() for i in hot.items[:3]} if hot else set()
                added = set(href.findall(big)) - set(href.findall(small)) - latest
                assert added and all(h.startswith((b"https://", b"javascript:", b"#")) for h in added), added
                assert "最新发布".encode(heavy.data.encoding) in big


def test_variety_is_per_site_from_the_seed_and_survives_save_and_load(tmp_path: Path) -> None:
    varied = generate_fleet(9, seed=3, defect_rate=0.3, as_of=AS_OF, variety=True)
    again = generate_fleet(9, seed=3, defect_rate=0.3, as_of=AS_OF, variety=True)
    assert [s.variety for s in varied.sites] == [s.variety for s in again.sites]  # reproducible
    assert len({s.variety.layout for s in varied.sites}) >= 3  # chosen per site
    plain = generate_fleet(9, seed=3, defect_rate=0.3, as_of=AS_OF)
    assert all(s.variety is None for s in plain.sites)
    own = [[d.as_dict() for d in s.defects if not d.key.startswith("history-")] for s in varied.sites]
    assert [[d.as_dict() for d in s.defects] for s in plain.sites] == own  # same defects, and history's own
    varied.save(tmp_path)
    doc = json.loads((tmp_path / "fleet.json").read_text(encoding="utf-8"))
    loaded = Fleet.load(tmp_path)
    for site, back in zip(varied.sites, loaded.sites, strict=True):
        assert back.variety == site.variety
        assert doc["columns"][site.name] == site.columns_truth == back.columns_truth
        names = {c["name"] for c in site.columns_truth}  # 37, less a column.missing defect
        assert len(names) >= 36 and {"法定主动公开内容", "重点领域信息公开"} <= {
            n.split("、")[-1] for n in names
        }


def test_board_messages_are_late_exactly_where_the_manifest_says() -> None:
    # the 留言 boards (fleet/liuyan.py): a message is late (unanswered or answered more than three calendar
    # months after it was asked, asked within the year) only where a defect names it; decoys stay in time
    many = generate_fleet(12, seed=5, defect_rate=0.5, as_of=AS_OF)
    assert {s.data.board.layout for s in many.sites} == {"table", "detail", "api"}
    found = set()
    for site in many.sites:
        board = site.data.board
        named = {d.url for d in site.defects if d.check == "interaction.unanswered"}
        for m in board.letters:
            void = m.state in ("已撤回", "不予受理")
            in_window = (AS_OF - m.asked).days <= 365
            due = deadline(m.asked, "3m")
            late = m.answered > due if m.answered else due < AS_OF
            assert (late and in_window and not void) == (board.letter_path(m) in named), (site.name, m)
        reply_time = {d.subject for d in site.defects if d.check == "interaction.reply_time"}
        assert reply_time == (
            {board.name}
            if any(m.answered and m.answered > deadline(m.asked, "3m") for m in board.letters)
            else set()
        )
        found |= {d.check for d in site.defects}
    assert {"interaction.unanswered", "interaction.reply_time"} <= found
