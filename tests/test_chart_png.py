"""The trend chart's PNG is drawn once and cut to its tight box; it must be the picture savefig's
bbox_inches="tight" makes (which draws twice), and a drawing reaching past the figure's edge must not be cut."""

from __future__ import annotations

from io import BytesIO

import numpy as np
from matplotlib.figure import Figure
from PIL import Image

from fengqing import charts

POINTS = [("2022年上半年", 81.2), ("2022年下半年", 84.0), ("2023年上半年", 86.5), ("2023年下半年", 88.1)]


def _savefig(fig) -> Image.Image:
    buffer = BytesIO()
    fig.savefig(buffer, format="png", dpi=charts.PNG_DPI, bbox_inches="tight")
    return Image.open(buffer).convert("RGB")


def _pixels(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"), dtype=float)


def _chart_figure() -> Figure:
    """trend_chart's figure, caught before it is saved."""
    caught = []
    save = charts._save
    charts._save = lambda fig, fmt: caught.append(fig) or b""
    try:
        charts.trend_chart(POINTS, "png")
    finally:
        charts._save = save
    return caught[0]


def test_png_is_savefigs_tight_picture():
    ours = Image.open(BytesIO(charts.trend_chart(POINTS, "png")))
    theirs = _savefig(_chart_figure())
    assert ours.format == "PNG"
    assert round(ours.info["dpi"][0]) == charts.PNG_DPI
    assert ours.size == theirs.size
    # the same drawing: the mean colour of each of a 4 × 10 grid of tiles agrees (antialiased edges may differ
    # by the sub-pixel shift of the crop, a band or a line in the wrong place may not)
    a, b = _pixels(ours), _pixels(theirs)
    for rows in np.array_split(np.arange(a.shape[0]), 4):
        for cols in np.array_split(np.arange(a.shape[1]), 10):
            tile = np.ix_(rows, cols)
            assert np.abs(a[tile].mean(axis=(0, 1)) - b[tile].mean(axis=(0, 1))).max() < 3


def test_a_drawing_past_the_figures_edge_is_not_cut():
    fig = Figure(figsize=(2, 1))
    fig.text(1.3, 0.5, "超出画布的文字")  # starts right of the figure's edge
    ours = Image.open(BytesIO(charts._save(fig, "png")))
    assert ours.size == _savefig(fig).size
    # the text, not an empty cut of the figure: dark pixels (a figure's own pixels are transparent or white)
    alpha = np.asarray(ours.convert("RGBA"))[..., 3]
    ink = _pixels(ours).mean(axis=2) < 128
    assert (ink & (alpha > 0)).mean() > 0.02
