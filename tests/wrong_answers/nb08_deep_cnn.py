"""Plausible wrong answers to the exercises of notebook 08; each must be rejected by its check."""

import numpy as np

from lectureml import layers
from lectureml.grading.checks.nb08_deep_cnn import describe_network


def _lenet(
    rng,
    first_padding=2,
    pool=layers.MaxPool2D,
    activation=layers.ReLU,
    flat=400,
    second_padding=0,
):
    return layers.Sequential(
        layers.Conv2D(1, 6, 5, rng, padding=first_padding),
        activation(),
        pool(2),
        layers.Conv2D(6, 16, 5, rng, padding=second_padding),
        activation(),
        pool(2),
        layers.Flatten(),
        layers.Dense(flat, 120, rng),
        activation(),
        layers.Dense(120, 84, rng),
        activation(),
        layers.Dense(84, 10, rng),
    )


def _without_last_relu(rng):
    """Forgets the ReLU between Dense(120, 84) and Dense(84, 10): one layer short."""
    model = _lenet(rng)
    return layers.Sequential(*model.layers[:10], model.layers[11])


_RNG = np.random.default_rng(0)

# Forgets the first layer's padding (28 -> 24 -> 12 -> 8 -> 4) and patches Dense to fit.
_UNPADDED = describe_network(_lenet(_RNG, first_padding=0, flat=256))
# Mean pooling where the specification asks for max pooling.
_MEAN_POOLING = describe_network(_lenet(_RNG, pool=layers.AvgPool2D))
# The logistic sigmoid of the original 1998 paper instead of ReLU.
_SIGMOID = describe_network(_lenet(_RNG, activation=layers.Sigmoid))
_MISSING_RELU = describe_network(_without_last_relu(_RNG))
# Pads the second convolution too (14 -> 14 -> 7) and patches Dense to 16 * 7 * 7 = 784 inputs.
_SECOND_PADDED = describe_network(_lenet(_RNG, second_padding=2, flat=784))

_CORRECT_SHAPES = [
    (6, 28, 28),
    (6, 28, 28),
    (6, 14, 14),
    (16, 10, 10),
    (16, 10, 10),
    (16, 5, 5),
    (400,),
    (120,),
    (120,),
    (84,),
    (84,),
    (10,),
]
_UNPADDED_SHAPES = [
    (6, 24, 24),
    (6, 24, 24),
    (6, 12, 12),
    (16, 8, 8),
    (16, 8, 8),
    (16, 4, 4),
    (256,),
    *_CORRECT_SHAPES[7:],
]
# Channels last, as in TensorFlow's default layout: the course is NCHW.
_CHANNELS_LAST_SHAPES = [
    (shape[1], shape[2], shape[0]) if len(shape) == 3 else shape for shape in _CORRECT_SHAPES
]
# With the batch axis of a batch of one left in.
_WITH_BATCH_AXIS = [(1, *shape) for shape in _CORRECT_SHAPES]

# The right sizes, computed with / and left as floats.
_FLOAT_SHAPES = [tuple(float(n) for n in shape) for shape in _CORRECT_SHAPES]
# Flatten written down as if it kept the maps: (16, 5, 5) instead of one vector.
_FLATTEN_KEEPS_MAPS = [*_CORRECT_SHAPES[:6], _CORRECT_SHAPES[5], *_CORRECT_SHAPES[7:]]

# Weights only: forgets one bias per filter / unit.
_NO_BIASES = [150, 0, 0, 2400, 0, 0, 0, 48000, 0, 10080, 0, 840]
# A 5x5 kernel per filter as if the second convolution saw one channel, not six.
_ONE_INPUT_CHANNEL = [156, 0, 0, 416, 0, 0, 0, 48120, 0, 10164, 0, 850]
# Counted for the unpadded network (Dense sees 16 * 4 * 4 = 256 inputs).
_UNPADDED_COUNTS = [156, 0, 0, 2416, 0, 0, 0, 30840, 0, 10164, 0, 850]
# The right counts, computed with / and left as floats.
_FLOAT_COUNTS = [156.0, 0, 0, 2416.0, 0, 0, 0, 48120.0, 0, 10164.0, 0, 850.0]
# One bias per input channel or input feature instead of one per filter or unit.
_BIAS_PER_INPUT = [151, 0, 0, 2406, 0, 0, 0, 48400, 0, 10200, 0, 924]

WRONG_ANSWERS = {
    "08-lenet-model": [_UNPADDED, _MEAN_POOLING, _SIGMOID, _MISSING_RELU, _SECOND_PADDED],
    "08-lenet-shapes": [
        _UNPADDED_SHAPES,
        _CHANNELS_LAST_SHAPES,
        _WITH_BATCH_AXIS,
        _FLOAT_SHAPES,
        _FLATTEN_KEEPS_MAPS,
    ],
    "08-lenet-parameters": [
        _NO_BIASES,
        _ONE_INPUT_CHANNEL,
        _UNPADDED_COUNTS,
        _FLOAT_COUNTS,
        _BIAS_PER_INPUT,
    ],
    "08-hyperparameters": [
        # Steps far too large with momentum: the network collapses to one class (10%).
        {"learning_rate": 1.0, "momentum": 0.9, "batch_size": 32},
        # Steps far too small: two epochs barely move the weights.
        {"learning_rate": 0.001, "momentum": 0.0, "batch_size": 64},
        # The whole subset as one batch: only two steps in two epochs.
        {"learning_rate": 0.05, "momentum": 0.9, "batch_size": 2000},
        # Plain SGD: 88.3% on the validation digits, but 86.4% on the test digits.
        {"learning_rate": 0.1, "momentum": 0.0, "batch_size": 32},
        # Steps a little too small: 87.6% on the validation digits, 85.9% on the test digits.
        {"learning_rate": 0.01, "momentum": 0.9, "batch_size": 64},
    ],
}
