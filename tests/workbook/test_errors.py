"""Every error kind of DESIGN §3: reported by sheet, row and column, and the database left exactly as it was."""

import re
from datetime import date

import pytest

from fengqing.errors import WorkbookError
from fengqing.workbook.importer import import_workbook

from .helpers import VALID, dump_db, valid, write_book

pytestmark = pytest.mark.django_db
TODAY = date(2023, 7, 15)


def set_cell(sheet, index, column, value):
    def mutate(book):
        book[sheet][index][column] = value
    return mutate


def add_row(sheet, row):
    def mutate(book):
        book.setdefault(sheet, []).append(row)
    return mutate


def drop_column(sheet, column):
    def mutate(book):
        for row in book[sheet]:
            row.pop(column, None)
    return mutate


# (mutation, sheet, Excel row, column, words the reason must contain)
CASES = {
    "unknown enumeration value": (set_cell("人员", 1, "政治面貌", "党员"), "人员", 3, "政治面貌", "不是可选值"),
    "impossible date": (set_cell("学习", 0, "日期", "2023-02-30"), "学习", 2, "日期", "日期不存在"),
    "not a date": (set_cell("会议", 0, "日期", "三月一日"), "会议", 2, "日期", "不是日期"),
    "unknown person": (set_cell("谈话", 0, "对象", "9999"), "谈话", 2, "对象", "找不到该人员"),
    "ambiguous name": (set_cell("谈话", 0, "对象", "李娜"), "谈话", 2, "对象", "同名"),
    "unknown department": (set_cell("人员", 0, "所在机构", "财务科"), "人员", 2, "所在机构", "找不到该机构"),
    "unknown department of a risk point": (set_cell("廉政风险点", 0, "所在机构", "不存在科"), "廉政风险点", 2,
                                           "所在机构", "找不到该机构"),
    "unknown branch": (set_cell("人员", 0, "所在党支部", "第九党支部"), "人员", 2, "所在党支部", "找不到该党支部"),
    "unknown problem": (set_cell("整改措施", 1, "问题编号", "2099H1-09"), "整改措施", 3, "问题编号", "找不到该问题编号"),
    "duplicate key": (add_row("人员", {"工号": "1002", "姓名": "重复", "人员类别": "公务员", "状态": "在职",
                                       "政治面貌": "群众"}), "人员", 7, "工号", "重复"),
    "duplicate composite key": (add_row("三公经费", {"年度": 2023, "期间": "上半年", "类别": "公务接待费",
                                                 "预算数": 1, "支出数": 1}), "三公经费", 4, "类别", "重复"),
    "missing required column": (drop_column("学习", "主题"), "学习", 1, "主题", "缺少必填列"),
    "empty required cell": (set_cell("会议", 0, "议题", None), "会议", 2, "议题", "必填项为空"),
    "negative number": (set_cell("三公经费", 0, "支出数", -3), "三公经费", 2, "支出数", "负数"),
    "negative count": (set_cell("述责述廉", 0, "差", -1), "述责述廉", 2, "差", "负数"),
    "fractional count": (set_cell("学习", 0, "参加人数", 8.5), "学习", 2, "参加人数", "整数"),
    "three decimals of money": (set_cell("三公经费", 0, "预算数", 1.234), "三公经费", 2, "预算数", "两位小数"),
    "party member without branch": (set_cell("人员", 0, "所在党支部", None), "人员", 2, "所在党支部", "党员必须"),
    "second unit row": (add_row("单位", {"单位名称": "另一个局", "单位简称": "另局", "党组织名称": "中共另局党组"}),
                        "单位", 3, "", "只能有一行"),
    "retired without date": (set_cell("人员", 2, "状态日期", None), "人员", 4, "状态日期", "必须填写状态日期"),
    "completion date far in the future": (set_cell("整改措施", 0, "完成日期", "2025-01-01"), "整改措施", 2,
                                          "完成日期", "一年以上"),
    "posting starts after it ends": (add_row("挂职", {"对象": "1001", "挂职单位": "某镇", "开始日期": "2023-05-01",
                                                    "结束日期": "2023-04-01"}), "挂职", 2, "开始日期", "晚于结束日期"),
    "yes/no column": (set_cell("会议", 0, "研究党风廉政", "对"), "会议", 2, "研究党风廉政", "是”或“否"),
    "title with book marks": (set_cell("文件", 0, "标题", "《学习计划》"), "文件", 2, "标题", "书名号"),
    "bad period": (set_cell("问题", 0, "期间", "2023上半年"), "问题", 2, "期间", "不是期间"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_error_is_located_and_nothing_changes(tmp_path, case):
    mutate, sheet, row, column, words = CASES[case]
    import_workbook(write_book(tmp_path / "first.xlsx", VALID), today=TODAY)
    before = dump_db()
    book = valid()
    book["学习"].append({"日期": "2023-06-01", "类型": "其他", "主题": "会被撤销的新增"})  # a change that must not land
    mutate(book)
    with pytest.raises(WorkbookError) as err:
        import_workbook(write_book(tmp_path / "bad.xlsx", book), today=TODAY)
    matching = [p for p in err.value.problems if (p.sheet, p.row, p.column) == (sheet, row, column)]
    assert matching, [str(p) for p in err.value.problems]
    assert words in matching[0].reason
    assert f"工作表“{sheet}”第{row}行" in str(matching[0])
    assert dump_db() == before


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    book = valid()
    book["人员"][0]["政治面貌"] = "党员"
    book["学习"][0]["日期"] = "2023-13-01"
    book["谈话"][1]["对象"] = "无名氏"
    with pytest.raises(WorkbookError) as err:
        import_workbook(write_book(tmp_path / "bad.xlsx", book), today=TODAY)
    located = {(p.sheet, p.row, p.column) for p in err.value.problems}
    assert {("人员", 2, "政治面貌"), ("学习", 2, "日期"), ("谈话", 3, "对象")} <= located
    assert len(err.value.lines()) == len(err.value.problems)


def test_not_a_workbook(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("这不是工作簿")
    with pytest.raises(WorkbookError, match="不是有效的 .xlsx"):
        import_workbook(path)


def test_a_zip_that_is_no_workbook_is_said_without_a_program_name(tmp_path):
    import zipfile

    path = tmp_path / "压缩包.xlsx"
    with zipfile.ZipFile(path, "w") as z:  # a zip archive, as an .xlsx is, but without a workbook inside
        z.writestr("说明.txt", "不是工作簿")
    with pytest.raises(WorkbookError) as err:
        import_workbook(path)
    (line,) = err.value.lines()
    assert "不是有效的 .xlsx 工作簿" in line
    assert not re.search(r"Error|Exception|BadZip", line), line  # was “（KeyError）”


def test_missing_unit_sheet(tmp_path):
    book = valid()
    del book["单位"]
    with pytest.raises(WorkbookError, match="缺少“单位”工作表"):
        import_workbook(write_book(tmp_path / "b.xlsx", book), today=TODAY)


def test_replace_refuses_references_to_people_only_in_the_database(tmp_path):
    import_workbook(write_book(tmp_path / "first.xlsx", VALID), today=TODAY)
    book = valid()
    book["人员"] = [p for p in VALID["人员"] if p["工号"] != "1001"]
    with pytest.raises(WorkbookError) as err:  # 1001 is still named by a talk
        import_workbook(write_book(tmp_path / "b.xlsx", book), today=TODAY, replace=True)
    assert ("谈话", 2, "对象") in {(p.sheet, p.row, p.column) for p in err.value.problems}


def test_unit_code_of_another_unit_is_refused(tmp_path):
    import_workbook(write_book(tmp_path / "first.xlsx", VALID), today=TODAY)
    book = valid(单位=[{"单位名称": "河川市林业局", "单位简称": "林业局", "单位代码": "113301",
                       "党组织名称": "中共河川市林业局党组"}])
    with pytest.raises(WorkbookError) as err:
        import_workbook(write_book(tmp_path / "b.xlsx", book), today=TODAY)
    assert [(p.sheet, p.row, p.column) for p in err.value.problems] == [("单位", 2, "单位代码")]
    assert "河川市水务局" in err.value.problems[0].reason


def test_text_longer_than_its_column_and_huge_counts_are_refused(tmp_path):
    book = valid()
    book["人员"][0]["姓名"] = "长" * 51  # 姓名 holds 50 characters
    book["学习"][0]["参加人数"] = 10**12
    with pytest.raises(WorkbookError) as err:
        import_workbook(write_book(tmp_path / "b.xlsx", book), today=TODAY)
    found = {(p.sheet, p.row, p.column): p.reason for p in err.value.problems}
    assert "最大长度（50个字" in found[("人员", 2, "姓名")]
    assert "过大" in found[("学习", 2, "参加人数")]
