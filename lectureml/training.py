"""The training loop: minibatch SGD over a data set, epoch after epoch, fully seeded.

One epoch shuffles the training set with the given Generator, cuts it into minibatches and,
for each, runs forward (training=True, so dropout is active), the loss, backward and one
optimizer step. After each epoch the model is evaluated on the validation set, if one is
given. The same seeds (for the model's layers and for `fit`) give the same History.

Models output logits; the loss turns them into probabilities:
    "cross_entropy": mean softmax cross-entropy against the integer labels;
    "squared_error": the lecture's E_n = 1/2 sum_k (t_nk - y_nk)^2 against one-hot targets,
        averaged over the batch (E / batch size) so the learning rate means the same for any
        batch size.
Accuracy is the fraction of examples whose largest output is the true class.
"""

import dataclasses
import time

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from tqdm.auto import tqdm

from lectureml import losses
from lectureml._validate import (
    DIVERGED,
    as_float_array,
    check_bool,
    check_choice,
    check_finite,
    check_generator,
    check_int,
    describe,
)
from lectureml.layers import check_batch, check_labelled_batch, check_model
from lectureml.optim import SGD

_LOSSES = ("cross_entropy", "squared_error")


@dataclasses.dataclass(repr=False)
class History:
    """Per-epoch record of a `fit` run (one list entry per epoch).

    Attributes:
        epoch: 1, 2, ...
        lr: learning rate used during the epoch.
        train_loss, train_accuracy: averaged over the epoch's minibatches, computed while the
            weights were still changing and with dropout active, so they lag slightly behind
            the model at the end of the epoch.
        val_loss, val_accuracy: the model at the end of the epoch on the validation set
            (empty lists without one).
        seconds: wall-clock time of the whole run; not part of equality or of the table.
    """

    epoch: list = dataclasses.field(default_factory=list)
    lr: list = dataclasses.field(default_factory=list)
    train_loss: list = dataclasses.field(default_factory=list)
    train_accuracy: list = dataclasses.field(default_factory=list)
    val_loss: list = dataclasses.field(default_factory=list)
    val_accuracy: list = dataclasses.field(default_factory=list)
    seconds: float = dataclasses.field(default=0.0, compare=False)

    def table(self, precision=4):
        """Fixed-precision text table, one row per epoch (the same text for the same run).

        Args:
            precision: digits after the decimal point for losses and accuracies (int >= 0).
        """
        precision = check_int(precision, "precision", minimum=0)
        columns = [
            ("epoch", [str(epoch) for epoch in self.epoch]),
            ("lr", [f"{lr:.4g}" for lr in self.lr]),
            ("train loss", [f"{value:.{precision}f}" for value in self.train_loss]),
            ("train acc", [f"{value:.{precision}f}" for value in self.train_accuracy]),
        ]
        if self.val_loss:
            columns += [
                ("val loss", [f"{value:.{precision}f}" for value in self.val_loss]),
                ("val acc", [f"{value:.{precision}f}" for value in self.val_accuracy]),
            ]
        widths = [max(len(title), *(len(cell) for cell in cells)) for title, cells in columns]
        lines = ["  ".join(f"{title:>{w}}" for (title, _), w in zip(columns, widths, strict=True))]
        for row in range(len(self.epoch)):
            cells = (f"{cells[row]:>{w}}" for (_, cells), w in zip(columns, widths, strict=True))
            lines.append("  ".join(cells))
        return "\n".join(lines)

    def __repr__(self):
        return self.table()


def fit(
    model,
    x,
    y,
    epochs,
    batch_size,
    optimizer,
    rng,
    loss="cross_entropy",
    x_val=None,
    y_val=None,
    augment=None,
    schedule=None,
    progress=True,
):
    """Train `model` by minibatch gradient descent.

    Args:
        model: a Layer (usually a Sequential) that outputs logits of shape (N, K).
        x: training inputs, shape (N, ...) accepted by the model, e.g. (N, 1, 28, 28).
        y: integer class labels, shape (N,), entries in 0..K-1.
        epochs: number of passes over the training set, int >= 1.
        batch_size: examples per step, int >= 1 (the last batch of an epoch may be smaller).
        optimizer: an object with `step()` (and a settable `lr` when `schedule` is given),
            e.g. optim.SGD(model, lr=0.05, momentum=0.9).
        rng: numpy.random.Generator for the shuffles (and for `augment`).
        loss: "cross_entropy" or "squared_error" (see the module docstring).
        x_val, y_val: optional validation set, evaluated after every epoch.
        augment: optional function (xb, rng) -> xb of the same shape applied to every
            training batch, e.g. `random_shift`.
        schedule: optional function epoch -> lr (epochs counted from 0), applied at the start
            of every epoch, e.g. optim.cosine(0.05, epochs).
        progress: show a progress bar (tqdm, in notebooks and terminals).

    Returns:
        History with one entry per epoch.
    """
    check_model(model)
    x, y = check_labelled_batch(model, x, y)
    epochs = check_int(epochs, "epochs", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    _check_optimizer(optimizer, model, needs_lr=schedule is not None)
    rng = check_generator(rng, "rng")
    loss_function = _loss_function(loss)
    if (x_val is None) != (y_val is None):
        raise ValueError(
            f"x_val and y_val must be given together, got x_val={describe(x_val)} and "
            f"y_val={describe(y_val)}"
        )
    if x_val is not None:
        x_val, y_val = check_labelled_batch(model, x_val, y_val, "x_val", "y_val")
    for function, name in ((augment, "augment"), (schedule, "schedule")):
        if function is not None and not callable(function):
            raise TypeError(f"{name} must be a function or None, got {describe(function)}")
    check_bool(progress, "progress")

    # Converting once here spares every minibatch a float64 -> float32 copy.
    dtype = _model_dtype(model, x.dtype)
    x = x.astype(dtype, copy=False)
    if x_val is not None:
        x_val = x_val.astype(dtype, copy=False)
    num_examples = len(x)
    batches_per_epoch = -(-num_examples // batch_size)
    history = History()
    started = time.perf_counter()
    with tqdm(
        total=epochs * batches_per_epoch, disable=not progress, desc="training", unit="batch"
    ) as bar:
        for epoch in range(epochs):
            if schedule is not None:
                optimizer.lr = schedule(epoch)
            order = rng.permutation(num_examples)
            loss_sum = 0.0
            correct = 0
            for start in range(0, num_examples, batch_size):
                batch = order[start : start + batch_size]
                xb, yb = x[batch], y[batch]
                if augment is not None:
                    xb = _augmented(augment, xb, rng)
                logits = model.forward(xb, training=True)
                batch_loss, dlogits = loss_function(logits, yb)
                model.backward(dlogits.astype(logits.dtype, copy=False))
                optimizer.step()
                loss_sum += batch_loss * len(batch)
                correct += int(np.count_nonzero(logits.argmax(axis=1) == yb))
                bar.update()
            history.epoch.append(epoch + 1)
            history.lr.append(float(getattr(optimizer, "lr", float("nan"))))
            history.train_loss.append(loss_sum / num_examples)
            history.train_accuracy.append(correct / num_examples)
            status = {"loss": f"{history.train_loss[-1]:.4f}"}
            if x_val is not None:
                val_loss, val_accuracy = _evaluate(model, x_val, y_val, 256, loss_function)
                history.val_loss.append(val_loss)
                history.val_accuracy.append(val_accuracy)
                status["val_acc"] = f"{val_accuracy:.4f}"
            bar.set_postfix(status, refresh=False)
    history.seconds = time.perf_counter() - started
    return history


def predict_logits(model, x, batch_size=256):
    """The model's outputs (logits) for every example, computed in batches at test time.

    Args:
        model: a Layer outputting (N, K).
        x: inputs, shape (N, ...).
        batch_size: examples per forward pass (bounds the memory), int >= 1.

    Returns:
        logits: shape (N, K), dtype of the model.
    """
    check_model(model)
    x, _ = check_batch(model, x, logits=True)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    logits = _predict_logits(model, x, batch_size)
    # NaN compares False with everything, so argmax would quietly predict class 0.
    check_finite(logits, "the model's logits", cause=DIVERGED)
    return logits


def predict(model, x, batch_size=256):
    """Predicted class of every example: the index of its largest logit.

    Args:
        model: a Layer outputting (N, K).
        x: inputs, shape (N, ...).
        batch_size: examples per forward pass, int >= 1.

    Returns:
        labels: int64 array of shape (N,).
    """
    return predict_logits(model, x, batch_size).argmax(axis=1)


def evaluate(model, x, y, batch_size=256, loss="cross_entropy"):
    """Mean loss and accuracy of the model on a labelled set, at test time (no dropout).

    Args:
        model: a Layer outputting logits (N, K).
        x: inputs, shape (N, ...).
        y: integer labels, shape (N,), entries in 0..K-1.
        batch_size: examples per forward pass, int >= 1.
        loss: "cross_entropy" or "squared_error".

    Returns:
        (loss, accuracy): two floats, the loss averaged over the examples and the fraction
        classified correctly.
    """
    check_model(model)
    x, y = check_labelled_batch(model, x, y)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    return _evaluate(model, x, y, batch_size, _loss_function(loss))


def random_shift(x, rng, max_shift=2):
    """Data augmentation: move every image by its own random whole-pixel offset.

    Each image is shifted by (dy, dx), each drawn uniformly from -max_shift..max_shift;
    pixels moved in from outside are zero (background). A digit moved by two pixels is still
    the same digit, so training on shifted copies teaches the invariance the lecture asks for.

    Args:
        x: images, shape (N, C, H, W).
        rng: numpy.random.Generator drawing the offsets.
        max_shift: largest shift in pixels, int >= 0.

    Returns:
        shifted images, a new array with the shape and dtype of `x`.
    """
    x = as_float_array(x, "x", ndim=4, layout="(N, C, H, W)")
    rng = check_generator(rng, "rng")
    max_shift = check_int(max_shift, "max_shift", minimum=0)
    num_images, _, height, width = x.shape
    padding = ((0, 0), (0, 0), (max_shift, max_shift), (max_shift, max_shift))
    padded = np.pad(x, padding)
    # All (2 max_shift + 1)^2 shifted copies as a view: (N, C, 2m+1, 2m+1, H, W); window
    # (i, j) is the image moved by (max_shift - i, max_shift - j).
    windows = sliding_window_view(padded, (height, width), axis=(2, 3))
    rows, cols = rng.integers(0, 2 * max_shift + 1, size=(2, num_images))
    # Picking one window per image gathers (N, C, H, W) without a loop over the batch.
    return windows[np.arange(num_images), :, rows, cols]


def _predict_logits(model, x, batch_size):
    chunks = [
        model.forward(x[start : start + batch_size], training=False)
        for start in range(0, len(x), batch_size)
    ]
    return np.concatenate(chunks)


def _evaluate(model, x, y, batch_size, loss_function):
    loss_sum = 0.0
    correct = 0
    for start in range(0, len(x), batch_size):
        xb, yb = x[start : start + batch_size], y[start : start + batch_size]
        logits = model.forward(xb, training=False)
        batch_loss, _ = loss_function(logits, yb)
        loss_sum += batch_loss * len(yb)
        correct += int(np.count_nonzero(logits.argmax(axis=1) == yb))
    return loss_sum / len(x), correct / len(x)


def _cross_entropy(logits, labels):
    return losses.softmax_cross_entropy(logits, labels)


def _squared_error(outputs, labels):
    targets = np.zeros_like(outputs)
    targets[np.arange(len(labels)), labels] = 1
    total, gradient = losses.squared_error(outputs, targets)
    gradient /= len(labels)
    return total / len(labels), gradient


def _loss_function(loss):
    check_choice(loss, "loss", _LOSSES)
    return _cross_entropy if loss == "cross_entropy" else _squared_error


def _augmented(augment, xb, rng):
    out = augment(xb, rng)
    if not isinstance(out, np.ndarray) or out.shape != xb.shape:
        raise ValueError(
            f"augment must return an array of the batch's shape {xb.shape}, got {describe(out)}"
        )
    return out


def _check_optimizer(optimizer, model, needs_lr):
    if not callable(getattr(optimizer, "step", None)):
        raise TypeError(
            f"optimizer must have a step() method, e.g. optim.SGD(model, lr=0.05), "
            f"got {describe(optimizer)}"
        )
    if needs_lr and not hasattr(optimizer, "lr"):
        raise TypeError(
            f"optimizer must have an lr attribute for the schedule to set, "
            f"got {describe(optimizer)} without one"
        )
    if isinstance(optimizer, SGD):
        model_arrays = {id(param) for param, _ in model.parameters()}
        if not any(id(param) in model_arrays for _, param, _ in optimizer._params):
            raise ValueError(
                "optimizer must update this model's parameters, got an optimizer built for "
                "another model; create it after the model with optim.SGD(model, lr=...)"
            )


def _model_dtype(model, default):
    for param, _ in model.parameters():
        return param.dtype
    return default
