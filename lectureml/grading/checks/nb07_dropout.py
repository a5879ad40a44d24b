"""Checks of notebook 07 (dropout).

"07-dropout-forward": the student's `dropout_forward(x, p, rng, training=True) -> (out, mask)`
    (inverted dropout: mask 0 for a dropped unit, 1 / (1 - p) for a kept one; at test time
    out is x and the mask all ones). Any way of drawing the random mask is accepted, so the
    check judges properties, not one particular mask: the hidden test records what the
    function does on fixed scenarios with `record_dropout_forward(dropout_forward)` (in the
    student's kernel), and `judge_dropout_forward` decides from that record alone (in the
    grader's process). It checks shapes and dtypes, out == x * mask, the mask's values and
    kept fraction, that the kept count is not exactly (1 - p) * n in every call (units are
    dropped independently, not a fixed number of them), one mask per example, the same mask
    for the same seed and a different one for another seed, the identity at test time and with
    p = 0, that x is left unchanged, and that out is a new array, not x itself or a view of it
    (the task asks for a copy).
"07-dropout-backward": `dropout_backward(dout, mask) -> dout * mask`, shape and dtype of
    dout, on masks of several drop rates (p = 0 included), shapes and both float dtypes.
"""

import numpy as np

from lectureml.grading import function_check, value_check

# The activations x the function is called on: name -> (shape, dtype).
FORWARD_INPUTS = {
    "batch": ((40, 100), np.float64),
    "float32": ((30, 100), np.float32),
    "feature_maps": ((2, 3, 4, 4), np.float64),
    "small": ((5, 7), np.float64),
    "small_float32": ((5, 7), np.float32),
}
# name -> (input, p, seed of rng, training); both processes rebuild the calls from these.
FORWARD_SCENARIOS = {
    "batch": ("batch", 0.2, 101, True),
    "batch_again": ("batch", 0.2, 101, True),
    "batch_other_seed": ("batch", 0.2, 102, True),
    "float32": ("float32", 0.75, 103, True),
    "feature_maps": ("feature_maps", 0.5, 104, True),
    "test_time": ("small", 0.5, 105, False),
    "test_time_float32": ("small_float32", 0.3, 106, False),
    "keep_all": ("small", 0.0, 107, True),
}
# A kept fraction further than this many standard deviations from 1 - p is rejected; a
# correct implementation fails this about once in 10^6 gradings.
KEPT_FRACTION_SIGMAS = 5.0
_INPUT_SEED = 7007


def forward_input(name):
    """The activations x of one scenario: nonzero values of both signs, a fresh array."""
    input_name = FORWARD_SCENARIOS[name][0]
    shape, dtype = FORWARD_INPUTS[input_name]
    # One generator per input, so every input is independent of the others.
    rng = np.random.default_rng([_INPUT_SEED, list(FORWARD_INPUTS).index(input_name)])
    magnitudes = rng.uniform(0.5, 2.0, size=shape)
    signs = rng.choice([-1.0, 1.0], size=shape)
    return (magnitudes * signs).astype(dtype)


def record_dropout_forward(dropout_forward):
    """Run the student's `dropout_forward` on every scenario; plain data for `expect`.

    Returns:
        dict scenario name -> {"out", "mask", "x_after", "out_shares_x"} (what the function
        returned, x after the call, and whether out is x or shares its memory),
        {"error": text} if it raised, or {"returned": description} if it did not return a
        pair.
    """
    record = {}
    for name, (_, p, seed, training) in FORWARD_SCENARIOS.items():
        x = forward_input(name)
        try:
            result = dropout_forward(x, p, np.random.default_rng(seed), training=training)
        except Exception as error:
            record[name] = {"error": f"{type(error).__name__}: {error}"[:300]}
            continue
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            record[name] = {"returned": _describe(result)}
            continue
        out, mask = result
        shares = isinstance(out, np.ndarray) and bool(np.shares_memory(out, x))
        record[name] = {"out": out, "mask": mask, "x_after": x, "out_shares_x": shares}
    return record


def _describe(value):
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)} items"
    if isinstance(value, np.ndarray):
        return f"a single numpy array of shape {value.shape}"
    return f"a {type(value).__name__}"


def _call_text(name):
    input_name, p, _, training = FORWARD_SCENARIOS[name]
    shape, dtype = FORWARD_INPUTS[input_name]
    return f"for x of shape {shape} ({np.dtype(dtype).name}), p = {p}, training={training}"


def _returned_arrays(name, entry):
    """(out, mask, x_after) of one scenario, or an error message."""
    call = _call_text(name)
    if not isinstance(entry, dict):
        return f"the record of the call {call} is malformed"
    if "error" in entry:
        return f"the call {call} raised {entry['error']}"
    if "returned" in entry:
        return f"the call {call} returned {entry['returned']}, not the pair (out, mask)"
    if set(entry) != {"out", "mask", "x_after", "out_shares_x"}:
        return f"the record of the call {call} is malformed"
    x = forward_input(name)
    for key in ("out", "mask"):
        value = entry[key]
        if not isinstance(value, np.ndarray) or value.dtype.kind not in "biuf":
            return f"{key} {call} must be a numpy array of numbers"
        if value.shape != x.shape:
            return f"{key} {call} has shape {value.shape}, not the shape of x"
        if value.dtype != x.dtype:
            return f"{key} {call} has dtype {value.dtype}, not the dtype of x ({x.dtype})"
    x_after = entry["x_after"]
    if not isinstance(x_after, np.ndarray) or not np.array_equal(x_after, x):
        return f"the call {call} changed x in place; return a new array instead"
    if entry["out_shares_x"] is not False:
        return (
            f"out {call} is x itself (or a view of x), not a new array: return a copy, so that "
            "whatever later changes out cannot change x"
        )
    return entry["out"], entry["mask"], x


def _tolerance(dtype):
    return 1e-6 if dtype == np.float32 else 1e-12


def _judge_scenario(name, out, mask, x):
    """None if one scenario's (out, mask) has every property of inverted dropout."""
    _, p, _, training = FORWARD_SCENARIOS[name]
    call = _call_text(name)
    tol = _tolerance(x.dtype)
    mask64, out64, x64 = (a.astype(np.float64) for a in (mask, out, x))
    if not np.allclose(out64, x64 * mask64, rtol=tol, atol=0):
        return f"out must equal x * mask, but it does not {call}"
    if not training or p == 0:
        if not np.array_equal(out64, x64):
            return f"nothing may be dropped or rescaled {call}: out must equal x"
        if not np.all(mask64 == 1):
            return f"the mask must be all ones {call}"
        return None
    scale = 1 / (1 - p)
    kept = np.isclose(mask64, scale, rtol=tol, atol=0)
    dropped = mask64 == 0
    if not np.all(kept | dropped):
        return (
            f"every mask entry must be 0 (dropped) or 1 / (1 - p) (kept and rescaled) {call}; "
            "found other values"
        )
    fraction = float(kept.mean())
    spread = KEPT_FRACTION_SIGMAS * np.sqrt(p * (1 - p) / kept.size)
    if abs(fraction - (1 - p)) > spread:
        return (
            f"the mask kept {100 * fraction:.1f}% of the units {call}, but each unit must be "
            "dropped with probability p"
        )
    # Independent draws make two rows (or columns) of a 20 x 20 mask or larger all but
    # certainly different; half of them equal means the draws were shared.
    if kept.ndim == 2 and min(kept.shape) >= 20:
        if len(np.unique(kept, axis=0)) <= len(kept) // 2:
            return f"each example must get its own random mask {call}; many rows are identical"
        if np.unique(kept, axis=1).shape[1] <= kept.shape[1] // 2:
            return f"each unit must be dropped independently {call}; many columns are identical"
    return None


@value_check("07-dropout-forward")
def judge_dropout_forward(record):
    if not isinstance(record, dict) or set(record) != set(FORWARD_SCENARIOS):
        return False, (
            "the answer must be record_dropout_forward(dropout_forward), the record of your "
            "function on the check's scenarios"
        )
    returned = {}
    for name, entry in record.items():
        arrays = _returned_arrays(name, entry)
        if isinstance(arrays, str):
            return False, arrays
        problem = _judge_scenario(name, *arrays)
        if problem:
            return False, problem
        returned[name] = arrays
    problem = _exact_kept_counts(returned)
    if problem:
        return False, problem
    first, again = returned["batch"], returned["batch_again"]
    if not (np.array_equal(first[1], again[1]) and np.array_equal(first[0], again[0])):
        return False, (
            "two calls with generators made from the same seed gave different masks: draw every "
            "random number from rng, never from np.random's global state"
        )
    if np.array_equal(first[1], returned["batch_other_seed"][1]):
        return False, "generators with different seeds gave the same mask: draw it from rng"
    return True, ""


def _exact_kept_counts(returned):
    """A message if every dropping scenario kept exactly (1 - p) * n units, else None.

    Independent draws make the kept count binomial: the chance that it hits (1 - p) * n
    exactly is below 9% in each scenario (1.6% for the largest one), and that it does in all
    of them is below 10^-6. An answer that picks exactly round(p * n) units to drop always does.
    """
    exact = []
    for name, (_, mask, _) in returned.items():
        _, p, _, training = FORWARD_SCENARIOS[name]
        if not training or p == 0:
            continue
        kept = int(np.count_nonzero(mask))
        expected = (1 - p) * mask.size
        exact.append(np.floor(expected) <= kept <= np.ceil(expected))
    if exact and all(exact):
        return (
            "the mask kept exactly (1 - p) * n units in every call: each unit must be dropped "
            "independently, kept with probability 1 - p on its own, so the number kept varies "
            "from call to call (draw one random number per unit, do not pick a fixed count)"
        )
    return None


def _dropout_mask(rng, shape, p, dtype):
    keep = rng.random(shape) >= p
    return (keep / (1 - p)).astype(dtype)


def dropout_backward_cases(rng):
    """(dout, mask) pairs: several drop rates (p = 0 too), 1-D to 4-D, both float dtypes."""
    cases = []
    for shape, p, dtype in (
        ((4, 5), 0.5, np.float64),
        ((3, 8), 0.2, np.float32),
        ((2, 3, 4, 4), 0.75, np.float64),
        ((6,), 0.0, np.float64),
        ((5, 6), 0.9, np.float32),
    ):
        dout = rng.standard_normal(shape).astype(dtype)
        cases.append((dout, _dropout_mask(rng, shape, p, dtype)))
    return cases


@function_check(
    "07-dropout-backward", cases=dropout_backward_cases, rtol=1e-6, atol=0.0, check_dtype=True
)
def dropout_backward_reference(dout, mask):
    return (dout * mask).astype(dout.dtype)
