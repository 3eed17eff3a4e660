"""Exporting one unit's records as an interchange workbook (DESIGN §3); import of the result gives the same data."""

from __future__ import annotations

from collections import Counter
from io import BytesIO
from pathlib import Path
from typing import BinaryIO, cast

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from ..files import atomic_write
from ..org.models import Person, Unit, UnitRecord
from .cells import to_cell
from .schema import REFERENCE_KINDS, REFERENCES, SHEETS, Column, Sheet
from .styles import style_header



def export_unit(unit: Unit, target: str | Path | BinaryIO) -> None:
    if isinstance(target, (str, Path)):
        # built in memory first, then written whole: no half-written file is ever left behind
        buffer = BytesIO()
        export_unit(unit, buffer)
        atomic_write(target, buffer.getvalue())
        return
    export_sheets(unit, [(sheet, _unit_rows(unit, sheet)) for sheet in SHEETS], target)


def export_sheets(unit: Unit, parts: list[tuple[Sheet, QuerySet | None]], target: BinaryIO) -> None:
    """A workbook of the unit's 单位 sheet and, per (sheet, rows of the sheet's model), those rows in the order
    given: what a page lists, exported so that it can be imported again."""
    book = Workbook(write_only=True)
    refs = _reference_labels(unit)
    if parts[0][0].model is not Unit:
        parts = [(SHEETS[0], None), *parts]
    try:
        for sheet, rows in parts:
            ws = book.create_sheet(sheet.name)
            ws.append(style_header(ws, sheet))
            values = ([tuple(getattr(unit, c.field) for c in sheet.columns)] if rows is None else
                      rows.values_list(*(c.attname for c in sheet.columns)).iterator(chunk_size=2000))
            for row in values:
                ws.append([_as_text(ws, _cell(col, value, refs)) for col, value in zip(sheet.columns, row)])
    except BaseException:
        # an error half-way (a value that does not decrypt …): close the sheets' streaming writers now, or the
        # garbage collector does it at exit and prints their tracebacks
        for ws in book.worksheets:
            ws.close()
        raise
    book.save(target)


def _reference_labels(unit: Unit) -> dict[str, dict[int, str]]:
    """How each referenced row is written: people by 姓名 where the name is unique in the unit, else by 工号."""
    people = list(Person.objects.filter(unit=unit).values_list("pk", "staff_no", "name"))
    name_count = Counter(name for _, _, name in people)
    staff_nos = {staff_no for _, staff_no, _ in people}  # import reads 工号 first: a name equal to one is no label
    labels = {"person": {pk: name if name_count[name] == 1 and name not in staff_nos else staff_no
                         for pk, staff_no, name in people}}
    for kind, ref in REFERENCES.items():
        labels[kind] = dict(ref.model._default_manager.filter(unit=unit).values_list("pk", ref.attr))
    return labels


def _unit_rows(unit: Unit, sheet: Sheet) -> QuerySet | None:
    if sheet.model is Unit:
        return None
    return cast(type[UnitRecord], sheet.model).of_unit(unit).order_by(*sheet.order_by)


def _as_text(ws, value):
    """Text that looks like a formula stays text: nothing a user typed is ever evaluated by the spreadsheet."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def _cell(column: Column, value, refs):
    if value is not None and column.kind in REFERENCE_KINDS:
        return refs[column.kind][value]
    return to_cell(column, value)
