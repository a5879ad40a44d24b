"""What the hidden units of a network are doing: gradient flow, sparsity and dead units.

The lecture says ReLU is the typical activation function of CNNs, "for mathematical ease".
These measurements show what that choice changes in practice (notebook 06):

- `deep_mlp` builds the same deep fully connected network with ReLU, tanh or logistic units,
  each with the initialisation usually paired with it, so only the units differ;
- `layer_gradient_norms` measures ||dL/dW|| of every layer for one batch: a logistic network's
  gradients shrink layer by layer towards the input (vanishing gradients);
- `hidden_layers` returns every activation layer's pre-activations a and activations h(a);
- `activation_sparsity` is the fraction of activations that are exactly zero (a ReLU switches
  off about half of its units for any given input);
- `dead_unit_fraction` is the fraction of ReLU units that are off for EVERY example: such a
  unit passes no gradient (relu'(a) = 0 for a <= 0), so training can never revive it;
- `epochs_to_error` trains until the training error reaches a target, to compare how fast
  different units learn (Krizhevsky et al., 2012, compared ReLU and tanh this way).
"""

import itertools
import numbers
from typing import NamedTuple

import numpy as np

from lectureml import losses, training
from lectureml._validate import (
    check_choice,
    check_int,
    check_positive_number,
    describe,
)
from lectureml.layers import (
    Dense,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
    check_batch,
    check_labelled_batch,
    check_model,
)

# The activation layers the diagnostics recognise, by the name the notebooks use.
ACTIVATION_LAYERS = {"relu": ReLU, "tanh": Tanh, "logistic": Sigmoid}
# He et al. (2015) for ReLU; Glorot and Bengio (2010) for the symmetric sigmoids.
RECOMMENDED_INIT = {"relu": "he", "tanh": "glorot", "logistic": "glorot"}


class HiddenLayer(NamedTuple):
    """One activation layer's values on a batch.

    Attributes:
        index: position of the activation layer in the model.
        kind: "relu", "tanh" or "logistic".
        pre: the pre-activations a it received, shape (N, M) or (N, C, H, W).
        out: the activations h(a), same shape and dtype as `pre`.
    """

    index: int
    kind: str
    pre: np.ndarray
    out: np.ndarray


class TrainingRun(NamedTuple):
    """Result of `epochs_to_error`.

    Attributes:
        epochs_needed: the first epoch after which the training error was <= the target,
            or None if it was not reached within `max_epochs`.
        train_errors: training error (1 - accuracy, at test time) after each epoch run.
        seconds: wall-clock time spent training (evaluations excluded).
    """

    epochs_needed: int | None
    train_errors: list
    seconds: float


def deep_mlp(
    activation,
    depth,
    width,
    rng,
    in_features=784,
    num_classes=10,
    init=None,
    weight_scale=1.0,
    dtype=np.float32,
):
    """A deep fully connected classifier: `depth` hidden layers of `width` units, then logits.

    Args:
        activation: unit of every hidden layer, "relu", "tanh" or "logistic".
        depth: number of hidden layers, int >= 1.
        width: units per hidden layer, int >= 1.
        rng: numpy.random.Generator for the weights. The same seed draws the same standard
            normal numbers for every activation; only their scale (the init) differs.
        in_features: D, size of each input vector (784 for a flattened 28 x 28 digit).
        num_classes: K, number of output logits.
        init: "he" or "glorot"; None picks RECOMMENDED_INIT[activation].
        weight_scale: factor (> 0) applied to every initial weight, to explore larger or
            smaller starting weights than the init's.
        dtype: float32 (default) or float64.

    Returns:
        Sequential(Dense, act, Dense, act, ..., Dense) mapping (N, D) to (N, K).
    """
    kind = _check_kind(activation, "activation")
    depth = check_int(depth, "depth", minimum=1)
    width = check_int(width, "width", minimum=1)
    in_features = check_int(in_features, "in_features", minimum=1)
    num_classes = check_int(num_classes, "num_classes", minimum=1)
    init = RECOMMENDED_INIT[kind] if init is None else init
    weight_scale = check_positive_number(weight_scale, "weight_scale")
    sizes = [in_features] + [width] * depth
    layers = []
    for fan_in, fan_out in itertools.pairwise(sizes):
        layers += [Dense(fan_in, fan_out, rng, dtype=dtype, init=init), ACTIVATION_LAYERS[kind]()]
    layers.append(Dense(width, num_classes, rng, dtype=dtype, init=init))
    if weight_scale != 1.0:
        for layer in layers:
            if isinstance(layer, Dense):
                layer.params["W"] *= weight_scale
    return Sequential(*layers)


def layer_gradient_norms(model, x, labels):
    """Frobenius norm of dL/dW for every layer with weights, input side first.

    L is the mean softmax cross-entropy of the model's logits on the batch. The model runs
    forward and backward once (training=True), so its gradient arrays are overwritten.

    Args:
        model: a Layer (usually a Sequential) that outputs logits of shape (N, K).
        x: a batch the model accepts, e.g. (N, D).
        labels: integer class labels, shape (N,), entries in 0..K-1.

    Returns:
        float64 array of shape (number of layers with weights,).
    """
    check_model(model)
    x, labels = check_labelled_batch(model, x, labels, y_name="labels")
    logits = model.forward(x, training=True)
    _, dlogits = losses.softmax_cross_entropy(logits, labels)
    model.backward(dlogits)
    norms = [
        np.linalg.norm(layer.grads["W"].astype(np.float64))
        for layer in _flat_layers(model)
        if "W" in layer.params
    ]
    return np.array(norms, dtype=np.float64)


def hidden_layers(model, x):
    """Pre-activations and activations of every ReLU / tanh / logistic layer, at test time.

    Args:
        model: a Sequential containing at least one ReLU, Tanh or Sigmoid layer.
        x: a batch the model accepts, shape (N, ...).

    Returns:
        list of HiddenLayer(index, kind, pre, out), in the order of the model.
    """
    _check_sequential(model)
    x, _ = check_batch(model, x)
    kinds = {cls: name for name, cls in ACTIVATION_LAYERS.items()}
    if not any(type(layer) in kinds for layer in model):
        raise ValueError(
            f"model must contain at least one activation layer (ReLU(), Tanh() or Sigmoid()), "
            f"got layers {[repr(layer) for layer in model]}"
        )
    found = []
    for index, layer in enumerate(model):
        out = layer.forward(x, training=False)
        if type(layer) in kinds:
            found.append(HiddenLayer(index, kinds[type(layer)], x, out))
        x = out
    return found


def activation_sparsity(model, x):
    """Fraction of the activations that are exactly zero, per activation layer.

    A ReLU outputs exactly 0 for every negative pre-activation, so a ReLU layer is sparse;
    tanh and logistic units are (almost) never exactly 0.

    Args:
        model: a Sequential with at least one ReLU, Tanh or Sigmoid layer.
        x: a batch the model accepts, shape (N, ...).

    Returns:
        float64 array with one fraction in [0, 1] per activation layer.
    """
    return np.array(
        [np.mean(layer.out == 0) for layer in hidden_layers(model, x)], dtype=np.float64
    )


def dead_unit_fraction(model, x):
    """Fraction of the units of each ReLU layer that are inactive on every example of `x`.

    A unit is active on an example when its pre-activation is > 0 (relu'(0) = 0, so a unit
    sitting exactly at 0 passes no gradient either). A dead unit is active on no example:
    it outputs 0 and receives no gradient, whatever the data in `x`. For (N, C, H, W)
    feature maps a unit is a channel (one filter), active if positive at any position.

    Args:
        model: a Sequential with at least one ReLU layer.
        x: a batch the model accepts, shape (N, ...).

    Returns:
        float64 array with one fraction in [0, 1] per ReLU layer.
    """
    _check_sequential(model)
    if not any(isinstance(layer, ReLU) for layer in model):
        raise ValueError(
            f"model must contain at least one ReLU() layer (dead units are a ReLU notion), "
            f"got layers {[repr(layer) for layer in model]}"
        )
    fractions = []
    for layer in hidden_layers(model, x):
        if layer.kind == "relu":
            other_axes = tuple(axis for axis in range(layer.pre.ndim) if axis != 1)
            alive = np.any(layer.pre > 0, axis=other_axes)
            fractions.append(1.0 - np.mean(alive))
    return np.array(fractions, dtype=np.float64)


def epochs_to_error(
    model, x, labels, target_error, max_epochs, batch_size, optimizer, rng, epochs_per_check=1
):
    """Train with `training.fit` until the training error is at most `target_error`.

    After every `epochs_per_check` epochs the whole training set is classified at test time;
    training stops as soon as the error (1 - accuracy) is <= target_error, or after
    `max_epochs` epochs.

    Args:
        model: a Layer outputting logits (N, K).
        x: training inputs, shape (N, ...).
        labels: integer labels, shape (N,).
        target_error: the error to reach, a number in (0, 1).
        max_epochs: the most epochs to train, int >= 1.
        batch_size: examples per SGD step, int >= 1.
        optimizer: e.g. optim.SGD(model, lr=0.05, momentum=0.9).
        rng: numpy.random.Generator for the shuffles.
        epochs_per_check: epochs between two evaluations, int >= 1.

    Returns:
        TrainingRun(epochs_needed, train_errors, seconds); epochs_needed is None when the
        target was not reached within max_epochs.
    """
    check_model(model)
    x, labels = check_labelled_batch(model, x, labels, y_name="labels")
    if isinstance(target_error, bool) or not isinstance(target_error, numbers.Real):
        raise TypeError(f"target_error must be a number in (0, 1), got {describe(target_error)}")
    if not 0 < target_error < 1:
        raise ValueError(f"target_error must be in (0, 1), got {target_error}")
    max_epochs = check_int(max_epochs, "max_epochs", minimum=1)
    epochs_per_check = check_int(epochs_per_check, "epochs_per_check", minimum=1)
    errors, seconds, epoch = [], 0.0, 0
    while epoch < max_epochs:
        epochs = min(epochs_per_check, max_epochs - epoch)
        history = training.fit(model, x, labels, epochs, batch_size, optimizer, rng, progress=False)
        seconds += history.seconds
        epoch += epochs
        _, accuracy = training.evaluate(model, x, labels)
        errors.append(1.0 - accuracy)
        if errors[-1] <= target_error:
            return TrainingRun(epoch, errors, seconds)
    return TrainingRun(None, errors, seconds)


def _check_kind(value, name):
    return check_choice(value, name, ACTIVATION_LAYERS)


def _check_sequential(model):
    if not isinstance(model, Sequential):
        raise TypeError(
            f"model must be a Sequential (its hidden layers are inspected one by one), "
            f"got {describe(model)}"
        )


def _flat_layers(model):
    """The layers of a model, nested Sequentials expanded, in forward order."""
    if isinstance(model, Sequential):
        return [inner for layer in model for inner in _flat_layers(layer)]
    return [model]
