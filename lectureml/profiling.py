"""Where a training step's work and time go: matrix multiplication versus everything else.

The lecture calls deep learning "natural for GPU computations". The reason is that almost
every floating-point operation of a CNN is part of a matrix product:

- a Conv2D layer is one product over image patches (im2col): forward
  (F, C k k) @ (C k k, N Ho Wo), and two more of the same size in backward
  (for dL/dW and for dL/dx), each 2 F C k^2 N Ho Wo operations;
- a Dense layer is x @ W forward and two products backward, each 2 N D M operations;
- ReLU, pooling, dropout, biases, the loss and the SGD update touch each number once or
  twice, which is cheap in operations but not free in time, as they only move memory.

`training_step_flops` counts the useful operations of one forward + backward + update step
layer by layer (deterministic: it depends on the shapes only). `profile_training_step`
times the same step on a copy of a model, layer by layer, and `time_matmuls` times the
bare matrix products of each layer with the same shapes, so the two together say how much
of the measured time the products take and how many operations per second they achieve.
"""

import copy
import dataclasses
import time

import numpy as np

from lectureml import losses, optim
from lectureml._validate import (
    check_float_dtype,
    check_generator,
    check_int,
    describe,
)
from lectureml.layers import (
    AvgPool2D,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    Layer,
    MaxPool2D,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
    check_input_shape,
    check_labelled_batch,
)

_ELEMENTWISE = (ReLU, Sigmoid, Tanh, Dropout)


@dataclasses.dataclass(frozen=True)
class StepCost:
    """Floating-point operations of one part of a training step.

    Attributes:
        name: the layer (e.g. "0 Conv2D 1->8 5x5"), "loss" or "SGD update".
        matmul_flops: operations inside matrix products (multiply and add count as 2).
        other_flops: every other arithmetic operation (one per element touched and per
            comparison; an estimate on the generous side).
    """

    name: str
    matmul_flops: int
    other_flops: int


def _check_sequential(model):
    if not isinstance(model, Sequential):
        raise TypeError(f"model must be a Sequential of layers, got {describe(model)}")


def layer_name(index, layer):
    """Short label of a layer for tables and figures, e.g. "3 Conv2D 8->16 5x5".

    Args:
        index: the layer's position in its Sequential, int >= 0.
        layer: a lectureml Layer.
    """
    index = check_int(index, "index", minimum=0)
    if not isinstance(layer, Layer):
        raise TypeError(
            f"layer must be a lectureml Layer such as Conv2D(...), got {describe(layer)}"
        )
    if isinstance(layer, Conv2D):
        detail = (
            f"{layer.in_channels}->{layer.out_channels} {layer.kernel_size}x{layer.kernel_size}"
        )
    elif isinstance(layer, Dense):
        detail = f"{layer.in_features}->{layer.out_features}"
    elif isinstance(layer, (MaxPool2D, AvgPool2D)):
        detail = f"{layer.size}x{layer.size}"
    else:
        detail = ""
    return f"{index} {type(layer).__name__} {detail}".rstrip()


def _layer_flops(layer, in_shape, out_shape, batch_size):
    """(matmul, other) operations of one layer's forward + backward for a batch."""
    inputs = batch_size * int(np.prod(in_shape))
    outputs = batch_size * int(np.prod(out_shape))
    if isinstance(layer, Conv2D):
        patch = layer.in_channels * layer.kernel_size**2
        one_product = 2 * outputs * patch
        # Bias add and its gradient, plus summing overlapping patch gradients back (col2im).
        return 3 * one_product, 2 * outputs + outputs * patch // layer.out_channels
    if isinstance(layer, Dense):
        one_product = 2 * batch_size * layer.in_features * layer.out_features
        return 3 * one_product, 2 * outputs
    if isinstance(layer, MaxPool2D):
        # size^2 - 1 comparisons per window forward, one routed value per input backward.
        return 0, outputs * (layer.size**2 - 1) + inputs
    if isinstance(layer, AvgPool2D):
        return 0, outputs * layer.size**2 + inputs
    if isinstance(layer, _ELEMENTWISE):
        # One operation forward (max, or the mask multiply) and one backward per element.
        return 0, 2 * inputs
    if isinstance(layer, Flatten):
        return 0, 0
    raise TypeError(f"model must contain only lectureml layers, got {describe(layer)}")


def training_step_flops(model, input_shape, batch_size):
    """Count the operations of one SGD step (forward, backward, update) layer by layer.

    Args:
        model: a Sequential of lectureml layers ending in (N, K) logits.
        input_shape: one example's shape, e.g. (1, 28, 28).
        batch_size: examples in the minibatch, int >= 1.

    Returns:
        list of StepCost: one per layer, then "loss" (softmax cross-entropy, about 5
        operations per logit) and "SGD update" (4 per parameter: momentum and step).
    """
    _check_sequential(model)
    input_shape = check_input_shape(input_shape)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    shapes = [input_shape, *model.output_shapes(input_shape)]
    costs = []
    for index, layer in enumerate(model.layers):
        matmul, other = _layer_flops(layer, shapes[index], shapes[index + 1], batch_size)
        costs.append(StepCost(layer_name(index, layer), matmul, other))
    logits = batch_size * int(np.prod(shapes[-1]))
    costs.append(StepCost("loss", 0, 5 * logits))
    costs.append(StepCost("SGD update", 0, 4 * model.num_parameters))
    return costs


def _matmul_shapes(layer, in_shape, out_shape, batch_size):
    """The three (rows, inner, cols) products of a Conv2D/Dense step; [] for other layers."""
    if isinstance(layer, Conv2D):
        positions = batch_size * out_shape[1] * out_shape[2]
        patch = layer.in_channels * layer.kernel_size**2
        filters = layer.out_channels
        return [
            (filters, patch, positions),
            (filters, positions, patch),
            (patch, filters, positions),
        ]
    if isinstance(layer, Dense):
        d, m = layer.in_features, layer.out_features
        return [(batch_size, d, m), (d, batch_size, m), (batch_size, m, d)]
    return []


def time_matmuls(model, input_shape, batch_size, rng, repeats=7):
    """Median seconds of the bare matrix products of each layer (forward and backward).

    Every product is run on fresh random arrays of the model's dtype with exactly the shapes
    a training step needs, so the time is the matmul kernel alone, without the copying that
    builds the patches or reshapes the results.

    Args:
        model: a Sequential of lectureml layers.
        input_shape: one example's shape, e.g. (1, 28, 28).
        batch_size: examples per minibatch, int >= 1.
        rng: numpy.random.Generator for the operands.
        repeats: timings per product; the median is kept (int >= 1).

    Returns:
        list of seconds per step, one entry per layer (0.0 for layers without products).
    """
    _check_sequential(model)
    input_shape = check_input_shape(input_shape)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    rng = check_generator(rng, "rng")
    repeats = check_int(repeats, "repeats", minimum=1)
    dtype = model.dtype or np.float32
    shapes = [input_shape, *model.output_shapes(input_shape)]
    seconds = []
    for index, layer in enumerate(model.layers):
        total = 0.0
        for rows, inner, cols in _matmul_shapes(
            layer, shapes[index], shapes[index + 1], batch_size
        ):
            left = rng.standard_normal((rows, inner)).astype(dtype)
            right = rng.standard_normal((inner, cols)).astype(dtype)
            left @ right  # warm-up: first calls pay for thread start-up and page faults
            runs = []
            for _ in range(repeats):
                started = time.perf_counter()
                left @ right
                runs.append(time.perf_counter() - started)
            total += float(np.median(runs))
        seconds.append(total)
    return seconds


class _LayerTimer:
    """Wraps one layer's forward and backward so their wall-clock time adds up."""

    def __init__(self, layer):
        self.seconds = 0.0
        self._forward = layer.forward
        self._backward = layer.backward
        layer.forward = self.forward
        layer.backward = self.backward

    def forward(self, x, training=False):
        started = time.perf_counter()
        out = self._forward(x, training)
        self.seconds += time.perf_counter() - started
        return out

    def backward(self, dout):
        started = time.perf_counter()
        dx = self._backward(dout)
        self.seconds += time.perf_counter() - started
        return dx


def profile_training_step(model, x, y, lr=0.01, momentum=0.9, steps=5):
    """Median time of one training step on a copy of `model`, split by layer.

    The model is deep-copied, so its parameters (and its dropout generator) are untouched.
    One warm-up step is run first, then `steps` timed steps on the same batch.

    Args:
        model: a Sequential of lectureml layers outputting logits.
        x: one minibatch of inputs, shape (N, ...).
        y: its integer labels, shape (N,).
        lr, momentum: the SGD settings of the copy (they do not change the time).
        steps: number of timed steps, int >= 1.

    Returns:
        dict {name: seconds per step} with one entry per layer (names as in
        `training_step_flops`), then "loss" and "SGD update".
    """
    _check_sequential(model)
    x, y = check_labelled_batch(model, x, y)
    steps = check_int(steps, "steps", minimum=1)
    twin = copy.deepcopy(model)
    optimizer = optim.SGD(twin, lr=lr, momentum=momentum)
    timers = [_LayerTimer(layer) for layer in twin.layers]
    x = x.astype(twin.dtype or x.dtype, copy=False)
    runs = []
    for step in range(steps + 1):
        for timer in timers:
            timer.seconds = 0.0
        logits = twin.forward(x, training=True)
        loss_started = time.perf_counter()
        _, dlogits = losses.softmax_cross_entropy(logits, y)
        loss_seconds = time.perf_counter() - loss_started
        twin.backward(dlogits)
        update_started = time.perf_counter()
        optimizer.step()
        update_seconds = time.perf_counter() - update_started
        if step:
            runs.append([*(timer.seconds for timer in timers), loss_seconds, update_seconds])
    medians = np.median(np.array(runs), axis=0)
    names = [layer_name(index, layer) for index, layer in enumerate(model.layers)]
    return dict(zip([*names, "loss", "SGD update"], (float(m) for m in medians), strict=True))


def peak_matmul_gflops(size=1024, dtype=np.float32, repeats=5):
    """Operations per second (in GFLOP/s) of one large square product: this CPU's best case.

    Args:
        size: side of the square matrices, int >= 1.
        dtype: np.float32 or np.float64.
        repeats: timings; the fastest is kept (int >= 1).
    """
    size = check_int(size, "size", minimum=1)
    repeats = check_int(repeats, "repeats", minimum=1)
    dtype = check_float_dtype(dtype)
    matrix = np.ones((size, size), dtype=dtype)
    matrix @ matrix
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        matrix @ matrix
        best = min(best, time.perf_counter() - started)
    return 2 * size**3 / best / 1e9
