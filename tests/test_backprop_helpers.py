"""Computational helpers behind the pictures and the SGD stepper of notebook 02."""

import itertools

import matplotlib

matplotlib.use("Agg")

import colorsys

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import QuadMesh
from matplotlib.colors import to_rgb

from lectureml import mlp
from lectureml.plotting import style
from lectureml.plotting.backprop import (
    draw_backward_pass,
    draw_fits,
    draw_forward_pass,
    draw_loss_curves,
    draw_message_passing,
    run_style,
)
from lectureml.plotting.network import EDGE_CMAP, EDGE_MAX_LIGHTNESS, MIN_EDGE_LINEWIDTH
from lectureml.widgets.backprop import sgd_step_explorer, sgd_trajectory


@pytest.fixture
def tiny_problem():
    rng = np.random.default_rng(7)
    X = rng.uniform(-1, 1, size=(5, 1))
    t = np.abs(X)
    W1, W2 = mlp.init_weights(1, 2, 1, rng)
    return X, t, W1, W2


def test_sgd_trajectory_steps_downhill_on_the_chosen_example(tiny_problem):
    X, t, W1, W2 = tiny_problem
    order = np.array([3, 0, 3, 4])
    steps = sgd_trajectory(X, t, W1, W2, 0.1, order)
    assert [s.example for s in steps] == [3, 0, 3, 4]
    first = steps[0]
    grads = mlp.backward(X[3:4], t[3:4], W1, W2)
    np.testing.assert_allclose(first.W1_next, W1 - 0.1 * grads.dW1, rtol=1e-12)
    np.testing.assert_allclose(first.W2_next, W2 - 0.1 * grads.dW2, rtol=1e-12)
    assert pytest.approx(grads.E) == first.grads.E
    # A small step along -gradient lowers the error of the example it was computed on.
    assert all(s.error_example_after < s.grads.E for s in steps)
    assert first.error_before == pytest.approx(mlp.backward(X, t, W1, W2).E)


def test_sgd_trajectory_chains_steps_and_leaves_inputs_alone(tiny_problem):
    X, t, W1, W2 = tiny_problem
    W1_start, W2_start = W1.copy(), W2.copy()
    steps = sgd_trajectory(X, t, W1, W2, 0.5, np.arange(5))
    for previous, current in itertools.pairwise(steps):
        np.testing.assert_array_equal(current.W1, previous.W1_next)
        np.testing.assert_array_equal(current.W2, previous.W2_next)
        assert current.error_before == previous.error_after
    last = steps[-1]
    assert last.error_after == pytest.approx(
        mlp.backward(X, t, last.W1_next, last.W2_next).E, rel=1e-12
    )
    np.testing.assert_array_equal(W1, W1_start)
    np.testing.assert_array_equal(W2, W2_start)


def test_sgd_trajectory_rejects_bad_arguments(tiny_problem):
    X, t, W1, W2 = tiny_problem
    with pytest.raises(ValueError, match=r"learning_rate must be a finite number > 0, got -0.1"):
        sgd_trajectory(X, t, W1, W2, -0.1, [0])
    with pytest.raises(ValueError, match=r"order must hold example indices in 0\.\.4.*got values"):
        sgd_trajectory(X, t, W1, W2, 0.1, np.array([0, 5]))
    with pytest.raises(TypeError, match=r"order must be a 1-D integer array.*dtype float64"):
        sgd_trajectory(X, t, W1, W2, 0.1, np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"t must have shape \(N, K\) = \(5, 1\).*got \(5, 2\)"):
        sgd_trajectory(X, np.zeros((5, 2)), W1, W2, 0.1, [0])


def test_sgd_step_explorer_rejects_bad_arguments(tiny_problem):
    X, t, W1, W2 = tiny_problem
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"X and t must both have shape \(N, 1\).*\(5, 2\)"):
        sgd_step_explorer(np.zeros((5, 2)), t, W1, W2, rng)
    with pytest.raises(TypeError, match=r"rng must be a numpy.random.Generator.*got int 0"):
        sgd_step_explorer(X, t, W1, W2, 0)
    with pytest.raises(ValueError, match=r"learning_rates entry must be a finite number > 0"):
        sgd_step_explorer(X, t, W1, W2, rng, learning_rates=(0.1, 0.0))


def test_draw_backward_pass_checks_one_example(tiny_problem):
    _, _, W1, W2 = tiny_problem
    with pytest.raises(ValueError, match=r"x must have 1 dimensions \(D,\).*shape \(1, 1\)"):
        draw_backward_pass(np.zeros((1, 1)), np.zeros(1), W1, W2)
    with pytest.raises(ValueError, match=r"W1 must have D\+1 = 3 rows.*got shape \(2, 2\)"):
        draw_backward_pass(np.zeros(2), np.zeros(1), W1, W2)
    with pytest.raises(ValueError, match=r"t must have shape \(K,\) = \(1,\).*got shape \(2,\)"):
        draw_backward_pass(np.zeros(1), np.zeros(2), W1, W2)
    with pytest.raises(ValueError, match=r"learning_rate must be a finite number > 0, got 0"):
        draw_backward_pass(np.zeros(1), np.zeros(1), W1, W2, learning_rate=0)
    fig = draw_backward_pass(np.array([0.5]), np.array([1.0]), W1, W2, learning_rate=0.1)
    plt.close(fig)


def test_draw_forward_pass_and_message_passing_check_shapes(tiny_problem):
    _, _, W1, W2 = tiny_problem
    with pytest.raises(TypeError, match=r"x must be a numpy array of shape \(D,\), got list"):
        draw_forward_pass([0.5], np.zeros(1), W1, W2)
    with pytest.raises(ValueError, match=r"t must have shape \(K,\) = \(1,\).*got shape \(3,\)"):
        draw_message_passing(np.zeros(1), np.zeros(3), W1, W2)
    with pytest.raises(ValueError, match=r"hidden must be one of .*got str 'cosh'"):
        draw_message_passing(np.zeros(1), np.zeros(1), W1, W2, hidden="cosh")


def test_draw_loss_curves_and_fits_reject_mismatched_lists():
    with pytest.raises(ValueError, match=r"labels must be a list of 2 strings.*length 1"):
        draw_loss_curves([np.ones(3), np.ones(4)], labels=["a"])
    with pytest.raises(TypeError, match=r"curves must be a non-empty list.*list of length 0"):
        draw_loss_curves([])
    x = np.zeros((3, 1))
    with pytest.raises(ValueError, match=r"labels must have one entry per fit \(1\), got 2"):
        draw_fits(x, x, x, [x], ["a", "b"])
    with pytest.raises(
        ValueError, match=r"fits\[0\] must have shape \(G, 1\) = \(3, 1\).*\(4, 1\)"
    ):
        draw_fits(x, x, x, [np.zeros((4, 1))], ["a"])
    with pytest.raises(ValueError, match=r"target must have shape \(G, 1\) = \(3, 1\).*\(2, 1\)"):
        draw_fits(x, x, x, [x], ["a"], target=np.zeros((2, 1)))


def test_draw_fits_styles_each_fit_like_its_run_in_the_loss_curves():
    # Notebook 02 draws the loss curves of 10 starts, then the fits of the best and the worst:
    # a fit must keep its run's colour and line style, not take the palette from the start.
    curves = [np.linspace(2.0, 0.1 * (run + 1), 5) for run in range(10)]
    loss_lines = draw_loss_curves(curves).axes[0].lines
    x = np.linspace(-1, 1, 4)[:, None]
    fits = draw_fits(x, x, x, [x, -x], ["best", "worst"], runs=[4, 8]).axes[0].lines
    plt.close("all")
    for fit, run in zip(fits, (4, 8), strict=True):
        assert fit.get_color() == loss_lines[run].get_color() == run_style(run)["color"]
        assert fit.get_linestyle() == loss_lines[run].get_linestyle()
    assert fits[1].get_linestyle() == "--"  # run 8 is past the palette's 8 colours
    with pytest.raises(ValueError, match=r"runs must be a list of 2 integers >= 0.*length 1"):
        draw_fits(x, x, x, [x, -x], ["best", "worst"], runs=[4])


def test_draw_backward_pass_shows_every_gradient_edge_on_the_edge_colour_bar():
    # Notebook 02: first-layer gradients (0.01-0.4) share the scale of output ones (~2.9).
    W1, W2 = mlp.init_weights(2, 3, 1, np.random.default_rng(16), scale=1.0)
    fig = draw_backward_pass(np.array([0.8, -1.2]), np.array([1.0]), W1, W2)
    network, bar = fig.axes
    assert min(line.get_linewidth() for line in network.lines) >= MIN_EDGE_LINEWIDTH
    lightness = [colorsys.rgb_to_hls(*to_rgb(line.get_color()))[1] for line in network.lines]
    assert max(lightness) <= EDGE_MAX_LIGHTNESS + 1e-6
    (strip,) = [item for item in bar.collections if isinstance(item, QuadMesh)]
    assert strip.get_cmap() is EDGE_CMAP
    assert bar.get_ylabel() == r"gradient $\partial E_n/\partial w$"
    plt.close(fig)


def test_backprop_figures_use_the_course_font_sizes():
    W1, W2 = mlp.init_weights(2, 3, 1, np.random.default_rng(16), scale=1.0)
    fig = draw_message_passing(np.array([0.8, -1.2]), np.array([1.0]), W1, W2)
    assert [ax.title.get_fontsize() for ax in fig.axes[:2]] == [style.TITLE_FONTSIZE] * 2
    curves = draw_loss_curves([np.ones(3), np.ones(3)], labels=["a", "b"], title="runs")
    assert curves.axes[0].title.get_fontsize() == style.TITLE_FONTSIZE
    legend_sizes = {text.get_fontsize() for text in curves.axes[0].get_legend().get_texts()}
    assert legend_sizes == {style.LEGEND_FONTSIZE}
    plt.close("all")
