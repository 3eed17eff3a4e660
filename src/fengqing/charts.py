"""The charts of fengqing, drawn on the server so they work offline and look the same in the pages (SVG) and in
the report (PNG): the trend of a unit's total over periods; and the colours of the heat map of scores that the
all-units overview paints into its table cells.

They take plain numbers and return image bytes or colours; nothing here reads the database. Figures are made
with matplotlib's object API, never pyplot: pyplot keeps global state that threads of the web server would
share.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import NamedTuple

import matplotlib

matplotlib.use("Agg")  # no display on a server

from matplotlib import font_manager, rcParams  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap, to_hex, to_rgba  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402

from .numbers import fixed  # noqa: E402

#: the look shared by pages and report
INK, GRID, ACCENT = "#333333", "#e3e3e3", "#9b1c1c"
GREEN, YELLOW, RED, EMPTY = "#2e7d32", "#f2a900", "#c62828", "#eeeeee"
SCORE_COLOURS = LinearSegmentedColormap.from_list("fengqing", [(0, RED), (0.6, YELLOW), (0.8, "#9ccc65"),
                                                               (1, GREEN)])
_CJK_FONTS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
FONT = "Noto Sans CJK SC"
# SVG keeps text as text: the browser draws it with whichever of these fonts the reader's computer has
SVG_FONTS = "'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', SimHei, sans-serif"


def _setup() -> None:
    for path in _CJK_FONTS:
        if Path(path).exists():
            font_manager.fontManager.addfont(path)
    rcParams.update({
        "font.family": [FONT, "DejaVu Sans"], "font.size": 10, "svg.fonttype": "none", "axes.edgecolor": GRID,
        "axes.labelcolor": INK, "xtick.color": INK, "ytick.color": INK, "axes.spines.top": False,
        "axes.spines.right": False, "figure.dpi": 100,
        # labels are users' text (unit names): a "$" is a dollar sign, never the start of a formula
        "text.parse_math": False,
    })


_setup()


PNG_DPI = 200


def _save(fig, fmt: str) -> bytes:
    """The figure as PNG (SVG charts are written directly, without matplotlib): what
    ``savefig(bbox_inches="tight")`` writes, but drawn once instead of twice. savefig lays the figure out to
    measure its tight box, then draws it again shifted into it; here the figure is drawn, the box measured on
    that drawing and its pixels cut out, the padding around it in the figure's colour where it reaches past
    the figure's edge. zlib's fastest level: the file is about a third larger (some 40 KB), the encoding several
    times quicker. A drawing itself reaching past the edge (never in this layout) goes savefig's way, so
    nothing is cut off."""
    if fmt != "png":
        raise ValueError(fmt)
    fig.set_dpi(PNG_DPI)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    tight = fig.get_tightbbox(canvas.get_renderer())
    buffer = io.BytesIO()
    if tight.x0 < 0 or tight.y0 < 0 or tight.x1 > fig.get_figwidth() or tight.y1 > fig.get_figheight():
        fig.savefig(buffer, format="png", dpi=PNG_DPI, bbox_inches="tight")
        return buffer.getvalue()
    box = tight.padded(rcParams["savefig.pad_inches"])
    width, height = canvas.get_width_height()
    # savefig's size (its canvas is int() of the box), anchored at the box's lower left as savefig anchors it
    left, bottom = round(box.x0 * PNG_DPI), round(height - box.y0 * PNG_DPI)
    right, top = left + int(box.width * PNG_DPI), bottom - int(box.height * PNG_DPI)
    drawn = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    inside = (max(left, 0), max(top, 0), min(right, width), min(bottom, height))
    image = Image.new("RGBA", (right - left, bottom - top), _rgba_bytes(fig.get_facecolor()))
    image.paste(drawn.crop(inside), (inside[0] - left, inside[1] - top))
    image.save(buffer, "png", compress_level=1, dpi=(PNG_DPI, PNG_DPI))
    return buffer.getvalue()


def _rgba_bytes(colour) -> tuple[int, ...]:
    return tuple(round(255 * c) for c in to_rgba(colour))


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


def trend_chart(points: Sequence[tuple], fmt: str = "svg", title: str = "",
                bands: Sequence[Band] = GRADE_BANDS) -> bytes:
    """The total over periods (:class:`TrendPoint`, or (label, total)), on the grade bands of the scheme in use
    (:func:`grade_bands`); a capped total is drawn in its awarded grade's band (:func:`plotted`), as a hollow
    point labelled with the real total and 封顶. SVG written directly (a few hundred bytes of markup, no drawing
    library: the dashboard draws one on every request), PNG by matplotlib in the same layout."""
    drawn = [TrendPoint(*p) for p in points]
    if fmt == "svg":
        return _trend_svg(drawn, title, bands)
    fig = Figure(figsize=(6.4, 2.6))
    ax = fig.subplots()
    for low, high, name, colour in bands:
        ax.axhspan(low, high, color=colour, alpha=0.07, lw=0)
        ax.text(1.005, (low + high) / 2, name, transform=ax.get_yaxis_transform(), va="center", fontsize=8,
                color="#888888")
    xs = list(range(len(drawn)))
    known = [(x, *plotted(p, bands), p.value) for x, p in zip(xs, drawn) if p.value is not None]
    if known:
        ax.plot([x for x, *_ in known], [y for _, y, _, _ in known], color=ACCENT, lw=2)
        for x, y, capped, value in known:
            ax.plot([x], [y], marker="o", ms=5, color=ACCENT, markerfacecolor="white" if capped else ACCENT,
                    markeredgewidth=1.5 if capped else 1)
            ax.annotate(_label(value, capped), (x, y), textcoords="offset points", xytext=(0, 7), ha="center",
                        fontsize=8, color=INK)
    ax.set_xticks(xs, [p.label for p in drawn])
    ax.set_ylim(0, 105)
    ax.set_yticks(_ticks(bands))
    ax.grid(axis="y", color=GRID, lw=0.6)
    ax.set_xlim(-0.5, max(len(points) - 0.5, 0.5))
    if title:
        ax.set_title(title, fontsize=11, color=INK, loc="left")
    return _save(fig, fmt)


def _trend_svg(points: list[TrendPoint], title: str, bands: Sequence[Band]) -> bytes:
    width, height = 640, 260
    left, right, top, bottom = 34, 600, 14 + (22 if title else 0), 228
    n = len(points)
    x_min, x_max = -0.5, max(n - 0.5, 0.5)

    def x(i: float) -> float:
        return round(left + (i - x_min) / (x_max - x_min) * (right - left), 1)

    def y(v: float) -> float:
        return round(bottom - v / 105 * (bottom - top), 1)

    # the physical size of matplotlib's 6.4 × 2.6 inch figure, so the report's pages lay out alike
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width * 0.72:g}pt" height="{height * 0.72:g}pt" '
           f'viewBox="0 0 {width} {height}" font-family="{escape(SVG_FONTS)}" font-size="10">']
    if title:
        out.append(f'<text x="{left}" y="16" font-size="11" fill="{INK}">{escape(title)}</text>')
    for low, high, name, colour in bands:
        out.append(f'<rect x="{left}" y="{y(high)}" width="{right - left}" height="{round(y(low) - y(high), 1)}" '
                   f'fill="{colour}" fill-opacity="0.07"/>')
        out.append(f'<text x="{right + 4}" y="{y((low + high) / 2) + 3}" font-size="8" fill="#888888">'
                   f'{escape(name)}</text>')
    for tick in _ticks(bands):
        out.append(f'<line x1="{left}" x2="{right}" y1="{y(tick)}" y2="{y(tick)}" stroke="{GRID}" '
                   f'stroke-width="0.6"/>')
        out.append(f'<text x="{left - 6}" y="{y(tick) + 3.5}" text-anchor="end" fill="{INK}">{tick:g}</text>')
    out.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{bottom}" stroke="{GRID}"/>')
    out.append(f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="{GRID}"/>')
    for i, p in enumerate(points):
        out.append(f'<text x="{x(i)}" y="{bottom + 16}" text-anchor="middle" fill="{INK}">{escape(p.label)}</text>')
    known = [(x(i), *plotted(p, bands), p.value) for i, p in enumerate(points) if p.value is not None]
    if known:
        path = " ".join(f"{px},{y(v)}" for px, v, _, _ in known)
        out.append(f'<polyline points="{path}" fill="none" stroke="{ACCENT}" stroke-width="2" '
                   f'stroke-linejoin="round"/>')
        for px, v, capped, value in known:
            fill = f'fill="#ffffff" stroke="{ACCENT}" stroke-width="1.5"' if capped else f'fill="{ACCENT}"'
            out.append(f'<circle cx="{px}" cy="{y(v)}" r="3.5" {fill}/>')
            out.append(f'<text x="{px}" y="{y(v) - 8}" text-anchor="middle" font-size="8" fill="{INK}">'
                       f'{escape(_label(value, capped))}</text>')
    out.append("</svg>")
    return "\n".join(out).encode()


def score_style(score: float | None) -> str:
    """The inline style of a heat-map cell showing a score 0–100 (None: the grey of “no value”)."""
    if score is None:
        return f"background:{EMPTY}"
    ink = INK if 45 <= score <= 88 else "#ffffff"
    return f"background:{to_hex(SCORE_COLOURS(max(0.0, min(score, 100.0)) / 100))};color:{ink}"


def inline_svg(data: bytes) -> str:
    """An SVG chart as markup to put inside an HTML page (without the XML prologue and doctype, which HTML does
    not allow)."""
    text = data.decode("utf-8")
    return text[text.index("<svg"):]
