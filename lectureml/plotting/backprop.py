"""Pictures of backprop (notebook 02): error signals on the units, gradients on the edges.

`draw_forward_pass` and `draw_backward_pass` draw the same small network twice with
`lectureml.plotting.network.draw_network`: once as the forward pass sees it (weights on the
edges, one example's activations on the units) and once as backprop sees it (each unit's
error signal delta on the unit, each weight's gradient dE_n/dw = (activation in) x (delta out)
on the edge). `draw_message_passing` puts the two side by side. `draw_loss_curves` and
`draw_fits` show training runs, each run in the same colour and line style in both
(`run_style`).
"""

import numpy as np

from lectureml._validate import as_float_array, check_positive_number, describe
from lectureml.mlp import backward, forward
from lectureml.plotting import style
from lectureml.plotting.network import draw_network


def _one_example(x, t, W1, W2):
    """x (D,) and t (K,) as rows (1, D) and (1, K), checked against the weights' shapes."""
    x = as_float_array(x, "x", ndim=1, layout="(D,)", hint="pass a single example, e.g. X[n]")
    t = as_float_array(t, "t", ndim=1, layout="(K,)", hint="pass a single target, e.g. T[n]")
    W1 = as_float_array(W1, "W1", ndim=2, layout="(D+1, M)")
    W2 = as_float_array(W2, "W2", ndim=2, layout="(M+1, K)")
    if W1.shape[0] != x.shape[0] + 1:
        raise ValueError(
            f"W1 must have D+1 = {x.shape[0] + 1} rows for an example x of shape {x.shape}, "
            f"got shape {W1.shape}"
        )
    if W2.shape[1] != t.shape[0]:
        raise ValueError(
            f"t must have shape (K,) = ({W2.shape[1]},) for W2 of shape {W2.shape}, "
            f"got shape {t.shape}"
        )
    return x[None, :], t[None, :], W1, W2


def _fmt(values):
    return ", ".join(f"{float(v):.3g}" for v in values)


def draw_forward_pass(
    x, t, W1, W2, hidden="tanh", output="identity", ax=None, show_values=True, colorbar=True
):
    """The network as the forward pass sees it: weights on the edges, activations on the units.

    Args:
        x: one example, shape (D,).
        t: its target, shape (K,).
        W1: shape (D+1, M); W2: shape (M+1, K) (row 0 = biases, as in `lectureml.mlp`).
        hidden, output: activation names, as in `lectureml.mlp.forward`.
        ax: Axes to draw into; a new figure is made when None.
        show_values: write each weight on its edge.
        colorbar: add a colour bar for the weight scale.

    Returns:
        the matplotlib Figure.
    """
    X, T, W1, W2 = _one_example(x, t, W1, W2)
    result = forward(X, W1, W2, hidden, output)
    fig = draw_network(
        [W1, W2],
        ax=ax,
        node_values=[X[0], result.z[0], result.y[0]],
        show_values=show_values,
        max_linewidth=4.0,
        colorbar=colorbar,
    )
    ax = ax or fig.axes[0]
    ax.set_title(
        f"forward: units show x, z = h(a), y\ntarget t = ({_fmt(T[0])}), y = ({_fmt(result.y[0])})",
        fontsize=style.TITLE_FONTSIZE,
    )
    return fig


def draw_backward_pass(
    x,
    t,
    W1,
    W2,
    hidden="tanh",
    output="identity",
    ax=None,
    learning_rate=None,
    show_values=True,
    colorbar=True,
):
    """The network as backprop sees it: error signals on the units, gradients on the edges.

    The output units show their deltas delta_k = dE_n/db_k, the hidden units
    delta_j = h'(a_j) sum_k w_jk delta_k, and the input units the message
    dE_n/dx_d = sum_j w_dj delta_j that a layer below would receive. Each edge shows
    dE_n/dw = (activation at its start) x (delta at its end), or, with a learning rate,
    the SGD update -learning_rate * dE_n/dw. E_n = 1/2 sum_k (t_k - y_k)^2.

    Args:
        x: one example, shape (D,).
        t: its target, shape (K,).
        W1: shape (D+1, M); W2: shape (M+1, K).
        hidden, output: activation names, as in `lectureml.mlp.forward`.
        ax: Axes to draw into; a new figure is made when None.
        learning_rate: when given (> 0), edges show the update instead of the gradient.
        show_values: write each edge's value on it.
        colorbar: add a colour bar for the scale of the edges.

    Returns:
        the matplotlib Figure.
    """
    X, T, W1, W2 = _one_example(x, t, W1, W2)
    if learning_rate is not None:
        learning_rate = check_positive_number(learning_rate, "learning_rate")
    grads = backward(X, T, W1, W2, hidden, output)
    input_messages = grads.delta_hidden @ W1[1:].T
    if learning_rate is None:
        edges, label = [grads.dW1, grads.dW2], r"gradient $\partial E_n/\partial w$"
    else:
        edges = [-learning_rate * grads.dW1, -learning_rate * grads.dW2]
        label = r"update $-\eta\,\partial E_n/\partial w$"
    fig = draw_network(
        edges,
        ax=ax,
        node_values=[input_messages[0], grads.delta_hidden[0], grads.delta_output[0]],
        show_values=show_values,
        max_linewidth=4.0,
        colorbar=colorbar,
        colorbar_label=label,
    )
    ax = ax or fig.axes[0]
    ax.set_title(
        f"backward: units show the error signals δ\n$E_n$ = {grads.E:.4g}; "
        r"edge = (activation in) $\times$ (δ out)",
        fontsize=style.TITLE_FONTSIZE,
    )
    return fig


def draw_message_passing(x, t, W1, W2, hidden="tanh", output="identity", show_values=True):
    """Forward pass (left) and backward pass (right) of one example, side by side.

    Args:
        x, t, W1, W2, hidden, output, show_values: as in `draw_forward_pass`.

    Returns:
        the matplotlib Figure.
    """
    X, T, W1, W2 = _one_example(x, t, W1, W2)
    tallest = max(W1.shape[0], W2.shape[0], W2.shape[1])
    fig, (left, right) = style.new_figure(ncols=2, width=4.6, height=0.6 * tallest + 1.6)
    draw_forward_pass(X[0], T[0], W1, W2, hidden, output, ax=left, show_values=show_values)
    draw_backward_pass(X[0], T[0], W1, W2, hidden, output, ax=right, show_values=show_values)
    return fig


def _check_curves(curves):
    if not isinstance(curves, (list, tuple)) or len(curves) == 0:
        raise TypeError(f"curves must be a non-empty list of 1-D arrays, got {describe(curves)}")
    return [
        as_float_array(c, f"curves[{i}]", ndim=1, layout="(steps,)") for i, c in enumerate(curves)
    ]


def run_style(index):
    """Colour and line style of training run `index` (0-based), as `draw_loss_curves` draws it.

    Runs take the palette's colours in turn and turn dashed, then dotted, once it repeats, so
    no two of up to 3 x len(style.PALETTE) runs look alike. `draw_fits` uses the same styles,
    so a run keeps its look from the loss curves to its fit.

    Returns:
        dict with the keys "color" and "linestyle", to pass to ``Axes.plot``.
    """
    cycle, colour = divmod(index, len(style.PALETTE))
    return {"color": style.PALETTE[colour], "linestyle": ("-", "--", ":")[cycle % 3]}


def draw_loss_curves(curves, labels=None, xlabel="step", ylabel="total error $E$", title=None):
    """Error curves of training runs on a logarithmic axis, run r styled by `run_style(r)`.

    Args:
        curves: list of 1-D arrays, curves[r][s] the error of run r after s steps.
        labels: optional list of legend labels, one per curve.
        xlabel, ylabel, title: axis labels and title.

    Returns:
        the matplotlib Figure.
    """
    curves = _check_curves(curves)
    if labels is not None and (not isinstance(labels, (list, tuple)) or len(labels) != len(curves)):
        raise ValueError(
            f"labels must be a list of {len(curves)} strings (one per curve), "
            f"got {describe(labels)}"
        )
    fig, ax = style.new_figure(width=6.0, height=3.4)
    for index, curve in enumerate(curves):
        ax.plot(
            np.arange(curve.size),
            curve,
            **run_style(index),
            linewidth=1.4,
            label=None if labels is None else labels[index],
        )
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if labels is not None:
        ax.legend(fontsize=style.LEGEND_FONTSIZE, ncols=2)
    if title:
        ax.set_title(title, fontsize=style.TITLE_FONTSIZE)
    return fig


def draw_fits(x, t, x_grid, fits, labels, target=None, runs=None):
    """Data points of a 1-D regression and the curves of several fitted networks.

    Args:
        x, t: training inputs and targets, shape (N, 1) each.
        x_grid: inputs at which the curves are drawn, shape (G, 1).
        fits: list of arrays of shape (G, 1), the networks' outputs at x_grid.
        labels: list of legend labels, one per fit.
        target: optional noise-free target values at x_grid, shape (G, 1).
        runs: optional list of ints, one per fit: the index of the run it comes from among
            the curves given to `draw_loss_curves`, so that each fit is drawn in its run's
            colour and line style (`run_style`). When None, fit i is styled as run i.

    Returns:
        the matplotlib Figure.
    """
    x = as_float_array(x, "x", ndim=2, layout="(N, 1)")
    t = as_float_array(t, "t", ndim=2, layout="(N, 1)")
    x_grid = as_float_array(x_grid, "x_grid", ndim=2, layout="(G, 1)")
    if not isinstance(fits, (list, tuple)) or not isinstance(labels, (list, tuple)):
        raise TypeError(
            f"fits and labels must be lists, got {describe(fits)} and {describe(labels)}"
        )
    if len(fits) != len(labels):
        raise ValueError(
            f"labels must have one entry per fit ({len(fits)}), got {len(labels)} labels"
        )
    if runs is None:
        runs = list(range(len(fits)))
    if (
        not isinstance(runs, (list, tuple))
        or len(runs) != len(fits)
        or not all(isinstance(run, (int, np.integer)) and run >= 0 for run in runs)
    ):
        raise ValueError(
            f"runs must be a list of {len(fits)} integers >= 0 (one run index per fit), "
            f"got {describe(runs)}"
        )
    curves = [
        as_float_array(fit, f"fits[{index}]", ndim=2, layout="(G, 1)")
        for index, fit in enumerate(fits)
    ]
    if target is not None:
        curves.append(as_float_array(target, "target", ndim=2, layout="(G, 1)"))
    for index, curve in enumerate(curves):
        if curve.shape != (x_grid.shape[0], 1):
            name = "target" if target is not None and index == len(fits) else f"fits[{index}]"
            raise ValueError(
                f"{name} must have shape (G, 1) = ({x_grid.shape[0]}, 1) like x_grid, "
                f"got shape {curve.shape}"
            )
    fig, ax = style.new_figure(width=5.0, height=3.4)
    if target is not None:
        ax.plot(
            x_grid[:, 0], curves[-1][:, 0], color="gray", linewidth=1, linestyle=":", label="f(x)"
        )
    ax.scatter(x[:, 0], t[:, 0], s=16, color="black", zorder=3, label="data")
    for run, fit, label in zip(runs, curves[: len(fits)], labels, strict=True):
        ax.plot(x_grid[:, 0], fit[:, 0], **run_style(int(run)), linewidth=2, label=label)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$t$, $y$")
    ax.legend(fontsize=style.LEGEND_FONTSIZE)
    return fig
