"""Dropout-rate explorer for a small two-input network (notebook 07).

A slider sets the drop probability p, another picks one of several random masks. Each draw
fixes one uniform number u_j per hidden unit and drops unit j when u_j < p, so raising p
drops more and more units of the same draw. The figure shows the thinned network, its
decision boundary in the input plane next to the full network's, and what happens to the
prediction for one input: the full network, this thinned network, and the average of many
thinned networks at the same p.
"""

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from lectureml import layers
from lectureml._validate import as_float_array, check_int, check_probability, describe
from lectureml.plotting import style
from lectureml.plotting.dropout import draw_thinned_network
from lectureml.plotting.network import MAX_UNITS_DRAWN, input_plane
from lectureml.widgets import show_figure

ENSEMBLE_DRAWS = 200
MASK_DRAWS = 30
EXTENT = (-2.0, 3.0, -1.75, 2.25)


def small_network_parts(model):
    """(W1, b1, W2, b2, p) of Sequential(Dense(2, M), ReLU(), Dropout(p), Dense(M, K)).

    Raises a ValueError naming the expected and the given layers for any other model.
    """
    kinds = (layers.Dense, layers.ReLU, layers.Dropout, layers.Dense)
    given = (
        [type(layer).__name__ for layer in model] if isinstance(model, layers.Sequential) else []
    )
    if len(given) != len(kinds) or not all(
        isinstance(layer, kind) for layer, kind in zip(model, kinds, strict=True)
    ):
        raise ValueError(
            "model must be Sequential(Dense(2, M), ReLU(), Dropout(p), Dense(M, K)), "
            f"got {given or describe(model)}"
        )
    first, _, dropout_layer, second = model
    W1, b1 = first.params["W"], first.params["b"]
    W2, b2 = second.params["W"], second.params["b"]
    if W1.shape[0] != 2 or max(W1.shape[1], W2.shape[1]) > MAX_UNITS_DRAWN:
        raise ValueError(
            f"model must have 2 inputs and at most {MAX_UNITS_DRAWN} hidden and output units, "
            f"got a first layer of shape {W1.shape} and a second of shape {W2.shape}"
        )
    return W1, b1, W2, b2, dropout_layer.p


def thinned_probabilities(model, x, keep, p):
    """Class probabilities of the thinned network that keeps the hidden units `keep`.

    Kept units are scaled by 1 / (1 - p), as inverted dropout does while training; with
    every unit kept and p = 0 this is the full network at test time.

    Args:
        model: Sequential(Dense(2, M), ReLU(), Dropout(p), Dense(M, K)).
        x: inputs, shape (N, 2).
        keep: boolean array, shape (M,) for one mask or (S, M) for S masks.
        p: drop probability the kept units are rescaled for, 0 <= p < 1.

    Returns:
        softmax probabilities, shape (N, K) for one mask or (S, N, K) for S masks.
    """
    W1, b1, W2, b2, _ = small_network_parts(model)
    x = as_float_array(x, "x", ndim=2, layout="(N, 2)")
    if x.shape[1] != 2:
        raise ValueError(f"x must have shape (N, 2), got shape {x.shape}")
    keep = np.asarray(keep)
    if keep.dtype != np.bool_ or keep.ndim not in (1, 2) or keep.shape[-1] != W1.shape[1]:
        raise ValueError(
            f"keep must be a boolean array of shape ({W1.shape[1]},) or (S, {W1.shape[1]}), "
            f"got {describe(keep)}"
        )
    p = check_probability(p, "p")
    hidden = np.maximum(x @ W1 + b1, 0)
    scale = keep / (1 - p)
    # (N, M) hidden units times (..., 1, M) masks broadcast to (..., N, M).
    logits = (hidden * scale[..., None, :]) @ W2 + b2
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _keep_mask(seed, draw, p, hidden):
    uniforms = np.random.default_rng([seed, draw]).random(hidden)
    return uniforms >= p


def _draw(model, point, x_data, y_data, p, draw, seed, grid):
    W1, b1, W2, b2, _ = small_network_parts(model)
    hidden_units = W1.shape[1]
    keep = _keep_mask(seed, draw, p, hidden_units)
    ensemble_keeps = np.random.default_rng(seed).random((ENSEMBLE_DRAWS, hidden_units)) >= p
    full = thinned_probabilities(model, point[None], np.ones(hidden_units, bool), 0.0)[0, 1]
    thinned = thinned_probabilities(model, point[None], keep, p)[0]
    ensemble = thinned_probabilities(model, point[None], ensemble_keeps, p)[:, 0, 1].mean()
    hidden_values = np.maximum(point @ W1 + b1, 0) * keep / (1 - p)

    # The network needs the height (one row per hidden unit); the plane and the bars share it.
    fig = plt.figure(figsize=(11.0, 0.45 * hidden_units + 1.2), layout="constrained")
    grid_spec = fig.add_gridspec(2, 2, width_ratios=(1.0, 1.4), height_ratios=(1.6, 1.0))
    net_ax = fig.add_subplot(grid_spec[:, 0])
    plane_ax = fig.add_subplot(grid_spec[0, 1])
    bar_ax = fig.add_subplot(grid_spec[1, 1])
    draw_thinned_network(
        W1,
        b1,
        W2,
        b2,
        keep,
        ax=net_ax,
        node_values=[point, hidden_values, thinned],
        title=f"{int(np.sum(~keep))} of {hidden_units} hidden units dropped",
        colorbar=True,
    )
    side = int(np.sqrt(len(grid)))
    for probabilities, line, label in (
        (thinned_probabilities(model, grid, np.ones(hidden_units, bool), 0.0), "--", "full"),
        (thinned_probabilities(model, grid, keep, p), "-", "thinned"),
    ):
        plane_ax.contour(
            grid[:, 0].reshape(side, side),
            grid[:, 1].reshape(side, side),
            probabilities[:, 1].reshape(side, side),
            levels=[0.5],
            colors="black",
            linestyles=line,
        )
        plane_ax.plot([], [], line, color="black", label=f"{label} network: $P = 0.5$")
    colours = [style.PALETTE[int(label)] for label in y_data]
    plane_ax.scatter(x_data[:, 0], x_data[:, 1], s=8, c=colours, alpha=0.5)
    plane_ax.scatter(*point, s=160, marker="*", color=style.PALETTE[3], edgecolor="black", zorder=3)
    plane_ax.set_xlim(EXTENT[0], EXTENT[1])
    plane_ax.set_ylim(EXTENT[2], EXTENT[3])
    plane_ax.set_title("decision boundary", fontsize=10)
    plane_ax.legend(fontsize=7, loc="lower left")

    labels = [
        "full network",
        "this thinned\nnetwork",
        f"mean of {ENSEMBLE_DRAWS}\nthinned networks",
    ]
    values = [full, thinned[1], ensemble]
    bar_ax.barh(labels, values, color=[style.PALETTE[0], style.PALETTE[3], style.PALETTE[2]])
    for row, value in enumerate(values):
        bar_ax.text(min(value + 0.02, 0.8), row, f"{value:.2f}", va="center")
    bar_ax.axvline(0.5, color="gray", linestyle=":")
    bar_ax.set_xlim(0, 1)
    bar_ax.invert_yaxis()
    bar_ax.set_title("P(class 1) at the star", fontsize=10)
    return fig


def dropout_explorer(model, point, x_data, y_data, seed=0):
    """Sliders for the drop probability and the mask, redrawn on every move.

    Args:
        model: Sequential(Dense(2, M), ReLU(), Dropout(p), Dense(M, 2)), e.g. trained.
        point: the input whose prediction is followed, shape (2,).
        x_data, y_data: points (N, 2) and their 0/1 labels (N,) drawn in the plane.
        seed: int >= 0 seeding the masks, so the same slider positions show the same masks.

    Returns:
        an ipywidgets VBox to display (the last expression of a notebook cell).
    """
    _, _, W2, _, p_trained = small_network_parts(model)
    if W2.shape[1] != 2:
        raise ValueError(f"model must have 2 outputs (two classes), got {W2.shape[1]}")
    point = as_float_array(point, "point", ndim=1, layout="(2,)")
    if point.shape != (2,):
        raise ValueError(f"point must have shape (2,), got shape {point.shape}")
    x_data = as_float_array(x_data, "x_data", ndim=2, layout="(N, 2)")
    y_data = np.asarray(y_data)
    if x_data.shape[1] != 2 or y_data.shape != (len(x_data),) or not np.isin(y_data, (0, 1)).all():
        raise ValueError(
            f"x_data and y_data must have shapes (N, 2) and (N,) with labels 0 or 1, got "
            f"{describe(x_data)} and {describe(y_data)}"
        )
    seed = check_int(seed, "seed", minimum=0)
    grid = input_plane(EXTENT, resolution=81)

    rate = widgets.FloatSlider(
        value=p_trained,
        min=0.0,
        max=0.9,
        step=0.05,
        description="drop p",
        readout_format=".2f",
        continuous_update=True,
    )
    draw = widgets.IntSlider(
        value=0, min=0, max=MASK_DRAWS - 1, description="mask draw", continuous_update=True
    )
    output = widgets.Output()

    def redraw(_change=None):
        fig = _draw(model, point, x_data, y_data, rate.value, draw.value, seed, grid)
        show_figure(output, fig)

    for control in (rate, draw):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox([rate, draw]), output])
