from datetime import date
from decimal import Decimal

import pytest

from fengqing.accounts.models import AuditEntry
from fengqing.ledger.models import DutyReport, Petition, PublicExpense, Study, Talk
from fengqing.org.models import Department, PartyBranch, Person, Unit
from fengqing.rectify.models import Measure
from fengqing.workbook.importer import import_workbook

from .helpers import VALID, dump_db, valid, write_book

pytestmark = pytest.mark.django_db
TODAY = date(2023, 7, 15)


def do_import(tmp_path, sheets, name="book.xlsx", **kw):
    return import_workbook(write_book(tmp_path / name, sheets), today=TODAY, **kw)


def stats(result):
    return {s.sheet: (s.new, s.updated, s.unchanged, s.deleted) for s in result.sheets}


def test_valid_workbook_imports_every_row(tmp_path):
    result = do_import(tmp_path, VALID)
    unit = Unit.objects.get()
    assert result.unit == unit and unit.short_name == "水务局" and unit.leadership_title == "领导班子"
    assert Department.objects.filter(unit=unit).count() == 3
    assert PartyBranch.objects.count() == 2
    assert Person.objects.count() == 5
    assert Study.objects.count() == 3  # two identical rows are two sessions
    assert Talk.objects.count() == 2 and Petition.objects.count() == 2
    assert Measure.objects.filter(problem__code="2023H1-01").count() == 2
    # per-sheet counts, by hand from VALID
    assert stats(result)["人员"] == (5, 0, 0, 0)
    assert stats(result)["学习"] == (3, 0, 0, 0)


def test_cells_are_read_by_kind(tmp_path):
    do_import(tmp_path, VALID)
    zhang = Person.objects.get(staff_no="1001")
    assert zhang.is_leader and not zhang.is_dept_head and zhang.joined == date(2005, 7, 1)
    assert zhang.department.name == "办公室" and zhang.branch.name == "机关第一党支部"
    wang = Person.objects.get(staff_no="1003")  # 工号 typed as a number
    assert wang.status_date == date(2023, 3, 15)  # 2023年3月15日
    assert Person.objects.get(staff_no="1002").joined == date(2012, 9, 1)  # 2012/9/1
    expense = PublicExpense.objects.get(category="公务接待费")
    assert (expense.budget, expense.spent) == (Decimal("12.50"), Decimal("10.25"))
    # half-width brackets match the listed full-width value
    assert PublicExpense.objects.filter(category="因公出国（境）费").exists()
    assert Study.objects.get(kind="党支部集中学习").attendees is None
    report = DutyReport.objects.get()
    assert (report.good, report.fairly_good, report.average, report.poor) == (20, 5, 1, 0)


def test_person_references_by_name_and_staff_number(tmp_path):
    do_import(tmp_path, VALID)
    talks = {t.kind: t.subject.staff_no for t in Talk.objects.all()}
    assert talks == {"廉洁纪律谈话": "1001", "提醒谈话": "1004"}
    assert DutyReport.objects.get().reporter.staff_no == "1002"


def test_reimport_changes_nothing(tmp_path):
    do_import(tmp_path, VALID)
    before = dump_db()
    result = do_import(tmp_path, VALID)
    assert not result.changed
    assert stats(result)["学习"] == (0, 0, 3, 0)
    assert dump_db() == before  # not even an audit entry


def test_update_keeps_identity_and_references(tmp_path):
    do_import(tmp_path, VALID)
    zhang = Person.objects.get(staff_no="1001")
    book = valid()
    book["人员"][0]["职务"] = "党组书记、局长"
    result = do_import(tmp_path, book)
    assert stats(result)["人员"] == (0, 1, 4, 0)
    zhang2 = Person.objects.get(staff_no="1001")
    assert zhang2.pk == zhang.pk and zhang2.post == "党组书记、局长"
    assert Talk.objects.filter(subject=zhang2).count() == 1
    entry = AuditEntry.objects.get(action="修改", model="人员")
    assert entry.before["post"] == "局长" and entry.after["post"] == "党组书记、局长"


def test_replace_makes_records_exactly_the_workbooks(tmp_path):
    do_import(tmp_path, VALID)
    book = valid(学习=[VALID["学习"][0]])  # one of the two identical sessions, and not the third
    book["人员"] = [p for p in VALID["人员"] if p["工号"] != "1005"]
    del book["信访举报"]  # an absent sheet: its kind is left as it is, even with replace
    result = do_import(tmp_path, book, replace=True)
    assert stats(result)["学习"] == (0, 0, 1, 2)
    assert stats(result)["人员"] == (0, 0, 4, 1)
    assert "信访举报" not in stats(result)
    assert Study.objects.count() == 1 and Petition.objects.count() == 2
    assert not Person.objects.filter(staff_no="1005").exists()
    assert AuditEntry.objects.filter(action="删除").count() == 3


def test_without_replace_nothing_is_deleted(tmp_path):
    do_import(tmp_path, VALID)
    book = valid(学习=[])
    del book["信访举报"]
    do_import(tmp_path, book)
    assert Study.objects.count() == 3 and Petition.objects.count() == 2


def test_dry_run_writes_nothing_and_counts_like_a_real_run(tmp_path):
    do_import(tmp_path, VALID)
    book = valid()
    book["学习"].append({"日期": "2023-05-05", "类型": "其他", "主题": "新增的学习"})
    book["人员"][1]["职务"] = "科长"
    before = dump_db()
    dry = do_import(tmp_path, book, dry_run=True)
    assert dump_db() == before
    real = do_import(tmp_path, book)
    assert stats(dry) == stats(real)
    assert stats(real)["学习"] == (1, 0, 3, 0) and stats(real)["人员"] == (0, 1, 4, 0)


def test_records_of_other_units_are_untouched(tmp_path):
    do_import(tmp_path, VALID)
    other = valid()
    other["单位"] = [{"单位名称": "河川市林业局", "单位简称": "林业局", "党组织名称": "中共河川市林业局党组"}]
    do_import(tmp_path, other, replace=True)
    assert Unit.objects.count() == 2
    assert Person.objects.filter(unit__name="河川市水务局").count() == 5
    assert Person.objects.filter(unit__name="河川市林业局").count() == 5


def test_unknown_sheet_and_column_are_warnings(tmp_path):
    book = valid()
    book["备注"] = [{"说明": "随便写写"}]
    book["机构"][0]["负责人"] = "张伟"
    result = do_import(tmp_path, book)
    assert any("备注" in w for w in result.warnings)
    assert any("负责人" in w and "机构" in w for w in result.warnings)
    assert Department.objects.count() == 3


def test_a_missing_optional_column_leaves_stored_values_alone(tmp_path):
    do_import(tmp_path, VALID)
    book = valid()
    book["单位"] = [{k: v for k, v in VALID["单位"][0].items() if k != "单位代码"}]
    book["人员"] = [{k: v for k, v in p.items() if k not in ("所在机构", "班子成员", "机构负责人")}
                   for p in VALID["人员"]]
    book["人员"].append({"工号": "1006", "姓名": "新人", "人员类别": "公务员", "状态": "在职", "政治面貌": "群众"})
    result = do_import(tmp_path, book)
    assert stats(result)["人员"] == (1, 0, 5, 0) and stats(result)["单位"] == (0, 0, 1, 0)
    assert Unit.objects.get().code == "113301"
    zhang = Person.objects.get(staff_no="1001")
    assert zhang.department.name == "办公室" and zhang.is_leader
    assert Person.objects.get(staff_no="1002").is_dept_head
    new = Person.objects.get(staff_no="1006")  # a new row gets the defaults of the missing columns
    assert new.department is None and not new.is_leader


def test_a_missing_optional_column_of_a_row_keyed_sheet_matches_on_the_others(tmp_path):
    do_import(tmp_path, VALID)
    book = valid(学习=[{k: v for k, v in row.items() if k != "参加人数"} for row in VALID["学习"]])
    result = do_import(tmp_path, book)
    assert stats(result)["学习"] == (0, 0, 3, 0)
    assert sorted(Study.objects.values_list("attendees", flat=True), key=str) == [9, 9, None]
