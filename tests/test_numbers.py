"""Rounding half up (四舍五入) at the .x5 boundaries, where binary floats and half-to-even formatting differ."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from fengqing.assess.catalogue import CHANGE, RATIO
from fengqing.assess.table import format_score, format_value
from fengqing.ledger.models import PublicExpense
from fengqing.numbers import fixed, percent
from fengqing.periods import parse_period
from fengqing.report.api import build_report
from fengqing.report.render import markdown
from tests.factories import unit


@pytest.mark.parametrize("value, places, expected", [
    (0.125, 2, "0.13"), (2.675, 2, "2.68"), (80.25, 1, "80.3"), (80.35, 1, "80.4"), (-0.05, 1, "-0.1"),
    (1.45, 1, "1.5"), (Decimal("0.005"), 2, "0.01"), (-0.04, 1, "0.0"),
])
def test_fixed_rounds_half_up(value, places, expected):
    # f"{2.675:.2f}" is "2.67" and f"{0.125:.2f}" "0.12": the float formatting this replaces
    assert fixed(value, places) == expected


@pytest.mark.parametrize("fraction, expected", [(0.9125, "91.3%"), (0.91249, "91.2%"), (0.0005, "0.1%"),
                                                (1 / 3, "33.3%"), (0.0, "0.0%")])
def test_percent(fraction, expected):
    assert percent(fraction) == expected


def test_score_table_and_report_round_half_up(db, capsys):
    assert format_value(RATIO, 0.9125) == "91.3%" and format_value(CHANGE, -0.0125) == "-1.3%"
    assert format_score(80.25) == "80.3"
    u = unit()
    # spent 73 of a budget of 80: 91.25% executed
    PublicExpense.objects.create(unit=u, year=2023, half="上半年", category="公务接待费", budget=Decimal("80"),
                                 spent=Decimal("73"))
    doc = build_report(u, parse_period("2023H1"))
    assert "预算执行率91.3%" in markdown.render(doc).decode("utf-8")
    call_command("score", unit="水务局", period="2023H1")
    out = capsys.readouterr().out
    assert "91.3%" in out and "91.2%" not in out
