"""Figures of notebook 03: steps and bumps, sums of bumps, error against M, sawtooths."""

import numpy as np
from matplotlib.ticker import NullLocator

from lectureml.approximation import bump, logistic_step
from lectureml.plotting import style
from lectureml.plotting.style import LEGEND_FONTSIZE, TITLE_FONTSIZE

TARGET_COLOR = "black"
# y-axis label of the panels that show a target f and a network output y.
VALUE_LABEL = "$f(x)$ and $y(x)$"


def draw_step_to_bump(steepnesses=(2.0, 8.0, 50.0), center=0.0, width=1.0, x_range=(-2.0, 2.0)):
    """Left: logistic units sigma(s x) turning into a step as s grows. Right: two steep units
    and their difference, a bump of the given centre and width.

    Returns:
        the Figure.
    """
    x = np.linspace(*x_range, 801)
    fig, (step_ax, bump_ax) = style.new_figure(ncols=2, width=4.6, height=3.0)
    for colour, steepness in zip(style.PALETTE, steepnesses, strict=False):
        step_ax.plot(x, logistic_step(x, 0.0, steepness), color=colour, label=f"s = {steepness:g}")
    step_ax.plot(x, (x >= 0).astype(float), color=TARGET_COLOR, linestyle=":", label="step")
    step_ax.set_title(r"one unit $\sigma(s\,(x - t))$, $t = 0$", fontsize=TITLE_FONTSIZE)
    step_ax.set_xlabel("$x$")
    step_ax.legend(fontsize=LEGEND_FONTSIZE, loc="upper left")

    steep = max(steepnesses)
    left, right = center - width / 2, center + width / 2
    # The three curves coincide in places (the bump's top is the first step, and both steps are
    # 1 right of c + w/2), so the bump is a shaded area at the back, the second step a wide pale
    # band above it and the first step a thin dashed line on top: all three stay visible.
    bump_values = bump(x, center, width, steep)
    bump_ax.fill_between(x, 0, bump_values, color=style.PALETTE[0], alpha=0.25, linewidth=0)
    bump_ax.plot(
        x, bump_values, color=style.PALETTE[0], linewidth=1.5, zorder=2, label="difference: a bump"
    )
    bump_ax.plot(
        x,
        logistic_step(x, right, steep),
        color=style.PALETTE[2],
        linewidth=5,
        alpha=0.5,
        solid_capstyle="butt",
        zorder=3,
        label="up-step at c + w/2",
    )
    bump_ax.plot(
        x,
        logistic_step(x, left, steep),
        "--",
        color=style.PALETTE[1],
        linewidth=1.8,
        zorder=4,
        label="up-step at c - w/2",
    )
    bump_ax.set_title(
        f"two units make a bump (c = {center:g}, w = {width:g})", fontsize=TITLE_FONTSIZE
    )
    bump_ax.set_xlabel("$x$")
    handles, labels = bump_ax.get_legend_handles_labels()
    # Legend in the order of the prose: first step, second step, their difference.
    bump_ax.legend(handles[::-1], labels[::-1], fontsize=LEGEND_FONTSIZE, loc="upper left")
    bump_ax.set_ylim(-0.1, 1.45)
    return fig


def draw_bump_sum(
    x,
    target_values,
    terms,
    output,
    knots=None,
    title=None,
    ax=None,
    legend_loc="upper left",
    ylabel=VALUE_LABEL,
):
    """The target, the individual bumps f(x_j) B_j(x) (thin) and their sum (thick).

    A bump of height f(x_j) = 0 is flat and would be invisible on the zero line; when `knots`
    gives the bump centres, each such bump is marked by a ring at its centre with a legend
    entry counting them, so the picture shows all M+1 bumps the title may speak of.

    Args:
        x: inputs, shape (N,); target_values: f(x), shape (N,).
        terms: bumps, shape (N, M+1), as from `lectureml.approximation.bump_terms`.
        output: the network output, shape (N,) (the sum of the bumps).
        knots: optional bump centres, shape (M+1,), drawn as dots at f(knot).
        legend_loc: where the legend goes (a fixed place: "best" is slow on long curves).
        ylabel: the y-axis label.

    Returns:
        the Figure.
    """
    if ax is None:
        fig, ax = style.new_figure(width=6.5, height=3.2)
    else:
        fig = ax.figure
    for j in range(terms.shape[1]):
        ax.plot(
            x,
            terms[:, j],
            color=style.PALETTE[(j % 6) + 1],
            linewidth=0.9,
            alpha=0.8,
            label=r"bumps $f(x_j)\,B_j(x)$" if j == 0 else None,
        )
    ax.plot(x, target_values, color=TARGET_COLOR, linestyle=":", linewidth=2, label="target $f$")
    ax.plot(x, output, color=style.PALETTE[0], linewidth=2.5, label="network = sum of bumps")
    if knots is not None:
        knots = np.asarray(knots, dtype=float)
        ax.plot(knots, np.interp(knots, x, target_values), "o", color=TARGET_COLOR, markersize=3)
        if terms.shape[1] == knots.size > 0:
            heights = np.abs(terms).max(axis=0)
            # Relative threshold: f(x_j) is zero only up to rounding (sin(pi) is about 1e-16).
            flat = heights <= 1e-9 * heights.max()
            if flat.any():
                ax.plot(
                    knots[flat],
                    np.zeros(int(flat.sum())),
                    "o",
                    markersize=9,
                    markerfacecolor="none",
                    markeredgecolor=style.PALETTE[3],
                    markeredgewidth=1.5,
                    label=f"bump of height 0 ({int(flat.sum())} of {knots.size})",
                )
    ax.axhline(0, color="gray", linewidth=0.5)
    ax.set_xlabel("$x$")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=LEGEND_FONTSIZE, loc=legend_loc)
    if title:
        ax.set_title(title, fontsize=TITLE_FONTSIZE)
    return fig


def draw_fits(x, target_values, fits, title=None, ax=None, legend=True, ylabel=None):
    """The target and several approximations of it.

    Args:
        x: inputs, shape (N,); target_values: f(x), shape (N,).
        fits: dict label -> outputs of shape (N,).
        legend: draw a legend inside the axes.
        ylabel: optional y-axis label.

    Returns:
        the Figure.
    """
    if ax is None:
        fig, ax = style.new_figure(width=4.2, height=3.0)
    else:
        fig = ax.figure
    ax.plot(x, target_values, color=TARGET_COLOR, linestyle=":", linewidth=2, label="target")
    for colour, (label, values) in zip(style.PALETTE, fits.items(), strict=False):
        ax.plot(x, values, color=colour, linewidth=1.6, label=label)
    ax.set_xlabel("$x$")
    if ylabel:
        ax.set_ylabel(ylabel)
    if legend:
        ax.legend(fontsize=LEGEND_FONTSIZE, loc="upper center")
    if title:
        ax.set_title(title, fontsize=TITLE_FONTSIZE)
    return fig


def draw_error_curves(M_values, panels, ncols=2, width=3.8, height=2.9):
    """Errors against the number of hidden units M on log-log axes, one panel per quantity.

    Args:
        M_values: the M of each measurement, shape (m,).
        panels: list of dicts with keys "title", "ylabel", "curves" (dict label -> m errors)
            and optionally "reference" (an exponent p: a dotted line proportional to M^p,
            anchored at the first curve's first point), "floor" (a horizontal line) and
            "ylim" (a (low, high) pair: the y axis becomes linear with these limits).
            A logarithmic y axis is labelled at 1, 2 and 5 times powers of ten.
        ncols: panels per row.

    One legend below the panels lists every curve and line once (same label, same style),
    so no legend covers a measured point.

    Returns:
        the Figure.
    """
    M_values = np.asarray(M_values, dtype=float)
    nrows = -(-len(panels) // ncols)
    fig, axes = style.new_figure(ncols=ncols, nrows=nrows, width=width, height=height)
    axes = axes if isinstance(axes, list) else [axes]
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    legend_entries = {}
    for ax, panel in zip(axes, panels, strict=False):
        shown = [np.asarray(errors, dtype=float) for errors in panel["curves"].values()]
        for colour, (label, errors) in zip(style.PALETTE, panel["curves"].items(), strict=False):
            ax.loglog(M_values, errors, "o-", color=colour, label=label)
        if panel.get("reference") is not None:
            power = panel["reference"]
            reference = shown[0][0] * (M_values / M_values[0]) ** power
            shown.append(reference)
            ax.loglog(M_values, reference, ":", color="gray", label=f"$\\propto M^{{{power:g}}}$")
        if panel.get("floor") is not None:
            shown.append(np.array([panel["floor"]], dtype=float))
            # Black dashed, unlike every measured curve, so the floor is not read as one.
            ax.axhline(
                panel["floor"],
                color=TARGET_COLOR,
                linestyle="--",
                linewidth=1,
                label=f"floor {panel['floor']:g}",
            )
        if panel.get("ylim") is not None:
            ax.set_yscale("linear")
            ax.set_ylim(*panel["ylim"])
        else:
            style.one_two_five_log_ticks(ax, np.concatenate(shown))
        ax.set_xticks(M_values, [f"{m:g}" for m in M_values])
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("hidden units $M$")
        ax.set_ylabel(panel["ylabel"])
        ax.set_title(panel["title"], fontsize=TITLE_FONTSIZE)
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            legend_entries.setdefault(label, handle)
    fig.legend(
        legend_entries.values(),
        legend_entries.keys(),
        loc="outside lower center",
        ncols=3,
        fontsize=LEGEND_FONTSIZE,
    )
    return fig


def draw_fit_panels(x, targets, fits, title=None, panel_titles=None, ylabel=VALUE_LABEL):
    """One panel per target: the target and its approximations.

    Args:
        x: inputs, shape (N,).
        targets: dict name -> target values of shape (N,).
        fits: dict name -> (dict label -> outputs of shape (N,)).
        title: optional title above all panels.
        panel_titles: optional dict name -> panel title (e.g. "sin" -> "sin(pi x)"); a name
            missing from it is its own title.
        ylabel: y-axis label of the leftmost panel (the panels share its meaning).

    Returns:
        the Figure.
    """
    panel_titles = panel_titles or {}
    fig, axes = style.new_figure(ncols=len(targets), width=3.6, height=2.8)
    axes = axes if isinstance(axes, list) else [axes]
    for index, (ax, (name, values)) in enumerate(zip(axes, targets.items(), strict=True)):
        draw_fits(
            x,
            values,
            fits[name],
            title=panel_titles.get(name, name),
            ax=ax,
            legend=False,
            ylabel=ylabel if index == 0 else None,
        )
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(
        handles, labels, loc="outside lower center", ncols=len(labels), fontsize=LEGEND_FONTSIZE
    )
    if title:
        fig.suptitle(title, fontsize=TITLE_FONTSIZE)
    return fig


def draw_sawtooths(x, outputs, kink_positions=None):
    """The tent map composed L times, one panel per L, with the kinks marked.

    Args:
        x: inputs, shape (N,).
        outputs: dict L -> network outputs of shape (N,).
        kink_positions: optional dict L -> kink positions, drawn as ticks on the x axis and
            named in a legend below the panels.

    Returns:
        the Figure.
    """
    fig, axes = style.new_figure(ncols=len(outputs), width=2.6, height=2.4)
    axes = axes if isinstance(axes, list) else [axes]
    for ax, (L, y) in zip(axes, outputs.items(), strict=True):
        ax.plot(x, y, color=style.PALETTE[0], linewidth=1.5)
        if kink_positions is not None:
            ax.plot(
                kink_positions[L],
                np.zeros_like(kink_positions[L]),
                "|",
                color=style.PALETTE[3],
                markersize=8,
                label="kinks: where the slope changes",
            )
        ax.set_title(f"L = {L}: {2**L} pieces", fontsize=TITLE_FONTSIZE)
        ax.set_xlabel("$x$")
        ax.set_ylim(-0.08, 1.08)
    if kink_positions is not None:
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", fontsize=LEGEND_FONTSIZE)
    return fig


def draw_pieces_vs_parameters(deep, shallow):
    """Linear pieces against number of parameters for deep and shallow ReLU networks.

    Args:
        deep, shallow: dicts with keys "parameters" and "pieces" (equal-length sequences),
            and optionally "labels" (text written next to each point).

    Returns:
        the Figure.
    """
    fig, ax = style.new_figure(width=5.0, height=3.4)
    series = (("deep: L layers of 2 units", deep, "o"), ("shallow: 1 hidden layer", shallow, "s"))
    for colour, (name, data, marker) in zip(style.PALETTE, series, strict=False):
        ax.loglog(data["parameters"], data["pieces"], marker + "-", color=colour, label=name)
        for label, params, pieces in zip(
            data.get("labels", ()), data["parameters"], data["pieces"], strict=False
        ):
            ax.annotate(
                label,
                (params, pieces),
                textcoords="offset points",
                xytext=(-30, 2),
                fontsize=7,
                color=colour,
            )
    ax.set_xlabel("number of parameters (weights and biases)")
    ax.set_ylabel("linear pieces on [0, 1]")
    ax.legend(fontsize=LEGEND_FONTSIZE, loc="lower right")
    ax.set_title("the same sawtooth, built deep or shallow", fontsize=TITLE_FONTSIZE)
    return fig
