"""The supervisor's 综合研判报告 (issue 13, item 3): the document model and renderers of the unit report, every
figure traced to what it counts, checked against figures computed another way (one unit at a time, plain
loops over the rows)."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import call_command
from docx import Document as Docx

from fengqing.assess.engine import assess_unit
from fengqing.overview.api import build_overview_report
from fengqing.periods import parse_period
from fengqing.rectify.models import Measure
from fengqing.report.api import render_all
from fengqing.report.models import Narrative
from fengqing.report.runs import plain

from .sample import build_unit

PARAGRAPH = ("我局紧盯水利工程建设领域，对三个在建项目的招投标和资金拨付开展专项监督检查。"
             "检查发现合同变更审批不规范等问题五个，已全部督促整改到位。")


@pytest.fixture
def three(db):
    units = [build_unit(), build_unit("河川市林业局", "林业局", "HCLYJ", seed=11), build_unit("河川市档案馆", "档案馆", "HCDAG", seed=3)]
    # the 林业局's leadership copied a paragraph of the 水务局's report
    Narrative.objects.create(unit=units[0], period="2023H1", section="discipline", text=PARAGRAPH)
    Narrative.objects.create(unit=units[1], period="2023H1", section="discipline", text=PARAGRAPH)
    return units


def facts(doc):
    return {f["id"]: f for f in doc.facts}


def test_overview_figures_agree_with_each_unit_assessed_alone(three):
    period = parse_period("2023H1")
    doc = build_overview_report(period, org="中共河川市纪委", drop=0.5)
    assert doc.title_text == "中共河川市纪委关于2023年上半年所属单位政治生态综合研判情况的报告"
    one_by_one = {u.pk: assess_unit(u, period) for u in three}
    f = facts(doc)
    assert f["units"]["value"] == 3 and sorted(f["units"]["records"]) == sorted(f"unit:{u.pk}" for u in three)
    for grade in ("好", "较好", "一般", "较差"):
        expected = sorted(f"unit:{pk}" for pk, a in one_by_one.items() if a.grade == grade)
        assert sorted(f.get(f"grade.{grade}", {"records": []})["records"]) == expected
    # red indicators: each named indicator's units are those whose own assessment shows it red
    for fid, fact in f.items():
        if fid.startswith("red.") and fid != "red.units":
            key = fid[4:]
            assert sorted(fact["records"]) == sorted(
                f"unit:{pk}" for pk, a in one_by_one.items() if a.indicator(key).light == "red")
    # overdue measures at 2023-06-30, counted row by row
    overdue = sorted(f"measure:{m.pk}" for m in Measure.objects.all()
                     if m.deadline < period.end and m.status != "已完成")
    assert overdue and sorted(f["overdue.total"]["records"]) == overdue
    # the copied paragraph is in the reader's section, with both texts as its records
    assert f["reading.copy"]["value"] == 1
    assert sorted(f["reading.copy"]["records"]) == sorted(
        f"narrative:{n.pk}:0" for n in Narrative.objects.filter(section="discipline"))


def test_units_that_fell_are_named_with_both_totals(three):
    period = parse_period("2023H1")
    now = {u.pk: assess_unit(u, period).total for u in three}
    before = {u.pk: assess_unit(u, period.previous()).total for u in three}
    fall = {u.pk: Decimal(f"{before[u.pk]:.1f}") - Decimal(f"{now[u.pk]:.1f}") for u in three}
    # a threshold just under the largest fall names the unit(s) that fell most, and only those
    drop = max(fall.values()) - Decimal("0.05")
    assert drop > 0, "the sample units should include one whose total fell"
    doc = build_overview_report(period, drop=float(drop), reading=False)
    fell = [u for u in three if fall[u.pk] > drop]
    assert 1 <= len(fell) < 3
    section = next(b for b in doc.blocks if getattr(b, "runs", None) and plain(b.runs) == "三、得分明显下降的单位")
    text = plain(section.children[0].runs)
    assert sorted(facts(doc)["fell"]["records"]) == sorted(f"unit:{u.pk}" for u in fell)
    assert text.startswith(f"综合得分较上期下降超过{drop}分的单位{len(fell)}个")
    for u in fell:
        assert f"{u.short_name}由{before[u.pk]:.1f}分降至{now[u.pk]:.1f}分" in text
    # with a threshold above every fall, no unit is named
    doc = build_overview_report(period, drop=float(max(fall.values()) + 1), reading=False)
    assert "fell" not in facts(doc)


def test_command_writes_the_docx_in_the_report_layout(three, tmp_path):
    call_command("report", overview=True, period="2023H1", format="docx,json", out=str(tmp_path), org="中共河川市纪委")
    d = Docx(tmp_path / "2023H1-所属单位政治生态综合研判报告.docx")
    texts = [p.text for p in d.paragraphs]
    assert texts[0].startswith("中共河川市纪委关于2023年上半年")
    for heading in ("一、总体情况", "二、指标预警情况", "三、得分明显下降的单位", "四、问题整改情况", "五、报告报送情况",
                    "六、报告审读发现"):
        assert heading in texts
    table = d.tables[-1]
    assert [c.text for c in table.rows[0].cells][:4] == ["序号", "单位", "综合得分", "等次"]
    assert sorted(r.cells[1].text for r in table.rows[1:]) == sorted(u.name for u in three)
    section = d.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28  # GB/T 9704
    data = json.loads((tmp_path / "2023H1-所属单位政治生态综合研判报告.json").read_text("utf-8"))
    assert data["period"] == "2023H1" and data["facts"] and data["sections"][1]["text"] == "一、总体情况"


def test_submission_punctuality(three):
    from django.contrib.auth.models import User
    from django.utils import timezone

    from fengqing.submission import api
    from fengqing.submission.models import Submission

    period = parse_period("2023H1")
    boss = User.objects.create(username="jiwei")
    api.set_deadline(period, date(2023, 7, 15), boss, "jiwei", "测试")
    on_time, late, missing = three
    for u, day in ((on_time, 10), (late, 20)):
        s = api.submit_file(u, period, "报告.txt", "报告。".encode(), boss, "jiwei", "测试")
        Submission.objects.filter(pk=s.pk).update(submitted_at=timezone.make_aware(datetime(2023, 7, day, 9)))
    doc = build_overview_report(period, reading=False)
    f = facts(doc)
    assert (f["submitted"]["value"], f["submitted.on_time"]["records"], f["submitted.late"]["records"],
            f["submitted.missing"]["records"]) == (2, [f"unit:{on_time.pk}"], [f"unit:{late.pk}"],
                                                   [f"unit:{missing.pk}"])
    section = next(b for b in doc.blocks if getattr(b, "runs", None) and plain(b.runs) == "五、报告报送情况")
    assert plain(section.children[0].runs) == (
        "2个单位已报送本期研判报告（报送截止日期为2023年7月15日），其中按期报送1个、逾期报送1个（林业局）；"
        "1个单位尚未报送（档案馆）。")


def test_all_renderers_render_it(three):
    doc = build_overview_report("2023H1", reading=False)
    out = render_all(doc, ["md", "html", "docx"])
    assert out["md"].decode().startswith("# 关于2023年上半年所属单位政治生态综合研判情况的报告")
    assert "报告审读发现" not in out["md"].decode()
    Docx(BytesIO(out["docx"]))
