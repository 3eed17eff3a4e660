from datetime import date

import pytest

from fengqing.errors import PeriodError
from fengqing.periods import parse_period


@pytest.mark.parametrize("code,start,end,label,months", [
    ("2023H1", date(2023, 1, 1), date(2023, 6, 30), "2023年上半年", 6),
    ("2023H2", date(2023, 7, 1), date(2023, 12, 31), "2023年下半年", 6),
    ("2023", date(2023, 1, 1), date(2023, 12, 31), "2023年度", 12),
    ("2024Q1", date(2024, 1, 1), date(2024, 3, 31), "2024年第一季度", 3),
    ("2023q4", date(2023, 10, 1), date(2023, 12, 31), "2023年第四季度", 3),
])
def test_parse(code, start, end, label, months):
    p = parse_period(code)
    assert (p.start, p.end, p.label, p.months) == (start, end, label, months)


@pytest.mark.parametrize("code,previous,year_ago", [
    ("2023H1", "2022H2", "2022H1"),
    ("2023H2", "2023H1", "2022H2"),
    ("2023Q1", "2022Q4", "2022Q1"),
    ("2023Q3", "2023Q2", "2022Q3"),
    ("2023", "2022", "2022"),
])
def test_neighbours(code, previous, year_ago):
    p = parse_period(code)
    assert p.previous().code == previous
    assert p.year_ago().code == year_ago


@pytest.mark.parametrize("bad", ["", "2023H3", "23H1", "2023Q5", "上半年"])
def test_bad_period_is_refused_in_chinese(bad):
    with pytest.raises(PeriodError, match="期间"):
        parse_period(bad)


@pytest.mark.parametrize("day,code", [(date(2023, 1, 1), "2023H1"), (date(2023, 6, 30), "2023H1"),
                                      (date(2023, 7, 1), "2023H2"), (date(2023, 12, 31), "2023H2")])
def test_half_year_of(day, code):
    from fengqing.periods import half_year_of

    assert half_year_of(day).code == code
