"""Pictures of activation functions and of what they do inside deep networks (notebook 06).

- `draw_activation_derivatives`: each activation function h(a) with its derivative h'(a).
- `draw_gradient_norms`: ||dE/dW|| layer by layer, one line per network (log scale).
- `draw_activation_ridges` / `draw_activation_histograms`: the distribution of each hidden
  layer's activations, stacked from the first layer (bottom) to the last (top), with the
  fraction of exact zeros written next to each layer.
- `draw_error_curves`: training error per epoch against a target error.
- `draw_layer_fractions`: grouped bars of a per-layer fraction (sparsity, dead units).
"""

import numpy as np

from lectureml import activations
from lectureml._validate import as_float_array, check_int, describe
from lectureml.plotting.style import (
    LEGEND_FONTSIZE,
    PALETTE,
    TITLE_FONTSIZE,
    new_figure,
    one_two_five_log_ticks,
)

# The lecture's list of activation functions ("none" is the identity), plus tanh.
LECTURE_ACTIVATIONS = ("step", "logistic", "softmax", "relu", "identity", "tanh")
_TITLES = {
    "step": "step",
    "logistic": "logistic $\\sigma(a)$",
    "sigmoid": "logistic $\\sigma(a)$",
    "softmax": "softmax, $K=2$: $y_1$ vs $a_1$",
    "relu": "ReLU $\\max\\{0, a\\}$",
    "identity": "none (identity)",
    "tanh": "tanh",
}
# How the prose writes an activation used as a series label; other labels are shown as given.
_DISPLAY_NAMES = {"relu": "ReLU", "sigmoid": "logistic"}


def display_name(label):
    """`label` as the notebooks' prose writes it: "relu" -> "ReLU"; other labels unchanged."""
    return _DISPLAY_NAMES.get(label, label)


def _function_and_derivative(name, a):
    """h(a) and h'(a) on the grid `a`; softmax as y_1 of softmax([a, 0]) and dy_1/da_1."""
    if name == "softmax":
        logits = np.column_stack([a, np.zeros_like(a)])
        y = activations.softmax(logits)
        upstream = np.column_stack([np.ones_like(a), np.zeros_like(a)])
        return y[:, 0], activations.softmax_backward(upstream, y)[:, 0]
    function, derivative = activations.get_activation(name)
    return function(a), derivative(a)


def _broken_at_jumps(values):
    """A copy with NaN where consecutive values jump, so a line plot shows a gap, not a wall."""
    values = values.astype(float)
    jumps = np.flatnonzero(np.abs(np.diff(values)) > 0.5)
    values[jumps] = np.nan
    return values


def draw_activation_derivatives(names=LECTURE_ACTIVATIONS, a_range=(-5.0, 5.0), ncols=3):
    """One panel per activation function: h(a) solid, its derivative h'(a) dashed.

    Args:
        names: activation names: "step", "logistic" (or "sigmoid"), "tanh", "relu",
            "identity" and "softmax" (shown for two classes as y_1 = softmax([a, 0])_1,
            which is the logistic function of a).
        a_range: (a_min, a_max) of the horizontal axis.
        ncols: panels per row, int >= 1.

    Returns:
        the matplotlib Figure.
    """
    if not isinstance(names, (list, tuple)) or not names:
        raise TypeError(
            f"names must be a non-empty tuple of activation names, got {describe(names)}"
        )
    for name in names:
        if name not in _TITLES:
            raise ValueError(
                f"every entry of names must be one of {list(_TITLES)}, got {describe(name)}"
            )
    if not isinstance(a_range, (list, tuple)) or len(a_range) != 2:
        raise TypeError(f"a_range must be a pair (a_min, a_max), got {describe(a_range)}")
    low, high = (float(value) for value in a_range)
    if not low < high:
        raise ValueError(f"a_range must satisfy a_min < a_max, got {a_range}")
    ncols = min(check_int(ncols, "ncols", minimum=1), len(names))
    nrows = -(-len(names) // ncols)
    a = np.linspace(low, high, 801)
    fig, axes = new_figure(ncols=ncols, nrows=nrows, width=2.9, height=2.3)
    axes = axes if isinstance(axes, list) else [axes]
    for ax, name in zip(axes, names, strict=False):
        h, dh = _function_and_derivative(name, a)
        ax.plot(a, _broken_at_jumps(h), color=PALETTE[0], linewidth=2, label="$h(a)$")
        ax.plot(a, _broken_at_jumps(dh), color=PALETTE[3], linewidth=1.8, ls="--", label="$h'(a)$")
        if name == "step":
            ax.annotate(
                "undefined at 0",
                xy=(0, 0),
                xytext=(0.25 * high, 0.45),
                fontsize=7,
                arrowprops={"arrowstyle": "->", "color": PALETTE[3]},
            )
        ax.axhline(0, color="gray", linewidth=0.5)
        ax.axvline(0, color="gray", linewidth=0.5)
        ax.set_title(_TITLES[name], fontsize=TITLE_FONTSIZE)
        ax.set_xlabel("$a$")
        if name in ("relu", "identity"):
            ax.set_ylim(-0.4 * high, high)
        else:
            ax.set_ylim(-1.15, 1.15)
    axes[0].legend(fontsize=LEGEND_FONTSIZE, loc="upper left")
    for ax in axes[len(names) :]:
        ax.set_axis_off()
    return fig


def _check_series(series, name):
    """{label: 1-D float array}, non-empty."""
    if not isinstance(series, dict) or not series:
        raise TypeError(
            f"{name} must be a non-empty dict {{label: values}}, got {describe(series)}"
        )
    return {
        label: as_float_array(np.asarray(values, dtype=float), f"{name}[{label!r}]", ndim=1)
        for label, values in series.items()
    }


def _new_axes(ax, width, height):
    if ax is None:
        _, ax = new_figure(width=width, height=height)
    return ax


def draw_gradient_norms(norms, ax=None, title=None, highlight=None):
    """||dE/dW|| of every layer, input side on the left, on a log scale.

    Args:
        norms: {label: array of one norm per layer with weights}; the last entry of each is
            the output layer. Activation names among the labels appear in the legend as
            `display_name` writes them ("relu" as "ReLU").
        ax: Axes to draw into; a new figure when None.
        title: axes title.
        highlight: optional label drawn thick and on top; the others are drawn thin.

    Returns:
        the matplotlib Figure.
    """
    norms = _check_series(norms, "norms")
    ax = _new_axes(ax, 5.0, 3.2)
    longest = 0
    for colour, (label, values) in zip(PALETTE, norms.items(), strict=False):
        layer = np.arange(1, len(values) + 1)
        faint = highlight is not None and label != highlight
        ax.semilogy(
            layer,
            values,
            color=colour,
            marker="o",
            ms=3 if faint else 5,
            linewidth=1.0 if faint else 2.2,
            alpha=0.45 if faint else 1.0,
            zorder=1 if faint else 3,
            label=display_name(label),
        )
        longest = max(longest, len(values))
    ticks = np.arange(1, longest + 1)
    ax.set_xticks(ticks, [str(t) for t in ticks[:-1]] + ["out"])
    ax.set_xlabel("layer (input side left)")
    ax.set_ylabel("$\\|\\partial E / \\partial \\mathbf{W}\\|$")
    ax.grid(True, which="major", axis="y", alpha=0.3)
    ax.legend(fontsize=LEGEND_FONTSIZE)
    if title:
        ax.set_title(title, fontsize=TITLE_FONTSIZE)
    return ax.figure


def draw_activation_ridges(layer_values, ax=None, title=None, bins=40, colour=None):
    """Histograms of each hidden layer's activations, stacked: layer 1 at the bottom.

    Exact zeros (switched-off ReLU units) are left out of the histogram, which would otherwise
    be one tall spike, and reported as a percentage at the right of their layer.

    Args:
        layer_values: list of arrays, one per hidden layer (any shape; all values are used).
        ax: Axes to draw into; a new figure when None.
        title: axes title.
        bins: number of histogram bins, int >= 2.
        colour: fill colour; the first palette colour when None.

    Returns:
        the matplotlib Figure.
    """
    if not isinstance(layer_values, (list, tuple)) or not layer_values:
        raise TypeError(
            f"layer_values must be a non-empty list of arrays (one per layer), "
            f"got {describe(layer_values)}"
        )
    layer_values = [
        as_float_array(np.asarray(values), f"layer_values[{index}]").ravel()
        for index, values in enumerate(layer_values)
    ]
    bins = check_int(bins, "bins", minimum=2)
    colour = PALETTE[0] if colour is None else colour
    ax = _new_axes(ax, 3.6, 0.35 * len(layer_values) + 1.2)
    low = min(float(values.min()) for values in layer_values)
    high = max(float(values.max()) for values in layer_values)
    if high <= low:
        high = low + 1.0
    edges = np.linspace(low, high, bins + 1)
    for level, values in enumerate(layer_values):
        nonzero = values[values != 0]
        counts, _ = np.histogram(nonzero, bins=edges)
        heights = 0.9 * counts / max(int(counts.max()), 1) if counts.size else counts
        ax.fill_between(
            edges[:-1], level, level + heights, step="post", color=colour, alpha=0.75, lw=0
        )
        ax.axhline(level, color="gray", linewidth=0.4)
        zeros = 1.0 - nonzero.size / values.size
        if zeros > 0:
            ax.text(high, level + 0.3, f"{100 * zeros:.0f}% = 0", fontsize=7, ha="right")
    ax.set_yticks(
        np.arange(len(layer_values)) + 0.4, [str(i + 1) for i in range(len(layer_values))]
    )
    ax.set_ylim(0, len(layer_values))
    ax.set_xlim(low, high)
    ax.set_xlabel("activation $h(a)$")
    ax.set_ylabel("hidden layer")
    if title:
        ax.set_title(title, fontsize=TITLE_FONTSIZE)
    return ax.figure


def draw_activation_histograms(layer_values_by_label, bins=40):
    """`draw_activation_ridges` side by side, one panel per network.

    Args:
        layer_values_by_label: {label: list of arrays, one per hidden layer}; each label is a
            panel title, activation names as `display_name` writes them.
        bins: number of histogram bins per layer.

    Returns:
        the matplotlib Figure.
    """
    if not isinstance(layer_values_by_label, dict) or not layer_values_by_label:
        raise TypeError(
            f"layer_values_by_label must be a non-empty dict {{label: list of arrays}}, "
            f"got {describe(layer_values_by_label)}"
        )
    depth = max(len(values) for values in layer_values_by_label.values())
    fig, axes = new_figure(ncols=len(layer_values_by_label), width=3.3, height=0.3 * depth + 1.3)
    axes = axes if isinstance(axes, list) else [axes]
    for ax, colour, (label, values) in zip(
        axes, PALETTE, layer_values_by_label.items(), strict=False
    ):
        draw_activation_ridges(values, ax=ax, title=display_name(label), bins=bins, colour=colour)
    return fig


def draw_error_curves(errors, target, ax=None, max_epochs=None):
    """Training error after each epoch, one line per network, with the target as a line.

    The log axis is labelled at 1, 2 and 5 times powers of ten percent, so the target and the
    band just above it can be read off.

    Args:
        errors: {label: training errors in [0, 1], one per epoch}; activation names among the
            labels appear as `display_name` writes them.
        target: the target error, drawn as a dashed horizontal line.
        ax: Axes to draw into; a new figure when None.
        max_epochs: right end of the horizontal axis (the epoch budget), or None.

    Returns:
        the matplotlib Figure.
    """
    errors = _check_series(errors, "errors")
    ax = _new_axes(ax, 5.0, 3.2)
    for colour, (label, values) in zip(PALETTE, errors.items(), strict=False):
        ax.semilogy(
            np.arange(1, len(values) + 1),
            100 * values,
            color=colour,
            marker="o",
            ms=3,
            label=display_name(label),
        )
    target_percent = 100 * float(target)
    ax.axhline(
        target_percent, color="black", ls="--", linewidth=1, label=f"target {target_percent:g}%"
    )
    if max_epochs is not None:
        ax.set_xlim(0.5, check_int(max_epochs, "max_epochs", minimum=1) + 0.5)
    # The 2% target and the 2-20% band where the race is decided need labels of their own,
    # which decades alone (10, 100) do not give.
    one_two_five_log_ticks(
        ax, np.concatenate([100 * values for values in errors.values()] + [[target_percent]])
    )
    ax.set_xlabel("epoch")
    ax.set_ylabel("training error (%)")
    ax.grid(True, which="both", axis="y", alpha=0.3)
    ax.legend(fontsize=LEGEND_FONTSIZE)
    return ax.figure


def draw_layer_fractions(fractions, ylabel, title=None, ax=None):
    """Grouped bars: for each hidden layer, one bar per label, heights in percent.

    A bar lower than 1 percentage point would be invisible, so its value ("0" for none) is
    written just above it: a missing bar then reads as a measured zero, not as missing data.

    Args:
        fractions: {label: array of fractions in [0, 1], one per hidden layer}; activation
            names among the labels appear as `display_name` writes them.
        ylabel: what the fraction is, e.g. "activations exactly 0 (%)".
        title: axes title.
        ax: Axes to draw into; a new figure when None.

    Returns:
        the matplotlib Figure.
    """
    fractions = _check_series(fractions, "fractions")
    ax = _new_axes(ax, 5.0, 3.0)
    count = len(fractions)
    width = 0.8 / count
    for position, (colour, (label, values)) in enumerate(
        zip(PALETTE, fractions.items(), strict=False)
    ):
        layers = np.arange(1, len(values) + 1)
        centres = layers + (position - (count - 1) / 2) * width
        percent = 100 * values
        ax.bar(centres, percent, width, color=colour, label=display_name(label))
        for centre, height in zip(centres, percent, strict=True):
            if height < 1:
                ax.text(
                    centre,
                    height + 1,
                    f"{height:.1g}" if height > 0 else "0",
                    ha="center",
                    va="bottom",
                    fontsize=LEGEND_FONTSIZE,
                    color=colour,
                )
    longest = max(len(values) for values in fractions.values())
    ax.set_xticks(np.arange(1, longest + 1))
    ax.set_xlabel("hidden layer")
    ax.set_ylabel(ylabel)
    # Headroom above 100% keeps the legend clear of full-height bars.
    ax.set_ylim(0, 125)
    ax.set_yticks(np.arange(0, 101, 20))
    ax.legend(fontsize=LEGEND_FONTSIZE, loc="upper center", ncol=count, frameon=False)
    if title:
        ax.set_title(title, fontsize=TITLE_FONTSIZE)
    return ax.figure
