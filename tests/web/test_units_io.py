"""Import and export of the unit list: a bad file is rejected whole with a message per bad row."""

from __future__ import annotations

import io

import openpyxl
import pytest

from gongkai.web.units.io import ImportRejected, export_units, import_units
from gongkai.web.units.models import Unit, attribute_url

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

GOOD_CSV = """单位全称,简称,分组,行政层级,上级单位,网站首页,所属网址前缀,重点领域
云岭市南湖县白水镇人民政府,白水镇,乡镇（街道）,乡镇（街道）级,云岭市南湖县人民政府,,http://www.nanhu.gov.cn/bsz/,社会救助、涉农补贴
云岭市南湖县人民政府,南湖县,县区政府,县（区）级,,http://www.nanhu.gov.cn/,http://www.nanhu.gov.cn/,财政预决算
"""


def test_csv_import_creates_units_and_links_parents_in_any_order():
    result = import_units(GOOD_CSV.encode("utf-8"), "units.csv")
    assert (result.created, result.updated) == (2, 0)
    town = Unit.objects.get(short_name="白水镇")
    assert town.parent.name == "云岭市南湖县人民政府"
    assert town.group == "township" and town.level == "township"
    assert town.key_areas == ["社会救助", "涉农补贴"]


def test_gbk_csv_is_read():
    import_units(GOOD_CSV.encode("gbk"), "units.csv")
    assert Unit.objects.count() == 2


def test_reimport_updates_instead_of_duplicating():
    import_units(GOOD_CSV.encode(), "units.csv")
    result = import_units(GOOD_CSV.replace("白水镇,乡镇", "白水,乡镇").encode(), "units.csv")
    assert (result.created, result.updated) == (0, 2)
    assert Unit.objects.filter(short_name="白水").count() == 1


def test_bad_file_is_rejected_whole_with_row_and_column():
    Unit.objects.create(name="已有单位", group="department")
    bad = (
        "单位全称,分组,网站首页,上级单位\n"
        "云岭市甲局,市直部门,http://a.gov.cn/,\n"
        "云岭市乙局,不存在的分组,http://b.gov.cn/,\n"
        "云岭市丙局,市直部门,不是网址,\n"
        "云岭市丁局,市直部门,,查无此单位\n"
        "云岭市甲局,市直部门,,\n"
    )
    with pytest.raises(ImportRejected) as caught:
        import_units(bad.encode(), "bad.csv")
    errors = caught.value.errors
    assert any(e.startswith("第 3 行，列“分组”") for e in errors), errors
    assert any(e.startswith("第 4 行，列“网站首页”") for e in errors), errors
    assert any(e.startswith("第 5 行，列“上级单位”") and "查无此单位" in e for e in errors), errors
    assert any(e.startswith("第 6 行，列“单位全称”") and "第 2 行重复" in e for e in errors), errors
    assert Unit.objects.count() == 1  # nothing was half-imported


def test_missing_required_header_is_reported():
    with pytest.raises(ImportRejected) as caught:
        import_units("名称,网站\n甲,\n".encode(), "x.csv")
    assert "缺少必需的列：单位全称、分组" in caught.value.errors[0]


def test_unsupported_and_corrupt_files_get_clear_errors():
    with pytest.raises(ImportRejected, match="不支持的文件类型"):
        import_units(b"x", "units.doc")
    with pytest.raises(ImportRejected, match="不是有效的 XLSX"):
        import_units(b"PK\x03\x04 junk", "units.xlsx")
    with pytest.raises(ImportRejected, match="是空的"):
        import_units(b"", "units.csv")


def test_xlsx_export_imports_back_unchanged():
    import_units(GOOD_CSV.encode(), "units.csv")
    data = export_units(Unit.objects.all(), "units.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]][:3] == ["单位全称", "简称", "分组"]
    Unit.objects.filter(parent__isnull=False).delete()
    Unit.objects.all().delete()
    result = import_units(data, "units.xlsx")
    assert result.created == 2
    assert Unit.objects.get(short_name="白水镇").parent.short_name == "南湖县"


def test_pages_are_attributed_to_the_longest_url_prefix():
    import_units(GOOD_CSV.encode(), "units.csv")
    units = list(Unit.objects.all())
    assert attribute_url("http://www.nanhu.gov.cn/bsz/art/2026/1/1/art_1.html", units).short_name == "白水镇"
    assert attribute_url("http://www.nanhu.gov.cn/zwgk/index.html", units).short_name == "南湖县"
    assert attribute_url("http://other.gov.cn/", units) is None
