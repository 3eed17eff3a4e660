"""The charts of fengqing, drawn on the server so they work offline and look the same in the pages (SVG) and in
the report (PNG): the trend of a unit's total over periods and the units × dimensions heat map.

Both take plain numbers and return the image bytes; nothing here reads the database.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on a server

from matplotlib import font_manager  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap  # noqa: E402

#: the look shared by pages and report
INK, GRID, ACCENT = "#333333", "#e3e3e3", "#9b1c1c"
GREEN, YELLOW, RED, EMPTY = "#2e7d32", "#f2a900", "#c62828", "#eeeeee"
GRADE_BANDS = ((90, 100, "好"), (80, 90, "较好"), (60, 80, "一般"), (0, 60, "较差"))
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
    plt.rcParams.update({
        "font.family": [FONT, "DejaVu Sans"], "font.size": 10, "svg.fonttype": "none", "axes.edgecolor": GRID,
        "axes.labelcolor": INK, "xtick.color": INK, "ytick.color": INK, "axes.spines.top": False,
        "axes.spines.right": False, "figure.dpi": 100,
        # labels are users' text (unit names): a "$" is a dollar sign, never the start of a formula
        "text.parse_math": False,
    })


_setup()


def _save(fig, fmt: str) -> bytes:
    if fmt not in ("svg", "png"):
        raise ValueError(fmt)
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=200 if fmt == "png" else None, bbox_inches="tight",
                metadata={"Date": None} if fmt == "svg" else None)
    plt.close(fig)
    data = buffer.getvalue()
    if fmt == "svg":
        data = data.replace(f"'{FONT}'".encode(), SVG_FONTS.encode())
    return data


def trend_chart(points: list[tuple[str, float | None]], fmt: str = "svg", title: str = "") -> bytes:
    """The total over periods (label, total or None), on the grade bands."""
    fig, ax = plt.subplots(figsize=(6.4, 2.6))
    for low, high, name in GRADE_BANDS:
        ax.axhspan(low, high, color={"好": GREEN, "较好": "#9ccc65", "一般": YELLOW, "较差": RED}[name], alpha=0.07,
                   lw=0)
        ax.text(1.005, (low + high) / 2, name, transform=ax.get_yaxis_transform(), va="center", fontsize=8,
                color="#888888")
    xs = list(range(len(points)))
    ys = [v for _, v in points]
    known = [(x, y) for x, y in zip(xs, ys) if y is not None]
    if known:
        ax.plot([x for x, _ in known], [y for _, y in known], color=ACCENT, lw=2, marker="o", ms=5)
        for x, y in known:
            ax.annotate(f"{y:.1f}", (x, y), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=8,
                        color=INK)
    ax.set_xticks(xs, [label for label, _ in points])
    ax.set_ylim(0, 105)
    ax.set_yticks([0, 60, 80, 90, 100])
    ax.grid(axis="y", color=GRID, lw=0.6)
    ax.set_xlim(-0.5, max(len(points) - 0.5, 0.5))
    if title:
        ax.set_title(title, fontsize=11, color=INK, loc="left")
    return _save(fig, fmt)


def heatmap_chart(rows: list[str], columns: list[str], values: list[list[float | None]], fmt: str = "svg",
                  title: str = "") -> bytes:
    """Scores 0–100 of ``rows`` (units) × ``columns`` (dimensions); None is shown as a grey “—”."""
    height = 0.9 + 0.42 * max(len(rows), 1)
    fig, ax = plt.subplots(figsize=(1.6 + 1.05 * max(len(columns), 1), height))
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            colour = EMPTY if v is None else SCORE_COLOURS(max(0.0, min(v, 100.0)) / 100)
            ax.add_patch(plt.Rectangle((j, i), 1, 1, facecolor=colour, edgecolor="white", lw=2))
            ax.text(j + 0.5, i + 0.5, "—" if v is None else f"{v:.0f}", ha="center", va="center", fontsize=9,
                    color=INK if v is None or 45 <= v <= 88 else "white")
    ax.set_xlim(0, len(columns))
    ax.set_ylim(len(rows), 0)
    ax.set_xticks([j + 0.5 for j in range(len(columns))], columns)
    ax.set_yticks([i + 0.5 for i in range(len(rows))], rows)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if title:
        ax.set_title(title, fontsize=11, color=INK, loc="left", pad=24)
    return _save(fig, fmt)


def inline_svg(data: bytes) -> str:
    """An SVG chart as markup to put inside an HTML page (without the XML prologue and doctype, which HTML does
    not allow)."""
    text = data.decode("utf-8")
    return text[text.index("<svg"):]
