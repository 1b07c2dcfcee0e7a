"""Chinese text material for the fleet: titles, bodies, guide text, annual-report tables, privacy rows.

Pure functions of a `random.Random` and the unit's names, so a fleet is reproducible from its seed.
"""

from __future__ import annotations

import datetime as dt
import random

from gongkai.annual.model import T3_ROWS_2021

TOPICS = [
    "安全生产",
    "乡村振兴",
    "优化营商环境",
    "生态环境保护",
    "城乡居民医疗保险",
    "防汛防台",
    "农村人居环境整治",
    "就业创业",
    "养老服务",
    "义务教育",
    "文明城市创建",
    "消防安全",
    "食品安全",
    "数字政府建设",
    "耕地保护",
    "稳就业",
    "冬春季疫病防控",
    "高标准农田建设",
]

NEWS_TEMPLATES = [
    "{unit}召开{topic}工作推进会",
    "{unit}部署{topic}专项行动",
    "{unit}主要负责同志调研{topic}工作",
    "{unit}开展{topic}督导检查",
    "{unit}举办{topic}业务培训班",
    "{topic}工作取得阶段性成效",
]
NOTICE_TEMPLATES = [
    "关于开展{year}年度{topic}检查的通知",
    "关于做好{topic}有关工作的通知",
    "关于{topic}专项资金申报的通知",
    "关于举办{topic}培训的通知",
]
POLICY_TEMPLATES = [
    "{unit}关于印发《{topic}实施方案》的通知",
    "{unit}关于进一步加强{topic}工作的意见",
    "{unit}关于印发《{topic}三年行动计划（{year}—{year2}年）》的通知",
]
NORMATIVE_TEMPLATES = [
    "{unit}关于印发《{topic}管理办法》的通知",
    "{unit}关于印发《{topic}补助资金管理暂行办法》的通知",
    "{unit}关于{topic}若干措施的通知",
]
PERSONNEL_TEMPLATES = [
    "{unit}{year}年公开招聘编外工作人员公告",
    "{unit}关于干部任免的通知",
    "{unit}{year}年公开招聘拟聘用人员公示",
]
PLAN_TEMPLATES = [
    "{unit}{year}年工作要点",
    "{unit}“十五五”{topic}专项规划",
    "{unit}{year}年{topic}工作计划",
]
STATS_TEMPLATES = ["{year}年{month}月{unit}主要经济指标", "{year}年{month}月{topic}统计数据"]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌"


def fmt(template: str, rng: random.Random, unit: str, as_of: dt.date) -> str:
    topic = rng.choice(TOPICS)
    year = as_of.year
    return template.format(unit=unit, topic=topic, year=year, year2=year + 2, month=rng.randint(1, 12))


def body_paragraphs(rng: random.Random, title: str, unit: str, n: int = 3) -> list[str]:
    topic = rng.choice(TOPICS)
    base = [
        f"为深入贯彻落实上级决策部署，扎实推进{topic}工作，{unit}结合实际，研究制定本文件。",
        f"各单位要提高思想认识，加强组织领导，明确责任分工，确保{topic}各项任务落到实处。",
        "要强化督促检查，对工作推进不力的单位及时通报，并纳入年度综合考核。",
        f"本文件自印发之日起施行，由{unit}负责解释。",
        f"{title}相关工作由{unit}办公室统筹协调，各有关单位按职责分工抓好落实。",
    ]
    rng.shuffle(base)
    return base[:n]


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def id_number(rng: random.Random, as_of: dt.date) -> str:
    """A valid 18-digit resident ID (real region code, plausible birth date, ISO 7064 check digit)."""
    region = rng.choice(["330102", "330106", "330424", "320102", "110105", "440305"])
    birth = dt.date(as_of.year - rng.randint(20, 70), rng.randint(1, 12), rng.randint(1, 28))
    body = region + birth.strftime("%Y%m%d") + f"{rng.randint(0, 999):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


def mobile(rng: random.Random) -> str:
    return rng.choice(["138", "139", "150", "186", "177", "199"]) + f"{rng.randint(0, 99999999):08d}"


def bank_card(rng: random.Random) -> str:
    """A Luhn-valid 19-digit card number with a common domestic prefix."""
    digits = "622202" + "".join(str(rng.randint(0, 9)) for _ in range(12))
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return digits + str((10 - total % 10) % 10)


def mask_id(s: str) -> str:
    return s[:6] + "********" + s[-4:]


def mask_mobile(s: str) -> str:
    return s[:3] + "****" + s[-4:]


def mask_card(s: str) -> str:
    return s[:4] + "*" * (len(s) - 8) + s[-4:]


def guide_paragraphs(unit: str, phone: str, *, complete: bool = True) -> list[str]:
    """Text of a 政府信息公开指南; `complete=False` drops hours and fax and states a 15-day limit."""
    paras = [
        "为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。",
        f"一、主动公开。{unit}主动公开的政府信息，通过{unit}门户网站政府信息公开专栏、政务新媒体等渠道发布。"
        "主动公开的政府信息，自该信息形成或者变更之日起20个工作日内予以公开。",
        "二、依申请公开。公民、法人或者其他组织可以向本机关申请获取相关政府信息。",
        f"受理机构：{unit}办公室。办公地址：临江市人民路{len(unit) * 7 + 1}号。邮政编码：310000。",
    ]
    if complete:
        paras.append("办公时间：工作日上午8:30—12:00，下午14:30—17:30（法定节假日除外）。")
        paras.append(f"联系电话：{phone}。传真：{phone[:-1]}9。")
    else:
        paras.append(f"联系电话：{phone}。")
    paras.append(
        "网上申请：申请人可通过门户网站“依申请公开”栏目在线提交申请。电子邮箱：xxgk@example.gov.cn。"
    )
    limit = 20 if complete else 15
    paras.append(
        f"三、答复期限。能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起{limit}个工作日内予以答复；"
        "需要延长答复期限的，经负责人同意并告知申请人，延长的期限最长不超过20个工作日。"
    )
    paras.append(
        "四、收费。行政机关依申请提供政府信息，不收取费用；申请数量、频次明显超过合理范围的，可以收取信息处理费。"
    )
    return paras


# Table 三 rows (contracts.md keys) with their printed labels, in the 2021 national format.
T3_ROWS: list[tuple[str, str]] = list(T3_ROWS_2021)
_GROUP_HEAD = {
    "denied.state_secret": "（三）不予公开",
    "unable.no_info": "（四）无法提供",
    "not_processed.complaint": "（五）不予处理",
    "other.overdue_correction": "（六）其他处理",
}


def t3_values(rng: random.Random) -> dict[str, list[int]]:
    """Consistent table 三 values: six applicant columns plus the total column."""
    rows = {key: [0] * 7 for key, _ in T3_ROWS}
    outcomes = ["granted", "partial_grant", "unable.no_info", "denied.third_party", "not_processed.repeat"]
    for col in range(6):
        new = rng.randint(0, 12) if col in (0, 1) else rng.randint(0, 2)
        carried = rng.randint(0, 1) if col == 0 else 0
        forward = rng.randint(0, min(1, new + carried))
        processed = new + carried - forward
        rows["new_received"][col] = new
        rows["carried_over"][col] = carried
        rows["carried_forward"][col] = forward
        rows["total_processed"][col] = processed
        left = processed
        for key in outcomes[:-1]:
            take = rng.randint(0, left)
            rows[key][col] = take
            left -= take
        rows[outcomes[-1]][col] += left
    for vals in rows.values():
        vals[6] = sum(vals[:6])
    return rows


def annual_report_html(unit: str, year: int, t3: dict[str, list[int]], rng: random.Random) -> str:
    """Body HTML of an annual report in the national (2021) format: six chapters and tables 二/三/四."""
    made, repealed = rng.randint(0, 5), rng.randint(0, 2)
    valid = made + rng.randint(5, 30)
    t2 = (
        "<table border='1' class='t2'><tr><td colspan='4'>第二十条第（一）项</td></tr>"
        "<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"
        "<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>"
        f"<tr><td>行政规范性文件</td><td>{made}</td><td>{repealed}</td><td>{valid}</td></tr>"
        "<tr><td colspan='4'>第二十条第（五）项</td></tr><tr><td>信息内容</td><td colspan='3'>本年处理决定数量</td></tr>"
        f"<tr><td>行政许可</td><td colspan='3'>{rng.randint(0, 900)}</td></tr>"
        "<tr><td colspan='4'>第二十条第（六）项</td></tr><tr><td>信息内容</td><td colspan='3'>本年处理决定数量</td></tr>"
        f"<tr><td>行政处罚</td><td colspan='3'>{rng.randint(0, 300)}</td></tr>"
        f"<tr><td>行政强制</td><td colspan='3'>{rng.randint(0, 20)}</td></tr>"
        "<tr><td colspan='4'>第二十条第（八）项</td></tr><tr><td>信息内容</td><td colspan='3'>本年收费金额（单位：万元）</td></tr>"
        "<tr><td>行政事业性收费</td><td colspan='3'>0</td></tr></table>"
    )
    head = (
        "<tr><td colspan='3' rowspan='3'>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>"
        "<td colspan='7'>申请人情况</td></tr>"
        "<tr><td rowspan='2'>自然人</td><td colspan='5'>法人或其他组织</td><td rowspan='2'>总计</td></tr>"
        "<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>"
    )
    rows = []
    for key, label in T3_ROWS:
        if key in _GROUP_HEAD:
            rows.append(f"<tr><td colspan='10'>{_GROUP_HEAD[key]}</td></tr>")
        if key == "granted":
            rows.append("<tr><td colspan='10'>三、本年度办理结果</td></tr>")
        cells = "".join(f"<td>{v}</td>" for v in t3[key])
        rows.append(f"<tr><td colspan='3'>{label}</td>{cells}</tr>")
    t3_html = f"<table border='1' class='t3'>{head}{''.join(rows)}</table>"
    review = [rng.randint(0, 2), 0, 0, 0]
    review.append(sum(review))
    lit = [0, 0, 0, 0, 0]
    t4_vals = review + lit + lit
    t4 = (
        "<table border='1' class='t4'><tr><td colspan='5'>行政复议</td><td colspan='10'>行政诉讼</td></tr>"
        "<tr><td rowspan='2'>结果维持</td><td rowspan='2'>结果纠正</td><td rowspan='2'>其他结果</td>"
        "<td rowspan='2'>尚未审结</td><td rowspan='2'>总计</td><td colspan='5'>未经复议直接起诉</td>"
        "<td colspan='5'>复议后起诉</td></tr><tr>"
        + "<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>" * 2
        + "</tr><tr>"
        + "".join(f"<td>{v}</td>" for v in t4_vals)
        + "</tr></table>"
    )
    total = t3["new_received"][6]
    return (
        f"<p>本报告根据《中华人民共和国政府信息公开条例》编制，内容包括总体情况、主动公开政府信息情况、"
        f"收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、"
        f"其他需要报告的事项。本报告所列数据统计期限自{year}年1月1日起至{year}年12月31日止。</p>"
        f"<h3>一、总体情况</h3><p>{year}年，{unit}认真贯彻落实政府信息公开工作要求，全年共收到政府信息公开申请{total}件。</p>"
        f"<h3>二、主动公开政府信息情况</h3>{t2}"
        f"<h3>三、收到和处理政府信息公开申请情况</h3>{t3_html}"
        f"<h3>四、政府信息公开行政复议、行政诉讼情况</h3>{t4}"
        "<h3>五、存在的主要问题及改进情况</h3><p>政策解读形式还不够丰富，下一步将进一步加强图解、视频等多样化解读。</p>"
        "<h3>六、其他需要报告的事项</h3><p>本年度未收取信息处理费。</p>"
    )
