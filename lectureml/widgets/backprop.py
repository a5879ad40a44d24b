"""One SGD step at a time on a tiny network (notebook 02).

`sgd_trajectory` runs stochastic gradient descent on single examples and keeps everything
each step computed: the example used, the weights before and after, the error signals and
gradients of E_n, and the total error E before and after. `sgd_step_explorer` replays such a
trajectory with a slider (and a play button): for the chosen step it draws the forward pass,
the backward pass with each weight's update -eta dE_n/dw on its edge, the fit before and after
the step, and the total error so far.
"""

from typing import NamedTuple

import ipywidgets as widgets
import numpy as np

from lectureml._validate import as_float_array, check_generator, check_int, check_positive_number
from lectureml.losses import squared_error
from lectureml.mlp import Gradients, backward, forward
from lectureml.plotting import style
from lectureml.plotting.backprop import draw_backward_pass, draw_forward_pass
from lectureml.widgets import show_figure


class SGDStep(NamedTuple):
    """Everything one SGD step on example n computed.

    example: the index n of the example used.
    W1, W2: weights before the step, shapes (D+1, M) and (M+1, K).
    grads: `lectureml.mlp.Gradients` of E_n at W1, W2 (deltas of shape (1, K) and (1, M)).
    W1_next, W2_next: weights after the step, W - learning_rate * dE_n/dW.
    error_example_after: E_n at the new weights (grads.E is E_n before the step).
    error_before, error_after: total error E = sum_n E_n over all examples, before and after.
    """

    example: int
    W1: np.ndarray
    W2: np.ndarray
    grads: Gradients
    W1_next: np.ndarray
    W2_next: np.ndarray
    error_example_after: float
    error_before: float
    error_after: float


def _total_error(X, t, W1, W2, hidden, output):
    return squared_error(forward(X, W1, W2, hidden, output).y, t)[0]


def sgd_trajectory(X, t, W1, W2, learning_rate, order, hidden="tanh", output="identity"):
    """Plain SGD, one example per step, visiting the examples in the given order.

    Args:
        X: inputs, shape (N, D).
        t: targets, shape (N, K).
        W1, W2: initial weights, shapes (D+1, M) and (M+1, K); they are not modified.
        learning_rate: step size eta > 0; each step does W <- W - eta * dE_n/dW.
        order: integer array of shape (S,), the example index n used at each of the S steps.
        hidden, output: activation names, as in `lectureml.mlp.forward`.

    Returns:
        list of S `SGDStep`s; step s + 1 starts from the weights step s ended with.
    """
    learning_rate = check_positive_number(learning_rate, "learning_rate")
    X = as_float_array(X, "X", ndim=2, layout="(N, D)")
    order = np.asarray(order)
    if order.ndim != 1 or order.dtype.kind not in "iu":
        raise TypeError(
            f"order must be a 1-D integer array of example indices, got an array of shape "
            f"{order.shape} and dtype {order.dtype}"
        )
    if order.size and (order.min() < 0 or order.max() >= X.shape[0]):
        raise ValueError(
            f"order must hold example indices in 0..{X.shape[0] - 1} (N = {X.shape[0]}), "
            f"got values from {order.min()} to {order.max()}"
        )
    # backward checks X, t, W1, W2 and the names before anything is computed.
    error = backward(X, t, W1, W2, hidden, output).E
    t = as_float_array(t, "t", ndim=2)
    steps = []
    for n in order:
        n = int(n)
        grads = backward(X[n : n + 1], t[n : n + 1], W1, W2, hidden, output)
        W1_next = W1 - learning_rate * grads.dW1
        W2_next = W2 - learning_rate * grads.dW2
        error_example_after = _total_error(
            X[n : n + 1], t[n : n + 1], W1_next, W2_next, hidden, output
        )
        error_after = _total_error(X, t, W1_next, W2_next, hidden, output)
        steps.append(
            SGDStep(n, W1, W2, grads, W1_next, W2_next, error_example_after, error, error_after)
        )
        W1, W2, error = W1_next, W2_next, error_after
    return steps


def _draw_step(X, t, steps, index, learning_rate, hidden, x_grid):
    """Four panels for step `index` (0-based) of a trajectory."""
    step = steps[index]
    n = step.example
    fig, axes = style.new_figure(ncols=2, nrows=2, width=4.6, height=3.0)
    forward_ax, backward_ax, fit_ax, error_ax = axes
    # No colour bars: the numbers are on the edges, and each bar costs a layout pass.
    draw_forward_pass(X[n], t[n], step.W1, step.W2, hidden, ax=forward_ax, colorbar=False)
    draw_backward_pass(
        X[n],
        t[n],
        step.W1,
        step.W2,
        hidden,
        ax=backward_ax,
        learning_rate=learning_rate,
        colorbar=False,
    )

    before = forward(x_grid, step.W1, step.W2, hidden).y[:, 0]
    after = forward(x_grid, step.W1_next, step.W2_next, hidden).y[:, 0]
    y_n = forward(X[n : n + 1], step.W1, step.W2, hidden).y[0, 0]
    fit_ax.scatter(X[:, 0], t[:, 0], s=12, color="gray", zorder=2, label="data")
    fit_ax.plot(x_grid[:, 0], before, "--", color=style.PALETTE[0], label="before the step")
    fit_ax.plot(x_grid[:, 0], after, color=style.PALETTE[0], linewidth=2, label="after the step")
    fit_ax.plot([X[n, 0]] * 2, [y_n, t[n, 0]], color=style.PALETTE[3], linewidth=2)
    fit_ax.scatter(
        [X[n, 0]], [t[n, 0]], s=60, color=style.PALETTE[3], zorder=3, label=f"example n = {n}"
    )
    fit_ax.set_xlabel("$x$")
    fit_ax.set_ylabel("$t$, $y$")
    fit_ax.legend(fontsize=7)
    fit_ax.set_title(
        f"$E_n$: {step.grads.E:.4g} → {step.error_example_after:.4g} (this example)", fontsize=9
    )

    errors = [steps[0].error_before] + [s.error_after for s in steps]
    error_ax.plot(np.arange(len(errors)), errors, color=style.PALETTE[0], linewidth=1.2)
    error_ax.scatter(
        [index, index + 1], errors[index : index + 2], color=style.PALETTE[3], zorder=3
    )
    error_ax.set_yscale("log")
    error_ax.set_xlabel("SGD step")
    error_ax.set_ylabel("total error $E$")
    error_ax.set_title(
        f"$E$: {step.error_before:.4g} → {step.error_after:.4g} (all examples)", fontsize=9
    )
    fig.suptitle(
        f"step {index + 1} of {len(steps)}, learning rate η = {learning_rate}", fontsize=10
    )
    return fig


def sgd_step_explorer(X, t, W1, W2, rng, learning_rates=(0.05, 0.2, 0.8), epochs=3, hidden="tanh"):
    """Replay SGD on a tiny 1-input, 1-output network one step at a time.

    A slider (with a play button) picks the step; a drop-down picks the learning rate, which
    recomputes the trajectory from the same start and the same order of examples.

    Args:
        X: inputs, shape (N, 1).
        t: targets, shape (N, 1).
        W1, W2: initial weights, shapes (2, M) and (M+1, 1); identity output.
        rng: numpy.random.Generator that shuffles the examples once per epoch.
        learning_rates: the choices of the drop-down, each > 0; the first is selected.
        epochs: number of passes over the data (N steps each).
        hidden: hidden activation name.

    Returns:
        an ipywidgets VBox to display.
    """
    X = as_float_array(X, "X", ndim=2, layout="(N, 1)")
    t = as_float_array(t, "t", ndim=2, layout="(N, 1)")
    if X.shape[1] != 1 or t.shape != (X.shape[0], 1):
        raise ValueError(
            f"X and t must both have shape (N, 1) (one input, one output), "
            f"got X of shape {X.shape} and t of shape {t.shape}"
        )
    check_generator(rng, "rng")
    epochs = check_int(epochs, "epochs", minimum=1)
    if not isinstance(learning_rates, (list, tuple)) or len(learning_rates) == 0:
        raise TypeError(
            f"learning_rates must be a non-empty tuple of numbers, got {learning_rates!r}"
        )
    learning_rates = [check_positive_number(lr, "learning_rates entry") for lr in learning_rates]
    order = np.concatenate([rng.permutation(X.shape[0]) for _ in range(epochs)])
    # Checks t, W1, W2 and hidden, and gives the first trajectory.
    trajectories = {
        learning_rates[0]: sgd_trajectory(X, t, W1, W2, learning_rates[0], order, hidden)
    }
    x_grid = np.linspace(X.min() - 0.1, X.max() + 0.1, 121)[:, None]

    step_slider = widgets.IntSlider(
        value=1, min=1, max=order.size, description="SGD step", continuous_update=False
    )
    player = widgets.Play(value=1, min=1, max=order.size, interval=900, description="play")
    widgets.link((player, "value"), (step_slider, "value"))
    rate = widgets.Dropdown(options=learning_rates, value=learning_rates[0], description="η")
    output = widgets.Output()

    def redraw(_change=None):
        if rate.value not in trajectories:
            trajectories[rate.value] = sgd_trajectory(X, t, W1, W2, rate.value, order, hidden)
        fig = _draw_step(
            X, t, trajectories[rate.value], step_slider.value - 1, rate.value, hidden, x_grid
        )
        show_figure(output, fig)

    step_slider.observe(redraw, names="value")
    rate.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox([player, step_slider, rate]), output])
