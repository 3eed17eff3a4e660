import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from fengqing.org.models import Unit
from fengqing.workbook.docs import schema_markdown
from fengqing.workbook.exporter import export_unit
from fengqing.workbook.importer import import_workbook
from fengqing.workbook.schema import INSTRUCTION_SHEET, SHEETS
from fengqing.workbook.template import write_template

from .helpers import VALID, dump_db, write_book

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2023, 7, 15)


def sheet_values(path) -> dict[str, list[tuple]]:
    book = load_workbook(path, read_only=True)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}


@pytest.mark.django_db
def test_export_import_export_gives_the_same_data(tmp_path):
    import_workbook(write_book(tmp_path / "in.xlsx", VALID), today=TODAY)
    unit = Unit.objects.get()
    export_unit(unit, tmp_path / "one.xlsx")
    first = record_counts()
    unit.delete()  # cascade: the unit's records are gone
    import_workbook(tmp_path / "one.xlsx", today=TODAY)
    export_unit(Unit.objects.get(), tmp_path / "two.xlsx")
    assert sheet_values(tmp_path / "one.xlsx") == sheet_values(tmp_path / "two.xlsx")
    assert record_counts() == first  # the same records came back (with new ids)


def record_counts() -> dict[str, int]:
    return {s.name: s.model.objects.count() for s in SHEETS}


@pytest.mark.django_db
def test_export_writes_every_sheet_with_the_schema_headers(tmp_path):
    import_workbook(write_book(tmp_path / "in.xlsx", VALID), today=TODAY)
    export_unit(Unit.objects.get(), tmp_path / "out.xlsx")
    values = sheet_values(tmp_path / "out.xlsx")
    assert list(values) == [s.name for s in SHEETS]
    for sheet in SHEETS:
        assert values[sheet.name][0] == sheet.headers
    people = {row[0]: row for row in values["人员"][1:]}
    assert people["1001"][1] == "张伟" and people["1001"][5] == "是"  # 班子成员 as 是/否
    talks = sorted(row[1] for row in values["谈话"][1:])
    assert talks == ["1004", "张伟"]  # 李娜 is not unique in the unit, so her 工号 is written
    assert len(values["学习"]) == 1 + 3


@pytest.mark.django_db
def test_reimporting_an_export_changes_nothing(tmp_path):
    import_workbook(write_book(tmp_path / "in.xlsx", VALID), today=TODAY)
    export_unit(Unit.objects.get(), tmp_path / "out.xlsx")
    before = dump_db()
    result = import_workbook(tmp_path / "out.xlsx", today=TODAY)
    assert not result.changed and dump_db() == before


def test_template_has_every_sheet_header_and_dropdown(tmp_path):
    write_template(tmp_path / "t.xlsx")
    book = load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames == [INSTRUCTION_SHEET] + [s.name for s in SHEETS]
    for sheet in SHEETS:
        ws = book[sheet.name]
        assert tuple(c.value for c in ws[1]) == sheet.headers
        lists = {}
        for dv in ws.data_validations.dataValidation:
            column = ws.cell(row=1, column=next(iter(dv.sqref.ranges)).min_col).value
            lists[column] = tuple(dv.formula1.strip('"').split(","))
        expected = {c.header: c.choices for c in sheet.columns if c.kind == "enum"}
        expected.update({c.header: ("是", "否") for c in sheet.columns if c.kind == "bool"})
        assert lists == expected, sheet.name


def test_instruction_sheet_covers_every_column(tmp_path):
    write_template(tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx")[INSTRUCTION_SHEET]
    described = {(r[0], r[1]) for r in ws.iter_rows(values_only=True) if r[1]}
    assert {(s.name, c.header) for s in SHEETS for c in s.columns} <= described


@pytest.mark.django_db
def test_blank_template_imports_as_missing_unit(tmp_path):
    """The template itself is a valid shape: only the unit row is missing."""
    from fengqing.errors import WorkbookError

    write_template(tmp_path / "t.xlsx")
    with pytest.raises(WorkbookError) as err:
        import_workbook(tmp_path / "t.xlsx")
    assert [p.sheet for p in err.value.problems] == ["单位"]


def test_docs_are_generated_from_the_schema():
    assert (ROOT / "docs" / "workbook.md").read_text(encoding="utf-8") == schema_markdown(), \
        "docs/workbook.md 已过期：运行 python -m fengqing.workbook.docs > docs/workbook.md"


def cli(tmp_path, *args):
    env = {k: v for k, v in os.environ.items() if k != "FENGQING_DATABASE_URL"}
    env["FENGQING_HOME"] = str(tmp_path / "home")
    return subprocess.run([sys.executable, "-m", "fengqing.cli", *args], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)


def test_command_line_import_export_and_errors(tmp_path):
    good = write_book(tmp_path / "good.xlsx", VALID)
    # the first command on a new data folder creates the database itself
    dry = cli(tmp_path, "import", str(good), "--dry-run")
    assert dry.returncode == 0 and "试导入" in dry.stdout
    assert "人员" in dry.stdout and "\t5\t0\t0" in dry.stdout
    done = cli(tmp_path, "import", str(good))
    assert done.returncode == 0 and "导入完成" in done.stdout
    out = cli(tmp_path, "export", "--unit", "水务局", str(tmp_path / "out.xlsx"))
    assert out.returncode == 0 and (tmp_path / "out.xlsx").exists()

    bad_book = {**VALID, "学习": [{"日期": "2023-02-30", "类型": "学习", "主题": "x"}]}
    bad = cli(tmp_path, "import", str(write_book(tmp_path / "bad.xlsx", bad_book)))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    lines = bad.stderr.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("错误：工作表“学习”第2行") for line in lines)

    unknown = cli(tmp_path, "export", "--unit", "不存在局", str(tmp_path / "x.xlsx"))
    assert unknown.returncode == 2 and "找不到单位" in unknown.stderr and "Traceback" not in unknown.stderr
    template = cli(tmp_path, "template", str(tmp_path / "t.xlsx"))
    assert template.returncode == 0 and (tmp_path / "t.xlsx").exists()

    missing = cli(tmp_path, "import", str(tmp_path / "没有这个文件.xlsx"))
    assert missing.returncode == 2 and "找不到文件" in missing.stderr and "Traceback" not in missing.stderr
    for args in (["template", str(tmp_path / "无此目录" / "t.xlsx")],
                 ["export", "--unit", "水务局", str(tmp_path / "无此目录" / "x.xlsx")]):
        unwritable = cli(tmp_path, *args)
        assert unwritable.returncode == 2 and "Traceback" not in unwritable.stderr
        assert unwritable.stderr.startswith("错误：无法写入文件") and "无此目录" in unwritable.stderr


@pytest.mark.django_db
def test_text_that_looks_like_a_formula_stays_text_and_control_characters_do_not_break_export(tmp_path):
    from fengqing.ledger.models import Meeting

    import_workbook(write_book(tmp_path / "in.xlsx", VALID), today=TODAY)
    unit = Unit.objects.get()
    Meeting.objects.create(unit=unit, date=date(2023, 5, 1), kind="其他", topic="=HYPERLINK(\"http://x\")")
    Meeting.objects.create(unit=unit, date=date(2023, 5, 2), kind="其他", topic="带\x0b控制符")
    export_unit(unit, tmp_path / "out.xlsx")
    book = load_workbook(tmp_path / "out.xlsx")
    cells = {c.value: c.data_type for row in book["会议"].iter_rows(min_row=2) for c in row[2:3]}
    assert cells['=HYPERLINK("http://x")'] == "s" and "带控制符" in cells
    unit.delete()
    import_workbook(tmp_path / "out.xlsx", today=TODAY)
    assert Meeting.objects.filter(topic='=HYPERLINK("http://x")').exists()
