"""Slider explorer for a 1-input, 3-hidden-unit, 1-output network (notebook 01).

Each hidden unit j has three sliders: its bias w_0j^(1), its input weight w_1j^(1) and its
output weight w_j1^(2); one more slider sets the output bias w_01^(2). The plot shows the
output curve y(x) together with each unit's contribution w_j1^(2) h(a_j), so moving a slider
shows how one weight bends, shifts or scales one piece of the curve.
"""

import ipywidgets as widgets
import numpy as np

from lectureml._validate import as_float_array, check_choice, check_int
from lectureml.mlp import forward
from lectureml.plotting import style
from lectureml.plotting.network import draw_network
from lectureml.widgets import show_figure

N_HIDDEN = 3
# A bump: unit 1 switches on at x = -0.5, unit 2 at x = +0.5 and is subtracted, unit 3 idles.
DEFAULT_W1 = np.array([[2.0, -2.0, 0.0], [4.0, 4.0, 1.0]])
DEFAULT_W2 = np.array([[0.0], [1.0], [-1.0], [0.0]])
WEIGHT_RANGE = 6.0
# The lecture's activation functions that make sense for hidden units.
EXPLORER_ACTIVATIONS = ("sigmoid", "tanh", "relu", "step", "identity")


def explorer_curves(W1, W2, x, hidden="sigmoid"):
    """Output curve and per-unit contributions of a 1-input, 1-output network.

    Args:
        W1: weights of shape (2, M): row 0 the hidden biases w_0j, row 1 the input weights w_1j.
        W2: weights of shape (M + 1, 1): row 0 the output bias, rows 1..M the w_j1.
        x: input values, shape (N,).
        hidden: name of the hidden activation h, as in `lectureml.mlp.forward`.

    Returns:
        (y, contributions): y of shape (N,) (identity output), contributions of shape (N, M)
        with column j equal to w_j1 h(a_j); y = w_01 + contributions.sum(axis=1).
    """
    x = as_float_array(x, "x", ndim=1, layout="(N,)")
    W1 = as_float_array(W1, "W1", ndim=2, layout="(2, M)")
    if W1.shape[0] != 2:
        raise ValueError(
            f"W1 must have shape (2, M) for a network with one input, got shape {W1.shape}"
        )
    result = forward(x[:, None], W1, W2, hidden=hidden, output="identity")
    contributions = result.z * as_float_array(W2, "W2", ndim=2)[1:, 0]
    return result.y[:, 0], contributions


def _weights_from(sliders):
    """(W1, W2) in the lecture's layout from the current slider values."""
    W1 = np.array(
        [
            [sliders[f"w0{j}"].value for j in range(1, N_HIDDEN + 1)],
            [sliders[f"w1{j}"].value for j in range(1, N_HIDDEN + 1)],
        ]
    )
    W2 = np.array(
        [[sliders["v0"].value]] + [[sliders[f"v{j}"].value] for j in range(1, N_HIDDEN + 1)]
    )
    return W1, W2


def _draw(W1, W2, hidden, x):
    """Curve panel and wiring diagram for the current weights."""
    y, contributions = explorer_curves(W1, W2, x, hidden)
    fig, (curve_ax, net_ax) = style.new_figure(ncols=2, width=4.4, height=3.1)
    for j in range(N_HIDDEN):
        curve_ax.plot(
            x,
            contributions[:, j],
            "--",
            color=style.PALETTE[j + 1],
            linewidth=1.2,
            label=f"$w^{{(2)}}_{{{j + 1}1}}\\,h(a_{{{j + 1}}})$",
        )
    curve_ax.plot(x, y, color=style.PALETTE[0], linewidth=2.5, label="output $y$")
    curve_ax.axhline(0, color="gray", linewidth=0.5)
    curve_ax.set_xlabel("input $x_1$")
    curve_ax.set_ylim(-WEIGHT_RANGE / 2, WEIGHT_RANGE / 2)
    curve_ax.legend(fontsize=7, loc="upper left")
    curve_ax.set_title(f"h = {hidden}, identity output", fontsize=10)
    draw_network([W1, W2], ax=net_ax, show_values=True, colorbar=False, max_linewidth=4.0)
    return fig


def weight_explorer(hidden="sigmoid", resolution=301):
    """Sliders for the weights of a 1-3-1 network and its output curve, redrawn on every move.

    Args:
        hidden: initial hidden activation, one of EXPLORER_ACTIVATIONS.
        resolution: number of x values in [-3, 3] the curve is drawn at.

    Returns:
        an ipywidgets VBox to display (the last expression of a notebook cell).
    """
    check_choice(hidden, "hidden", EXPLORER_ACTIVATIONS)
    resolution = check_int(resolution, "resolution", minimum=2)
    x = np.linspace(-3.0, 3.0, resolution)

    def slider(description, value):
        return widgets.FloatSlider(
            value=value,
            min=-WEIGHT_RANGE,
            max=WEIGHT_RANGE,
            step=0.1,
            description=description,
            continuous_update=True,
            readout_format=".1f",
            layout=widgets.Layout(width="260px"),
        )

    sliders = {}
    columns = []
    for j in range(1, N_HIDDEN + 1):
        sliders[f"w0{j}"] = slider(f"w⁽¹⁾₀{j} bias", DEFAULT_W1[0, j - 1])
        sliders[f"w1{j}"] = slider(f"w⁽¹⁾₁{j} in", DEFAULT_W1[1, j - 1])
        sliders[f"v{j}"] = slider(f"w⁽²⁾{j}₁ out", DEFAULT_W2[j, 0])
        columns.append(
            widgets.VBox(
                [widgets.HTML(f"<b>hidden unit {j}</b>")]
                + [sliders[key] for key in (f"w0{j}", f"w1{j}", f"v{j}")]
            )
        )
    sliders["v0"] = slider("w⁽²⁾₀₁ bias", DEFAULT_W2[0, 0])
    activation = widgets.Dropdown(
        options=list(EXPLORER_ACTIVATIONS),
        value=hidden,
        description="h",
        layout=widgets.Layout(width="200px"),
    )
    reset = widgets.Button(description="reset to the bump")
    output = widgets.Output()

    resetting = {"now": False}

    def redraw(_change=None):
        if resetting["now"]:
            return
        W1, W2 = _weights_from(sliders)
        fig = _draw(W1, W2, activation.value, x)
        show_figure(output, fig)

    def restore(_button):
        # Draw once after every slider is back, not once per slider.
        resetting["now"] = True
        for j in range(1, N_HIDDEN + 1):
            sliders[f"w0{j}"].value = DEFAULT_W1[0, j - 1]
            sliders[f"w1{j}"].value = DEFAULT_W1[1, j - 1]
            sliders[f"v{j}"].value = DEFAULT_W2[j, 0]
        sliders["v0"].value = DEFAULT_W2[0, 0]
        resetting["now"] = False
        redraw()

    for control in [*sliders.values(), activation]:
        control.observe(redraw, names="value")
    reset.on_click(restore)
    redraw()
    return widgets.VBox(
        [
            widgets.HBox(columns),
            widgets.HBox([sliders["v0"], activation, reset]),
            output,
        ]
    )
