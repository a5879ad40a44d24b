"""Explorer of gradient flow through deep networks of ReLU, tanh or logistic units (notebook 06).

Choose the hidden units, the number of hidden layers and a factor on the initial weights; the
network is rebuilt at initialisation (always from the same seed) and one batch of data is
pushed through it. The left panel shows ||dL/dW|| per layer for the chosen units, with the two
other kinds of unit faint for comparison; the right panel the activation histograms of every
hidden layer.
"""

import ipywidgets as widgets
import numpy as np

from lectureml import diagnostics
from lectureml._validate import as_float_array, check_int
from lectureml.plotting.activations import (
    display_name,
    draw_activation_ridges,
    draw_gradient_norms,
)
from lectureml.plotting.style import PALETTE, new_figure
from lectureml.widgets import show_figure

MAX_DEPTH = 12
KINDS = tuple(diagnostics.ACTIVATION_LAYERS)


def gradient_flow(x, labels, activation, depth, width=64, weight_scale=1.0, seed=0):
    """Per-layer gradient norms and hidden activations of a fresh deep network.

    Args:
        x: a batch of flattened inputs, shape (N, D).
        labels: integer labels of the batch, shape (N,), entries in 0..9.
        activation: "relu", "tanh" or "logistic".
        depth: number of hidden layers, int >= 1.
        width: units per hidden layer.
        weight_scale: factor on the recommended initial weights.
        seed: seed of the weights (the same seed gives the same draws for every activation).

    Returns:
        (norms, layer_values): ||dL/dW|| per layer with weights, shape (depth + 1,), and a
        list of `depth` arrays of shape (N, width), the activations of each hidden layer.
    """
    x = as_float_array(x, "x", ndim=2, layout="(N, D)")
    model = diagnostics.deep_mlp(
        activation,
        depth,
        width,
        np.random.default_rng(check_int(seed, "seed", minimum=0)),
        in_features=x.shape[1],
        weight_scale=weight_scale,
    )
    norms = diagnostics.layer_gradient_norms(model, x, labels)
    layer_values = [layer.out for layer in diagnostics.hidden_layers(model, x)]
    return norms, layer_values


def gradient_flow_explorer(x, labels, activation="relu", depth=8, width=64, seed=0):
    """Dropdown for the units, sliders for the depth and the weight scale; redraws on change.

    Args:
        x: a batch of flattened inputs, shape (N, D); 256 digits keep it responsive.
        labels: their integer labels, shape (N,).
        activation: initial unit, one of KINDS.
        depth: initial number of hidden layers, 1..MAX_DEPTH.
        width: units per hidden layer.
        seed: seed of the weights.

    Returns:
        an ipywidgets VBox to display (the last expression of a notebook cell).
    """
    # One call validates x, labels, activation, width and seed before any widget exists.
    gradient_flow(x, labels, activation, 1, width, 1.0, seed)
    depth = check_int(depth, "depth", minimum=1, maximum=MAX_DEPTH)
    kind = widgets.Dropdown(options=list(KINDS), value=activation, description="units")
    layers = widgets.IntSlider(
        value=depth, min=1, max=MAX_DEPTH, description="hidden layers", continuous_update=False
    )
    scale = widgets.FloatLogSlider(
        value=1.0,
        base=2,
        min=-1,
        max=1.5,
        step=0.25,
        description="weight scale",
        readout_format=".2f",
        continuous_update=False,
    )
    verdict = widgets.HTML()
    output = widgets.Output()

    def redraw(_change=None):
        results = {
            name: gradient_flow(x, labels, name, layers.value, width, scale.value, seed)
            for name in KINDS
        }
        norms = results[kind.value][0]
        verdict.value = (
            f"<b>{kind.value}</b>: gradient norm {norms[0]:.2g} at layer 1 and "
            f"{norms[-1]:.2g} at the output layer, ratio <b>{norms[0] / norms[-1]:.2g}</b>"
        )
        fig, (norm_ax, ridge_ax) = new_figure(ncols=2, width=4.4, height=3.6)
        draw_gradient_norms(
            {name: result[0] for name, result in results.items()},
            ax=norm_ax,
            highlight=kind.value,
            title="gradient norm per layer at initialisation",
        )
        draw_activation_ridges(
            results[kind.value][1],
            ax=ridge_ax,
            title=f"{display_name(kind.value)} activations",
            colour=PALETTE[KINDS.index(kind.value)],
        )
        show_figure(output, fig)

    for control in (kind, layers, scale):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox([kind, layers, scale]), verdict, output])
