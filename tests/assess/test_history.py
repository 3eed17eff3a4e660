"""The trend of totals: every earlier period read in the same aggregate queries, with the totals that
assessing each period on its own gives."""

from datetime import date as D

from fengqing.assess.catalogue import METRICS
from fengqing.assess.engine import assess_periods, assess_unit
from fengqing.assess.history import assess_with_trend
from fengqing.ledger.models import Meeting, Study
from fengqing.periods import parse_period


def test_periods_assessed_together_are_those_assessed_one_by_one(u, default_scheme):
    Study.objects.create(unit=u, date=D(2022, 3, 1), kind="党组理论学习中心组", topic="t")
    Meeting.objects.create(unit=u, date=D(2022, 9, 2), kind="党组会", integrity=True)
    periods = [parse_period(c) for c in ("2022H1", "2022H2", "2023H1")]
    together = assess_periods(u, periods, default_scheme)
    assert [a.as_dict() for a in together] == [assess_unit(u, p, default_scheme).as_dict() for p in periods]
    assert together[1].indicator("central_group_study").previous == 1  # 2022H1's study, read alongside


def test_the_assessment_with_its_trend_in_one_query_per_table(u, default_scheme, django_assert_num_queries):
    for day in (D(2022, 3, 1), D(2022, 9, 1), D(2022, 9, 2), D(2023, 3, 1)):
        Study.objects.create(unit=u, date=day, kind="党组理论学习中心组", topic="t")
    Meeting.objects.create(unit=u, date=D(2022, 9, 2), kind="党组会", integrity=True)
    period = parse_period("2023H1")
    tables = {s for m in default_scheme.metric_ids for s in METRICS[m].sources}
    with django_assert_num_queries(1 + len(tables)):
        assessed, trend = assess_with_trend(u, period, default_scheme, 3)
    alone = assess_unit(u, period, default_scheme)
    assert assessed.as_dict() == alone.as_dict()
    assert [(t.period.code, t.total) for t in trend] == [
        ("2022H1", assess_unit(u, parse_period("2022H1"), default_scheme).total),
        ("2022H2", assess_unit(u, parse_period("2022H2"), default_scheme).total), ("2023H1", alone.total)]
