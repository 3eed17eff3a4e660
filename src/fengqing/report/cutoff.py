"""The report's 成文日期 (DESIGN §6): one date as of which every status, completion and overdue count is stated.
It defaults to the period's end; it cannot be earlier, as the period's figures are counted at its end."""

from __future__ import annotations

from datetime import date

from ..errors import ReportError
from ..periods import Period


def cutoff_date(period: Period, value: str | date | None) -> date:
    """The 成文日期 from ``--date`` or the web field (YYYY-MM-DD; empty: the period's end)."""
    if value is None or value == "":
        return period.end
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip())
        except ValueError:
            raise ReportError(f"成文日期“{value}”格式有误，应为“年-月-日”，如 {period.end.isoformat()}") from None
    if value < period.end:
        raise ReportError(f"成文日期不能早于{period.label}的截止日 {period.end.isoformat()}")
    return value
