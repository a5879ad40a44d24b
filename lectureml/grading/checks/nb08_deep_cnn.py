"""Checks of notebook 08 (deep CNN): build LeNet-5, predict its shapes, choose hyperparameters.

"08-lenet-model": `describe_network(model)` of the student's network, judged against the
    specification below (layer types, their settings, parameter shapes, a forward pass).
"08-lenet-shapes": each layer's output shape for one 28 x 28 digit, without the batch axis,
    channels first: a list (or tuple) of tuples (or lists) of ints (numpy integers too).
"08-lenet-parameters": each layer's number of trainable parameters (weights and biases), a
    list (or tuple) of ints (numpy integers too). Floats such as 2416.0 are refused in both
    exercises, by the notebook's visible test as well.
"08-hyperparameters": {"learning_rate", "momentum", "batch_size"}; the grader builds
    `judge_network` with seed JUDGE_SEED, trains it JUDGE_EPOCHS epochs on the first
    JUDGE_TRAIN_SIZE training digits and scores it on the 1,000 test digits. Regrading is
    identical and nothing the student trains on the test split can help.
"""

import warnings

import numpy as np

from lectureml import layers, optim, training
from lectureml.data import load_mnist_subset
from lectureml.grading import value_check
from lectureml.grading.verdict import as_int_tuple, is_integer, plain

# LeNet-5 (LeCun et al., 1998) as modern code writes it: ReLU units and max pooling.
# (layer type, settings that must match), in order.
LENET_SPECIFICATION = [
    ("Conv2D", {"in_channels": 1, "out_channels": 6, "kernel_size": 5, "stride": 1, "padding": 2}),
    ("ReLU", {}),
    ("MaxPool2D", {"size": 2, "stride": 2}),
    ("Conv2D", {"in_channels": 6, "out_channels": 16, "kernel_size": 5, "stride": 1, "padding": 0}),
    ("ReLU", {}),
    ("MaxPool2D", {"size": 2, "stride": 2}),
    ("Flatten", {}),
    ("Dense", {"in_features": 400, "out_features": 120}),
    ("ReLU", {}),
    ("Dense", {"in_features": 120, "out_features": 84}),
    ("ReLU", {}),
    ("Dense", {"in_features": 84, "out_features": 10}),
]
LENET_INPUT_SHAPE = (1, 28, 28)

_LAYER_CLASSES = {
    cls.__name__: cls
    for cls in (
        layers.Conv2D,
        layers.Dense,
        layers.MaxPool2D,
        layers.AvgPool2D,
        layers.ReLU,
        layers.Sigmoid,
        layers.Tanh,
        layers.Dropout,
        layers.Flatten,
    )
}
_SETTINGS = {
    "Conv2D": ("in_channels", "out_channels", "kernel_size", "stride", "padding"),
    "Dense": ("in_features", "out_features"),
    "MaxPool2D": ("size", "stride"),
    "AvgPool2D": ("size", "stride"),
    "Dropout": ("p",),
}


def describe_network(model):
    """Plain-data description of a Sequential, for `expect("08-lenet-model", ...)`.

    Returns:
        dict with "layers": one {"type", settings..., "parameters": {name: shape}} per
        layer (type "other: <class>" for anything that is not a lectureml layer), and
        "output_shape": the shape of model.forward on two blank digits, or the error text.
    """
    if not isinstance(model, layers.Sequential):
        return {"layers": [], "output_shape": f"not a Sequential: {type(model).__name__}"}
    described = []
    for layer in model.layers:
        name = type(layer).__name__
        if _LAYER_CLASSES.get(name) is not type(layer):
            described.append({"type": f"other: {name}", "parameters": {}})
            continue
        entry = {"type": name}
        for setting in _SETTINGS.get(name, ()):
            entry[setting] = getattr(layer, setting)
        entry["parameters"] = {key: tuple(value.shape) for key, value in layer.params.items()}
        described.append(entry)
    try:
        blank = np.zeros((2, *LENET_INPUT_SHAPE), dtype=model.dtype or np.float32)
        output_shape = tuple(model.forward(blank, training=False).shape)
    except Exception as error:  # a broken student model must still be described
        output_shape = f"{type(error).__name__}: {error}"[:200]
    return {"layers": described, "output_shape": output_shape}


def _parameter_shapes(kind, settings):
    if kind == "Conv2D":
        size = settings["kernel_size"]
        return {
            "W": (settings["out_channels"], settings["in_channels"], size, size),
            "b": (settings["out_channels"],),
        }
    if kind == "Dense":
        return {
            "W": (settings["in_features"], settings["out_features"]),
            "b": (settings["out_features"],),
        }
    return {}


@value_check("08-lenet-model")
def judge_lenet_model(description):
    if not isinstance(description, dict) or not isinstance(description.get("layers"), list):
        return False, "pass describe_network(lenet), where lenet is your Sequential"
    got = description["layers"]
    if not got:
        return False, f"lenet must be a Sequential of layers ({description.get('output_shape')})"
    if len(got) != len(LENET_SPECIFICATION):
        return False, (
            f"the specification has {len(LENET_SPECIFICATION)} layers (count every ReLU, "
            f"pooling and Flatten), your network has {len(got)}"
        )
    for index, (entry, (kind, settings)) in enumerate(zip(got, LENET_SPECIFICATION, strict=True)):
        if not isinstance(entry, dict):
            return False, f"layer {index} could not be read"
        if entry.get("type") != kind:
            return (
                False,
                f"layer {index} is a {entry.get('type')}, the specification asks for a {kind}",
            )
        for setting, wanted in settings.items():
            if entry.get(setting) != wanted:
                return (
                    False,
                    f"layer {index} ({kind}) has {setting}={plain(entry.get(setting))}, "
                    f"which does not match the specification",
                )
        parameters = entry.get("parameters")
        if not isinstance(parameters, dict):
            return False, f"layer {index} ({kind}) has unreadable parameters"
        shapes = {key: as_int_tuple(value) for key, value in parameters.items()}
        if shapes != _parameter_shapes(kind, settings):
            return (
                False,
                f"layer {index} ({kind}) has parameters of shapes {shapes}, "
                f"which do not fit its settings",
            )
    if as_int_tuple(description.get("output_shape")) != (2, 10):
        return False, (
            f"a forward pass of two digits must give logits of shape (2, 10), "
            f"got {description.get('output_shape')}"
        )
    return True, ""


def lenet_reference_shapes():
    """Output shape of every LENET_SPECIFICATION layer for one digit (no batch axis)."""
    channels, height, width = LENET_INPUT_SHAPE
    shapes = []
    for kind, settings in LENET_SPECIFICATION:
        if kind == "Conv2D":
            channels = settings["out_channels"]
            height = (height + 2 * settings["padding"] - settings["kernel_size"]) // settings[
                "stride"
            ] + 1
            width = (width + 2 * settings["padding"] - settings["kernel_size"]) // settings[
                "stride"
            ] + 1
            shapes.append((channels, height, width))
        elif kind == "MaxPool2D":
            height = (height - settings["size"]) // settings["stride"] + 1
            width = (width - settings["size"]) // settings["stride"] + 1
            shapes.append((channels, height, width))
        elif kind == "Flatten":
            channels, height, width = channels * height * width, None, None
            shapes.append((channels,))
        elif kind == "Dense":
            channels = settings["out_features"]
            shapes.append((channels,))
        else:
            shapes.append(shapes[-1])
    return shapes


def lenet_reference_parameters():
    """Trainable numbers of every LENET_SPECIFICATION layer."""
    return [
        sum(int(np.prod(shape)) for shape in _parameter_shapes(kind, settings).values())
        for kind, settings in LENET_SPECIFICATION
    ]


def _judge_per_layer(answer, expected, what, convert, hint=None):
    """Check one answer per layer; `hint(index, got, want)` may explain a wrong entry."""
    if not isinstance(answer, (list, tuple)):
        return False, f"give a list (or tuple) with one {what} per layer"
    if len(answer) != len(expected):
        return False, f"give one {what} per layer: {len(expected)} entries, got {len(answer)}"
    for index, (got, want) in enumerate(zip(answer, expected, strict=True)):
        converted = convert(got)
        if isinstance(converted, str):
            return False, f"entry {index} is {plain(got)}: {converted}"
        if converted != want:
            extra = hint(index, converted, want) if hint else ""
            return False, f"the {what} of layer {index} is not right (and maybe later ones){extra}"
    return True, ""


def _answer_shape(value):
    """A shape answer as a tuple of ints, or what is wrong with it."""
    if not isinstance(value, (list, tuple)):
        return "a shape is a tuple of ints, e.g. (6, 28, 28) or (400,)"
    for number in value:
        if not is_integer(number):
            if isinstance(number, (float, np.floating)) and float(number).is_integer():
                return "give the sizes as ints, not floats (on ints, // gives an int, / a float)"
            return "a shape is a tuple of ints, e.g. (6, 28, 28) or (400,)"
    return tuple(int(n) for n in value)


def _shape_hint(index, got, want):
    if len(got) == len(want) + 1:
        return (
            f": {len(got)} sizes look like a batch axis in front; give one example's shape, "
            "without the batch axis"
        )
    if len(want) == 3 and got == (want[1], want[2], want[0]):
        return ": the channels come first in this course, (C, H, W), not last"
    return (
        ". Give one example's shape, without the batch axis, channels first: (C, H, W) for "
        "feature maps, (features,) for vectors"
    )


def _answer_count(value):
    """A parameter count as an int, or what is wrong with it."""
    if is_integer(value):
        return int(value)
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return "give the counts as ints, not floats (on ints, // gives an int, / a float)"
    return "a parameter count is an int"


@value_check("08-lenet-shapes")
def judge_lenet_shapes(shapes):
    return _judge_per_layer(
        shapes, lenet_reference_shapes(), "shape", _answer_shape, hint=_shape_hint
    )


def _parameter_hint(index, got, want):
    kind, settings = LENET_SPECIFICATION[index]
    if want == 0:
        return f": a {kind} layer has nothing to learn"
    weights = int(np.prod(_parameter_shapes(kind, settings)["W"]))
    if got == weights:
        return (
            ": that is the number of its weights only; biases are trainable parameters too, one "
            "per filter of a convolution and one per unit of a Dense layer"
        )
    return ""


@value_check("08-lenet-parameters")
def judge_lenet_parameters(counts):
    return _judge_per_layer(
        counts,
        lenet_reference_parameters(),
        "parameter count",
        _answer_count,
        hint=_parameter_hint,
    )


# The hyperparameter exercise: a fixed small network, seed, data and epoch count.
JUDGE_SEED = 0
JUDGE_EPOCHS = 2
JUDGE_TRAIN_SIZE = 2000
JUDGE_THRESHOLD = 0.88
HYPERPARAMETER_KEYS = ("learning_rate", "momentum", "batch_size")
BATCH_SIZE_RANGE = (8, JUDGE_TRAIN_SIZE)


def judge_network(rng):
    """The small CNN the hyperparameter exercise trains (3,898 parameters)."""
    return layers.Sequential(
        layers.Conv2D(1, 6, 5, rng),
        layers.ReLU(),
        layers.MaxPool2D(2),
        layers.Conv2D(6, 12, 5, rng),
        layers.ReLU(),
        layers.MaxPool2D(2),
        layers.Flatten(),
        layers.Dense(192, 10, rng),
    )


def _hyperparameter_problem(hyperparameters):
    """What is wrong with the answer's form, or "" when it can be trained."""
    if not isinstance(hyperparameters, dict) or set(hyperparameters) != set(HYPERPARAMETER_KEYS):
        return f"give a dict with exactly the keys {list(HYPERPARAMETER_KEYS)}"
    lr, momentum, batch_size = (hyperparameters[key] for key in HYPERPARAMETER_KEYS)
    real = (int, float, np.integer, np.floating)
    if isinstance(lr, (bool, np.bool_)) or not isinstance(lr, real) or not 0 < float(lr) <= 10:
        return f"learning_rate must be a number in (0, 10], got {plain(lr)}"
    if (
        isinstance(momentum, (bool, np.bool_))
        or not isinstance(momentum, real)
        or not 0 <= float(momentum) < 1
    ):
        return f"momentum must be a number in [0, 1), got {plain(momentum)}"
    low, high = BATCH_SIZE_RANGE
    if not is_integer(batch_size) or not low <= batch_size <= high:
        return f"batch_size must be an int from {low} to {high}, got {plain(batch_size)}"
    return ""


def train_judge_network(hyperparameters, x_train, y_train):
    """Train `judge_network` as the grader does; returns the model, or None if it diverged."""
    model = judge_network(np.random.default_rng(JUDGE_SEED))
    optimizer = optim.SGD(
        model,
        lr=float(hyperparameters["learning_rate"]),
        momentum=float(hyperparameters["momentum"]),
    )
    # A diverging run overflows before the loss rejects its NaN logits: that is the answer
    # being wrong, not an error of the grader.
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            training.fit(
                model,
                x_train,
                y_train,
                epochs=JUDGE_EPOCHS,
                batch_size=int(hyperparameters["batch_size"]),
                optimizer=optimizer,
                rng=np.random.default_rng(JUDGE_SEED),
                progress=False,
            )
        except ValueError:
            return None
        if not all(np.all(np.isfinite(param)) for param, _ in model.parameters()):
            return None
    return model


def validation_accuracy(hyperparameters):
    """Train as the grader does (first 2,000 training digits), return the accuracy on the
    last 1,000 training digits: a way to try hyperparameters without the test split."""
    problem = _hyperparameter_problem(hyperparameters)
    if problem:
        raise ValueError(problem)
    x_train, y_train, _, _ = load_mnist_subset()
    model = train_judge_network(
        hyperparameters, x_train[:JUDGE_TRAIN_SIZE], y_train[:JUDGE_TRAIN_SIZE]
    )
    if model is None:
        return 0.0
    return training.evaluate(model, x_train[-1000:], y_train[-1000:])[1]


@value_check("08-hyperparameters")
def judge_hyperparameters(hyperparameters):
    problem = _hyperparameter_problem(hyperparameters)
    if problem:
        return False, problem
    x_train, y_train, x_test, y_test = load_mnist_subset()
    model = train_judge_network(
        hyperparameters, x_train[:JUDGE_TRAIN_SIZE], y_train[:JUDGE_TRAIN_SIZE]
    )
    if model is None:
        return False, "training diverged (the weights became infinite or NaN)"
    _, accuracy = training.evaluate(model, x_test, y_test)
    if accuracy < JUDGE_THRESHOLD:
        message = (
            f"after {JUDGE_EPOCHS} epochs the network reaches {100 * accuracy:.1f}% test "
            f"accuracy; at least {100 * JUDGE_THRESHOLD:.0f}% is needed"
        )
        return False, message + _failure_hint(model, x_test, accuracy)
    return True, ""


# A network that gives (nearly) every test digit the same class has collapsed.
COLLAPSED_CLASS_SHARE = 0.9
NEAR_CHANCE_ACCURACY = 0.2


def _failure_hint(model, x_test, accuracy):
    """Why a trained judge network may have failed, read from what it predicts."""
    predictions = model.forward(x_test, training=False).argmax(axis=1)
    top_share = np.bincount(predictions).max() / len(predictions)
    if top_share >= COLLAPSED_CLASS_SHARE:
        return (
            ". It gives almost every digit the same class: about 10% is chance level for 10 "
            "classes, so training went nowhere. The steps were probably too large: momentum "
            "multiplies the learning rate by about 1 / (1 - momentum), and tiny batches make "
            "every step noisy"
        )
    if accuracy < NEAR_CHANCE_ACCURACY:
        return (
            ". That is barely above chance level (10% for 10 classes): the network hardly "
            "learned, from too few steps (two epochs are 2 * 2000 / batch_size of them) or too "
            "small ones"
        )
    return ""
