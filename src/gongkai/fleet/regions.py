"""Fleet sites written in other provinces' forms (issue 15): 索引号 forms, metadata labels and footers
seen on real government sites, defects written in the same forms and decoys that look odd but are valid.

The classic fleet writes every 索引号 as "机构代码/年份-序号" and every footer in one form. Real sites do
not: 安徽 writes the month into the number, 广东's gkmlpt the 统一社会信用代码, 福建 "PZ00108-1700-2026-00063",
云南 21 digits (怒江 "机构代码-年份-序号"), 黑龙江 a date and a serial, 宁波 six dash-separated codes, 江西 "QSHQ--2023-0756", 陕西 a code and a
serial with no year; 江苏's platforms label the field 信息索引号 beside 公开日期 and 文件编号; footers write
"政府网站标识码:5109030018", "公安备案号 36090202000071", "国际联网备案： 渝公网安备 …号" or an ICP number with no
号. Each region below names the data-file entry its numbers follow (``vocab/index_patterns.yaml``, where each
form's source is recorded) and the real footer its footer copies (sources in ``vocab/footer_forms.yaml``).

``Variety.region`` (fleet/layouts.py) names a site's region; "" keeps the classic forms, so fleets without
variety are unchanged. build.py calls ``localize`` after applying its defects: every 专栏 document's 索引号
is rewritten in the region's form (the document of a meta.index_invalid defect gets a value in that form that
is certainly no 索引号: cut after a separator, or a template variable left in it), one document gets a
plausible number of a form no data file knows (a decoy: UNCERTAIN, never FAIL), labels are renamed as the
region's platform names them, and the unit gets regional 网站标识码, ICP and 公安 numbers. render.py asks
``footer_parts`` for the footer; a site.identity defect (no 网站标识码) leaves it out of that footer too.
"""

from __future__ import annotations

import datetime as dt
import html
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gongkai.fleet.model import FItem, SiteData, find_item, org_code

if TYPE_CHECKING:
    from gongkai.fleet.generate import FleetSite

e = html.escape


@dataclass(frozen=True)
class Region:
    """One province's written forms."""

    key: str
    province: str
    icp: str  # the ICP number's province abbreviation (苏, 蜀 ...)
    police: str  # the 公网安备 abbreviation (苏, 川 ...)
    code: str  # two-digit province code: 网站标识码 and 公安备案 numbers begin with it
    index_form: str  # id of the vocab/index_patterns.yaml entry its 索引号 follow
    footer: str  # the real footer it copies (see _FOOTERS)
    labels: tuple[tuple[str, str], ...] = ()  # metadata labels renamed as the region's platform does


REGIONS: dict[str, Region] = {
    r.key: r
    for r in (
        Region(
            "jiangsu",
            "江苏",
            "苏",
            "苏",
            "32",
            "national",
            "jiangsu",
            (
                ("索引号", "信息索引号"),
                ("成文日期", "生成日期"),
                ("发布日期", "公开日期"),
                ("文号", "文件编号"),
            ),
        ),
        Region("anhui", "安徽", "皖", "皖", "34", "anhui-month", "plain"),
        Region("guangdong", "广东", "粤", "粤", "44", "credit-code", "zhaoqing"),
        Region("fujian", "福建", "闽", "闽", "35", "fujian", "pingtan"),
        Region("yunnan", "云南", "滇", "滇", "53", "yunnan-21", "plain"),
        Region("heilongjiang", "黑龙江", "黑", "黑", "23", "date-serial", "plain"),
        Region("zhejiang", "浙江", "浙", "浙", "33", "ningbo-hanweb", "plain"),
        Region("jiangxi", "江西", "赣", "赣", "36", "jiangxi-abbrev", "yichun"),
        Region("shaanxi", "陕西", "陕", "陕", "61", "shaanxi-serial", "yulin"),
        Region("sichuan", "四川", "蜀", "川", "51", "national", "chuanshan"),
        Region("nujiang", "云南", "滇", "滇", "53", "code-dash-year", "plain"),
        Region("chongqing", "重庆", "渝", "渝", "50", "national", "jiulongpo"),
    )
}
# gkmlpt is 广东's platform; 大汉 (hanweb) serves 江苏, 浙江 and their neighbours; TRS everyone else.
CMS_REGIONS = {
    "gkmlpt": ("guangdong",),
    "hanweb": ("jiangsu", "zhejiang", "anhui", "jiangxi"),
    "trs": ("fujian", "yunnan", "nujiang", "heilongjiang", "shaanxi", "sichuan", "chongqing"),
}
# A plausible number of a form no data file knows: the decoy (meta.index_invalid must say UNCERTAIN).
UNKNOWN_FORM = "LJ-ZFB-{year}-{seq:04d}"


def choose(seed: int, index: int, cms: str) -> str:
    """A site's region, from its own random stream."""
    return random.Random(f"region-{seed}-{index}").choice(CMS_REGIONS[cms])


def of(site: FleetSite) -> Region | None:
    """The site's region, None for the classic forms."""
    key = site.variety.region if site.variety else ""
    return REGIONS.get(key) if key else None


# ------------------------------------------------------------------------------------------- 索引号


def index_number(region: Region, org: str, d: dt.date, seq: int) -> str:
    """A valid 索引号 of the region's form for a document of date ``d`` (``seq`` makes it unique)."""
    form = region.index_form
    if form == "anhui-month":
        return f"{org}/{d:%Y%m}-{seq:05d}"
    if form == "credit-code":  # 统一社会信用代码: 登记管理部门+类别, 行政区划, 组织机构代码, 校验码
        return f"11{region.code}{1700 + seq % 7:04d}{org}{'BJLMNY'[seq % 6]}/{d.year}-{seq:05d}"
    if form == "fujian":  # 机构代码-信息类别-年份-流水号
        return f"LJ{org[:5]}-{('1700', '3000')[seq % 2]}-{d.year}-{seq:05d}"
    if form == "yunnan-21":  # 地区6 + 部门3 + 文件类别2 + 内设机构2 + 年份4 + 流水号4
        return f"{region.code}0100{org[:3]}01{seq % 7 + 1:02d}{d.year}{seq % 10000:04d}"
    if form == "date-serial":
        return f"{d:%Y%m%d}-{100000 + seq}"
    if form == "ningbo-hanweb":  # 地区-部门-类别-分组-生成日期-顺序号
        return f"{region.code}0200-{org[:4]}-02-0102-{d:%Y%m%d}-{seq}"
    if form == "jiangxi-abbrev":
        return f"LJZF--{d.year}-{seq:04d}"
    if form == "shaanxi-serial":
        return f"{org[:8]}-{org[8]}/{50000 + seq}"
    if form == "code-dash-year":
        return f"{org}-{d.year}-{seq:05d}"
    return f"{org}/{d.year}-{seq:05d}"


def malformed(number: str, item_id: int) -> str:
    """``number`` broken the way real platforms break it: cut right after its last separator (a serial
    the template never filled), or with a template variable left in it."""
    cut = max(number.rfind("-"), number.rfind("/"))
    if item_id % 2 == 0 and cut > 0:
        return number[: cut + 1]
    return number[:-4] + "${xh}"


def localize(site: FleetSite, data: SiteData) -> None:
    """Rewrite the built site in its region's forms (no-op for a classic site)."""
    region = of(site)
    if region is None:
        return

    org = org_code(site)
    broken = set()
    for d in site.defects:
        found = find_item(data, d.url) if d.check == "meta.index_invalid" else None
        if found:
            broken.add(found[1].id)
    seq = 0
    decoy = _decoy(data, broken)
    for col in data.columns:
        for item in col.items:
            if "索引号" not in item.meta:
                continue
            seq += 1
            number = index_number(region, org, item.created or item.published, seq)
            if item.id in broken:
                number = malformed(number, item.id)
            elif item is decoy:
                number = UNKNOWN_FORM.format(year=item.published.year, seq=seq)
            item.meta["索引号"] = number
            _relabel(item, region)
    _identity(site, data, region)


def _decoy(data: SiteData, broken: set[int]) -> FItem | None:
    """The document that carries the unknown-form 索引号: the first of the 统计信息 or 规划计划 column."""
    for key in ("stats", "plan", "personnel"):
        col = next((c for c in data.columns if c.key == key), None)
        items = [i for i in col.items if "索引号" in i.meta and i.id not in broken] if col else []
        if items:
            return items[0]
    return None


def unknown_form_items(site: FleetSite) -> list[FItem]:
    """The documents whose 索引号 is of the unknown form (for tests: UNCERTAIN, never FAIL)."""
    return [
        i
        for c in site.data.columns
        for i in c.items
        if i.meta.get("索引号", "").startswith("LJ-ZFB-")
        or i.meta.get("信息索引号", "").startswith("LJ-ZFB-")
    ]


def _relabel(item: FItem, region: Region) -> None:
    if not region.labels:
        return
    names = dict(region.labels)
    item.meta = {names.get(k, k): v for k, v in item.meta.items()}


def _identity(site: FleetSite, data: SiteData, region: Region) -> None:
    rng = random.Random(f"region-identity-{site.seed}-{site.index}")
    ident = data.identity
    if "网站标识码" in ident:  # a site.identity defect removed it: it stays removed
        ident["网站标识码"] = f"{region.code}{rng.randint(10000000, 99999999)}"
    ident["ICP编号"] = f"{rng.randint(10000000, 29999999)}"
    ident["公安编号"] = f"{region.code}{rng.randint(100000000000, 999999999999)}"
    ident["ICP备案"] = f"{region.icp}ICP备{ident['ICP编号']}号"
    ident["公安备案"] = f"{region.police}公网安备 {ident['公安编号']}号"


# ------------------------------------------------------------------------------------------- footer


def footer_parts(site: FleetSite) -> list[str] | None:
    """The footer's lines (HTML) as the region's real footer writes them, None for a classic site."""
    region = of(site)
    if region is None:
        return None
    ident = site.data.identity
    unit = e(ident["主办单位"])
    code = ident.get("网站标识码", "")
    icp, police = ident["ICP编号"], ident["公安编号"]
    beian = f'<a href="https://beian.miit.gov.cn/">{region.icp}ICP备{icp}号</a>'
    mps = f'<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={police}">'
    form = region.footer
    if form == "jiangsu":  # 江苏省卫生健康委员会
        return [
            f"主办单位：{unit}  地址：临江市人民路1号 邮编：210008",
            (f"政府网站标识码：{code}&nbsp;&nbsp;" if code else "")
            + f"{mps}{region.police}公网安备:{police}号</a>",
            beian + "-1",
        ]
    if form == "chuanshan":  # 四川遂宁船山区
        return [
            f"主办：{unit}　 承办: {unit}办公室 ({ident['phone']})",
            f"{region.icp}ICP备{icp}号    " + (f"政府网站标识码:{code}" if code else ""),
            f"{mps}{region.police}公网安备{police}号</a>",
        ]
    if form == "yichun":  # 江西宜春
        return [
            f"主办单位：{unit}&emsp;承办单位：{unit}信息中心&emsp;联系地址：临江市人民路1号",
            f"{region.icp}ICP备{icp}号 &emsp; "
            + (f"网站标识码:{code} &emsp; " if code else "")
            + f"{mps}公安备案号 {police}</a>",
        ]
    if form == "zhaoqing":  # 广东肇庆高新区: the ICP number without 号
        return [
            f"{unit}版权所有，未经书面授权禁止使用。{region.icp}ICP备{icp}"
            + (f" &nbsp; 网站标识码:{code}" if code else ""),
            f"主办单位：{unit}",
            f"{mps}{region.police}公网安备 {police}号</a>",
        ]
    if form == "jiulongpo":  # 重庆九龙坡区: 国际联网备案
        return [
            f"{unit}版权所有 {unit}办公室承办",
            f"ICP备案：{region.icp}ICP备{icp}号-1 联系电话：{ident['phone']} 国际联网备案： {region.police}公网安备 {police}号",
            f"网站标识码：{code}" if code else "",
        ]
    if form == "yulin":  # 陕西榆林
        return [
            f"地址：临江市人民路1号 主办单位: {unit}",
            f"{beian} " + (f"网站标识码：{code}" if code else ""),
            f"电话：{ident['phone']} {mps}{region.police}公网安备 {police}号</a>",
        ]
    if form == "pingtan":  # 福建平潭: 公安备案号 with a dash
        return [
            f"主办单位：{unit}",
            (f"<span>网站标识码：{code}</span>" if code else "")
            + f"<span>{mps}公安备案号：{police[:11]}-{police[11:]}</a></span>",
            beian,
        ]
    return [
        f"主办单位：{unit}",
        f"联系电话：{ident['phone']}",
        f"网站标识码：{code}" if code else "",
        beian,
        f"{mps}{region.police}公网安备 {police}号</a>",
    ]
