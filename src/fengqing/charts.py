"""The charts of fengqing, drawn on the server so they work offline and look the same in the pages (SVG) and in
the report (PNG): the trend of a unit's total over periods; and the colours of the heat map of scores that the
all-units overview paints into its table cells.

They take plain numbers and return image bytes or colours; nothing here reads the database. No drawing library:
the SVG is written as text, the PNG painted with Pillow, both from one layout (:func:`_trend_layout`) so they
cannot drift apart.
"""

from __future__ import annotations

import math
import struct
import subprocess
import threading
import zlib
from collections.abc import Sequence
from functools import cache
from html import escape
from pathlib import Path
from typing import NamedTuple

from PIL import Image, ImageDraw, ImageFont

from .numbers import fixed

#: the look shared by pages and report
INK, GRID, ACCENT = "#333333", "#e3e3e3", "#9b1c1c"
GREEN, YELLOW, RED, EMPTY = "#2e7d32", "#f2a900", "#c62828", "#eeeeee"
#: the heat map's colours: (score / 100, colour), evenly blended in between
SCORE_COLOURS = ((0.0, RED), (0.6, YELLOW), (0.8, "#9ccc65"), (1.0, GREEN))
_CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"  # Debian's fonts-noto-cjk
FONT = "Noto Sans CJK SC"
# SVG keeps text as text: the browser draws it with whichever of these fonts the reader's computer has
SVG_FONTS = "'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', SimHei, sans-serif"

#: a band of the chart: low, high, the grade's name, its colour
Band = tuple[float, float, str, str]
_BAND_PALETTE = (GREEN, "#9ccc65", YELLOW, RED)  # best grade first; the worst is always red


def grade_bands(grades: Sequence[tuple[float, str]]) -> tuple[Band, ...]:
    """The chart's bands for a scheme's grades, given as (minimum, name), best first: each grade reaches from its
    minimum to the next better grade's (the best to 100)."""
    bands: list[Band] = []
    high = 100.0
    for i, (low, name) in enumerate(grades):
        colour = RED if i == len(grades) - 1 else _BAND_PALETTE[min(i, len(_BAND_PALETTE) - 2)]
        bands.append((float(low), high, name, colour))
        high = float(low)
    return tuple(bands)


#: the default scheme's grades (fengqing-default-v1), for charts drawn without a scheme at hand
GRADE_BANDS = grade_bands(((90, "好"), (80, "较好"), (60, "一般"), (0, "较差")))


def _ticks(bands: Sequence[Band]) -> list[float]:
    return sorted({0.0, 100.0, *(low for low, _, _, _ in bands)})


class TrendPoint(NamedTuple):
    """A point of the trend: the period's label, its total (None: not drawn) and the grade it was awarded
    (None: the grade of the total's band)."""

    label: str
    value: float | None
    grade: str | None = None


#: the words after the total of a point drawn in a capped grade's band
CAPPED = "（封顶）"
#: how far below the top of its awarded band a capped point is drawn, in points of the score (at most half the
#: band): the marker then sits wholly inside the band, clear of the line at its top
CAP_INSET = 2.5


def plotted(point: TrendPoint, bands: Sequence[Band]) -> tuple[float, bool]:
    """(the height a point is drawn at, whether it is capped). A total above the band of the grade it was awarded
    (a cap lowered the grade: 民主测评满意率低于90%, 86 分 graded 一般) is drawn just below the top of that band,
    so the chart agrees with the grade printed beside it; its label keeps the real total."""
    if point.value is None:
        raise ValueError("a period without a total is not drawn")
    band = next((b for b in bands if b[2] == point.grade), None)
    if band is None or band is bands[0] or point.value < band[1]:  # the best band holds every total to 100
        return point.value, False
    low, high = band[0], band[1]
    return high - min(CAP_INSET, (high - low) / 2), True


def _label(value: float, capped: bool) -> str:
    return fixed(value, 1) + (CAPPED if capped else "")


class _Style(NamedTuple):
    """The sizes of one rendering of the trend chart, in the layout's units (1/100 inch: the chart is 640 × 260,
    6.4 × 2.6 inches). Text is placed by its baseline."""

    text: float  # the ticks' and periods' type
    small: float  # the grade names' and points' type
    title: float
    tick_gap: float  # from a tick's label to the plot's left edge
    tick_drop: float  # a tick's label's baseline below the tick, which centres its digits on it
    name_gap: float  # from the plot's right edge to a grade's name
    name_drop: float  # a grade name's baseline below its band's middle
    period_drop: float  # a period's label's baseline below the plot
    point_rise: float  # a point's label's baseline above the point
    title_room: float  # how much lower a title pushes the plot's top
    title_baseline: float
    line: float  # the trend line's width
    radius: float  # a point's; a capped point's ring is centred on it
    ring: float
    grid: float  # the grid lines' width (the axes' is the larger of it and 1)


#: the pages' SVG, sized for the screen
_SVG = _Style(10, 8, 11, 6, 3.5, 4, 3, 16, 8, 22, 16, 2, 3.5, 1.5, 0.6)
#: the report's PNG: the sizes in points of the matplotlib chart it replaced (type 10 / 8 / 11 pt, a 2 pt line,
#: 1.5 pt rings), × 1.12, because that chart was cut to its tight box, some 5.7 inches wide, and the report
#: prints the picture at the same width as this 6.4-inch one: the type prints as large as it did
_PT = 100 / 72 * 1.12
_PNG = _Style(10 * _PT, 8 * _PT, 11 * _PT, 7 * _PT, 3.5 * _PT, 2 * _PT, 3 * _PT, 16 * _PT, 7 * _PT, 24, 16,
              2 * _PT, 2.8 * _PT, 1.5 * _PT, 0.6 * _PT)
_WIDTH, _HEIGHT = 640, 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 34, 600, 14, 228


class _Text(NamedTuple):
    x: float
    y: float  # the baseline
    anchor: str  # start, middle or end, as SVG's text-anchor
    size: float
    colour: str
    text: str


class _Layout(NamedTuple):
    top: float  # the plot's; its left, right and bottom are _LEFT, _RIGHT, _BOTTOM
    title: _Text | None
    bands: list[tuple[float, float, str, _Text]]  # the rectangle's top, its height, its colour, the grade's name
    ticks: list[tuple[float, _Text]]  # the grid line's height, the tick's label
    periods: list[_Text]
    points: list[tuple[float, float, bool, _Text]]  # x, y, capped, the label with the total


def _trend_layout(points: Sequence[TrendPoint], title: str, bands: Sequence[Band], style: _Style) -> _Layout:
    """Where everything of the trend chart goes: the scores from 0 to 105 bottom to top, one period at a time
    left to right, half a step of room at either end."""
    top = _TOP + (style.title_room if title else 0)
    x_min, x_max = -0.5, max(len(points) - 0.5, 0.5)

    def x(i: float) -> float:
        return round(_LEFT + (i - x_min) / (x_max - x_min) * (_RIGHT - _LEFT), 1)

    def y(v: float) -> float:
        return round(_BOTTOM - v / 105 * (_BOTTOM - top), 1)

    return _Layout(
        top=top,
        title=_Text(_LEFT, style.title_baseline, "start", style.title, INK, title) if title else None,
        bands=[(y(high), round(y(low) - y(high), 1), colour,
                _Text(_RIGHT + style.name_gap, y((low + high) / 2) + style.name_drop, "start", style.small, "#888888",
                      name))
               for low, high, name, colour in bands],
        ticks=[(y(tick), _Text(_LEFT - style.tick_gap, y(tick) + style.tick_drop, "end", style.text, INK, f"{tick:g}"))
               for tick in _ticks(bands)],
        periods=[_Text(x(i), _BOTTOM + style.period_drop, "middle", style.text, INK, p.label)
                 for i, p in enumerate(points)],
        points=[(x(i), y(v), capped,
                 _Text(x(i), y(v) - style.point_rise, "middle", style.small, INK, _label(p.value, capped)))
                for i, p in enumerate(points) if p.value is not None
                for v, capped in [plotted(p, bands)]])


def trend_chart(points: Sequence[tuple], fmt: str = "svg", title: str = "",
                bands: Sequence[Band] = GRADE_BANDS) -> bytes:
    """The total over periods (:class:`TrendPoint`, or (label, total)), on the grade bands of the scheme in use
    (:func:`grade_bands`); a capped total is drawn in its awarded grade's band (:func:`plotted`), as a hollow
    point labelled with the real total and 封顶. SVG for the pages (a few hundred bytes of markup: the dashboard
    draws one on every request), PNG for the report's .docx."""
    drawn = [TrendPoint(*p) for p in points]
    if fmt == "svg":
        return _trend_svg(_trend_layout(drawn, title, bands, _SVG))
    if fmt == "png":
        return _trend_png(_trend_layout(drawn, title, bands, _PNG))
    raise ValueError(fmt)


def _svg_text(t: _Text) -> str:
    anchor = "" if t.anchor == "start" else f' text-anchor="{t.anchor}"'
    font = "" if t.size == _SVG.text else f' font-size="{t.size:g}"'  # the svg element's size otherwise
    return f'<text x="{t.x}" y="{t.y}"{anchor}{font} fill="{t.colour}">{escape(t.text)}</text>'


def _trend_svg(layout: _Layout) -> bytes:
    # 1/100 inch a unit: the physical size of the report's picture, so the print pages lay out alike
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH * 0.72:g}pt" height="{_HEIGHT * 0.72:g}pt" '
           f'viewBox="0 0 {_WIDTH} {_HEIGHT}" font-family="{escape(SVG_FONTS)}" font-size="{_SVG.text:g}">']
    if layout.title:
        out.append(_svg_text(layout.title))
    for top, height, colour, name in layout.bands:
        out.append(f'<rect x="{_LEFT}" y="{top}" width="{_RIGHT - _LEFT}" height="{height}" fill="{colour}" '
                   f'fill-opacity="{BAND_OPACITY}"/>')
        out.append(_svg_text(name))
    for at, label in layout.ticks:
        out.append(f'<line x1="{_LEFT}" x2="{_RIGHT}" y1="{at}" y2="{at}" stroke="{GRID}" '
                   f'stroke-width="{_SVG.grid}"/>')
        out.append(_svg_text(label))
    out.append(f'<line x1="{_LEFT}" x2="{_LEFT}" y1="{layout.top}" y2="{_BOTTOM}" stroke="{GRID}"/>')
    out.append(f'<line x1="{_LEFT}" x2="{_RIGHT}" y1="{_BOTTOM}" y2="{_BOTTOM}" stroke="{GRID}"/>')
    out.extend(_svg_text(label) for label in layout.periods)
    if layout.points:
        path = " ".join(f"{px},{py}" for px, py, _, _ in layout.points)
        out.append(f'<polyline points="{path}" fill="none" stroke="{ACCENT}" stroke-width="{_SVG.line:g}" '
                   f'stroke-linejoin="round"/>')
        for px, py, capped, label in layout.points:
            fill = f'fill="#ffffff" stroke="{ACCENT}" stroke-width="{_SVG.ring}"' if capped else f'fill="{ACCENT}"'
            out.append(f'<circle cx="{px}" cy="{py}" r="{_SVG.radius}" {fill}/>')
            out.append(_svg_text(label))
    out.append("</svg>")
    return "\n".join(out).encode()


#: the grade bands' colours are this strong over the white of the chart
BAND_OPACITY = 0.07
PNG_DPI = 200
_PX = PNG_DPI / 100  # pixels a layout unit
_SUPERSAMPLE = 4  # the line and points are drawn this many times larger, then shrunk: their edges smooth
_PAD = 20  # pixels at least between any text and the picture's edge: 0.1 inch, as savefig's tight box had


def _trend_png(layout: _Layout) -> bytes:
    """The chart painted with Pillow on a white canvas of 6.4 × 2.6 inches at 200 dpi, grown where a text comes
    closer than 0.1 inch to its edge (the ticks' labels, a long grade name, a title), as matplotlib's tight box
    was. Rectangles and grid lines on whole pixels, as crisp as print wants them; the line and the points
    antialiased by supersampling; text by FreeType in Noto Sans CJK SC. The resolution is written into the
    file, so Word places it at its size."""
    texts = [t for t in (layout.title, *(b[3] for b in layout.bands), *(t[1] for t in layout.ticks),
                         *layout.periods, *(p[3] for p in layout.points)) if t is not None]
    with _FONT_LOCK:
        boxes = [_text_box(t) for t in texts]
    left = math.floor(min(0, *(b[0] - _PAD for b in boxes)))  # whole pixels: the grid lines stay crisp
    top = math.floor(min(0, *(b[1] - _PAD for b in boxes)))
    right = math.ceil(max(_WIDTH * _PX, *(b[2] + _PAD for b in boxes)))
    bottom = math.ceil(max(_HEIGHT * _PX, *(b[3] + _PAD for b in boxes)))
    image = Image.new("RGB", (right - left, bottom - top), "#ffffff")

    def px(x: float, y: float) -> tuple[float, float]:  # a layout point on this canvas
        return x * _PX - left, y * _PX - top

    draw = ImageDraw.Draw(image)
    for band_top, height, colour, _ in layout.bands:
        _rectangle(draw, px(_LEFT, band_top), px(_RIGHT, band_top + height), _blend(colour, BAND_OPACITY))
    grid = max(1, round(_PNG.grid * _PX))
    for at, _ in layout.ticks:
        _rectangle(draw, px(_LEFT, at), px(_RIGHT, at), GRID, grid)
    axis = max(grid, round(_PX))
    _rectangle(draw, px(_LEFT, layout.top), px(_LEFT, _BOTTOM), GRID, axis)
    _rectangle(draw, px(_LEFT, _BOTTOM), px(_RIGHT, _BOTTOM), GRID, axis)
    if layout.points:
        _paint_trend(image, [(*px(x, y), capped) for x, y, capped, _ in layout.points])
    with _FONT_LOCK:
        for t in texts:
            draw.text(px(t.x, t.y), t.text, fill=t.colour, font=_font(_font_px(t.size)), anchor=_ANCHORS[t.anchor])
    return _png(image, PNG_DPI)


def _png(image: Image.Image, dpi: int) -> bytes:
    """An RGB image as PNG, every row unfiltered, zlib's fastest level. Pillow's encoder tries every filter on
    every row: three times slower here, and the file no smaller, for the picture is wide areas of a few colours,
    which deflate packs well unfiltered (some 30 KB)."""
    width, height = image.size
    stride = 3 * width
    raw = image.tobytes()
    rows = b"".join(b"\0" + raw[i:i + stride] for i in range(0, len(raw), stride))  # 0: filter type None
    per_metre = round(dpi / 0.0254)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return b"".join((b"\x89PNG\r\n\x1a\n",
                     chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),  # 8-bit RGB
                     chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),  # 1: per metre
                     chunk(b"IDAT", zlib.compress(rows, 1)), chunk(b"IEND", b"")))


_ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}  # on the baseline, as SVG places text


def _font_px(size: float) -> int:
    return round(size * _PX)


def _text_box(t: _Text) -> tuple[float, float, float, float]:
    """Where a text's ink goes, in pixels of the 6.4 × 2.6 inch canvas."""
    x0, y0, x1, y1 = _font(_font_px(t.size)).getbbox(t.text, anchor=_ANCHORS[t.anchor])
    return t.x * _PX + x0, t.y * _PX + y0, t.x * _PX + x1, t.y * _PX + y1


def _rectangle(draw, corner: tuple[float, float], opposite: tuple[float, float], colour: str,
               thickness: int = 0) -> None:
    """A filled rectangle on whole pixels; with a thickness, a horizontal or vertical line of that many pixels
    centred on the segment from corner to opposite."""
    (x0, y0), (x1, y1) = corner, opposite
    if thickness:
        half = thickness / 2
        x0, x1 = (x0 - half, x1 + half) if x0 == x1 else (x0, x1)
        y0, y1 = (y0 - half, y1 + half) if y0 == y1 else (y0, y1)
    draw.rectangle((round(x0), round(y0), round(x1) - 1, round(y1) - 1), fill=colour)


def _paint_trend(image: Image.Image, points: list[tuple[float, float, bool]]) -> None:
    """The line through the points, filled points on it, capped ones hollow: drawn as two coverage masks (the
    accent, then the white centres over it) at _SUPERSAMPLE times the size, each shrunk by averaging, so an edge
    pixel takes the colour in the share of it the shape covers."""
    reach = (_PNG.radius + _PNG.ring) * _PX + 2  # past a point's centre
    box = (int(min(x for x, _, _ in points) - reach), int(min(y for _, y, _ in points) - reach),
           int(max(x for x, _, _ in points) + reach) + 1, int(max(y for _, y, _ in points) + reach) + 1)
    scale = _SUPERSAMPLE
    size = ((box[2] - box[0]) * scale, (box[3] - box[1]) * scale)
    accent, hollow = Image.new("L", size), Image.new("L", size)
    inked, emptied = ImageDraw.Draw(accent), ImageDraw.Draw(hollow)
    centres = [((x - box[0]) * scale, (y - box[1]) * scale, capped) for x, y, capped in points]
    if len(centres) > 1:
        inked.line([(x, y) for x, y, _ in centres], fill=255, width=round(_PNG.line * _PX * scale), joint="curve")
    for x, y, capped in centres:
        outer = (_PNG.radius + (_PNG.ring / 2 if capped else 0)) * _PX * scale
        inked.ellipse((x - outer, y - outer, x + outer, y + outer), fill=255)
        if capped:
            inner = (_PNG.radius - _PNG.ring / 2) * _PX * scale
            emptied.ellipse((x - inner, y - inner, x + inner, y + inner), fill=255)
    image.paste(ACCENT, box, accent.reduce(scale))
    image.paste("#ffffff", box, hollow.reduce(scale))


def _blend(colour: str, opacity: float) -> tuple[int, int, int]:
    """A colour laid at an opacity over white."""
    return tuple(round(255 - (255 - c) * opacity) for c in _rgb(colour))  # type: ignore[return-value]


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


#: FreeType faces are not to be used by two threads at once; the web server renders reports in threads
_FONT_LOCK = threading.Lock()


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Noto Sans CJK SC at a size in pixels, opened once per process and size (Pillow's basic layout: one glyph a
    character, which is all CJK text and digits need). Without the font, Pillow's own (Latin only, as
    matplotlib's fallback was): the chart is still drawn."""
    found = _font_file()
    if found is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(found[0], size, index=found[1], layout_engine=ImageFont.Layout.BASIC)


@cache
def _font_file() -> tuple[str, int] | None:
    """(the font file, the face's index in it): Noto Sans CJK SC where Debian's fonts-noto-cjk puts it, else the
    font fontconfig chooses for Chinese."""
    if Path(_CJK_FONT).exists():
        for index in range(16):  # the collection's faces: JP, KR, SC … in Noto's
            try:
                if ImageFont.truetype(_CJK_FONT, 10, index=index).getname()[0] == FONT:
                    return _CJK_FONT, index
            except OSError:
                break
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}|%{index}", f"{FONT}:lang=zh-cn"], capture_output=True,
                               text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path, _, index = found.partition("|")
    return (path, int(index or 0)) if path and Path(path).exists() else None


def score_style(score: float | None) -> str:
    """The inline style of a heat-map cell showing a score 0–100 (None: the grey of “no value”)."""
    if score is None:
        return f"background:{EMPTY}"
    ink = INK if 45 <= score <= 88 else "#ffffff"
    return f"background:{score_colour(score)};color:{ink}"


def score_colour(score: float) -> str:
    """The heat map's colour of a score, blended between the two :data:`SCORE_COLOURS` around it."""
    at = max(0.0, min(score, 100.0)) / 100
    (low, low_colour), (high, high_colour) = next(
        (a, b) for a, b in zip(SCORE_COLOURS, SCORE_COLOURS[1:]) if at <= b[0])
    share = (at - low) / (high - low)
    return "#" + "".join(f"{round(a + (b - a) * share):02x}" for a, b in zip(_rgb(low_colour), _rgb(high_colour)))


def inline_svg(data: bytes) -> str:
    """An SVG chart as markup to put inside an HTML page (without the XML prologue and doctype, which HTML does
    not allow)."""
    text = data.decode("utf-8")
    return text[text.index("<svg"):]
