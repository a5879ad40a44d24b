"""Plausible wrong answers to the exercises of notebook 07; each must be rejected by its check.

"07-dropout-forward" is judged from a record of what the function did, so its wrong answers
are the records of wrong functions, made with the same `record_dropout_forward` the hidden
test uses.
"""

import numpy as np

from lectureml.grading.checks.nb07_dropout import record_dropout_forward

# --- 07-dropout-forward: dropout_forward(x, p, rng, training=True) -> (out, mask) ----------


def _identity(x):
    return x.copy(), np.ones_like(x)


def forward_without_rescaling(x, p, rng, training=True):
    """Drops units but forgets to scale the kept ones by 1 / (1 - p)."""
    if not training:
        return _identity(x)
    mask = (rng.random(x.shape) >= p).astype(x.dtype)
    return x * mask, mask


def forward_p_as_keep_probability(x, p, rng, training=True):
    """Keeps each unit with probability p instead of dropping it with probability p."""
    if not training or p == 0:
        return _identity(x)
    mask = ((rng.random(x.shape) < p) / p).astype(x.dtype)
    return x * mask, mask


def forward_flipped_comparison(x, p, rng, training=True):
    """Scales by 1 / (1 - p) but keeps a unit when its uniform number is below p."""
    if not training:
        return _identity(x)
    mask = ((rng.random(x.shape) < p) / (1 - p)).astype(x.dtype)
    return x * mask, mask


def forward_scales_by_one_over_p(x, p, rng, training=True):
    """Drops with probability p but rescales the survivors by 1 / p."""
    if not training or p == 0:
        return _identity(x)
    mask = ((rng.random(x.shape) >= p) / p).astype(x.dtype)
    return x * mask, mask


def forward_drops_at_test_time(x, p, rng, training=True):
    """Ignores `training`: the network is thinned at test time too."""
    mask = ((rng.random(x.shape) >= p) / (1 - p)).astype(x.dtype)
    return x * mask, mask


def forward_scales_at_test_time(x, p, rng, training=True):
    """Inverted dropout while training, and the old weight scaling by (1 - p) at test time."""
    if not training:
        mask = np.full_like(x, 1 - p)
        return x * mask, mask
    mask = ((rng.random(x.shape) >= p) / (1 - p)).astype(x.dtype)
    return x * mask, mask


def forward_one_mask_for_the_batch(x, p, rng, training=True):
    """Draws one mask for a single example and applies it to every example of the batch."""
    if not training:
        return _identity(x)
    mask = ((rng.random(x.shape[1:]) >= p) / (1 - p)).astype(x.dtype)
    mask = np.broadcast_to(mask, x.shape).copy()
    return x * mask, mask


def forward_global_random_state(x, p, rng, training=True):
    """Draws from np.random's global state instead of rng, so a seed does not repeat it."""
    if not training:
        return _identity(x)
    # The legacy global generator is the mistake this wrong answer stands for.
    mask = ((np.random.random(x.shape) >= p) / (1 - p)).astype(x.dtype)  # noqa: NPY002
    return x * mask, mask


def forward_in_place(x, p, rng, training=True):
    """Multiplies x in place, destroying the activations the caller still holds."""
    if not training:
        return x, np.ones_like(x)
    mask = ((rng.random(x.shape) >= p) / (1 - p)).astype(x.dtype)
    x *= mask
    return x, mask


def forward_test_time_returns_x(x, p, rng, training=True):
    """Returns x itself at test time (and for p = 0) where the task asks for a copy."""
    if not training or p == 0:
        return x, np.ones_like(x)
    mask = ((rng.random(x.shape) >= p) / (1 - p)).astype(x.dtype)
    return x * mask, mask


def forward_returns_keep_mask(x, p, rng, training=True):
    """Rescales out correctly but returns the 0/1 keep mask, which backward cannot use."""
    if not training:
        return _identity(x)
    keep = (rng.random(x.shape) >= p).astype(x.dtype)
    return x * keep / x.dtype.type(1 - p), keep


def forward_loses_float32(x, p, rng, training=True):
    """Right values, but float32 activations come back as float64."""
    if not training:
        return x.astype(np.float64), np.ones(x.shape)
    mask = (rng.random(x.shape) >= p) / (1 - p)
    return x * mask, mask


def forward_drops_exact_count(x, p, rng, training=True):
    """Drops exactly round(p * n) entries chosen at random, not each entry independently."""
    if not training:
        return _identity(x)
    dropped = rng.permutation(x.size)[: round(p * x.size)]
    mask = np.full(x.size, 1 / (1 - p))
    mask[dropped] = 0
    mask = mask.reshape(x.shape).astype(x.dtype)
    return x * mask, mask


def forward_drops_exact_count_per_row(x, p, rng, training=True):
    """Drops exactly round(p * units) entries of every example, chosen at random."""
    if not training:
        return _identity(x)
    rows = x.reshape(len(x), -1) if x.ndim > 1 else x.reshape(1, -1)
    ranks = np.argsort(rng.random(rows.shape), axis=1)
    mask = (ranks >= round(p * rows.shape[1])) / (1 - p)
    mask = mask.reshape(x.shape).astype(x.dtype)
    return x * mask, mask


def forward_test_time_float64(x, p, rng, training=True):
    """Right while training, but the test-time mask np.ones(x.shape) is float64 for float32 x."""
    if not training:
        return x.copy(), np.ones(x.shape)
    mask = ((rng.random(x.shape) >= p) / (1 - p)).astype(x.dtype)
    return x * mask, mask


def forward_own_generator(x, p, rng, training=True):
    """Makes a generator of its own with a fixed seed: every rng gives the same mask."""
    if not training:
        return _identity(x)
    own = np.random.default_rng(0)
    mask = ((own.random(x.shape) >= p) / (1 - p)).astype(x.dtype)
    return x * mask, mask


def forward_one_draw_per_example(x, p, rng, training=True):
    """Draws one number per example and drops or keeps the whole example with it."""
    if not training:
        return _identity(x)
    keep = rng.random((len(x),) + (1,) * (x.ndim - 1)) >= p
    mask = np.broadcast_to(keep / (1 - p), x.shape).astype(x.dtype)
    return x * mask, mask


# --- 07-dropout-backward: dropout_backward(dout, mask) -------------------------------------


def backward_ignores_mask(dout, mask):
    """Passes the error signal back unchanged, also to the units that were dropped."""
    return dout.copy()


def backward_forgets_scale(dout, mask):
    """Blocks the dropped units but forgets that the kept ones were scaled by 1 / (1 - p)."""
    return dout * (mask != 0)


def backward_divides_by_mask(dout, mask):
    """Undoes the forward scaling instead of applying it again (dout / mask on kept units)."""
    return np.divide(dout, mask, out=np.zeros_like(dout), where=mask != 0)


def backward_local_derivative_only(dout, mask):
    """The local derivative d out / d x = mask without multiplying by dout (no chain rule)."""
    return mask.copy()


def backward_to_dropped_units(dout, mask):
    """Sends the gradient to the dropped units instead of the kept ones."""
    return dout * (mask == 0)


def backward_loses_float32(dout, mask):
    """Right values, but float32 gradients come back as float64."""
    return dout.astype(np.float64) * mask


WRONG_ANSWERS = {
    "07-dropout-forward": [
        record_dropout_forward(wrong)
        for wrong in (
            forward_without_rescaling,
            forward_p_as_keep_probability,
            forward_flipped_comparison,
            forward_scales_by_one_over_p,
            forward_drops_at_test_time,
            forward_scales_at_test_time,
            forward_one_mask_for_the_batch,
            forward_global_random_state,
            forward_in_place,
            forward_test_time_returns_x,
            forward_returns_keep_mask,
            forward_loses_float32,
            forward_drops_exact_count,
            forward_drops_exact_count_per_row,
            forward_test_time_float64,
            forward_own_generator,
            forward_one_draw_per_example,
        )
    ],
    "07-dropout-backward": [
        backward_ignores_mask,
        backward_forgets_scale,
        backward_divides_by_mask,
        backward_local_derivative_only,
        backward_to_dropped_units,
        backward_loses_float32,
    ],
}
