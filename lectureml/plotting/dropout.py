"""Pictures for notebook 07: what dropout does to one unit, to a network, and to training.

- `draw_running_means`: the running mean of one unit's dropout output over many draws, with
  and without the 1 / (1 - p) rescaling, against the values it should settle at.
- `draw_thinned_network` / `draw_thinned_networks`: a one-hidden-layer network with its
  dropped hidden units crossed out (their weights drawn as zero), edges coloured on the full
  network's weight scale.
- `draw_ensemble_convergence`: Monte Carlo noise and distance to the full network against
  the number S of thinned networks averaged, on log-log axes.
- `draw_dropout_curves`: training and test accuracy and loss per epoch for several models.
"""

import numpy as np

from lectureml._validate import as_float_array, check_probability, describe
from lectureml.plotting import style
from lectureml.plotting.network import draw_network, edge_colorbar

DROPPED_FACE = "#BBBBBB"
EDGE_COLORBAR_LABEL = "weight $w$ (red: positive, blue: negative; width: $|w|$)"


def draw_running_means(inverted, unscaled, z, p):
    """Running mean of one unit's output over repeated dropout draws.

    Args:
        inverted: outputs of inverted dropout (z * mask), shape (S,).
        unscaled: outputs when the kept unit is not rescaled (z or 0), shape (S,).
        z: the unit's activation before dropout (a number).
        p: the drop probability used, 0 <= p < 1.

    Returns:
        the matplotlib Figure.
    """
    inverted = as_float_array(inverted, "inverted", ndim=1, layout="(S,)")
    unscaled = as_float_array(unscaled, "unscaled", ndim=1, layout="(S,)")
    if unscaled.shape != inverted.shape:
        raise ValueError(
            f"unscaled must have the shape of inverted {inverted.shape}, got {unscaled.shape}"
        )
    z = _check_number(z, "z")
    p = check_probability(p, "p")
    draws = np.arange(1, len(inverted) + 1)
    fig, ax = style.new_figure(width=6.0, height=3.2)
    series = (
        (inverted, f"scaled by $1/(1-p)$ (inverted dropout): $E = z$ = {z:g}", 0),
        (unscaled, f"not scaled: $E = (1-p)\\,z$ = {(1 - p) * z:g}", 1),
    )
    for values, label, colour in series:
        ax.plot(draws, np.cumsum(values) / draws, color=style.PALETTE[colour], label=label)
    ax.axhline(z, color=style.PALETTE[0], linestyle="--", linewidth=1)
    ax.axhline((1 - p) * z, color=style.PALETTE[1], linestyle="--", linewidth=1)
    ax.set_xscale("log")
    ax.set_xlabel("number of dropout draws")
    ax.set_ylabel("running mean of the output")
    ax.set_title(
        f"one unit with activation $z$ = {z:g}, drop probability $p$ = {p:g}",
        fontsize=style.TITLE_FONTSIZE,
    )
    ax.legend(fontsize=style.LEGEND_FONTSIZE, loc="lower right")
    return fig


def _check_number(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {describe(value)}")
    return float(value)


def _check_small_network(W1, b1, W2, b2):
    """The four arrays of a one-hidden-layer network as float arrays, shapes chained."""
    W1 = as_float_array(W1, "W1", ndim=2, layout="(D, M)")
    b1 = as_float_array(b1, "b1", ndim=1, layout="(M,)")
    W2 = as_float_array(W2, "W2", ndim=2, layout="(M, K)")
    b2 = as_float_array(b2, "b2", ndim=1, layout="(K,)")
    hidden = W1.shape[1]
    if b1.shape != (hidden,) or W2.shape[0] != hidden or b2.shape != (W2.shape[1],):
        raise ValueError(
            f"W1, b1, W2, b2 must have shapes (D, M), (M,), (M, K), (K,); got {W1.shape}, "
            f"{b1.shape}, {W2.shape}, {b2.shape}"
        )
    return W1, b1, W2, b2


def _weight_limit(W1, b1, W2, b2):
    """Largest |w| of the full network: the colour scale of all its thinned versions."""
    return max(float(np.abs(array).max()) for array in (W1, b1, W2, b2)) or 1.0


def _check_keep(keep, hidden):
    keep = np.asarray(keep)
    if keep.shape != (hidden,) or keep.dtype != np.bool_:
        raise ValueError(
            f"keep must be a boolean array of shape ({hidden},), one entry per hidden unit, "
            f"got {describe(keep)}"
        )
    return keep


def draw_thinned_network(
    W1, b1, W2, b2, keep, ax=None, node_values=None, title=None, colorbar=False
):
    """A one-hidden-layer network with its dropped hidden units crossed out.

    A dropped unit sends nothing on, so its weights are drawn as zero (thin light grey lines);
    the picture is the thinned network that one dropout mask selects. Edges are coloured on
    the scale of the full network's largest |w| (see `draw_network`), so drawings of
    different masks compare.

    Args:
        W1, b1: first layer, shapes (D, M) and (M,) (as `layers.Dense` stores them).
        W2, b2: second layer, shapes (M, K) and (K,).
        keep: boolean array of shape (M,), False for a dropped hidden unit.
        ax: Axes to draw into; a new figure is made when None.
        node_values: optional [inputs (D,), hidden (M,), outputs (K,)] shown in the units.
        title: axes title.
        colorbar: add a colour bar explaining the edge colours (on the full network's scale).

    Returns:
        the matplotlib Figure.
    """
    W1, b1, W2, b2 = _check_small_network(W1, b1, W2, b2)
    keep = _check_keep(keep, W1.shape[1])
    weight_limit = _weight_limit(W1, b1, W2, b2)
    # The lecture's layout: the bias is row 0, the weight of the constant unit x0 = 1.
    first = np.vstack([b1, W1]) * keep
    second = np.vstack([b2, W2 * keep[:, None]])
    fig = draw_network(
        [first, second],
        ax=ax,
        node_values=node_values,
        colorbar=False,
        title=title,
        weight_limit=weight_limit,
    )
    ax = fig.axes[0] if ax is None else ax
    hidden = W1.shape[1]
    # draw_network centres a layer of M units plus its bias unit: unit j sits at M/2 - (j + 1).
    heights = hidden / 2 - (np.flatnonzero(~keep) + 1.0)
    ax.scatter(
        np.ones_like(heights),
        heights,
        s=560,
        facecolor=DROPPED_FACE,
        edgecolor="black",
        linewidth=1.0,
        zorder=5,
    )
    ax.scatter(np.ones_like(heights), heights, s=260, marker="x", color="black", zorder=6)
    if colorbar:
        edge_colorbar(ax, weight_limit, EDGE_COLORBAR_LABEL)
    return fig


def draw_thinned_networks(W1, b1, W2, b2, keeps, titles=None):
    """Several thinned versions of one network side by side (one panel per mask).

    The panels share one weight scale, explained by one colour bar.

    Args:
        W1, b1, W2, b2: as in `draw_thinned_network`.
        keeps: list of boolean arrays of shape (M,), one per panel.
        titles: optional list of panel titles, one per mask.

    Returns:
        the matplotlib Figure.
    """
    if not isinstance(keeps, (list, tuple)) or len(keeps) == 0:
        raise TypeError(f"keeps must be a non-empty list of boolean masks, got {describe(keeps)}")
    if titles is not None and (not isinstance(titles, (list, tuple)) or len(titles) != len(keeps)):
        raise ValueError(
            f"titles must be a list with one title per mask ({len(keeps)}), got {describe(titles)}"
        )
    W1, b1, W2, b2 = _check_small_network(W1, b1, W2, b2)
    fig, axes = style.new_figure(ncols=len(keeps), width=2.6, height=0.45 * W1.shape[1] + 1.4)
    axes = axes if isinstance(axes, list) else [axes]
    for index, (ax, keep) in enumerate(zip(axes, keeps, strict=True)):
        title = titles[index] if titles is not None else None
        draw_thinned_network(W1, b1, W2, b2, keep, ax=ax, title=title)
    edge_colorbar(axes, _weight_limit(W1, b1, W2, b2), EDGE_COLORBAR_LABEL)
    return fig


def draw_ensemble_convergence(samples, noise, distance_to_full, gap):
    """How the average of S thinned networks approaches the ensemble mean, not the full net.

    Args:
        samples: the numbers S of thinned networks averaged, shape (n,), increasing.
        noise: RMS distance of the S-network average from the exact ensemble mean, shape (n,).
        distance_to_full: RMS distance of the same averages from the full (weight-scaled)
            network's output, shape (n,).
        gap: RMS distance between the full network and the exact ensemble mean (a number).

    Returns:
        the matplotlib Figure.
    """
    samples = as_float_array(samples, "samples", ndim=1, layout="(n,)")
    noise = as_float_array(noise, "noise", ndim=1, layout="(n,)")
    distance_to_full = as_float_array(distance_to_full, "distance_to_full", ndim=1, layout="(n,)")
    if not noise.shape == distance_to_full.shape == samples.shape:
        raise ValueError(
            f"samples, noise and distance_to_full must have the same shape, got "
            f"{samples.shape}, {noise.shape} and {distance_to_full.shape}"
        )
    gap = _check_number(gap, "gap")
    fig, ax = style.new_figure(width=6.2, height=3.6)
    ax.plot(
        samples,
        noise,
        "o-",
        color=style.PALETTE[0],
        label="average of S thinned nets vs ensemble mean",
    )
    ax.plot(
        samples,
        noise[0] / np.sqrt(samples / samples[0]),
        ":",
        color=style.PALETTE[0],
        label="$\\propto 1/\\sqrt{S}$",
    )
    ax.plot(
        samples,
        distance_to_full,
        "s-",
        color=style.PALETTE[3],
        label="average of S thinned nets vs full network",
    )
    ax.axhline(
        gap,
        color=style.PALETTE[3],
        linestyle="--",
        linewidth=1,
        label="full network vs ensemble mean (the gap)",
    )
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("number S of thinned networks averaged")
    ax.set_ylabel("RMS difference of $P(\\text{class 1})$")
    ax.legend(fontsize=style.LEGEND_FONTSIZE, loc="lower left")
    return fig


_CURVE_KEYS = ("train accuracy", "test accuracy", "train loss", "test loss")


def draw_dropout_curves(curves):
    """Accuracy and loss per epoch on the training and the test set, one colour per model.

    Args:
        curves: dict model label -> dict with the lists "train accuracy", "test accuracy"
            (fractions) and "train loss", "test loss", one entry per epoch.

    Returns:
        the matplotlib Figure.
    """
    if not isinstance(curves, dict) or not curves:
        raise TypeError(f"curves must be a non-empty dict label -> curves, got {describe(curves)}")
    for label, entry in curves.items():
        if not isinstance(entry, dict) or not all(key in entry for key in _CURVE_KEYS):
            raise ValueError(
                f"curves[{label!r}] must be a dict with the keys {list(_CURVE_KEYS)}, "
                f"got {describe(entry)}"
            )
    fig, (accuracy_ax, loss_ax) = style.new_figure(ncols=2, width=4.4, height=3.2)
    for colour, (label, entry) in enumerate(curves.items()):
        epochs = np.arange(1, len(entry["train accuracy"]) + 1)
        for split, line in (("train", "-"), ("test", "--")):
            accuracy_ax.plot(
                epochs,
                100 * np.asarray(entry[f"{split} accuracy"]),
                line,
                color=style.PALETTE[colour],
                label=f"{label}, {split}",
            )
            loss_ax.plot(
                epochs,
                entry[f"{split} loss"],
                line,
                color=style.PALETTE[colour],
                label=f"{label}, {split}",
            )
    accuracy_ax.set_title(
        "accuracy (solid: training set, dashed: test set)", fontsize=style.TITLE_FONTSIZE
    )
    loss_ax.set_title("loss, log scale", fontsize=style.TITLE_FONTSIZE)
    accuracy_ax.set_ylabel("accuracy (%)")
    loss_ax.set_ylabel("cross-entropy loss")
    loss_ax.set_yscale("log")
    for ax in (accuracy_ax, loss_ax):
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
    accuracy_ax.legend(fontsize=style.LEGEND_FONTSIZE, loc="lower right")
    return fig
