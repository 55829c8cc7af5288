"""Legibility checks for any chart at the size the report shows it: overlapping or clipped text, markers cut
off, a legend over the data, type under the house minimum. tests/test_charts.py runs them on every builder.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure

from helpers.charts.frame import CSS_DPI, MIN_TEXT_PT, REPORT_WIDTH_PX, is_house_figure

# ----- legibility checks (used by tests/test_charts.py for every chart builder) -------------------------


def _visible(artist) -> bool:
    """Whether an artist and all its parents are shown."""
    while artist is not None:
        if not artist.get_visible():
            return False
        artist = getattr(artist, "axes", None) if artist is not getattr(artist, "axes", None) else None
    return True


def _texts(fig: Figure, renderer) -> list[tuple[str, object, object]]:
    """(label, Text, window bbox) for every non-empty text drawn on the figure."""
    from matplotlib.text import Text

    found = []
    drawn_ticks = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis._update_ticks():  # only the ticks inside the view limits are drawn
                drawn_ticks.update({id(tick.label1), id(tick.label2)})
    tick_labels = {id(t) for ax in fig.axes for a in (ax.xaxis, ax.yaxis) for t in a.get_ticklabels(which="both")}
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        if id(text) in tick_labels and id(text) not in drawn_ticks:
            continue
        legend = next((lg for lg in _legends(fig) if text in lg.get_texts()), None)
        if legend is not None and not legend.get_visible():
            continue
        found.append((text.get_text().replace("\n", " ")[:40], text, Text.get_window_extent(text, renderer)))
    return found


def _legends(fig: Figure) -> list:
    """Every legend on the figure."""
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    return legends + list(fig.legends)


def overlap(a, b, tolerance: float = 1.0) -> bool:
    """Whether two display boxes overlap by more than `tolerance` pixels in both directions."""
    return min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance and min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance


def inside(inner, outer, tolerance: float = 1.0) -> bool:
    """Whether a display box lies within another."""
    return (
        inner.x0 >= outer.x0 - tolerance
        and inner.x1 <= outer.x1 + tolerance
        and inner.y0 >= outer.y0 - tolerance
        and inner.y1 <= outer.y1 + tolerance
    )


def _strictly_in(point, box, margin: float = 1.0) -> bool:
    """Whether a display point lies inside a box, away from its edges."""
    x, y = point
    return box.x0 + margin < x < box.x1 - margin and box.y0 + margin < y < box.y1 - margin


def data_boxes(ax: Axes, renderer) -> list[tuple[str, object]]:
    """Display boxes of what an axes plots: bars and patches, line vertices, scatter points, in-axes text."""
    from matplotlib.transforms import Bbox

    px_per_pt = ax.figure.dpi / 72
    boxes = []
    for patch in ax.patches:
        box = patch.get_window_extent(renderer)
        if patch.get_visible() and box.width > 0.5 and box.height > 0.5:
            boxes.append((f"bar/patch at {box.x0:.0f},{box.y0:.0f}", box))
    for line in ax.lines:
        if not line.get_visible():
            continue
        xy = line.get_transform().transform(np.column_stack(line.get_data(orig=False)).astype(float))
        xy = xy[np.isfinite(xy).all(axis=1)]
        has_marker = line.get_marker() not in (None, "", "None", " ")
        if has_marker:  # the marker's own shape: a '|' cap is tall and thin, not a square
            half = _marker_half_extents(line._marker, line.get_markersize(), line.get_markeredgewidth(), px_per_pt)
        else:
            half = (px_per_pt / 2, px_per_pt / 2)
        if line.get_linestyle() not in ("None", "", " ") and len(xy) > 1:  # sample along each segment
            steps = np.linspace(0, 1, 12)[:, None]
            xy = np.concatenate([a + steps * (b - a) for a, b in zip(xy[:-1], xy[1:], strict=True)] + [xy])
        kind = "marker" if has_marker and line.get_clip_on() else "line point"
        boxes += [(kind, Bbox.from_extents(x - half[0], y - half[1], x + half[0], y + half[1])) for x, y in xy]
    for collection in ax.collections:
        if not isinstance(collection, PathCollection) or not collection.get_visible():
            continue
        offsets = collection.get_offset_transform().transform(collection.get_offsets())
        sizes = np.broadcast_to(collection.get_sizes() if len(collection.get_sizes()) else [36], len(offsets))
        for (x, y), s in zip(offsets, sizes, strict=True):
            r = np.sqrt(s) * px_per_pt / 2
            boxes.append((f"marker at {x:.0f},{y:.0f}", Bbox.from_extents(x - r, y - r, x + r, y + r)))
    return boxes


def _marker_half_extents(marker, size_pt: float, edge_pt: float, px_per_pt: float) -> tuple[float, float]:
    """Half width and half height, in pixels, of one drawn marker (its path scaled to size, plus half the edge)."""
    extents = marker.get_path().transformed(marker.get_transform()).get_extents()
    half_x = max(abs(extents.x0), abs(extents.x1)) * size_pt + edge_pt / 2
    half_y = max(abs(extents.y0), abs(extents.y1)) * size_pt + edge_pt / 2
    return half_x * px_per_pt, half_y * px_per_pt


def legibility_problems(fig: Figure, report_width_px: int = REPORT_WIDTH_PX) -> list[str]:
    """What a graphics editor would send back: overlapping or clipped text, clipped marks, a legend over data,
    text under MIN_TEXT_PT at the size the report shows the chart. Empty when the chart is clean."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Annotation, Text

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    problems: list[str] = []
    if is_house_figure(fig):
        shown_px = fig.get_figwidth() * CSS_DPI
    else:
        shown_px = (fig.get_tightbbox(renderer).width + 2 * mpl.rcParams["savefig.pad_inches"]) * CSS_DPI
    scale = min(1.0, report_width_px / shown_px)
    if scale < 1:
        problems.append(f"chart is {shown_px:.0f} px wide, shrunk to {scale:.0%} in a {report_width_px} px column")
    texts = _texts(fig, renderer)
    for label, text, box in texts:
        if is_house_figure(fig) and not inside(box, fig.bbox):
            problems.append(f"text '{label}' is cut by the figure edge")
        if text.get_fontsize() * scale < MIN_TEXT_PT - 1e-9:
            problems.append(f"text '{label}' is {text.get_fontsize() * scale:.1f} pt at report size")
    for i, (label_a, _ta, a) in enumerate(texts):
        for label_b, _tb, b in texts[i + 1 :]:
            if overlap(a, b):
                problems.append(f"text '{label_a}' overlaps text '{label_b}'")
    for ax in fig.axes:
        frame = ax.get_window_extent(renderer)
        for text in ax.texts:
            if not text.get_visible():
                continue
            if isinstance(text, Annotation):
                anchor = text._get_xy_display()
                arrow = text.arrow_patch
                inside_arrow = arrow is None or inside(arrow.get_window_extent(renderer), frame, 2.0)
                if not inside_arrow and _strictly_in(anchor, frame):
                    problems.append(f"arrow of '{text.get_text()[:30]}' runs past the axes edge")
            else:
                anchor = text.get_transform().transform(text.get_position())
            cut = not inside(Text.get_window_extent(text, renderer), frame)
            if text.get_text().strip() and _strictly_in(anchor, frame) and cut:
                problems.append(f"text '{text.get_text()[:40]}' is cut by the axes edge")
        for label, box in data_boxes(ax, renderer):
            if label.startswith("marker") and not inside(box, frame, 1.5):
                problems.append(f"{label} on '{ax.get_title()[:30]}' is clipped by the axes edge")
        legend = ax.get_legend()
        if legend is not None and legend.get_visible():
            lbox = legend.get_window_extent(renderer)
            for label, box in data_boxes(ax, renderer):
                if overlap(lbox, box, 0.5):
                    problems.append(f"legend covers data ({label})")
                    break
            for text in ax.texts:
                if text.get_text().strip() and overlap(lbox, Text.get_window_extent(text, renderer), 0.5):
                    problems.append(f"legend covers the label '{text.get_text()[:30]}'")
    return problems
