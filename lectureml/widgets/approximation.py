"""Sliders for notebook 03: the bump construction, and deep against shallow ReLU networks.

`bump_explorer` sets the number of hidden units M and their steepness s of the bump
construction and redraws the target, the M+1 bumps, their sum and the largest error.
`sawtooth_explorer` sets the depth L of the composed tent map and the width M of a shallow
ReLU network fitted to it, and reports both networks' pieces, parameters and error.
"""

import ipywidgets as widgets
import numpy as np

from lectureml import approximation
from lectureml._validate import check_choice, check_int, check_positive_number
from lectureml.mlp import forward
from lectureml.plotting import approximation as figures
from lectureml.plotting import style
from lectureml.widgets import show_figure

MAX_UNITS = 40
MAX_DEPTH = 7
MAX_SHALLOW_UNITS = 128
# A corner each target leaves empty on [-1, 1].
LEGEND_PLACES = {"sin": "upper left", "abs": "lower left", "step": "upper left"}


def bump_explorer(target="sin", M=8, steepness=40.0, resolution=801):
    """Sliders for M and the steepness s of the bump construction of a target on [-1, 1].

    Args:
        target: initial target, a name in `lectureml.approximation.TARGETS`.
        M: initial number of hidden units, 1..MAX_UNITS.
        steepness: initial input weight s of every unit, between 1 and 1000.
        resolution: number of x values the curves and the max error are computed on.

    Returns:
        an ipywidgets VBox to display (the last expression of a notebook cell).
    """
    check_choice(target, "target", sorted(approximation.TARGETS))
    M = check_int(M, "M", minimum=1, maximum=MAX_UNITS)
    steepness = check_positive_number(steepness, "steepness")
    if not 1 <= steepness <= 1000:
        raise ValueError(f"steepness must be between 1 and 1000, got {steepness}")
    resolution = check_int(resolution, "resolution", minimum=2)
    x = np.linspace(*approximation.INTERVAL, resolution)

    target_menu = widgets.Dropdown(
        options=sorted(approximation.TARGETS), value=target, description="target"
    )
    units = widgets.IntSlider(
        value=M, min=1, max=MAX_UNITS, description="M units", continuous_update=True
    )
    steep = widgets.FloatLogSlider(
        value=steepness,
        base=10,
        min=0,
        max=3,
        step=0.05,
        description="steepness s",
        readout_format=".3g",
        continuous_update=True,
    )
    show_bumps = widgets.Checkbox(value=True, description="show the bumps")
    output = widgets.Output()

    def redraw(_change=None):
        name, m, s = target_menu.value, units.value, steep.value
        W1, W2 = approximation.bump_construction(name, m, s)
        y = forward(x[:, None], W1, W2, hidden="sigmoid").y[:, 0]
        f = approximation.TARGETS[name](x)
        terms = (
            approximation.bump_terms(x, name, m, s) if show_bumps.value else np.zeros((x.size, 0))
        )
        knots, _ = approximation.construction_knots(m)
        error = approximation.sup_error(y, f)
        title = f"M = {m} units, M+1 = {m + 1} bumps, s = {s:.3g}:  max |y - f| = {error:.3f}"
        fig = figures.draw_bump_sum(
            x, f, terms, y, knots=knots, title=title, legend_loc=LEGEND_PLACES[name]
        )
        show_figure(output, fig)

    for control in (target_menu, units, steep, show_bumps):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox(
        [widgets.HBox([target_menu, show_bumps]), widgets.HBox([units, steep]), output]
    )


def sawtooth_explorer(L=3, M=4, resolution=2049):
    """Sliders for the depth L of the sawtooth and the width M of a shallow ReLU fit to it.

    Args:
        L: initial number of composed tent maps, 1..MAX_DEPTH.
        M: initial number of hidden units of the shallow network, 1..MAX_SHALLOW_UNITS.
        resolution: number of x values in [0, 1] the fit and the error use.

    Returns:
        an ipywidgets VBox to display.
    """
    L = check_int(L, "L", minimum=1, maximum=MAX_DEPTH)
    M = check_int(M, "M", minimum=1, maximum=MAX_SHALLOW_UNITS)
    resolution = check_int(resolution, "resolution", minimum=2)
    x = np.linspace(0.0, 1.0, resolution)

    depth = widgets.IntSlider(value=L, min=1, max=MAX_DEPTH, description="depth L")
    width = widgets.IntSlider(value=M, min=1, max=MAX_SHALLOW_UNITS, description="shallow M")
    output = widgets.Output()

    def redraw(_change=None):
        deep = approximation.sawtooth_network(depth.value)
        target = approximation.relu_network_forward(x, deep)
        shallow = approximation.shallow_relu_fit(x, target, width.value, (0.0, 1.0))
        fitted = approximation.relu_network_forward(x, shallow)
        deep_label = (
            f"deep: {approximation.parameter_count(deep)} parameters, "
            f"{approximation.count_linear_pieces(deep, (0.0, 1.0))} pieces"
        )
        shallow_label = (
            f"shallow: {approximation.parameter_count(shallow)} parameters, "
            f"{approximation.count_linear_pieces(shallow, (0.0, 1.0))} pieces"
        )
        fig, ax = style.new_figure(width=6.5, height=3.0)
        ax.plot(x, target, color=style.PALETTE[0], linewidth=1.5, label=deep_label)
        ax.plot(x, fitted, color=style.PALETTE[1], linewidth=1.5, label=shallow_label)
        ax.set_ylim(-0.3, 1.5)
        ax.set_xlabel("$x$")
        ax.legend(fontsize=8, loc="upper right")
        rms = approximation.rms_error(fitted, target)
        ax.set_title(
            f"best shallow fit with M = {width.value} units: RMS error {rms:.3f}", fontsize=10
        )
        show_figure(output, fig)

    for control in (depth, width):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox([depth, width]), output])
