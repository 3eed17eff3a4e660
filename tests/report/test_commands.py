"""fengqing report: formats, --out as a file or a folder, JSON on standard output, errors."""

import json

import pytest
from django.core.management import call_command

from fengqing.report.api import write_reports
from .edge import build_edge_unit

BASIC_KEYS = ["科室", "下属单位", "领导班子成员", "在编在职人员", "公务员", "工勤", "参公事业", "事业", "党支部",
              "在职党支部", "退休党支部", "党员", "在职党员", "退休党员"]


def test_json_to_standard_output_has_the_contract_shape(db, capsys):
    build_edge_unit()
    call_command("report", unit="水务局", period="2023H1", format="json")
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["unit", "period", "title", "date", "basic", "facts", "sections", "assessment"]
    assert (data["unit"], data["period"], data["date"]) == ("河川市水务局", "2023H1", "2023-06-30")
    assert data["title"] == "中共河川市水务局党组关于2023年上半年政治生态分析研判情况的报告"
    assert list(data["basic"]) == BASIC_KEYS
    assert all(list(f) == ["id", "text", "value", "records"] for f in data["facts"])
    assert [s["text"] for s in data["sections"] if s["type"] == "heading"] == [
        "一、基本情况", "二、政治生态主要特征", "三、存在的问题", "四、整改方向"]
    assert data["assessment"]["unit"] == "河川市水务局" and "indicators" in data["assessment"]


def test_several_formats_into_a_folder(db, tmp_path):
    build_edge_unit()
    call_command("report", unit="水务局", period="2023H1", format="docx,md,html,json", out=str(tmp_path / "out"))
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir()) == [".docx", ".html", ".json", ".md"]


def test_one_format_into_a_file(db, tmp_path):
    build_edge_unit()
    target = tmp_path / "报告.md"
    call_command("report", unit="水务局", period="2023H1", format="md", out=str(target))
    assert target.read_text("utf-8").startswith("# 中共河川市水务局党组关于2023年上半年政治生态分析研判情况的报告")


def test_write_reports_for_the_demo(db, tmp_path):
    u = build_edge_unit()
    paths = write_reports(u, "2023H1", ["md", "json"], tmp_path, redact=True)
    assert [p.suffix for p in paths] == [".md", ".json"] and all(p.exists() for p in paths)
    assert "水务" not in "".join(p.name for p in paths)  # a redacted file's name does not name the unit


def test_appendix_with_the_assessment(db, h1):
    from fengqing.report.api import build_report

    doc = build_report(build_edge_unit(), h1, appendix=True)
    appendix = doc.blocks[-1]
    assert appendix.type == "appendix"
    names = [row[1][0].text for row in appendix.children[0].rows]
    assert names == [i["name"] for i in doc.assessment["indicators"]]


BROKEN_TEMPLATE = "{% if %}"


@pytest.mark.parametrize("command,args,message,unit_template", [
    ("report", {"unit": "无此单位", "period": "2023H1"}, "找不到单位“无此单位”", None),
    ("report", {"unit": "水务局", "period": "2023H9"}, "期间“2023H9”无法识别", None),
    ("report", {"unit": "水务局", "period": "2023H1", "format": "doc"}, "不支持的报告格式“doc”", None),
    ("report", {"unit": "水务局", "period": "2023H1", "format": "md,json", "out": "x.md"}, "--out 应为文件夹", None),
    ("report", {"unit": "水务局", "period": "2023H1", "format": ","}, "不支持的报告格式“”", None),
    ("report", {"unit": "水务局", "period": "2023H1", "format": "md", "out": "{tmp}/无此文件夹/报告.md"},
     "文件夹“{tmp}/无此文件夹”不存在", None),
    ("report", {"unit": "水务局", "period": "2023H1", "format": "md", "out": "{tmp}/out"},
     "句子模板“intro.j2”有误", BROKEN_TEMPLATE),
    ("narrative", {"unit": "水务局", "period": "2023H1", "section": "导语", "file": "{tmp}/无此文件.txt"},
     "找不到文件“{tmp}/无此文件.txt”", None),
    ("narrative", {"unit": "水务局", "period": "2023H1", "section": "导语", "file": "{tmp}/gbk.txt"},
     "文件“{tmp}/gbk.txt”不是 UTF-8 编码的文本", None),
])
def test_errors_are_one_chinese_line_and_exit_2(db, capsys, settings, tmp_path, command, args, message,
                                                unit_template):
    build_edge_unit()
    (tmp_path / "gbk.txt").write_bytes("本局一贯重视党风廉政建设。".encode("gbk"))
    if unit_template is not None:
        own = tmp_path / "templates" / "河川市水务局"  # the unit's own folder, by its name
        own.mkdir(parents=True)
        (own / "intro.j2").write_text(unit_template, "utf-8")
        settings.FENGQING_TEMPLATES = str(tmp_path / "templates")
    with pytest.raises(SystemExit) as exit_:
        call_command(command, **{k: v.replace("{tmp}", str(tmp_path)) for k, v in args.items()})
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert err.startswith("错误：") and message.replace("{tmp}", str(tmp_path)) in err
    assert len(err.strip().splitlines()) == 1
