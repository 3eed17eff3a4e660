"""Plausible values on import: dates within 1949-10-01 … a year after the import date, 期间 codes, formulas
without a cached value, hidden sheets, sheet names with stray spaces or full-width letters, and --replace that
never empties a kind whose sheet is absent."""

from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from fengqing.errors import WorkbookError
from fengqing.ledger.models import Study, Talk
from fengqing.workbook.importer import import_workbook

from .helpers import VALID, write_book

pytestmark = pytest.mark.django_db
TODAY = date(2023, 7, 15)


def problems_of(path, **kw) -> list[str]:
    with pytest.raises(WorkbookError) as info:
        import_workbook(path, today=TODAY, **kw)
    return info.value.lines()


@pytest.mark.parametrize("value, reason", [
    ("0001-01-01", "日期早于1949年10月1日"), ("1949-09-30", "日期早于1949年10月1日"),
    ("9999-12-31", "日期晚于今天一年以上"), ("2024-07-15", "日期晚于今天一年以上"),  # TODAY + 366 days
])
def test_implausible_dates_refused(tmp_path, value, reason):
    book = {**VALID, "学习": [{"日期": value, "类型": "其他", "主题": "x"}]}
    (line,) = [p for p in problems_of(write_book(tmp_path / "b.xlsx", book)) if p.startswith("工作表“学习”")]
    assert line.startswith("工作表“学习”第2行“日期”列") and reason in line


def test_edge_dates_accepted(tmp_path):
    book = {**VALID, "学习": [{"日期": "1949-10-01", "类型": "其他", "主题": "开国"},
                              {"日期": "2024-07-14", "类型": "其他", "主题": "一年后"}]}  # TODAY + 365 days
    import_workbook(write_book(tmp_path / "b.xlsx", book), today=TODAY)
    assert sorted(Study.objects.values_list("date", flat=True)) == [date(1949, 10, 1), date(2024, 7, 14)]


def test_problem_period_must_be_a_period_code(tmp_path):
    book = {**VALID, "问题": [{"编号": "W1", "期间": "abc", "方面": "其他", "标题": "x"}]}
    lines = problems_of(write_book(tmp_path / "b.xlsx", book))
    assert any(p.startswith("工作表“问题”第2行“期间”列（值：abc）：不是期间") for p in lines), lines


def test_formula_without_cached_value_names_the_cell(tmp_path):
    book = {**VALID, "学习": [{"日期": "2023-02-10", "类型": "其他", "主题": "x", "参加人数": "=3*3"}]}
    lines = problems_of(write_book(tmp_path / "b.xlsx", book))  # openpyxl saves formulas uncalculated
    assert any(p.startswith("工作表“学习”第2行：单元格 D2 是公式但没有计算结果") for p in lines), lines


def test_hidden_sheet_warned_and_spaced_name_matched(tmp_path):
    path = write_book(tmp_path / "b.xlsx", {**VALID, "学习": [{"日期": "2023-02-10", "类型": "其他", "主题": "x"}]})
    wb = load_workbook(path)
    wb["学习"].title = "学 习"
    wb["会议"].sheet_state = "hidden"
    wb.save(path)
    result = import_workbook(path, today=TODAY)
    assert "工作表“学 习”按“学习”读取" in result.warnings
    assert "工作表“会议”是隐藏的：仍按正常工作表读取，请确认其中的内容" in result.warnings
    assert Study.objects.count() == 1


def test_full_width_and_duplicate_sheet_names(tmp_path):
    book = Workbook()
    book.remove(book.active)
    for title in ("单位", "学习", "学\u3000习"):
        ws = book.create_sheet(title)
        if title == "单位":
            ws.append(list(VALID["单位"][0]))
            ws.append(list(VALID["单位"][0].values()))
        else:
            ws.append(["日期", "类型", "主题"])
    book.save(tmp_path / "dup.xlsx")
    lines = problems_of(tmp_path / "dup.xlsx")
    assert "工作表“学习”：工作表“学\u3000习”与“学习”是同一类台账，只能保留一个" in lines


def test_replace_never_empties_an_absent_kind(tmp_path):
    import_workbook(write_book(tmp_path / "full.xlsx", VALID), today=TODAY)
    studies, talks = Study.objects.count(), Talk.objects.count()
    assert studies and talks
    # 学习 misspelt beyond matching, 谈话 left out: neither kind is touched
    partial = {k: v for k, v in VALID.items() if k not in ("学习", "谈话")}
    partial["学习表"] = VALID["学习"]
    result = import_workbook(write_book(tmp_path / "partial.xlsx", partial), today=TODAY, replace=True)
    assert Study.objects.count() == studies and Talk.objects.count() == talks
    assert "忽略未知工作表“学习表”" in result.warnings
    # a sheet with its header only empties its kind
    emptied = {**VALID, "学习": []}
    path = write_book(tmp_path / "emptied.xlsx", emptied)
    wb = load_workbook(path)
    for col, header in enumerate(["日期", "类型", "主题"], start=1):
        wb["学习"].cell(row=1, column=col, value=header)
    wb.save(path)
    import_workbook(path, today=TODAY, replace=True)
    assert Study.objects.count() == 0 and Talk.objects.count() == talks
