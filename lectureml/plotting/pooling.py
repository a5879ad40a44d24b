"""Pictures of pooling (notebook 05): windows, routed gradients, invariance and receptive fields.

- `draw_window_grids`: small arrays as numbered grids whose pooling windows are tinted, so an
  input, its pooled outputs and their gradients can be read side by side (same colour = same
  window); rows and columns that no window reaches are hatched, chosen entries outlined.
- `draw_shift_curves`: how much a representation changes as the input is shifted further.
- `draw_receptive_fields`: the nested blocks of input pixels seen by one unit after each layer,
  drawn on the input, next to maps of the unit's measured input gradient.
- `draw_receptive_field_growth`: the side of the receptive field layer by layer, for several
  stacks.
"""

import numpy as np
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from lectureml._validate import check_2d_arrays, check_int, describe
from lectureml.plotting.style import (
    GRAY,
    LEGEND_FONTSIZE,
    PALETTE,
    SEQUENTIAL,
    TITLE_FONTSIZE,
    new_figure,
)

# Four light tints in a 2 x 2 checkerboard: neighbouring windows never share a colour.
_WINDOW_TINTS = ("#CFE3F2", "#FBE3B5", "#CDEBDD", "#F4CDB8")
_MARK = PALETTE[3]


def _window_tint(row, col, side):
    return _WINDOW_TINTS[2 * ((row // side) % 2) + (col // side) % 2]


def _hide_ticks(ax):
    ax.set_xticks([])
    ax.set_yticks([])


def draw_window_grids(arrays, titles=None, window_sides=None, marks=None, fmt="{:g}", cell=0.42):
    """Arrays as grids of numbers, each cell tinted by the non-overlapping window it belongs to.

    Args:
        arrays: list of 2-D arrays, e.g. [x, max_pooled, mean_pooled] or [x, dout, dx].
        titles: one title per array, or None.
        window_sides: one int per array: the side of a pooling window in cells of that array
            (2 for a 2x2-pooled input or its gradient, 1 for a pooled output, where each cell
            is one window). Default: 1 for every array.
        marks: None, or one entry per array: None or a boolean array of its shape whose True
            cells are outlined and written in bold (e.g. each window's maximum).
        fmt: format of the numbers.
        cell: inches per cell.

    Returns:
        the matplotlib Figure. Cells outside every whole window (the remainder rows and
        columns that pooling drops) are hatched gray.
    """
    arrays = check_2d_arrays(arrays, "arrays")
    count = len(arrays)
    titles = [None] * count if titles is None else list(titles)
    window_sides = [1] * count if window_sides is None else list(window_sides)
    marks = [None] * count if marks is None else list(marks)
    for name, values in (("titles", titles), ("window_sides", window_sides), ("marks", marks)):
        if len(values) != count:
            raise ValueError(f"{name} must have one entry per array ({count}), got {len(values)}")
    window_sides = [
        check_int(side, f"window_sides[{index}]", minimum=1)
        for index, side in enumerate(window_sides)
    ]
    for index, (array, mark) in enumerate(zip(arrays, marks, strict=True)):
        if mark is not None and np.shape(mark) != array.shape:
            raise ValueError(
                f"marks[{index}] must be None or a boolean array of shape {array.shape}, "
                f"got {describe(mark)}"
            )
    rows = max(array.shape[0] for array in arrays)
    cols = max(array.shape[1] for array in arrays)
    fig, axes = new_figure(ncols=count, width=cell * cols + 0.3, height=cell * rows + 0.6)
    axes = list(np.atleast_1d(axes))
    for ax, array, title, side, mark in zip(axes, arrays, titles, window_sides, marks, strict=True):
        height, width = array.shape
        covered_rows, covered_cols = (height // side) * side, (width // side) * side
        for (i, j), value in np.ndenumerate(array):
            dropped = i >= covered_rows or j >= covered_cols
            ax.add_patch(
                Rectangle(
                    (j, i),
                    1,
                    1,
                    facecolor="0.9" if dropped else _window_tint(i, j, side),
                    edgecolor="0.65",
                    hatch="///" if dropped else None,
                    linewidth=0.5,
                )
            )
            chosen = mark is not None and bool(mark[i, j])
            ax.text(
                j + 0.5,
                i + 0.5,
                fmt.format(value + 0.0),  # + 0.0 turns -0.0 into 0.0
                ha="center",
                va="center",
                fontsize=8,
                fontweight="bold" if chosen else "normal",
            )
            if chosen:
                ax.add_patch(
                    Rectangle(
                        (j + 0.06, i + 0.06),
                        0.88,
                        0.88,
                        fill=False,
                        edgecolor=_MARK,
                        linewidth=1.8,
                    )
                )
        for start_row in range(0, covered_rows, side):
            for start_col in range(0, covered_cols, side):
                ax.add_patch(
                    Rectangle(
                        (start_col, start_row),
                        side,
                        side,
                        fill=False,
                        edgecolor="0.25",
                        linewidth=1.4,
                    )
                )
        ax.set_xlim(-0.1, cols + 0.1)
        ax.set_ylim(rows + 0.1, -0.1)
        ax.set_aspect("equal")
        _hide_ticks(ax)
        ax.set_frame_on(False)
        if title:
            ax.set_title(title, fontsize=9)
    return fig


def draw_shift_curves(shifts, curves, ylabel, title=None, styles=None):
    """One line per representation: a measure of change against the size of the shift.

    Args:
        shifts: the shift sizes in pixels (x axis), a list of ints.
        curves: dict label -> list of values, one per shift.
        ylabel: what the values measure.
        title: optional title.
        styles: optional dict label -> matplotlib line style ("-", "--", ":"); default solid.

    Returns:
        the matplotlib Figure.
    """
    if not isinstance(curves, dict) or not curves:
        raise TypeError(f"curves must be a non-empty dict label -> values, got {describe(curves)}")
    shifts = list(shifts)
    fig, ax = new_figure(width=5.6, height=3.4)
    styles = styles or {}
    for index, (label, values) in enumerate(curves.items()):
        if len(values) != len(shifts):
            raise ValueError(
                f"curves[{label!r}] must have one value per shift ({len(shifts)}), "
                f"got {len(values)}"
            )
        ax.plot(
            shifts,
            values,
            styles.get(label, "-"),
            marker="o",
            color=PALETTE[index % len(PALETTE)],
            label=label,
        )
    ax.set_xticks(shifts)
    ax.set_xlabel("shift of the input (pixels)")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=LEGEND_FONTSIZE, frameon=False)
    if title:
        ax.set_title(title, fontsize=TITLE_FONTSIZE)
    return fig


def draw_receptive_fields(image, windows, labels, gradients=(), gradient_titles=()):
    """Where one unit looks: its receptive field after each layer, and its measured gradient.

    Args:
        image: the input, a 2-D array (H, W).
        windows: one block per layer, ((row_start, row_stop), (col_start, col_stop)) in input
            pixels (stops excluded), as from `lectureml.receptive_field.receptive_field_window`.
        labels: one legend label per window, e.g. "conv 3x3: 3x3".
        gradients: 2-D arrays (H, W), the unit's gradient with respect to the input; each gets
            a panel of its magnitude on its own scale from 0, with a colour bar to read it, and
            the last window outlined; pixels with zero gradient are white.
        gradient_titles: one title per gradient.

    Returns:
        the matplotlib Figure.
    """
    (image,) = check_2d_arrays([image], "image")
    gradients = check_2d_arrays(gradients, "gradients") if len(gradients) else []
    if len(windows) != len(labels) or not windows:
        raise ValueError(
            f"windows and labels must be non-empty and of the same length, got {len(windows)} "
            f"windows and {len(labels)} labels"
        )
    if len(gradient_titles) != len(gradients):
        raise ValueError(
            f"gradient_titles must have one title per gradient ({len(gradients)}), "
            f"got {len(gradient_titles)}"
        )
    # Wider than tall: room for the legend and the colour bars beside the square panels.
    fig, axes = new_figure(ncols=1 + len(gradients), width=3.7, height=3.3)
    axes = list(np.atleast_1d(axes))
    axes[0].imshow(image, cmap=GRAY, interpolation="nearest")
    for index, (((r0, r1), (c0, c1)), label) in enumerate(zip(windows, labels, strict=True)):
        axes[0].add_patch(
            Rectangle(
                (c0 - 0.5, r0 - 0.5),
                c1 - c0,
                r1 - r0,
                fill=False,
                edgecolor=PALETTE[index % len(PALETTE)],
                linewidth=2.0,
                label=label,
            )
        )
    axes[0].legend(
        fontsize=LEGEND_FONTSIZE, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False
    )
    axes[0].set_title("receptive field after each layer", fontsize=9)
    (r0, r1), (c0, c1) = windows[-1]
    for ax, gradient, title in zip(axes[1:], gradients, gradient_titles, strict=True):
        magnitude = np.abs(gradient)
        shown = np.ma.masked_where(magnitude == 0, magnitude)
        ax.imshow(np.ones_like(magnitude), cmap=GRAY, vmin=0, vmax=1, interpolation="nearest")
        # Each panel keeps its own range (a shared one would leave the spread-out mean-pooling
        # gradient nearly black next to max pooling's concentrated one); the colour bar makes
        # the ranges readable, and says that white, a masked pixel, is a zero gradient.
        drawn = ax.imshow(shown, cmap=SEQUENTIAL, vmin=0, interpolation="nearest")
        bar = fig.colorbar(drawn, ax=ax, shrink=0.8)
        bar.set_label("|gradient| (white = 0)", fontsize=8)
        bar.ax.tick_params(labelsize=7)
        ax.add_patch(
            Rectangle(
                (c0 - 0.5, r0 - 0.5),
                c1 - c0,
                r1 - r0,
                fill=False,
                edgecolor=PALETTE[(len(windows) - 1) % len(PALETTE)],
                linewidth=2.0,
            )
        )
        ax.set_title(title, fontsize=9)
    for ax in axes:
        _hide_ticks(ax)
    return fig


def draw_receptive_field_growth(layer_names, stacks):
    """The side of the receptive field after each layer, one line per stack of layers.

    Args:
        layer_names: one x-axis label per layer (the stacks share the positions).
        stacks: dict label -> list of receptive-field sides, one per layer.

    Returns:
        the matplotlib Figure.
    """
    if not isinstance(stacks, dict) or not stacks:
        raise TypeError(f"stacks must be a non-empty dict label -> sizes, got {describe(stacks)}")
    positions = np.arange(1, len(layer_names) + 1)
    fig, ax = new_figure(width=6.0, height=3.2)
    for index, (label, sizes) in enumerate(stacks.items()):
        if len(sizes) != len(layer_names):
            raise ValueError(
                f"stacks[{label!r}] must have one size per layer ({len(layer_names)}), "
                f"got {len(sizes)}"
            )
        ax.plot(positions, sizes, marker="o", color=PALETTE[index % len(PALETTE)], label=label)
        # The first stack is labelled above its points, the others below, so equal sizes
        # do not print on top of each other.
        offset = 6 if index == 0 else -13
        for position, size in zip(positions, sizes, strict=True):
            ax.annotate(
                str(size),
                (position, size),
                textcoords="offset points",
                xytext=(0, offset),
                ha="center",
                fontsize=8,
            )
    ax.set_xticks(positions, layer_names, fontsize=8)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.margins(y=0.15)
    ax.set_ylabel("receptive field side (input pixels)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=LEGEND_FONTSIZE, frameon=False, loc="upper left")
    return fig
