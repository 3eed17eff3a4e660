"""The leadership's texts: stored per unit, period and section; boilerplate carries over, paragraphs do not."""

import pytest
from django.core.management import call_command

from fengqing.errors import ReportError
from fengqing.periods import parse_period
from fengqing.report.api import build_report
from fengqing.report.document import Heading, Paragraph
from fengqing.report.models import Narrative
from fengqing.report.narrative import set_narrative
from fengqing.report.runs import plain
from tests.factories import unit


def subsection(doc, number: str) -> Heading:
    features = next(b for b in doc.blocks if isinstance(b, Heading) and plain(b.runs).startswith("二、"))
    return next(h for h in features.children if isinstance(h, Heading) and plain(h.runs).startswith(number))


def test_paragraphs_and_heading_of_a_subsection(db, h1):
    u = unit()
    set_narrative(u, h1, "政治建设标题", "坚持政治引领。")
    set_narrative(u, h1, "political", "第一段。\n\n第二段。\n")
    sub = subsection(build_report(u, h1), "（一）")
    assert plain(sub.runs) == "（一）坚持政治引领。"
    assert [plain(p.runs) for p in sub.children] == ["第一段。", "第二段。"]


def test_boilerplate_carries_over_but_paragraphs_do_not(db):
    u = unit()
    set_narrative(u, parse_period("2022H2"), "导语", "本局一贯重视党风廉政建设。")
    set_narrative(u, parse_period("2022H2"), "政治建设", "去年的段落。")
    set_narrative(u, parse_period("2023H2"), "导语", "以后的导语。")  # later: never used for an earlier period
    doc = build_report(u, "2023H1")
    assert plain(doc.blocks[0].runs).startswith("本局一贯重视党风廉政建设。按照定期分析研判政治生态要求")
    assert subsection(doc, "（一）").children == []


def test_the_periods_own_text_wins(db, h1):
    u = unit()
    set_narrative(u, parse_period("2022"), "导语", "年度导语。")
    set_narrative(u, h1, "导语", "本期导语。")
    assert plain(build_report(u, h1).blocks[0].runs).startswith("本期导语。")


def test_empty_text_removes_it(db, h1):
    u = unit()
    set_narrative(u, h1, "导语", "本期导语。")
    set_narrative(u, h1, "导语", "  \n")
    assert not Narrative.objects.exists()


def test_unknown_section(db, h1):
    with pytest.raises(ReportError, match="没有名为“结语”的报告段落"):
        set_narrative(unit(), h1, "结语", "x")


def test_narrative_command(db, h1, tmp_path, capsys):
    u = unit()
    f = tmp_path / "p.txt"
    f.write_text("我们的段落。\n", "utf-8")
    call_command("narrative", unit="水务局", period="2023H1", section="纪律作风", file=str(f))
    assert "已保存" in capsys.readouterr().out
    sub = subsection(build_report(u, h1), "（三）")
    assert [plain(p.runs) for p in sub.children if isinstance(p, Paragraph)] == ["我们的段落。"]


def test_narrative_command_with_an_empty_file_removes_the_text(db, h1, tmp_path, capsys):
    u = unit()
    set_narrative(u, h1, "纪律作风", "旧的段落。")
    f = tmp_path / "empty.txt"
    f.write_text("", "utf-8")
    call_command("narrative", unit="水务局", period="2023H1", section="纪律作风", file=str(f))
    assert capsys.readouterr().out.strip() == "已删除水务局2023年上半年的“纪律作风”，将使用默认文字"
    assert not Narrative.objects.filter(unit=u).exists()
    sub = subsection(build_report(u, h1), "（三）")
    assert "旧的段落。" not in [plain(p.runs) for p in sub.children if isinstance(p, Paragraph)]


def test_a_signed_off_period_refuses_new_text_until_withdrawn(db, h1, tmp_path):
    from django.contrib.auth.models import User

    from fengqing.report.signoff import sign, withdraw

    u = unit()
    set_narrative(u, h1, "导语", "签发前的导语。")
    leader = User.objects.create(username="ld")
    sign(u, h1, leader, "ld", "测试")
    with pytest.raises(ReportError, match="已签发"):
        set_narrative(u, h1, "导语", "签发后想改的导语。")
    f = tmp_path / "p.txt"
    f.write_text("命令行也不行。", "utf-8")
    with pytest.raises(SystemExit) as exit_:  # the command: exit status 2 and one Chinese line
        call_command("narrative", unit="水务局", period="2023H1", section="导语", file=str(f))
    assert exit_.value.code == 2
    assert Narrative.objects.get(unit=u, period="2023H1").text == "签发前的导语。"
    set_narrative(u, parse_period("2023H2"), "导语", "别的期间可以改。")  # only the signed period is frozen
    withdraw(u, h1, leader, "ld", "测试")
    set_narrative(u, h1, "导语", "撤回后可以改。")
    assert Narrative.objects.get(unit=u, period="2023H1").text == "撤回后可以改。"
