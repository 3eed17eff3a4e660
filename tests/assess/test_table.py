import pytest

from fengqing.assess.catalogue import CHANGE, COUNT, FLAG, PER_100, RATIO
from fengqing.assess.results import UnitAssessment
from fengqing.assess.schemes import load_scheme
from fengqing.assess.table import format_value, render, summary, width
from fengqing.org.models import Unit
from fengqing.periods import parse_period


@pytest.mark.parametrize("kind,value,measure_word,text", [
    (RATIO, 0.75, "", "75.0%"), (RATIO, 2 / 3, "", "66.7%"), (CHANGE, -0.0512, "", "-5.1%"),
    (CHANGE, 0.1, "", "+10.0%"), (FLAG, 1.0, "", "是"), (FLAG, 0.0, "", "否"), (PER_100, 12.5, "", "12.50"),
    (COUNT, 3.0, "次", "3次"), (COUNT, 1.5, "", "1.50"), (RATIO, None, "", "—"),
])
def test_format_value(kind, value, measure_word, text):
    assert format_value(kind, value, measure_word) == text


def test_render_aligns_wide_characters():
    lines = render(["指标", "得分"], [["学习次数", "5.0"], ["风险点覆盖率", "100.0"]]).splitlines()
    assert width("学习") == 4 and width("a1") == 2
    assert lines[0] == "指标           得分"
    assert lines[2] == "学习次数        5.0"  # text to the left, numbers to the right
    assert lines[3] == "风险点覆盖率  100.0"


def test_summary_names_the_cap():
    a = UnitAssessment(unit=Unit(name="甲局"), period=parse_period("2023H1"), scheme=load_scheme(), total=91.25,
                       grade="一般", completeness=0.5, dimensions={}, indicators=[],
                       capped=[("democratic_rating", "好")])
    # 91.25 rounded half up (四舍五入), not half to even
    assert summary(a) == "总分 91.3，等级 一般，数据完整度 50.0%（民主测评满意率低于90%，等级由好降为一般）"
