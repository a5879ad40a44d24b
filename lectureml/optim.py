"""Stochastic gradient descent: find derivatives and update.

After backprop has filled every gradient, one SGD step moves each weight a little downhill,

    v <- momentum * v + (g + weight_decay * w)        (v = 0 before the first step)
    w <- w - lr * v

With momentum = 0 this is the plain update w <- w - lr * g of the lecture. Momentum lets
consistent gradient directions build up speed (about 1 / (1 - momentum) times the plain step)
while directions that flip sign from batch to batch cancel out. This is the form PyTorch uses,
so a changed learning rate takes effect immediately on the whole step.

Weight decay adds (weight_decay / 2) * ||w||^2 to the loss, hence weight_decay * w to the
gradient: it is the negative log of a zero-mean Gaussian prior on the weights, so training
finds the MAP estimate instead of the maximum-likelihood one. As the losses here are means
over the batch, weight_decay = 1 / (N sigma^2) for a prior N(0, sigma^2) and N training
examples. Biases (parameters named "b") are NOT decayed: a bias only shifts a unit's
threshold, it does not make the function wigglier, and pulling it towards zero would only
bias the fit.

A learning-rate schedule is a function epoch -> lr; `step_decay` and `cosine` build one, and
`training.fit` sets `optimizer.lr` from it at the start of every epoch.
"""

import math

import numpy as np

from lectureml._validate import (
    FLOAT_DTYPES,
    check_int,
    check_positive_number,
    check_probability,
    describe,
)
from lectureml.layers import Layer


class SGD:
    """Minibatch SGD with optional momentum and weight decay, updating parameters in place.

    Args:
        model_or_params: a Layer (e.g. a Sequential), whose parameters are all trained, or
            an iterable of (name, param, grad) triples such as a filtered
            `model.named_parameters()` to train only some of them.
        lr: learning rate, > 0; may be changed between steps (`optimizer.lr = 0.01`).
        momentum: in [0, 1); 0 gives plain SGD. Momentum keeps one velocity array per
            parameter.
        weight_decay: >= 0, the L2 coefficient (a Gaussian prior); biases are not decayed.

    The parameter arrays are captured once: replacing `layer.params["W"]` by a new array
    (rather than changing it in place) needs a new optimizer.
    """

    def __init__(self, model_or_params, lr, momentum=0.0, weight_decay=0.0):
        self._params = _collect_parameters(model_or_params)
        self.lr = lr
        self.momentum = check_probability(momentum, "momentum")
        self.weight_decay = check_positive_number(weight_decay, "weight_decay", allow_zero=True)
        self._velocities = [np.zeros_like(param) for _, param, _ in self._params]

    @property
    def lr(self):
        """The learning rate used by the next `step()`."""
        return self._lr

    @lr.setter
    def lr(self, value):
        self._lr = check_positive_number(value, "lr")

    def step(self):
        """Update every parameter in place from the gradients of the last backward pass."""
        for (name, param, grad), velocity in zip(self._params, self._velocities, strict=True):
            direction = grad
            if self.weight_decay and not _is_bias(name):
                direction = grad + self.weight_decay * param
            if self.momentum:
                velocity *= self.momentum
                velocity += direction
                direction = velocity
            param -= self.lr * direction

    def zero_grad(self):
        """Set every gradient to zero (optional: each backward pass overwrites the gradients)."""
        for _, _, grad in self._params:
            grad.fill(0)

    def __repr__(self):
        return (
            f"SGD(lr={self.lr:g}, momentum={self.momentum:g}, weight_decay={self.weight_decay:g})"
        )


def step_decay(lr, factor=0.5, every=5):
    """Schedule that multiplies the learning rate by `factor` every `every` epochs.

    Args:
        lr: learning rate of the first epochs, > 0.
        factor: multiplier, 0 < factor <= 1.
        every: number of epochs between drops, int >= 1.

    Returns:
        schedule(epoch) -> lr * factor ** (epoch // every), for epochs counted from 0.
    """
    lr = check_positive_number(lr, "lr")
    factor = check_positive_number(factor, "factor")
    if factor > 1:
        raise ValueError(f"factor must be in (0, 1] (a decay), got {factor}")
    every = check_int(every, "every", minimum=1)

    def schedule(epoch):
        epoch = check_int(epoch, "epoch", minimum=0)
        return lr * factor ** (epoch // every)

    return schedule


def cosine(lr, epochs, lr_min=0.0):
    """Schedule that lowers the learning rate from `lr` towards `lr_min` along half a cosine.

    Args:
        lr: learning rate of the first epoch, > 0.
        epochs: length of the run, int >= 1.
        lr_min: the value approached at the end, 0 <= lr_min < lr.

    Returns:
        schedule(epoch) -> lr_min + (lr - lr_min) * (1 + cos(pi * epoch / epochs)) / 2,
        for epoch in 0..epochs-1 (so it never quite reaches lr_min).
    """
    lr = check_positive_number(lr, "lr")
    epochs = check_int(epochs, "epochs", minimum=1)
    lr_min = check_positive_number(lr_min, "lr_min", allow_zero=True)
    if lr_min >= lr:
        raise ValueError(f"lr_min must be smaller than lr = {lr}, got {lr_min}")

    def schedule(epoch):
        epoch = check_int(epoch, "epoch", minimum=0)
        if epoch >= epochs:
            raise ValueError(
                f"epoch must be in 0..{epochs - 1} for a cosine schedule over {epochs} epochs, "
                f"got {epoch}"
            )
        return lr_min + (lr - lr_min) * (1 + math.cos(math.pi * epoch / epochs)) / 2

    return schedule


def _is_bias(name):
    """Biases are the parameters named "b" (in a Sequential, "<index>.b")."""
    return name.rsplit(".", 1)[-1] == "b"


def _collect_parameters(model_or_params):
    """A list of (name, param, grad) triples from a Layer or an iterable of triples."""
    if isinstance(model_or_params, Layer):
        params = list(model_or_params.named_parameters())
    elif isinstance(model_or_params, (str, np.ndarray)) or not _is_iterable(model_or_params):
        raise TypeError(
            f"model_or_params must be a Layer such as a Sequential, or an iterable of "
            f"(name, param, grad) triples like model.named_parameters(), "
            f"got {describe(model_or_params)}"
        )
    else:
        params = list(model_or_params)
        for index, item in enumerate(params):
            _check_triple(item, f"model_or_params[{index}]")
    if not params:
        raise ValueError(
            "model_or_params must hold at least one parameter, got none "
            "(layers such as ReLU, pooling and Flatten have nothing to train)"
        )
    for name, param, _ in params:
        if not param.flags.writeable:
            raise ValueError(
                f"parameter {name!r} must be a writeable array, since SGD updates it in place, "
                f"got a read-only array of shape {param.shape}; give the layer a copy, "
                f"e.g. layer.params[...] = array.copy()"
            )
    return params


def _is_iterable(value):
    try:
        iter(value)
    except TypeError:
        return False
    return True


def _check_triple(item, name):
    is_triple = isinstance(item, tuple) and len(item) == 3
    if not is_triple or not isinstance(item[0], str):
        raise TypeError(
            f"{name} must be a (name, param, grad) tuple with a str name, as yielded by "
            f"model.named_parameters(), got {describe(item)}"
        )
    _, param, grad = item
    for array, role in ((param, "param"), (grad, "grad")):
        if not (isinstance(array, np.ndarray) and array.dtype in FLOAT_DTYPES):
            raise TypeError(
                f"{name} must hold a float32/float64 array as its {role}, got {describe(array)}"
            )
    if grad.shape != param.shape or grad.dtype != param.dtype:
        raise ValueError(
            f"{name} must have a grad of the shape and dtype of its param "
            f"{param.shape} {param.dtype}, got {grad.shape} {grad.dtype}"
        )
