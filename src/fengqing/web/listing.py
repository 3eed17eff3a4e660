"""What a register list shows, read from the page's query string: the period (dated registers), the filters,
the search, the sort and the page. The list page and its export share it, so the export holds exactly the
rows the page lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeGuard

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet, Sum

from ..periods import Period
from ..workbook.schema import REFERENCES
from .kinds import Kind
from .views.base import current_period, search_text

PAGE_SIZES = (20, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50


@dataclass(frozen=True)
class Filter:
    """One choice of the filter bar: the query parameter is the column's field."""

    name: str
    label: str
    options: list[tuple[str, str]]  # (value, text)
    value: str


@dataclass
class Listing:
    kind: Kind
    rows: QuerySet  # filtered and ordered, not yet paginated
    filters: list[Filter] = field(default_factory=list)
    period: Period | None = None  # the period shown, for a dated register not showing all periods
    within: Q | None = None  # the period's condition, for the count of hidden sensitive rows
    text: str = ""
    sort: str = ""  # a column's field, "-" in front for descending; "" for the register's own order

    @property
    def narrowed(self) -> bool:
        """Whether anything beyond the period narrows the list (the page then offers 清除)."""
        return bool(self.text or any(f.value for f in self.filters))


def _filters(request, scope, unit_id: int, kind: Kind) -> list[Filter]:
    found = []
    for column in kind.filter_columns:
        if column.kind == "enum":
            # a 类型 whose records the user may not see (a clerk's 诫勉谈话) is no choice: the scope decides
            options = [(v, v) for v in column.choices
                       if column.field != "kind" or scope.may_see(kind.model(**{column.field: v}))]
        else:
            ref = REFERENCES[column.kind]
            options = [(str(pk), name) for pk, name in
                       scope.records(ref.model, unit_id).order_by(ref.attr).values_list("pk", ref.attr)]
        value = request.GET.get(column.field, "")
        found.append(Filter(column.field, column.header, options,
                            value if value in {v for v, _ in options} else ""))
    return found


def listing(request, scope, unit_id: int, kind: Kind) -> Listing:
    qs = scope.records(kind.model, unit_id)
    result = Listing(kind, qs)
    if kind.periodic and request.GET.get("all") != "1":
        result.period = current_period(request, [unit_id])
        result.within = kind.period_q(result.period)
        qs = qs.filter(result.within)
    result.filters = _filters(request, scope, unit_id, kind)
    for f in result.filters:
        if f.value:
            qs = qs.filter(**{f.name: f.value})
    result.text = search_text(request)
    if result.text:
        qs = qs.filter(kind.text_q(result.text))
    columns = {c.field: c for c in kind.columns}
    sort = request.GET.get("sort", "")
    if sort.lstrip("-") in columns:
        result.sort = sort
        sign = "-" if sort.startswith("-") else ""
        order = (sign + kind.sort_key(columns[sort.lstrip("-")]), sign + "id")
    else:
        order = kind.ordering()
    result.rows = qs.select_related(*kind.related).order_by(*order)
    return result


def totals(listing: Listing) -> dict[str, object]:
    """The sums of the register's total columns over every listed row (not only the page's), by field."""
    if not listing.kind.total_columns:
        return {}
    columns = listing.kind.total_columns
    sums = listing.rows.order_by().aggregate(**{c.field: Sum(c.field) for c in columns})
    # money as the register writes it, in 万元 with two decimals, whatever the database returns
    return {c.field: f"{Decimal(sums[c.field] or 0):.2f}" if c.kind == "money" else sums[c.field] or 0
            for c in columns}


def _ends_with_id(rows) -> TypeGuard[QuerySet]:
    """Whether the rows are a queryset ordered last by the id: only such an order reads the same both ways (rows
    of equal dates included)."""
    order = rows.query.order_by if isinstance(rows, QuerySet) else ()
    return bool(order) and str(order[-1]).lstrip("-") in ("id", "pk")


class Pager(Paginator):
    """A paginator that reads a page in the second half of an ordered queryset from its end: in the reversed
    order with the smaller OFFSET, then turned round. The last page of 50,000 rows then skips 0 rows of the
    index instead of 49,950, and costs what the first page costs. ``?page=last`` asks for the last page."""

    def validate_number(self, number) -> int:
        """``last`` is the last page (as Django's list views read it)."""
        return self.num_pages if number == "last" else super().validate_number(number)

    def page(self, number) -> Page:
        number = self.validate_number(number)
        rows = self.object_list
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if not _ends_with_id(rows) or bottom < self.count - top:
            return super().page(number)
        from_end = list(rows.reverse()[self.count - top:self.count - bottom])
        from_end.reverse()
        return Page(from_end, number, self)


def page_of(request, rows: QuerySet) -> tuple[Page, int]:
    """The page asked for (?page=, ?size=), counted and sliced in SQL."""
    try:
        size = int(request.GET.get("size", DEFAULT_PAGE_SIZE))
    except ValueError:
        size = DEFAULT_PAGE_SIZE
    if size not in PAGE_SIZES:
        size = DEFAULT_PAGE_SIZE
    return Pager(rows, size).get_page(request.GET.get("page")), size


def page_numbers(page: Page) -> list[int | None]:
    """The page links: the first and last pages, two either side of this one; None where pages are left out."""
    last, here = page.paginator.num_pages, page.number
    shown = sorted({1, last, *range(max(1, here - 2), min(last, here + 2) + 1)})
    numbers: list[int | None] = []
    for n in shown:
        if numbers and n - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(n)
    return numbers
