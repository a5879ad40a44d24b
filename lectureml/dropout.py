"""Dropout: randomly "drop out" units while training, as a regulariser.

Every training step silences each unit independently with probability `p`, so the network
cannot rely on any single unit; averaging over the random masks makes training an implicit
ensemble of the 2^units thinned networks that share one set of weights.

This is *inverted* dropout: the units that survive are multiplied by 1 / (1 - p) during
training, so the expected value of every output equals its input,

    E[out] = (1 - p) * x / (1 - p) + p * 0 = x,

and at test time the layer is simply the identity (no rescaling of the weights is needed).
"""

import numpy as np

from lectureml._validate import as_float_array, check_bool, check_generator, check_probability


def dropout(x, p, rng, training=True):
    """Forward pass of inverted dropout.

    Args:
        x: activations, any shape, float32 or float64.
        p: probability of DROPPING each unit, 0 <= p < 1 (p = 0.5 keeps half the units).
        rng: numpy.random.Generator drawing the mask, e.g. np.random.default_rng(0); required
            even when no mask is drawn, so a seed is always explicit. The mask depends only on
            the generator's state and x's shape and dtype, not on the values of x.
        training: True draws a random mask; False (test time) makes the layer the identity.

    Returns:
        out: x * mask, the shape and dtype of `x`.
        mask: the scale factor of every unit, shape and dtype of `x`: 0 for a dropped unit,
            1 / (1 - p) for a kept one. When training is False or p == 0 nothing is dropped,
            the mask is all ones (no random numbers are drawn) and out is a copy of x.
    """
    x = as_float_array(x, "x")
    p = check_probability(p, "p")
    rng = check_generator(rng, "rng")
    training = check_bool(training, "training")

    if not training or p == 0:
        return x.copy(), np.ones_like(x)
    keep = rng.random(x.shape, dtype=x.dtype) >= p
    mask = keep * x.dtype.type(1 / (1 - p))
    return x * mask, mask


def dropout_backward(dout, mask):
    """Backward pass of `dropout`: a dropped unit passes no gradient, a kept one is scaled.

    out = x * mask with the mask fixed, so dL/dx = dL/dout * mask.

    Args:
        dout: upstream gradient dL/dout, any shape.
        mask: the mask returned by `dropout` for the same forward pass, shape of `dout`.

    Returns:
        dx: gradient dL/dx, shape and dtype of `dout`.
    """
    dout = as_float_array(dout, "dout")
    mask = as_float_array(mask, "mask")
    if mask.shape != dout.shape:
        raise ValueError(
            f"mask must have the shape of dout {dout.shape} (the mask of the same forward pass), "
            f"got shape {mask.shape}"
        )
    return (dout * mask).astype(dout.dtype, copy=False)
