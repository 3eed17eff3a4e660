"""Facts: each count lists exactly the records it counts; trend words come from the numbers only."""

import re
from decimal import Decimal

from fengqing.ledger import models as L
from fengqing.periods import parse_period
from fengqing.report.api import build_report
from fengqing.report.facts import compute_facts
from fengqing.report.document import Heading, block_runs, walk
from fengqing.report.render.json import as_dict
from fengqing.report.runs import plain
from tests.factories import D, person, unit

from .sample import build_unit


def section_two(doc) -> str:
    block = next(b for b in doc.blocks if isinstance(b, Heading) and plain(b.runs).startswith("二、"))
    return "".join(plain(runs) for b in walk([block]) for runs in block_runs(b))


def test_every_count_lists_as_many_records_as_it_counts(sample_unit, h1):
    kinds = {}
    for f in compute_facts(sample_unit, h1):
        kinds[f.id] = f.kind
        for c in (f.yoy, f.prev):
            if c is not None:
                kinds[c.basis.id] = c.basis.kind
    facts = as_dict(build_report(sample_unit, h1, appendix=True))["facts"]
    counts = [f for f in facts if kinds[f["id"]] in ("count", "titles")]
    assert len(counts) > 100 and any(f["id"].endswith(".year_ago") for f in counts)
    for f in counts:
        assert len(f["records"]) == f["value"], f["id"]
        assert len(set(f["records"])) == len(f["records"]), f["id"]


def test_talk_records_are_the_periods_integrity_talks(sample_unit, h1):
    facts = {f["id"]: f for f in build_report(sample_unit, h1).facts}
    expected = sorted(f"talk:{t.pk}" for t in L.Talk.objects.filter(unit=sample_unit)
                      if t.kind == "廉洁纪律谈话" and D(2023, 1, 1) <= t.date <= D(2023, 6, 30))
    assert sorted(facts["talk.integrity"]["records"]) == expected
    year_ago = sorted(f"talk:{t.pk}" for t in L.Talk.objects.filter(unit=sample_unit)
                      if t.kind == "廉洁纪律谈话" and D(2022, 1, 1) <= t.date <= D(2022, 6, 30))
    assert sorted(facts["talk.integrity.year_ago"]["records"]) == year_ago


def test_comparison_states_the_difference(sample_unit, h1):
    doc = build_report(sample_unit, h1)
    facts = {f["id"]: f for f in doc.facts}
    now, before = facts["talk.integrity"]["value"], facts["talk.integrity.year_ago"]["value"]
    word = "增加" if now > before else "减少"
    assert now != before
    assert f"廉洁纪律谈话较上年同期{word}{abs(now - before)}人次" in section_two(doc)


def _expense_unit(now: str, year_ago: str, regular_work_a_year_ago: bool = True):
    u = unit()
    if regular_work_a_year_ago:  # a comparison needs a period with the unit's regular work recorded
        L.Study.objects.create(unit=u, date=D(2022, 3, 1), kind="党支部集中学习", topic="学习")
    L.PublicExpense.objects.create(unit=u, year=2022, half="上半年", category="公务接待费", budget=Decimal("20"),
                                   spent=Decimal(year_ago))
    L.PublicExpense.objects.create(unit=u, year=2023, half="上半年", category="公务接待费", budget=Decimal("20"),
                                   spent=Decimal(now))
    return u


def test_rising_public_expense_is_not_called_a_fall(db, h1):
    doc = build_report(_expense_unit("12.00", "10.00"), h1)
    text = plain(doc.blocks[0].runs) + section_two(doc)
    assert "下降" not in text
    assert "三公" not in plain(doc.blocks[0].runs)  # a rise is no achievement of the 导语
    # +20% is beyond the default scheme's floor of +10%: red, and said to be a shortfall
    assert "支出较上年同期增长20.0%，增幅偏大，厉行节约要求落实不够到位。" in section_two(doc)
    assert "“三公”经费预算20.00万元，实际支出12.00万元，预算执行率60.0%" in section_two(doc)


def test_falling_public_expense_is_a_fall(db, h1):
    doc = build_report(_expense_unit("8.00", "10.00"), h1)
    assert "支出较上年同期下降20.0%" in section_two(doc)
    assert "较上年同期下降20.0%" in plain(doc.blocks[0].runs)  # 导语


def test_no_comparison_with_a_period_without_regular_work(db, h1):
    # 2022H1 holds a 三公 row but no 学习 or 会议: the unit's records were not kept then, so no comparison
    text = section_two(build_report(_expense_unit("8.00", "10.00", regular_work_a_year_ago=False), h1))
    assert "实际支出8.00万元，预算执行率40.0%。" in text and "上年同期" not in text


def test_a_year_report_compares_with_the_year_before(db):
    u = _expense_unit("8.00", "10.00")  # 2022 year: 上半年 row only, as 2023
    L.Meeting.objects.create(unit=u, date=D(2022, 9, 1), kind="党组会", topic="会议")  # both halves kept
    doc = build_report(u, parse_period("2023"))
    assert "支出较上年下降20.0%" in section_two(doc) and "上年同期" not in section_two(doc)
    assert not any(f["id"].endswith(".previous") for f in doc.facts)  # 上期 would be 上年 again


def test_no_comparison_with_a_year_kept_only_for_half(db):
    # 2022's records were kept from January only to June: half a year is no basis for 较上年
    u = _expense_unit("8.00", "10.00")
    text = section_two(build_report(u, parse_period("2023")))
    assert "实际支出8.00万元，预算执行率40.0%。" in text and "较上年" not in text


def test_no_comparison_without_records_a_year_earlier(db, h1):
    u = unit()
    L.PublicExpense.objects.create(unit=u, year=2023, half="上半年", category="公务接待费", budget=Decimal("20"),
                                   spent=Decimal("5"))
    text = section_two(build_report(u, h1))
    assert "实际支出5.00万元" in text
    assert "上年同期" not in text


def test_empty_facts_make_no_sentence(db, h1):
    u = unit()
    L.Meeting.objects.create(unit=u, date=D(2023, 3, 1), kind="党组会", topic="研究工作", integrity=True)
    text = section_two(build_report(u, h1))
    assert "召开党组会1次" in text
    assert "召开党组会专题研究党风廉政建设1次" in text
    assert not re.search(r"(?<![\d.])0(次|人|项|个|期|名)", text)
    # a subsection with nothing recorded says so in one sentence, naming no figure
    assert "（三）坚持挺纪在前，持续加强纪律作风建设。上半年未见廉政教育、谈话提醒、执纪问责、干部选任等方面的工作记录。" in text
    text = re.sub(r"上半年未见[^。]*工作记录。", "", text)
    for absent in ("干部职工会", "警示教育", "谈话", "四种形态", "凡提四必", "风险点", "三公"):
        assert absent not in text


def test_completion_words_follow_the_numbers(db, h1):
    u = unit()
    for i, (status, done) in enumerate((("已完成", D(2023, 3, 1)), ("已完成", D(2023, 5, 20)), ("推进中", None))):
        L.DutyTask.objects.create(unit=u, task=f"任务{i}", deadline=D(2023, 4, 30), status=status, done_date=done)
    text = section_two(build_report(u, h1))
    # the second was done after its deadline: 1 of 3 on time
    assert "已到完成时限的责任分工任务3项，按期完成1项，按期完成率33.3%" in text
    assert "均按期完成" not in text


def test_other_units_records_are_not_counted(db, h1):
    build_unit(name="河川市林业局", short="林业局", code="HCLYJ", seed=3)
    doc = build_report(unit(), h1)
    assert all(f["records"] == [] for f in doc.facts)


def test_duty_reports_count_the_heads_who_reported_not_the_reports(db, h1):
    u = unit()
    head1, head2 = person(u, "甲", is_dept_head=True), person(u, "乙", is_dept_head=True)
    clerk = person(u, "丙")
    for when, who, on_site, votes in ((D(2023, 1, 20), head1, True, (10, 5, 3, 2)),
                                      (D(2023, 5, 20), head1, False, (8, 2, 0, 0)),
                                      (D(2023, 1, 20), head2, True, (6, 2, 1, 1)),
                                      (D(2023, 1, 20), clerk, True, (4, 4, 2, 0)),
                                      (D(2022, 12, 20), person(u, "丁", is_dept_head=True), True, (1, 0, 0, 0))):
        L.DutyReport.objects.create(unit=u, date=when, reporter=who, on_site=on_site, good=votes[0],
                                    fairly_good=votes[1], average=votes[2], poor=votes[3])
    doc = build_report(u, h1)
    # two heads reported in the period (甲 twice), both on site once; the clerk's report is not a head's;
    # the votes are those of all four reports of the period: (15 + 10 + 8 + 8) / (20 + 10 + 10 + 10) = 82.0%
    assert "组织2名科室（下属单位）主要负责人述责述廉，其中2人现场述责、接受提问质询；" \
           "开展民主测评，“好”和“较好”票占82.0%。" in section_two(doc)
    facts = {f["id"]: f for f in doc.facts}
    assert sorted(facts["duty_report.reporters"]["records"]) == sorted(f"person:{p.pk}" for p in (head1, head2))


def test_reports_without_a_head_are_stated_as_reports(db, h1):
    u = unit()
    L.DutyReport.objects.create(unit=u, date=D(2023, 3, 1), reporter=person(u, "丙"), good=3, fairly_good=0,
                                average=1, poor=0)
    doc = build_report(u, h1)
    # no 机构负责人: coverage has no light; 3 of 4 votes, 75%: (75 − 70) / 20 → 25 points, red
    assert "督促责任落实。开展述责述廉1人次；开展民主测评，“好”和“较好”票占75.0%，干部职工认可度有待提高。" in section_two(doc)
    # the period's share is not the indicator 民主测评满意率 (a 365-day window): it does not take its name
    satisfaction = next(f for f in doc.facts if f["id"] == "duty_report.satisfaction")
    assert "民主测评满意率" not in satisfaction["text"]


def test_an_untraced_report_is_the_same_document_without_the_record_lists(sample_unit, h1):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fengqing.report.render import html

    with CaptureQueriesContext(connection) as traced_queries:
        traced = build_report(sample_unit, h1)
    with CaptureQueriesContext(connection) as untraced_queries:
        untraced = build_report(sample_unit, h1, trace=False)
    assert html.body(untraced, lambda f: f"/f/{f}/") == html.body(traced, lambda f: f"/f/{f}/")
    assert [(f["id"], f["text"], f["value"]) for f in untraced.facts] == [
        (f["id"], f["text"], f["value"]) for f in traced.facts]
    assert sum(len(f["records"]) for f in traced.facts) > 100
    # the figures that tally counts come without their records, and their lists are not queried
    assert all(not f["records"] for f in untraced.facts if f["id"].startswith(("talk.", "study.", "meeting.")))
    assert len(untraced_queries) < len(traced_queries)
    assert not [q for q in untraced_queries.captured_queries if '"ledger_talk"."id" AS "pk"' in q["sql"]]
    assert [q for q in traced_queries.captured_queries if '"ledger_talk"."id" AS "pk"' in q["sql"]]
    # and the next report traces again
    assert as_dict(build_report(sample_unit, h1))["facts"] == traced.facts
