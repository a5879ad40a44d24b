"""Figures of notebooks 03 and 06: what a student must be able to read off them."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
from matplotlib.colors import to_rgba

from lectureml import approximation
from lectureml.plotting import activations as activation_figures
from lectureml.plotting import approximation as approximation_figures
from lectureml.plotting.style import LEGEND_FONTSIZE, TITLE_FONTSIZE

M_VALUES = [2, 4, 8, 16, 32]
# Notebook 03's measured errors (seed 15): the sin(pi x) sup errors and the step's L2 errors.
SIN_SUP = {
    "construction": [1.0, 0.3414, 0.1494, 0.0721, 0.0357],
    "output layer only": [1.0567, 0.6620, 0.5698, 0.2996, 0.2714],
    "trained": [0.0316, 0.0970, 0.0174, 0.0127, 0.0962],
}
STEP_L2 = {
    "construction": [0.33, 0.22, 0.16, 0.11, 0.078],
    "output layer only": [0.25, 0.17, 0.12, 0.11, 0.053],
    "trained": [0.08, 0.14, 0.054, 0.059, 0.039],
}
STEP_SUP = {name: [0.5, 0.5, 0.5, 0.5, 0.51] for name in SIN_SUP}


def _line(ax, label):
    (line,) = [line for line in ax.get_lines() if line.get_label() == label]
    return line


def _legend_texts(legend):
    return [text.get_text() for text in legend.get_texts()]


def _tick_labels(axis):
    """{tick value: label} of the ticks inside the view, after a draw."""
    low, high = sorted(axis.get_view_interval())
    return {
        float(tick.get_loc()): tick.label1.get_text()
        for tick in axis.get_major_ticks()
        if low <= tick.get_loc() <= high and tick.label1.get_text()
    }


def _notebook_error_figure():
    return approximation_figures.draw_error_curves(
        M_VALUES,
        [
            {"title": "sin", "ylabel": "max", "curves": SIN_SUP, "reference": -1},
            {"title": "step", "ylabel": "max", "curves": STEP_SUP, "floor": 0.5, "ylim": (0, 1)},
            {"title": "step L2", "ylabel": "RMS", "curves": STEP_L2, "reference": -0.5},
        ],
    )


# --- notebook 03 -------------------------------------------------------------------------------


def test_step_to_bump_keeps_both_steps_visible_over_the_bump():
    fig = approximation_figures.draw_step_to_bump()
    ax = fig.axes[1]
    bump = _line(ax, "difference: a bump")
    first = _line(ax, "up-step at c - w/2")
    second = _line(ax, "up-step at c + w/2")
    # The first step coincides with the bump's top and with the second step right of c + w/2:
    # it must be drawn last, and the second step wider than it so both show where they meet.
    assert bump.get_zorder() < second.get_zorder() < first.get_zorder()
    assert second.get_linewidth() > first.get_linewidth()
    assert _legend_texts(ax.get_legend())[:2] == ["up-step at c - w/2", "up-step at c + w/2"]


def test_bump_sum_marks_the_bumps_of_height_zero():
    M, steepness = 8, 40.0
    x = np.linspace(-1, 1, 2001)
    terms = approximation.bump_terms(x, "sin", M, steepness)
    knots, _ = approximation.construction_knots(M)
    fig = approximation_figures.draw_bump_sum(
        x, np.sin(np.pi * x), terms, terms.sum(axis=1), knots=knots, title="9 bumps"
    )
    ax = fig.axes[0]
    texts = _legend_texts(ax.get_legend())
    (zero_label,) = [text for text in texts if "height 0" in text]
    assert "3 of 9" in zero_label
    np.testing.assert_allclose(_line(ax, zero_label).get_xdata(), [-1.0, 0.0, 1.0], atol=1e-12)
    assert ax.get_ylabel()
    assert ax.title.get_fontsize() == TITLE_FONTSIZE
    # With the bumps hidden (the explorer's checkbox) there is nothing to mark.
    fig = approximation_figures.draw_bump_sum(x, x, np.zeros((x.size, 0)), x, knots=knots)
    assert not any("height 0" in text for text in _legend_texts(fig.axes[0].get_legend()))


def test_error_curves_legend_covers_no_measured_point():
    fig = _notebook_error_figure()
    fig.canvas.draw()
    legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend()]
    for ax in fig.axes[:3]:
        for line in ax.get_lines():
            if line.get_marker() != "o":
                continue
            points = ax.transData.transform(np.column_stack(line.get_data()))
            for legend in legends:
                box = legend.get_window_extent()
                assert not any(box.contains(px, py) for px, py in points), line.get_label()


def test_error_curves_label_log_axes_at_one_two_five():
    fig = _notebook_error_figure()
    fig.canvas.draw()
    sin_labels = _tick_labels(fig.axes[0].yaxis)
    # The trained network reaches 0.0127: 0.01 and 0.02 must be labelled around it.
    assert {0.01: "0.01", 0.02: "0.02"}.items() <= sin_labels.items()
    lowest = min(min(values) for values in SIN_SUP.values())
    assert min(sin_labels) < lowest
    # The step's L2 errors span 0.039 to 0.33: several labels, not a single 10^-1.
    assert len(_tick_labels(fig.axes[2].yaxis)) >= 4
    # Over more than three decades 1-2-5 labels would crowd: matplotlib's decades stay.
    fig = approximation_figures.draw_error_curves(
        [1, 10], [{"title": "t", "ylabel": "e", "curves": {"a": [1e-5, 10.0]}}], ncols=1
    )
    fig.canvas.draw()
    labels = _tick_labels(fig.axes[0].yaxis)
    assert len(labels) >= 3
    assert all(np.isclose(np.log10(value), round(np.log10(value))) for value in labels)


def test_error_curves_floor_is_black_dashed_unlike_every_curve():
    fig = _notebook_error_figure()
    ax = fig.axes[1]
    floor = _line(ax, "floor 0.5")
    assert to_rgba(floor.get_color()) == to_rgba("black")
    assert floor.get_linestyle() == "--"
    curve_colours = {to_rgba(_line(ax, label).get_color()) for label in STEP_SUP}
    assert to_rgba(floor.get_color()) not in curve_colours
    (legend,) = fig.legends
    assert "floor 0.5" in _legend_texts(legend)
    assert {text.get_fontsize() for text in legend.get_texts()} == {LEGEND_FONTSIZE}


def test_fit_panels_take_display_titles_and_a_y_label():
    x = np.linspace(-1, 1, 21)
    targets = {"sin": np.sin(np.pi * x), "abs": np.abs(x)}
    fits = {name: {"construction": values} for name, values in targets.items()}
    fig = approximation_figures.draw_fit_panels(
        x, targets, fits, panel_titles={"sin": "sin(pi x)", "abs": "|x|"}
    )
    assert [ax.get_title() for ax in fig.axes] == ["sin(pi x)", "|x|"]
    assert fig.axes[0].get_ylabel()
    assert fig.axes[0].title.get_fontsize() == TITLE_FONTSIZE


def test_fits_legend_uses_the_shared_size():
    x = np.linspace(-1, 1, 5)
    fig = approximation_figures.draw_fits(x, x, {"fit": x})
    sizes = {text.get_fontsize() for text in fig.axes[0].get_legend().get_texts()}
    assert sizes == {LEGEND_FONTSIZE}


def test_sawtooths_explain_the_kink_marks():
    x = np.linspace(0, 1, 65)
    nets = {L: approximation.sawtooth_network(L) for L in (1, 2)}
    fig = approximation_figures.draw_sawtooths(
        x,
        {L: approximation.relu_network_forward(x, net) for L, net in nets.items()},
        {L: approximation.kinks(net, (0.0, 1.0)) for L, net in nets.items()},
    )
    (legend,) = fig.legends
    assert any("kink" in text for text in _legend_texts(legend))


# --- notebook 06 -------------------------------------------------------------------------------

NORMS = {"relu": [1.2, 0.9, 0.8], "tanh": [0.9, 0.5, 0.3], "logistic": [2e-6, 1e-3, 1.6]}
ERRORS = {
    "relu": np.array([0.22, 0.12, 0.093, 0.055, 0.049, 0.049, 0.023, 0.016]),
    "tanh": np.array([0.13, 0.085, 0.065, 0.03, 0.016]),
    "logistic": np.array([0.9, 0.9, 0.88, 0.7, 0.5, 0.21]),
}


def test_gradient_norms_name_the_error_e_and_write_relu():
    fig = activation_figures.draw_gradient_norms(NORMS, title="t")
    ax = fig.axes[0]
    assert "\\partial E" in ax.get_ylabel()
    assert "\\partial L" not in ax.get_ylabel()
    assert _legend_texts(ax.get_legend()) == ["ReLU", "tanh", "logistic"]
    assert ax.title.get_fontsize() == TITLE_FONTSIZE


def test_gradient_norms_highlight_still_uses_the_data_label():
    fig = activation_figures.draw_gradient_norms(NORMS, highlight="relu")
    ax = fig.axes[0]
    assert _line(ax, "ReLU").get_linewidth() > _line(ax, "tanh").get_linewidth()


def test_error_curves_label_the_target_and_the_band_above_it():
    fig = activation_figures.draw_error_curves(ERRORS, 0.02, max_epochs=30)
    fig.canvas.draw()
    ax = fig.axes[0]
    labels = _tick_labels(ax.yaxis)
    for value in (2.0, 5.0, 10.0, 20.0, 50.0):
        assert labels.get(value) == f"{value:g}"
    assert not any(tick.label1.get_text() for tick in ax.yaxis.get_minor_ticks())
    texts = _legend_texts(ax.get_legend())
    assert texts[:3] == ["ReLU", "tanh", "logistic"]
    assert "2%" in texts[3]


def test_layer_fractions_write_zero_above_empty_bars():
    fractions = {"ReLU trained": np.array([0.68, 0.7]), "tanh trained": np.zeros(2)}
    fig = activation_figures.draw_layer_fractions(fractions, ylabel="zeros (%)", title="t")
    ax = fig.axes[0]
    zero_bars = [patch for patch in ax.patches if patch.get_height() == 0]
    assert len(zero_bars) == 2
    zero_texts = [text for text in ax.texts if text.get_text() == "0"]
    assert len(zero_texts) == 2
    for bar in zero_bars:
        centre = bar.get_x() + bar.get_width() / 2
        (text,) = [text for text in zero_texts if np.isclose(text.get_position()[0], centre)]
        assert text.get_position()[1] > 0
    # Visible bars get no number: the axis already gives their height.
    assert len(ax.texts) == 2


def test_activation_histograms_title_relu_as_the_prose_does():
    layers = [np.array([0.0, 0.5, 1.0])]
    fig = activation_figures.draw_activation_histograms({"relu": layers, "tanh": layers})
    assert [ax.get_title() for ax in fig.axes] == ["ReLU", "tanh"]
