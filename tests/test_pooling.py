"""Tests for lectureml.pooling: values, gradients, tie handling, overlap, dtypes and errors."""

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

from lectureml.gradcheck import numerical_gradient, relative_error
from lectureml.pooling import avg_pool2d, avg_pool2d_backward, max_pool2d, max_pool2d_backward

POOLS = [
    pytest.param(max_pool2d, max_pool2d_backward, id="max"),
    pytest.param(avg_pool2d, avg_pool2d_backward, id="avg"),
]

# (x shape (N, C, H, W), size, stride)
SHAPE_CASES = [
    pytest.param((2, 3, 6, 7), 2, None, id="default-stride-remainder-column-dropped"),
    pytest.param((1, 2, 7, 5), 3, 1, id="overlapping-stride1"),
    pytest.param((2, 1, 8, 8), 2, 3, id="gapped-stride3"),
    pytest.param((1, 3, 5, 9), 3, 2, id="overlapping-stride2-remainder-dropped"),
    pytest.param((2, 2, 4, 4), 4, None, id="one-window-per-map"),
]


def distinct_values(rng, shape):
    """Entries 1e-2 apart in random order, so a 1e-5 gradient-check step never changes a max."""
    return rng.permutation(int(np.prod(shape))).reshape(shape) * 1e-2


def reference_pool(x, size, stride, reduce):
    """Pooling computed a different way: all windows as a view, then reduce each one."""
    stride = size if stride is None else stride
    windows = sliding_window_view(x, (size, size), axis=(2, 3))[:, :, ::stride, ::stride]
    return reduce(windows, axis=(-2, -1))


@pytest.mark.parametrize(("forward", "backward"), POOLS)
@pytest.mark.parametrize(("x_shape", "size", "stride"), SHAPE_CASES)
def test_backward_matches_numerical_gradient(forward, backward, x_shape, size, stride):
    rng = np.random.default_rng(0)
    x = distinct_values(rng, x_shape)
    dout = rng.standard_normal(forward(x, size, stride).shape)

    def loss():
        return np.sum(forward(x, size, stride) * dout)

    dx = backward(dout, x, size, stride)
    assert relative_error(dx, numerical_gradient(loss, x)) < 1e-7


@pytest.mark.parametrize(("x_shape", "size", "stride"), SHAPE_CASES)
def test_forward_matches_a_window_view_reference(x_shape, size, stride):
    x = np.random.default_rng(1).standard_normal(x_shape)
    np.testing.assert_array_equal(
        max_pool2d(x, size, stride), reference_pool(x, size, stride, np.max)
    )
    np.testing.assert_allclose(
        avg_pool2d(x, size, stride), reference_pool(x, size, stride, np.mean), rtol=1e-14
    )


def test_two_by_two_pooling_by_hand():
    x = np.array(
        [
            [1, 2, 5, 0, 9],
            [3, 4, 6, 8, 9],
            [0, 1, 7, 7, 9],
            [2, 1, 3, 0, 9],
            [9, 9, 9, 9, 9],
        ],
        dtype=float,
    )[None, None]
    # The fifth row and column fit no whole 2x2 window: dropped, and their 9s never show up.
    np.testing.assert_array_equal(max_pool2d(x)[0, 0], [[4, 8], [2, 7]])
    np.testing.assert_array_equal(avg_pool2d(x)[0, 0], [[2.5, 4.75], [1.0, 4.25]])
    dout = np.array([[10.0, 20.0], [30.0, 40.0]])[None, None]
    expected_max_dx = np.zeros((5, 5))
    expected_max_dx[1, 1], expected_max_dx[1, 3] = 10, 20
    expected_max_dx[3, 0], expected_max_dx[2, 2] = 30, 40  # the 7s tie: the first one wins
    np.testing.assert_array_equal(max_pool2d_backward(dout, x)[0, 0], expected_max_dx)
    expected_avg_dx = np.zeros((5, 5))
    expected_avg_dx[:4, :4] = np.kron([[10, 20], [30, 40]], np.ones((2, 2))) / 4
    np.testing.assert_array_equal(avg_pool2d_backward(dout, x)[0, 0], expected_avg_dx)


def test_max_pool_ties_send_the_gradient_to_the_first_maximum_only():
    x = np.zeros((1, 2, 2, 2))
    x[0, 1] = [[0.0, 5.0], [5.0, 5.0]]  # channel 0: four-way tie; channel 1: three-way tie
    dx = max_pool2d_backward(np.ones((1, 2, 1, 1)), x)
    np.testing.assert_array_equal(dx[0, 0], [[1, 0], [0, 0]])
    np.testing.assert_array_equal(dx[0, 1], [[0, 1], [0, 0]])
    assert dx.sum() == 2.0  # each window passes on its gradient exactly once


@pytest.mark.parametrize("stride", [2, 1])
def test_a_nan_in_a_window_is_its_maximum_and_takes_the_gradient(stride):
    x = np.zeros((1, 1, 3, 4))
    x[0, 0, 0, 1] = 7.0  # window (0, 0) has an ordinary maximum
    x[0, 0, 1, 2:] = np.nan  # the windows over columns 2-3 hold two NaNs, in row-major order
    out = max_pool2d(x, 2, stride)
    dx = max_pool2d_backward(np.ones_like(out), x, 2, stride)
    assert np.isnan(out[0, 0, 0, -1])
    expected = np.zeros((3, 4))
    expected[0, 1] = 1.0  # the 7 (with stride 1, the next window holds a NaN, which wins)
    expected[1, 2] = 1.0 if stride == 2 else 4.0  # the first NaN of every window holding one
    if stride == 1:
        expected[1, 0] = 1.0  # the all-zero window below: its first zero
    np.testing.assert_array_equal(dx[0, 0], expected)


def test_overlapping_max_windows_accumulate_on_a_shared_maximum():
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 1, 1] = 1.0  # the centre is the maximum of all four 2x2 windows
    dout = np.array([[1.0, 2.0], [3.0, 4.0]])[None, None]
    dx = max_pool2d_backward(dout, x, size=2, stride=1)
    expected = np.zeros((3, 3))
    expected[1, 1] = 10.0
    np.testing.assert_array_equal(dx[0, 0], expected)


def test_overlapping_windows_with_ties_each_pick_their_own_first_maximum():
    x = np.ones((1, 1, 3, 3))
    dx = max_pool2d_backward(np.ones((1, 1, 2, 2)), x, size=2, stride=1)
    np.testing.assert_array_equal(dx[0, 0], [[1, 1, 0], [1, 1, 0], [0, 0, 0]])


def test_avg_pool_backward_spreads_each_gradient_evenly_over_its_window():
    x = np.zeros((1, 1, 4, 4))
    dx = avg_pool2d_backward(np.full((1, 1, 2, 2), 9.0), x, size=3, stride=1)
    # Each window spreads 9/9 = 1 per pixel; a pixel gets 1 for every window covering it.
    np.testing.assert_array_equal(dx[0, 0], np.outer([1, 2, 2, 1], [1, 2, 2, 1]))


@pytest.mark.parametrize(("forward", "backward"), POOLS)
def test_float32_stays_float32(forward, backward):
    x = distinct_values(np.random.default_rng(2), (2, 3, 6, 6)).astype(np.float32)
    out = forward(x, 3, 2)
    assert out.dtype == np.float32
    assert backward(np.ones_like(out), x, 3, 2).dtype == np.float32
    assert backward(np.ones(out.shape), x, 3, 2).dtype == np.float32  # float64 dout too


# ---- argument errors: each message names the argument, what was expected and what was given


@pytest.mark.parametrize(("forward", "backward"), POOLS)
def test_single_feature_map_error_suggests_adding_axes(forward, backward):
    message = (
        r"x must have 4 dimensions \(N, C, H, W\), got 2 dimensions with shape \(6, 6\); "
        r"a single \(H, W\) feature map becomes a batch of one with x\[None, None\]"
    )
    with pytest.raises(ValueError, match=message):
        forward(np.zeros((6, 6)))
    with pytest.raises(ValueError, match=message):
        backward(np.zeros((3, 3)), np.zeros((6, 6)))


@pytest.mark.parametrize(("forward", "backward"), POOLS)
def test_pool_size_larger_than_the_input_is_rejected(forward, backward):
    message = (
        r"size must be at most the input height H=3 and width W=8 "
        r"\(x of shape \(1, 2, 3, 8\)\), got size=4"
    )
    with pytest.raises(ValueError, match=message):
        forward(np.zeros((1, 2, 3, 8)), size=4)
    with pytest.raises(ValueError, match=message):
        backward(np.zeros((1, 2, 1, 2)), np.zeros((1, 2, 3, 8)), size=4)


@pytest.mark.parametrize(("forward", "backward"), POOLS)
@pytest.mark.parametrize(
    ("keyword", "value", "error", "message"),
    [
        ("size", 0, ValueError, r"size must be an integer >= 1, got 0"),
        ("size", 2.0, TypeError, r"size must be an integer, got float 2.0"),
        ("size", "2", TypeError, r"size must be an integer, got str '2'"),
        ("stride", 0, ValueError, r"stride must be an integer >= 1, got 0"),
        ("stride", 1.5, TypeError, r"stride must be an integer, got float 1.5"),
    ],
)
def test_bad_size_or_stride_is_rejected(forward, backward, keyword, value, error, message):
    x = np.zeros((1, 1, 4, 4))
    with pytest.raises(error, match=message):
        forward(x, **{keyword: value})
    with pytest.raises(error, match=message):
        backward(np.zeros((1, 1, 2, 2)), x, **{keyword: value})


@pytest.mark.parametrize("backward", [max_pool2d_backward, avg_pool2d_backward])
def test_wrong_dout_shape_is_rejected(backward):
    x = np.zeros((2, 3, 7, 7))
    with pytest.raises(
        ValueError, match=r"dout must have shape \(2, 3, 3, 3\), got shape \(2, 3, 4, 4\)"
    ):
        backward(np.zeros((2, 3, 4, 4)), x)
    with pytest.raises(
        ValueError, match=r"dout must have shape \(2, 3, 6, 6\), got shape \(2, 3, 3, 3\)"
    ):
        backward(np.zeros((2, 3, 3, 3)), x, size=2, stride=1)


@pytest.mark.parametrize(("forward", "backward"), POOLS)
def test_lists_and_strings_are_rejected_with_a_conversion_hint(forward, backward):
    with pytest.raises(
        TypeError,
        match=r"x must be a numpy array of shape \(N, C, H, W\), got list of length 1; "
        r"convert it with np.asarray\(x, dtype=float\)",
    ):
        forward([[[[1.0, 2.0], [3.0, 4.0]]]])
    with pytest.raises(TypeError, match=r"x must be a numpy array .*got str 'image.png'"):
        forward("image.png")
    with pytest.raises(TypeError, match=r"dout must be a numpy array .*got list of length 1"):
        backward([[[[1.0]]]], np.zeros((1, 1, 2, 2)))


def test_empty_input_is_rejected():
    with pytest.raises(
        ValueError,
        match=r"x must have every axis of \(N, C, H, W\) at least 1 long, got shape \(0, 1, 4, 4\)",
    ):
        max_pool2d(np.zeros((0, 1, 4, 4)))


def test_cached_max_pool_pair_for_layers_matches_the_public_functions():
    from lectureml.pooling import _max_pool2d_backward_from_cache, _max_pool2d_forward_with_cache

    rng = np.random.default_rng(3)
    x = distinct_values(rng, (2, 3, 7, 6))
    out, cache = _max_pool2d_forward_with_cache(x, 3, 2)
    np.testing.assert_array_equal(out, max_pool2d(x, 3, 2))
    dout = rng.standard_normal(out.shape)
    np.testing.assert_array_equal(
        _max_pool2d_backward_from_cache(dout, cache), max_pool2d_backward(dout, x, 3, 2)
    )
    with pytest.raises(
        ValueError, match=r"dout must have shape \(2, 3, 3, 2\), got shape \(2, 3, 2, 2\)"
    ):
        _max_pool2d_backward_from_cache(dout[:, :, :2], cache)
