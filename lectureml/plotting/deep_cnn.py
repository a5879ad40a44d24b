"""Figures for notebook 08: the deep CNN trained on handwritten digits."""

import numpy as np

from lectureml.plotting.style import (
    DIVERGING,
    GRAY,
    LEGEND_FONTSIZE,
    PALETTE,
    TITLE_FONTSIZE,
    new_figure,
    symmetric_limits,
)


def _hide_ticks(ax):
    ax.set_xticks([])
    ax.set_yticks([])


def draw_digits(images, titles, ncols=10, size=1.0):
    """A grid of (1, 28, 28) digits with one short title each; returns the Figure."""
    count = len(images)
    nrows = -(-count // ncols)
    fig, axes = new_figure(ncols=ncols, nrows=nrows, width=size, height=size * 1.15)
    axes = np.atleast_1d(axes).ravel()
    for ax in axes:
        _hide_ticks(ax)
        ax.set_frame_on(False)
    for ax, image, title in zip(axes, images, titles, strict=False):
        ax.imshow(image[0], cmap=GRAY, vmin=0, vmax=1)
        ax.set_title(title, fontsize=8)
    return fig


def draw_training_history(histories):
    """Training loss and accuracy per epoch for one or more `training.History` runs.

    Args:
        histories: {label: History}; the dashed test line is drawn when the run was
            given a validation set (here: the test digits, watched but never tuned on).
    """
    fig, (loss_ax, acc_ax) = new_figure(ncols=2, width=4.5, height=3.2)
    for colour, (label, history) in zip(PALETTE, histories.items(), strict=False):
        loss_ax.plot(history.epoch, history.train_loss, color=colour, marker="o", ms=3, label=label)
        acc_ax.plot(
            history.epoch,
            100 * np.asarray(history.train_accuracy),
            color=colour,
            marker="o",
            ms=3,
            label=f"{label} train",
        )
        if history.val_accuracy:
            acc_ax.plot(
                history.epoch,
                100 * np.asarray(history.val_accuracy),
                color=colour,
                ls="--",
                marker="s",
                ms=3,
                label=f"{label} test",
            )
    loss_ax.set(xlabel="epoch", ylabel="mean training loss", yscale="log")
    acc_ax.set(xlabel="epoch", ylabel="accuracy (%)")
    loss_ax.legend(fontsize=LEGEND_FONTSIZE)
    acc_ax.legend(fontsize=LEGEND_FONTSIZE)
    return fig


def draw_robustness(sweeps):
    """Accuracy of several models as a digit is moved further from how it was seen.

    Args:
        sweeps: {transform name: (x values, x label, {model label: accuracies in [0, 1]})};
            each panel has its x ticks at the measured x values.
    """
    fig, axes = new_figure(ncols=len(sweeps), width=3.4, height=3.0)
    axes = np.atleast_1d(axes).ravel()
    for ax, (name, (values, xlabel, by_model)) in zip(axes, sweeps.items(), strict=True):
        for colour, (label, accuracies) in zip(PALETTE, by_model.items(), strict=False):
            ax.plot(values, 100 * np.asarray(accuracies), color=colour, marker="o", label=label)
        ax.set(xlabel=xlabel, ylabel="test accuracy (%)", ylim=(0, 100))
        ax.set_title(name, fontsize=TITLE_FONTSIZE)
        # Ticks only where something was measured (e.g. zoom 0.85, not 0.8).
        ax.set_xticks(values, [f"{value:g}" for value in values])
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=LEGEND_FONTSIZE)
    return fig


def draw_learning_curve(sizes, train_accuracy, test_accuracy):
    """Train and test accuracy against the number of training examples (log x axis)."""
    fig, ax = new_figure(width=4.5, height=3.2)
    ax.plot(sizes, 100 * np.asarray(train_accuracy), color=PALETTE[0], marker="o", label="train")
    ax.plot(sizes, 100 * np.asarray(test_accuracy), color=PALETTE[1], marker="s", label="test")
    ax.set_xscale("log", base=2)
    ax.set_xticks(sizes, [str(size) for size in sizes])
    ax.set(xlabel="training examples", ylabel="accuracy (%)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=LEGEND_FONTSIZE, frameon=False)
    return fig


def draw_filters(weights, ncols=8):
    """First-layer kernels (F, 1, KH, KW), each on its own symmetric diverging scale.

    The title says so: colours can be compared within a kernel, not between kernels.
    """
    count = weights.shape[0]
    nrows = -(-count // ncols)
    fig, axes = new_figure(ncols=ncols, nrows=nrows, width=0.9, height=0.9)
    axes = np.atleast_1d(axes).ravel()
    for ax in axes:
        _hide_ticks(ax)
        ax.set_frame_on(False)
    for index, (ax, kernel) in enumerate(zip(axes, weights, strict=False)):
        vmin, vmax = symmetric_limits(kernel[0])
        ax.imshow(kernel[0], cmap=DIVERGING, vmin=vmin, vmax=vmax)
        ax.set_title(f"{index}", fontsize=7)
    fig.suptitle(
        "each kernel on its own scale: red positive, blue negative, white 0",
        fontsize=TITLE_FONTSIZE,
    )
    return fig


def draw_feature_maps(image, stages, channels=6):
    """One digit, then the first `channels` maps after each stage (one row per stage).

    The maps are gray like the digit (black = 0), on one scale per row from 0 to the largest
    value shown in that row, read off the colour bar at the row's end: brightness compares
    within a stage, and a channel that is all zero stays black.

    Args:
        image: (1, H, W) input digit.
        stages: {stage name: activations (C, h, w)} in network order (after a ReLU or a
            max-pool, so never negative).
    """
    nrows = len(stages)
    fig, axes = new_figure(ncols=channels + 1, nrows=nrows, width=1.1, height=1.15)
    axes = np.asarray(axes).reshape(nrows, channels + 1)
    for row, (name, maps) in zip(axes, stages.items(), strict=True):
        for ax in row:
            _hide_ticks(ax)
            ax.set_frame_on(False)
        row[0].imshow(image[0], cmap=GRAY, vmin=0, vmax=1)
        row[0].set_ylabel(name, fontsize=8)
        row[0].set_frame_on(True)
        shown = maps[:channels]
        # A row that is zero everywhere still needs a range for its colour bar.
        top = float(shown.max()) if shown.max() > 0 else 1.0
        for channel, ax in enumerate(row[1 : 1 + len(shown)]):
            drawn = ax.imshow(shown[channel], cmap=GRAY, vmin=0, vmax=top)
            ax.set_title(f"ch {channel} {maps.shape[1]}x{maps.shape[2]}", fontsize=7)
        bar = fig.colorbar(drawn, ax=list(row[1:]), shrink=0.85, pad=0.01)
        bar.ax.tick_params(labelsize=7)
    return fig


def draw_confusion_matrix(matrix):
    """Counts of (true class, predicted class) with the count written in each cell."""
    fig, ax = new_figure(width=4.6, height=4.2)
    ax.imshow(np.log1p(matrix), cmap="Blues")
    classes = np.arange(matrix.shape[0])
    ax.set_xticks(classes)
    ax.set_yticks(classes)
    ax.set(xlabel="predicted digit", ylabel="true digit")
    threshold = np.log1p(matrix).max() / 2
    for (true, predicted), count in np.ndenumerate(matrix):
        if count:
            colour = "white" if np.log1p(count) > threshold else "black"
            ax.text(predicted, true, str(count), ha="center", va="center", fontsize=7, color=colour)
    return fig


def draw_flop_shares(layer_names, matmul_flops, other_flops, matmul_seconds, other_seconds):
    """Per-layer floating-point work and time of one training step, matmul versus the rest."""
    fig, (flop_ax, time_ax) = new_figure(ncols=2, width=4.6, height=3.2)
    positions = np.arange(len(layer_names))
    for ax, matmul, other, unit in (
        (flop_ax, np.asarray(matmul_flops) / 1e6, np.asarray(other_flops) / 1e6, "MFLOP"),
        (time_ax, np.asarray(matmul_seconds) * 1e3, np.asarray(other_seconds) * 1e3, "ms"),
    ):
        ax.barh(positions, matmul, color=PALETTE[0], label="matrix multiplication")
        ax.barh(positions, other, left=matmul, color=PALETTE[1], label="everything else")
        ax.set_yticks(positions, layer_names)
        ax.invert_yaxis()
        ax.set_xlabel(f"{unit} per training step")
    flop_ax.set_title("floating-point operations", fontsize=TITLE_FONTSIZE)
    time_ax.set_title("measured time", fontsize=TITLE_FONTSIZE)
    flop_ax.legend(fontsize=LEGEND_FONTSIZE)
    return fig
