"""One look for every figure of the course."""

import matplotlib.pyplot as plt

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
