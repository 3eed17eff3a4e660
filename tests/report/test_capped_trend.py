"""A capped total is drawn in the band of the grade it was awarded (issue 8, item 8): a total of 86 is 较好 by
its band on the default scheme, but a 民主测评满意率 below 90% caps the grade at 一般; the chart must not show it
in the 较好 band beside the grade 一般, nor hide the real 86.0. Expected heights and texts are worked out by hand."""

from __future__ import annotations

import json
import re
import subprocess
from io import BytesIO

import docx
import pytest
import yaml

from fengqing import charts
from fengqing.assess import schemes
from fengqing.ledger.models import DutyReport, Study
from fengqing.periods import parse_period
from fengqing.report.api import build_report, render_all
from fengqing.report.document import Figure, Point
from fengqing.report.render import pdf
from fengqing.report.render.json import _block, _load_block
from fengqing.report.runs import Run
from tests.factories import D, person, unit

DEFAULT_GRADES = [(90, "好"), (80, "较好"), (60, "一般"), (0, "较差")]
REASON = "民主测评满意率低于90%，等次由较好降为一般"
# by hand: the point's total, the reason, then how the chart draws it
NOTE = ("注：2023年上半年综合得分86.0分，因民主测评满意率低于90%，等次由较好降为一般。"
        "图中标“封顶”的点绘于所得等次色带的上沿，所标数字为实际综合得分。")


def _svg_points(svg: bytes) -> list[tuple[float, str, str]]:
    """(cy, fill, label) of each point, in order."""
    circles = re.findall(r'<circle cx="[^"]*" cy="([^"]*)" r="3.5" fill="([^"]*)"', svg.decode())
    labels = re.findall(r'font-size="8" fill="#333333">([^<]*)</text>', svg.decode())
    return [(float(cy), fill, label) for (cy, fill), label in zip(circles, labels)]


def _score_at(cy: float) -> float:
    """The score at a height of the SVG: 0 at y=228, 105 at y=14."""
    return (228 - cy) / (228 - 14) * 105


def test_86_capped_to_yiban_is_drawn_in_the_yiban_band_labelled_86():
    bands = charts.grade_bands(DEFAULT_GRADES)
    # 一般 reaches from 60 to 80: drawn 2.5 below its top
    assert charts.plotted(charts.TrendPoint("2023年上半年", 86.0, "一般"), bands) == (77.5, True)
    # not capped: a total in its own grade's band, the best grade up to 100, a grade not given
    assert charts.plotted(charts.TrendPoint("a", 86.0, "较好"), bands) == (86.0, False)
    assert charts.plotted(charts.TrendPoint("a", 100.0, "好"), bands) == (100.0, False)
    assert charts.plotted(charts.TrendPoint("a", 86.0), bands) == (86.0, False)
    svg = charts.trend_chart([("2022年下半年", 91.25, "好"), ("2023年上半年", 86.0, "一般")], bands=bands)
    (y1, fill1, label1), (y2, fill2, label2) = _svg_points(svg)
    assert (label1, fill1) == ("91.3", charts.ACCENT)  # half up; solid
    assert _score_at(y1) == pytest.approx(91.25, abs=0.05)
    assert label2 == "86.0（封顶）" and fill2 == "#ffffff"  # hollow, the real total
    assert 60 <= _score_at(y2) < 80 and _score_at(y2) == pytest.approx(77.5, abs=0.05)
    # the line joins the points where they are drawn
    line = re.search(r'<polyline points="([^"]*)"', svg.decode()).group(1).split()
    assert [float(p.split(",")[1]) for p in line] == [y1, y2]


def test_a_narrow_band_holds_its_capped_point_in_its_middle():
    # the deduction scheme's 较好 is 90–95: at most half the band below its top
    bands = charts.grade_bands([(95, "好"), (90, "较好"), (80, "一般"), (0, "较差")])
    assert charts.plotted(charts.TrendPoint("a", 97.0, "较好"), bands) == (92.5, True)
    narrow = charts.grade_bands([(90, "好"), (88, "较好"), (0, "较差")])
    assert charts.plotted(charts.TrendPoint("a", 95.0, "较好"), narrow) == (89.0, True)


def test_the_figure_note_and_its_json_survive_a_signed_snapshot():
    figure = Figure([Run("图1　2022年下半年至2023年上半年综合得分")],
                    [Point("2022H2", "2022年下半年", 100.0, "好"), Point("2023H1", "2023年上半年", 86.0, "一般", REASON)],
                    DEFAULT_GRADES)
    assert figure.note() == NOTE
    data = _block(figure)
    assert data["note"] == NOTE
    assert data["points"][1] == {"period": "2023H1", "label": "2023年上半年", "value": 86.0, "grade": "一般",
                                 "cap": REASON}
    again = _load_block(json.loads(json.dumps(data)))
    assert again == figure and again.image("svg") == figure.image("svg")
    # a version signed before grades were kept is drawn as it was then: each total in its own band
    old = {**data, "points": [{k: p[k] for k in ("period", "label", "value")} for p in data["points"]]}
    del old["note"]
    redrawn = _load_block(old)
    assert redrawn.note() == "" and [label for _, _, label in _svg_points(redrawn.image("svg"))] == ["100.0", "86.0"]


@pytest.fixture
def capped_report(db, tmp_path):
    """A unit assessed on the default scheme's grades and cap, with 民主测评满意率 its only indicator, so the total
    is that indicator's score: 2022H2 19 of 20 votes positive, 95%: 100 分, 好; 2023H1 the year to 30 June holds
    those 20 and 105 more, 90 of them positive: 109/125 = 87.2%, (87.2 − 70) / (90 − 70) × 100 = 86.0 分, 较好
    by its band, capped to 一般 as 87.2% < 90%."""
    u = unit()
    for day in (D(2022, 9, 1), D(2023, 3, 1)):  # regular work, so both periods are drawn
        Study.objects.create(unit=u, date=day, kind="党组理论学习中心组", topic="党章")
    DutyReport.objects.create(unit=u, date=D(2022, 8, 1), reporter=person(u), good=15, fairly_good=4, average=1)
    DutyReport.objects.create(unit=u, date=D(2023, 5, 1), reporter=person(u), good=60, fairly_good=30, average=15)
    return build_report(u, parse_period("2023H1"), scheme=rating_only_scheme(tmp_path), appendix=True)


def rating_only_scheme(folder) -> str:
    """The default scheme's grades and cap, with 民主测评满意率 (target 90%, floor 70%) its only indicator: the
    total is (rating − 70%) / 20% × 100."""
    data = yaml.safe_load(open(f"{schemes.__path__[0]}/fengqing-default-v1.yaml", encoding="utf-8"))
    data["dimensions"] = [{"name": "权力制约", "weight": 100,
                           "indicators": [{"id": "democratic_rating", "target": 0.9, "floor": 0.7}]}]
    path = folder / "rating.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return str(path)


def test_the_report_draws_the_capped_total_in_its_grade_band(capped_report, tmp_path):
    out = render_all(capped_report, ["json", "md", "html", "docx"])
    appendix = json.loads(out["json"])["sections"][-1]
    figure = appendix["children"][-1]
    assert [(p["period"], p["value"], p["grade"], p["cap"]) for p in figure["points"]] == [
        ("2022H2", 100.0, "好", ""), ("2023H1", pytest.approx(86.0), "一般", REASON)]
    assert figure["note"] == NOTE
    assert appendix["children"][1]["text"] == f"综合得分86.0分，等次为“一般”（{REASON}），数据完整度100.0%。"
    md = out["md"].decode()
    assert "| 2023年上半年 | 86.0（封顶） |" in md and NOTE in md
    html_text = out["html"].decode()
    assert f'<p class="note">{NOTE}</p></figure>' in html_text and "86.0（封顶）</text>" in html_text
    # the .docx: picture, caption, then the note in 4号 仿宋, kept with the caption
    d = docx.Document(BytesIO(out["docx"]))
    texts = [p.text for p in d.paragraphs]
    caption = texts.index("图1　2022年下半年至2023年上半年综合得分")
    assert texts[caption + 1] == NOTE
    note = d.paragraphs[caption + 1]
    assert note.runs[0].font.size.pt == 14 and d.paragraphs[caption].paragraph_format.keep_with_next
    if not pdf.soffice():
        pytest.skip("LibreOffice (soffice) is not installed")
    (tmp_path / "report.pdf").write_bytes(pdf.from_docx(out["docx"], workdir=tmp_path))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / "report.pdf"), "-"], capture_output=True,
                          check=True).stdout.decode()
    assert re.sub(r"\s+", "", NOTE) in re.sub(r"\s+", "", text)
