"""全部单位: the supervisor's ranking of every unit, its score cells coloured as a heat map, filtered by name,
by grade and by the light of the total or of one dimension, sorted by any column, a page at a time (50 units unless ?size= asks for another of the register's sizes).

The assessment behind it is shared (``web.shared``): paging, sorting and filtering work on the kept results
and cost only the page drawn, never a new assessment or chart.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ... import charts
from ...assess.table import LIGHTS, format_score
from ...numbers import percent
from ..listing import PAGE_SIZES, page_numbers, page_of
from ..shared import ranked_assessments
from .base import allow, current_period, period_choices, scope_of

#: sortable columns besides the dimensions (``d0``, ``d1`` …); a leading “-” sorts descending
COLUMNS = ("rank", "name", "total", "completeness", "red")


@dataclass
class Row:
    rank: int
    unit_id: int
    name: str
    short_name: str
    code: str
    total: float | None
    grade: str | None
    completeness: float
    red: int
    dims: list[float | None]

    def key(self, column: str) -> str | float | int | None:
        """The value sorted on; units without it (None) come last either way."""
        if column.startswith("d"):
            return self.dims[int(column[1:])]
        values: dict[str, str | float | None] = {"rank": self.rank, "name": self.name, "total": self.total,
                                                 "completeness": self.completeness, "red": self.red}
        return values[column]


def _rows(results, dims: list[str]) -> list[Row]:
    return [Row(rank=i, unit_id=a.unit.id, name=a.unit.name, short_name=a.unit.short_name, code=a.unit.code,
                total=a.total, grade=a.grade,
                completeness=a.completeness, red=sum(1 for r in a.indicators if r.light == "red"),
                dims=[a.dimensions.get(d) for d in dims])
            for i, a in enumerate(results, 1)]


def _sorted(rows: list[Row], sort: str) -> list[Row]:
    column, descending = sort.lstrip("-"), sort.startswith("-")
    present = [r for r in rows if r.key(column) is not None]
    absent = [r for r in rows if r.key(column) is None]
    present.sort(key=lambda r: (r.key(column), r.rank), reverse=descending)
    return present + absent


def _valid_sort(sort: str, n_dims: int) -> str:
    column = sort.lstrip("-")
    ok = column in COLUMNS or (column[:1] == "d" and column[1:].isdigit() and int(column[1:]) < n_dims)
    return sort if ok else "rank"


def _headers(dims: list[str], sort: str) -> list[dict]:
    """The column headers; a sortable one links to its sort, ascending first, descending when clicked again."""
    column, descending = sort.lstrip("-"), sort.startswith("-")
    return [{"label": label, "num": key != "name",
             "sort": None if key == "grade" else f"-{key}" if key == column and not descending else key,
             "arrow": ("↓" if descending else "↑") if key == column else ""}
            for key, label in [("rank", "名次"), ("name", "单位"), ("total", "综合得分"), ("grade", "等级"),
                               ("completeness", "完整度"), ("red", "红灯"),
                               *((f"d{i}", d) for i, d in enumerate(dims))]]


def overview(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    allow(scope.is_supervisor)
    period = current_period(request, list(scope.unit_ids))
    results = ranked_assessments(period, scope.unit_ids) if scope.unit_ids else []
    scheme = results[0].scheme if results else None
    dims = list(results[0].dimensions) if results else []
    rows = _rows(results, dims)

    grade, dim, light = (request.GET.get(k, "") for k in ("grade", "dim", "light"))
    text = request.GET.get("q", "").strip()
    dim_index = int(dim) if dim.isdigit() and int(dim) < len(dims) else None
    counts = {g.name: 0 for g in scheme.grades} if scheme else {}
    for r in rows:
        if r.grade in counts:
            counts[r.grade] += 1
    shown = rows
    if text:
        shown = [r for r in shown if text in r.name or text in r.short_name or text == r.code]
    if grade in counts:
        shown = [r for r in shown if r.grade == grade]
    if scheme and light in ("green", "yellow", "red"):
        shown = [r for r in shown
                 if scheme.lights.of(r.total if dim_index is None else r.dims[dim_index]) == light]
    sort = _valid_sort(request.GET.get("sort", "rank"), len(dims))
    page, size = page_of(request, _sorted(shown, sort))
    table = [{"row": r, "total": format_score(r.total), "total_style": charts.score_style(r.total),
              "completeness": percent(r.completeness, 0),
              "dims": [(format_score(v), charts.score_style(v)) for v in r.dims]} for r in page]
    return render(request, "web/overview.html", {
        "section": "overview", "period": period, "period_codes": period_choices(period), "page": page,
        "numbers": page_numbers(page), "size": size, "sizes": PAGE_SIZES,
        "table": table, "headers": _headers(dims, sort), "dims": list(enumerate(dims)), "counts": counts,
        "grade": grade, "dim": dim, "light": light, "q": text, "sort": sort, "units": len(rows), "shown": len(shown),
        "lights": [(k, LIGHTS[k]) for k in ("green", "yellow", "red")], "scheme": scheme,
        "filtered": bool(text) or grade in counts or light in ("green", "yellow", "red"),
    })
