"""Labels and legends that do not collide with each other or with the data (matplotlib plumbing; call once the
layout is final, after the titles and the footer).
"""

from __future__ import annotations

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.path import Path

from helpers.charts.frame import renderer_of
from helpers.charts.grammar import LABEL_INK
from helpers.charts.legibility import data_boxes, inside, overlap

# ----- labels that do not collide --------------------------------------------------------------------------

LABEL_OFFSETS = (  # (dx, dy) in points, horizontal and vertical alignment: tried in this order
    ((7, 0), "left", "center"),
    ((-7, 0), "right", "center"),
    ((0, 8), "center", "bottom"),
    ((0, -8), "center", "top"),
    ((6, 6), "left", "bottom"),
    ((6, -6), "left", "top"),
    ((-6, 6), "right", "bottom"),
    ((-6, -6), "right", "top"),
    ((8, 16), "left", "bottom"),
    ((8, -16), "left", "top"),
    ((-8, 16), "right", "bottom"),
    ((-8, -16), "right", "top"),
)


def place_labels(
    ax: Axes,
    items: list[tuple[object, float, str]],
    fontsize: float = 8,
    color: str = LABEL_INK,
    nearest_own: bool = False,
) -> None:
    """Write each (x, y, text) next to its point at the first offset that stays inside the axes and clear of
    markers, the legend and the labels already placed. Set limits and the legend before calling. With `nearest_own`,
    a place nearer to another point's bound arrow than to its own point counts as a collision: a reader gives a label
    to the nearest mark."""
    fig = ax.figure
    fig.draw_without_rendering()
    renderer = renderer_of(fig)
    frame = ax.get_window_extent(renderer)
    taken = [box for label, box in data_boxes(ax, renderer) if label.startswith("marker")]
    taken += [t.arrow_patch.get_window_extent(renderer) for t in ax.texts if getattr(t, "arrow_patch", None)]
    if ax.get_legend() is not None:
        taken.append(ax.get_legend().get_window_extent(renderer))
    # every point's bound arrow: a label by the tip of another point's arrow reads as that point's
    points = [t.arrow_patch.get_window_extent(renderer) for t in ax.texts if getattr(t, "arrow_patch", None)]
    for x, y, text in items:
        best, best_hits = None, None
        for offset, ha, va in LABEL_OFFSETS:
            label = ax.annotate(
                text, (x, y), xytext=offset, textcoords="offset points", ha=ha, va=va, fontsize=fontsize, color=color
            )
            box = label.get_window_extent(renderer)
            hits = sum(overlap(box, other, 0.0) for other in taken) + (0 if inside(box, frame, -2) else 100)
            if nearest_own:
                own = ax.transData.transform((mdates.date2num(x) if hasattr(x, "year") else x, y))
                hits += _nearer_to_another(box, own, points)
            if best_hits is None or hits < best_hits:
                if best is not None:
                    best.remove()
                best, best_hits = label, hits
            else:
                label.remove()
            if hits == 0:
                break
        taken.append(best.get_window_extent(renderer))


def _gap(box, other) -> float:
    """Pixels between two boxes (0 when they touch or overlap)."""
    dx = max(other.x0 - box.x1, box.x0 - other.x1, 0.0)
    dy = max(other.y0 - box.y1, box.y0 - other.y1, 0.0)
    return (dx * dx + dy * dy) ** 0.5


def _nearer_to_another(box, own: tuple[float, float], points: list) -> int:
    """1 when a label's box is nearer to an arrow that is not its own point's than to its own point."""
    ox, oy = own
    dx = max(box.x0 - ox, ox - box.x1, 0.0)
    dy = max(box.y0 - oy, oy - box.y1, 0.0)
    mine = (dx * dx + dy * dy) ** 0.5
    others = [p for p in points if not (p.x0 - 1 <= ox <= p.x1 + 1 and p.y0 - 1 <= oy <= p.y1 + 1)]
    return int(any(_gap(box, p) + 2 < mine for p in others))


def make_room_right(ax: Axes, pad_px: float = 4.0) -> None:
    """Widen the x limits just enough that every label written inside the axes ends before its right edge.
    Call it once title and footer are in place, so the layout it measures is the final one."""
    fig = ax.figure
    for text in ax.texts:  # the limits make room for the labels, so the layout need not shrink the axes for them
        text.set_in_layout(False)
    for _ in range(2):  # widening the limits can move the date ticks and with them the layout: check once more
        fig.draw_without_rendering()
        renderer = renderer_of(fig)
        frame = ax.get_window_extent(renderer)
        low, high = ax.get_xlim()
        needed = high
        for text in ax.texts:
            box = text.get_window_extent(renderer) if text.get_text() else None
            if box is None or box.x1 + pad_px <= frame.x1:
                continue
            start_px = box.x0 - frame.x0  # the label's left end stays at its data position
            anchor = low + start_px / frame.width * (high - low)
            free = frame.width - box.width - pad_px
            if free > 0 and start_px > 0:
                needed = max(needed, low + (anchor - low) * frame.width / free)
        if needed <= high:
            return
        # never more than triple: a label too wide for the chart stays cut, and the legibility test says so
        ax.set_xlim(low, min(needed, low + 3 * (high - low)))


LEGEND_PLACES = ("upper right", "center right", "lower right", "upper left", "center left", "lower left")


def filled_areas(ax: Axes) -> list[Path]:
    """The outlines of the filled areas an axes draws (fill_between, e.g. an assumed distribution), in display
    pixels; data_boxes sees their edges nowhere, so a legend could sit across a dotted area unseen."""
    areas = []
    for collection in ax.collections:
        if isinstance(collection, PathCollection) or not collection.get_visible():
            continue  # scatter points are in data_boxes already
        transform = collection.get_transform()
        areas += [transform.transform_path(path) for path in collection.get_paths() if len(path.vertices)]
    return areas


def legend_clear_of_data(ax: Axes, handles: list, places: tuple[str, ...] = LEGEND_PLACES, **kwargs):
    """A legend at the first place where it covers no bar, marker, line, label or filled area; call once the layout
    is final (after `titles` and `footer`). In one column first, then in two (half as tall). A panel too short for it
    anywhere gets it above its top right corner, beside its title (the layout makes room); failing that, the place
    with the fewest collisions."""
    fig = ax.figure
    fig.draw_without_rendering()
    renderer = renderer_of(fig)
    obstacles = [box for _, box in data_boxes(ax, renderer)]
    obstacles += [t.get_window_extent(renderer) for t in ax.texts if t.get_text().strip()]
    areas = filled_areas(ax)
    layouts = [kwargs] if "ncols" in kwargs or len(handles) < 3 else [kwargs, {**kwargs, "ncols": 2}]
    best, fewest = (places[0], kwargs), None
    for layout in layouts:
        for place in places:
            legend = ax.legend(handles=handles, loc=place, **layout)
            box = legend.get_window_extent(renderer)
            hits = sum(overlap(box, other, 0.5) for other in obstacles)
            hits += sum(area.intersects_bbox(box.padded(-0.5), filled=True) for area in areas)
            if fewest is None or hits < fewest:
                best, fewest = (place, layout), hits
            if hits == 0:
                return legend
    legend = legend_above(ax, handles, **kwargs)
    if legend is not None:
        return legend
    legend = ax.legend(handles=handles, loc=best[0], **best[1])
    fig.draw_without_rendering()  # lay out again: legend_above's tries left room above the axes for a legend now gone
    return legend


def legend_above(ax: Axes, handles: list, **kwargs):
    """The legend just above the axes' top right corner, in as few rows as keep it clear of the axes' title and of
    the panel above; None (and no legend) when no number of columns does."""
    fig = ax.figure
    others = [other for other in fig.axes if other is not ax]
    counts = [kwargs.pop("ncols")] if "ncols" in kwargs else sorted({2, len(handles)})
    for ncols in counts:
        legend = ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.0), borderaxespad=0.3,
                           ncols=ncols, **kwargs)  # fmt: skip
        fig.draw_without_rendering()  # the layout makes room above the axes for it
        renderer = renderer_of(fig)
        box = legend.get_window_extent(renderer)
        titles = [t.get_window_extent(renderer) for t in (ax.title, ax._left_title, ax._right_title) if t.get_text()]
        panels = [other.get_tightbbox(renderer) for other in others]
        if not any(overlap(box, other, 0.5) for other in titles + panels):
            return legend
    ax.get_legend().remove()
    return None
