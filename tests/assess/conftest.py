import pytest

from fengqing.assess.engine import assess
from fengqing.assess.schemes import load_scheme
from fengqing.assess.schemes.validate import parse_scheme
from tests import factories as f


@pytest.fixture
def u(db):
    return f.unit()


def result(unit, period, metric_id, scheme=None):
    """The IndicatorResult of one metric of the unit in the period."""
    scheme = scheme or scheme_of(metric_id)
    return assess(period, [unit], scheme)[0].indicator(metric_id)


def value(unit, period, metric_id):
    return result(unit, period, metric_id).value


def scheme_of(*metric_ids, **overrides):
    """A one-dimension scheme holding just these metrics (target 1, floor 0), so any catalogue metric,
    including the deduction-only counts, can be read through the engine."""
    data = {
        "id": "test", "name": "测试方案",
        "grades": [{"min": 90, "name": "好"}, {"min": 80, "name": "较好"}, {"min": 60, "name": "一般"},
                   {"min": 0, "name": "较差"}],
        "lights": {"green": 80, "yellow": 60},
        "dimensions": [{"name": "测试", "weight": 1,
                        "indicators": [{"id": m, "target": 1, "floor": 0} for m in metric_ids]}],
    }
    data.update(overrides)
    return parse_scheme(data, "测试")


@pytest.fixture
def default_scheme():
    return load_scheme()
