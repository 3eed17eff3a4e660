"""The report's trend chart as PNG (Pillow, from the SVG's layout): what is painted where. The chart's units are
1/100 inch, two pixels at 200 dpi; the plot runs from x=34 to x=600 and from y=228 (score 0) up to y=14 (score
105), the periods' points at the middles of equal steps. Expected colours are worked out by hand from the colours
the charts module names (a band is its colour at 7% over white)."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from PIL import Image

from fengqing import charts

WHITE, GRID, INK, GREY, ACCENT = (255, 255, 255), (227, 227, 227), (51, 51, 51), (136, 136, 136), (155, 28, 28)
# 255 − (255 − c) × 0.07, channel by channel, rounded: #2e7d32, #9ccc65, #f2a900, #c62828
HAO, JIAOHAO, YIBAN, JIAOCHA = (240, 246, 241), (248, 251, 244), (254, 249, 237), (251, 240, 240)
# 91.25 graded 好, 86.0 capped to 一般 (drawn 2.5 below 一般's top, 80: at 77.5)
POINTS = [("2022年下半年", 91.25, "好"), ("2023年上半年", 86.0, "一般")]
X0, X1 = 34 + 566 / 4, 34 + 566 * 3 / 4  # the two periods' middles: 175.5 and 458.5


def score_y(score: float, top: float = 14) -> float:
    return 228 - score / 105 * (228 - top)


class Chart:
    """A decoded PNG, with the pixel of a point of the layout: the canvas may have grown left and up to hold
    text, so the plot's corner is found where the axes are drawn (two pixels of the grid's grey)."""

    def __init__(self, png: bytes):
        self.image = Image.open(BytesIO(png))
        self.image.load()
        width, height = self.image.size
        middle = height // 2  # inside the plot, clear of the ticks' labels
        axis = next(x for x in range(width) if self.image.getpixel((x, middle)) == GRID)
        self.dx = axis - 67  # the left axis covers x = 34 ± 0.5: pixels 67 and 68 of the 6.4-inch canvas
        column = self.dx + 200  # x = 100: left of the first point
        floor = next(y for y in range(middle, height) if self.image.getpixel((column, y)) == GRID)
        self.dy = floor - 455  # the bottom axis: pixels 455 and 456

    def at(self, x: float, y: float) -> tuple[int, int, int]:
        return self.image.getpixel((int(2 * x) + self.dx, int(2 * y) + self.dy))

    def colours(self, x0: float, y0: float, x1: float, y1: float) -> set[tuple[int, int, int]]:
        box = (int(2 * x0) + self.dx, int(2 * y0) + self.dy, int(2 * x1) + self.dx, int(2 * y1) + self.dy)
        return {colour for _, colour in self.image.crop(box).getcolors(1 << 20)}


@pytest.fixture(scope="module")
def chart() -> Chart:
    return Chart(charts.trend_chart(POINTS, "png"))


def test_a_png_of_6_4_by_2_6_inches_at_200_dpi(chart):
    png = charts.trend_chart(POINTS, "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert chart.image.format == "PNG" and chart.image.mode == "RGB"
    assert [round(d) for d in chart.image.info["dpi"]] == [200, 200]  # Word sizes the picture by it
    width, height = chart.image.size
    # the 1280 × 520 canvas, grown by at most some 0.2 inch where text comes within 0.1 inch of an edge
    assert chart.dx >= 0 and chart.dy >= 0
    assert 1280 <= width <= 1320 and 520 <= height <= 560


def test_bands_in_their_grades_colours_at_their_heights(chart):
    x = 100  # left of the line
    assert chart.at(x, score_y(102.5)) == WHITE  # above the best band, which ends at 100
    assert chart.at(x, score_y(95)) == HAO
    assert chart.at(x, score_y(85)) == JIAOHAO
    assert chart.at(x, score_y(70)) == YIBAN
    assert chart.at(x, score_y(30)) == JIAOCHA
    assert chart.at(x, score_y(60)) == GRID  # the tick's grid line, over the bands' edge
    assert chart.at(x, score_y(80)) == GRID and chart.at(x, score_y(90)) == GRID
    assert chart.at(20, score_y(30)) == WHITE  # left of the plot
    assert chart.at(610, score_y(45)) == WHITE  # right of it, between the grade names (较差 at 30, 一般 at 70)


def test_points_and_line_where_the_svg_draws_them(chart):
    assert chart.at(X0, score_y(91.25)) == ACCENT  # a filled point
    capped = score_y(77.5)
    assert chart.at(X1, capped) == WHITE  # hollow: its white centre
    assert chart.at(X1, capped - 4.4) == ACCENT  # its ring, 2.8 pt from the centre
    assert chart.at(X1 + 4.4, capped) == ACCENT
    # the line, halfway between the points
    assert chart.at((X0 + X1) / 2, (score_y(91.25) + capped) / 2) == ACCENT
    assert chart.at((X0 + X1) / 2, (score_y(91.25) + capped) / 2 + 8) in (JIAOHAO, YIBAN)  # below it, a band
    # the same places as the page's SVG draws its circles
    svg = charts.trend_chart(POINTS, "svg").decode()
    circles = re.findall(r'<circle cx="([^"]*)" cy="([^"]*)" r="[^"]*" fill="([^"]*)"', svg)
    assert [chart.at(float(cx), float(cy)) for cx, cy, _ in circles] == [ACCENT, WHITE]
    assert [fill for _, _, fill in circles] == ["#9b1c1c", "#ffffff"]


def test_text_where_the_labels_go(chart):
    # the periods' labels below the axis, centred under their points; nothing between them
    for x in (X0, X1):
        assert INK in chart.colours(x - 40, 232, x + 40, 258)
    assert chart.colours((X0 + X1) / 2 - 10, 232, (X0 + X1) / 2 + 10, 258) == {WHITE}
    # the ticks' labels left of the axis at 0, 60, 80, 90, 100; none at 30
    for tick in (0, 60, 80, 90, 100):
        assert INK in chart.colours(8, score_y(tick) - 4, 30, score_y(tick) + 4)
    assert chart.colours(0, score_y(30) - 4, 30, score_y(30) + 4) == {WHITE}
    # the grades' names right of the plot, in grey, at their bands' middles
    for low, high in ((90, 100), (80, 90), (60, 80), (0, 60)):
        middle = score_y((low + high) / 2)
        assert GREY in chart.colours(602, middle - 3, 630, middle + 3)
    # the totals above their points, up to some 14 units above
    for x, score in ((X0, 91.25), (X1, 77.5)):
        assert INK in chart.colours(x - 10, score_y(score) - 16, x + 10, score_y(score) - 8)


def test_a_title_above_a_lower_plot():
    chart = Chart(charts.trend_chart(POINTS, "png", title="综合得分"))
    top = 14 + 24  # the title's room in the report's type
    assert chart.at(100, score_y(97.5, top)) == HAO
    assert chart.at(100, score_y(100, top) - 3) == WHITE
    assert INK in chart.colours(34, 0, 100, top - 8)


def test_without_the_font_the_chart_is_still_drawn(monkeypatch):
    monkeypatch.setattr(charts, "_font_file", lambda: None)
    charts._font.cache_clear()
    try:
        chart = Chart(charts.trend_chart(POINTS, "png"))
    finally:
        charts._font.cache_clear()
    assert chart.at(X1, score_y(77.5)) == WHITE and chart.at(100, score_y(30)) == JIAOCHA
    assert INK in chart.colours(8, score_y(60) - 4, 30, score_y(60) + 4)  # Pillow's own font's digits


def test_png_writer_keeps_every_pixel():
    image = Image.new("RGB", (37, 5))
    image.putdata([(i * 7 % 256, i * 13 % 256, 255 - i % 256) for i in range(37 * 5)])
    decoded = Image.open(BytesIO(charts._png(image, 200)))
    assert decoded.size == (37, 5) and decoded.convert("RGB").tobytes() == image.tobytes()
    assert [round(d) for d in decoded.info["dpi"]] == [200, 200]


def test_heat_map_colours_blend_between_their_stops():
    # by hand: 70 is halfway from 60 (#f2a900) to 80 (#9ccc65): (242+156)/2, (169+204)/2, (0+101)/2
    assert charts.score_colour(70) == "#c7ba32"
    assert charts.score_colour(0) == "#c62828" and charts.score_colour(60) == "#f2a900"
    assert charts.score_colour(100) == "#2e7d32" and charts.score_colour(130) == "#2e7d32"
    # 30 is halfway from 0 (#c62828) to 60: (198+242)/2, (40+169)/2, (40+0)/2
    assert charts.score_style(30) == "background:#dc6814;color:#ffffff"
    assert charts.score_style(None) == "background:#eeeeee"
