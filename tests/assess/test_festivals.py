from datetime import date

import pytest

from fengqing.assess.festivals import festival_days, festivals_in
from fengqing.periods import parse_period

# DESIGN §5 lists these days for checking.
DESIGN_DAYS = {
    2022: ["1/1", "2/1", "4/5", "5/1", "6/3", "9/10", "10/1"],
    2023: ["1/1", "1/22", "4/5", "5/1", "6/22", "9/29", "10/1"],
    2024: ["1/1", "2/10", "4/4", "5/1", "6/10", "9/17", "10/1"],
}


@pytest.mark.parametrize("year", sorted(DESIGN_DAYS))
def test_festival_days_match_design(year):
    expected = [date(year, *map(int, md.split("/"))) for md in DESIGN_DAYS[year]]
    assert [day for _, day in festival_days(year)] == expected
    assert [name for name, _ in festival_days(year)] == ["元旦", "春节", "清明", "劳动节", "端午", "中秋", "国庆"]


def test_festivals_in_periods():
    assert [n for n, _ in festivals_in(parse_period("2023H1"))] == ["元旦", "春节", "清明", "劳动节", "端午"]
    assert [n for n, _ in festivals_in(parse_period("2023H2"))] == ["中秋", "国庆"]
    assert [n for n, _ in festivals_in(parse_period("2023Q3"))] == ["中秋"]
    assert len(festivals_in(parse_period("2023"))) == 7
    # 2025's 中秋 is on 10/6, so its third quarter has no festival at all
    assert festivals_in(parse_period("2025Q3")) == ()


def test_festivals_sharing_a_day_both_count():
    # 2020: 中秋 and 国庆 both fell on 10/1
    assert festival_days(2020)[-2:] == (("中秋", date(2020, 10, 1)), ("国庆", date(2020, 10, 1)))
