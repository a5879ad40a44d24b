"""Pictures of convolution (notebook 04), general enough for pooling (notebook 05).

- `show_number_grids`: small matrices drawn as grids with every number written in its cell,
  e.g. the lecture's 5 x 5 image, its kernel and the output; a region can be outlined.
- `show_feature_maps`: any number of 2-D arrays (photos, digits, feature maps) side by side,
  one panel each; signed maps get a diverging colour map centred on zero, the others gray.
- `draw_sliding_window`: the zero-padded input grid with the kernel's window at one output
  position, next to the output grid, with the output-size formula in the title.
- `draw_shared_weights`: a convolution written as a dense layer's weight matrix, each entry
  coloured by the kernel weight it shares.
"""

import numbers

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch, Rectangle

from lectureml._validate import check_2d_arrays, check_int, describe
from lectureml.conv import conv_output_size
from lectureml.plotting.style import DIVERGING, GRAY, PALETTE, TITLE_FONTSIZE, new_figure

# Robust contrast: the most extreme values are clipped, so a few strong pixels do not turn the
# rest of a map into a uniform gray. Edge maps are mostly near zero with thin strong lines, so
# they are clipped harder (top 3%) than images (top 0.5%).
_SIGNED_PERCENTILE = 97.0
_UNSIGNED_PERCENTILE = 99.5
# A map counts as signed when its negative part reaches this fraction of its positive part.
_SIGNED_FRACTION = 0.05
_HIGHLIGHT = PALETTE[3]
_WINDOW = PALETTE[1]


def _per_panel(value, count, name, kind):
    """One entry per panel: a list of `count` entries, or a single value repeated."""
    if isinstance(value, list):
        if len(value) != count:
            raise ValueError(f"{name} must have one entry per array ({count}), got {len(value)}")
        return list(value)
    if value is not None and not isinstance(value, kind):
        raise TypeError(
            f"{name} must be a {kind.__name__} or a list of them, got {describe(value)}"
        )
    return [value] * count


def _hide_ticks(ax):
    ax.set_xticks([])
    ax.set_yticks([])


def _is_signed(array):
    """True when a map has a real negative part (beyond 5% of its positive part)."""
    array = np.asarray(array, dtype=np.float64)
    return bool(-array.min() > _SIGNED_FRACTION * max(array.max(), 0.0) and array.min() < 0)


def _limits(array, signed):
    """Colour limits: symmetric about 0 for signed maps, from 0 for the others (robust)."""
    if signed:
        bound = float(np.percentile(np.abs(array), _SIGNED_PERCENTILE)) or float(
            np.abs(array).max()
        )
        bound = bound or 1.0
        return -bound, bound
    # Negative values of an unsigned map (e.g. the overshoot of sharpening) are clipped to black.
    bottom = 0.0 if array.max() > 0 else float(array.min())
    top = float(np.percentile(array, _UNSIGNED_PERCENTILE))
    top = top if top > bottom else float(array.max())
    return bottom, (top if top > bottom else bottom + 1.0)


def show_feature_maps(
    images,
    titles=None,
    ncols=None,
    signed=None,
    limits=None,
    size=2.4,
    suptitle=None,
    colorbar=False,
):
    """2-D arrays side by side, one panel each: images and the feature maps made from them.

    Args:
        images: list of 2-D arrays (H, W), or an (N, H, W) array; sizes may differ.
        titles: list of one short title per array, or None.
        ncols: panels per row (default: all in one row, at most 6 per row).
        signed: a list with one entry per array, or one value for all. True draws a map with
            a diverging colour map centred on zero (red positive, blue negative; for edge
            maps), False in gray from 0 (for images, blurs); None decides from the values
            (negative values beyond 5% of the largest positive one).
        limits: a list with one entry per array, or one value for all: None, or the pair
            (low, high) of values at the ends of the colour scale, e.g. (0, 1) for images in
            [0, 1]. None picks robust limits that clip the top 3% of magnitudes of a signed
            map and the top 0.5% of an unsigned one.
        size: height of one panel in inches (its width follows the arrays' aspect ratio).
        suptitle: optional title over the whole figure.
        colorbar: a list with one entry per array, or one value for all: True adds a colour
            bar next to the panel, so its values can be read off (an arrow at an end means
            values beyond it were clipped to the end colour).

    Returns:
        the matplotlib Figure.
    """
    images = check_2d_arrays(images, "images")
    count = len(images)
    titles = _per_panel(titles, count, "titles", str)
    signed = _per_panel(signed, count, "signed", bool)
    limits = _per_panel(limits, count, "limits", tuple)
    colorbar = _per_panel(colorbar, count, "colorbar", bool)
    for index, pair in enumerate(limits):
        if pair is not None and not (
            len(pair) == 2
            and all(isinstance(v, numbers.Real) and np.isfinite(v) for v in pair)
            and pair[0] < pair[1]
        ):
            raise ValueError(
                f"limits[{index}] must be a pair (low, high) with low < high, got {pair!r}"
            )
    ncols = min(count, 6) if ncols is None else check_int(ncols, "ncols", minimum=1)
    nrows = -(-count // ncols)
    aspect = max(image.shape[1] / image.shape[0] for image in images)
    fig, axes = new_figure(ncols=ncols, nrows=nrows, width=size * min(aspect, 2.0), height=size)
    axes = list(np.atleast_1d(axes))
    for ax in axes:
        _hide_ticks(ax)
        ax.set_frame_on(False)
    for ax, image, title, image_signed, pair, with_bar in zip(
        axes, images, titles, signed, limits, colorbar, strict=False
    ):
        image_signed = _is_signed(image) if image_signed is None else image_signed
        low, high = _limits(image, image_signed) if pair is None else pair
        # Antialiasing: a large photo shrunk to a panel stays smooth (and its PNG small);
        # small arrays such as digits are enlarged and still show crisp pixels.
        shown = ax.imshow(
            image,
            cmap=DIVERGING if image_signed else GRAY,
            vmin=low,
            vmax=high,
            interpolation="antialiased",
        )
        if with_bar:
            # An arrow at an end of the bar says that values beyond it exist and were clipped.
            clipped = int(image.min() < low) + 2 * int(image.max() > high)
            extend = ("neither", "min", "max", "both")[clipped]
            bar = fig.colorbar(shown, ax=ax, shrink=0.85, extend=extend)
            bar.ax.tick_params(labelsize=7)
        if title:
            ax.set_title(title, fontsize=9)
    if suptitle:
        fig.suptitle(suptitle, fontsize=TITLE_FONTSIZE)
    return fig


def _check_region(region, shape, name):
    """A region ((row_start, row_stop), (col_start, col_stop)) inside an array of `shape`."""
    try:
        (row_start, row_stop), (col_start, col_stop) = region
        bounds = [check_int(v, name) for v in (row_start, row_stop, col_start, col_stop)]
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{name} must be ((row_start, row_stop), (col_start, col_stop)) of ints, got {region!r}"
        ) from error
    row_start, row_stop, col_start, col_stop = bounds
    if not (0 <= row_start < row_stop <= shape[0] and 0 <= col_start < col_stop <= shape[1]):
        raise ValueError(
            f"{name} must lie inside the array of shape {shape} with start < stop, got {region!r}"
        )
    return bounds


def show_number_grids(arrays, titles=None, highlight=None, fmt="{:g}", size=0.45):
    """Small matrices as grids with each number written in its cell.

    Args:
        arrays: list of 2-D arrays, e.g. [image, kernel, output]; a few rows and columns each.
        titles: one title per array, or None.
        highlight: None, or a list with one entry per array: None or a region
            ((row_start, row_stop), (col_start, col_stop)) (stops excluded) to outline in
            orange, e.g. [None, None, ((1, 4), (1, 4))] for the interior of a 5 x 5 output.
        fmt: format of the numbers, e.g. "{:g}" or "{:.2f}".
        size: inches per cell.

    Returns:
        the matplotlib Figure. Cells are shaded by value on one diverging scale per array,
        darker = larger |value|: red for positive, blue for negative, white for zero, also
        when an array has no negative entry.
    """
    arrays = check_2d_arrays(arrays, "arrays")
    count = len(arrays)
    titles = _per_panel(titles, count, "titles", str)
    if highlight is None:
        highlight = [None] * count
    elif not isinstance(highlight, list) or len(highlight) != count:
        raise TypeError(
            f"highlight must be None or a list with one region (or None) per array ({count}), "
            f"got {describe(highlight)}"
        )
    if not isinstance(fmt, str):
        raise TypeError(f"fmt must be a format string such as '{{:g}}', got {describe(fmt)}")
    rows = max(array.shape[0] for array in arrays)
    cols = max(array.shape[1] for array in arrays)
    fig, axes = new_figure(ncols=count, width=size * cols + 0.3, height=size * rows + 0.5)
    axes = list(np.atleast_1d(axes))
    for index, (ax, array, title, region) in enumerate(
        zip(axes, arrays, titles, highlight, strict=True)
    ):
        bound = float(np.abs(array).max()) or 1.0
        # Always the diverging map centred on zero, so a positive number is red in every panel
        # (an all-positive kernel next to signed ones must not switch colours). Limits wider
        # than the data keep every shade light enough for black text.
        ax.imshow(array, cmap=DIVERGING, vmin=-2.2 * bound, vmax=2.2 * bound)
        for (i, j), value in np.ndenumerate(array):
            ax.text(j, i, fmt.format(value), ha="center", va="center", fontsize=8)
        height, width = array.shape
        # Cell borders as two line collections: much cheaper to lay out than minor ticks.
        ax.hlines(np.arange(-0.5, height), -0.5, width - 0.5, color="0.6", linewidth=0.6)
        ax.vlines(np.arange(-0.5, width), -0.5, height - 0.5, color="0.6", linewidth=0.6)
        ax.set_xticks(range(width))
        ax.set_yticks(range(height))
        ax.tick_params(length=0, labelsize=7)
        if region is not None:
            row_start, row_stop, col_start, col_stop = _check_region(
                region, array.shape, f"highlight[{index}]"
            )
            ax.add_patch(
                Rectangle(
                    (col_start - 0.5, row_start - 0.5),
                    col_stop - col_start,
                    row_stop - row_start,
                    fill=False,
                    edgecolor=_HIGHLIGHT,
                    linewidth=2.5,
                )
            )
        if title:
            ax.set_title(title, fontsize=9)
    return fig


def _covered(padded_size, kernel_size, stride, out_size):
    """Which positions of a padded axis at least one window reads (the rest is dropped)."""
    covered = np.zeros(padded_size, dtype=bool)
    for start in range(0, stride * out_size, stride):
        covered[start : start + kernel_size] = True
    return covered


def draw_sliding_window(input_size, kernel_size, stride=1, padding=0, position=(0, 0)):
    """The kernel's window on a zero-padded square input, and the output cell it produces.

    Left: the input (white cells), its padding (gray cells marked 0), pixels that no window
    ever reads because the last stride does not fit (hatched), and the window (orange) for
    the output `position`. Right: the output grid with that cell filled. Rows and columns are
    numbered from 0, the input's in padded coordinates (the padding's first row is row 0).
    The title works out the output size 1 + ⌊(size + 2·padding − kernel_size) / stride⌋.

    Args:
        input_size: side of the square input (int >= 1).
        kernel_size: side of the square kernel (int >= 1), at most input_size + 2*padding.
        stride: step between windows (int >= 1).
        padding: zeros added on each side (int >= 0).
        position: (row, column) of the output cell, each in 0..out_size - 1.

    Returns:
        the matplotlib Figure.
    """
    input_size = check_int(input_size, "input_size", minimum=1)
    out_size = conv_output_size(input_size, kernel_size, stride, padding)  # validates the rest
    if (
        not isinstance(position, (tuple, list))
        or len(position) != 2
        or not all(isinstance(p, (int, np.integer)) for p in position)
    ):
        raise TypeError(f"position must be a (row, column) pair of ints, got {position!r}")
    row, col = (int(p) for p in position)
    if not (0 <= row < out_size and 0 <= col < out_size):
        raise ValueError(
            f"position must have row and column in 0..{out_size - 1} (the output is "
            f"{out_size} x {out_size}), got {position!r}"
        )
    padded = input_size + 2 * padding
    covered = _covered(padded, kernel_size, stride, out_size)
    fig, (input_ax, output_ax) = new_figure(ncols=2, width=3.4, height=3.4)
    for i in range(padded):
        for j in range(padded):
            is_padding = not (
                padding <= i < padding + input_size and padding <= j < padding + input_size
            )
            unread = not (covered[i] and covered[j])
            input_ax.add_patch(
                Rectangle(
                    (j, i),
                    1,
                    1,
                    facecolor="0.85" if is_padding else "white",
                    edgecolor="0.6",
                    hatch="///" if unread else None,
                    linewidth=0.6,
                )
            )
            if is_padding:
                input_ax.text(j + 0.5, i + 0.5, "0", ha="center", va="center", fontsize=7)
    top, left = row * stride, col * stride
    input_ax.add_patch(
        Rectangle(
            (left, top),
            kernel_size,
            kernel_size,
            facecolor=_WINDOW,
            alpha=0.35,
            edgecolor=_WINDOW,
            linewidth=2.5,
        )
    )
    for i in range(out_size):
        for j in range(out_size):
            current = (i, j) == (row, col)
            output_ax.add_patch(
                Rectangle(
                    (j, i),
                    1,
                    1,
                    facecolor=_WINDOW if current else "white",
                    alpha=0.8 if current else 1.0,
                    edgecolor="0.4",
                    linewidth=0.8,
                )
            )
    extent = max(padded, out_size)
    for ax, side in ((input_ax, padded), (output_ax, out_size)):
        ax.set_xlim(-0.2, extent + 0.2)
        ax.set_ylim(extent + 0.2, -0.2)
        ax.set_aspect("equal")
        # Row and column numbers at the cell centres, so a position such as (2, 4) in the
        # text can be counted off the picture; column numbers on top, next to the grids
        # (the output grid is shorter than the panel).
        ax.set_xticks(np.arange(side) + 0.5, range(side))
        ax.set_yticks(np.arange(side) + 0.5, range(side))
        ax.xaxis.tick_top()
        ax.tick_params(length=0, labelsize=7)
        ax.set_frame_on(False)
    input_ax.set_title(
        f"input {input_size}x{input_size}, padding {padding}, kernel {kernel_size}x{kernel_size}, "
        f"stride {stride}",
        fontsize=9,
    )
    output_ax.set_title(f"output {out_size}x{out_size}, cell ({row}, {col})", fontsize=9)
    fig.suptitle(
        f"output size = 1 + ⌊({input_size} + 2·{padding} − {kernel_size}) / {stride}⌋ = {out_size}",
        fontsize=TITLE_FONTSIZE,
    )
    return fig


def draw_shared_weights(matrix, kernel, size=5.0):
    """A convolution written as a dense layer's weight matrix, coloured by kernel entry.

    (The lecture's rows are inputs, W(1) being D x M; here rows are outputs, as in
    out = matrix @ image.ravel(), so the matrix is W(1) transposed.)

    Every nonzero entry of `matrix` is one of the kernel's weights; it gets the colour of the
    kernel entry it equals, so the picture shows both sparse interactions (most entries are
    zero, drawn white) and parameter sharing (the same few colours repeat along diagonals).

    Args:
        matrix: (outputs, inputs) array, e.g. column j = the feature map of an image with a
            single 1 at pixel j, flattened.
        kernel: (KH, KW) array of distinct nonzero weights (at most 10 of them), e.g.
            np.arange(1, 10).reshape(3, 3); every nonzero entry of matrix must be one of them.
        size: height of the figure in inches.

    Returns:
        the matplotlib Figure, with a legend naming the kernel entry of each colour.
    """
    matrix, kernel = check_2d_arrays([matrix, kernel], "[matrix, kernel]")
    weights = kernel.ravel()
    if weights.size > 10 or np.unique(weights).size != weights.size or not np.all(weights):
        raise ValueError(
            f"kernel must hold at most 10 distinct nonzero weights, got {weights.tolist()}"
        )
    unknown = np.setdiff1d(np.unique(matrix[matrix != 0]), weights)
    if unknown.size:
        raise ValueError(
            f"matrix must hold only zeros and the kernel's weights {weights.tolist()}, "
            f"got also {unknown[:5].tolist()}"
        )
    colours = ["white", *colormaps["tab10"].colors[: weights.size]]
    # Entry codes: 0 for a zero, k + 1 for the kernel's k-th weight (row-major).
    codes = np.zeros(matrix.shape, dtype=int)
    for code, weight in enumerate(weights, start=1):
        codes[matrix == weight] = code
    fig, ax = new_figure(width=size * 1.35, height=size)
    ax.imshow(
        codes,
        cmap=ListedColormap(colours),
        vmin=-0.5,
        vmax=len(colours) - 0.5,
        interpolation="nearest",
    )
    _hide_ticks(ax)
    cols = kernel.shape[1]
    handles = [
        Patch(
            facecolor=colours[k + 1],
            edgecolor="0.5",
            label=f"$w_{{{k // cols}{k % cols}}}$ = {w:g}",
        )
        for k, w in enumerate(weights)
    ]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
        title="kernel entry",
        title_fontsize=8,
        frameon=False,
    )
    nonzero = int(np.count_nonzero(matrix))
    ax.set_title(
        f"{matrix.shape[0]} x {matrix.shape[1]} weight matrix: {nonzero} of {matrix.size} "
        f"entries nonzero, {weights.size} distinct values",
        fontsize=9,
    )
    ax.set_ylabel("output unit (feature-map pixel)", fontsize=8)
    ax.set_xlabel("input unit (image pixel)", fontsize=8)
    return fig
