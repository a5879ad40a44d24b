"""One look for every figure of the course."""

import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import NullFormatter

# Colour-blind-safe palette (Okabe & Ito), in the order series are drawn.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
# Diverging map for signed quantities (weights, gradients, kernels): zero is white.
DIVERGING = "RdBu_r"
# Sequential map for images and activations.
SEQUENTIAL = "viridis"
GRAY = "gray"
# Font sizes (points) shared by every figure, so titles and legends look alike across notebooks.
TITLE_FONTSIZE = 10
LEGEND_FONTSIZE = 8


def new_figure(ncols=1, nrows=1, width=4.0, height=3.0, **subplot_kw):
    """A figure of `nrows` x `ncols` panels, each about `width` x `height` inches.

    Returns (fig, axes) like ``plt.subplots`` with ``squeeze=False`` flattened to a list
    when there is more than one panel, or a single Axes when there is one.
    """
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(width * ncols, height * nrows),
        squeeze=False,
        layout="constrained",
        subplot_kw=subplot_kw or None,
    )
    flat = list(axes.ravel())
    return fig, (flat[0] if len(flat) == 1 else flat)


def symmetric_limits(values):
    """vmin, vmax centred on zero, so a diverging map shows the sign honestly."""
    bound = float(abs(values).max()) or 1.0
    return -bound, bound


def one_two_five_log_ticks(ax, values):
    """Log y axis labelled at 1, 2, 5 times powers of ten, with limits on such values.

    Decades alone leave an axis spanning one or two decades with one or two labels; the limits
    snap to the nearest labelled values around the data, so the lowest and highest points lie
    between two labelled ticks, at least 10% inside so the frame does not cut their markers.
    Over more than three decades matplotlib's decade labels are enough and are kept. Minor
    ticks stay, unlabelled (their default labels would crowd these), for grid lines.
    """
    values = np.asarray(values, dtype=float)
    values = values[values > 0]
    low, high = float(values.min()), float(values.max())
    if high / low > 1e3:
        return
    candidates = [
        m * 10.0**e
        for e in range(math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 2)
        for m in (1, 2, 5)
    ]
    bottom = max(c for c in candidates if c <= low / 1.1)
    top = min(c for c in candidates if c >= high * 1.1)
    ticks = [c for c in candidates if bottom <= c <= top]
    ax.set_yticks(ticks, [f"{t:g}" for t in ticks])
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_ylim(bottom, top)
